// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hushproxy/hush/certs"
	"github.com/hushproxy/hush/control"
	"github.com/hushproxy/hush/hook"
)

const doctorHelp = `Usage:
    hush doctor

Checks what usually goes wrong, and prints the command that fixes each
problem:

  - is hush running, and can hooks reach it (the control socket)?
  - is the CA trusted by the system store, and given to Node and Python?
  - are the proxy variables set in this shell, pointing at a live hush?
  - are the agents' hooks installed (Claude Code, Codex, Gemini CLI)?
  - does some agent bypass hush: a base URL to a host hush does not
    intercept, or a NO_PROXY entry that exempts a model API?

It exits 1 when it found a problem.

Examples:
    $ hush doctor
`

// finding is one check's result.
type finding struct {
	ok   bool
	what string
	fix  string // the exact command that fixes it
}

func (c *cli) doctor(args []string) int {
	fs := c.newFlagSet("doctor", doctorHelp)
	if code := c.parse(fs, doctorHelp, args); code >= 0 {
		return code
	}
	var all []finding
	all = append(all, c.checkRunning()...)
	ca, intercepted, fs2 := c.checkCA()
	all = append(all, fs2...)
	all = append(all, c.checkProxyEnv(ca)...)
	all = append(all, c.checkHooks()...)
	all = append(all, c.checkBypass(intercepted)...)
	problems := 0
	for _, f := range all {
		if f.ok {
			fmt.Fprintf(c.stdout, "ok       %s\n", f.what)
			continue
		}
		problems++
		fmt.Fprintf(c.stdout, "PROBLEM  %s\n", f.what)
		if f.fix != "" {
			fmt.Fprintf(c.stdout, "         fix: %s\n", f.fix)
		}
	}
	if problems > 0 {
		fmt.Fprintf(c.stderr, "hush: %d problem(s) found\n", problems)
		return exitError
	}
	fmt.Fprintln(c.stderr, "hush: no problems found")
	return exitOK
}

