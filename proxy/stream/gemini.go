// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import "strconv"

// geminiAdapter is the Gemini API (WIRE.md section 4). Every chunk is a
// whole GenerateContentResponse. Text parts stream across chunks, one
// channel per candidate (and one for its thoughts); a functionCall part
// arrives whole, args a finished JSON object. A candidate ends at its
// finishReason, the stream when the connection closes. thoughtSignature
// passes untouched.
type geminiAdapter struct {
	model, resp []byte // modelVersion and responseId, for inserted chunks
}

func (a *geminiAdapter) event(x *rewriter, c *event, _ string) {
	if !c.json {
		return
	}
	if c.doc.get("error").ok() {
		x.finishAll(c)
		return
	}
	a.chunk(x, c, c.doc, true)
}

func (a *geminiAdapter) body(x *rewriter, c *event) {
	if c.doc.isArr() {
		// streamGenerateContent without alt=sse: one array of chunks.
		c.doc.elems(func(_ int, v val) { a.chunk(x, c, v, false) })
		return
	}
	a.chunk(x, c, c.doc, false)
}

func (a *geminiAdapter) chunk(x *rewriter, c *event, doc val, stream bool) {
	if m := doc.get("modelVersion"); m.isStr() && len(m.raw()) < 256 {
		a.model = append(a.model[:0], m.raw()...)
	}
	if r := doc.get("responseId"); r.isStr() && len(r.raw()) < 256 {
		a.resp = append(a.resp[:0], r.raw()...)
	}
	doc.get("candidates").elems(func(pos int, cand val) {
		ci := indexOr(cand.get("index"), pos)
		group := "g" + strconv.Itoa(ci)
		cand.get("content").get("parts").elems(func(_ int, part val) {
			x.claim(c, part.get("thoughtSignature"))
			if t := part.get("text"); t.isStr() {
				thought := string(part.get("thought").raw()) == "true"
				if stream {
					key := group + "/text"
					if thought {
						key = group + "/thought"
					} else if ch := x.lookupChan(group + "/thought"); ch != nil {
						// Thoughts end where the answer starts.
						x.finish(c, ch)
					}
					x.fragment(c, x.openText(key, group, a.synth(ci, thought)), t)
				} else {
					x.textCopy(c, t, true)
				}
			}
			if fc := part.get("functionCall"); fc.isObj() {
				st := x.newCall(Call{Tool: fc.get("name").text(), ID: fc.get("id").text()}, escRawInJSON)
				x.callCopy(c, st, fc.get("args"), nil)
			}
		})
		if stream && cand.get("finishReason").present() {
			x.finishGroup(c, group)
		}
	})
}

// synth returns a builder of chunks carrying one candidate's text.
func (a *geminiAdapter) synth(ci int, thought bool) func([]byte, int) synthetic {
	return func(content []byte, _ int) synthetic {
		b := append([]byte(nil), `{"candidates":[{"content":{"parts":[{`...)
		b = appendStringField(b, "text", content, '}')
		if thought {
			b = append(b[:len(b)-1], `,"thought":true}`...)
		}
		b = append(b, `],"role":"model"},"index":`...)
		b = strconv.AppendInt(b, int64(ci), 10)
		b = append(b, "}]"...)
		b = appendRaw(b, "modelVersion", a.model)
		b = appendRaw(b, "responseId", a.resp)
		return synthetic{data: append(b, '}')}
	}
}
