// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"strconv"
)

// chatAdapter is OpenAI Chat Completions (WIRE.md section 1): chunks of
// choices whose deltas carry text (content, and the reasoning fields that
// compatible servers add) and tool_calls keyed by choice index and call
// index. A choice ends at its finish_reason, the stream at [DONE].
type chatAdapter struct {
	cur []byte // the chunk being rewritten: the envelope of inserted chunks
	env []byte // a copy of the last chunk, for chunks inserted at [DONE] or EOF
}

// chatText are the delta fields that carry text.
var chatText = []string{"content", "reasoning_content", "reasoning", "refusal"}

func (a *chatAdapter) event(x *rewriter, c *event, _ string) {
	if !c.json {
		if string(bytes.TrimSpace(c.data)) == "[DONE]" {
			x.finishAll(c)
		}
		return
	}
	if c.doc.get("error").ok() {
		// The stream ends here; held-back bytes go out before it.
		x.finishAll(c)
		return
	}
	a.cur = c.data
	defer func() {
		a.cur = nil
		if len(x.open) > 0 && len(c.data) <= maxEnvelope {
			a.env = append(a.env[:0], c.data...)
		}
	}()
	c.doc.get("choices").elems(func(pos int, choice val) {
		ci := indexOr(choice.get("index"), pos)
		group := "c" + strconv.Itoa(ci)
		delta := choice.get("delta")
		if b, _ := delta.get("content").str(); len(b) > 0 {
			// Reasoning ends where the answer starts: what its
			// channel held goes out first.
			for _, f := range chatText[1:3] {
				if ch := x.lookupChan(group + "/" + f); ch != nil {
					x.finish(c, ch)
				}
			}
		}
		for _, f := range chatText {
			if v := delta.get(f); v.isStr() {
				ch := x.openText(group+"/"+f, group, a.synth(ci, func(b []byte, s []byte) []byte {
					return appendStringField(append(b, '{'), f, s, '}')
				}))
				x.fragment(c, ch, v)
			}
		}
		calls := delta.get("function_call").isObj()
		delta.get("tool_calls").elems(func(int, val) { calls = true })
		if calls {
			// Text ends where tool calls start: what its channels held
			// goes out first. Sent after the calls' deltas, it would end
			// the call early for the SDKs' accumulators
			// (JustFinishedToolCall with half its arguments).
			for _, f := range chatText {
				if ch := x.lookupChan(group + "/" + f); ch != nil {
					x.finish(c, ch)
				}
			}
		}
		delta.get("tool_calls").elems(func(pos int, tc val) {
			a.toolCall(x, c, ci, group, pos, tc)
		})
		if fc := delta.get("function_call"); fc.isObj() {
			a.legacyCall(x, c, ci, group, fc)
		}
		if choice.get("finish_reason").present() {
			x.finishGroup(c, group)
		}
	})
}

// toolCall feeds one tool_calls[] delta.
func (a *chatAdapter) toolCall(x *rewriter, c *event, ci int, group string, pos int, tc val) {
	ti := indexOr(tc.get("index"), pos)
	key := group + "/t" + strconv.Itoa(ti)
	id := tc.get("id").text()
	fn, cu := tc.get("function"), tc.get("custom")
	ch := x.lookupChan(key)
	if ch != nil && ch.call != nil && id != "" && ch.call.call.ID != "" && id != ch.call.call.ID {
		// Some compatible servers reuse index 0 and tell calls apart by
		// id only: a new id ends the previous call.
		x.finish(c, ch)
		ch = nil
	}
	custom := cu.ok() || tc.get("type").is("custom")
	if ch == nil {
		name := fn.get("name").text()
		esc := escJSONinJSON
		if custom {
			name = cu.get("name").text()
			esc = customEscape(name)
		}
		st := x.newCall(Call{Tool: name, ID: id}, esc)
		ch = x.openCall(key, group, st, a.synth(ci, func(b []byte, s []byte) []byte {
			b = append(b, `{"tool_calls":[{"index":`...)
			b = strconv.AppendInt(b, int64(ti), 10)
			if custom {
				b = appendStringField(append(b, `,"type":"custom","custom":{`...), "input", s, '}')
			} else {
				b = appendStringField(append(b, `,"function":{`...), "arguments", s, '}')
			}
			return append(b, "}]}"...)
		}))
	} else if ch.call != nil && ch.call.call.Tool == "" {
		ch.call.call.Tool = fn.get("name").text() + cu.get("name").text()
	}
	x.fragment(c, ch, fn.get("arguments"))
	x.fragment(c, ch, cu.get("input"))
}

