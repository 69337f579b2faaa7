// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package control is the local control endpoint of a running hush: a Unix
// socket in HUSH_HOME that only the same user can reach. Agent hooks, hush
// exec and hush mcp use it to reach the proxy's vault without ever holding
// the placeholder key or a secret at rest.
//
// The protocol is HTTP/1.1 with JSON bodies over the socket:
//
//	GET  /v1/status             is hush running; its rehydrate mode
//	POST /v1/authorize          a hook asks to run a command holding placeholders:
//	                            policy check, then a single-use ticket bound to the argv
//	POST /v1/resolve            hush exec redeems a ticket for the values (never a hook)
//	POST /v1/redact             tool output to redact before the agent stores it
//	GET  /v1/secrets            the named secrets: names, kinds, placeholders, bindings
//	POST /v1/secrets/request    issue a named secret's placeholder (audit line with purpose)
//	GET  /v1/approvals          pending approvals
//	POST /v1/approvals/approve  approve one (hush approve ID)
//
// # Why tickets
//
// Claude Code and Gemini CLI store a hook's rewritten tool input in the
// agent's transcript. So the hook never receives a value: it gets a ticket
// and rewrites the call into "hush exec --ticket T -- bash -c '<command>'",
// where the command still holds placeholders. hush exec sends the ticket and
// its argv back; the server hands over the values only when the argv is
// exactly the one it authorized, once, within the ticket's lifetime. The
// values then exist only in the memory of hush exec and of the command it
// runs.
//
// The socket is created with mode 0600 in a 0700 directory, and on Linux
// every connection's peer credentials (SO_PEERCRED) must name the same uid
// as the server. That keeps other users out; it cannot tell the agent from
// its user, which is why the policy, not the socket, decides what a value
// may be used for.
package control

import (
	"path/filepath"
	"time"
)

// SocketName is the socket's file name in HUSH_HOME.
const SocketName = "control.sock"

// EnvSocket names the socket when set: hush run points its child (and so
// the agent's hooks) at the socket of the proxy it started.
const EnvSocket = "HUSH_CONTROL"

// SocketPath returns the control socket path for a HUSH_HOME, honouring
// the value of HUSH_CONTROL when it is not empty.
func SocketPath(home, env string) string {
	if env != "" {
		return env
	}
	return filepath.Join(home, SocketName)
}

// Rehydrate modes: where placeholders become values again.
const (
	ModeStream = "stream" // in the response stream (tool-call arguments)
	ModeHooks  = "hooks"  // only at execution time, through agent hooks and hush exec
	ModeBoth   = "both"
)

// Status is the answer of GET /v1/status.
type Status struct {
	Version string `json:"version"`
	PID     int    `json:"pid"`
	Mode    string `json:"mode"` // stream, hooks or both
}

// AuthorizeRequest asks to run Argv, whose strings hold placeholders, as
// the tool call Tool of Agent.
type AuthorizeRequest struct {
	Agent string   `json:"agent"` // claude-code, codex, gemini, exec
	Tool  string   `json:"tool"`  // the agent's tool name: Bash, run_shell_command, ...
	Argv  []string `json:"argv"`  // what hush exec will run, placeholders unreplaced
	CWD   string   `json:"cwd,omitempty"`
}

// Placeholder is one placeholder found in a request, and what the policy
// said about it.
type Placeholder struct {
	Placeholder string `json:"placeholder"`
	Kind        string `json:"kind,omitempty"`
	Allowed     bool   `json:"allowed"`
	// Reason is set when not allowed: tool, destination, forged,
	// unknown or approval.
	Reason string `json:"reason,omitempty"`
	// Approval is the ID to pass to hush approve when Reason is
	// "approval".
	Approval string `json:"approval,omitempty"`
}

// AuthorizeResponse says which placeholders may be restored. Ticket is
// empty when none may.
type AuthorizeResponse struct {
	Ticket       string        `json:"ticket,omitempty"`
	Placeholders []Placeholder `json:"placeholders"`
	Expires      time.Time     `json:"expires,omitzero"`
}

// ResolveRequest redeems a ticket: Argv must be exactly the argv it was
// issued for.
type ResolveRequest struct {
	Ticket string   `json:"ticket"`
	Argv   []string `json:"argv"`
}

// ResolveResponse holds the values, by placeholder.
type ResolveResponse struct {
	Values map[string]string `json:"values"`
}

// RedactRequest is text to redact: tool output, as plain text or JSON.
type RedactRequest struct {
	Text string `json:"text"`
}

// RedactResponse is the redacted text and how many secrets it replaced.
type RedactResponse struct {
	Text     string `json:"text"`
	Replaced int    `json:"replaced"`
}

// SecretInfo describes a named secret. It never holds the value.
type SecretInfo struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Placeholder string   `json:"placeholder,omitempty"` // empty until fetched
	Tools       []string `json:"tools,omitempty"`       // empty: any tool
	Hosts       []string `json:"hosts,omitempty"`       // empty: any host
	Approval    bool     `json:"approval,omitempty"`    // needs hush approve before use
	Error       string   `json:"error,omitempty"`       // why it could not be fetched
}

// SecretRequest asks for a named secret's placeholder.
type SecretRequest struct {
	Name    string `json:"name"`
	Purpose string `json:"purpose"`
	Agent   string `json:"agent,omitempty"`
}

// SecretResponse is a named secret's placeholder and how to use it.
type SecretResponse struct {
	SecretInfo
	Usage    string `json:"usage"`
	Approval string `json:"approval_id,omitempty"` // set when the user must run hush approve
	Approved bool   `json:"approved"`
}

// Approval is one request waiting for (or given) the user's confirmation.
type Approval struct {
	ID       string    `json:"id"`
	Secret   string    `json:"secret"`
	Purpose  string    `json:"purpose"`
	Agent    string    `json:"agent,omitempty"`
	Created  time.Time `json:"created"`
	Approved bool      `json:"approved"`
}

// ApproveRequest approves one pending approval.
type ApproveRequest struct {
	ID string `json:"id"`
}

// errorBody is every error answer.
type errorBody struct {
	Error string `json:"error"`
}
