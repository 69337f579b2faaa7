// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hushproxy/hush/certs"
)

const caHelp = `Usage:
    hush ca path
    hush ca install
    hush ca uninstall
    hush ca status [--json]
    hush ca reissue [--unconstrained] [--domain DOMAIN]...

Manages hush's local CA, which signs the certificates hush presents for
the model APIs it intercepts. The CA lives in HUSH_HOME (ca.pem, and
ca-key.pem, which no command ever prints) and is created on first need.
It is name-constrained: it can only sign for the model API domains, so
its key is useless for any other site.

Commands:
    path        print the CA certificate's path, creating the CA if needed
    install     add the CA to the trust stores: the system store, Firefox
                and Chrome (NSS) and Java; idempotent, sudo only when needed
    uninstall   remove the CA from the trust stores
    status      show the CA and, per trust store, whether it is trusted
    reissue     replace the CA with a new one (moving the trust over),
                covering the default domains plus each --domain, or any
                host with --unconstrained

Environment:
    HUSH_TRUST_STORES   the stores to use, comma-separated: system, nss, java
                        (default all)

Examples:
    $ hush ca install
    $ curl --cacert "$(hush ca path)" https://api.openai.com/v1/models
    $ HUSH_TRUST_STORES=system hush ca uninstall
    $ hush ca reissue --domain llm.example.com
`

// caTimeout bounds one trust-store operation, sudo's password prompt
// included.
const caTimeout = 5 * time.Minute

func (c *cli) ca(args []string) int {
	return c.caWith(c.trust(), args)
}

// trust returns the trust stores of this machine, with this invocation's
// environment.
func (c *cli) trust() *certs.Trust {
	return &certs.Trust{Env: c.env, Privileged: os.Geteuid() == 0}
}

// caWith runs hush ca with the given trust stores (tests fake them).
func (c *cli) caWith(trust *certs.Trust, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, caHelp)
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.stdout, caHelp)
		return exitOK
	case "path":
		return c.caPath(rest)
	case "install":
		return c.caInstall(trust, rest)
	case "uninstall":
		return c.caUninstall(trust, rest)
	case "status":
		return c.caStatus(trust, rest)
	case "reissue":
		return c.caReissue(trust, rest)
	}
	c.errorf("unknown command %q for hush ca", sub)
	c.hint("hush ca -h")
	return exitUsage
}

// noArgs parses a subcommand that takes no flags.
func (c *cli) noArgs(name string, args []string) int {
	fs := c.newFlagSet("ca "+name, caHelp)
	if code := c.parse(fs, caHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		c.errorf("hush ca %s takes no arguments, got %q", name, fs.Arg(0))
		c.hint("hush ca -h")
		return exitUsage
	}
	return -1
}

// loadCA loads the CA in HUSH_HOME, creating it if create is set. Without
// create and without a CA it returns nil and no error.
func (c *cli) loadCA(create bool) (*certs.CA, string, error) {
	home, err := c.home()
	if err != nil {
		return nil, "", err
	}
	certPath := filepath.Join(home, certs.CertFile)
	_, statErr := os.Stat(certPath)
	if !create {
		if errors.Is(statErr, os.ErrNotExist) {
			return nil, home, nil
		}
		ca, err := certs.Load(certPath, filepath.Join(home, certs.KeyFile))
		return ca, home, err
	}
	ca, err := certs.LoadOrCreate(home, certs.Options{})
	if err == nil && errors.Is(statErr, os.ErrNotExist) {
		fmt.Fprintf(c.stderr, "hush: created a new local CA in %s (%s)\n", home, constraintSummary(ca))
	}
	return ca, home, err
}

// caHint follows an error about loading the CA with what to do.
func (c *cli) caHint(err error) {
	if errors.Is(err, certs.ErrNoKey) || errors.Is(err, certs.ErrInvalidCA) {
		c.hint("hush ca reissue")
	}
}

