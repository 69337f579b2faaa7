// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hushproxy/hush/internal/agentreq"
)

// runCLI runs hush in-process and returns the exit code, stdout and stderr.
func runCLI(t *testing.T, env []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, env: env}
	code := c.run(args)
	return code, out.String(), errb.String()
}

func testEnv(t *testing.T) []string {
	return []string{"HUSH_HOME=" + filepath.Join(t.TempDir(), "home")}
}

func TestRedactCommand(t *testing.T) {
	env := testEnv(t)
	tok := fakePAT(1)
	in := "line one\nexport GITHUB_TOKEN=" + tok + "\n\ttabs and trailing  \n"
	code, out, errOut := runCLI(t, env, in, "redact")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(out, tok) || strings.Contains(errOut, tok) {
		t.Fatalf("token survived: stdout %q stderr %q", out, errOut)
	}
	want := strings.Replace(in, tok, "", 1)
	if got := placeholderRE(out); got != want {
		t.Errorf("other bytes changed:\n got %q\nwant %q", got, want)
	}
	// Deterministic across invocations with the same HUSH_HOME.
	_, out2, _ := runCLI(t, env, in, "redact")
	if out2 != out {
		t.Errorf("second run differs: %q vs %q", out2, out)
	}
	// The key is in HUSH_HOME, 0600; no value is.
	home := strings.TrimPrefix(env[0], "HUSH_HOME=")
	assertNoValueOnDisk(t, home, tok)
	if fi, err := os.Stat(filepath.Join(home, "placeholder.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("placeholder.key: %v, mode %v", err, fi.Mode())
	}
}

// placeholderRE strips hush placeholders from s.
func placeholderRE(s string) string {
	for {
		i := strings.Index(s, "hush_")
		if i < 0 {
			return s
		}
		j := i + len("hush_")
		for j < len(s) && s[j] != '_' {
			j++
		}
		s = s[:i] + s[j+1+12:]
	}
}

func assertNoValueOnDisk(t *testing.T, dir, value string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(value)) {
				t.Errorf("%s holds a secret value", p)
			}
		}
		return nil
	})
}

func TestScanCommand(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	tok := fakePAT(2)
	os.WriteFile(filepath.Join(dir, "clean.txt"), []byte("nothing to see\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "dirty.env"), []byte("A=1\nTOKEN="+tok+"\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "config"), []byte(tok), 0o644)

	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains string
	}{
		{"clean file", []string{"scan", filepath.Join(dir, "clean.txt")}, "", exitOK, ""},
		{"dirty dir", []string{"scan", dir}, "", exitFound, "dirty.env:2:7: github-pat fingerprint="},
		{"stdin", []string{"scan", "-"}, "x " + tok, exitFound, "-:1:3: github-pat"},
		{"missing", []string{"scan", filepath.Join(dir, "nope")}, "", exitError, ""},
		{"bad flag", []string{"scan", "--bogus"}, "", exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, env, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.contains) {
				t.Errorf("stdout %q, want it to contain %q", out, tt.contains)
			}
			if strings.Contains(out+errOut, tok) {
				t.Errorf("value printed")
			}
			if strings.Contains(out, ".git") {
				t.Errorf(".git was scanned: %q", out)
			}
		})
	}
}

func TestScanJSON(t *testing.T) {
	code, out, _ := runCLI(t, testEnv(t), "a\nb "+fakePAT(3), "scan", "--json")
	if code != exitFound {
		t.Fatalf("exit %d", code)
	}
	var fs []scanFinding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Line != 2 || fs[0].Column != 3 || fs[0].Rule != "github-pat" || fs[0].Fingerprint == "" {
		t.Errorf("findings = %+v", fs)
	}
}

