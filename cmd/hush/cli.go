// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// cli is one invocation of hush: its streams and environment. Commands take
// everything from here rather than from the process, so tests can run them
// in-process with a temp HUSH_HOME.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	env    []string
}

// command is one subcommand. run returns the exit code.
type command struct {
	name    string
	summary string
	run     func(c *cli, args []string) int
}

// commands lists the subcommands in the order "hush help" shows them.
func commands() []command {
	return []command{
		{"serve", "run the proxy in the foreground", (*cli).serve},
		{"run", "run a command with the proxy in front of it", (*cli).runCommand},
		{"health", "check that a running hush serve is healthy", (*cli).health},
		{"scan", "report secrets in files (exit 3 when any)", (*cli).scan},
		{"redact", "copy a file or stdin to stdout with secrets replaced", (*cli).redact},
		{"env", "print the environment that routes tools through hush", (*cli).envCommand},
		{"ca", "manage the local CA: path, install, uninstall, status, reissue", (*cli).ca},
		{"hook", "agent tool hook: fill placeholders in at execution, redact output", (*cli).hook},
		{"exec", "run a command with placeholders replaced by their values", (*cli).execCommand},
		{"setup", "install the agent hooks: claude-code, codex, gemini", (*cli).setup},
		{"mcp", "MCP server over stdio: named secrets by placeholder", (*cli).mcp},
		{"approve", "approve an agent's request for a secret", (*cli).approve},
		{"doctor", "check the setup and print the command that fixes each problem", (*cli).doctor},
		{"version", "print the version", (*cli).version},
	}
}

const usageText = `hush keeps secrets out of what AI coding agents send to model providers.

Usage:
    hush <command> [options]

Commands:
%s
Run "hush <command> -h" for a command's options.
`

func (c *cli) usage(w io.Writer) {
	var b strings.Builder
	for _, cmd := range commands() {
		fmt.Fprintf(&b, "    %-10s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, usageText, b.String())
}

func (c *cli) run(args []string) int {
	if len(args) == 0 {
		c.usage(c.stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		c.usage(c.stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.run(c, rest)
		}
	}
	c.errorf("unknown command %q", name)
	c.hint(`run "hush help" for the list of commands`)
	return exitUsage
}

// errorf prints "hush: error: ..." to stderr. Messages must never hold a
// secret value.
func (c *cli) errorf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "hush: error: "+format+"\n", a...)
}

// hint prints "hush: hint: ...", the exact thing to do next.
func (c *cli) hint(format string, a ...any) {
	fmt.Fprintf(c.stderr, "hush: hint: "+format+"\n", a...)
}

// warnf prints "hush: warning: ...".
func (c *cli) warnf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "hush: warning: "+format+"\n", a...)
}

// getenv looks a variable up in the invocation's environment.
func (c *cli) getenv(key string) string {
	for i := len(c.env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(c.env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// home returns HUSH_HOME: the variable if set, else os.UserConfigDir()/hush.
func (c *cli) home() (string, error) {
	if h := c.getenv("HUSH_HOME"); h != "" {
		return h, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory: %w (set HUSH_HOME)", err)
	}
	return filepath.Join(dir, "hush"), nil
}

// newFlagSet returns a flag set whose -h prints help to stdout and whose
// errors go to stderr, as STYLE.md asks.
func (c *cli) newFlagSet(name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	// The flag package calls Usage for -h as well as for a bad flag; parse
	// prints the help itself, to stdout for -h and to stderr after an error.
	fs.Usage = func() {}
	return fs
}

// parse parses args and reports the exit code to use when parsing stopped:
// -1 to go on, exitOK after -h, exitUsage after a bad flag.
func (c *cli) parse(fs *flag.FlagSet, help string, args []string) int {
	err := fs.Parse(args)
	switch {
	case err == flag.ErrHelp:
		fmt.Fprint(c.stdout, help)
		return exitOK
	case err != nil:
		fmt.Fprint(c.stderr, help)
		return exitUsage
	}
	return -1
}
