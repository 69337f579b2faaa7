// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"

	"github.com/hushproxy/hush/hook"
)

// agentArgs adds the hush hooks to an agent's command line for this run
// only, where the agent has a flag for it: Claude Code's --settings adds
// a settings layer on top of the user's files and changes nothing on
// disk. Other commands are returned as they are ("hush setup" installs
// Codex's and Gemini CLI's hooks).
func (c *cli) agentArgs(argv []string) []string {
	if filepath.Base(argv[0]) != "claude" {
		return argv
	}
	self, err := c.hushPath()
	if err != nil {
		return argv
	}
	settings, _, err := hook.Install(nil, hook.Entries(hook.ClaudeCode, self))
	if err != nil {
		return argv
	}
	var compact bytes.Buffer
	if json.Compact(&compact, settings) != nil {
		return argv
	}
	out := []string{argv[0], "--settings", compact.String()}
	return append(out, argv[1:]...)
}
