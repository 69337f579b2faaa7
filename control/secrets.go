// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package control

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hushproxy/hush/redact"
)

// NamedSecret is a secret the config names, so that an agent can ask for
// it by name (hush mcp's request_secret) and get its placeholder.
type NamedSecret struct {
	Name     string
	Kind     string   // placeholder kind; "": derived from Name as redact does
	Tools    []string // tools that may receive the value; empty: any
	Hosts    []string // destination hosts; empty: any
	Approval bool     // the user must run hush approve before each new use
	// Lazy fetches the value on first use rather than at start (a
	// command that asks for a password, say).
	Lazy bool
	// TTL refetches the value this long after the last fetch. 0: never.
	TTL time.Duration
	// Fetch reads the value from its source.
	Fetch func(context.Context) ([]byte, error)
}

// Secrets holds the named secrets' values in memory, fetched at start or
// on first use, and refetched after their TTL. It is safe for concurrent
// use.
type Secrets struct {
	now   func() time.Time
	items []*secretEntry // fixed at NewSecrets; each entry has its own lock
}

type secretEntry struct {
	NamedSecret
	fetchMu sync.Mutex // one fetch at a time per secret
	value   []byte
	fetched time.Time
	err     error
}

// NewSecrets returns a store of list. Nothing is fetched yet.
func NewSecrets(list []NamedSecret) *Secrets {
	s := &Secrets{now: time.Now}
	for _, n := range list {
		s.items = append(s.items, &secretEntry{NamedSecret: n})
	}
	return s
}

