// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package agentreq

import (
	"hash/crc32"
	"math/rand/v2"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// FakeGitHubPAT returns a GitHub classic token (ghp_ + 30 base62 + the
// base62 CRC32 of those 30) made from rng. It has a valid checksum, so the
// rules catch it, and it exists only at run time, so nothing realistic is
// ever committed.
func FakeGitHubPAT(rng *rand.Rand) string {
	body := make([]byte, 30)
	for i := range body {
		body[i] = base62[rng.IntN(len(base62))]
	}
	n := crc32.ChecksumIEEE(body)
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = base62[n%62]
		n /= 62
	}
	return "ghp_" + string(body) + string(sum[:])
}
