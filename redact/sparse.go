// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"slices"
	"sort"
	"unicode/utf8"
)

// A sparseMap maps the offsets of a decoded text back to the text it was
// decoded from. It records only the escape sequences: between two of them
// the offsets move in step, so the map costs memory per escape, not per
// byte. That matters for the whole-input views the engine builds: a 5 MB
// request would otherwise need a 40 MB offset table.
type sparseMap struct {
	esc    []escRun
	parent *sparseMap // the map of the text this one was decoded from
}

// escRun says that decoded bytes [dec, dec+k) came from the escape
// sequence at source bytes [src, src+n).
type escRun struct{ dec, k, src, n int }

// raw returns the input offset of decoded offset i (i may be the length
// of the decoded text).
func (m *sparseMap) raw(i int) int {
	j := sort.Search(len(m.esc), func(j int) bool { return m.esc[j].dec > i }) - 1
	r := i
	if j >= 0 {
		e := m.esc[j]
		if i < e.dec+e.k {
			r = e.src
		} else {
			r = e.src + e.n + (i - e.dec - e.k)
		}
	}
	if m.parent != nil {
		return m.parent.raw(r)
	}
	return r
}

// first returns the first decoded offset whose input offset is at least p.
func (m *sparseMap) first(p int) int {
	if m.parent != nil {
		p = m.parent.first(p)
	}
	j := sort.Search(len(m.esc), func(j int) bool { return m.esc[j].src > p }) - 1
	if j < 0 {
		return p
	}
	e := m.esc[j]
	switch {
	case p == e.src:
		return e.dec
	case p < e.src+e.n:
		return e.dec + e.k // inside the escape: the byte after it
	default:
		return e.dec + e.k + (p - e.src - e.n)
	}
}

// decodeSparse decodes the JSON string escapes of all of src into dst,
// recording each in m. It returns false, leaving dst and m unspecified,
// when src holds no escape.
func decodeSparse(src []byte, dst []byte, m *sparseMap) ([]byte, bool) {
	i := bytes.IndexByte(src, '\\')
	if i < 0 {
		return dst, false
	}
	// Size both once: the text only shrinks, and there is at most one
	// escape per backslash. Growing them instead cost more than decoding.
	dst = append(slices.Grow(dst[:0], len(src)), src[:i]...)
	m.esc = slices.Grow(m.esc[:0], bytes.Count(src[i:], []byte{'\\'}))
	var buf [utf8.UTFMax]byte
	for i < len(src) {
		n, dec := 0, []byte(nil)
		if i+1 < len(src) {
			n, dec = decodeEscape(src[i:], &buf)
		}
		if n == 0 {
			// Not an escape we know: the backslash stands for itself.
			dst = append(dst, '\\')
			i++
		} else {
			m.esc = append(m.esc, escRun{dec: len(dst), k: len(dec), src: i, n: n})
			dst = append(dst, dec...)
			i += n
		}
		j := bytes.IndexByte(src[i:], '\\')
		if j < 0 {
			j = len(src) - i
		}
		dst = append(dst, src[i:i+j]...)
		i += j
	}
	return dst, true
}