// Prefetch fetches every secret that is not Lazy and returns the errors,
// each naming its secret, never a value.
func (s *Secrets) Prefetch(ctx context.Context) []error {
	var errs []error
	for _, e := range s.items {
		if e.Lazy {
			continue
		}
		if _, err := s.value(ctx, e); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Refresh refetches every fetched secret whose TTL has passed. Callers
// run it on a timer; it returns the names whose value changed, so the
// proxy can rebuild its redactor.
func (s *Secrets) Refresh(ctx context.Context) (changed []string, errs []error) {
	for _, e := range s.items {
		e.fetchMu.Lock()
		due := e.value != nil && e.TTL > 0 && s.now().Sub(e.fetched) >= e.TTL
		e.fetchMu.Unlock()
		if !due {
			continue
		}
		old := bytes.Clone(s.current(e))
		v, err := s.value(ctx, e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !bytes.Equal(old, v) {
			changed = append(changed, e.Name)
		}
		clear(old)
	}
	return changed, errs
}

func (s *Secrets) current(e *secretEntry) []byte {
	e.fetchMu.Lock()
	defer e.fetchMu.Unlock()
	return e.value
}

// Known returns the fetched values as known secrets, for the proxy's
// redactor.
func (s *Secrets) Known() []redact.KnownSecret {
	var out []redact.KnownSecret
	for _, e := range s.fetched() {
		out = append(out, redact.KnownSecret{Name: e.Name, Kind: e.Kind, Value: bytes.Clone(e.value)})
	}
	return out
}

func (s *Secrets) lookup(name string) *secretEntry {
	for _, e := range s.items {
		if strings.EqualFold(e.Name, name) {
			return e
		}
	}
	return nil
}

// value returns the secret's value, fetching it when it has none yet or
// its TTL has passed.
func (s *Secrets) value(ctx context.Context, e *secretEntry) ([]byte, error) {
	e.fetchMu.Lock()
	defer e.fetchMu.Unlock()
	if e.value != nil && (e.TTL <= 0 || s.now().Sub(e.fetched) < e.TTL) {
		return e.value, nil
	}
	if e.Fetch == nil {
		return nil, fmt.Errorf("secret %s: no source", e.Name)
	}
	v, err := e.Fetch(ctx)
	if err == nil {
		err = redact.CheckKnown(v)
	}
	if err != nil {
		e.err = fmt.Errorf("secret %s: %w", e.Name, err)
		return nil, e.err
	}
	clear(e.value)
	e.value, e.fetched, e.err = bytes.Clone(v), s.now(), nil
	return e.value, nil
}

// fetchedEntry is a snapshot of one fetched secret.
type fetchedEntry struct {
	NamedSecret
	value []byte
}

func (s *Secrets) fetched() []fetchedEntry {
	if s == nil {
		return nil
	}
	var out []fetchedEntry
	for _, e := range s.items {
		e.fetchMu.Lock()
		if e.value != nil {
			out = append(out, fetchedEntry{NamedSecret: e.NamedSecret, value: e.value})
		}
		e.fetchMu.Unlock()
	}
	return out
}

// issue records the secret's placeholder in the proxy's vault and returns
// it. It uses a one-secret redactor under the proxy's key and vault, so
// the placeholder is the one the proxy itself would issue for the value.
func (s *Server) issue(name, kind string, value []byte) (string, error) {
	one, err := redact.New(redact.Options{
		Rules: []redact.Rule{},
		Known: []redact.KnownSecret{{Name: name, Kind: kind, Value: value}},
		Key:   s.Key,
		Vault: s.Redactor().Vault(),
	})
	if err != nil {
		return "", err
	}
	_, fs := one.Redact(value)
	if len(fs) == 0 {
		return "", fmt.Errorf("secret %s: its value could not be matched", name)
	}
	return fs[0].Placeholder, nil
}

// IssueNamed records every fetched named secret's placeholder in the
// vault, so that placeholders an agent got before a restart of hush (and
// keeps in its history) can be restored again from the start.
func (s *Server) IssueNamed() {
	s.init()
	if s.Key == nil {
		return
	}
	for _, e := range s.Secrets.fetched() {
		s.placeholderOf(e)
	}
}

// placeholderOf returns the placeholder of a fetched secret, issuing it.
func (s *Server) placeholderOf(e fetchedEntry) string {
	ph, err := s.issue(e.Name, e.Kind, e.value)
	if err != nil {
		return ""
	}
	return ph
}

func (s *Server) info(e *secretEntry) SecretInfo {
	in := SecretInfo{Name: e.Name, Kind: e.Kind, Tools: e.Tools, Hosts: e.Hosts, Approval: e.Approval}
	e.fetchMu.Lock()
	v, err := e.value, e.err
	e.fetchMu.Unlock()
	if err != nil {
		in.Error = err.Error()
	}
	if v != nil && s.Key != nil {
		in.Placeholder = s.placeholderOf(fetchedEntry{NamedSecret: e.NamedSecret, value: v})
		if k, _, ok := strings.Cut(strings.TrimPrefix(in.Placeholder, "hush_"), "_"); ok {
			in.Kind = k
		}
	}
	return in
}

func (s *Server) listSecrets(w http.ResponseWriter, r *http.Request) {
	out := []SecretInfo{}
	if s.Secrets != nil {
		for _, e := range s.Secrets.items {
			out = append(out, s.info(e))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) requestSecret(w http.ResponseWriter, r *http.Request) {
	var req SecretRequest
	if !readJSON(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Purpose) == "" {
		writeError(w, http.StatusBadRequest, "purpose is required: say what the secret is for")
		return
	}
	var e *secretEntry
	if s.Secrets != nil {
		e = s.Secrets.lookup(req.Name)
	}
	if e == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no secret named %q in the config (list_secrets shows the names)", req.Name))
		return
	}
	if s.Key == nil {
		writeError(w, http.StatusServiceUnavailable, "this hush has no placeholder key")
		return
	}
	if _, err := s.Secrets.value(r.Context(), e); err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	resp := SecretResponse{SecretInfo: s.info(e)}
	if resp.Placeholder == "" {
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("secret %s: no placeholder", e.Name))
		return
	}
	resp.Approved = true
	if e.Approval {
		resp.Approval, resp.Approved = s.addApproval(req, resp.Placeholder)
	}
	resp.Usage = usage(resp)
	s.audit(Event{Action: "request_secret", Agent: req.Agent, Secret: e.Name, Placeholder: resp.Placeholder, Reason: req.Purpose})
	writeJSON(w, http.StatusOK, resp)
}

func usage(r SecretResponse) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Write %s wherever the value of %s belongs in a shell command, for example "+
		"curl -H \"Authorization: Bearer %s\" .... hush puts the real value in only when the command runs; "+
		"you never see it, and the command's output comes back with the placeholder again.", r.Placeholder, r.Name, r.Placeholder)
	if len(r.Tools) > 0 {
		fmt.Fprintf(&b, " Allowed tools: %s.", strings.Join(r.Tools, ", "))
	}
	if len(r.Hosts) > 0 {
		fmt.Fprintf(&b, " Allowed destination hosts: %s.", strings.Join(r.Hosts, ", "))
	}
	if !r.Approved {
		fmt.Fprintf(&b, " The user must approve this first: ask them to run `hush approve %s` in a terminal.", r.Approval)
	}
	return b.String()
}

// addApproval returns the ID of a pending approval for ph (a new one, or
// the one already waiting), and whether ph is already approved.
func (s *Server) addApproval(req SecretRequest, ph string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.approved[ph] {
		return "", true
	}
	for id, p := range s.approvals {
		if p.placeholder == ph && !p.Approved {
			return id, false
		}
	}
	if len(s.approvals) >= maxApprovals {
		for id, p := range s.approvals {
			if p.Approved || len(s.approvals) >= maxApprovals {
				delete(s.approvals, id)
			}
		}
	}
	var raw [5]byte
	rand.Read(raw[:])
	id := strings.ToLower(base32.StdEncoding.EncodeToString(raw[:]))
	s.approvals[id] = &pending{Approval: Approval{ID: id, Secret: req.Name, Purpose: req.Purpose, Agent: req.Agent, Created: s.now()}, placeholder: ph}
	return id, false
}

// needsApproval reports whether ph belongs to a named secret that needs an
// approval not given yet, and the pending approval's ID if one exists.
func (s *Server) needsApproval(ph string) (string, bool) {
	if s.Secrets == nil {
		return "", false
	}
	need := false
	for _, e := range s.Secrets.fetched() {
		if e.Approval && s.placeholderOf(e) == ph {
			need = true
			break
		}
	}
	if !need {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.approved[ph] {
		return "", false
	}
	for id, p := range s.approvals {
		if p.placeholder == ph {
			return id, true
		}
	}
	return "", true
}

func (s *Server) listApprovals(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := []Approval{}
	for _, p := range s.approvals {
		out = append(out, p.Approval)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Approval) int { return a.Created.Compare(b.Created) })
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	var req ApproveRequest
	if !readJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	p, ok := s.approvals[strings.ToLower(strings.TrimSpace(req.ID))]
	if ok {
		p.Approved = true
		s.approved[p.placeholder] = true
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no pending approval %q", req.ID))
		return
	}
	s.audit(Event{Action: "approve", Secret: p.Secret, Placeholder: p.placeholder, Reason: p.Purpose})
	writeJSON(w, http.StatusOK, p.Approval)
}
