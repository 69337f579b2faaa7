// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"hash/crc32"
)

// checks are the named validators a rule's `check:` can use. Each sees the
// secret (the rule's secret group, escapes decoded) and reports whether it
// is genuine, for example whether its embedded checksum holds. The table is
// read-only after init.
var checks = map[string]func(secret []byte) bool{
	"github-crc32": checkGitHubCRC32,
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62CRC32 encodes crc32(data) in base62, zero-padded to 6 digits: the
// checksum scheme of GitHub's and npm's tokens (github.blog, 2021-04-05).
func base62CRC32(data []byte) [6]byte {
	n := crc32.ChecksumIEEE(data)
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return out
}

// checkGitHubCRC32 validates prefix_ + 30 random + 6 checksum tokens
// (ghp_, gho_, ghu_, ghs_, ghr_, npm_): the last 6 characters are the
// base62 CRC32 of the 30 before them.
func checkGitHubCRC32(s []byte) bool {
	if len(s) < 4+30+6 {
		return false
	}
	body, sum := s[len(s)-36:len(s)-6], s[len(s)-6:]
	want := base62CRC32(body)
	return string(sum) == string(want[:])
}
