// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package hook speaks the tool hook protocols of Claude Code, Codex and
// Gemini CLI (see WIRE.md section 7), so that placeholders become values
// only while a command runs, and tool output is redacted before the agent
// stores it.
//
// Before a tool runs (PreToolUse, BeforeTool), a shell command holding
// placeholders is rewritten into
//
//	'/path/to/hush' exec --ticket T -- bash -c '<the command, placeholders and all>'
//
// after the running hush checked every placeholder against its policy and
// issued the single-use ticket T for exactly that argv. The values never
// pass through the hook: both Claude Code and Gemini CLI keep the rewritten
// input in their transcripts. hush exec redeems the ticket and runs the
// command with the values. A placeholder in any other tool's input (a file
// write, an MCP call) could only be restored by putting the value into the
// input, and so into the transcript; the hook refuses such a call and tells
// the model to use the shell.
//
// After a tool ran (PostToolUse, AfterTool), its output is redacted where
// the agent lets a hook replace it: Claude Code's updatedToolOutput and
// Gemini CLI's AfterTool deny-with-reason. Codex cannot replace shell
// output; the proxy redacts it from the next request instead.
//
// # Permissions
//
// The hook never grants a permission the agent would not have granted.
// Observed with the real CLIs:
//   - Claude Code applies updatedInput without a permissionDecision, and
//     then runs its own permission check on the rewritten command. The
//     hook sends no decision, so the user's rules and mode decide (a prefix
//     rule such as Bash(npm test:*) no longer matches the wrapped command,
//     so the user is asked: stricter, never looser).
//   - Codex applies updatedInput only with permissionDecision "allow", but
//     that "allow" neither skips its sandbox (a read-only sandbox still
//     refused the write) nor its approval prompt (an escalated command
//     still asked the user, showing the rewritten command).
//   - Gemini CLI merges tool_input without a decision; the hook sends
//     none, and the confirmation prompt still appears as the approval mode
//     says.
//
// # Failing closed
//
// When hush is not running, a call holding placeholders is denied with a
// message that says how to start hush; it never runs with placeholders
// silently. Output redaction then falls back to a local redactor (rules
// and known secrets, without the vault).
package hook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hushproxy/hush/control"
)

// Agent names an agent CLI.
type Agent string

// The agents with hooks.
const (
	ClaudeCode Agent = "claude-code"
	Codex      Agent = "codex"
	Gemini     Agent = "gemini"
)

// Agents lists the supported agents.
var Agents = []Agent{ClaudeCode, Codex, Gemini}

// ParseAgent accepts an agent's name and the usual aliases.
func ParseAgent(s string) (Agent, error) {
	switch strings.ToLower(s) {
	case "claude-code", "claude", "claudecode":
		return ClaudeCode, nil
	case "codex":
		return Codex, nil
	case "gemini", "gemini-cli":
		return Gemini, nil
	}
	return "", fmt.Errorf("unknown agent %q: want claude-code, codex or gemini", s)
}

// Input is a hook's stdin: the fields the three agents share, as observed.
type Input struct {
	SessionID      string          `json:"session_id"`
	TranscriptPath string          `json:"transcript_path"`
	CWD            string          `json:"cwd"`
	HookEventName  string          `json:"hook_event_name"`
	PermissionMode string          `json:"permission_mode,omitempty"` // Claude Code, Codex
	ToolName       string          `json:"tool_name"`
	ToolInput      json.RawMessage `json:"tool_input"`
	ToolResponse   json.RawMessage `json:"tool_response,omitempty"` // PostToolUse, AfterTool
	ToolUseID      string          `json:"tool_use_id,omitempty"`
}

// Backend is the running hush, as the hook needs it.
type Backend interface {
	Authorize(ctx context.Context, req control.AuthorizeRequest) (control.AuthorizeResponse, error)
	Redact(ctx context.Context, text string) (control.RedactResponse, error)
}

// Options configure Handle.
type Options struct {
	Agent   Agent
	Backend Backend
	// Hush is the path of the hush binary that the rewritten command
	// runs. Required.
	Hush string
	// Shell runs the command inside hush exec. "": bash.
	Shell string
	// Fallback redacts output when hush is not running. nil: the output
	// is withheld whole.
	Fallback func([]byte) ([]byte, int)
	// StartHint is the command that starts hush, for error messages.
	// "": "hush serve".
	StartHint string
}

