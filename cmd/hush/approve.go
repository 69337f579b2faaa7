// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/hushproxy/hush/control"
)

const approveHelp = `Usage:
    hush approve [ID]

Approves an agent's request for a named secret that the config marks
"approval: true" (request_secret in "hush mcp" gives the ID). Without ID
it lists the requests. Approving asks for confirmation on the terminal,
so an agent cannot approve its own request by running this command.

Examples:
    $ hush approve
    $ hush approve k3b7q2xw
`

func (c *cli) approve(args []string) int {
	fs := c.newFlagSet("approve", approveHelp)
	if code := c.parse(fs, approveHelp, args); code >= 0 {
		return code
	}
	sock, err := c.controlSocket()
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	client := control.NewClient(sock)
	ctx := context.Background()
	list, err := client.Approvals(ctx)
	if err != nil {
		c.errorf("%v", err)
		c.hint("hush serve")
		return exitError
	}
	if fs.NArg() == 0 {
		if len(list) == 0 {
			fmt.Fprintln(c.stderr, "hush: no requests waiting for approval")
		}
		for _, a := range list {
			state := "waiting"
			if a.Approved {
				state = "approved"
			}
			fmt.Fprintf(c.stdout, "%s  %-8s  %s  %q\n", a.ID, state, a.Secret, a.Purpose)
		}
		return exitOK
	}
	id := fs.Arg(0)
	var req *control.Approval
	for i := range list {
		if list[i].ID == strings.ToLower(id) {
			req = &list[i]
		}
	}
	if req == nil {
		c.errorf("no request %q", id)
		c.hint("hush approve")
		return exitError
	}
	// The agent runs commands too, but not at a terminal: asking here
	// keeps approval with the person at the keyboard.
	if !isTerminal(c.stdin) {
		c.errorf("hush approve must be run in a terminal, by you, not by an agent")
		return exitError
	}
	fmt.Fprintf(c.stderr, "Let agents use %s for: %q? [y/N] ", req.Secret, req.Purpose)
	line, _ := bufio.NewReader(c.stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		fmt.Fprintln(c.stderr, "hush: not approved")
		return exitError
	}
	if _, err := client.Approve(ctx, req.ID); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	fmt.Fprintf(c.stderr, "hush: approved %s for %s\n", req.ID, req.Secret)
	return exitOK
}
