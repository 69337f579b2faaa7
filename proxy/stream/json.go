// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
)

// The rewriter edits JSON in place instead of decoding and encoding it
// again: every byte it does not mean to change (key order, number formats,
// escapes, the obfuscation padding) reaches the client exactly as upstream
// sent it. A val is the span of one value inside a validated document, and
// edits replace the content of string values.

// val is the span [s, e) of a JSON value in d. The zero val is "absent".
type val struct {
	d    []byte
	s, e int
}

// parseDoc returns the top-level value of d, or false if d is not JSON.
func parseDoc(d []byte) (val, bool) {
	if !json.Valid(d) {
		return val{}, false
	}
	s := skipWS(d, 0)
	return val{d, s, skipValue(d, s)}, true
}

func (v val) ok() bool      { return v.e > v.s }
func (v val) isObj() bool   { return v.ok() && v.d[v.s] == '{' }
func (v val) isArr() bool   { return v.ok() && v.d[v.s] == '[' }
func (v val) isStr() bool   { return v.ok() && v.d[v.s] == '"' }
func (v val) isNull() bool  { return v.ok() && v.d[v.s] == 'n' }
func (v val) raw() []byte   { return v.d[v.s:v.e] }
func (v val) inner() []byte { return v.d[v.s+1 : v.e-1] } // a string's content, escapes as they are

// get returns the value of key in an object (the first, if repeated).
func (v val) get(key string) val {
	var out val
	v.fields(func(k []byte, f val) bool {
		if string(k) == key {
			out = f
			return false
		}
		return true
	})
	return out
}

// fields calls f for each member of an object, with the key's raw content,
// until f returns false.
func (v val) fields(f func(key []byte, v val) bool) {
	if !v.isObj() {
		return
	}
	i := skipWS(v.d, v.s+1)
	for i < v.e && v.d[i] == '"' {
		ke := skipValue(v.d, i)
		key := v.d[i+1 : ke-1]
		i = skipWS(v.d, ke) + 1 // the colon
		i = skipWS(v.d, i)
		ve := skipValue(v.d, i)
		if !f(key, val{v.d, i, ve}) {
			return
		}
		i = skipWS(v.d, ve)
		if v.d[i] == ',' {
			i = skipWS(v.d, i+1)
		}
	}
}

// elems calls f for each element of an array.
func (v val) elems(f func(i int, v val)) {
	if !v.isArr() {
		return
	}
	i := skipWS(v.d, v.s+1)
	for n := 0; i < v.e && v.d[i] != ']'; n++ {
		ve := skipValue(v.d, i)
		f(n, val{v.d, i, ve})
		i = skipWS(v.d, ve)
		if v.d[i] == ',' {
			i = skipWS(v.d, i+1)
		}
	}
}

// str returns a string value's raw content and whether v is a string.
func (v val) str() ([]byte, bool) {
	if !v.isStr() {
		return nil, false
	}
	return v.inner(), true
}

// is reports whether v is the string s (written without escapes, as
// providers write their type names).
func (v val) is(s string) bool {
	b, ok := v.str()
	return ok && string(b) == s
}

// text decodes a string value; "" if v is not a string.
func (v val) text() string {
	b, ok := v.str()
	if !ok {
		return ""
	}
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	var s string
	json.Unmarshal(v.raw(), &s)
	return s
}

// int returns a number value as an int.
func (v val) int() (int, bool) {
	if !v.ok() {
		return 0, false
	}
	n, err := strconv.Atoi(string(v.raw()))
	return n, err == nil
}

// present reports whether v is there and not null.
func (v val) present() bool { return v.ok() && !v.isNull() }

func skipWS(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the value starting at d[i]. d is valid
// JSON, so only strings need care.
func skipValue(d []byte, i int) int {
	switch d[i] {
	case '"':
		return skipString(d, i)
	case '{', '[':
		depth := 0
		for ; i < len(d); i++ {
			switch d[i] {
			case '"':
				i = skipString(d, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		panic("stream: internal error: unbalanced JSON after json.Valid")
	default:
		for i < len(d) {
			switch d[i] {
			case ' ', '\t', '\r', '\n', ',', '}', ']':
				return i
			}
			i++
		}
		return i
	}
}

// skipString returns the end of the string starting at d[i] (a quote).
func skipString(d []byte, i int) int {
	for i++; i < len(d); i++ {
		switch d[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	panic("stream: internal error: unterminated string after json.Valid")
}

// An edit replaces d[s:e] with repl.
type edit struct {
	s, e int
	repl []byte
}

// applyEdits returns d with the edits applied. Edits must not overlap;
// edits that change nothing are skipped, and when none is left the result
// is d itself.
func applyEdits(d []byte, edits []edit) []byte {
	slices.SortStableFunc(edits, func(a, b edit) int { return a.s - b.s })
	var out []byte
	last := 0
	for _, ed := range edits {
		if bytes.Equal(d[ed.s:ed.e], ed.repl) {
			continue
		}
		if ed.s < last {
			panic("stream: internal error: overlapping edits")
		}
		if out == nil {
			out = make([]byte, 0, len(d)+len(ed.repl))
		}
		out = append(out, d[last:ed.s]...)
		out = append(out, ed.repl...)
		last = ed.e
	}
	if out == nil {
		return d
	}
	return append(out, d[last:]...)
}
