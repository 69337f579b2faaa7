// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Command agentreq writes an agent-shaped model API request of about -size
// bytes to stdout, for the benchmark scripts in bench/. Planted secrets are
// made at run time (GitHub PATs with valid checksums), never committed.
package main

import (
	"flag"
	"fmt"
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
		toks = append(toks, agentreq.FakeGitHubPAT(rng))
	}
	if _, err := os.Stdout.Write(agentreq.Generate(*size, *seed, toks)); err != nil {
		fmt.Fprintln(os.Stderr, "agentreq:", err)
		os.Exit(1)
	}
}
