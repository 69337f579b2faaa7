// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"os"
)

const redactHelp = `Usage:
    hush redact [options] [PATH|-]

Copies PATH, or stdin ("-", the default), to stdout with every secret
replaced by its placeholder. Every other byte is unchanged. Placeholders
are the ones the proxy issues, from the key in HUSH_HOME.

Options:
    --config FILE     config file for known secrets (default HUSH_HOME/config.yaml, if present)
    --dotenv FILE     also replace the values of a dotenv file (repeatable)
    --no-env          do not treat secret-looking environment variables as known secrets

Examples:
    $ hush redact .env
    $ kubectl get secret app -o yaml | hush redact
`

func (c *cli) redact(args []string) int {
	fs := c.newFlagSet("redact", redactHelp)
	var d detectFlags
	d.register(fs)
	fs.StringVar(&d.config, "config", "", "config file")
	if code := c.parse(fs, redactHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() > 1 {
		c.errorf("redact takes one PATH, got %d", fs.NArg())
		c.hint("run hush redact FILE once per file, or hush scan for many files")
		return exitUsage
	}
	in := c.stdin
	if p := fs.Arg(0); p != "" && p != "-" {
		f, err := os.Open(p)
		if err != nil {
			c.errorf("%v", err)
			return exitError
		}
		defer f.Close()
		in = f
	}
	r, err := c.newRedactor(d)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	data, err := readAll(in)
	if err != nil {
		c.errorf("reading input: %v", err)
		return exitError
	}
	out, _ := r.Redact(data)
	if _, err := c.stdout.Write(out); err != nil {
		c.errorf("writing output: %v", err)
		return exitError
	}
	return exitOK
}
