// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	ooption "github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"google.golang.org/genai"
)

// assembled is what an SDK built from a rewritten stream: the text the
// user sees and the tool calls the agent would run.
type assembled struct {
	text  []string
	calls []string
}

// TestSDKs replays every streamed transcript through the official SDKs'
// streaming APIs, served by a fake provider that rewrites as it streams in
// random 1-7 byte pieces. Each SDK must accept the stream (inserted events
// included) and assemble tool calls that hold every restored value, and
// text that holds none.
func TestSDKs(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		tr := loadTranscript(t, path)
		api := apis[tr.header["api"]]
		if tr.header["mode"] == "json" || api == Generic {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tr)
			upstream := e.expand(t, tr.get("upstream"))
			if tr.header["crlf"] == "true" {
				upstream = []byte(strings.ReplaceAll(string(upstream), "\n", "\r\n"))
			}
			_, events := e.run(t, api, false, upstream, len(upstream)+1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				rd := NewSSE(api, io.NopCloser(&randomReader{upstream, rand.New(rand.NewPCG(1, 2))}), e.opts)
				buf := make([]byte, 4096)
				for {
					n, err := rd.Read(buf)
					w.Write(buf[:n])
					w.(http.Flusher).Flush()
					if err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			got, err := sdkStream(context.Background(), api, srv.URL)
			if err != nil {
				if strings.HasSuffix(name, "_error") {
					return // the SDK surfaces the provider's error, as it should
				}
				t.Fatalf("SDK: %v", err)
			}
			text, calls := strings.Join(got.text, "\n"), strings.Join(got.calls, "\n")
			for _, n := range e.names {
				if v := e.values[n]; strings.Contains(text, v) {
					t.Errorf("assembled text holds secret %s: %q", n, text)
				}
			}
			for _, ev := range events {
				f := strings.Fields(ev)
				switch {
				case f[0] == "restore":
					name := strings.TrimSuffix(strings.TrimPrefix(f[2], "{{ph:"), "}}")
					v := e.values[name]
					if !strings.Contains(calls, v) && !strings.Contains(calls, string(escJS([]byte(v)))) {
						t.Errorf("%s: no assembled tool call holds %s's value:\n%s", ev, name, calls)
					}
				case f[0] == "deny":
					if ph := e.expand(t, []byte(f[3])); !strings.Contains(calls, string(ph)) {
						t.Errorf("%s: no assembled tool call keeps the placeholder:\n%s", ev, calls)
					}
				}
			}
		})
	}
}

// sdkStream makes one streaming request with api's official SDK.
func sdkStream(ctx context.Context, api API, base string) (assembled, error) {
	var a assembled
	switch api {
	case OpenAIChat:
		c := openai.NewClient(ooption.WithBaseURL(base+"/v1/"), ooption.WithAPIKey("sk-test"), ooption.WithMaxRetries(0))
		s := c.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{Model: "gpt-x",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
		var acc openai.ChatCompletionAccumulator
		var custom strings.Builder
		for s.Next() {
			ch := s.Current()
			if !acc.AddChunk(ch) {
				return a, errString("ChatCompletionAccumulator refused a chunk: " + ch.RawJSON())
			}
			for _, c := range ch.Choices {
				a.text = append(a.text, c.Delta.Content)
				var raw obj
				json.Unmarshal([]byte(c.Delta.RawJSON()), &raw)
				a.text = append(a.text, str(raw["reasoning_content"]))
				for _, tc := range anySlice(raw["tool_calls"]) {
					custom.WriteString(str(at(tc, "custom", "input")))
				}
			}
		}
		for _, ch := range acc.Choices {
			for _, tc := range ch.Message.ToolCalls {
				a.calls = append(a.calls, decodedStrings(tc.Function.Arguments))
			}
		}
		a.calls = append(a.calls, custom.String())
		return a, s.Err()
	case OpenAIResponses:
		c := openai.NewClient(ooption.WithBaseURL(base+"/v1/"), ooption.WithAPIKey("sk-test"), ooption.WithMaxRetries(0))
		s := c.Responses.NewStreaming(ctx, responses.ResponseNewParams{Model: "gpt-x",
			Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("hi")}})
		for s.Next() {
			ev := s.Current()
			switch ev.Type {
			case "response.output_text.delta", "response.reasoning_summary_text.delta":
				a.text = append(a.text, ev.Delta)
			case "response.output_item.done":
				// What Codex runs: the item in output_item.done.
				var item obj
				json.Unmarshal([]byte(ev.Item.RawJSON()), &item)
				switch str(item["type"]) {
				case "function_call":
					a.calls = append(a.calls, decodedStrings(str(item["arguments"])))
				case "custom_tool_call":
					a.calls = append(a.calls, str(item["input"]))
				case "local_shell_call":
					b, _ := json.Marshal(item["action"])
					a.calls = append(a.calls, decodedStrings(string(b)))
				}
			}
		}
		return a, s.Err()
	case Anthropic:
		c := anthropic.NewClient(aoption.WithBaseURL(base+"/"), aoption.WithAPIKey("sk-ant-test"), aoption.WithMaxRetries(0))
		s := c.Messages.NewStreaming(ctx, anthropic.MessageNewParams{Model: "claude-x", MaxTokens: 100,
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))}})
		var m anthropic.Message
		for s.Next() {
			if err := m.Accumulate(s.Current()); err != nil {
				return a, err
			}
		}
		for _, b := range m.Content {
			switch b.Type {
			case "text", "thinking":
				a.text = append(a.text, b.Text, b.Thinking)
			case "tool_use":
				a.calls = append(a.calls, decodedStrings(string(b.Input)))
			}
		}
		return a, s.Err()
	case Gemini:
		c, err := genai.NewClient(ctx, &genai.ClientConfig{APIKey: "gemini-test", Backend: genai.BackendGeminiAPI,
			HTTPOptions: genai.HTTPOptions{BaseURL: base + "/", APIVersion: "v1beta"}})
		if err != nil {
			return a, err
		}
		for r, err := range c.Models.GenerateContentStream(ctx, "gemini-x", genai.Text("hi"), nil) {
			if err != nil {
				return a, err
			}
			for _, cand := range r.Candidates {
				if cand.Content == nil {
					continue
				}
				for _, p := range cand.Content.Parts {
					a.text = append(a.text, p.Text)
					if p.FunctionCall != nil {
						b, _ := json.Marshal(p.FunctionCall.Args)
						a.calls = append(a.calls, decodedStrings(string(b)))
					}
				}
			}
		}
		return a, nil
	}
	return a, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// decodedStrings returns every string value in a JSON document, decoded,
// one per line; the document itself if it is not JSON.
func decodedStrings(doc string) string {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return doc
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v + "\n")
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return b.String()
}
