// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// Audit writes the audit log: one JSON line per redaction, block or
// failure. A line names the rule, the placeholder and an HMAC fingerprint
// of the value, never the value itself. Audit is safe for concurrent use.
type Audit struct {
	sink *auditSink
	user string // filled into lines that name no user (see ForUser)
}

// auditSink is the writer that an Audit and its ForUser views share.
type auditSink struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// NewAudit returns an audit log writing to w; nil w discards.
func NewAudit(w io.Writer) *Audit { return &Audit{sink: &auditSink{w: w, now: time.Now}} }

// SetWriter switches the log to w (after a reload); nil discards. Views
// made by ForUser follow.
func (a *Audit) SetWriter(w io.Writer) {
	a.sink.mu.Lock()
	defer a.sink.mu.Unlock()
	a.sink.w = w
}

// ForUser returns a view of the log whose lines name user (the
// authenticated proxy user of one request) unless they name one
// already. The user goes into the audit log only, never into metric
// labels. A nil Audit, or an empty user, returns a unchanged.
func (a *Audit) ForUser(user string) *Audit {
	if a == nil || user == "" {
		return a
	}
	return &Audit{sink: a.sink, user: user}
}

// AuditEvent is one audit line.
type AuditEvent struct {
	Time        time.Time `json:"time"`
	RequestID   string    `json:"request_id"`
	Client      string    `json:"client"`
	User        string    `json:"user"` // the authenticated user, when there is one
	Host        string    `json:"host"`
	Path        string    `json:"path"` // without the query, which can hold the provider's key
	Provider    string    `json:"provider"`
	Direction   string    `json:"direction,omitempty"` // request or response
	Rule        string    `json:"rule,omitempty"`
	Source      string    `json:"source,omitempty"` // where a known secret came from (a variable or file name)
	Action      string    `json:"action"`           // redact, block, audit, or failed_closed
	Placeholder string    `json:"placeholder,omitempty"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Location    string    `json:"location,omitempty"` // JSON path of the secret, such as messages[2].content
	Reason      string    `json:"reason,omitempty"`   // why a request failed closed
}

// Log writes e as one line. A nil Audit discards it. Lines are written
// whole, under a lock, so concurrent requests never interleave.
func (a *Audit) Log(e AuditEvent) {
	if a == nil {
		return
	}
	if e.User == "" {
		e.User = a.user
	}
	a.sink.mu.Lock()
	defer a.sink.mu.Unlock()
	if a.sink.w == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = a.sink.now().UTC()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return // every field is a string or a time: cannot happen
	}
	a.sink.w.Write(append(b, '\n'))
}
