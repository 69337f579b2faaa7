// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"io"
	"net/http"
	"strings"

	"github.com/hushproxy/hush/proxy/stream"
	"github.com/hushproxy/hush/redact"
)

// An Adapter knows one provider's API: which requests speak it and how its
// errors look, so that a refusal surfaces in the client's SDK as the
// provider's own error would. Every request to an intercepted host goes
// through exactly one Adapter; the last of DefaultAdapters claims any.
//
// Optional capabilities are found by type assertion: see
// [ResponseRewriter].
type Adapter interface {
	// Provider names the API for metrics and the audit log. It must be
	// short and fixed: it becomes a label value.
	Provider() string
	// Claims reports whether a request to host (lowercase, without a
	// port) and path speaks this adapter's API.
	Claims(host, path string) bool
	// ErrorBody renders a JSON error body with this HTTP status, a
	// machine-readable code and a message for the user.
	ErrorBody(status int, code, msg string) []byte
}

// A ResponseRewriter is an Adapter that rewrites its provider's responses,
// for example to restore secrets in tool-call arguments. The handler has
// already removed the response's Content-Encoding (body is decoded) and
// its Content-Length, and streams what the returned reader yields.
//
// For text/event-stream responses every Read must return as soon as it
// has a complete event to give: the client sees each Read the moment it
// returns, so a rewriter that waits for more input delays the stream.
type ResponseRewriter interface {
	RewriteResponse(x *Exchange, resp *http.Response, body io.ReadCloser) io.ReadCloser
}

// Exchange describes one request and response pair passing through the
// handler, for adapters that rewrite responses.
type Exchange struct {
	ID       string           // the request ID, as in the audit log
	Client   string           // the client's address
	Host     string           // the upstream host, without a port
	Path     string           // the request path, without the query
	Provider string           // the adapter's Provider()
	Redactor *redact.Redactor // the Redactor that redacted the request
	Metrics  *Metrics         // never nil
	Audit    *Audit           // nil: no audit log

	Rehydrate bool           // restore placeholders in tool-call arguments (false: hooks mode)
	Policy    *stream.Policy // which tools and hosts may receive a value; never nil
	MaxBody   int64          // bounds a non-streamed response body
}

// Where Settings.Rehydrate restores values.
const (
	RehydrateStream = "stream" // in the response stream's tool calls (the default)
	RehydrateHooks  = "hooks"  // only in the agents' hooks, at execution time
	RehydrateBoth   = "both"   // in both places
)

// DefaultAdapters returns the built-in adapters in matching order: by host
// first (Anthropic, Gemini, OpenAI), then by path for the hosts that copy
// one of those APIs, then the generic JSON adapter, which claims anything.
func DefaultAdapters() []Adapter {
	return []Adapter{
		anthropicAdapter{}, geminiAdapter{}, openAIAdapter{},
		byPath{anthropicAdapter{}}, byPath{geminiAdapter{}}, byPath{openAIAdapter{}},
		genericAdapter{},
	}
}

// selectAdapter returns the first adapter claiming host and path.
func selectAdapter(adapters []Adapter, host, path string) Adapter {
	for _, a := range adapters {
		if a.Claims(host, path) {
			return a
		}
	}
	return genericAdapter{}
}

// pathClaimer is implemented by adapters whose API can be told by its
// paths alone, on hosts that copy it (OpenRouter serves OpenAI's and
// Anthropic's paths, for example).
type pathClaimer interface {
	claimsPath(path string) bool
}

// byPath claims by path what its adapter would claim by host.
type byPath struct{ Adapter }

func (b byPath) Claims(_, path string) bool { return b.Adapter.(pathClaimer).claimsPath(path) }

func (b byPath) RewriteResponse(x *Exchange, resp *http.Response, body io.ReadCloser) io.ReadCloser {
	return b.Adapter.(ResponseRewriter).RewriteResponse(x, resp, body)
}

// streamRewriter rewrites responses with package stream: the API is told
// by host and path (so a byPath adapter on OpenRouter gets OpenAI's
// rewriting), secrets in what the model says are redacted, and placeholders
// in client-executed tool calls are restored under the policy. Everything
// it does is counted and audited, never with a value.
type streamRewriter struct{}

