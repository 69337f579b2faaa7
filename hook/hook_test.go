// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package hook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hushproxy/hush/control"
)

// fakeBackend stands for a running hush that holds one placeholder.
type fakeBackend struct {
	ph, value string
	refuse    string // reason to refuse with, if any
	down      bool
	got       []control.AuthorizeRequest
}

func (b *fakeBackend) Authorize(ctx context.Context, req control.AuthorizeRequest) (control.AuthorizeResponse, error) {
	if b.down {
		return control.AuthorizeResponse{}, control.ErrNotRunning
	}
	b.got = append(b.got, req)
	var resp control.AuthorizeResponse
	for _, ph := range control.FindPlaceholders([]byte(strings.Join(req.Argv, " "))) {
		p := control.Placeholder{Placeholder: ph, Allowed: ph == b.ph && b.refuse == ""}
		if !p.Allowed {
			p.Reason = b.refuse
			if ph != b.ph {
				p.Reason = "unknown"
			}
		}
		resp.Placeholders = append(resp.Placeholders, p)
		if p.Allowed {
			resp.Ticket = "tticket"
		}
	}
	return resp, nil
}

func (b *fakeBackend) Redact(ctx context.Context, text string) (control.RedactResponse, error) {
	if b.down {
		return control.RedactResponse{}, control.ErrNotRunning
	}
	n := strings.Count(text, b.value)
	return control.RedactResponse{Text: strings.ReplaceAll(text, b.value, b.ph), Replaced: n}, nil
}

func newBackend(t *testing.T) *fakeBackend {
	b := make([]byte, 12)
	rand.Read(b)
	return &fakeBackend{ph: "hush_deploy-token_abcdefgh2345", value: "v-" + hex.EncodeToString(b)}
}

// load reads a recorded payload and fills in the placeholder and value.
func load(t *testing.T, name string, b *fakeBackend) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), "{{PH}}", b.ph)
	return []byte(strings.ReplaceAll(s, "{{VALUE}}", b.value))
}

func decode(t *testing.T, r Result) map[string]any {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("exit code %d (stderr %q), want 0", r.Code, r.Stderr)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Stdout, &m); err != nil {
		t.Fatalf("stdout %q is not JSON: %v", r.Stdout, err)
	}
	return m
}

const hushPath = "/opt/hush bin/hush"

func wantWrapped(cmd string) string {
	return "'" + hushPath + "' exec --ticket tticket -- bash -c " + shellQuote(cmd)
}

func TestPreToolUse(t *testing.T) {
	b := newBackend(t)
	cmd := "echo " + b.ph + "; echo " + b.ph + " > out.txt"
	tests := []struct {
		agent Agent
		file  string
		cmd   string
		want  map[string]any
	}{
		{ClaudeCode, "claude-code_pretooluse.json", cmd, map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "PreToolUse",
			"updatedInput":  map[string]any{"command": wantWrapped(cmd), "description": "run it"}}}},
		{Codex, "codex_pretooluse.json", "echo " + b.ph + " > out.txt", map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "PreToolUse", "permissionDecision": "allow",
			"permissionDecisionReason": "hush: placeholders are filled in by hush exec when the command runs; sandbox and approvals still apply",
			"updatedInput":             map[string]any{"command": wantWrapped("echo " + b.ph + " > out.txt")}}}},
		{Gemini, "gemini_beforetool.json", cmd, map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "BeforeTool",
			"tool_input":    map[string]any{"command": wantWrapped(cmd)}}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.agent), func(t *testing.T) {
			b.got = nil
			r := Handle(context.Background(), Options{Agent: tt.agent, Backend: b, Hush: hushPath}, load(t, tt.file, b))
			if strings.Contains(string(r.Stdout), b.value) {
				t.Fatalf("hook output holds the value: %s", r.Stdout)
			}
			if diff := cmp.Diff(tt.want, decode(t, r)); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
			if len(b.got) != 1 || cmp.Diff([]string{"bash", "-c", tt.cmd}, b.got[0].Argv) != "" || b.got[0].Agent != string(tt.agent) {
				t.Errorf("Authorize got %+v, want argv [bash -c %q]", b.got, tt.cmd)
			}
		})
	}
}

func TestPreToolUseDenies(t *testing.T) {
	b := newBackend(t)
	tests := []struct {
		name  string
		agent Agent
		file  string
		setup func(*fakeBackend)
		edit  func(string) string
		want  string // in the reason
	}{
		{"not running claude", ClaudeCode, "claude-code_pretooluse.json", func(b *fakeBackend) { b.down = true }, nil, "hush is not running"},
		{"not running codex", Codex, "codex_pretooluse.json", func(b *fakeBackend) { b.down = true }, nil, "`hush serve`"},
		{"not running gemini", Gemini, "gemini_beforetool.json", func(b *fakeBackend) { b.down = true }, nil, "hush run -- AGENT"},
		{"destination", ClaudeCode, "claude-code_pretooluse.json", func(b *fakeBackend) { b.refuse = "destination" }, nil, "may not be sent to a host"},
		{"approval", Gemini, "gemini_beforetool.json", func(b *fakeBackend) { b.refuse = "approval" }, nil, "hush approve"},
		{"other tool", ClaudeCode, "claude-code_pretooluse.json", nil, func(s string) string { return strings.Replace(s, `"Bash"`, `"Write"`, 1) }, "only in shell commands"},
		{"nested exec", Codex, "codex_pretooluse.json", nil, func(s string) string { return strings.Replace(s, `"echo `, `"hush exec --ticket x -- echo `, 1) }, "without hush exec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := *b
			if tt.setup != nil {
				tt.setup(&fb)
			}
			in := load(t, tt.file, &fb)
			if tt.edit != nil {
				in = []byte(tt.edit(string(in)))
			}
			m := decode(t, Handle(context.Background(), Options{Agent: tt.agent, Backend: &fb, Hush: hushPath}, in))
			var reason string
			if tt.agent == Gemini {
				if m["decision"] != "deny" {
					t.Fatalf("decision = %v, want deny", m["decision"])
				}
				reason, _ = m["reason"].(string)
			} else {
				hso, _ := m["hookSpecificOutput"].(map[string]any)
				if hso["permissionDecision"] != "deny" || hso["hookEventName"] != "PreToolUse" {
					t.Fatalf("hookSpecificOutput = %v, want a PreToolUse deny", hso)
				}
				reason, _ = hso["permissionDecisionReason"].(string)
			}
			if !strings.Contains(reason, tt.want) {
				t.Errorf("reason %q does not contain %q", reason, tt.want)
			}
		})
	}
}

