// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// A view is a decoded window of the input: JSON escapes or URL percent
// escapes undone, so rules can be written for the text a human would read.
// pos maps each view byte back to the input: pos[i] is the input offset of
// the escape sequence that produced view byte i, and pos[len(b)] is the
// input offset just after the last decoded sequence. A span in the view maps
// to an input span that covers whole escape sequences, so replacing it never
// corrupts the surrounding JSON.
//
// A view of the whole input maps its offsets with m instead; a view with
// neither is the input itself.
type view struct {
	b   []byte
	pos []int
	m   *sparseMap
}

// in returns the input offset of view offset i (i may be len(v.b)).
func (v *view) in(i int) int {
	switch {
	case v.m != nil:
		return v.m.raw(i)
	case v.pos != nil:
		return v.pos[i]
	}
	return i
}

// unescapeJSON decodes JSON string escapes in src starting at off, stopping
// after max decoded bytes or at the end of src. It returns false when src
// holds no escape in that range, in which case the view would equal the
// input. base, if not nil, maps src offsets further back (a view of a view).
func unescapeJSON(src []byte, off, max int, base []int) (view, bool) {
	var v view
	ok := v.decodeJSON(src, off, max, base)
	return v, ok
}

// decodeJSON is unescapeJSON into v, reusing its buffers: the engine decodes
// a window at every keyword hit, so this must not allocate, and it copies
// the runs between escapes in bulk.
func (v *view) decodeJSON(src []byte, off, max int, base []int) bool {
	end := min(len(src), off+2*max+8)
	first := bytes.IndexByte(src[off:end], '\\')
	if first < 0 {
		return false
	}
	// Decoding never grows the text, so one allocation covers it.
	v.b, v.pos = slices.Grow(v.b[:0], min(max, end-off)), slices.Grow(v.pos[:0], min(max, end-off)+1)
	var buf [utf8.UTFMax]byte
	i := off
	for i < end && len(v.b) < max {
		// The run up to the next backslash (or the budget) is copied as is.
		j := end
		if k := bytes.IndexByte(src[i:end], '\\'); k >= 0 {
			j = i + k
		}
		j = min(j, i+max-len(v.b))
		v.b = append(v.b, src[i:j]...)
		if base != nil {
			v.pos = append(v.pos, base[i:j]...)
		} else {
			n := len(v.pos)
			v.pos = v.pos[:n+j-i]
			for k := range v.pos[n:] {
				v.pos[n+k] = i + k
			}
		}
		i = j
		if i >= end || len(v.b) >= max {
			break
		}
		at := i
		if base != nil {
			at = base[i]
		}
		n, dec := 0, []byte(nil)
		if i+1 < len(src) {
			n, dec = decodeEscape(src[i:], &buf)
		}
		if n == 0 {
			// Not an escape we know: keep the backslash as it is.
			v.b = append(v.b, '\\')
			v.pos = append(v.pos, at)
			i++
			continue
		}
		for range dec {
			v.pos = append(v.pos, at)
		}
		v.b = append(v.b, dec...)
		i += n
	}
	if base != nil {
		v.pos = append(v.pos, base[i])
	} else {
		v.pos = append(v.pos, i)
	}
	return true
}

// decodeEscape decodes the JSON escape at the start of s (s[0] == '\\').
// It returns the input length consumed and the decoded bytes, or 0. The
// bytes are s itself, a static table or buf: it runs once per escape of
// every input, so it must not allocate.
func decodeEscape(s []byte, buf *[utf8.UTFMax]byte) (int, []byte) {
	switch c := s[1]; c {
	case '"', '\\', '/':
		return 2, s[1:2]
	case 'n', 't', 'r', 'b', 'f':
		i := bytes.IndexByte([]byte("ntrbf"), c)
		return 2, controlEscapes[i : i+1]
	case 'u':
		r, ok := hex4(s[2:])
		if !ok {
			return 0, nil
		}
		n := 6
		if r >= 0xd800 && r < 0xdc00 && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hex4(s[8:]); ok && lo >= 0xdc00 && lo < 0xe000 {
				r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
				n = 12
			}
		}
		return n, buf[:utf8.EncodeRune(buf[:], r)]
	}
	return 0, nil
}

// controlEscapes are what \n \t \r \b \f stand for, in that order.
var controlEscapes = []byte("\n\t\r\b\f")

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		d, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodePercent is unescapePercent into v, reusing its buffers.
func (v *view) decodePercent(src []byte, off, max int) bool {
	end := min(len(src), off+3*max)
	if !hasPercentEscape(src[off:end]) {
		return false
	}
	v.b, v.pos = v.b[:0], v.pos[:0]
	i := off
	for i < end && len(v.b) < max {
		if src[i] == '%' && i+2 < len(src) {
			hi, ok1 := unhex(src[i+1])
			lo, ok2 := unhex(src[i+2])
			if ok1 && ok2 {
				v.b = append(v.b, hi<<4|lo)
				v.pos = append(v.pos, i)
				i += 3
				continue
			}
		}
		v.b = append(v.b, src[i])
		v.pos = append(v.pos, i)
		i++
	}
	v.pos = append(v.pos, i)
	return true
}

func hasPercentEscape(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '%')
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if _, ok := unhex(b[i+1]); ok {
			if _, ok := unhex(b[i+2]); ok {
				return true
			}
		}
		b = b[i+1:]
	}
}

// boundaryBefore reports whether the input at off starts a token: the byte
// before is not a letter or digit, or it ends a JSON escape such as \n or
// \u0022 (the letter is part of the escape, not of a word).
func boundaryBefore(src []byte, off int) bool {
	if off == 0 {
		return true
	}
	c := src[off-1]
	if !isAlnum(c) {
		return true
	}
	if off >= 2 && src[off-2] == '\\' && bytes.IndexByte([]byte("nrtbf"), c) >= 0 {
		return true
	}
	if off >= 6 && src[off-6] == '\\' && src[off-5] == 'u' {
		if _, ok := hex4(src[off-4 : off]); ok {
			return true
		}
	}
	return false
}

// boundaryAfter reports whether the token ending at off ends there.
func boundaryAfter(src []byte, off int) bool {
	return off >= len(src) || !isAlnum(src[off])
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
