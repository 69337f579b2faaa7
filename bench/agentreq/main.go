// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Command agentreq writes an agent-shaped model API request of about -size
// bytes to stdout, for the benchmark scripts in bench/. Planted secrets are
// made at run time (GitHub PATs with valid checksums), never committed.
package main

import (
	"flag"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"

	"github.com/hushproxy/hush/internal/agentreq"
)

func main() {
	size := flag.Int("size", 1<<20, "approximate size in bytes")
	seed := flag.Uint64("seed", 1, "generator seed")
	plant := flag.Int("secrets", 10, "number of fake GitHub tokens to plant")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 99))
	var toks []string
	for range *plant {
		toks = append(toks, fakePAT(rng))
	}
	if _, err := os.Stdout.Write(agentreq.Generate(*size, *seed, toks)); err != nil {
		fmt.Fprintln(os.Stderr, "agentreq:", err)
		os.Exit(1)
	}
}

const b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func fakePAT(rng *rand.Rand) string {
	body := make([]byte, 30)
	for i := range body {
		body[i] = b62[rng.IntN(62)]
	}
	n := crc32.ChecksumIEEE(body)
	sum := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		sum[i] = b62[n%62]
		n /= 62
	}
	return "ghp_" + string(body) + string(sum)
}
