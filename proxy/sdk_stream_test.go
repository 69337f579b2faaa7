// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"
	ooption "github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"google.golang.org/genai"
)

// The tests below are the streaming end of the loop: an official SDK's
// streaming API sends a secret through hush, the fake provider sees only
// placeholders and streams back a tool call that uses them (cut into 1-5
// byte writes, each flushed), and the SDK must assemble a tool call
// holding the real values and text still holding the placeholder.

// streamCmd is the command of the fake's tool call: a push with the PAT
// (bound to github.com by default) and a deploy with the known secret
// (restored into any tool, whatever the hosts).
func streamCmd(pat, known string) string {
	return "git push https://" + pat + "@github.com/o/r && deploy --token " + known
}

// streamText is the fake's assistant text: it mentions the placeholder,
// which must reach the user as it is.
func streamText(known string) string { return "I will use " + known + " to deploy now." }

// learnPlaceholders returns the placeholders hush put in a request body
// for the PAT and for the known secret.
func learnPlaceholders(body []byte) (pat, known string) {
	for _, ph := range placeholderRE.FindAllString(string(body), -1) {
		switch {
		case strings.HasPrefix(ph, "hush_my-service-token_"):
			known = ph
		case strings.HasPrefix(ph, "hush_github"):
			pat = ph
		}
	}
	return pat, known
}

