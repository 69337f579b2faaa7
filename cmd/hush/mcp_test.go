// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hushproxy/hush/control"
	"github.com/hushproxy/hush/redact"
)

// TestMCP runs the official go-sdk MCP client against "hush mcp" over
// stdio, with a control server standing in for the running hush.
func TestMCP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hush")
	}
	work := t.TempDir()
	bin := filepath.Join(work, "hush")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	value := "mcp-" + hex.EncodeToString(raw)
	key := make([]byte, redact.KeySize)
	rand.Read(key)
	red, err := redact.New(redact.Options{Rules: []redact.Rule{}, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	home, err := os.MkdirTemp("", "hushmcp") // short: a socket path has a length limit
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(home)
	ln, err := control.Listen(filepath.Join(home, control.SocketName))
	if err != nil {
		t.Fatal(err)
	}
	var audit []control.Event
	srv := &control.Server{
		Redactor: func() *redact.Redactor { return red }, Key: key,
		Secrets: control.NewSecrets([]control.NamedSecret{{Name: "DEPLOY_TOKEN", Tools: []string{"Bash"}, Hosts: []string{"deploy.example.com"},
			Fetch: func(context.Context) ([]byte, error) { return []byte(value), nil }}}),
		Audit: func(e control.Event) { audit = append(audit, e) },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, ln); close(done) }()
	defer func() { cancel(); <-done }()

	cmd := exec.Command(bin, "mcp")
	cmd.Env = []string{"HUSH_HOME=" + home, "PATH=" + os.Getenv("PATH")}
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	session, err := client.Connect(context.Background(), &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()

	tools, err := session.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range tools.Tools {
		names = append(names, tl.Name)
	}
	if strings.Join(names, ",") != "list_secrets,request_secret" {
		t.Errorf("tools = %q, want list_secrets and request_secret", names)
	}

	call := func(name string, args map[string]any) (*mcp.CallToolResult, string) {
		t.Helper()
		res, err := session.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := json.Marshal(res)
		if strings.Contains(string(b), value) {
			t.Fatalf("%s returned the value", name)
		}
		return res, string(b)
	}

	res, _ := call("list_secrets", map[string]any{})
	var list struct{ Secrets []control.SecretInfo }
	b, _ := json.Marshal(res.StructuredContent)
	json.Unmarshal(b, &list)
	if len(list.Secrets) != 1 || list.Secrets[0].Name != "DEPLOY_TOKEN" || list.Secrets[0].Hosts[0] != "deploy.example.com" {
		t.Errorf("list_secrets = %s", b)
	}

	res, _ = call("request_secret", map[string]any{"name": "DEPLOY_TOKEN", "purpose": "deploy the staging app"})
	var got control.SecretResponse
	b, _ = json.Marshal(res.StructuredContent)
	json.Unmarshal(b, &got)
	if res.IsError || !redact.IsPlaceholder(got.Placeholder) || !strings.Contains(got.Usage, got.Placeholder) {
		t.Fatalf("request_secret = %s", b)
	}
	if v, _, ok := red.Lookup(got.Placeholder); !ok || string(v) != value {
		t.Errorf("the placeholder is not in the proxy's vault")
	}
	if len(audit) != 1 || audit[0].Action != "request_secret" || audit[0].Reason != "deploy the staging app" {
		t.Errorf("audit = %+v, want one request_secret line with the purpose", audit)
	}

	res, text := call("request_secret", map[string]any{"name": "NOPE", "purpose": "x"})
	if !res.IsError || !strings.Contains(text, "list_secrets") {
		t.Errorf("unknown secret: %s, want a tool error pointing at list_secrets", text)
	}

	cancel()
	<-done
	res, text = call("list_secrets", map[string]any{})
	if !res.IsError || !strings.Contains(text, "hush serve") {
		t.Errorf("hush stopped: %s, want a tool error saying how to start hush", text)
	}
}
