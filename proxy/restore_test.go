// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// anthropicToolReply answers with a text block and a tool_use whose
// command holds the placeholder, streamed in tiny pieces or as JSON.
func anthropicToolReply(ph string, stream bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !stream {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[`+
				`{"type":"text","text":"I will use %s now."},`+
				`{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"deploy --token %s"}}],`+
				`"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}`, ph, ph)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		args, _ := json.Marshal(`{"command": "deploy --token ` + ph + `"}`)
		events := `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I will use ` + ph + ` now."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":` + string(args) + `}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":2}}

event: message_stop
data: {"type":"message_stop"}

`
		f := w.(http.Flusher)
		for i := 0; i < len(events); i += 3 {
			io.WriteString(w, events[i:min(len(events), i+3)])
			f.Flush()
		}
	}
}

// TestRestoreThroughProxy sends a secret through hush, lets the fake
// provider answer with a tool call that uses the placeholder it received,
// and checks what the client gets: the real value in the tool call, the
// placeholder in the text; with rehydrate: hooks, the placeholder in both.
func TestRestoreThroughProxy(t *testing.T) {
	for _, mode := range []string{"", RehydrateStream, RehydrateHooks, RehydrateBoth} {
		for _, streamed := range []bool{false, true} {
			t.Run(fmt.Sprintf("mode=%q/stream=%v", mode, streamed), func(t *testing.T) {
				e := newEnv(t, envOptions{rehydrate: mode})
				body := `{"model":"m","max_tokens":10,"stream":` + fmt.Sprint(streamed) +
					`,"messages":[{"role":"user","content":"deploy with ` + e.known + `"}]}`
				// First the fake learns the placeholder from what it received.
				e.fake.setRespond(func(w http.ResponseWriter, r *http.Request) {
					ph := placeholderRE.FindString(string(e.fake.requests()[len(e.fake.requests())-1].Body))
					if ph == "" {
						http.Error(w, "no placeholder", 500)
						return
					}
					anthropicToolReply(ph, streamed)(w, r)
				})
				resp, err := e.client(false).Post("https://api.anthropic.com/v1/messages", "application/json", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				e.assertNoLeak(e.known)
				text, command := assembleAnthropic(t, got, streamed)
				if strings.Contains(text, e.known) || !placeholderRE.MatchString(text) {
					t.Errorf("text = %q, want the placeholder, never the value", text)
				}
				wantValue := mode != RehydrateHooks
				if strings.Contains(command, e.known) != wantValue {
					t.Errorf("command = %q; holds the value: %v, want %v", command, !wantValue, wantValue)
				}
			})
		}
	}
}

// assembleAnthropic returns the text and the tool call's command from a
// Messages response, streamed or not.
func assembleAnthropic(t *testing.T, body []byte, streamed bool) (text, command string) {
	t.Helper()
	var input string
	if !streamed {
		var m struct {
			Content []struct {
				Type  string          `json:"type"`
				Text  string          `json:"text"`
				Input json.RawMessage `json:"input"`
			} `json:"content"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("response %q: %v", body, err)
		}
		for _, c := range m.Content {
			text += c.Text
			if c.Type == "tool_use" {
				input = string(c.Input)
			}
		}
	} else {
		for _, line := range strings.Split(string(body), "\n") {
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			var ev struct {
				Delta struct {
					Text        string `json:"text"`
					PartialJSON string `json:"partial_json"`
				} `json:"delta"`
			}
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Fatalf("event %q: %v", data, err)
			}
			text += ev.Delta.Text
			input += ev.Delta.PartialJSON
		}
	}
	var in struct {
		Command string `json:"command"`
	}
	if err := json.Unmarshal([]byte(input), &in); err != nil {
		t.Fatalf("tool input %q: %v", input, err)
	}
	return text, in.Command
}
