// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"unicode/utf8"
)

// extractK8sSecret finds the values of a Kubernetes Secret's data: (base64)
// and stringData: (plain) maps, in YAML or JSON, at the map's key. The
// document must say kind: Secret, before the map (a manifest) or after it
// (kubectl get -o yaml sorts keys, so data: comes first). Every value of
// the map is a span: base64 values are redacted whole, since a part of a
// base64 run still decodes to part of the secret.
func extractK8sSecret(src []byte, at, end int) []span {
	s := src[:end]
	i := at
	isJSON := false
	if i < len(s) && s[i] == '"' {
		isJSON = true
		i++
	}
	plain := false
	switch {
	case hasPrefixFold(s[i:], "stringdata"):
		i += len("stringdata")
		plain = true
	case hasPrefixFold(s[i:], "data"):
		i += len("data")
	default:
		return nil
	}
	// Cheap shape checks on the raw bytes: SSE "data: {...}" lines and
	// JSON "data": [...] arrays end here.
	if isJSON {
		i = skipBackslashes(s, i)
		if i >= len(s) || s[i] != '"' {
			return nil
		}
		i = skipSpaceTab(s, i+1, min(len(s), i+9))
		if i >= len(s) || s[i] != ':' {
			return nil
		}
		i = skipSpaceTab(s, i+1, min(len(s), i+9))
		if i >= len(s) || s[i] != '{' {
			return nil
		}
	} else {
		if i >= len(s) || s[i] != ':' {
			return nil
		}
		i = skipSpaceTab(s, i+1, min(len(s), i+16))
		if k := skipBackslashes(s, i); i >= len(s) || !(s[i] == '\n' || s[i] == '\r' || k > i && k < len(s) && (s[k] == 'n' || s[k] == 'r')) {
			return nil
		}
	}
	lo := max(0, at-lookback)
	for lo > 0 && lo < at && s[lo-1] == '\\' {
		lo++ // do not start decoding inside an escape
	}
	if !bytes.Contains(s[lo:], []byte("Secret")) {
		return nil
	}
	d := decodeRange(s, lo, len(s))
	a := d.index(at)
	if a >= len(d.b) || !isSecretDoc(d.b, a) {
		return nil
	}
	var vals []span
	if isJSON {
		vals = jsonMapValues(d.b, a)
	} else {
		vals = yamlMapValues(d.b, a, !plain)
	}
	out := vals[:0]
	for _, v := range vals {
		sp := d.toSrc(v)
		if sp.start >= at && sp.end > sp.start {
			out = append(out, sp)
		}
	}
	return out
}

// isSecretDoc reports whether the document around b[a] (YAML documents end
// at ---) declares kind: Secret.
func isSecretDoc(b []byte, a int) bool {
	lo, hi := 0, len(b)
	if k := bytes.LastIndex(b[:a], []byte("\n---")); k >= 0 {
		lo = k
	}
	if k := bytes.Index(b[a:], []byte("\n---")); k >= 0 {
		hi = a + k
	}
	doc := b[lo:hi]
	for i := 0; ; {
		k := bytes.Index(doc[i:], []byte("kind"))
		if k < 0 {
			return false
		}
		j := i + k + len("kind")
		i = j
		if j < len(doc) && (doc[j] == '"' || doc[j] == '\'') {
			j++
		}
		j = skipSpaceTab(doc, j, min(len(doc), j+8))
		if j >= len(doc) || doc[j] != ':' {
			continue
		}
		j = skipSpaceTab(doc, j+1, min(len(doc), j+9))
		if j < len(doc) && (doc[j] == '"' || doc[j] == '\'') {
			j++
		}
		if bytes.HasPrefix(doc[j:], []byte("Secret")) && (j+6 >= len(doc) || !isAlnum(doc[j+6])) {
			return true
		}
	}
}

// lineIndent returns the indentation of the line holding b[a], counting a
// list item's "- " as indentation.
func lineIndent(b []byte, a int) int {
	ls := bytes.LastIndexByte(b[:a], '\n') + 1
	n := 0
	for k := ls; k < a && (b[k] == ' ' || b[k] == '-'); k++ {
		n++
	}
	return n
}

