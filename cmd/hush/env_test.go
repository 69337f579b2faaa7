// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// requiredEnv are the variables issue 3 names; hush env must set them all.
var requiredEnv = []string{
	"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
	"NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
	"GIT_SSL_CAINFO", "AWS_CA_BUNDLE", "CODEX_CA_CERTIFICATE", "DENO_CERT",
}

func envJSON(t *testing.T, env []string, args ...string) map[string]string {
	t.Helper()
	code, stdout, stderr := runCA(t, env, nil, append([]string{"env", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("hush env --json = %d, stderr:\n%s", code, stderr)
	}
	var vars map[string]string
	if err := json.Unmarshal([]byte(stdout), &vars); err != nil {
		t.Fatalf("hush env --json: %v\n%s", err, stdout)
	}
	return vars
}

func TestEnv(t *testing.T) {
	home := t.TempDir()
	vars := envJSON(t, []string{"HUSH_HOME=" + home})
	for _, name := range requiredEnv {
		if _, ok := vars[name]; !ok {
			t.Errorf("hush env lacks %s", name)
		}
	}
	caPath, bundle := filepath.Join(home, "ca.pem"), filepath.Join(home, "ca-bundle.pem")
	want := map[string]string{
		"HTTPS_PROXY":          "http://127.0.0.1:8080",
		"http_proxy":           "http://127.0.0.1:8080",
		"NO_PROXY":             "localhost,127.0.0.1,::1",
		"NODE_EXTRA_CA_CERTS":  caPath, // adds to Node's roots: the CA alone
		"CODEX_CA_CERTIFICATE": caPath,
		"DENO_CERT":            caPath,
		"SSL_CERT_FILE":        bundle, // replaces the roots: the bundle
		"REQUESTS_CA_BUNDLE":   bundle,
		"CURL_CA_BUNDLE":       bundle,
		"GIT_SSL_CAINFO":       bundle,
		"AWS_CA_BUNDLE":        bundle,
	}
	for name, value := range want {
		if vars[name] != value {
			t.Errorf("%s = %q, want %q", name, vars[name], value)
		}
	}

	// The bundle: the system roots and the CA.
	data, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := os.ReadFile(caPath)
	if !bytes.Contains(data, ca) {
		t.Error("bundle lacks the hush CA")
	}
	if n := bytes.Count(data, []byte("-----BEGIN CERTIFICATE-----")); runtime.GOOS == "linux" && n < 101 {
		t.Errorf("bundle holds %d certificates, want the system roots (100+) and the CA", n)
	}
}

func TestEnvShells(t *testing.T) {
	// A HUSH_HOME with a space and a quote must survive eval.
	home := filepath.Join(t.TempDir(), "it's my home")
	env := []string{"HUSH_HOME=" + home, "SHELL=/bin/bash"}
	ca := filepath.Join(home, "ca.pem")
	tests := []struct {
		args []string
		line string
	}{
		{nil, `export NODE_EXTRA_CA_CERTS='` + strings.ReplaceAll(ca, "'", `'\''`) + `'`},
		{[]string{"--shell", "sh"}, `export HTTPS_PROXY='http://127.0.0.1:8080'`},
		{[]string{"--shell", "fish"}, `set -gx NODE_EXTRA_CA_CERTS '` + strings.ReplaceAll(ca, "'", `\'`) + `';`},
		{[]string{"--shell", "powershell"}, `$env:NODE_EXTRA_CA_CERTS = '` + strings.ReplaceAll(ca, "'", "''") + `'`},
		{[]string{"--listen", ":9999"}, `export HTTPS_PROXY='http://127.0.0.1:9999'`},
		{[]string{"--listen", "[::]:9999"}, `export HTTPS_PROXY='http://[::1]:9999'`},
		{[]string{"--listen", "192.168.1.5:3128"}, `export HTTPS_PROXY='http://192.168.1.5:3128'`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCA(t, env, nil, append([]string{"env"}, tt.args...)...)
		if code != exitOK || stderr != "" {
			t.Errorf("hush env %q = %d, stderr %q", tt.args, code, stderr)
		}
		if !slices.Contains(strings.Split(stdout, "\n"), tt.line) {
			t.Errorf("hush env %q: no line %s in\n%s", tt.args, tt.line, stdout)
		}
	}
	// fish is the default under fish.
	_, stdout, _ := runCA(t, []string{"HUSH_HOME=" + home, "SHELL=/usr/bin/fish"}, nil, "env")
	if !strings.HasPrefix(stdout, "set -gx ") {
		t.Errorf("hush env under fish printed %q", stdout[:min(len(stdout), 40)])
	}

	if sh, err := exec.LookPath("sh"); err == nil {
		_, script, _ := runCA(t, env, nil, "env")
		out, err := exec.Command(sh, "-c", script+`printf '%s|%s' "$NODE_EXTRA_CA_CERTS" "$SSL_CERT_FILE"`).CombinedOutput()
		want := ca + "|" + filepath.Join(home, "ca-bundle.pem")
		if err != nil || string(out) != want {
			t.Errorf("sh eval of hush env: %q, %v; want %q", out, err, want)
		}
	}
}

func TestEnvUsage(t *testing.T) {
	home := t.TempDir()
	for _, args := range [][]string{
		{"env", "--shell", "tcsh"},
		{"env", "--listen", "8080"},
		{"env", "extra"},
	} {
		code, stdout, stderr := runCA(t, []string{"HUSH_HOME=" + home}, nil, args...)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "hush: error: ") || !strings.Contains(stderr, "hush: hint: ") {
			t.Errorf("hush %q = %d %q %q, want usage error with hint", args, code, stdout, stderr)
		}
	}
	code, stdout, _ := runCA(t, []string{"HUSH_HOME=" + home}, nil, "env", "-h")
	if code != exitOK || !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, "Examples:") {
		t.Errorf("hush env -h = %d %q", code, stdout)
	}
}

// TestEnvNoProxy: the caller's NO_PROXY survives, except entries that would
// send model API traffic around hush.
func TestEnvNoProxy(t *testing.T) {
	env := []string{
		"HUSH_HOME=" + t.TempDir(),
		"NO_PROXY=.corp.example,api.openai.com,10.0.0.0/8",
		"no_proxy=*,internal:8443,openai.com,localhost,.anthropic.com",
	}
	code, stdout, stderr := runCA(t, env, nil, "env", "--json")
	if code != exitOK {
		t.Fatalf("hush env = %d, stderr %q", code, stderr)
	}
	var vars map[string]string
	json.Unmarshal([]byte(stdout), &vars)
	want := "localhost,127.0.0.1,::1,.corp.example,10.0.0.0/8,internal:8443"
	if vars["NO_PROXY"] != want || vars["no_proxy"] != want {
		t.Errorf("NO_PROXY = %q, no_proxy = %q, want %q", vars["NO_PROXY"], vars["no_proxy"], want)
	}
	for _, dropped := range []string{"api.openai.com", "*", "openai.com", ".anthropic.com"} {
		if !strings.Contains(stderr, `hush: warning: NO_PROXY entry "`+dropped+`"`) {
			t.Errorf("stderr lacks a warning about %q:\n%s", dropped, stderr)
		}
	}
}

func TestRuntimeEnvWithoutBundle(t *testing.T) {
	vars := runtimeEnv("http://127.0.0.1:1", "/h/ca.pem", "", loopback)
	for _, v := range vars {
		if v.Value == "" {
			t.Errorf("%s is empty", v.Name)
		}
		if v.Name == "SSL_CERT_FILE" {
			t.Error("SSL_CERT_FILE set without a bundle: it would replace every root with the hush CA alone")
		}
	}
	if !slices.ContainsFunc(vars, func(v envVar) bool { return v.Name == "NODE_EXTRA_CA_CERTS" }) {
		t.Error("NODE_EXTRA_CA_CERTS missing")
	}
}
