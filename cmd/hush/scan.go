// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hushproxy/hush/redact"
)

const scanHelp = `Usage:
    hush scan [options] [PATH...|-]

Reports the secrets in files, directories (recursively, skipping .git and
binary files) or stdin ("-", the default): file, line, column, rule and a
fingerprint. Values are never printed. Exits 3 when it found any, 0 when
clean, 1 on error.

Options:
    --json            print a JSON array of findings
    --config FILE     config file for known secrets (default HUSH_HOME/config.yaml, if present)
    --dotenv FILE     also find the values of a dotenv file (repeatable)
    --no-env          do not treat secret-looking environment variables as known secrets

Examples:
    $ hush scan .
    $ git diff | hush scan -
    $ hush scan --json --dotenv .env src/
`

// repeated is a repeatable string flag.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// detectFlags are the known-secret options shared by scan and redact.
type detectFlags struct {
	config string
	dotenv repeated
	noEnv  bool
}

// register adds the flags; hush serve, whose --config is its own, shares
// them too.
func (d *detectFlags) register(fs *flag.FlagSet) {
	fs.Var(&d.dotenv, "dotenv", "dotenv file whose values are known secrets (repeatable)")
	fs.BoolVar(&d.noEnv, "no-env", false, "ignore the environment's secrets")
}

// newRedactor builds the redactor scan and redact use: the same known
// secrets as hush serve (the config's secrets: and environment:, the
// environment, dotenv files), the config's rule actions, and the same
// placeholder key, so placeholders match what the proxy issues.
func (c *cli) newRedactor(d detectFlags) (*redact.Redactor, error) {
	home, err := c.home()
	if err != nil {
		return nil, err
	}
	cfg, _, err := readConfig(d.config, home)
	if err != nil {
		return nil, err
	}
	var key []byte
	if cfg.PlaceholderKey != "" {
		key, err = redact.LoadKey(cfg.PlaceholderKey)
	} else {
		key, err = redact.LoadOrCreateKey(home)
	}
	if err != nil {
		return nil, err
	}
	known, err := c.loadKnown(cfg.Secrets, cfg.environment() && !d.noEnv, d.dotenv)
	if err != nil {
		return nil, err
	}
	return redact.New(redact.Options{Known: known, Key: key,
		Actions: cfg.redactActions(), DefaultAction: redact.Action(cfg.DefaultAction)})
}

// scanFinding is one finding as scan reports it.
type scanFinding struct {
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	Rule        string `json:"rule"`
	Kind        string `json:"kind"`
	Source      string `json:"source,omitempty"`
	Fingerprint string `json:"fingerprint"`
	Placeholder string `json:"placeholder"`
}

func (c *cli) scan(args []string) int {
	fs := c.newFlagSet("scan", scanHelp)
	var d detectFlags
	d.register(fs)
	fs.StringVar(&d.config, "config", "", "config file")
	asJSON := fs.Bool("json", false, "print JSON")
	if code := c.parse(fs, scanHelp, args); code >= 0 {
		return code
	}
	r, err := c.newRedactor(d)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	var found []scanFinding
	failed := false
	for _, p := range paths {
		err := c.scanPath(r, p, func(f scanFinding) { found = append(found, f) })
		if err != nil {
			c.errorf("%v", err)
			failed = true
		}
	}
	if *asJSON {
		if found == nil {
			found = []scanFinding{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(found)
	} else {
		for _, f := range found {
			fmt.Fprintf(c.stdout, "%s:%d:%d: %s fingerprint=%s placeholder=%s\n", f.File, f.Line, f.Column, f.Rule, f.Fingerprint, f.Placeholder)
		}
	}
	switch {
	case failed:
		return exitError
	case len(found) > 0:
		fmt.Fprintf(c.stderr, "hush: %d secret(s) found\n", len(found))
		return exitFound
	}
	return exitOK
}

// scanPath scans stdin, a file or a directory tree.
func (c *cli) scanPath(r *redact.Redactor, path string, report func(scanFinding)) error {
	if path == "-" {
		data, err := readAll(c.stdin)
		if err != nil {
			return fmt.Errorf("reading stdin: %w", err)
		}
		scanBytes(r, "-", data, report)
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return scanFile(r, path, report)
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == ".git" {
			return filepath.SkipDir
		}
		if e.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		if err := scanFile(r, f, report); err != nil {
			return err
		}
	}
	return nil
}

// maxScanFile skips files too large to be source or config.
const maxScanFile = 64 << 20

func scanFile(r *redact.Redactor, path string, report func(scanFinding)) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Size() > maxScanFile {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return nil // binary
	}
	scanBytes(r, path, data, report)
	return nil
}

func scanBytes(r *redact.Redactor, name string, data []byte, report func(scanFinding)) {
	fs := r.Scan(data)
	if len(fs) == 0 {
		return
	}
	lines := lineStarts(data)
	for _, f := range fs {
		line := sort.SearchInts(lines, f.Start+1) // lines[line-1] <= Start
		col := f.Start - lines[line-1] + 1
		report(scanFinding{File: name, Line: line, Column: col, Rule: f.RuleID, Kind: f.Kind,
			Source: f.Source, Fingerprint: f.Fingerprint, Placeholder: f.Placeholder})
	}
}

// lineStarts returns the offset at which each line begins.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// readAll reads r to the end. When r is a regular file (a path, or stdin
// redirected from one), the buffer is sized once from its length: growing
// it by doubling touches twice the memory, and for a short-lived hush
// redact on megabytes of JSON the page faults cost more than the scan.
func readAll(r io.Reader) ([]byte, error) {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
			_, err := buf.ReadFrom(f)
			return buf.Bytes(), err
		}
	}
	return io.ReadAll(r)
}