func (c *cli) checkRunning() []finding {
	sock, err := c.controlSocket()
	if err != nil {
		return []finding{{what: err.Error(), fix: "export HUSH_HOME=~/.config/hush"}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := control.NewClient(sock).Status(ctx)
	if err != nil {
		return []finding{{what: "hush is not running (no answer on " + sock + "): agents' hooks block commands that hold placeholders",
			fix: "hush serve   (or start the agent with: hush run -- claude)"}}
	}
	return []finding{{ok: true, what: fmt.Sprintf("hush is running (pid %d, rehydrate: %s), control socket %s", st.PID, st.Mode, sock)}}
}

// checkCA checks the CA and the system trust store, and returns the CA
// and the domains it intercepts.
func (c *cli) checkCA() (*certs.CA, []string, []finding) {
	ca, home, err := c.loadCA(false)
	if err != nil {
		return nil, certs.DefaultDomains(), []finding{{what: "the CA cannot be loaded: " + err.Error(), fix: "hush ca reissue"}}
	}
	if ca == nil {
		return nil, certs.DefaultDomains(), []finding{{what: "no CA in " + home + " yet", fix: "hush ca install"}}
	}
	domains := ca.Domains()
	if len(domains) == 0 {
		domains = certs.DefaultDomains()
	}
	out := []finding{{ok: true, what: "CA " + ca.CertPath()}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	results, err := c.trust().Installed(ctx, ca)
	if err != nil {
		return ca, domains, append(out, finding{what: "checking the trust stores: " + err.Error(), fix: "hush ca status"})
	}
	for _, r := range results {
		if r.Store != "system" {
			continue
		}
		switch r.Status {
		case certs.AlreadyInstalled:
			out = append(out, finding{ok: true, what: "the CA is trusted by the " + r.Name})
		case certs.Skipped:
			out = append(out, finding{ok: true, what: "the " + r.Name + " was skipped: " + r.Reason})
		default:
			out = append(out, finding{what: "the CA is not trusted by the " + r.Name, fix: "hush ca install"})
		}
	}
	return ca, domains, out
}

// hasCA reports whether the PEM file at path holds the CA's certificate.
func hasCA(path string, ca *certs.CA) bool {
	data, err := os.ReadFile(path)
	if err != nil || ca == nil {
		return false
	}
	own, err := os.ReadFile(ca.CertPath())
	return err == nil && bytes.Contains(data, bytes.TrimSpace(own))
}

func (c *cli) checkProxyEnv(ca *certs.CA) []finding {
	const fix = `eval "$(hush env)"   (or start the agent with: hush run -- claude)`
	var out []finding
	p := firstOf(c.getenv("HTTPS_PROXY"), c.getenv("https_proxy"))
	switch u, err := url.Parse(p); {
	case p == "":
		out = append(out, finding{what: "HTTPS_PROXY is not set in this shell: agents talk to model APIs directly", fix: fix})
	case err != nil || u.Host == "":
		out = append(out, finding{what: "HTTPS_PROXY is not a URL: " + p, fix: fix})
	default:
		if conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second); err != nil {
			out = append(out, finding{what: "HTTPS_PROXY points at " + u.Host + ", where nothing listens", fix: "hush serve --listen " + u.Host})
		} else {
			conn.Close()
			out = append(out, finding{ok: true, what: "HTTPS_PROXY=" + p})
		}
	}
	node := c.getenv("NODE_EXTRA_CA_CERTS")
	if hasCA(node, ca) {
		out = append(out, finding{ok: true, what: "Node trusts the CA (NODE_EXTRA_CA_CERTS)"})
	} else {
		out = append(out, finding{what: "Node (Claude Code, Gemini CLI) does not get the CA: NODE_EXTRA_CA_CERTS is unset or another file", fix: fix})
	}
	if c.getenv("NODE_USE_ENV_PROXY") == "" && p != "" {
		out = append(out, finding{what: "NODE_USE_ENV_PROXY is not set: Node's fetch ignores HTTPS_PROXY", fix: fix})
	}
	py := firstOf(c.getenv("REQUESTS_CA_BUNDLE"), c.getenv("SSL_CERT_FILE"))
	if hasCA(py, ca) {
		out = append(out, finding{ok: true, what: "Python trusts the CA (REQUESTS_CA_BUNDLE / SSL_CERT_FILE)"})
	} else {
		out = append(out, finding{what: "Python does not get the CA: REQUESTS_CA_BUNDLE and SSL_CERT_FILE are unset or lack it", fix: fix})
	}
	return out
}

// checkHooks checks the user's settings of each agent that is installed
// or configured here.
func (c *cli) checkHooks() []finding {
	self, err := c.hushPath()
	if err != nil {
		return nil
	}
	var out []finding
	for _, agent := range hook.Agents {
		path, err := c.settingsPath(agent, false)
		if err != nil {
			continue
		}
		if _, err := os.Stat(filepath.Dir(path)); err != nil && !c.onPath(agentBinary(agent)) {
			continue // this agent is not used here
		}
		data, _ := os.ReadFile(path)
		_, changes, err := hook.Install(data, hook.Entries(agent, self))
		switch {
		case err != nil:
			out = append(out, finding{what: fmt.Sprintf("%s: %v", path, err), fix: "hush setup " + string(agent)})
		case len(changes) > 0:
			out = append(out, finding{what: fmt.Sprintf("the %s hooks are not installed in %s", agent, path), fix: "hush setup " + string(agent)})
		default:
			out = append(out, finding{ok: true, what: fmt.Sprintf("the %s hooks are installed (%s)", agent, path)})
		}
	}
	return out
}

func agentBinary(a hook.Agent) string {
	if a == hook.ClaudeCode {
		return "claude"
	}
	return string(a)
}

func (c *cli) onPath(name string) bool {
	for _, dir := range filepath.SplitList(c.getenv("PATH")) {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

// baseURLVars are the variables that point an agent or SDK elsewhere.
var baseURLVars = []string{"ANTHROPIC_BASE_URL", "OPENAI_BASE_URL", "GOOGLE_GEMINI_BASE_URL", "GEMINI_BASE_URL", "GOOGLE_VERTEX_BASE_URL"}

var tomlBaseURL = regexp.MustCompile(`(?m)^\s*(?:openai_)?base_url\s*=\s*"([^"]+)"`)

func (c *cli) checkBypass(intercepted []string) []finding {
	var out []finding
	check := func(where, raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			return
		}
		host := strings.ToLower(u.Hostname())
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
			return // hush's base-URL mode, or a local model
		}
		for _, d := range intercepted {
			if host == d || strings.HasSuffix(host, "."+d) {
				return
			}
		}
		out = append(out, finding{what: fmt.Sprintf("%s points at %s, which hush does not intercept: those requests bypass redaction", where, host),
			fix: fmt.Sprintf("add %s under intercept.add in %s and run: hush ca reissue", host, filepath.Join(c.homeOr(), configFile))})
	}
	for _, v := range baseURLVars {
		if raw := c.getenv(v); raw != "" {
			check(v, raw)
		}
	}
	home := c.getenv("HOME")
	if data, err := os.ReadFile(filepath.Join(home, ".claude", "settings.json")); err == nil {
		var s struct {
			Env map[string]string `json:"env"`
		}
		if json.Unmarshal(data, &s) == nil {
			for _, v := range baseURLVars {
				if raw := s.Env[v]; raw != "" {
					check("~/.claude/settings.json env."+v, raw)
				}
			}
		}
	}
	codexHome := firstOf(c.getenv("CODEX_HOME"), filepath.Join(home, ".codex"))
	if data, err := os.ReadFile(filepath.Join(codexHome, "config.toml")); err == nil {
		for _, m := range tomlBaseURL.FindAllSubmatch(data, -1) {
			check(filepath.Join(codexHome, "config.toml")+" base_url", string(m[1]))
		}
	}
	for _, name := range []string{"NO_PROXY", "no_proxy"} {
		sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(c.getenv(name), ",", "\n")))
		for sc.Scan() {
			if e := strings.TrimSpace(sc.Text()); e != "" && bypasses(e, intercepted) {
				out = append(out, finding{what: fmt.Sprintf("%s holds %q, which sends model API traffic around hush", name, e), fix: `eval "$(hush env)"`})
			}
		}
	}
	if len(out) == 0 {
		out = append(out, finding{ok: true, what: "no base URL or NO_PROXY entry bypasses hush"})
	}
	return out
}

func (c *cli) homeOr() string {
	h, err := c.home()
	if err != nil {
		return "$HUSH_HOME"
	}
	return h
}
