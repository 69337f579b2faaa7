// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package stream rewrites model API responses on their way back to the
// agent: it scans everything the model says for secrets, and it restores
// placeholders to their values only inside the arguments of tool calls that
// the client executes.
//
// One adapter per API knows where tool calls travel: OpenAI Chat
// Completions, OpenAI Responses, Anthropic Messages and Gemini, streamed
// (Server-Sent Events, [NewSSE]) or not ([RewriteJSON]). Other hosts get a
// generic adapter that scans and never restores. [NewResponse] picks by
// Content-Type; [Events] takes events one at a time, for transports that
// frame them (a WebSocket); [Detect] tells the API from a request path.
//
// # What changes
//
//   - Tool-call arguments: placeholders hush issued become the real values,
//     escaped for every layer they land in (JSON text inside a JSON string,
//     JavaScript inside a JSON string), when the [Policy] allows the tool
//     and the hosts the arguments name. A placeholder split across any
//     number of deltas is restored; the rewriter holds back only what could
//     still become a placeholder, and, for a value bound to hosts, the rest
//     of that one call until the call is complete.
//   - Text, reasoning and thinking keep their placeholders. A secret in
//     them is replaced by its placeholder, also when it is split across
//     deltas: each text channel has its own streaming redactor, and what it
//     holds back goes out with the channel's next delta, or in one extra
//     delta event just before the channel ends.
//   - Every other byte passes as upstream sent it: event names, ids, usage
//     chunks, [DONE], signatures, key order, number formats. Responses
//     sequence numbers are renumbered only after an inserted event, so they
//     keep rising by one.
//
// Every copy of a call is rewritten the same way: the Responses API sends
// the arguments four times (deltas, .done, output_item.done,
// response.completed), and a client may trust any of them.
//
// # Policy
//
// A [Policy] (config.yaml's `rehydrate:` section, [PolicyConfig]) says
// which tools may receive a value and which hosts the same arguments may
// name. By default a known secret goes to any tool, and a vendor token
// (a rule with hosts, such as github-pat) only into arguments that name no
// host or only its vendor's hosts. Hosts are read from the arguments as
// text (URLs, user@host, host/path): a destination computed at run time
// is not seen. A placeholder hush did not issue is left as it is. Each
// refusal is reported through Options.OnDeny with its reason.
//
// # Streaming
//
// The SSE reader returns from Read as soon as one event is complete, since
// the proxy writes each Read to the client at once. A failed upstream read
// ends the stream with that error after the last complete event: the
// client sees a broken stream, as it would from the provider, never a
// half-rewritten event. Memory is bounded: an event larger than
// Options.MaxEvent is an error, and every per-call and per-channel buffer
// has a fixed limit.
package stream

import (
	"io"
	"strings"

	"github.com/hushproxy/hush/redact"
)

// API is a model API whose responses the rewriter understands.
type API int

const (
	Generic         API = iota // any other JSON or SSE: scanned, never restored
	OpenAIChat                 // POST /v1/chat/completions
	OpenAIResponses            // POST /v1/responses, chatgpt.com/backend-api/codex/responses
	Anthropic                  // POST /v1/messages
	Gemini                     // :generateContent, :streamGenerateContent
)

func (a API) String() string {
	switch a {
	case OpenAIChat:
		return "openai-chat"
	case OpenAIResponses:
		return "openai-responses"
	case Anthropic:
		return "anthropic"
	case Gemini:
		return "gemini"
	}
	return "generic"
}

// Detect returns the API a request to host and path speaks, by path, so
// that hosts copying an API (OpenRouter, Azure, base-URL mode prefixes)
// are recognised too. path excludes the query. host is not needed today;
// it is there so that a host-specific API can be told apart later.
func Detect(host, path string) API {
	switch {
	case strings.HasSuffix(path, "/chat/completions"):
		return OpenAIChat
	case strings.HasSuffix(path, "/responses"):
		return OpenAIResponses
	case strings.HasSuffix(path, "/v1/messages"):
		return Anthropic
	case strings.Contains(path, ":generateContent") || strings.Contains(path, ":streamGenerateContent"):
		return Gemini
	}
	return Generic
}

// Options configure a rewriter. Callbacks run on the reading goroutine,
// in stream order, and must not block.
type Options struct {
	// Redactor scans text and looks placeholders up. Required.
	Redactor *redact.Redactor
	// Rehydrate restores placeholders in tool calls. false: hooks mode,
	// where tool calls keep their placeholders too and agent hooks
	// restore them at execution time.
	Rehydrate bool
	// Policy says where values may be restored. nil: DefaultPolicy().
	Policy *Policy
	// OnFinding is called for each secret found in the response (the
	// direction="response" of hush_redactions_total).
	OnFinding func(redact.Finding)
	// OnRestore is called for each placeholder restored into a tool call
	// (hush_rehydrations_total{rule}).
	OnRestore func(redact.Issue, Call)
	// OnDeny is called for each placeholder in a tool call that was left
	// as it is, with one of the Reason constants
	// (hush_rehydrations_denied_total{reason}). For a placeholder hush
	// did not issue, the Issue holds only Placeholder and Kind.
	OnDeny func(iss redact.Issue, call Call, reason string)
	// MaxEvent bounds one SSE event. 0: DefaultMaxEvent.
	MaxEvent int
}

// DefaultMaxEvent is the largest SSE event accepted. A Responses
// response.completed event repeats the whole output, so it must allow
// large ones; past it the stream fails rather than the process.
const DefaultMaxEvent = 16 << 20

// Call identifies one tool call, for callbacks and the audit log.
type Call struct {
	API  API
	Tool string // the tool's name, as the model called it
	ID   string // the call's ID (call_..., toolu_...), if the API gives one
}

// NewSSE returns a reader of upstream, an event stream of api, rewritten
// event by event. Closing it closes upstream.
func NewSSE(api API, upstream io.ReadCloser, opts Options) io.ReadCloser {
	x := newRewriter(api, opts)
	max := opts.MaxEvent
	if max <= 0 {
		max = DefaultMaxEvent
	}
	return &sseReader{src: upstream, x: x, max: max}
}

// RewriteJSON rewrites a whole, non-streamed response body of api. A body
// that is not JSON is scanned as text and never restored into. The result
// is body itself when nothing changed.
func RewriteJSON(api API, body []byte, opts Options) ([]byte, error) {
	x := newRewriter(api, opts)
	c := x.newEvent(body)
	if c.json {
		x.ad.body(x, c)
	}
	return x.apply(c), nil
}
