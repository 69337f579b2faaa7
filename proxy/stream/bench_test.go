// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// The benchmarks measure what the rewriter adds to each event: a source
// hands over one event per Read, as a network connection would, and the
// time per event through NewSSE is compared with the time through a bare
// reader in the same run (BenchmarkSSE/.../passthrough). Run:
//
//	go test -run XXX -bench SSE -benchtime 200x ./proxy/stream

// eventSource returns one event per Read.
type eventSource struct {
	events [][]byte
	i      int
}

func (s *eventSource) Read(p []byte) (int, error) {
	if s.i == len(s.events) {
		return 0, io.EOF
	}
	n := copy(p, s.events[s.i])
	if n < len(s.events[s.i]) {
		s.events[s.i] = s.events[s.i][n:]
		return n, nil
	}
	s.i++
	return n, nil
}

// benchStream returns a realistic stream of api: 200 text deltas of prose
// with a placeholder in it, then a tool call whose arguments (with two
// placeholders) arrive in 40 deltas.
func benchStream(api API, ph string) [][]byte {
	var evs []string
	words := strings.Fields("the quick brown fox jumps over the lazy dog and then reads " + ph + " from the config file before it runs the tests")
	text := func(i int) string { return words[i%len(words)] + " " + words[(i+3)%len(words)] + " " }
	args := `{"command":"deploy --token ` + ph + ` --verbose && curl -s https://example.com/health && echo ` + ph + ` | wc -c","description":"deploy and check"}`
	var frags []string
	for i := 0; i < len(args); i += len(args)/40 + 1 {
		frags = append(frags, args[i:min(len(args), i+len(args)/40+1)])
	}
	q := func(s string) string { return string(escJSON([]byte(s))) }
	switch api {
	case Anthropic:
		evs = append(evs, `event: message_start`+"\n"+`data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":10,"output_tokens":1}}}`)
		evs = append(evs, `event: content_block_start`+"\n"+`data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)
		for i := range 200 {
			evs = append(evs, `event: content_block_delta`+"\n"+`data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`+q(text(i))+`"}}`)
		}
		evs = append(evs, `event: content_block_stop`+"\n"+`data: {"type":"content_block_stop","index":0}`)
		evs = append(evs, `event: content_block_start`+"\n"+`data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}}`)
		for _, f := range frags {
			evs = append(evs, `event: content_block_delta`+"\n"+`data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"`+q(f)+`"}}`)
		}
		evs = append(evs, `event: content_block_stop`+"\n"+`data: {"type":"content_block_stop","index":1}`)
		evs = append(evs, `event: message_stop`+"\n"+`data: {"type":"message_stop"}`)
	case OpenAIChat:
		chunk := func(delta string) string {
			return `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-x","choices":[{"index":0,"delta":` + delta + `,"logprobs":null,"finish_reason":null}],"usage":null}`
		}
		for i := range 200 {
			evs = append(evs, chunk(`{"content":"`+q(text(i))+`"}`))
		}
		evs = append(evs, chunk(`{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"run","arguments":""}}]}`))
		for _, f := range frags {
			evs = append(evs, chunk(`{"tool_calls":[{"index":0,"function":{"arguments":"`+q(f)+`"}}]}`))
		}
		evs = append(evs, `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-x","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}`, `data: [DONE]`)
	case OpenAIResponses:
		seq := 0
		ev := func(typ, rest string) {
			evs = append(evs, fmt.Sprintf("event: %s\ndata: {\"type\":%q,\"sequence_number\":%d,%s}", typ, typ, seq, rest))
			seq++
		}
		ev("response.output_item.added", `"output_index":0,"item":{"type":"message","id":"msg_1","role":"assistant","content":[]}`)
		for i := range 200 {
			ev("response.output_text.delta", `"item_id":"msg_1","output_index":0,"content_index":0,"delta":"`+q(text(i))+`","logprobs":[]`)
		}
		ev("response.output_item.added", `"output_index":1,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"exec_command","arguments":""}`)
		for _, f := range frags {
			ev("response.function_call_arguments.delta", `"item_id":"fc_1","output_index":1,"delta":"`+q(f)+`"`)
		}
		ev("response.function_call_arguments.done", `"item_id":"fc_1","output_index":1,"arguments":"`+q(args)+`"`)
	case Gemini:
		for i := range 200 {
			evs = append(evs, `data: {"candidates":[{"content":{"role":"model","parts":[{"text":"`+q(text(i))+`"}]},"index":0}],"modelVersion":"gemini-x","responseId":"r1"}`)
		}
		evs = append(evs, `data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"run_shell_command","args":`+args+`}}]},"index":0,"finishReason":"STOP"}],"modelVersion":"gemini-x","responseId":"r1"}`)
	}
	out := make([][]byte, len(evs))
	for i, e := range evs {
		out[i] = []byte(e + "\n\n")
	}
	return out
}

func BenchmarkSSE(b *testing.B) {
	r, _, ph := testRedactor(b)
	for _, api := range []API{OpenAIChat, OpenAIResponses, Anthropic, Gemini} {
		events := benchStream(api, ph)
		size := 0
		for _, e := range events {
			size += len(e)
		}
		for _, mode := range []string{"passthrough", "rewrite"} {
			b.Run(api.String()+"/"+mode, func(b *testing.B) {
				b.SetBytes(int64(size))
				buf := make([]byte, 32<<10)
				var busy time.Duration
				for b.Loop() {
					src := &eventSource{events: append([][]byte(nil), events...)}
					var rd io.Reader = src
					if mode == "rewrite" {
						rd = NewSSE(api, io.NopCloser(src), Options{Redactor: r, Rehydrate: true})
					}
					start := time.Now()
					for {
						if _, err := rd.Read(buf); err != nil {
							break
						}
					}
					busy += time.Since(start)
				}
				b.ReportMetric(float64(busy.Nanoseconds())/float64(b.N*len(events)), "ns/event")
			})
		}
	}
}

// BenchmarkRewriteJSON is the throughput on a large non-streamed body: a
// message of 1 MiB of text and a tool call.
func BenchmarkRewriteJSON(b *testing.B) {
	r, _, ph := testRedactor(b)
	words := strings.Fields("the quick brown fox jumps over the lazy dog and then reads " + ph + " from the config file")
	var text strings.Builder
	for i := 0; text.Len() < 1<<20; i++ {
		text.WriteString(words[i%len(words)] + " ")
	}
	body := []byte(`{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"` + text.String() +
		`"},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"deploy --token ` + ph + `"}}],"stop_reason":"tool_use"}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := RewriteJSON(Anthropic, body, Options{Redactor: r, Rehydrate: true}); err != nil {
			b.Fatal(err)
		}
	}
}
