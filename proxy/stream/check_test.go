// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// An independent reading of what a client receives: events split the way
// the SDKs split them, then the tool calls and texts assembled from their
// deltas the way the SDKs assemble them. The rewriter must keep every copy
// in agreement, and every event valid.

type clientEvent struct {
	name string
	data string
}

func clientEvents(t testing.TB, out []byte) []clientEvent {
	t.Helper()
	s := strings.ReplaceAll(string(out), "\r\n", "\n")
	var evs []clientEvent
	for _, block := range strings.Split(s, "\n\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		var ev clientEvent
		var data []string
		for _, line := range strings.Split(block, "\n") {
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimPrefix(v, " ")
			switch k {
			case "event":
				ev.name = v
			case "data":
				data = append(data, v)
			}
		}
		ev.data = strings.Join(data, "\n")
		evs = append(evs, ev)
	}
	return evs
}

type obj = map[string]any

func decode(t testing.TB, s string) obj {
	t.Helper()
	var o obj
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatalf("client event data is not a JSON object: %v: %q", err, s)
	}
	return o
}

func str(v any) string { s, _ := v.(string); return s }

func at(o any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := o.(obj)
			o = m[k]
		case int:
			a, _ := o.([]any)
			if k >= len(a) {
				return nil
			}
			o = a[k]
		}
	}
	return o
}

// checkStream checks out, a rewritten stream or body of api.
func checkStream(t testing.TB, api API, isJSON bool, in, out []byte) {
	t.Helper()
	if isJSON {
		if json.Valid(in) && !json.Valid(out) {
			t.Fatalf("rewritten body is not JSON: %q", out)
		}
		return
	}
	evs := clientEvents(t, out)
	if api == Generic {
		return
	}
	acc := map[string]*strings.Builder{}
	add := func(key, s string) {
		if acc[key] == nil {
			acc[key] = &strings.Builder{}
		}
		acc[key].WriteString(s)
	}
	expect := func(key, whole string) {
		if got := acc[key].String(); acc[key] != nil && got != whole {
			t.Errorf("%s: deltas assemble to %q, a whole copy says %q", key, got, whole)
		}
	}
	seq := -1
	for _, ev := range evs {
		if ev.data == "[DONE]" || ev.data == "" {
			continue
		}
		o := decode(t, ev.data)
		switch api {
		case OpenAIChat:
			for _, ch := range anySlice(o["choices"]) {
				ci := fmt.Sprint(at(ch, "index"))
				add("text/"+ci, str(at(ch, "delta", "content")))
				for _, tc := range anySlice(at(ch, "delta", "tool_calls")) {
					add("call/"+ci+"/"+fmt.Sprint(at(tc, "index")), str(at(tc, "function", "arguments"))+str(at(tc, "custom", "input")))
				}
			}
		case OpenAIResponses:
			typ := str(o["type"])
			if ev.name != "" && ev.name != typ {
				t.Errorf("event: %s carries type %s", ev.name, typ)
			}
			n, ok := o["sequence_number"].(float64)
			if ok {
				if seq >= 0 && int(n) != seq+1 {
					t.Errorf("%s: sequence_number %v after %d", typ, n, seq)
				}
				seq = int(n)
			}
			id := str(o["item_id"])
			switch typ {
			case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta", "response.output_text.delta", "response.reasoning_summary_text.delta":
				add(id, str(o["delta"]))
			case "response.function_call_arguments.done":
				expect(id, str(o["arguments"]))
			case "response.custom_tool_call_input.done":
				expect(id, str(o["input"]))
			case "response.output_text.done", "response.reasoning_summary_text.done":
				expect(id, str(o["text"]))
			case "response.output_item.done":
				checkItem(expect, at(o, "item"))
			case "response.completed":
				for _, item := range anySlice(at(o, "response", "output")) {
					checkItem(expect, item)
				}
			}
		case Anthropic:
			typ := str(o["type"])
			if ev.name != typ {
				t.Errorf("event: %s carries type %s", ev.name, typ)
			}
			key := fmt.Sprint(o["index"])
			switch typ {
			case "content_block_delta":
				add(key, str(at(o, "delta", "partial_json"))+str(at(o, "delta", "text"))+str(at(o, "delta", "thinking")))
			case "content_block_start":
				if str(at(o, "content_block", "type")) == "tool_use" {
					add(key+"/tool", "")
				}
			case "content_block_stop":
				if acc[key+"/tool"] != nil && acc[key] != nil && acc[key].Len() > 0 && !json.Valid([]byte(acc[key].String())) {
					t.Errorf("tool_use block %s: partial_json assembles to invalid JSON %q", key, acc[key].String())
				}
			}
		}
	}
	if api == OpenAIChat {
		for k, b := range acc {
			if strings.HasPrefix(k, "call/") && b.Len() > 0 && !json.Valid([]byte(b.String())) && !strings.Contains(k, "custom") {
				t.Logf("%s: arguments assemble to non-JSON %q (fine for a custom tool)", k, b.String())
			}
		}
	}
}

func checkItem(expect func(key, whole string), item any) {
	id := str(at(item, "id"))
	switch str(at(item, "type")) {
	case "function_call":
		expect(id, str(at(item, "arguments")))
	case "custom_tool_call":
		expect(id, str(at(item, "input")))
	case "message":
		var b strings.Builder
		for _, p := range anySlice(at(item, "content")) {
			b.WriteString(str(at(p, "text")))
		}
		expect(id, b.String())
	}
}

func anySlice(v any) []any { a, _ := v.([]any); return a }
