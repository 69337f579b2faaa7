// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEConfigParses keeps the README honest: every YAML block in it
// that looks like a config file (it has a top-level key hush knows) must
// parse with the strict config parser.
func TestREADMEConfigParses(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```yaml\n")
	n := 0
	for _, b := range blocks[1:] {
		yml, _, _ := strings.Cut(b, "```")
		if !strings.Contains(yml, "rehydrate:") && !strings.Contains(yml, "listen:") {
			continue
		}
		n++
		if _, err := parseConfig("README.md", []byte(yml)); err != nil {
			t.Errorf("README config block %d does not parse: %v\n%s", n, err, yml)
		}
	}
	if n < 2 {
		t.Errorf("found %d config blocks in README.md, want at least 2", n)
	}
}