func TestNoPlaceholderNoOpinion(t *testing.T) {
	b := newBackend(t)
	for _, file := range []string{"claude-code_pretooluse.json", "codex_pretooluse.json", "gemini_beforetool.json"} {
		in := strings.ReplaceAll(string(load(t, file, b)), b.ph, "plain")
		r := Handle(context.Background(), Options{Agent: ClaudeCode, Backend: b, Hush: hushPath}, []byte(in))
		if len(r.Stdout) != 0 || r.Code != 0 {
			t.Errorf("%s: Handle = %+v, want no output", file, r)
		}
	}
}

func TestPostToolUse(t *testing.T) {
	b := newBackend(t)
	r := Handle(context.Background(), Options{Agent: ClaudeCode, Backend: b, Hush: hushPath}, load(t, "claude-code_posttooluse.json", b))
	want := map[string]any{"hookSpecificOutput": map[string]any{"hookEventName": "PostToolUse", "updatedToolOutput": map[string]any{
		"stdout": b.ph, "stderr": "", "interrupted": false, "isImage": false, "noOutputExpected": false}}}
	if diff := cmp.Diff(want, decode(t, r)); diff != "" {
		t.Errorf("claude-code output mismatch (-want +got):\n%s", diff)
	}

	r = Handle(context.Background(), Options{Agent: Gemini, Backend: b, Hush: hushPath}, load(t, "gemini_aftertool.json", b))
	m := decode(t, r)
	if m["decision"] != "deny" || !strings.Contains(m["reason"].(string), "Output: "+b.ph) || strings.Contains(string(r.Stdout), b.value) {
		t.Errorf("gemini output = %s, want deny with the redacted llmContent", r.Stdout)
	}

	r = Handle(context.Background(), Options{Agent: Codex, Backend: b, Hush: hushPath}, load(t, "codex_posttooluse.json", b))
	if len(r.Stdout) != 0 {
		t.Errorf("codex output = %s, want none (Codex cannot replace shell output)", r.Stdout)
	}

	// Nothing to redact: no opinion.
	clean := strings.ReplaceAll(string(load(t, "claude-code_posttooluse.json", b)), b.value, "ok")
	if r := Handle(context.Background(), Options{Agent: ClaudeCode, Backend: b, Hush: hushPath}, []byte(clean)); len(r.Stdout) != 0 {
		t.Errorf("clean output: got %s, want none", r.Stdout)
	}
}

func TestPostToolUseNotRunning(t *testing.T) {
	b := newBackend(t)
	b.down = true
	in := load(t, "claude-code_posttooluse.json", b)
	// With a fallback, output is redacted locally.
	fallback := func(p []byte) ([]byte, int) {
		return []byte(strings.ReplaceAll(string(p), b.value, "hush_x_aaaaaaaaaaaa")), strings.Count(string(p), b.value)
	}
	r := Handle(context.Background(), Options{Agent: ClaudeCode, Backend: b, Hush: hushPath, Fallback: fallback}, in)
	if !strings.Contains(string(r.Stdout), "hush_x_aaaaaaaaaaaa") || strings.Contains(string(r.Stdout), b.value) {
		t.Errorf("fallback output = %s", r.Stdout)
	}
	// Without one, it is withheld.
	r = Handle(context.Background(), Options{Agent: Gemini, Backend: b, Hush: hushPath}, load(t, "gemini_aftertool.json", b))
	if m := decode(t, r); m["decision"] != "deny" || !strings.Contains(m["reason"].(string), "withheld") {
		t.Errorf("no fallback: output = %s, want withheld", r.Stdout)
	}
}

func TestBadInputBlocks(t *testing.T) {
	r := Handle(context.Background(), Options{Agent: ClaudeCode, Backend: newBackend(t), Hush: hushPath}, []byte("not json"))
	if r.Code != 2 || r.Stderr == "" {
		t.Errorf("Handle(bad) = %+v, want exit 2 with a message", r)
	}
}

// TestShellQuoteRoundTrip runs the rewritten command through a real shell
// and checks that hush exec would receive exactly the original argv.
func TestShellQuoteRoundTrip(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "fake hush")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nfor a; do printf '%s\\0' \"$a\"; done\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{
		`echo 'it''s' "$HOME" \$x; printf '%s\n' a\ b`,
		"cat <<'EOF'\nline 'one'\nEOF",
		"",
	} {
		line := shellQuote(fake) + " exec --ticket t1 -- bash -c " + shellQuote(cmd)
		out, err := exec.Command(sh, "-c", line).Output()
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
		want := []string{"exec", "--ticket", "t1", "--", "bash", "-c", cmd}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("argv mismatch for %q (-want +got):\n%s", cmd, diff)
		}
	}
}
