// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// An extractor is a rule written in Go, for shapes a regular expression
// cannot say well (a PEM block, a Kubernetes Secret's data map). It sees
// src, the view the anchor was found in (escapes already decoded), and the
// anchor's offset at. It may read src[max(0, at-lookback):end] and returns
// the secret spans it found, each at or after at.
//
// The engine calls an extractor on the raw input (where at > 0 and the
// bytes before it are the real context) and again on each decoded view of
// the window (where at is 0). Extractors therefore never need context
// before at to accept a secret, only, at most, to reject one, and they
// treat a backslash in the raw view as "not mine": the decoded view will
// see the same text without escapes.
type extractor func(src []byte, at, end int) []span

// lookback bounds how far before its anchor an extractor may read, for
// context only (a "kind: Secret" line before a data: map). The streaming
// writer keeps this many bytes of context.
const lookback = 4096

// span is a half-open byte range [start, end).
type span struct{ start, end int }

// extractors are the named extractors a rule's `extract:` can use. The table
// is read-only after init.
var extractors = map[string]extractor{
	"private-key":   extractPEM,
	"putty-key":     extractPuTTY,
	"k8s-secret":    extractK8sSecret,
	"netrc":         extractNetrc,
	"docker-auth":   extractDockerAuth,
	"url-userinfo":  extractURLUserinfo,
	"azure-ad":      extractAzureADSecret,
	"telegram":      extractTelegram,
	"aws-pair":      extractAWSPair,
	"jwk-private":   extractJWKPrivate,
	"password":      assignPassword.extract,
	"secret":        assignSecret.extract,
	"token":         assignToken.extract,
	"api-key":       assignAPIKey.extract,
	"key":           assignKey.extract,
	"credential":    assignCredential.extract,
	"bare-key":      assignBareKey.extract,
	"auth-header":   extractAuthHeader,
	"bearer":        extractBearer,
	"cli-password":  extractCLIPassword,
	"sql-password":  extractSQLPassword,
	"table-column":  extractTableColumn,
	"login-call":    extractLoginCall,
	"secret-output": extractSecretOutput,
	"sql-insert":    extractSQLInsert,
}

// dview is a decoded copy of part of a view, with the map back to it.
type dview struct {
	b   []byte
	pos []int // pos[i] is the src offset of b[i]; nil: b is src[off:]
	off int
}

// decodeRange returns src[from:to] with up to two levels of JSON string
// escapes undone, and the offsets back into src. Without escapes it is
// src[from:to] itself, without a copy.
func decodeRange(src []byte, from, to int) dview {
	to = min(to, len(src))
	if from >= to || bytes.IndexByte(src[from:to], '\\') < 0 {
		return dview{b: src[from:to], off: from}
	}
	v1, ok := unescapeJSON(src[:to], from, to-from, nil)
	if !ok {
		return dview{b: src[from:to], off: from}
	}
	if v2, ok := unescapeJSON(v1.b, 0, len(v1.b), v1.pos); ok {
		return dview{b: v2.b, pos: v2.pos}
	}
	return dview{b: v1.b, pos: v1.pos}
}

// src returns the src offset of d.b[i] (i may be len(d.b)).
func (d dview) src(i int) int {
	if d.pos == nil {
		return d.off + i
	}
	return d.pos[i]
}

// toSrc maps a span of d back to src.
func (d dview) toSrc(s span) span { return span{d.src(s.start), d.src(s.end)} }

// index returns the index in d.b of src offset off: the first decoded byte
// produced at or after it.
func (d dview) index(off int) int {
	if d.pos == nil {
		return min(max(off-d.off, 0), len(d.b))
	}
	lo, hi := 0, len(d.b)
	for lo < hi {
		m := (lo + hi) / 2
		if d.pos[m] < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func isSpaceTab(c byte) bool { return c == ' ' || c == '\t' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isB64Std(c byte) bool { return isAlnum(c) || c == '+' || c == '/' }

// classCounts counts the ASCII lowercase letters, uppercase letters and
// digits of b: the mix that tells a generated credential from a word.
func classCounts(b []byte) (lower, upper, digit int) {
	for _, c := range b {
		switch {
		case isLowerASCII(c):
			lower++
		case isUpperASCII(c):
			upper++
		case isDigitASCII(c):
			digit++
		}
	}
	return lower, upper, digit
}

// hasPrefixFold reports whether s starts with the lowercase ASCII prefix p,
// ignoring case.
func hasPrefixFold(s []byte, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if lowerTable[s[i]] != p[i] {
			return false
		}
	}
	return true
}

// skipSpaceTab returns the first offset at or after i, before end, that is
// not a space or tab.
func skipSpaceTab(s []byte, i, end int) int {
	for i < end && isSpaceTab(s[i]) {
		i++
	}
	return i
}
