// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hushproxy/hush/control"
)

const mcpHelp = `Usage:
    hush mcp

An MCP server over stdio that brokers the named secrets of the running
hush ("secrets:" in config.yaml) to an agent by reference: the agent gets
a placeholder, never a value. The value is filled in only when a shell
command runs (through the hush hooks and "hush exec").

Tools:
    list_secrets                   names, kinds, placeholders, allowed tools and hosts
    request_secret(name, purpose)  the placeholder and how to use it; the purpose
                                   goes to the audit log. A secret with
                                   "approval: true" needs "hush approve ID" first.

Examples:
    $ claude mcp add hush -- hush mcp
    $ codex mcp add hush -- hush mcp
    $ gemini mcp add hush hush mcp
`

type listSecretsIn struct{}

type listSecretsOut struct {
	Secrets []control.SecretInfo `json:"secrets"`
}

type requestSecretIn struct {
	Name    string `json:"name" jsonschema:"the secret's name, as list_secrets shows it"`
	Purpose string `json:"purpose" jsonschema:"what the secret is needed for; written to the audit log"`
}

func (c *cli) mcp(args []string) int {
	fs := c.newFlagSet("mcp", mcpHelp)
	if code := c.parse(fs, mcpHelp, args); code >= 0 {
		return code
	}
	sock, err := c.controlSocket()
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	client := control.NewClient(sock)
	srv := mcp.NewServer(&mcp.Implementation{Name: "hush", Version: version()}, &mcp.ServerOptions{
		Instructions: "Secrets are given by reference: use the placeholder in shell commands; " +
			"hush fills the value in when the command runs. Never ask the user for a secret's value.",
	})
	mcp.AddTool(srv, &mcp.Tool{
		Name:        "list_secrets",
		Description: "List the secrets hush can provide: names, kinds, placeholders, and the tools and hosts each may be used with. Never returns values.",
	}, func(ctx context.Context, _ *mcp.CallToolRequest, _ listSecretsIn) (*mcp.CallToolResult, listSecretsOut, error) {
		list, err := client.Secrets(ctx)
		if err != nil {
			return nil, listSecretsOut{}, mcpError(err)
		}
		return nil, listSecretsOut{Secrets: list}, nil
	})
	mcp.AddTool(srv, &mcp.Tool{
		Name: "request_secret",
		Description: "Get the placeholder of a named secret, with how to use it. Write the placeholder in a shell command " +
			"where the value belongs; hush puts the value in only while the command runs. Give the purpose: it is audited.",
	}, func(ctx context.Context, _ *mcp.CallToolRequest, in requestSecretIn) (*mcp.CallToolResult, control.SecretResponse, error) {
		resp, err := client.RequestSecret(ctx, control.SecretRequest{Name: in.Name, Purpose: in.Purpose, Agent: "mcp"})
		if err != nil {
			return nil, control.SecretResponse{}, mcpError(err)
		}
		return nil, resp, nil
	})
	t := &mcp.IOTransport{Reader: io.NopCloser(c.stdin), Writer: nopWriteCloser{c.stdout}}
	if err := srv.Run(context.Background(), t); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, context.Canceled) {
		c.errorf("mcp: %v", err)
		return exitError
	}
	return exitOK
}

// mcpError turns a control error into a message for the model.
func mcpError(err error) error {
	if errors.Is(err, control.ErrNotRunning) {
		return fmt.Errorf("hush is not running, so no secret can be provided; ask the user to start it with `hush serve`")
	}
	return err
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