// Result is what the hook writes and exits with.
type Result struct {
	Stdout []byte // JSON in the agent's schema, or empty for "no opinion"
	Stderr string
	Code   int
}

// Handle answers one hook invocation whose stdin was in.
func Handle(ctx context.Context, opts Options, in []byte) Result {
	var hin Input
	if err := json.Unmarshal(in, &hin); err != nil {
		// Not a payload we understand: block rather than let a call
		// through unexamined (exit 2 blocks in every agent).
		return Result{Stderr: "hush hook: cannot parse the hook input: " + err.Error(), Code: 2}
	}
	switch hin.HookEventName {
	case "PreToolUse", "BeforeTool":
		return pre(ctx, opts, hin)
	case "PostToolUse", "AfterTool":
		return post(ctx, opts, hin)
	}
	return Result{} // another event: no opinion
}

// shellField returns the field of a shell tool's input that holds the
// command, or "" when tool is not a shell tool of agent.
func shellField(agent Agent, tool string) string {
	switch agent {
	case ClaudeCode, Codex:
		// Codex reports every shell-like tool (exec_command, shell,
		// local_shell, code mode's tools.exec_command) as Bash.
		if tool == "Bash" {
			return "command"
		}
	case Gemini:
		if tool == "run_shell_command" {
			return "command"
		}
	}
	return ""
}

func pre(ctx context.Context, opts Options, in Input) Result {
	phs := control.FindPlaceholders(in.ToolInput)
	if len(phs) == 0 {
		return Result{}
	}
	field := shellField(opts.Agent, in.ToolName)
	if field == "" {
		return deny(opts.Agent, fmt.Sprintf("hush: %s holds the placeholder %s, and hush fills placeholders in only in shell commands "+
			"(where the value exists only while the command runs, never in this conversation). "+
			"Do the same with a shell command instead, for example printf '%%s' %s > FILE.", in.ToolName, phs[0], phs[0]))
	}
	var fields map[string]json.RawMessage
	var cmd string
	if err := json.Unmarshal(in.ToolInput, &fields); err != nil || json.Unmarshal(fields[field], &cmd) != nil {
		return deny(opts.Agent, fmt.Sprintf("hush: cannot read the %s of this %s call", field, in.ToolName))
	}
	if strings.Contains(cmd, " exec --ticket ") {
		return deny(opts.Agent, "hush: write the command without hush exec; hush adds it itself")
	}
	shell := opts.Shell
	if shell == "" {
		shell = "bash"
	}
	argv := []string{shell, "-c", cmd}
	az, err := opts.Backend.Authorize(ctx, control.AuthorizeRequest{Agent: string(opts.Agent), Tool: in.ToolName, Argv: argv, CWD: in.CWD})
	if err != nil {
		return deny(opts.Agent, notRunning(opts, err))
	}
	if msg := refusals(az); msg != "" {
		return deny(opts.Agent, msg)
	}
	if az.Ticket == "" {
		return deny(opts.Agent, "hush: no placeholder in this command may be filled in")
	}
	wrapped := shellQuote(opts.Hush) + " exec --ticket " + az.Ticket + " -- " + shell + " -c " + shellQuote(cmd)
	fields[field] = marshal(wrapped)
	return rewrite(opts.Agent, in.ToolName, fields)
}

// notRunning explains a failed control call to the model and the user.
func notRunning(opts Options, err error) string {
	start := opts.StartHint
	if start == "" {
		start = "hush serve"
	}
	if errors.Is(err, control.ErrNotRunning) {
		return fmt.Sprintf("hush: blocked: this command holds hush placeholders, and hush is not running to fill them in. "+
			"Ask the user to start it (`%s`, or run the agent as `hush run -- AGENT`) and then retry the same command.", start)
	}
	return "hush: blocked: could not reach hush to fill in the placeholders: " + err.Error()
}

