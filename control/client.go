// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ErrNotRunning means nothing answers on the control socket: hush is not
// running (or runs with another HUSH_HOME).
var ErrNotRunning = errors.New("hush is not running")

// Client talks to a running hush over its control socket.
type Client struct {
	Path string
	http *http.Client
}

// NewClient returns a client of the socket at path.
func NewClient(path string) *Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
		// The proxy environment must never apply to a local socket.
		Proxy:             nil,
		DisableKeepAlives: true,
	}
	return &Client{Path: path, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://hush"+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return fmt.Errorf("%w (no answer on %s)", ErrNotRunning, c.Path)
		}
		return fmt.Errorf("control socket %s: %w", c.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("control socket: reading answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e errorBody
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return &Error{Status: resp.StatusCode, Message: e.Error}
		}
		return &Error{Status: resp.StatusCode, Message: resp.Status}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("control socket: bad answer: %w", err)
	}
	return nil
}

// Error is an error answer of the server.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// Status asks whether hush runs and in which mode.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var s Status
	err := c.do(ctx, http.MethodGet, "/v1/status", nil, &s)
	return s, err
}

// Authorize asks for a ticket to run req.Argv.
func (c *Client) Authorize(ctx context.Context, req AuthorizeRequest) (AuthorizeResponse, error) {
	var r AuthorizeResponse
	err := c.do(ctx, http.MethodPost, "/v1/authorize", req, &r)
	return r, err
}

// Resolve redeems a ticket for the values.
func (c *Client) Resolve(ctx context.Context, req ResolveRequest) (ResolveResponse, error) {
	var r ResolveResponse
	err := c.do(ctx, http.MethodPost, "/v1/resolve", req, &r)
	return r, err
}

// Redact redacts text.
func (c *Client) Redact(ctx context.Context, text string) (RedactResponse, error) {
	var r RedactResponse
	err := c.do(ctx, http.MethodPost, "/v1/redact", RedactRequest{Text: text}, &r)
	return r, err
}

// Secrets lists the named secrets.
func (c *Client) Secrets(ctx context.Context) ([]SecretInfo, error) {
	var r []SecretInfo
	err := c.do(ctx, http.MethodGet, "/v1/secrets", nil, &r)
	return r, err
}

// RequestSecret asks for a named secret's placeholder.
func (c *Client) RequestSecret(ctx context.Context, req SecretRequest) (SecretResponse, error) {
	var r SecretResponse
	err := c.do(ctx, http.MethodPost, "/v1/secrets/request", req, &r)
	return r, err
}

// Approvals lists the approvals.
func (c *Client) Approvals(ctx context.Context) ([]Approval, error) {
	var r []Approval
	err := c.do(ctx, http.MethodGet, "/v1/approvals", nil, &r)
	return r, err
}

// Approve approves one pending approval.
func (c *Client) Approve(ctx context.Context, id string) (Approval, error) {
	var r Approval
	err := c.do(ctx, http.MethodPost, "/v1/approvals/approve", ApproveRequest{ID: id}, &r)
	return r, err
}
