// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/hushproxy/hush/control"
	"github.com/hushproxy/hush/hook"
	"github.com/hushproxy/hush/redact"
)

const hookHelp = `Usage:
    hush hook claude-code|codex|gemini

The tool hook of an agent CLI; "hush setup AGENT" installs it. It reads
the agent's hook payload on stdin and answers in the agent's schema:

  - before a shell command that holds placeholders runs, the running hush
    checks them against its policy, and the command is rewritten to run
    through "hush exec", which fills the values in only when it runs (the
    agent's transcript keeps the placeholders);
  - after a tool ran, its output is redacted before the agent stores it
    (Claude Code, Gemini CLI).

When hush is not running, a command with placeholders is blocked with a
message that says how to start hush. The hook never approves a call the
agent would have asked the user about.

Examples:
    $ hush setup claude-code
    $ echo '{"hook_event_name":"PreToolUse",...}' | hush hook claude-code
`

func (c *cli) hook(args []string) int {
	fs := c.newFlagSet("hook", hookHelp)
	if code := c.parse(fs, hookHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		c.errorf("hush hook needs one agent: claude-code, codex or gemini")
		c.hint("hush setup claude-code")
		return exitUsage
	}
	agent, err := hook.ParseAgent(fs.Arg(0))
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	in, err := io.ReadAll(io.LimitReader(c.stdin, 64<<20))
	if err != nil {
		c.errorf("reading the hook input: %v", err)
		return 2 // blocks the call in every agent
	}
	sock, err := c.controlSocket()
	if err != nil {
		c.errorf("%v", err)
		return 2
	}
	self, err := c.hushPath()
	if err != nil {
		c.errorf("%v", err)
		return 2
	}
	shell := "bash"
	if _, err := exec.LookPath("bash"); err != nil {
		shell = "sh"
	}
	r := hook.Handle(context.Background(), hook.Options{
		Agent: agent, Backend: control.NewClient(sock), Hush: self, Shell: shell,
		Fallback: c.localRedact, StartHint: "hush serve",
	}, in)
	c.stdout.Write(r.Stdout)
	if r.Stderr != "" {
		fmt.Fprintln(c.stderr, r.Stderr)
	}
	return r.Code
}

// controlSocket returns the path of the running hush's control socket:
// HUSH_CONTROL when set (hush run sets it), else HUSH_HOME/control.sock.
func (c *cli) controlSocket() (string, error) {
	home, err := c.home()
	if err != nil {
		return "", err
	}
	return control.SocketPath(home, c.getenv(control.EnvSocket)), nil
}

// hushPath is this binary's absolute path, for the commands hooks write.
func (c *cli) hushPath() (string, error) {
	if p := c.getenv("HUSH_BIN"); p != "" {
		return p, nil
	}
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the hush binary: %w", err)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return p, nil
}

// localRedact redacts with the built-in rules and the secrets of this
// process's environment, when no hush is running to ask. Placeholders
// are made under the install's key when it exists.
func (c *cli) localRedact(b []byte) ([]byte, int) {
	known, _ := redact.FromEnviron(c.env)
	opts := redact.Options{Known: known}
	if home, err := c.home(); err == nil {
		if key, err := redact.LoadKey(filepath.Join(home, "placeholder.key")); err == nil {
			opts.Key = key
		}
	}
	r, err := redact.New(opts)
	if err != nil {
		// Without a redactor nothing can be vouched for: report one
		// replacement so the caller withholds nothing silently.
		return []byte(`"hush: output withheld: no redactor"`), 1
	}
	out, fs := r.Redact(b)
	n := 0
	for _, f := range fs {
		if f.Action != redact.ActionAudit {
			n++
		}
	}
	return out, n
}