// fakeToolStreams answers each API's streaming call with text and a tool
// call built from the placeholders the request held, written in 1-5 byte
// pieces.
func fakeToolStreams(w http.ResponseWriter, r *http.Request) {
	body, _ := decodeBody(r.Header.Get("Content-Encoding"), mustRead(r), 1<<30)
	pat, known := learnPlaceholders(body)
	if pat == "" || known == "" {
		http.Error(w, "fake: the request holds no placeholders", http.StatusBadRequest)
		return
	}
	cmd, text := streamCmd(pat, known), streamText(known)
	var s string
	switch p := r.URL.Path; {
	case strings.HasSuffix(p, "/chat/completions"):
		s = chatToolStream(cmd, text)
	case strings.HasSuffix(p, "/responses"):
		s = responsesToolStream(cmd, text)
	case strings.HasSuffix(p, "/v1/messages"):
		s = anthropicToolStream(cmd, text)
	case strings.HasSuffix(p, ":streamGenerateContent"):
		s = geminiToolStream(cmd, text)
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	trickle(w, []byte(s))
}

// trickle writes b in 1-5 byte pieces, flushing each, in an order fixed
// by b's length so that runs repeat.
func trickle(w http.ResponseWriter, b []byte) {
	rng := rand.New(rand.NewPCG(uint64(len(b)), 5))
	f := w.(http.Flusher)
	for len(b) > 0 {
		n := min(1+rng.IntN(5), len(b))
		if _, err := w.Write(b[:n]); err != nil {
			return
		}
		f.Flush()
		b = b[n:]
	}
}

// frags cuts s into n-byte fragments, so that a placeholder spans
// several deltas.
func frags(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func chatToolStream(cmd, text string) string {
	chunk := func(delta, finish string) string {
		return `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-x","choices":[{"index":0,"delta":` +
			delta + `,"finish_reason":` + finish + `}]}` + "\n\n"
	}
	s := chunk(`{"role":"assistant","content":""}`, "null")
	for _, f := range frags(text, 8) {
		s += chunk(`{"content":`+jsonString(f)+`}`, "null")
	}
	s += chunk(`{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"run","arguments":""}}]}`, "null")
	for _, f := range frags(`{"cmd":`+jsonString(cmd)+`}`, 8) {
		s += chunk(`{"tool_calls":[{"index":0,"function":{"arguments":`+jsonString(f)+`}}]}`, "null")
	}
	return s + chunk(`{}`, `"tool_calls"`) + "data: [DONE]\n\n"
}

func responsesToolStream(cmd, text string) string {
	var s string
	seq := 0
	ev := func(typ, fields string) {
		s += fmt.Sprintf("event: %s\ndata: {\"type\":%q,\"sequence_number\":%d,%s}\n\n", typ, typ, seq, fields)
		seq++
	}
	args := `{"cmd":` + jsonString(cmd) + `}`
	msg := `{"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":` + jsonString(text) + `,"annotations":[]}]}`
	call := func(status, args string) string {
		return `{"type":"function_call","id":"fc_1","call_id":"call_1","name":"exec_command","arguments":` + jsonString(args) + `,"status":"` + status + `"}`
	}
	resp := func(status, output string) string {
		return `"response":{"id":"resp_1","object":"response","created_at":1,"status":"` + status + `","model":"gpt-x","output":[` + output + `]}`
	}
	ev("response.created", resp("in_progress", ""))
	ev("response.output_item.added", `"output_index":0,"item":{"type":"message","id":"msg_1","status":"in_progress","role":"assistant","content":[]}`)
	for _, f := range frags(text, 8) {
		ev("response.output_text.delta", `"item_id":"msg_1","output_index":0,"content_index":0,"delta":`+jsonString(f)+`,"logprobs":[]`)
	}
	ev("response.output_text.done", `"item_id":"msg_1","output_index":0,"content_index":0,"text":`+jsonString(text)+`,"logprobs":[]`)
	ev("response.output_item.done", `"output_index":0,"item":`+msg)
	ev("response.output_item.added", `"output_index":1,"item":`+call("in_progress", ""))
	for _, f := range frags(args, 8) {
		ev("response.function_call_arguments.delta", `"item_id":"fc_1","output_index":1,"delta":`+jsonString(f))
	}
	ev("response.function_call_arguments.done", `"item_id":"fc_1","output_index":1,"name":"exec_command","arguments":`+jsonString(args))
	ev("response.output_item.done", `"output_index":1,"item":`+call("completed", args))
	ev("response.completed", resp("completed", msg+","+call("completed", args)))
	return s
}

func anthropicToolStream(cmd, text string) string {
	s := "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
	ev := func(typ, fields string) {
		if fields != "" {
			fields = "," + fields
		}
		s += fmt.Sprintf("event: %s\ndata: {\"type\":%q%s}\n\n", typ, typ, fields)
	}
	ev("content_block_start", `"index":0,"content_block":{"type":"text","text":""}`)
	for _, f := range frags(text, 8) {
		ev("content_block_delta", `"index":0,"delta":{"type":"text_delta","text":`+jsonString(f)+`}`)
	}
	ev("content_block_stop", `"index":0`)
	ev("content_block_start", `"index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}`)
	for _, f := range frags(`{"command": `+jsonString(cmd)+`}`, 8) {
		ev("content_block_delta", `"index":1,"delta":{"type":"input_json_delta","partial_json":`+jsonString(f)+`}`)
	}
	ev("content_block_stop", `"index":1`)
	ev("message_delta", `"delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":2}`)
	ev("message_stop", "")
	return s
}

// geminiToolStream is Gemini's stream: text over several chunks (the
// placeholder split between two), then the functionCall whole in one
// chunk, with CRLF line endings as Google sends them.
func geminiToolStream(cmd, text string) string {
	chunk := func(part, finish string) string {
		return `data: {"candidates":[{"content":{"role":"model","parts":[` + part + `]},"index":0` + finish +
			`}],"modelVersion":"gemini-x","responseId":"r1"}` + "\r\n\r\n"
	}
	var s string
	for _, f := range frags(text, 16) {
		s += chunk(`{"text":`+jsonString(f)+`}`, "")
	}
	return s + chunk(`{"functionCall":{"name":"run_shell_command","args":{"command":`+jsonString(cmd)+`}}}`, `,"finishReason":"STOP"`)
}

// streamGot is what an SDK assembled: every copy of the text and of the
// tool call's command that it offers its caller.
type streamGot struct {
	texts, cmds []string
}

// command returns the command in a tool call's JSON arguments, or the
// arguments themselves if they are not such JSON.
func command(args string) string {
	var v struct {
		Cmd     *string `json:"cmd"`
		Command *string `json:"command"`
	}
	switch {
	case json.Unmarshal([]byte(args), &v) != nil:
		return args
	case v.Cmd != nil:
		return *v.Cmd
	case v.Command != nil:
		return *v.Command
	}
	return args
}

// streamAPI is one SDK streaming API. call streams prompt to root (a
// provider origin, or hush's base URL with the provider's prefix).
type streamAPI struct {
	name          string
	host, prefix  string
	texts, copies int // how many copies of the text and of the command the SDK offers
	call          func(ctx context.Context, hc *http.Client, root, prompt string) (streamGot, error)
}

var streamAPIs = []streamAPI{
	{"openai-chat", "api.openai.com", "openai", 1, 2, func(ctx context.Context, hc *http.Client, root, prompt string) (streamGot, error) {
		var g streamGot
		c := openai.NewClient(ooption.WithHTTPClient(hc), ooption.WithBaseURL(root+"/v1/"), ooption.WithAPIKey("sk-test"), ooption.WithMaxRetries(0))
		s := c.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{Model: "gpt-x",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)}})
		defer s.Close()
		var acc openai.ChatCompletionAccumulator
		for s.Next() {
			if !acc.AddChunk(s.Current()) {
				return g, fmt.Errorf("the accumulator refused chunk %s", s.Current().RawJSON())
			}
			if tc, ok := acc.JustFinishedToolCall(); ok {
				g.cmds = append(g.cmds, command(tc.Arguments))
			}
		}
		if err := s.Err(); err != nil {
			return g, err
		}
		for _, ch := range acc.Choices {
			g.texts = append(g.texts, ch.Message.Content)
			for _, tc := range ch.Message.ToolCalls {
				g.cmds = append(g.cmds, command(tc.Function.Arguments))
			}
		}
		return g, nil
	}},
	{"openai-responses", "api.openai.com", "openai", 3, 4, func(ctx context.Context, hc *http.Client, root, prompt string) (streamGot, error) {
		var g streamGot
		c := openai.NewClient(ooption.WithHTTPClient(hc), ooption.WithBaseURL(root+"/v1/"), ooption.WithAPIKey("sk-test"), ooption.WithMaxRetries(0))
		s := c.Responses.NewStreaming(ctx, responses.ResponseNewParams{Model: "gpt-x",
			Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(prompt)}})
		defer s.Close()
		var text, args strings.Builder
		for s.Next() {
			switch ev := s.Current(); ev.Type {
			case "response.output_text.delta":
				text.WriteString(ev.Delta)
			case "response.output_text.done":
				g.texts = append(g.texts, ev.Text)
			case "response.function_call_arguments.delta":
				args.WriteString(ev.Delta)
			case "response.function_call_arguments.done":
				g.cmds = append(g.cmds, command(ev.Arguments))
			case "response.output_item.done":
				if ev.Item.Type == "function_call" {
					g.cmds = append(g.cmds, command(ev.Item.AsFunctionCall().Arguments))
				}
			case "response.completed":
				g.texts = append(g.texts, ev.Response.OutputText())
				for _, it := range ev.Response.Output {
					if it.Type == "function_call" {
						g.cmds = append(g.cmds, command(it.AsFunctionCall().Arguments))
					}
				}
			}
		}
		g.texts = append(g.texts, text.String())
		g.cmds = append(g.cmds, command(args.String()))
		return g, s.Err()
	}},
	{"anthropic", "api.anthropic.com", "anthropic", 1, 2, func(ctx context.Context, hc *http.Client, root, prompt string) (streamGot, error) {
		var g streamGot
		c := anthropic.NewClient(aoption.WithHTTPClient(hc), aoption.WithBaseURL(root+"/"), aoption.WithAPIKey("sk-ant-test"), aoption.WithMaxRetries(0))
		s := c.Messages.NewStreaming(ctx, anthropic.MessageNewParams{Model: "claude-x", MaxTokens: 100,
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(prompt))}})
		defer s.Close()
		var m anthropic.Message
		var partial strings.Builder
		for s.Next() {
			ev := s.Current()
			if err := m.Accumulate(ev); err != nil {
				return g, err
			}
			if ev.Type == "content_block_delta" && ev.Delta.Type == "input_json_delta" {
				partial.WriteString(ev.Delta.PartialJSON)
			}
		}
		if err := s.Err(); err != nil {
			return g, err
		}
		for _, b := range m.Content {
			switch b.Type {
			case "text":
				g.texts = append(g.texts, b.Text)
			case "tool_use":
				g.cmds = append(g.cmds, command(string(b.Input)))
			}
		}
		g.cmds = append(g.cmds, command(partial.String()))
		return g, nil
	}},
	{"gemini", "generativelanguage.googleapis.com", "gemini", 1, 1, func(ctx context.Context, hc *http.Client, root, prompt string) (streamGot, error) {
		var g streamGot
		c, err := genai.NewClient(ctx, &genai.ClientConfig{APIKey: "gemini-test", Backend: genai.BackendGeminiAPI, HTTPClient: hc,
			HTTPOptions: genai.HTTPOptions{BaseURL: root + "/", APIVersion: "v1beta"}})
		if err != nil {
			return g, err
		}
		var text strings.Builder
		for r, err := range c.Models.GenerateContentStream(ctx, "gemini-x", genai.Text(prompt), nil) {
			if err != nil {
				return g, err
			}
			for _, cand := range r.Candidates {
				if cand.Content == nil {
					continue
				}
				for _, p := range cand.Content.Parts {
					text.WriteString(p.Text)
					if p.FunctionCall != nil {
						cmd, _ := p.FunctionCall.Args["command"].(string)
						g.cmds = append(g.cmds, cmd)
					}
				}
			}
		}
		g.texts = append(g.texts, text.String())
		return g, nil
	}},
}