func TestKnownSecretsFromEnvAndDotenv(t *testing.T) {
	env := append(testEnv(t), "MY_API_KEY=env-value-Qx81-zz")
	dot := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(dot, []byte("DB_PASSWORD=dotenv-value-77aa\n"), 0o600)
	in := "a env-value-Qx81-zz b dotenv-value-77aa c"
	_, out, _ := runCLI(t, env, in, "redact", "--dotenv", dot)
	if strings.Contains(out, "env-value-Qx81-zz") || strings.Contains(out, "dotenv-value-77aa") {
		t.Errorf("known secrets survived: %q", out)
	}
	if !strings.Contains(out, "hush_my-api-key_") || !strings.Contains(out, "hush_db-password_") {
		t.Errorf("placeholders not named for their sources: %q", out)
	}
	_, out, _ = runCLI(t, env, in, "redact", "--no-env")
	if !strings.Contains(out, "env-value-Qx81-zz") {
		t.Errorf("--no-env still used the environment: %q", out)
	}
}

func TestUsage(t *testing.T) {
	if code, out, _ := runCLI(t, nil, "", "help"); code != exitOK || !strings.Contains(out, "Usage:") {
		t.Errorf("help: exit %d, stdout %q", code, out)
	}
	if code, _, errOut := runCLI(t, nil, ""); code != exitUsage || !strings.Contains(errOut, "Usage:") {
		t.Errorf("bare hush: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "frobnicate"); code != exitUsage || !strings.Contains(errOut, "hush: error: unknown command") || !strings.Contains(errOut, "hush: hint:") {
		t.Errorf("unknown: exit %d, stderr %q", code, errOut)
	}
	if code, out, _ := runCLI(t, nil, "", "scan", "-h"); code != exitOK || !strings.Contains(out, "Examples:") {
		t.Errorf("scan -h: exit %d, stdout %q", code, out)
	}
}

// TestRedactUsesConfig checks that hush redact finds the config's named
// secrets, as hush serve does, from --config or HUSH_HOME/config.yaml.
func TestRedactUsesConfig(t *testing.T) {
	env := testEnv(t)
	home := strings.TrimPrefix(env[0], "HUSH_HOME=")
	os.MkdirAll(home, 0o700)
	file := filepath.Join(t.TempDir(), "vault-token")
	os.WriteFile(file, []byte("cfg-Secret-Value-9341\n"), 0o600)
	cfg := "secrets:\n  - name: VAULT_TOKEN\n    file: " + file + "\n"
	in := "x cfg-Secret-Value-9341 y"
	os.WriteFile(filepath.Join(home, "config.yaml"), []byte(cfg), 0o600)
	if _, out, errOut := runCLI(t, env, in, "redact"); strings.Contains(out, "cfg-Secret-Value-9341") || !strings.Contains(out, "hush_vault-token_") {
		t.Errorf("HUSH_HOME/config.yaml: stdout %q, stderr %q", out, errOut)
	}
	other := filepath.Join(t.TempDir(), "other.yaml")
	os.WriteFile(other, []byte(cfg), 0o600)
	os.Remove(filepath.Join(home, "config.yaml"))
	if _, out, errOut := runCLI(t, env, in, "redact", "--config", other); strings.Contains(out, "cfg-Secret-Value-9341") {
		t.Errorf("--config: stdout %q, stderr %q", out, errOut)
	}
	if code, _, errOut := runCLI(t, env, in, "redact", "--config", filepath.Join(home, "missing.yaml")); code != exitError || !strings.Contains(errOut, "hush: error:") {
		t.Errorf("missing --config: exit %d, stderr %q", code, errOut)
	}
}

// TestHelpGoesToStdoutOnce checks every command's -h: the help on stdout,
// once, nothing on stderr, exit 0.
func TestHelpGoesToStdoutOnce(t *testing.T) {
	for _, cmd := range commands() {
		code, out, errOut := runCLI(t, testEnv(t), "", cmd.name, "-h")
		if code != exitOK || errOut != "" || strings.Count(out, "Usage:") != 1 {
			t.Errorf("hush %s -h: exit %d, %d Usage: on stdout, stderr %q", cmd.name, code, strings.Count(out, "Usage:"), errOut)
		}
	}
}

// fakePAT returns a GitHub classic PAT with a valid checksum, the same for
// the same seed.
func fakePAT(seed uint64) string {
	return agentreq.FakeGitHubPAT(rand.New(rand.NewPCG(seed, seed)))
}