func constraintSummary(ca *certs.CA) string {
	if !ca.Constrained() {
		return "unconstrained: it can sign for any host"
	}
	return fmt.Sprintf("constrained to %d model API domains", len(ca.Domains()))
}

func (c *cli) caPath(args []string) int {
	if code := c.noArgs("path", args); code >= 0 {
		return code
	}
	ca, _, err := c.loadCA(true)
	if err != nil {
		c.errorf("%v", err)
		c.caHint(err)
		return exitError
	}
	fmt.Fprintln(c.stdout, ca.CertPath())
	return exitOK
}

func (c *cli) caInstall(trust *certs.Trust, args []string) int {
	return c.caTrust("install", trust.Install, args)
}

func (c *cli) caUninstall(trust *certs.Trust, args []string) int {
	return c.caTrust("uninstall", trust.Uninstall, args)
}

// caTrust runs install or uninstall over the trust stores and reports
// each. Install creates the CA if needed; uninstall of a CA that was never
// made has nothing to do.
func (c *cli) caTrust(verb string, do func(context.Context, *certs.CA) ([]certs.Result, error), args []string) int {
	if code := c.noArgs(verb, args); code >= 0 {
		return code
	}
	ca, home, err := c.loadCA(verb == "install")
	if err != nil {
		c.errorf("%v", err)
		c.caHint(err)
		return exitError
	}
	if ca == nil {
		fmt.Fprintf(c.stderr, "hush: no CA in %s, nothing to %s\n", home, verb)
		return exitOK
	}
	ctx, cancel := context.WithTimeout(context.Background(), caTimeout)
	defer cancel()
	results, err := do(ctx, ca)
	if err != nil {
		c.errorf("%v", err)
		c.hint("HUSH_TRUST_STORES=%s hush ca %s", strings.Join(certs.StoreNames, ","), verb)
		return exitUsage
	}
	return c.report(results)
}

// report prints a line per store to stderr, with the hint of each store
// that was skipped or failed. It returns exitError when a store failed.
func (c *cli) report(results []certs.Result) int {
	code := exitOK
	for _, r := range results {
		line := r.Name + ": " + r.Status.String()
		if r.Reason != "" {
			line += ": " + r.Reason
		}
		fmt.Fprintf(c.stderr, "hush: %s\n", line)
		if r.Hint != "" && (r.Status == certs.Skipped || r.Status == certs.Failed) {
			c.hint("%s", r.Hint)
		}
		if r.Status == certs.Failed {
			code = exitError
		}
	}
	return code
}

// caStatusJSON is hush ca status --json.
type caStatusJSON struct {
	Path        string            `json:"path"`
	Subject     string            `json:"subject"`
	SHA256      string            `json:"sha256"`
	NotAfter    time.Time         `json:"not_after"`
	Constrained bool              `json:"constrained"`
	Domains     []string          `json:"domains"`
	Stores      []storeStatusJSON `json:"stores"`
}

