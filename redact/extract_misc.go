// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// extractNetrc finds the password (and account) in a .netrc entry:
// machine HOST login USER password PASS [account ACCT], on one line or
// many. The host must look like one, so that "machine learning ..." prose
// does not start an entry.
func extractNetrc(src []byte, at, end int) []span {
	s := src[:end]
	if !hasPrefixFold(s[at:], "machine") || at+8 >= len(s) || !isSpaceTab(s[at+7]) {
		return nil
	}
	// Cheap check on the raw host before decoding: a name with a dot,
	// or localhost.
	h := skipSpaceTab(s, at+7, min(len(s), at+24))
	e := h
	for e < len(s) && (isAlnum(s[e]) || s[e] == '.' || s[e] == '-' || s[e] == '_' || s[e] == ':') {
		e++
	}
	host := s[h:e]
	if !(bytes.IndexByte(host, '.') > 0 || bytes.EqualFold(host, []byte("localhost"))) {
		return nil
	}
	d := decodeRange(s, at, min(len(s), at+512))
	toks := netrcTokens(d.b, 64)
	var out []span
	for k := 2; k+1 < len(toks); k += 2 {
		name := d.b[toks[k].start:toks[k].end]
		switch string(bytes.ToLower(name)) {
		case "login", "port", "protocol", "method":
		case "password", "passwd", "account":
			v := toks[k+1]
			if v.end-v.start >= 3 {
				out = append(out, d.toSrc(v))
			}
		default:
			return out // the entry is over (the next machine, or prose)
		}
	}
	return out
}

// netrcTokens splits b into whitespace-separated tokens, unquoting "...".
func netrcTokens(b []byte, max int) []span {
	var toks []span
	i := 0
	for i < len(b) && len(toks) < max {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			break
		}
		if b[i] == '"' {
			j := bytes.IndexByte(b[i+1:], '"')
			if j < 0 {
				break
			}
			toks = append(toks, span{i + 1, i + 1 + j})
			i += j + 2
			continue
		}
		j := i
		for j < len(b) && !isSpace(b[j]) && b[j] != '"' && b[j] != '\\' {
			j++
		}
		if j == i {
			break
		}
		toks = append(toks, span{i, j})
		i = j
	}
	return toks
}

// extractDockerAuth finds "auth": "<base64 user:pass>" in a Docker or
// Podman config.json (and .dockerconfigjson). The rule's check confirms
// that the value decodes to user:password.
func extractDockerAuth(src []byte, at, end int) []span {
	s := src[:end]
	if !hasPrefixFold(s[at:], `"auth`) {
		return nil
	}
	i := skipBackslashes(s, at+len(`"auth`))
	if i >= len(s) || s[i] != '"' {
		return nil
	}
	i = skipSpaceTab(s, i+1, min(len(s), i+9))
	if i >= len(s) || s[i] != ':' {
		return nil
	}
	i = skipBackslashes(s, skipSpaceTab(s, i+1, min(len(s), i+9)))
	if i >= len(s) || s[i] != '"' {
		return nil
	}
	i++
	j := i
	for j < len(s) && j-i < 1024 && (isB64Std(s[j]) || s[j] == '=') {
		j++
	}
	if j-i < 8 || j >= len(s) || (s[j] != '"' && s[j] != '\\') {
		return nil
	}
	return []span{{i, j}}
}

// skipBackslashes returns the first offset at or after i that is not a
// backslash: the quotes of a key in escaped JSON (\"auth\" or, one level
// deeper, \\\"auth\\\") come after a run of them.
func skipBackslashes(s []byte, i int) int {
	for i < len(s) && s[i] == '\\' {
		i++
	}
	return i
}

// extractAzureADSecret finds an Entra ID (Azure AD) client secret,
// [A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}, at its "\dQ~" anchor. The
// three characters before the anchor are checked but, since a span may
// not start before its anchor, not redacted: the 32 or more random
// characters after it are.
func extractAzureADSecret(src []byte, at, end int) []span {
	s := src[:end]
	if at < 3 || at+3 > len(s) || !isDigitASCII(s[at]) || s[at+1] != 'Q' || s[at+2] != '~' {
		return nil
	}
	inSet := func(c byte) bool { return isAlnum(c) || c == '_' || c == '~' || c == '.' }
	for k := at - 3; k < at; k++ {
		if !inSet(s[k]) {
			return nil
		}
	}
	if at >= 4 && (inSet(s[at-4]) || s[at-4] == '-') {
		return nil
	}
	j := at + 3
	for j < len(s) && j-at-3 <= 35 && (inSet(s[j]) || s[j] == '-') {
		j++
	}
	for j-at-3 > 31 && (s[j-1] == '.' || s[j-1] == '-') {
		j-- // the end of a sentence, not of the secret
	}
	if n := j - at - 3; n < 31 || n > 34 {
		return nil
	}
	if !checkRandom(s[at+3 : j]) {
		return nil
	}
	return []span{{at, j}}
}

