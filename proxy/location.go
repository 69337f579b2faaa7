// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// locate returns where byte offset off of a JSON body lies, as the path of
// the string value around it: messages[2].content[0].text. For a secret in
// JSON inside a JSON string (tool-call arguments), that is the outer
// string. A body that is not JSON gives "byte N". It walks the whole body
// with encoding/json's tokenizer, so it is only for the rare block path.
func locate(body []byte, off int) string {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "byte " + strconv.Itoa(off)
		}
		end := dec.InputOffset()
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && !top.array && top.wantKey {
			top.key, top.wantKey = tok.(string), false
			continue
		}
		// tok begins a value: advance the container around it.
		if top != nil {
			if top.array {
				top.index++
			} else {
				top.wantKey = true
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{array: true, index: -1})
		default:
			if _, ok := tok.(string); ok && int64(off) >= start && int64(off) < end {
				if p := path(); p != "" {
					return p
				}
				return "the top-level string"
			}
		}
	}
}
