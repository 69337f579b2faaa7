// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// A refusal is hush answering a request itself instead of sending it: a
// fail-closed error, a blocked secret, an unreachable upstream. Its message
// starts with "hush:" and says what to do; it never holds a secret value.
type refusal struct {
	status  int    // HTTP status
	code    string // machine-readable code, also sent as X-Hush-Error
	outcome string // hush_requests_total outcome
	reason  string // audit reason
	msg     string // for the user
}

// Machine-readable refusal codes.
const (
	codeUnsupportedEncoding = "hush_unsupported_encoding"
	codeCorruptBody         = "hush_corrupt_body"
	codeBodyTooLarge        = "hush_body_too_large"
	codeDecodedTooLarge     = "hush_decompressed_too_large"
	codeBlocked             = "hush_secret_blocked"
	codeWebSocket           = "hush_websocket_refused"
	codeUpstream            = "hush_upstream_unreachable"
	codeNoRoute             = "hush_no_route"
	codeBadRequest          = "hush_bad_request"
	codeInternal            = "hush_internal_error"
)

// Outcomes, the values of hush_requests_total's outcome label.
const (
	outcomeOK            = "ok"
	outcomeBlocked       = "blocked"
	outcomeFailedClosed  = "failed_closed"
	outcomeUpstreamError = "upstream_error"
	outcomeClientError   = "client_error"
)

// openAIError renders {"error":{"message","type","param","code"}}, the
// shape of OpenAI and of the many APIs that copy it.
func openAIError(status int, code, msg string) []byte {
	typ := "invalid_request_error"
	switch {
	case status == http.StatusForbidden:
		typ = "permission_error"
	case status >= 500:
		typ = "server_error"
	}
	type body struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    string  `json:"code"`
	}
	return mustJSON(struct {
		Error body `json:"error"`
	}{body{msg, typ, nil, code}})
}

// anthropicError renders {"type":"error","error":{"type","message"}}.
func anthropicError(status int, _ string, msg string) []byte {
	typ := "invalid_request_error"
	switch status {
	case http.StatusForbidden:
		typ = "permission_error"
	case http.StatusNotFound:
		typ = "not_found_error"
	case http.StatusRequestEntityTooLarge:
		typ = "request_too_large"
	default:
		if status >= 500 {
			typ = "api_error"
		}
	}
	type body struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	return mustJSON(struct {
		Type  string `json:"type"`
		Error body   `json:"error"`
	}{"error", body{typ, msg}})
}

// geminiError renders Google's {"error":{"code","message","status"}}.
func geminiError(status int, _ string, msg string) []byte {
	st := "INVALID_ARGUMENT"
	switch {
	case status == http.StatusForbidden:
		st = "PERMISSION_DENIED"
	case status == http.StatusNotFound:
		st = "NOT_FOUND"
	case status >= 500:
		st = "UNAVAILABLE"
	}
	type body struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	}
	return mustJSON(struct {
		Error body `json:"error"`
	}{body{status, msg, st}})
}

// mustJSON marshals values that cannot fail to marshal (structs of
// strings and numbers), without escaping <, > and &, which would only make the
// message harder to read.
func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("internal error: " + err.Error())
	}
	return b.Bytes()
}

// response renders the refusal as the adapter's provider would.
func (f *refusal) response(req *http.Request, a Adapter, id string) *http.Response {
	body := a.ErrorBody(f.status, f.code, f.msg)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Hush-Error", f.code)
	h.Set("X-Hush-Request-Id", id)
	if f.status < 500 {
		// The Stainless-generated SDKs (openai-go, anthropic-sdk-go and
		// their JS and Python siblings) honour this header: retrying a
		// refusal would only be refused again.
		h.Set("X-Should-Retry", "false")
	}
	return &http.Response{
		Status:        strconv.Itoa(f.status) + " " + http.StatusText(f.status),
		StatusCode:    f.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
		// The request body may be partly unread (a refusal on its
		// declared size), so the connection cannot carry another request.
		Close: f.status == http.StatusRequestEntityTooLarge,
	}
}
