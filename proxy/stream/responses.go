// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"strconv"
	"strings"
)

// responsesAdapter is the OpenAI Responses API (WIRE.md section 2), which
// Codex speaks. Tool calls are output items keyed by item ID; their
// arguments arrive as deltas and again, whole, in the .done event,
// output_item.done and the terminal response.completed. Every copy is
// rewritten the same way: Codex trusts output_item.done, the SDK's stream
// helper the deltas. Events are numbered; inserted events take the next
// number and the rest shift.
type responsesAdapter struct{}

// Delta event types that carry text, by the name of their index field.
var responsesText = map[string]string{
	"response.output_text":            "content_index",
	"response.refusal":                "content_index",
	"response.reasoning_text":         "content_index",
	"response.reasoning_summary_text": "summary_index",
}

// responsesTextOrder is responsesText's keys in a fixed order: channels
// must end in the same order on every run.
var responsesTextOrder = []string{"response.output_text", "response.refusal", "response.reasoning_text", "response.reasoning_summary_text"}

func (a *responsesAdapter) event(x *rewriter, c *event, name string) {
	if !c.json {
		return
	}
	d := c.doc
	if n := d.get("sequence_number"); n.ok() {
		if _, ok := n.int(); ok {
			c.seq = n
		}
	}
	typ := d.get("type").text()
	if typ == "" {
		typ = name
	}
	base, suffix := typ, ""
	if i := strings.LastIndexByte(typ, '.'); i >= 0 {
		base, suffix = typ[:i], typ[i:]
	}
	switch {
	case typ == "response.output_item.added":
		a.itemAdded(x, c, d.get("item"), d.get("output_index"))
	case typ == "response.output_item.done":
		item := d.get("item")
		x.finishGroup(c, "item/"+item.get("id").text())
		a.item(x, c, item)
	case base == "response.function_call_arguments" || base == "response.custom_tool_call_input":
		a.callEvent(x, c, d, base, suffix)
	case responsesText[base] != "" && (suffix == ".delta" || suffix == ".done"):
		a.textEvent(x, c, d, base, suffix)
	case typ == "response.content_part.done" || typ == "response.reasoning_summary_part.done" ||
		typ == "response.content_part.added" || typ == "response.reasoning_summary_part.added":
		a.partEvent(x, c, d, typ)
	case typ == "response.completed" || typ == "response.incomplete" || typ == "response.failed" || typ == "error":
		// Held-back bytes go out before the stream's end, as upstream
		// sent them.
		x.finishAll(c)
		a.response(x, c, d.get("response"))
	case strings.HasPrefix(typ, "response."):
		a.response(x, c, d.get("response"))
	}
}

// callEvent handles function_call_arguments and custom_tool_call_input
// .delta and .done.
func (a *responsesAdapter) callEvent(x *rewriter, c *event, d val, base, suffix string) {
	id := d.get("item_id").text()
	key := "call/" + id
	switch suffix {
	case ".delta":
		ch := x.lookupChan(key)
		if ch == nil {
			// Deltas without output_item.added: a call of unknown name.
			kind := "function_call"
			if base == "response.custom_tool_call_input" {
				kind = "custom_tool_call"
			}
			ch = a.openCall(x, kind, d.get("item_id"), d.get("output_index"), Call{})
		}
		x.fragment(c, ch, d.get("delta"))
	case ".done":
		if ch := x.lookupChan(key); ch != nil {
			x.finish(c, ch)
		}
		field, kind := "arguments", "function_call"
		if base == "response.custom_tool_call_input" {
			field, kind = "input", "custom_tool_call"
		}
		x.callCopy(c, a.callFor(x, id, kind, Call{}), d.get(field), nil)
	}
}

// textEvent handles the text deltas and their .done.
func (a *responsesAdapter) textEvent(x *rewriter, c *event, d val, base, suffix string) {
	id := d.get("item_id").text()
	idxField := responsesText[base]
	key := base + "/" + id + "/" + string(d.get(idxField).raw())
	if suffix == ".delta" {
		x.seen[id] = true
		itemID, out, idx := clone(d.get("item_id").raw()), clone(d.get("output_index").raw()), clone(d.get(idxField).raw())
		ch := x.openText(key, "item/"+id, func(content []byte, seq int) synthetic {
			b := append([]byte(`{"type":"`), base...)
			b = append(b, `.delta","sequence_number":`...)
			b = strconv.AppendInt(b, int64(seq), 10)
			b = appendRaw(b, "item_id", itemID)
			b = appendRaw(b, "output_index", out)
			b = appendRaw(b, idxField, idx)
			b = appendStringField(append(b, ','), "delta", content, '}')
			if base == "response.output_text" {
				b = append(b[:len(b)-1], `,"logprobs":[]}`...)
			}
			return synthetic{name: base + ".delta", data: b}
		})
		x.fragment(c, ch, d.get("delta"))
		return
	}
	if ch := x.lookupChan(key); ch != nil {
		x.finish(c, ch)
	}
	field := "text"
	if base == "response.refusal" {
		field = "refusal"
	}
	x.textCopy(c, d.get(field), !x.seen[id])
}

