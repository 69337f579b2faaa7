// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

// anthropicAdapter is the Anthropic Messages API (WIRE.md section 3).
// Content blocks stream under their index between content_block_start and
// content_block_stop. A tool_use block's input arrives as input_json_delta
// fragments of JSON text; server_tool_use and other provider-run tools
// are scanned like text and never restored into. Thinking is text: its
// signature passes untouched, and what the thinking channel held back goes
// out before the signature_delta.
type anthropicAdapter struct{}

// Delta types and the field that carries their fragment.
var anthropicDeltas = map[string]string{
	"text_delta":       "text",
	"thinking_delta":   "thinking",
	"input_json_delta": "partial_json",
}

func (a *anthropicAdapter) event(x *rewriter, c *event, name string) {
	if !c.json {
		return
	}
	d := c.doc
	typ := d.get("type").text()
	if typ == "" {
		typ = name
	}
	idx := d.get("index")
	key := "b/" + string(idx.raw())
	switch typ {
	case "message_start":
		a.content(x, c, d.get("message").get("content"))
	case "content_block_start":
		a.blockStart(x, c, idx, key, d.get("content_block"))
	case "content_block_delta":
		delta := d.get("delta")
		dt := delta.get("type").text()
		ch := x.lookupChan(key)
		switch dt {
		case "signature_delta":
			if ch != nil {
				x.finish(c, ch)
			}
			x.claim(c, delta.get("signature"))
			return
		case "text_delta", "thinking_delta", "input_json_delta":
		default:
			return // citations_delta and the like: scanned as they are
		}
		if ch == nil {
			// A delta without its block start: scan it, never
			// restore, since the block might be a server tool's.
			ch = x.openText(key, key, a.synth(idx, dt))
		}
		x.fragment(c, ch, delta.get(anthropicDeltas[dt]))
	case "content_block_stop":
		if ch := x.lookupChan(key); ch != nil {
			x.finish(c, ch)
		}
	case "message_stop", "error":
		x.finishAll(c)
	}
}

// blockStart opens the channel of a content block.
func (a *anthropicAdapter) blockStart(x *rewriter, c *event, idx val, key string, cb val) {
	if ch := x.lookupChan(key); ch != nil {
		x.finish(c, ch)
	}
	switch cb.get("type").text() {
	case "text":
		x.fragment(c, x.openText(key, key, a.synth(idx, "text_delta")), cb.get("text"))
	case "thinking":
		x.fragment(c, x.openText(key, key, a.synth(idx, "thinking_delta")), cb.get("thinking"))
		x.claim(c, cb.get("signature"))
	case "redacted_thinking":
		x.claim(c, cb.get("data"))
	case "tool_use":
		st := x.newCall(Call{Tool: cb.get("name").text(), ID: cb.get("id").text()}, escJSONinJSON)
		x.openCall(key, key, st, a.synth(idx, "input_json_delta"))
		// The input is normally {} and arrives as deltas; a server
		// that sends it whole here gets it restored here, decided on
		// its own.
		if in := cb.get("input"); in.isObj() && string(in.raw()) != "{}" {
			x.callCopy(c, x.newCall(st.call, escRawInJSON), in, nil)
		}
	case "server_tool_use", "mcp_tool_use":
		// Run by the provider: its input is scanned, never restored.
		x.openText(key, key, a.synth(idx, "input_json_delta"))
	}
}

// synth returns a builder of content_block_delta events of one block.
func (a *anthropicAdapter) synth(idx val, deltaType string) func([]byte, int) synthetic {
	idxRaw := clone(idx.raw())
	field := anthropicDeltas[deltaType]
	return func(content []byte, _ int) synthetic {
		b := []byte(`{"type":"content_block_delta"`)
		b = appendRaw(b, "index", idxRaw)
		b = append(b, `,"delta":{"type":"`...)
		b = append(b, deltaType...)
		b = appendStringField(append(b, `",`...), field, content, '}')
		return synthetic{name: "content_block_delta", data: append(b, '}')}
	}
}

// content rewrites whole content blocks: a non-streamed message, or the
// (normally empty) content of message_start.
func (a *anthropicAdapter) content(x *rewriter, c *event, blocks val) {
	blocks.elems(func(_ int, b val) {
		switch b.get("type").text() {
		case "text":
			x.textCopy(c, b.get("text"), true)
		case "thinking":
			x.textCopy(c, b.get("thinking"), true)
			x.claim(c, b.get("signature"))
		case "redacted_thinking":
			x.claim(c, b.get("data"))
		case "tool_use":
			st := x.newCall(Call{Tool: b.get("name").text(), ID: b.get("id").text()}, escRawInJSON)
			x.callCopy(c, st, b.get("input"), nil)
		}
	})
}

// body rewrites a non-streamed message.
func (a *anthropicAdapter) body(x *rewriter, c *event) {
	a.content(x, c, c.doc.get("content"))
}