func (streamRewriter) RewriteResponse(x *Exchange, resp *http.Response, body io.ReadCloser) io.ReadCloser {
	api := stream.Detect(x.Host, x.Path)
	opts := stream.Options{
		Redactor:  x.Redactor,
		Rehydrate: x.Rehydrate,
		Policy:    x.Policy,
		OnFinding: func(f redact.Finding) {
			x.Metrics.Redactions.WithLabelValues(f.RuleID, "response").Inc()
			x.audit(AuditEvent{Direction: "response", Rule: f.RuleID, Source: f.Source, Action: string(f.Action),
				Placeholder: f.Placeholder, Fingerprint: f.Fingerprint})
		},
		OnRestore: func(iss redact.Issue, c stream.Call) {
			x.Metrics.Rehydrations.WithLabelValues(iss.RuleID).Inc()
			x.audit(AuditEvent{Direction: "response", Rule: iss.RuleID, Action: "rehydrate",
				Placeholder: iss.Placeholder, Location: "tool " + c.Tool})
		},
		OnDeny: func(iss redact.Issue, c stream.Call, reason string) {
			x.Metrics.RehydrationsDenied.WithLabelValues(reason).Inc()
			x.audit(AuditEvent{Direction: "response", Rule: iss.RuleID, Action: "rehydrate_denied",
				Placeholder: iss.Placeholder, Location: "tool " + c.Tool, Reason: reason})
		},
	}
	return stream.NewResponse(api, resp.Header.Get("Content-Type"), body, int(x.MaxBody), opts)
}

// audit writes e with the exchange's request fields filled in.
func (x *Exchange) audit(e AuditEvent) {
	e.RequestID, e.Client, e.Host, e.Path, e.Provider = x.ID, x.Client, x.Host, x.Path, x.Provider
	x.Audit.Log(e)
}

// openAIAdapter is OpenAI's API (Chat Completions, Responses, and the
// rest), as served by OpenAI, ChatGPT's Codex backend and Azure OpenAI.
type openAIAdapter struct{ streamRewriter }

func (openAIAdapter) Provider() string { return "openai" }
func (openAIAdapter) Claims(host, _ string) bool {
	return host == "api.openai.com" || host == "chatgpt.com" || matchGlob("*.openai.azure.com", host)
}
func (openAIAdapter) claimsPath(path string) bool {
	for _, s := range []string{"/chat/completions", "/responses", "/completions", "/embeddings"} {
		if strings.HasSuffix(path, s) {
			return true
		}
	}
	return false
}
func (openAIAdapter) ErrorBody(status int, code, msg string) []byte {
	return openAIError(status, code, msg)
}

// anthropicAdapter is Anthropic's Messages API.
type anthropicAdapter struct{ streamRewriter }

func (anthropicAdapter) Provider() string           { return "anthropic" }
func (anthropicAdapter) Claims(host, _ string) bool { return host == "api.anthropic.com" }
func (anthropicAdapter) claimsPath(path string) bool {
	return strings.HasSuffix(path, "/v1/messages") || strings.HasSuffix(path, "/v1/messages/count_tokens")
}
func (anthropicAdapter) ErrorBody(status int, code, msg string) []byte {
	return anthropicError(status, code, msg)
}

// geminiAdapter is Google's Gemini API and Vertex AI.
type geminiAdapter struct{ streamRewriter }

func (geminiAdapter) Provider() string { return "gemini" }
func (geminiAdapter) Claims(host, _ string) bool {
	return host == "generativelanguage.googleapis.com" || host == "aiplatform.googleapis.com" ||
		matchGlob("*-aiplatform.googleapis.com", host)
}
func (geminiAdapter) claimsPath(path string) bool {
	return strings.Contains(path, ":generateContent") || strings.Contains(path, ":streamGenerateContent")
}
func (geminiAdapter) ErrorBody(status int, code, msg string) []byte {
	return geminiError(status, code, msg)
}

// genericAdapter is any other intercepted host. Its bodies are redacted
// like every other; errors take OpenAI's shape, which most model APIs copy.
type genericAdapter struct{ streamRewriter }

func (genericAdapter) Provider() string        { return "other" }
func (genericAdapter) Claims(_, _ string) bool { return true }
func (genericAdapter) ErrorBody(status int, code, msg string) []byte {
	return openAIError(status, code, msg)
}

// Interface guards.
var (
	_ Adapter     = openAIAdapter{}
	_ pathClaimer = openAIAdapter{}
	_ Adapter     = anthropicAdapter{}
	_ pathClaimer = anthropicAdapter{}
	_ Adapter     = geminiAdapter{}
	_ pathClaimer = geminiAdapter{}
	_ Adapter     = genericAdapter{}

	_ ResponseRewriter = openAIAdapter{}
	_ ResponseRewriter = anthropicAdapter{}
	_ ResponseRewriter = geminiAdapter{}
	_ ResponseRewriter = genericAdapter{}
	_ ResponseRewriter = byPath{}
)