// partEvent handles content_part and reasoning_summary_part events, which
// repeat a part's whole text.
func (a *responsesAdapter) partEvent(x *rewriter, c *event, d val, typ string) {
	id := d.get("item_id").text()
	part := d.get("part")
	if strings.HasSuffix(typ, ".done") {
		for _, base := range responsesTextOrder {
			idxField := responsesText[base]
			if ch := x.lookupChan(base + "/" + id + "/" + string(d.get(idxField).raw())); ch != nil {
				x.finish(c, ch)
			}
		}
	}
	a.textParts(x, c, part, !x.seen[id])
}

func (a *responsesAdapter) textParts(x *rewriter, c *event, part val, report bool) {
	x.textCopy(c, part.get("text"), report)
	x.textCopy(c, part.get("refusal"), report)
}

// itemAdded opens the channel of a streamed call, or takes a whole item.
func (a *responsesAdapter) itemAdded(x *rewriter, c *event, item, outIdx val) {
	typ := item.get("type").text()
	if typ != "function_call" && typ != "custom_tool_call" {
		a.item(x, c, item)
		return
	}
	ch := a.openCall(x, typ, item.get("id"), outIdx, Call{Tool: item.get("name").text(), ID: item.get("call_id").text()})
	field := "arguments"
	if typ == "custom_tool_call" {
		field = "input"
	}
	x.fragment(c, ch, item.get(field))
}

// openCall opens a call's arguments channel and remembers the call for
// its later copies.
func (a *responsesAdapter) openCall(x *rewriter, kind string, itemID, outIdx val, call Call) *channel {
	id := itemID.text()
	st := x.newCall(call, escFor(kind, call.Tool))
	x.remember(id, st)
	delta := "response.function_call_arguments.delta"
	if kind == "custom_tool_call" {
		delta = "response.custom_tool_call_input.delta"
	}
	idRaw, outRaw := clone(itemID.raw()), clone(outIdx.raw())
	return x.openCall("call/"+id, "item/"+id, st, func(content []byte, seq int) synthetic {
		b := append([]byte(`{"type":"`), delta...)
		b = append(b, `","sequence_number":`...)
		b = strconv.AppendInt(b, int64(seq), 10)
		b = appendRaw(b, "item_id", idRaw)
		b = appendRaw(b, "output_index", outRaw)
		b = appendStringField(append(b, ','), "delta", content, '}')
		return synthetic{name: delta, data: b}
	})
}

// callFor returns the remembered call of an item, or a new one.
func (a *responsesAdapter) callFor(x *rewriter, id, kind string, call Call) *callState {
	if st, ok := x.calls[id]; ok && id != "" {
		return st
	}
	st := x.newCall(call, escFor(kind, call.Tool))
	if id != "" {
		x.remember(id, st)
	}
	return st
}

// escFor returns how values are escaped into an item's arguments.
func escFor(kind, tool string) func([]byte) []byte {
	switch kind {
	case "custom_tool_call":
		return customEscape(tool)
	case "function_call":
		return escJSONinJSON
	}
	return escRawInJSON // an action object
}

// item rewrites one whole output item: in output_item.done, in
// response.completed, or in a non-streamed response.
func (a *responsesAdapter) item(x *rewriter, c *event, item val) {
	id := item.get("id").text()
	report := !x.seen[id]
	call := Call{Tool: item.get("name").text(), ID: item.get("call_id").text()}
	switch typ := item.get("type").text(); typ {
	case "function_call":
		x.callCopy(c, a.callFor(x, id, typ, call), item.get("arguments"), nil)
	case "custom_tool_call":
		x.callCopy(c, a.callFor(x, id, typ, call), item.get("input"), nil)
	case "local_shell_call", "shell_call":
		// Executed by the client, whole: an argv array (and env) or a
		// list of commands, inside a JSON object.
		call.Tool = strings.TrimSuffix(typ, "_call")
		x.callCopy(c, a.callFor(x, id, typ, call), item.get("action"), nil)
	case "message":
		item.get("content").elems(func(_ int, part val) { a.textParts(x, c, part, report) })
	case "reasoning":
		item.get("summary").elems(func(_ int, part val) { a.textParts(x, c, part, report) })
		item.get("content").elems(func(_ int, part val) { a.textParts(x, c, part, report) })
		x.claim(c, item.get("encrypted_content"))
	}
	if id != "" {
		if len(x.seen) >= maxCalls {
			clear(x.seen)
		}
		x.seen[id] = true
	}
}

// response rewrites the output of a response object.
func (a *responsesAdapter) response(x *rewriter, c *event, resp val) {
	resp.get("output").elems(func(_ int, item val) { a.item(x, c, item) })
}

// body rewrites a non-streamed response object.
func (a *responsesAdapter) body(x *rewriter, c *event) {
	a.response(x, c, c.doc)
}

// appendRaw appends ,"name":raw when raw is not empty.
func appendRaw(b []byte, name string, raw []byte) []byte {
	if len(raw) == 0 {
		return b
	}
	b = append(append(append(b, `,"`...), name...), `":`...)
	return append(b, raw...)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