// legacyCall feeds the deprecated delta.function_call.
func (a *chatAdapter) legacyCall(x *rewriter, c *event, ci int, group string, fc val) {
	key := group + "/fc"
	ch := x.lookupChan(key)
	if ch == nil {
		st := x.newCall(Call{Tool: fc.get("name").text()}, escJSONinJSON)
		ch = x.openCall(key, group, st, a.synth(ci, func(b []byte, s []byte) []byte {
			return append(appendStringField(append(b, `{"function_call":{`...), "arguments", s, '}'), '}')
		}))
	}
	x.fragment(c, ch, fc.get("arguments"))
}

// synth returns a builder of chunks carrying one choice's delta: the
// current (or last) chunk with its choices replaced and any usage nulled,
// so ids, model and created match the chunks around it.
func (a *chatAdapter) synth(ci int, delta func(b, s []byte) []byte) func([]byte, int) synthetic {
	return func(content []byte, _ int) synthetic {
		choices := append([]byte(`[{"index":`), strconv.Itoa(ci)...)
		choices = delta(append(choices, `,"delta":`...), content)
		choices = append(choices, `,"finish_reason":null}]`...)
		base := a.cur
		doc, ok := parseDoc(base)
		if !ok || !doc.get("choices").ok() {
			base = a.env
			doc, ok = parseDoc(base)
		}
		if ok && doc.get("choices").ok() {
			edits := []edit{{doc.get("choices").s, doc.get("choices").e, choices}}
			if u := doc.get("usage"); u.present() {
				edits = append(edits, edit{u.s, u.e, []byte("null")})
			}
			return synthetic{data: bytes.Clone(applyEdits(base, edits))}
		}
		return synthetic{data: append(append([]byte(`{"object":"chat.completion.chunk","choices":`), choices...), '}')}
	}
}

// body rewrites a chat.completion object.
func (a *chatAdapter) body(x *rewriter, c *event) {
	c.doc.get("choices").elems(func(_ int, choice val) {
		msg := choice.get("message")
		for _, f := range chatText {
			x.textCopy(c, msg.get(f), true)
		}
		msg.get("tool_calls").elems(func(_ int, tc val) {
			id := tc.get("id").text()
			if cu := tc.get("custom"); cu.ok() {
				name := cu.get("name").text()
				x.callCopy(c, x.newCall(Call{Tool: name, ID: id}, customEscape(name)), cu.get("input"), nil)
				return
			}
			fn := tc.get("function")
			x.callCopy(c, x.newCall(Call{Tool: fn.get("name").text(), ID: id}, escJSONinJSON), fn.get("arguments"), nil)
		})
		if fc := msg.get("function_call"); fc.isObj() {
			x.callCopy(c, x.newCall(Call{Tool: fc.get("name").text()}, escJSONinJSON), fc.get("arguments"), nil)
		}
	})
}

// customEscape returns how a value is escaped into a custom (freeform)
// tool's input. Codex's code-mode tool "exec" takes JavaScript, where a
// value sits in a string literal; other freeform inputs (apply_patch, a
// grammar) take the value as it is.
func customEscape(tool string) func([]byte) []byte {
	if tool == "exec" {
		return escJSinJSON
	}
	return escRawInJSON
}

// indexOr returns v as an int, or def if v is not a number.
func indexOr(v val, def int) int {
	if n, ok := v.int(); ok {
		return n
	}
	return def
}

// appendStringField appends "name":"content" and then end. content is
// already escaped.
func appendStringField(b []byte, name string, content []byte, end byte) []byte {
	b = append(append(append(b, '"'), name...), `":"`...)
	b = append(append(b, content...), '"')
	return append(b, end)
}