// streamMode is how an SDK reaches hush.
type streamMode struct {
	name   string
	client func(e *env) *http.Client
	root   func(e *env, api streamAPI) string
}

var streamModes = []streamMode{
	{"proxy", func(e *env) *http.Client { return e.client(false) },
		func(_ *env, api streamAPI) string { return "https://" + api.host }},
	{"proxy-h2", func(e *env) *http.Client { return e.client(true) },
		func(_ *env, api streamAPI) string { return "https://" + api.host }},
	{"base", func(e *env) *http.Client {
		tr := &http.Transport{}
		e.t.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr}
	}, func(e *env, api streamAPI) string { return e.baseURL + "/" + api.prefix }},
}

// runStream makes one streaming call whose prompt holds pat and e.known
// and is tagged with tag, and checks what the SDK assembled: the command
// with the values (restored) or with the placeholders the fake received,
// and the text with the placeholder, in every copy.
func runStream(e *env, api streamAPI, mode streamMode, hc *http.Client, pat, tag string, restored bool) error {
	prompt := fmt.Sprintf("[%s] push with %s, then deploy with %s", tag, pat, e.known)
	got, err := api.call(context.Background(), hc, mode.root(e, api), prompt)
	if err != nil {
		return fmt.Errorf("SDK: %w", err)
	}
	var phPat, phKnown string
	for _, r := range e.fake.requests() {
		if strings.Contains(string(r.Body), "["+tag+"]") {
			phPat, phKnown = learnPlaceholders(r.Body)
		}
	}
	if phKnown == "" || phPat == "" {
		return fmt.Errorf("the fake received no request tagged %s with both placeholders", tag)
	}
	wantCmd := streamCmd(phPat, phKnown)
	if restored {
		wantCmd = streamCmd(pat, e.known)
	}
	want := streamGot{texts: slices.Repeat([]string{streamText(phKnown)}, api.texts),
		cmds: slices.Repeat([]string{wantCmd}, api.copies)}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(streamGot{})); diff != "" {
		return fmt.Errorf("SDK assembled (-want +got):\n%s", diff)
	}
	return nil
}

