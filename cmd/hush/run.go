// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

const runHelp = `Usage:
    hush run [options] -- COMMAND [ARG...]

Runs COMMAND with hush in front of it: it starts the proxy on free
loopback ports, runs COMMAND with the variables of "hush env" pointing at
it (HTTPS_PROXY, NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and the others), and
exits with COMMAND's status when it ends. Signals are passed on to
COMMAND. It exits 125 when hush itself fails, 126 when COMMAND cannot be
run, and 127 when it is not found.

Options:
    the options of "hush serve" (--config, --resolve, --upstream-ca,
    --upstream-proxy, --dotenv, --no-env, --log-level); --listen and
    --admin default to free loopback ports

Examples:
    $ hush run -- claude
    $ hush run -- codex exec "fix the failing test"
    $ hush run --dotenv .env -- gemini
`

func (c *cli) runCommand(args []string) int {
	fs := c.newFlagSet("run", runHelp)
	var f serveFlags
	f.register(fs)
	if code := c.parse(fs, runHelp, args); code >= 0 {
		if code == exitUsage {
			return exitRunFailed
		}
		return code
	}
	argv := fs.Args()
	if len(argv) == 0 {
		c.errorf("hush run needs a command to run")
		c.hint("hush run -- claude")
		return exitRunFailed
	}
	p, err := c.startProxy(f, true)
	if err != nil {
		c.errorf("%v", err)
		return exitRunFailed
	}
	// The child is gone when the proxy stops: nothing is left to drain
	// for long.
	p.server.Drain = 5 * time.Second
	ctx, stopServing := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- p.serve(ctx) }()
	defer func() {
		stopServing()
		<-served
	}()

	proxyURL, err := proxyURLFor(p.proxyAddr)
	if err != nil {
		c.errorf("%v", err)
		return exitRunFailed
	}
	env := mergeEnv(c.env, c.proxyEnv(p.ca, p.home, proxyURL))
	env = mergeEnv(env, []envVar{{"HUSH_ADMIN", p.adminAddr}})
	env = mergeEnv(env, p.controlEnv())       // controlsrv.go
	return c.runChild(c.agentArgs(argv), env) // runhooks.go: the agent's hooks for this run
}

// runChild runs argv with env, passing signals on, and returns its exit
// status the way a shell reports it.
func (c *cli) runChild(argv, env []string) int {
	path, err := lookPath(argv[0], env)
	if err != nil {
		c.errorf("%v", err)
		if errors.Is(err, fs.ErrPermission) {
			return exitCannotExecute
		}
		return exitNotFound
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, c.stdin, c.stdout, c.stderr

	// Catch signals before the child starts, so that none kills hush
	// (and with it the proxy the child depends on) in between.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		c.errorf("running %s: %v", argv[0], err)
		return exitCannotExecute
	}
	tty := isTerminal(c.stdin)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				// A terminal sends ^C and ^\ to its whole foreground
				// process group, the child included: passing them on
				// again would make one ^C count twice (Claude Code
				// exits on the second).
				if tty && (s == os.Interrupt || s == syscall.SIGQUIT) {
					continue
				}
				cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	return exitStatus(err)
}

// exitStatus maps a child's end to a shell's exit status: its code, or
// 128 plus the signal that killed it.
func exitStatus(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return exitRunFailed
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}

// lookPath finds a command in the PATH of the child's environment.
func lookPath(name string, env []string) (string, error) {
	if strings.ContainsRune(name, os.PathSeparator) || strings.Contains(name, "/") {
		st, err := os.Stat(name)
		if err != nil {
			return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return "", &exec.Error{Name: name, Err: fs.ErrPermission}
		}
		return name, nil
	}
	for _, kv := range slices.Backward(env) {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			old := os.Getenv("PATH")
			// exec.LookPath reads the process's PATH; the child's may
			// differ only when the caller passed its own environment.
			if v == old {
				break
			}
			for _, dir := range strings.Split(v, string(os.PathListSeparator)) {
				if dir == "" {
					dir = "."
				}
				if p, err := exec.LookPath(dir + string(os.PathSeparator) + name); err == nil {
					return p, nil
				}
			}
			return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
		}
	}
	return exec.LookPath(name)
}

// mergeEnv returns base with vars set, replacing earlier values.
func mergeEnv(base []string, vars []envVar) []string {
	out := make([]string, 0, len(base)+len(vars))
	set := map[string]bool{}
	for _, v := range vars {
		set[v.Name] = true
	}
	for _, kv := range base {
		if k, _, _ := strings.Cut(kv, "="); !set[k] {
			out = append(out, kv)
		}
	}
	for _, v := range vars {
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}

// isTerminal reports whether r is a character device (a terminal).
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
