// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	yes := false
	data := `
listen: 127.0.0.1:9080
admin: 127.0.0.1:9081
intercept:
  add: [llm.internal.example, "*.models.example"]
  remove: [chatgpt.com]
routes:
  /azure: https://res.openai.azure.com/openai
  /gemini: ""
max_body: 64MiB
actions:
  github-pat: block
  known-secret: audit
default_action: redact
audit:
  file: audit.jsonl
secrets:
  - name: deploy
    env: DEPLOY_TOKEN
  - file: secrets/db-password
environment: false
upstream_ca: [corp-ca.pem, /etc/ssl/other.pem]
upstream_proxy: http://proxy.corp:3128
resolve: ["api.openai.com:443:10.0.0.1"]
ca:
  cert: /etc/hush/keys/ca.pem
  key: /etc/hush/keys/ca-key.pem
placeholder_key: keys/placeholder.key
vault:
  size: 5000
  ttl: 12h
log_level: info
`
	got, err := parseConfig("/etc/hush/config.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := &config{
		Listen: "127.0.0.1:9080", Admin: "127.0.0.1:9081",
		Intercept: interceptConfig{Add: []string{"llm.internal.example", "*.models.example"}, Remove: []string{"chatgpt.com"}},
		Routes:    map[string]string{"/azure": "https://res.openai.azure.com/openai", "/gemini": ""},
		MaxBody:   64 << 20,
		Actions:   map[string]action{"github-pat": "block", "known-secret": "audit"}, DefaultAction: "redact",
		Audit:       auditConfig{File: "/etc/hush/audit.jsonl"},
		Secrets:     []secretSource{{Name: "deploy", Env: "DEPLOY_TOKEN"}, {File: "/etc/hush/secrets/db-password"}},
		Environment: &yes, UpstreamCA: []string{"/etc/hush/corp-ca.pem", "/etc/ssl/other.pem"},
		UpstreamProxy: "http://proxy.corp:3128", Resolve: []string{"api.openai.com:443:10.0.0.1"},
		CA:             caConfig{Cert: "/etc/hush/keys/ca.pem", Key: "/etc/hush/keys/ca-key.pem"},
		PlaceholderKey: "/etc/hush/keys/placeholder.key",
		Vault:          vaultConfig{Size: 5000, TTL: duration(12 * time.Hour)},
		LogLevel:       "info",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parseConfig (-want +got):\n%s", diff)
	}
	if got.environment() {
		t.Errorf("environment() = true with environment: false")
	}
	if empty, err := parseConfig("c.yaml", nil); err != nil || !empty.environment() {
		t.Errorf("empty config: %v, environment() = %v; want no error and true", err, empty.environment())
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"unknown key", "listen: x\nlisen: y\n", "c.yaml: line 2: field lisen not found"},
		{"nested unknown key", "audit:\n  path: x\n", "line 2: field path not found"},
		{"bad action", "actions:\n  github-pat: drop\n", `line 2: action "drop": want redact, block or audit`},
		{"bad default action", "default_action: nope\n", `line 1: action "nope"`},
		{"bad size", "max_body: lots\n", `line 1: size "lots"`},
		{"bad ttl", "vault:\n  ttl: forever\n", `line 2: duration "forever"`},
		{"bad level", "log_level: loud\n", `line 1: log level "loud"`},
		{"half a CA", "ca:\n  cert: ca.pem\n", "ca: set both cert and key"},
		{"bad secret", "secrets:\n  - name: x\n", "secrets[0]: secret \"x\": set exactly one"},
		{"wrong type", "resolve: 5\n", "line 1: cannot unmarshal"},
		{"not yaml", "listen: [\n", "c.yaml: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig("c.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseConfig(%q) error = %v, want it to contain %q", tc.data, err, tc.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "32MiB": 32 << 20, "32 MB": 32e6, "512k": 512 << 10, "1GiB": 1 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "0", "1.5MiB", "MiB", "99999999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}

func TestReadConfig(t *testing.T) {
	home := t.TempDir()
	cfg, path, err := readConfig("", home)
	if err != nil || path != "" || cfg.Listen != "" {
		t.Errorf("no config file: %+v %q %v", cfg, path, err)
	}
	if _, _, err := readConfig(filepath.Join(home, "missing.yaml"), home); err == nil {
		t.Errorf("a missing --config file was accepted")
	}
}
