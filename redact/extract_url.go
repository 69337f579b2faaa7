// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// extractURLUserinfo finds credentials in the userinfo of any URL
// (scheme://user:password@host, scheme://token@host) at a "://" anchor,
// also written ":\/\/" in JSON. The password is the secret; a userinfo
// without a password is reported only when it looks like a token (a
// GitHub token before @github.com, a Sentry DSN key). The last @ before
// the path ends the userinfo, so an unencoded @ inside a password stays
// inside it. Placeholders (user:pass@, ${PASS}, <password>, ****) are
// left to allowed.
func extractURLUserinfo(src []byte, at, end int) []span {
	s := src[:end]
	i := at
	switch {
	case bytes.HasPrefix(s[at:], []byte("://")):
		i += 3
	case bytes.HasPrefix(s[at:], []byte(`:\/\/`)):
		i += 5
	default:
		return nil
	}
	start, lastAt := i, -1
	for ; i < len(s) && i-start < 512; i++ {
		c := s[i]
		if c == '@' {
			lastAt = i
			continue
		}
		if isURLUserinfoStop(c) {
			break
		}
	}
	if lastAt <= start || lastAt+1 >= len(s) {
		return nil
	}
	if h := s[lastAt+1]; !(isAlnum(h) || h == '[') {
		return nil
	}
	ui := s[start:lastAt]
	colon := bytes.IndexByte(ui, ':')
	if colon < 0 {
		if looksToken(ui) {
			return []span{{start, lastAt}}
		}
		return nil
	}
	user, pass := ui[:colon], ui[colon+1:]
	p0 := start + colon + 1
	switch {
	case len(pass) == 0:
		if looksToken(user) {
			return []span{{start, start + colon}}
		}
		return nil
	case bytes.EqualFold(pass, []byte("x-oauth-basic")) || bytes.EqualFold(pass, []byte("x-oauth-token")):
		if looksToken(user) {
			return []span{{start, start + colon}}
		}
		return nil
	case len(pass) <= 5 && allDigits(pass):
		return nil // host:port@ in a malformed URL, or a PIN-sized number
	case len(pass) < 3:
		return nil
	case bytes.IndexByte(pass, ':') >= 0 && isLowerWords(pass):
		return nil // cvs://:pserver:anoncvs@host, not a password
	case placeholderUsers[string(bytes.ToLower(user))] && len(pass) < 10:
		return nil // https://user:he%2F%2Fo@host in docs
	case hasTestWord(pass, false) || isLowerPhrase(pass):
		return nil // user:other-secret@, user:synthetic-secret-password@
	}
	return []span{{p0, lastAt}}
}

// placeholderUsers are user names that mark a documentation URL.
var placeholderUsers = map[string]bool{"user": true, "username": true, "login": true, "name": true, "foo": true, "me": true, "you": true}

// isLowerWords reports whether b is only lowercase letters and : . -.
func isLowerWords(b []byte) bool {
	for _, c := range b {
		if !(isLowerASCII(c) || c == ':' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// isURLUserinfoStop reports whether c cannot be in the userinfo of a URL
// as people write them (RFC 3986 is stricter; passwords with an unencoded
// : or @ are common and kept).
func isURLUserinfoStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '/', '?', '#', '"', '\'', '`', '\\', '<', '>', '(', ')', '[', ']', '{', '}', '|', '^', ',', ';':
		return true
	}
	return c < 0x20
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigitASCII(c) {
			return false
		}
	}
	return len(b) > 0
}

// looksToken reports whether b looks like a generated credential rather
// than a user name: long, letters and digits, and random.
func looksToken(b []byte) bool {
	if len(b) < 16 || len(b) > 256 || bytes.Contains(b, []byte("%40")) || bytes.Contains(b, []byte("%2540")) {
		return false // an e-mail address as the user name
	}
	var letters, digits int
	for _, c := range b {
		switch {
		case isLowerASCII(c) || isUpperASCII(c):
			letters++
		case isDigitASCII(c):
			digits++
		case c == '-' || c == '_' || c == '.' || c == '~' || c == '%' || c == '+' || c == '=':
		default:
			return false
		}
	}
	return letters > 0 && digits > 0 && entropy(b) >= 3.3
}
