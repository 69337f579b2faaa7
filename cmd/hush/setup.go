// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hushproxy/hush/hook"
)

const setupHelp = `Usage:
    hush setup claude-code|codex|gemini [--user | --project] [--remove]

Installs the "hush hook" tool hooks into an agent's settings, so that
placeholders become values only while a shell command runs (through
"hush exec") and tool output is redacted before the agent stores it.
It keeps every other setting and its order, is idempotent, and prints
each change. --remove takes out exactly what it added.

Settings files:
    claude-code   ~/.claude/settings.json        (--project: .claude/settings.json)
    codex         $CODEX_HOME/hooks.json          (--project: .codex/hooks.json)
    gemini        ~/.gemini/settings.json        (--project: .gemini/settings.json)

Options:
    --user       the user's settings, for every project (default)
    --project    the settings of the project in the current directory
    --remove     remove the hooks instead

Examples:
    $ hush setup claude-code
    $ hush setup gemini --project
    $ hush setup codex --remove
`

func (c *cli) setup(args []string) int {
	fs := c.newFlagSet("setup", setupHelp)
	user := fs.Bool("user", false, "user settings")
	project := fs.Bool("project", false, "project settings")
	remove := fs.Bool("remove", false, "remove the hooks")
	// Accept the agent before or after the flags.
	var agentArg string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		agentArg, args = args[0], args[1:]
	}
	if code := c.parse(fs, setupHelp, args); code >= 0 {
		return code
	}
	if agentArg == "" && fs.NArg() > 0 {
		agentArg = fs.Arg(0)
	}
	if agentArg == "" || (*user && *project) {
		c.errorf("hush setup needs one agent (claude-code, codex or gemini) and at most one of --user, --project")
		c.hint("hush setup claude-code")
		return exitUsage
	}
	agent, err := hook.ParseAgent(agentArg)
	if err != nil {
		c.errorf("%v", err)
		c.hint("hush setup claude-code")
		return exitUsage
	}
	path, err := c.settingsPath(agent, *project)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	self, err := c.hushPath()
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	changes, err := editSettings(path, hook.Entries(agent, self), *remove)
	if err != nil {
		c.errorf("%s: %v", path, err)
		return exitError
	}
	if len(changes) == 0 {
		if *remove {
			fmt.Fprintf(c.stdout, "%s: no hush hooks to remove\n", path)
		} else {
			fmt.Fprintf(c.stdout, "%s: already set up\n", path)
		}
		return exitOK
	}
	for _, ch := range changes {
		fmt.Fprintf(c.stdout, "%s: %s\n", path, ch)
	}
	if agent == hook.Codex && !*remove {
		fmt.Fprintln(c.stderr, "hush: Codex asks you to review and trust new hooks the next time it starts; until then they do not run.")
	}
	if !*remove {
		fmt.Fprintln(c.stderr, `hush: the hooks need a running hush: "hush serve" (or start the agent with "hush run -- AGENT")`)
	}
	return exitOK
}

// settingsPath returns the agent's settings file for the user or the
// project in the current directory.
func (c *cli) settingsPath(agent hook.Agent, project bool) (string, error) {
	base := c.getenv("HOME")
	if project {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		base = wd
	} else if base == "" {
		return "", errors.New("HOME is not set")
	}
	switch agent {
	case hook.Codex:
		if ch := c.getenv("CODEX_HOME"); ch != "" && !project {
			return filepath.Join(ch, "hooks.json"), nil
		}
		return filepath.Join(base, ".codex", "hooks.json"), nil
	case hook.Gemini:
		return filepath.Join(base, ".gemini", "settings.json"), nil
	default:
		return filepath.Join(base, ".claude", "settings.json"), nil
	}
}

// editSettings installs or removes entries in the file at path, writing
// it atomically with its mode kept (0600 when new).
func editSettings(path string, entries []hook.Entry, remove bool) ([]string, error) {
	data, err := os.ReadFile(path)
	mode := fs.FileMode(0o600)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if remove {
			return nil, nil
		}
	case err != nil:
		return nil, err
	default:
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
	}
	edit := hook.Install
	if remove {
		edit = hook.Remove
	}
	out, changes, err := edit(data, entries)
	if err != nil || len(changes) == 0 {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hush-settings-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	return changes, os.Rename(tmp.Name(), path)
}
