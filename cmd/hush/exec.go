// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"errors"
	"strings"

	"github.com/hushproxy/hush/control"
)

const execHelp = `Usage:
    hush exec [--ticket T] -- COMMAND [ARG...]

Runs COMMAND with the placeholders in its arguments replaced by their
values, which it gets from the running hush over the control socket. The
values exist only in the memory of hush exec and of COMMAND: whatever
launched hush exec (an agent, and its transcript) only ever holds the
placeholders.

Agent hooks ("hush hook") rewrite shell commands into hush exec with a
ticket that hush issued for exactly that command after checking its
policy. Without --ticket, hush exec asks for one itself, as the tool
"hush-exec", so a policy that names tools decides whether it may.

Exit status: COMMAND's; 125 when hush refused or is not running, 126
when COMMAND cannot be run, 127 when it is not found.

Options:
    --ticket T    the ticket a hook was given for this command

Examples:
    $ hush exec -- curl -H "Authorization: Bearer hush_github-token_k3b7q2xw4m9a" https://api.github.com/user
`

func (c *cli) execCommand(args []string) int {
	fs := c.newFlagSet("exec", execHelp)
	ticket := fs.String("ticket", "", "ticket")
	if code := c.parse(fs, execHelp, args); code >= 0 {
		if code == exitUsage {
			return exitRunFailed
		}
		return code
	}
	argv := fs.Args()
	if len(argv) == 0 {
		c.errorf("hush exec needs a command to run")
		c.hint("hush exec -- COMMAND [ARG...]")
		return exitRunFailed
	}
	sock, err := c.controlSocket()
	if err != nil {
		c.errorf("%v", err)
		return exitRunFailed
	}
	client := control.NewClient(sock)
	ctx := context.Background()
	if *ticket == "" {
		if len(control.FindPlaceholders([]byte(strings.Join(argv, " ")))) == 0 {
			return c.runChild(argv, c.env)
		}
		az, err := client.Authorize(ctx, control.AuthorizeRequest{Agent: "exec", Tool: "hush-exec", Argv: argv})
		if err != nil {
			return c.execFailed(err)
		}
		for _, p := range az.Placeholders {
			if !p.Allowed {
				c.errorf("%s was refused (%s)", p.Placeholder, p.Reason)
				return exitRunFailed
			}
		}
		*ticket = az.Ticket
	}
	res, err := client.Resolve(ctx, control.ResolveRequest{Ticket: *ticket, Argv: argv})
	if err != nil {
		return c.execFailed(err)
	}
	filled := make([]string, len(argv))
	for i, a := range argv {
		for ph, v := range res.Values {
			a = strings.ReplaceAll(a, ph, v)
		}
		filled[i] = a
	}
	return c.runChild(filled, c.env)
}

func (c *cli) execFailed(err error) int {
	c.errorf("%v", err)
	if errors.Is(err, control.ErrNotRunning) {
		c.hint("hush serve")
	}
	return exitRunFailed
}
