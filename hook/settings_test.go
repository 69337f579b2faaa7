// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package hook

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const userSettings = `{
  "model": "opus",
  "permissions": {"allow": ["Bash(npm test:*)"], "deny": []},
  "hooks": {
    "PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "/usr/local/bin/guard"}]}
    ],
    "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]
  },
  "env": {"A": "1"}
}
`

func keys(t *testing.T, data []byte) []string {
	t.Helper()
	o, err := parseObject(data)
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, m := range o {
		ks = append(ks, m.Key)
	}
	return ks
}

func TestInstallKeepsSettings(t *testing.T) {
	entries := Entries(ClaudeCode, "/opt/hush/hush")
	out, changes, err := Install([]byte(userSettings), entries)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 {
		t.Errorf("changes = %q, want 2", changes)
	}
	if diff := cmp.Diff([]string{"model", "permissions", "hooks", "env"}, keys(t, out)); diff != "" {
		t.Errorf("top-level order changed (-want +got):\n%s", diff)
	}
	var got struct {
		Permissions map[string][]string
		Hooks       map[string][]struct {
			Matcher string
			Hooks   []struct{ Type, Command string }
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	pre := got.Hooks["PreToolUse"]
	if len(pre) != 2 || pre[0].Hooks[0].Command != "/usr/local/bin/guard" || pre[1].Matcher != "*" || pre[1].Hooks[0].Command != "/opt/hush/hush hook claude-code" {
		t.Errorf("PreToolUse = %+v, want the user's guard first, then hush", pre)
	}
	if len(got.Hooks["Stop"]) != 1 || got.Permissions["allow"][0] != "Bash(npm test:*)" {
		t.Errorf("other settings lost: %s", out)
	}

	// Idempotent.
	again, changes, err := Install(out, entries)
	if err != nil || len(changes) != 0 || string(again) != string(out) {
		t.Errorf("second Install changed %q (err %v)", changes, err)
	}
	// A moved binary updates the command in place.
	moved, changes, err := Install(out, Entries(ClaudeCode, "/usr/bin/hush"))
	if err != nil || len(changes) != 2 || !strings.Contains(changes[0], "updated") || strings.Contains(string(moved), "/opt/hush/hush") {
		t.Errorf("Install after a move: changes %q, err %v:\n%s", changes, err, moved)
	}
	// Remove takes out exactly what Install added.
	back, changes, err := Remove(moved, entries)
	if err != nil || len(changes) != 2 {
		t.Fatalf("Remove: changes %q, err %v", changes, err)
	}
	var a, b any
	json.Unmarshal([]byte(userSettings), &a)
	json.Unmarshal(back, &b)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("Remove did not restore the settings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"model", "permissions", "hooks", "env"}, keys(t, back)); diff != "" {
		t.Errorf("order after Remove (-want +got):\n%s", diff)
	}
}

func TestInstallEmptyAndRemoveAll(t *testing.T) {
	for _, agent := range Agents {
		out, changes, err := Install(nil, Entries(agent, "hush"))
		if err != nil || len(changes) == 0 {
			t.Fatalf("%s: Install(empty): %q, %v", agent, changes, err)
		}
		back, _, err := Remove(out, Entries(agent, "hush"))
		if err != nil || strings.TrimSpace(string(back)) != "{}" {
			t.Errorf("%s: Remove left %s (err %v)", agent, back, err)
		}
	}
}

func TestInstallRefusesBadJSON(t *testing.T) {
	if _, _, err := Install([]byte(`{"a": 1,,}`), Entries(Gemini, "hush")); err == nil {
		t.Errorf("Install of invalid JSON succeeded")
	}
}