// extractTelegram finds a Telegram bot token, <bot id>:AA<33>, at its
// ":AA" anchor. The bot id before it is checked, not redacted: it is the
// bot's public user id, and the part after the colon is the secret.
func extractTelegram(src []byte, at, end int) []span {
	s := src[:end]
	if at+3 > len(s) || s[at] != ':' || s[at+1] != 'A' || s[at+2] != 'A' {
		return nil
	}
	k := at
	for k > 0 && at-k < 11 && isDigitASCII(s[k-1]) {
		k--
	}
	if n := at - k; n < 8 || n > 10 {
		return nil
	}
	if k > 0 && isAlnum(s[k-1]) {
		// api.telegram.org/bot<id>:<token>/method
		if !(k >= 3 && bytes.EqualFold(s[k-3:k], []byte("bot"))) {
			return nil
		}
	}
	j := at + 1
	for j < len(s) && j-at-1 <= 35 && (isAlnum(s[j]) || s[j] == '_' || s[j] == '-') {
		j++
	}
	if j-at-1 != 35 {
		return nil
	}
	return []span{{at + 1, j}}
}

// extractAWSPair finds an AWS secret access key written right after its
// access key id without a label: in a CSV from the console, in
// "AKIA... / wJalr..." prose, in a credentials dump. It is a 40-character
// base64 word within a short distance after the id, mixing cases and
// digits (a 40-hex git SHA does not qualify).
func extractAWSPair(src []byte, at, end int) []span {
	s := src[:end]
	if at+20 > len(s) {
		return nil
	}
	for k := at + 4; k < at+20; k++ {
		if !(isUpperASCII(s[k]) || isDigitASCII(s[k])) {
			return nil
		}
	}
	i := at + 20
	if i < len(s) && isAlnum(s[i]) {
		return nil
	}
	limit := min(len(s), i+160)
	for i < limit {
		for i < limit && !isB64Std(s[i]) {
			i++
		}
		j := i
		for j < len(s) && isB64Std(s[j]) {
			j++
		}
		w0 := i
		if i > 0 && s[i-1] == '\\' && j > i && isLowerASCII(s[i]) {
			w0++ // the letter of an escape (\n, \t) is not part of the word
		}
		w := s[w0:j]
		if len(w) == 40 && awsSecretShape(w) {
			return []span{{w0, j}}
		}
		if len(w) == 20 && (bytes.HasPrefix(w, []byte("AKIA")) || bytes.HasPrefix(w, []byte("ASIA"))) {
			return nil // the next pair
		}
		i = j
	}
	return nil
}

func awsSecretShape(w []byte) bool {
	lower, upper, digit := classCounts(w)
	return lower > 0 && upper > 0 && (digit > 0 || bytes.ContainsAny(w, "+/")) && entropy(w) >= 4.0
}

// jwkPrivateMembers are the members of a JSON Web Key that hold private
// key material (RFC 7518 section 6).
var jwkPrivateMembers = map[string]bool{"d": true, "p": true, "q": true, "dp": true, "dq": true, "qi": true, "k": true}

// extractJWKPrivate finds the private members of a JSON Web Key, at a
// "kty" or "d" anchor (alphabetically sorted JWKs put "d" first). The
// object must name a key type; each private member's value at or after
// the anchor is a span.
func extractJWKPrivate(src []byte, at, end int) []span {
	s := src[:end]
	// Cheap check: a "kty" must be near, in the raw bytes.
	lo, hi := max(0, at-512), min(len(s), at+1024)
	if !bytes.Contains(s[lo:hi], []byte("kty")) {
		return nil
	}
	d := decodeRange(s, at, hi)
	b := d.b
	if len(b) > 0 && b[0] == '\\' {
		return nil // an anchor inside an escape: the other anchor sees it
	}
	var out []span
	i := 0
	for depth := 0; i < len(b); i++ {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return out
			}
		case '"':
			j := bytes.IndexByte(b[i+1:], '"')
			if j < 0 {
				return out
			}
			name := b[i+1 : i+1+j]
			i += j + 1
			if depth != 0 || !jwkPrivateMembers[string(name)] {
				continue
			}
			k := skipSpaceTab(b, i+1, min(len(b), i+8))
			if k >= len(b) || b[k] != ':' {
				continue
			}
			k = skipSpaceTab(b, k+1, min(len(b), k+8))
			if k >= len(b) || b[k] != '"' {
				continue
			}
			v0 := k + 1
			v1 := v0
			for v1 < len(b) && (isAlnum(b[v1]) || b[v1] == '-' || b[v1] == '_') {
				v1++
			}
			if v1 < len(b) && b[v1] == '"' && v1-v0 >= 16 {
				out = append(out, d.toSrc(span{v0, v1}))
			}
			i = v1
		}
	}
	return out
}
