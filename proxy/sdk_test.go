// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	ooption "github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"google.golang.org/genai"
)

// The end-to-end tests below drive the official SDKs through hush, in
// both modes (HTTPS_PROXY with the hush CA, and base URL), with request
// bodies sent plain, gzip- and zstd-compressed, streamed and not. The
// fake provider answers in each API's own format, so the SDKs must also
// parse what hush passes back.

// fakeAPIs answers like each provider, by path: "Hello" as text, in one
// JSON body or as an event stream.
func fakeAPIs(w http.ResponseWriter, r *http.Request) {
	body, _ := decodeBody(r.Header.Get("Content-Encoding"), mustRead(r), 1<<30)
	stream := bytes.Contains(body, []byte(`"stream":true`)) || r.URL.Query().Get("alt") == "sse"
	sse := func(events ...string) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, e := range events {
			io.WriteString(w, e+"\n\n")
			w.(http.Flusher).Flush()
		}
	}
	json := func(s string) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, s)
	}
	const respObj = `{"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"gpt-x","output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[]}]}]}`
	const geminiChunk = `{"candidates":[{"content":{"role":"model","parts":[{"text":%q}]},"index":0}],"modelVersion":"gemini-x","responseId":"r1"}`
	switch p := r.URL.Path; {
	case strings.HasSuffix(p, "/chat/completions") && stream:
		chunk := `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-x","choices":[{"index":0,"delta":{"content":%q},"finish_reason":%s}]}`
		sse(fmt.Sprintf(chunk, "Hel", "null"), fmt.Sprintf(chunk, "lo", `"stop"`), "data: [DONE]")
	case strings.HasSuffix(p, "/chat/completions"):
		json(`{"id":"c1","object":"chat.completion","created":1,"model":"gpt-x","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hello"}}]}`)
	case strings.HasSuffix(p, "/responses") && stream:
		sse(`event: response.created`+"\n"+`data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1,"status":"in_progress","model":"gpt-x","output":[]}}`,
			`event: response.output_text.delta`+"\n"+`data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]}`,
			`event: response.completed`+"\n"+`data: {"type":"response.completed","sequence_number":2,"response":`+respObj+`}`)
	case strings.HasSuffix(p, "/responses"):
		json(respObj)
	case strings.HasSuffix(p, "/v1/messages") && stream:
		sse(`event: message_start`+"\n"+`data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}`,
			`event: content_block_start`+"\n"+`data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
			`event: content_block_delta`+"\n"+`data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}`,
			`event: content_block_delta`+"\n"+`data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}`,
			`event: content_block_stop`+"\n"+`data: {"type":"content_block_stop","index":0}`,
			`event: message_delta`+"\n"+`data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}`,
			`event: message_stop`+"\n"+`data: {"type":"message_stop"}`)
	case strings.HasSuffix(p, "/v1/messages"):
		json(`{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}`)
	case strings.HasSuffix(p, ":streamGenerateContent"):
		sse("data: "+fmt.Sprintf(geminiChunk, "Hel"), "data: "+fmt.Sprintf(geminiChunk, "lo"))
	case strings.HasSuffix(p, ":generateContent"):
		json(fmt.Sprintf(geminiChunk, "Hello"))
	default:
		http.NotFound(w, r)
	}
}

func mustRead(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

// compressing sends every request body with the given Content-Encoding,
// as Codex does with zstd.
type compressing struct {
	t      testing.TB
	coding string
	next   http.RoundTripper
}

func (c compressing) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || c.coding == "identity" {
		return c.next.RoundTrip(r)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	enc := encodeBody(c.t, c.coding, b)
	out := r.Clone(r.Context())
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(enc)), int64(len(enc))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(enc)), nil }
	out.Header.Set("Content-Encoding", c.coding)
	return c.next.RoundTrip(out)
}

// sdkCase is one SDK call: it returns the text the SDK assembled.
type sdkCase struct {
	name string
	call func(ctx context.Context, hc *http.Client, base string, stream bool, pat, known string) (string, error)
}

// leaky returns tool output that carries the known secret in three forms.
func leaky(known string) string {
	return "env: " + known + "\nb64: " + base64.StdEncoding.EncodeToString([]byte(known)) + "\nurl: ?k=" + url.QueryEscape(known)
}

var sdkCases = []sdkCase{
	{"openai-chat", func(ctx context.Context, hc *http.Client, base string, stream bool, pat, known string) (string, error) {
		c := openai.NewClient(ooption.WithHTTPClient(hc), ooption.WithBaseURL(base+"/v1/"), ooption.WithAPIKey("sk-test"), ooption.WithMaxRetries(0))
		params := openai.ChatCompletionNewParams{Model: "gpt-x", Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage("Deploy key: " + known),
			openai.UserMessage("push with " + pat),
			{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{{
				OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_1", Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{
					Name: "run", Arguments: `{"cmd":"git push https://` + pat + `@github.com/o/r"}`}}}}}},
			openai.ToolMessage(leaky(known), "call_1"),
		}}
		if !stream {
			r, err := c.Chat.Completions.New(ctx, params)
			if err != nil {
				return "", err
			}
			return r.Choices[0].Message.Content, nil
		}
		s := c.Chat.Completions.NewStreaming(ctx, params)
		var text string
		for s.Next() {
			for _, ch := range s.Current().Choices {
				text += ch.Delta.Content
			}
		}
		return text, s.Err()
	}},
	{"openai-responses", func(ctx context.Context, hc *http.Client, base string, stream bool, pat, known string) (string, error) {
		c := openai.NewClient(ooption.WithHTTPClient(hc), ooption.WithBaseURL(base+"/v1/"), ooption.WithAPIKey("sk-test"), ooption.WithMaxRetries(0))
		params := responses.ResponseNewParams{Model: "gpt-x", Instructions: openai.String("Key: " + known),
			Input: responses.ResponseNewParamsInputUnion{OfInputItemList: responses.ResponseInputParam{
				responses.ResponseInputItemParamOfMessage("use "+pat, responses.EasyInputMessageRoleUser),
				responses.ResponseInputItemParamOfFunctionCall(`{"cmd":"echo `+pat+`"}`, "call_1", "exec_command"),
				func() responses.ResponseInputItemUnionParam {
					o := responses.ResponseInputItemParamOfFunctionCallOutput(leaky(known))
					o.OfFunctionCallOutput.CallID = openai.String("call_1")
					return o
				}(),
			}}}
		if !stream {
			r, err := c.Responses.New(ctx, params)
			if err != nil {
				return "", err
			}
			return r.OutputText(), nil
		}
		s := c.Responses.NewStreaming(ctx, params)
		var text string
		for s.Next() {
			if ev := s.Current(); ev.Type == "response.output_text.delta" {
				text += ev.Delta
			}
		}
		return text, s.Err()
	}},
	{"anthropic", func(ctx context.Context, hc *http.Client, base string, stream bool, pat, known string) (string, error) {
		c := anthropic.NewClient(aoption.WithHTTPClient(hc), aoption.WithBaseURL(base+"/"), aoption.WithAPIKey("sk-ant-test"), aoption.WithMaxRetries(0))
		params := anthropic.MessageNewParams{Model: "claude-x", MaxTokens: 100,
			System: []anthropic.TextBlockParam{{Text: "Key: " + known}},
			Messages: []anthropic.MessageParam{
				anthropic.NewUserMessage(anthropic.NewTextBlock("push with " + pat)),
				anthropic.NewAssistantMessage(anthropic.NewToolUseBlock("toolu_1", map[string]any{"command": "git push https://" + pat + "@github.com/o/r"}, "Bash")),
				anthropic.NewUserMessage(anthropic.NewToolResultBlock("toolu_1", leaky(known), false)),
			}}
		if !stream {
			m, err := c.Messages.New(ctx, params)
			if err != nil {
				return "", err
			}
			return m.Content[0].Text, nil
		}
		s := c.Messages.NewStreaming(ctx, params)
		var m anthropic.Message
		for s.Next() {
			if err := m.Accumulate(s.Current()); err != nil {
				return "", err
			}
		}
		if err := s.Err(); err != nil {
			return "", err
		}
		return m.Content[0].Text, nil
	}},
	{"gemini", func(ctx context.Context, hc *http.Client, base string, stream bool, pat, known string) (string, error) {
		c, err := genai.NewClient(ctx, &genai.ClientConfig{APIKey: "gemini-test", Backend: genai.BackendGeminiAPI, HTTPClient: hc,
			HTTPOptions: genai.HTTPOptions{BaseURL: base + "/", APIVersion: "v1beta"}})
		if err != nil {
			return "", err
		}
		contents := []*genai.Content{
			genai.NewContentFromText("push with "+pat, genai.RoleUser),
			genai.NewContentFromParts([]*genai.Part{genai.NewPartFromFunctionCall("run_shell_command", map[string]any{"command": "echo " + pat})}, genai.RoleModel),
			genai.NewContentFromParts([]*genai.Part{genai.NewPartFromFunctionResponse("run_shell_command", map[string]any{"output": leaky(known)})}, genai.RoleUser),
		}
		cfg := &genai.GenerateContentConfig{SystemInstruction: genai.NewContentFromText("Key: "+known, genai.RoleUser)}
		if !stream {
			r, err := c.Models.GenerateContent(ctx, "gemini-x", contents, cfg)
			if err != nil {
				return "", err
			}
			return r.Text(), nil
		}
		var text string
		for r, err := range c.Models.GenerateContentStream(ctx, "gemini-x", contents, cfg) {
			if err != nil {
				return "", err
			}
			text += r.Text()
		}
		return text, nil
	}},
}

func TestSDKsThroughHush(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.fake.setRespond(fakeAPIs)
	pat := fakePAT(t)
	modes := []struct {
		name string
		hc   func() *http.Client
		base func(api string) string
	}{
		{"proxy", func() *http.Client { return e.client(false) }, func(api string) string {
			return map[string]string{"openai": "https://api.openai.com", "anthropic": "https://api.anthropic.com", "gemini": "https://generativelanguage.googleapis.com"}[api]
		}},
		{"proxy-h2", func() *http.Client { return e.client(true) }, func(api string) string {
			return map[string]string{"openai": "https://api.openai.com", "anthropic": "https://api.anthropic.com", "gemini": "https://generativelanguage.googleapis.com"}[api]
		}},
		{"base", func() *http.Client { return &http.Client{Transport: &http.Transport{}} }, func(api string) string {
			return e.baseURL + "/" + api
		}},
	}
	for _, mode := range modes {
		for _, sc := range sdkCases {
			for _, coding := range []string{"identity", "gzip", "zstd"} {
				for _, stream := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%s/%s/stream=%v", mode.name, sc.name, coding, stream), func(t *testing.T) {
						hc := mode.hc()
						hc.Transport = compressing{t, coding, hc.Transport}
						api, _, _ := strings.Cut(sc.name, "-")
						n := len(e.fake.requests())
						text, err := sc.call(context.Background(), hc, mode.base(api), stream, pat, e.known)
						if err != nil {
							t.Fatalf("SDK call: %v", err)
						}
						if text != "Hello" {
							t.Errorf("SDK assembled %q, want %q", text, "Hello")
						}
						got := e.fake.requests()
						if len(got) != n+1 {
							t.Fatalf("fake got %d requests, want 1", len(got)-n)
						}
						if c := len(placeholderRE.FindAll(got[n].Body, -1)); c < 5 {
							t.Errorf("fake got %d placeholders, want >= 5:\n%s", c, got[n].Body)
						}
					})
				}
			}
		}
	}
	e.assertNoLeak(pat, e.known)
	e.assertClean(pat, e.known)
}