// refusals explains every placeholder the policy refused, or returns "".
func refusals(az control.AuthorizeResponse) string {
	var msgs []string
	for _, p := range az.Placeholders {
		if p.Allowed {
			continue
		}
		switch p.Reason {
		case "tool":
			msgs = append(msgs, fmt.Sprintf("%s may not be used by this tool", p.Placeholder))
		case "destination":
			msgs = append(msgs, fmt.Sprintf("%s may not be sent to a host this command names", p.Placeholder))
		case "approval":
			msgs = append(msgs, fmt.Sprintf("%s needs the user's approval first: ask them to run `hush approve %s`", p.Placeholder, p.Approval))
		default:
			msgs = append(msgs, fmt.Sprintf("%s is not a placeholder this hush holds a value for (invented, altered, or expired)", p.Placeholder))
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	return "hush: blocked: " + strings.Join(msgs, "; ") + "."
}

func post(ctx context.Context, opts Options, in Input) Result {
	if opts.Agent == Codex || len(in.ToolResponse) == 0 {
		// Codex cannot replace a shell tool's output; the proxy
		// redacts it from the next request.
		return Result{}
	}
	red, n, err := redactJSON(ctx, opts, in.ToolResponse)
	if err != nil {
		return withhold(opts.Agent, in, err)
	}
	if n == 0 {
		return Result{}
	}
	switch opts.Agent {
	case ClaudeCode:
		return output(map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "PostToolUse", "updatedToolOutput": json.RawMessage(red)}})
	default: // Gemini: deny with a reason replaces what the model sees
		return output(map[string]any{"decision": "deny", "reason": geminiText(red)})
	}
}

// redactJSON redacts a tool response (JSON) through hush, or the fallback.
func redactJSON(ctx context.Context, opts Options, resp json.RawMessage) ([]byte, int, error) {
	out, err := opts.Backend.Redact(ctx, string(resp))
	if err == nil {
		if !json.Valid([]byte(out.Text)) {
			return nil, 0, errors.New("redacted output is not valid JSON")
		}
		return []byte(out.Text), out.Replaced, nil
	}
	if !errors.Is(err, control.ErrNotRunning) || opts.Fallback == nil {
		return nil, 0, err
	}
	red, n := opts.Fallback(resp)
	if !json.Valid(red) {
		return nil, 0, errors.New("redacted output is not valid JSON")
	}
	return red, n, nil
}

// withhold replaces the whole output when it could not be redacted.
func withhold(agent Agent, in Input, err error) Result {
	msg := "hush: the output of this tool was withheld because it could not be checked for secrets (" + err.Error() + ")"
	switch agent {
	case ClaudeCode:
		var v any = msg
		if bytes.HasPrefix(bytes.TrimSpace(in.ToolResponse), []byte("{")) && in.ToolName == "Bash" {
			v = map[string]any{"stdout": msg, "stderr": "", "interrupted": false, "isImage": false}
		}
		return output(map[string]any{"hookSpecificOutput": map[string]any{"hookEventName": "PostToolUse", "updatedToolOutput": v}})
	default:
		return output(map[string]any{"decision": "deny", "reason": msg})
	}
}

// geminiText is what the model should see instead of a Gemini tool
// response: its llmContent when it is text, else the whole JSON.
func geminiText(resp []byte) string {
	var r struct {
		LLMContent json.RawMessage `json:"llmContent"`
	}
	if json.Unmarshal(resp, &r) == nil && len(r.LLMContent) > 0 {
		var s string
		if json.Unmarshal(r.LLMContent, &s) == nil {
			return s
		}
		return string(r.LLMContent)
	}
	return string(resp)
}

// deny blocks the call with a reason the model reads.
func deny(agent Agent, reason string) Result {
	switch agent {
	case Gemini:
		return output(map[string]any{"decision": "deny", "reason": reason})
	default: // Claude Code and Codex share the schema
		return output(map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": reason}})
	}
}

// rewrite replaces the tool input, leaving the permission decision to the
// agent wherever the agent allows it (see the package doc).
func rewrite(agent Agent, tool string, fields map[string]json.RawMessage) Result {
	switch agent {
	case Gemini:
		return output(map[string]any{"hookSpecificOutput": map[string]any{"hookEventName": "BeforeTool", "tool_input": fields}})
	case Codex:
		return output(map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "PreToolUse", "permissionDecision": "allow",
			"permissionDecisionReason": "hush: placeholders are filled in by hush exec when the command runs; sandbox and approvals still apply",
			"updatedInput":             fields}})
	default:
		return output(map[string]any{"hookSpecificOutput": map[string]any{"hookEventName": "PreToolUse", "updatedInput": fields}})
	}
}

func output(v any) Result {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Keep < > & readable in the transcript: the agent shows this
	// command to the user.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return Result{Stderr: "hush hook: internal error: " + err.Error(), Code: 2}
	}
	return Result{Stdout: b.Bytes()}
}

// marshal is json.Marshal without HTML escaping.
func marshal(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