// yamlMapValues returns the value spans of the YAML block mapping under the
// key at b[a] (data: or stringData:). With b64, values that are not base64
// are skipped.
func yamlMapValues(b []byte, a int, b64 bool) []span {
	keyIndent := lineIndent(b, a)
	nl := bytes.IndexByte(b[a:], '\n')
	if nl < 0 {
		return nil
	}
	i := a + nl + 1
	entryIndent := -1
	var out []span
	for i < len(b) {
		e := bytes.IndexByte(b[i:], '\n')
		if e < 0 {
			e = len(b) - i
		}
		line := b[i : i+e]
		ind := 0
		for ind < len(line) && line[ind] == ' ' {
			ind++
		}
		body := bytes.TrimRight(line[ind:], " \r\t")
		if len(body) == 0 || body[0] == '#' {
			i += e + 1
			continue
		}
		if ind <= keyIndent {
			break
		}
		if entryIndent < 0 {
			entryIndent = ind
		}
		if ind != entryIndent {
			i += e + 1
			continue
		}
		if body[0] == '-' {
			return nil // a list (ExternalSecret's data: - key: ...), not a map
		}
		colon := bytes.Index(body, []byte(": "))
		if colon < 0 && bytes.HasSuffix(body, []byte(":")) {
			colon = len(body) - 1
		}
		if colon <= 0 {
			i += e + 1
			continue
		}
		if schemaKeys[string(bytes.Trim(body[:colon], `"'`))] {
			return nil
		}
		v0 := i + ind + colon + 1
		for v0 < i+e && b[v0] == ' ' {
			v0++
		}
		v := bytes.TrimRight(b[v0:i+e], " \r\t")
		next := i + e + 1
		switch {
		case len(v) == 0:
		case v[0] == '|' || v[0] == '>':
			// A block scalar: the lines indented deeper than the entry.
			first, last := -1, -1
			k := next
			for k < len(b) {
				ke := bytes.IndexByte(b[k:], '\n')
				if ke < 0 {
					ke = len(b) - k
				}
				l := b[k : k+ke]
				li := 0
				for li < len(l) && l[li] == ' ' {
					li++
				}
				lb := bytes.TrimRight(l[li:], " \r\t")
				if len(lb) > 0 {
					if li <= entryIndent {
						break
					}
					if first < 0 {
						first = k + li
					}
					last = k + li + len(lb)
				}
				k += ke + 1
			}
			if first >= 0 {
				out = append(out, span{first, last})
				next = len(b)
				if nl := bytes.IndexByte(b[last:], '\n'); nl >= 0 {
					next = last + nl + 1
				}
			}
		case v[0] == '"' || v[0] == '\'':
			if q := bytes.IndexByte(v[1:], v[0]); q > 0 {
				out = append(out, span{v0 + 1, v0 + 1 + q})
			}
		default:
			if c := bytes.Index(v, []byte(" #")); c > 0 {
				v = bytes.TrimRight(v[:c], " ")
			}
			if !b64 || isB64Value(v) && !isPlainConfig(v) {
				out = append(out, span{v0, v0 + len(v)})
			}
		}
		i = next
	}
	return out
}

// isPlainConfig reports whether a Secret's base64 value decodes to a
// plain configuration file that names no credential (an nginx.conf kept in
// a Secret out of habit): multi-line text without a secret word.
func isPlainConfig(v []byte) bool {
	dec, ok := decodeB64Any(v)
	if !ok || len(dec) < 32 || !utf8.Valid(dec) || bytes.Count(dec, []byte("\n")) < 2 {
		return false
	}
	low := bytes.ToLower(dec)
	for _, w := range []string{"password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "credential", "private", "begin "} {
		if bytes.Contains(low, []byte(w)) {
			return false
		}
	}
	return true
}

// isB64Value reports whether v is standard base64, as Secret data is.
func isB64Value(v []byte) bool {
	t := bytes.TrimRight(v, "=")
	if len(t) < 2 || len(v)-len(t) > 2 {
		return false
	}
	for _, c := range t {
		if !isB64Std(c) {
			return false
		}
	}
	return true
}

// jsonMapValues returns the string value spans of the JSON object that
// follows the key at b[a] ("data": {...}).
func jsonMapValues(b []byte, a int) []span {
	o := bytes.IndexByte(b[a:], '{')
	if o < 0 {
		return nil
	}
	i := a + o + 1
	var out []span
	for i < len(b) {
		for i < len(b) && (isSpace(b[i]) || b[i] == ',') {
			i++
		}
		if i >= len(b) || b[i] != '"' {
			if i < len(b) && b[i] == '}' {
				return out
			}
			return nil // not a flat map of strings
		}
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 {
			return out
		}
		k0, k1 := i+1, i+1+k
		i += k + 2
		i = skipSpaceTab(b, i, min(len(b), i+8))
		if i >= len(b) || b[i] != ':' {
			return nil
		}
		i = skipSpaceTab(b, i+1, min(len(b), i+9))
		if i >= len(b) || b[i] != '"' {
			return nil // a nested object or a number: not Secret data
		}
		v := bytes.IndexByte(b[i+1:], '"')
		if v < 0 {
			return out
		}
		if schemaKeys[string(b[k0:k1])] {
			return nil // an OpenAPI schema that describes data:, not a Secret
		}
		if v > 0 && !isPlainConfig(b[i+1:i+1+v]) {
			out = append(out, span{i + 1, i + 1 + v})
		}
		i += v + 2
	}
	return out
}

// schemaKeys are keys of OpenAPI schemas and CRDs, which describe a
// Secret's data map without holding one.
var schemaKeys = map[string]bool{
	"description": true, "type": true, "properties": true, "additionalProperties": true,
	"format": true, "items": true, "x-kubernetes-map-type": true, "$ref": true,
}
