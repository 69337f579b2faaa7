// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hushproxy/hush/hook"
)

// agentArgs adds the hush hooks to an agent's command line for this run
// only, without writing to the user's settings:
//
//   - Claude Code: --settings adds a settings layer on top of the user's.
//   - Codex: -c config overrides add the hooks as a session layer, with
//     their trust recorded in the same layer (see codexArgs).
//   - Gemini CLI has no safe way (see geminiHint): hush says to run
//     "hush setup gemini" unless its settings already hold the hooks.
//
// Other commands are returned as they are. When the hooks cannot be added
// it warns and names "hush setup", and the agent runs without them.
func (c *cli) agentArgs(argv []string) []string {
	var agent hook.Agent
	switch filepath.Base(argv[0]) {
	case "claude":
		agent = hook.ClaudeCode
	case "codex":
		agent = hook.Codex
	case "gemini":
		agent = hook.Gemini
	default:
		return argv
	}
	self, err := c.hushPath()
	out := argv
	if err == nil {
		entries := hook.Entries(agent, self)
		switch agent {
		case hook.ClaudeCode:
			out, err = claudeArgs(argv, entries)
		case hook.Codex:
			out, err = c.codexArgs(argv, entries)
		case hook.Gemini:
			c.geminiHint(entries)
		}
	}
	if err != nil {
		c.warnf("%s runs without the hush hooks: %v", argv[0], err)
		c.hint("hush setup %s", agent)
	}
	return out
}

// claudeArgs passes the hooks in --settings, which Claude Code layers over
// the user's and the project's settings.
func claudeArgs(argv []string, entries []hook.Entry) ([]string, error) {
	settings, _, err := hook.Install(nil, entries)
	if err != nil {
		return argv, err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, settings); err != nil {
		return argv, err
	}
	out := []string{argv[0], "--settings", compact.String()}
	return append(out, argv[1:]...), nil
}

// codexSessionSource is the path Codex gives the layer of -c overrides;
// a hook's trust key starts with it.
const codexSessionSource = "/<session-flags>/config.toml"

// codexArgs adds the hooks as -c overrides, which Codex keeps in a session
// layer over the user's config.toml and hooks.json. Codex runs a hook it
// does not manage only once its trusted_hash (hooks.state, which the
// session layer may set too) matches the hook's hash, so hush records
// trust for exactly the hooks it adds, in the same layer: every other
// hook still needs the user's review, unlike with
// --dangerously-bypass-hook-trust, which trusts all of them. When the
// user's hooks.json already holds these hooks, nothing is added.
func (c *cli) codexArgs(argv []string, entries []hook.Entry) ([]string, error) {
	if c.codexHasHooks(entries) {
		return argv, nil
	}
	out := []string{argv[0]}
	state := make([]string, 0, len(entries))
	for _, e := range entries {
		cmd, err := tomlString(e.Command)
		if err != nil {
			return argv, err
		}
		matcher, err := tomlString(e.Matcher)
		if err != nil {
			return argv, err
		}
		out = append(out, "-c", fmt.Sprintf(`hooks.%s=[{matcher=%s,hooks=[{type="command",command=%s}]}]`, e.Event, matcher, cmd))
		hash, err := codexHookHash(e)
		if err != nil {
			return argv, err
		}
		key, err := tomlString(codexSessionSource + ":" + snakeCase(e.Event) + ":0:0")
		if err != nil {
			return argv, err
		}
		state = append(state, fmt.Sprintf("%s={trusted_hash=%q}", key, hash))
	}
	// One table for every key: Codex splits the dotted path of a -c key
	// on each dot, and the trust keys hold one (config.toml).
	out = append(out, "-c", "hooks.state={"+strings.Join(state, ",")+"}")
	return append(out, argv[1:]...), nil
}

// codexHasHooks reports whether the user's $CODEX_HOME/hooks.json already
// holds exactly these hooks (hush setup codex), so that they do not run
// twice.
func (c *cli) codexHasHooks(entries []hook.Entry) bool {
	dir := c.getenv("CODEX_HOME")
	if dir == "" {
		home := c.getenv("HOME")
		if home == "" {
			return false
		}
		dir = filepath.Join(home, ".codex")
	}
	data, err := os.ReadFile(filepath.Join(dir, "hooks.json"))
	if err != nil {
		return false
	}
	_, changes, err := hook.Install(data, entries)
	return err == nil && len(changes) == 0
}

// codexHookHash is the hash Codex 0.171 gives a command hook to compare
// with its trusted_hash: SHA-256 of the hook's normalized identity as
// JSON with sorted keys and no spaces (codex-rs/hooks discovery.rs,
// command_hook_hash, and config fingerprint.rs, version_for_toml). The
// timeout is normalized to its default, 600 s. agenttest runs the real
// CLI and fails when a new Codex hashes differently.
func codexHookHash(e hook.Entry) (string, error) {
	identity := map[string]any{
		"event_name": snakeCase(e.Event),
		"matcher":    e.Matcher,
		"hooks": []map[string]any{{
			"async": false, "command": e.Command, "timeout": 600, "type": "command",
		}},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // serde_json does not escape <, > and &
	if err := enc.Encode(identity); err != nil {
		return "", err
	}
	sum := sha256.Sum256(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// snakeCase turns a hook event (PreToolUse) into Codex's key label
// (pre_tool_use).
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tomlString quotes s as a TOML basic string. A JSON string is one, as
// long as it holds no control characters JSON leaves raw (it escapes them
// all) and no invalid UTF-8 (which JSON would replace).
func tomlString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("the hush path is not valid UTF-8")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n"), err
}

// geminiHint says to run "hush setup gemini" when neither the user's nor
// the project's settings hold the hooks. Gemini CLI 0.61 has no flag for
// a settings file, and the other ways fail: it skips a system settings or
// system defaults file (GEMINI_CLI_SYSTEM_SETTINGS_PATH,
// GEMINI_CLI_SYSTEM_DEFAULTS_PATH) that is not owned by root in
// directories only root can write, and a temporary GEMINI_CLI_HOME would
// keep whatever Gemini writes there during the run (a login, a changed
// setting, trusted folders) away from the user's ~/.gemini.
func (c *cli) geminiHint(entries []hook.Entry) {
	var files []string
	if home := c.getenv("GEMINI_CLI_HOME"); home != "" {
		files = append(files, filepath.Join(home, ".gemini", "settings.json"))
	} else if home := c.getenv("HOME"); home != "" {
		files = append(files, filepath.Join(home, ".gemini", "settings.json"))
	}
	if wd, err := os.Getwd(); err == nil {
		files = append(files, filepath.Join(wd, ".gemini", "settings.json"))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if _, changes, err := hook.Install(data, entries); err == nil && len(changes) == 0 {
			return
		}
	}
	c.warnf("hush run cannot add hooks to Gemini CLI for one run: without them, placeholders reach its shell commands unchanged")
	c.hint("hush setup gemini")
}
