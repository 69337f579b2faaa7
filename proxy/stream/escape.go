// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"unicode/utf8"
)

// The rewriter works on string contents exactly as they travel: still
// escaped, so that bytes it leaves alone are never decoded and encoded
// again. A placeholder uses only [a-z0-9_-], which no JSON or JavaScript
// layer escapes, so it appears literally however many layers deep it sits.
// A restored value, though, must be escaped for every layer it lands in:
// escJSON for one JSON string, escJSON(escJSON(v)) for JSON text inside a
// JSON string (OpenAI arguments, Anthropic partial_json), and
// escJSON(escJS(v)) for JavaScript inside a JSON string (Codex's code-mode
// exec tool).

const hexDigits = "0123456789abcdef"

// escJSON escapes v for the inside of a JSON string. It also escapes
// U+2028 and U+2029, which JSON allows raw but JavaScript source does not.
func escJSON(v []byte) []byte { return escapeString(v, false) }

// escJS escapes v for the inside of any JavaScript string literal: single
// or double quotes or a template literal (hence ` and $).
func escJS(v []byte) []byte { return escapeString(v, true) }

// escapeString is escJSON, or with js escJS: the two differ only in which
// quotes they escape and how they spell a control character.
func escapeString(v []byte, js bool) []byte {
	out := make([]byte, 0, len(v)+8)
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c == '"' || c == '\\' || js && (c == '\'' || c == '`' || c == '$'):
			out = append(out, '\\', c)
		case c == '\n':
			out = append(out, '\\', 'n')
		case c == '\r':
			out = append(out, '\\', 'r')
		case c == '\t':
			out = append(out, '\\', 't')
		case (c < 0x20 || c == 0x7f) && js:
			out = append(out, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
		case c < 0x20 || c == 0x7f:
			out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		case c < utf8.RuneSelf:
			out = append(out, c)
		default:
			r, n := utf8.DecodeRune(v[i:])
			if r == '\u2028' || r == '\u2029' {
				out = append(out, `\u202`...)
				out = append(out, hexDigits[r&15])
			} else {
				out = append(out, v[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return out
}

// Escapers for the places a value is restored into.
func escJSONinJSON(v []byte) []byte { return escJSON(escJSON(v)) }
func escJSinJSON(v []byte) []byte   { return escJSON(escJS(v)) }
func escRawInJSON(v []byte) []byte  { return escJSON(v) }

// safeCut returns how much of b, the escaped content of a JSON string, can
// be sent now without ending inside an escape sequence, a UTF-16 surrogate
// pair or a UTF-8 sequence: each piece sent must be a valid JSON string on
// its own, and decode to what the whole would.
func safeCut(b []byte) int {
	cut := len(b)
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		switch {
		case i+1 >= len(b):
			return i
		case b[i+1] != 'u':
			i++
		case i+6 > len(b):
			return i
		case isHighSurrogate(b[i+2 : i+6]):
			if i+12 > len(b) {
				return i
			}
			i += 5
		default:
			i += 5
		}
	}
	// An incomplete UTF-8 sequence at the end.
	for j := len(b) - 1; j >= 0 && j >= len(b)-utf8.UTFMax; j-- {
		if utf8.RuneStart(b[j]) {
			if !utf8.FullRune(b[j:]) {
				cut = j
			}
			break
		}
	}
	return cut
}

func isHighSurrogate(h []byte) bool {
	return (h[0] == 'd' || h[0] == 'D') && (h[1] == '8' || h[1] == '9' || h[1] == 'a' || h[1] == 'A' || h[1] == 'b' || h[1] == 'B')
}

// Placeholders: hush_<kind>_<id><check>, kind [a-z0-9-]{1,32}, then 12
// characters of [a-z2-7] (see the redact package). The grammar is repeated
// here because the stream rewriter must tell, byte by byte, whether the end
// of a fragment could still become one.
const (
	phPrefix  = "hush_"
	phMaxKind = 32
	phTailLen = 12
	phMaxLen  = len(phPrefix) + phMaxKind + 1 + phTailLen
)

// phLen returns the length of the placeholder at the start of b, or 0.
func phLen(b []byte) int {
	if len(b) < len(phPrefix) || string(b[:len(phPrefix)]) != phPrefix {
		return 0
	}
	i := len(phPrefix)
	for ; i < len(b) && b[i] != '_'; i++ {
		if !isKindByte(b[i]) || i-len(phPrefix) >= phMaxKind {
			return 0
		}
	}
	if i == len(phPrefix) || i >= len(b) {
		return 0
	}
	i++
	for j := 0; j < phTailLen; j++ {
		if i+j >= len(b) || !isB32(b[i+j]) {
			return 0
		}
	}
	return i + phTailLen
}

// phTail returns how many bytes at the end of b could be the beginning of
// a placeholder, skipping placeholders that are already complete.
func phTail(b []byte) int {
	for i := max(0, len(b)-2*phMaxLen); i < len(b); i++ {
		if b[i] != 'h' {
			continue
		}
		if n := phLen(b[i:]); n > 0 {
			i += n - 1
			continue
		}
		if phPrefixOf(b[i:]) {
			return len(b) - i
		}
	}
	return 0
}

// keepPlaceholders moves cut back to the start of a placeholder that it
// would split, so that text sends each placeholder in one piece. Nothing
// depends on it; it keeps what a client shows, and the golden files, whole.
func keepPlaceholders(b []byte, cut int) int {
	for i := max(0, cut-phMaxLen+1); i < cut; i++ {
		if b[i] != 'h' {
			continue
		}
		if n := phLen(b[i:]); n > 0 {
			if i+n > cut {
				return i
			}
			i += n - 1
			continue
		}
		if phPrefixOf(b[i:]) {
			return i
		}
	}
	return cut
}

// phPrefixOf reports whether s is a proper prefix of some placeholder.
func phPrefixOf(s []byte) bool {
	if len(s) <= len(phPrefix) {
		return string(s) == phPrefix[:len(s)]
	}
	if string(s[:len(phPrefix)]) != phPrefix {
		return false
	}
	i := len(phPrefix)
	for ; i < len(s) && s[i] != '_'; i++ {
		if !isKindByte(s[i]) || i-len(phPrefix) >= phMaxKind {
			return false
		}
	}
	if i == len(s) {
		return true
	}
	if i == len(phPrefix) {
		return false
	}
	tail := s[i+1:]
	if len(tail) >= phTailLen {
		return false
	}
	for _, c := range tail {
		if !isB32(c) {
			return false
		}
	}
	return true
}

func isKindByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' }
func isB32(c byte) bool      { return c >= 'a' && c <= 'z' || c >= '2' && c <= '7' }
