// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// extractPEM finds a private key block at at: PEM (PKCS#1, SEC 1, PKCS#8,
// encrypted PKCS#8, OpenSSH), OpenPGP armor and SSH2 (RFC 4716 style).
// The span covers the block from -----BEGIN to the end of its END line,
// so neither the key nor its type survives. A block cut short (a log that
// truncates, a paste that misses the footer) is covered up to the end of
// its base64 body. The block may sit in a JSON string (\n escapes, one or
// two levels), in YAML (indented) or in code (quoted lines).
//
// Public keys and certificates do not match: the label must say PRIVATE
// KEY. Documentation stand-ins (an empty body, "...", "<your key>") fail
// the body check: a real key has long base64 lines with high entropy.
func extractPEM(src []byte, at, end int) []span {
	s := src[:end]
	if !bytes.HasPrefix(s[at:], []byte("----")) {
		return nil
	}
	// Cheap header check on the raw bytes before decoding anything: the
	// label never holds escapes.
	i := at
	for i < len(s) && s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == ' ' {
		i++
	}
	if !bytes.HasPrefix(s[i:], []byte("BEGIN ")) {
		return nil
	}
	label := i + len("BEGIN ")
	j := label
	for j < len(s) && j-label < 64 && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' || s[j] == ' ' || s[j] == '_') {
		j++
	}
	name := bytes.TrimSpace(s[label:j])
	if !bytes.Contains(name, []byte("PRIVATE KEY")) || j >= len(s) || s[j] != '-' {
		return nil
	}
	d := decodeRange(s, at, len(s))
	b := d.b
	// Past the header's closing dashes.
	h := bytes.Index(b, name)
	if h < 0 {
		return nil
	}
	body := h + len(name)
	for body < len(b) && (b[body] == '-' || b[body] == ' ') {
		body++
	}
	stop := len(b)
	if k := bytes.Index(b[body:], []byte("BEGIN ")); k >= 0 {
		stop = body + k // another block starts: this one was cut short
	}
	var tail int
	if k := bytes.Index(b[body:stop], append([]byte("END "), name...)); k >= 0 {
		tail = body + k + len("END ") + len(name)
		for tail < len(b) && tail-body-k < 200 && (b[tail] == '-' || b[tail] == ' ' && tail+1 < len(b) && b[tail+1] == '-') {
			tail++
		}
		// Back over the footer's leading dashes for the body check.
		stop = body + k
		for stop > body && (b[stop-1] == '-' || b[stop-1] == ' ') {
			stop--
		}
	} else {
		tail = pemBodyEnd(b, body, stop)
		stop = tail
	}
	if !pemBodyOK(b[body:stop]) {
		return nil
	}
	return []span{d.toSrc(span{0, tail})}
}

// pemBodyEnd returns where the base64 body that starts at i ends, when the
// footer is missing: after the last line that is base64 or an armor
// header (Proc-Type:, DEK-Info:, Version:, Comment:).
func pemBodyEnd(b []byte, i, stop int) int {
	last := i
	for i < stop {
		e := i
		for e < stop && b[e] != '\n' {
			e++
		}
		line := bytes.TrimSpace(b[i:e])
		line = bytes.Trim(line, `"',+`)
		line = bytes.TrimSpace(line)
		switch {
		case len(line) == 0:
		case isArmorHeader(line):
			last = i + len(b[i:e])
		case isB64Line(line):
			k := bytes.LastIndexAny(b[i:e], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
			last = i + k + 1
		default:
			return last
		}
		i = e + 1
	}
	return last
}

func isArmorHeader(line []byte) bool {
	c := bytes.IndexByte(line, ':')
	if c <= 0 || c > 24 {
		return false
	}
	for _, ch := range line[:c] {
		if !(isAlnum(ch) || ch == '-') {
			return false
		}
	}
	return true
}

func isB64Line(line []byte) bool {
	if len(line) < 4 {
		return false
	}
	for _, c := range line {
		if !isB64Std(c) && c != '=' {
			return false
		}
	}
	return true
}

// pemBodyOK reports whether a block body holds key material: a base64
// line of 40 or more characters, 64 or more base64 characters in all, and
// the entropy of random bytes.
func pemBodyOK(body []byte) bool {
	var run, longest int
	all := make([]byte, 0, len(body))
	for _, c := range body {
		if isB64Std(c) {
			run++
			all = append(all, c)
			longest = max(longest, run)
			continue
		}
		run = 0
	}
	return longest >= 40 && len(all) >= 64 && entropy(all) >= 4.5
}

// extractPuTTY finds a PuTTY private key file (PuTTY-User-Key-File-2 or
// -3). The span runs from the header to the end of the Private-MAC line,
// which covers the private lines whether or not they are encrypted.
func extractPuTTY(src []byte, at, end int) []span {
	s := src[:end]
	if !bytes.HasPrefix(s[at:], []byte("PuTTY-User-Key-File-")) {
		return nil
	}
	d := decodeRange(s, at, len(s))
	b := d.b
	p := bytes.Index(b, []byte("Private-Lines:"))
	if p < 0 {
		return nil
	}
	m := bytes.Index(b[p:], []byte("Private-MAC:"))
	var tail int
	if m >= 0 {
		tail = p + m + len("Private-MAC:")
		for tail < len(b) && isSpaceTab(b[tail]) {
			tail++
		}
		for tail < len(b) && isAlnum(b[tail]) {
			tail++
		}
	} else {
		nl := bytes.IndexByte(b[p:], '\n')
		if nl < 0 {
			return nil
		}
		tail = pemBodyEnd(b, p+nl+1, len(b))
	}
	nl := bytes.IndexByte(b[p:], '\n')
	if nl < 0 || !pemBodyOKShort(b[p+nl:tail]) {
		return nil
	}
	return []span{d.toSrc(span{0, tail})}
}

// pemBodyOKShort is pemBodyOK for PuTTY's private lines, which for an
// Ed25519 key are a single short line.
func pemBodyOKShort(body []byte) bool {
	n := 0
	all := make([]byte, 0, len(body))
	for _, c := range body {
		if isB64Std(c) {
			n++
			all = append(all, c)
		}
	}
	return n >= 40 && entropy(all) >= 4.0
}