// TestSDKStreamsRestoreToolCalls is the end-to-end test of restoring:
// each SDK's streaming API, through hush as HTTPS proxy (HTTP/1.1 and
// HTTP/2) and as base URL, must assemble tool calls holding the real
// values and text holding the placeholder; with rehydrate: hooks, the
// tool calls keep their placeholders.
func TestSDKStreamsRestoreToolCalls(t *testing.T) {
	pat := fakePAT(t)
	for _, rehydrate := range []string{RehydrateStream, RehydrateHooks} {
		e := newEnv(t, envOptions{rehydrate: rehydrate})
		e.fake.setRespond(fakeToolStreams)
		for _, mode := range streamModes {
			for _, api := range streamAPIs {
				name := fmt.Sprintf("rehydrate=%s/%s/%s", rehydrate, mode.name, api.name)
				t.Run(name, func(t *testing.T) {
					if err := runStream(e, api, mode, mode.client(e), pat, name, rehydrate != RehydrateHooks); err != nil {
						t.Error(err)
					}
				})
			}
		}
		e.assertNoLeak(pat, e.known)
		e.assertClean(pat, e.known)
	}
}

// TestSDKStreamsParallel runs 20 streams at once through one hush, over
// every API and mode, and wants every one of them right.
func TestSDKStreamsParallel(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.fake.setRespond(fakeToolStreams)
	pat := fakePAT(t)
	clients := make([]*http.Client, len(streamModes))
	for i, m := range streamModes {
		clients[i] = m.client(e)
	}
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			api, m := streamAPIs[i%len(streamAPIs)], i/len(streamAPIs)%len(streamModes)
			errs[i] = runStream(e, api, streamModes[m], clients[m], pat, fmt.Sprintf("parallel-%d", i), true)
		})
	}
	wg.Wait()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			t.Errorf("stream %d: %v", i, err)
		}
	}
	if failed != 0 {
		t.Errorf("%d of %d concurrent streams failed, want 0", failed, n)
	}
	if got := len(e.fake.requests()); got != n {
		t.Errorf("the fake received %d requests, want %d", got, n)
	}
	e.assertNoLeak(pat, e.known)
}