type storeStatusJSON struct {
	Store  string `json:"store"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func (c *cli) caStatus(trust *certs.Trust, args []string) int {
	fs := c.newFlagSet("ca status", caHelp)
	asJSON := fs.Bool("json", false, "")
	if code := c.parse(fs, caHelp, args); code >= 0 {
		return code
	}
	ca, home, err := c.loadCA(false)
	if err != nil {
		c.errorf("%v", err)
		c.caHint(err)
		return exitError
	}
	if ca == nil {
		c.errorf("no CA in %s yet", home)
		c.hint("hush ca install")
		return exitError
	}
	ctx, cancel := context.WithTimeout(context.Background(), caTimeout)
	defer cancel()
	results, err := trust.Installed(ctx, ca)
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	cert := ca.Certificate()
	if *asJSON {
		st := caStatusJSON{
			Path: ca.CertPath(), Subject: cert.Subject.CommonName, SHA256: ca.Fingerprint(),
			NotAfter: cert.NotAfter.UTC(), Constrained: ca.Constrained(), Domains: ca.Domains(),
			Stores: []storeStatusJSON{},
		}
		for _, r := range results {
			st.Stores = append(st.Stores, storeStatusJSON{r.Store, r.Name, r.Status.String(), r.Reason})
		}
		out, _ := json.MarshalIndent(st, "", "  ")
		fmt.Fprintf(c.stdout, "%s\n", out)
		return exitOK
	}
	constraints := "none: it can sign for any host"
	if ca.Constrained() {
		constraints = strings.Join(ca.Domains(), ", ") + " (and their subdomains; no IP addresses)"
	}
	w := c.stdout
	fmt.Fprintf(w, "path:        %s\n", ca.CertPath())
	fmt.Fprintf(w, "subject:     %s\n", cert.Subject.CommonName)
	fmt.Fprintf(w, "sha256:      %s\n", ca.Fingerprint())
	fmt.Fprintf(w, "expires:     %s\n", cert.NotAfter.UTC().Format(time.DateOnly))
	fmt.Fprintf(w, "constraints: %s\n", constraints)
	for _, r := range results {
		line := r.Status.String()
		if r.Reason != "" {
			line += ": " + r.Reason
		}
		fmt.Fprintf(w, "%s: %s\n", r.Name, line)
	}
	return exitOK
}

// domainList collects repeated --domain flags.
type domainList []string

func (d *domainList) String() string     { return strings.Join(*d, ",") }
func (d *domainList) Set(v string) error { *d = append(*d, v); return nil }

var _ flag.Value = (*domainList)(nil)

// caReissue replaces the CA. The trust moves with it: the old CA leaves
// each store that had it, and the new one goes into the same stores.
func (c *cli) caReissue(trust *certs.Trust, args []string) int {
	fs := c.newFlagSet("ca reissue", caHelp)
	unconstrained := fs.Bool("unconstrained", false, "")
	var domains domainList
	fs.Var(&domains, "domain", "")
	if code := c.parse(fs, caHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		c.errorf("hush ca reissue takes no arguments, got %q", fs.Arg(0))
		c.hint("hush ca reissue --domain %s", fs.Arg(0))
		return exitUsage
	}
	if *unconstrained && len(domains) > 0 {
		c.errorf("--unconstrained and --domain exclude each other")
		c.hint("hush ca reissue --unconstrained")
		return exitUsage
	}
	old, home, err := c.loadCA(false)
	if err != nil {
		if home == "" {
			c.errorf("%v", err)
			return exitError
		}
		// A broken CA (a lost key, a damaged file) is what reissue is for.
		c.warnf("%v; replacing it", err)
		old = nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), caTimeout)
	defer cancel()

	// 1. Where is the old CA trusted? Move exactly those stores.
	var moved []string
	if old != nil {
		results, err := trust.Installed(ctx, old)
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		for _, r := range results {
			if r.Status == certs.AlreadyInstalled {
				moved = append(moved, r.Store)
			}
		}
	}
	moving := *trust
	moving.Env = append(append([]string(nil), trust.Env...), "HUSH_TRUST_STORES="+strings.Join(moved, ","))
	if len(moved) > 0 {
		results, _ := moving.Uninstall(ctx, old)
		if code := c.report(results); code != exitOK {
			c.errorf("the old CA is still trusted; not replacing it")
			return code
		}
	}

	// 2. The new CA.
	opts := certs.Options{Unconstrained: *unconstrained}
	if len(domains) > 0 {
		opts.Domains = append(certs.DefaultDomains(), domains...)
	}
	ca, err := certs.Reissue(home, opts)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	fmt.Fprintf(c.stderr, "hush: new local CA in %s (%s)\n", home, constraintSummary(ca))

	// 3. Trust it where the old one was trusted.
	if len(moved) == 0 {
		c.hint("hush ca install")
	} else {
		results, _ := moving.Install(ctx, ca)
		if code := c.report(results); code != exitOK {
			return code
		}
	}
	fmt.Fprintln(c.stderr, "hush: a running hush serve or hush run keeps the old CA until it restarts")
	return exitOK
}
