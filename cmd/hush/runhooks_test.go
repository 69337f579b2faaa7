// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hushproxy/hush/hook"
)

// testCLI is a cli with the given environment; stderr is returned.
func testCLI(env ...string) (*cli, *bytes.Buffer) {
	var stderr bytes.Buffer
	return &cli{env: env, stdout: &bytes.Buffer{}, stderr: &stderr}, &stderr
}

func TestCodexHookHash(t *testing.T) {
	// Observed with Codex 0.171.0 ("codex app-server", hooks/list): the
	// currentHash of -c 'hooks.PreToolUse=[{matcher="*",hooks=[{type=
	// "command",command="/usr/local/bin/hush hook codex"}]}]'.
	e := hook.Entry{Event: "PreToolUse", Matcher: "*", Command: "/usr/local/bin/hush hook codex"}
	got, err := codexHookHash(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := "sha256:664f39f1b66173634ae2aae1106d4f2744e19cb91d38e3050ef4070054acde7f"; got != want {
		t.Errorf("codexHookHash = %s, want %s", got, want)
	}
	e.Command = "/opt/hush hook codex"
	if other, _ := codexHookHash(e); other == got {
		t.Errorf("the hash does not depend on the command")
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"PreToolUse": "pre_tool_use", "PostToolUse": "post_tool_use", "Stop": "stop"} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAgentArgs(t *testing.T) {
	hush := "/usr/local/bin/hush"
	empty := t.TempDir()
	tests := []struct {
		name     string
		argv     []string
		wantArgv []string // nil: compare with argv
	}{
		{"other", []string{"aider", "--yes"}, nil},
		{"claude", []string{"/usr/bin/claude", "-p", "hi"}, []string{"/usr/bin/claude", "--settings",
			`{"hooks":{"PreToolUse":[{"matcher":"*","hooks":[{"type":"command","command":"/usr/local/bin/hush hook claude-code"}]}],"PostToolUse":[{"matcher":"*","hooks":[{"type":"command","command":"/usr/local/bin/hush hook claude-code"}]}]}}`,
			"-p", "hi"}},
		{"codex", []string{"codex", "exec", "fix it"}, []string{"codex",
			"-c", `hooks.PreToolUse=[{matcher="*",hooks=[{type="command",command="/usr/local/bin/hush hook codex"}]}]`,
			"-c", `hooks.state={"/<session-flags>/config.toml:pre_tool_use:0:0"={trusted_hash="sha256:664f39f1b66173634ae2aae1106d4f2744e19cb91d38e3050ef4070054acde7f"}}`,
			"exec", "fix it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, stderr := testCLI("HUSH_BIN="+hush, "HOME="+empty, "CODEX_HOME="+filepath.Join(empty, "codex"))
			got := c.agentArgs(tt.argv)
			want := tt.wantArgv
			if want == nil {
				want = tt.argv
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("argv (-want +got):\n%s", diff)
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr: %s", stderr)
			}
		})
	}
}

func TestAgentArgsCodexAlreadySetUp(t *testing.T) {
	dir := t.TempDir()
	c, _ := testCLI("HUSH_BIN=/usr/local/bin/hush", "CODEX_HOME="+dir)
	settings, _, err := hook.Install(nil, hook.Entries(hook.Codex, "/usr/local/bin/hush"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "hooks.json"), settings, 0o600)
	argv := []string{"codex", "exec", "hi"}
	if got := c.agentArgs(argv); !cmp.Equal(got, argv) {
		t.Errorf("with hush setup codex done, argv = %q, want it unchanged", got)
	}
	// A hooks.json with another hush path does not count.
	os.WriteFile(filepath.Join(dir, "hooks.json"), bytes.ReplaceAll(settings, []byte("/usr/local/bin/hush"), []byte("/old/hush")), 0o600)
	if got := c.agentArgs(argv); len(got) == len(argv) {
		t.Errorf("with another hush in hooks.json, argv = %q, want the hooks added", got)
	}
}

func TestAgentArgsGemini(t *testing.T) {
	installed, _, err := hook.Install([]byte(`{"ui":{"theme":"x"}}`), hook.Entries(hook.Gemini, "/usr/local/bin/hush"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		settings string // ~/.gemini/settings.json; "" for none
		wantHint bool
	}{
		{"no settings", "", true},
		{"settings without the hooks", `{"ui":{"theme":"x"}}`, true},
		{"hush setup gemini done", string(installed), false},
		{"another hush", strings.ReplaceAll(string(installed), "/usr/local/bin/hush", "/old/hush"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			if tt.settings != "" {
				os.MkdirAll(filepath.Join(home, ".gemini"), 0o700)
				os.WriteFile(filepath.Join(home, ".gemini", "settings.json"), []byte(tt.settings), 0o600)
			}
			c, stderr := testCLI("HUSH_BIN=/usr/local/bin/hush", "HOME="+home)
			argv := []string{"gemini", "-p", "hi"}
			if got := c.agentArgs(argv); !cmp.Equal(got, argv) {
				t.Errorf("argv = %q, want it unchanged", got)
			}
			if got := strings.Contains(stderr.String(), "hush: hint: hush setup gemini\n"); got != tt.wantHint {
				t.Errorf("hint printed: %v, want %v; stderr:\n%s", got, tt.wantHint, stderr)
			}
			if tt.settings != "" {
				if b, _ := os.ReadFile(filepath.Join(home, ".gemini", "settings.json")); string(b) != tt.settings {
					t.Errorf("the settings changed:\n%s", b)
				}
			}
		})
	}
}
