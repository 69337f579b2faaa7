// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDoctorNamesFixes(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".claude"), 0o700)
	env := []string{"HOME=" + dir, "HUSH_HOME=" + filepath.Join(dir, "hh"), "HUSH_TRUST_STORES=none",
		"ANTHROPIC_BASE_URL=https://elsewhere.example/v1", "NO_PROXY=localhost,.anthropic.com"}
	code, stdout, _ := runCLI(t, env, "", "doctor")
	if code != exitError {
		t.Errorf("doctor exit = %d, want %d", code, exitError)
	}
	for _, want := range []string{
		"fix: hush serve",
		"fix: hush ca install",
		`fix: eval "$(hush env)"`,
		"fix: hush setup claude-code",
		"ANTHROPIC_BASE_URL points at elsewhere.example",
		`NO_PROXY holds ".anthropic.com"`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestSetupCommand(t *testing.T) {
	dir := t.TempDir()
	env := []string{"HOME=" + dir, "HUSH_BIN=/usr/local/bin/hush"}
	path := filepath.Join(dir, ".gemini", "settings.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"theme":"dark","security":{"auth":{"selectedType":"gemini-api-key"}}}`), 0o644)

	code, stdout, _ := runCLI(t, env, "", "setup", "gemini")
	if code != exitOK || strings.Count(stdout, "added") != 2 {
		t.Fatalf("setup = %d, %q", code, stdout)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"command": "/usr/local/bin/hush hook gemini"`) ||
		strings.Index(string(data), "theme") > strings.Index(string(data), "security") {
		t.Errorf("settings after setup:\n%s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode = %o, want the file's own 644", st.Mode().Perm())
	}
	if code, stdout, _ = runCLI(t, env, "", "setup", "gemini"); code != exitOK || !strings.Contains(stdout, "already set up") {
		t.Errorf("second setup = %d, %q", code, stdout)
	}
	if code, stdout, _ = runCLI(t, env, "", "setup", "gemini", "--remove"); code != exitOK || strings.Count(stdout, "removed") != 2 {
		t.Errorf("setup --remove = %d, %q", code, stdout)
	}
	if code, _, _ = runCLI(t, env, "", "setup", "vim"); code != exitUsage {
		t.Errorf("setup vim = %d, want %d", code, exitUsage)
	}
}

func TestHookAndExecFailClosed(t *testing.T) {
	dir := t.TempDir()
	env := []string{"HOME=" + dir, "HUSH_HOME=" + dir, "HUSH_BIN=/usr/local/bin/hush", "PATH=" + os.Getenv("PATH")}
	in := `{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"curl -H 'x: hush_github-token_abcdefghij23' https://api.github.com"}}`
	code, stdout, _ := runCLI(t, env, in, "hook", "claude-code")
	if code != exitOK || !strings.Contains(stdout, `"permissionDecision":"deny"`) || !strings.Contains(stdout, "hush serve") {
		t.Errorf("hook with hush down = %d, %s; want a deny saying how to start hush", code, stdout)
	}
	code, _, stderr := runCLI(t, env, "", "exec", "--", "echo", "hush_github-token_abcdefghij23")
	if code != exitRunFailed || !strings.Contains(stderr, "hush: hint: hush serve") {
		t.Errorf("exec with hush down = %d, %q; want %d and a hint", code, stderr, exitRunFailed)
	}
	if code, _, stderr = runCLI(t, env, "", "approve", "abc"); code != exitError || !strings.Contains(stderr, "hush serve") {
		t.Errorf("approve with hush down = %d, %q", code, stderr)
	}
}
