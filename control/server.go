// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package control

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hushproxy/hush/redact"
)

// Policy decides whether the value behind an issued placeholder may be
// restored into the arguments args of a call of tool. It returns "" to
// allow, or the reason it refuses: "tool" or "destination". It is the same
// policy the response stream applies.
type Policy interface {
	Check(r *redact.Redactor, iss redact.Issue, tool string, args []byte) (reason string)
}

// PolicyFunc adapts a function to Policy.
type PolicyFunc func(r *redact.Redactor, iss redact.Issue, tool string, args []byte) string

// Check calls f.
func (f PolicyFunc) Check(r *redact.Redactor, iss redact.Issue, tool string, args []byte) string {
	return f(r, iss, tool, args)
}

// Event is one audit line of the control endpoint. It names placeholders
// and fingerprints, never values.
type Event struct {
	Action      string // authorize, deny, resolve, request_secret, approve
	Agent       string
	Tool        string
	Secret      string // a named secret's name
	Placeholder string
	Fingerprint string
	Reason      string // why a placeholder was refused, or a request's purpose
}

// Server serves the control endpoint. Set its fields, then call Serve.
type Server struct {
	// Redactor returns the proxy's current redactor (it changes on
	// reload). Required.
	Redactor func() *redact.Redactor
	// Key is the placeholder key, for issuing named secrets'
	// placeholders. nil: named secrets are listed without placeholders.
	Key []byte
	// Policy narrows where values go. nil: every issued placeholder may
	// be restored into any tool.
	Policy Policy
	// Secrets are the named secrets. nil: none.
	Secrets *Secrets
	// Mode returns the rehydrate mode. nil: ModeStream.
	Mode func() string
	// Version is reported by /v1/status.
	Version string
	// Audit receives a line per decision. nil: none.
	Audit func(Event)
	// Logger logs. nil: slog.Default().
	Logger *slog.Logger
	// TicketTTL bounds how long a ticket stays valid: the user may take
	// a while to approve the call in the agent's prompt. 0: 30 minutes.
	TicketTTL time.Duration

	now func() time.Time

	mu        sync.Mutex
	tickets   map[string]ticket
	given     map[string]given    // placeholder -> value handed to hush exec, for redacting output
	approvals map[string]*pending // by ID
	approved  map[string]bool     // placeholder -> approved
}

type ticket struct {
	sum     [32]byte // of the argv
	allowed []string // placeholders
	agent   string
	tool    string
	expires time.Time
}

type given struct {
	value   []byte
	expires time.Time
}

type pending struct {
	Approval
	placeholder string
}

// Limits keep a confused or hostile client from growing the server.
const (
	maxTickets   = 4096
	maxGiven     = 4096
	maxApprovals = 256
	maxBody      = 8 << 20
	givenTTL     = 24 * time.Hour
)

func (s *Server) init() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tickets != nil {
		return
	}
	s.tickets = map[string]ticket{}
	s.given = map[string]given{}
	s.approvals = map[string]*pending{}
	s.approved = map[string]bool{}
	if s.now == nil {
		s.now = time.Now
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.TicketTTL <= 0 {
		s.TicketTTL = 30 * time.Minute
	}
}

// Listen creates the socket at path: its directory 0700, the socket 0600.
// A stale socket (no server answering) is replaced; a live one is an error,
// so two hush processes never share one.
func Listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("control socket %s: another hush is serving it", path)
		}
		os.Remove(path)
	}
	// The umask makes the socket 0600 from its creation, leaving no
	// window in which another user could connect.
	ln, err := listenPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	return &peerListener{Listener: ln}, nil
}

// Serve serves on ln until ctx is done.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.init()
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// Handler returns the endpoint's HTTP handler.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", s.status)
	mux.HandleFunc("POST /v1/authorize", s.authorize)
	mux.HandleFunc("POST /v1/resolve", s.resolve)
	mux.HandleFunc("POST /v1/redact", s.redact)
	mux.HandleFunc("GET /v1/secrets", s.listSecrets)
	mux.HandleFunc("POST /v1/secrets/request", s.requestSecret)
	mux.HandleFunc("GET /v1/approvals", s.listApprovals)
	mux.HandleFunc("POST /v1/approvals/approve", s.approve)
	return mux
}

func (s *Server) mode() string {
	if s.Mode == nil {
		return ModeStream
	}
	return s.Mode()
}

func (s *Server) audit(e Event) {
	if s.Audit != nil {
		s.Audit(e)
	}
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Status{Version: s.Version, PID: os.Getpid(), Mode: s.mode()})
}

// placeholderRE finds placeholder-shaped words: hush_<kind>_<12 base32>.
// Whether one is ours is decided by the redactor (its check and vault).
var placeholderRE = regexp.MustCompile(`hush_[a-z0-9-]{1,32}_[a-z2-7]{12}`)

// FindPlaceholders returns the distinct placeholder-shaped strings in b,
// in order of appearance.
func FindPlaceholders(b []byte) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderRE.FindAll(b, -1) {
		if p := string(m); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func argvSum(argv []string) [32]byte {
	h := sha256.New()
	for _, a := range argv {
		fmt.Fprintf(h, "%d:", len(a))
		h.Write([]byte(a))
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	var req AuthorizeRequest
	if !readJSON(w, r, &req) {
		return
	}
	red := s.Redactor()
	args := []byte(strings.Join(req.Argv, " "))
	resp := AuthorizeResponse{Placeholders: []Placeholder{}}
	var allowed []string
	for _, ph := range FindPlaceholders(args) {
		p := s.check(red, ph, req.Tool, args)
		resp.Placeholders = append(resp.Placeholders, p)
		ev := Event{Action: "authorize", Agent: req.Agent, Tool: req.Tool, Placeholder: ph}
		if p.Allowed {
			allowed = append(allowed, ph)
		} else {
			ev.Action, ev.Reason = "deny", p.Reason
		}
		s.audit(ev)
	}
	if len(allowed) > 0 {
		t := ticket{sum: argvSum(req.Argv), allowed: allowed, agent: req.Agent, tool: req.Tool, expires: s.now().Add(s.TicketTTL)}
		resp.Ticket, resp.Expires = s.addTicket(t), t.expires
	}
	writeJSON(w, http.StatusOK, resp)
}

// check applies the vault, the approvals and the policy to one placeholder.
func (s *Server) check(red *redact.Redactor, ph, tool string, args []byte) Placeholder {
	p := Placeholder{Placeholder: ph}
	_, iss, ok := red.Lookup(ph)
	if !ok {
		// A bad check and an expired entry look the same from here;
		// either way there is no value to restore.
		p.Reason = "unknown"
		return p
	}
	p.Kind = iss.Kind
	if id, need := s.needsApproval(ph); need {
		p.Reason, p.Approval = "approval", id
		return p
	}
	if n, ok := s.namedFor(ph); ok {
		if reason := bindingReason(n, tool, args); reason != "" {
			p.Reason = reason
			return p
		}
	}
	if s.Policy != nil {
		if reason := s.Policy.Check(red, iss, tool, args); reason != "" {
			p.Reason = reason
			return p
		}
	}
	p.Allowed = true
	return p
}

func (s *Server) addTicket(t ticket) string {
	var raw [20]byte
	rand.Read(raw[:])
	id := "t" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:]))
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.tickets) >= maxTickets {
		for k, v := range s.tickets {
			if now.After(v.expires) {
				delete(s.tickets, k)
			}
		}
		for k := range s.tickets { // still full: drop any
			if len(s.tickets) < maxTickets {
				break
			}
			delete(s.tickets, k)
		}
	}
	s.tickets[id] = t
	return id
}

// takeTicket removes and returns the ticket: a ticket is used once,
// whether or not the argv matched, so a wrong guess burns it.
func (s *Server) takeTicket(id string) (ticket, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tickets[id]
	delete(s.tickets, id)
	if !ok || s.now().After(t.expires) {
		return ticket{}, false
	}
	return t, true
}

func (s *Server) resolve(w http.ResponseWriter, r *http.Request) {
	var req ResolveRequest
	if !readJSON(w, r, &req) {
		return
	}
	t, ok := s.takeTicket(req.Ticket)
	if !ok {
		writeError(w, http.StatusForbidden, "ticket unknown, used or expired: hush exec runs only commands a hook authorized")
		return
	}
	if argvSum(req.Argv) != t.sum {
		writeError(w, http.StatusForbidden, "the command differs from the one the ticket was issued for")
		return
	}
	red := s.Redactor()
	resp := ResolveResponse{Values: map[string]string{}}
	for _, ph := range t.allowed {
		v, _, ok := red.Lookup(ph)
		if !ok {
			writeError(w, http.StatusGone, fmt.Sprintf("%s expired between the hook and hush exec", ph))
			return
		}
		resp.Values[ph] = string(v)
		s.remember(ph, v)
		s.audit(Event{Action: "resolve", Agent: t.agent, Tool: t.tool, Placeholder: ph, Fingerprint: red.Fingerprint(v)})
	}
	writeJSON(w, http.StatusOK, resp)
}

// remember keeps a value handed to hush exec, so the command's output can
// be redacted even when no rule would find the value on its own.
func (s *Server) remember(ph string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.given) >= maxGiven {
		for k, g := range s.given {
			if now.After(g.expires) || len(s.given) >= maxGiven {
				clear(g.value)
				delete(s.given, k)
			}
		}
	}
	s.given[ph] = given{value: bytes.Clone(v), expires: now.Add(givenTTL)}
}

func (s *Server) redact(w http.ResponseWriter, r *http.Request) {
	var req RedactRequest
	if !readJSON(w, r, &req) {
		return
	}
	text, n := s.RedactText([]byte(req.Text))
	writeJSON(w, http.StatusOK, RedactResponse{Text: string(text), Replaced: n})
}

// RedactText replaces the values hush exec was given and the named
// secrets' values (raw and JSON-escaped), then everything the redactor
// finds. It returns the text and the number of replacements.
func (s *Server) RedactText(b []byte) ([]byte, int) {
	s.init()
	n := 0
	for ph, v := range s.knownValues() {
		for _, form := range valueForms(v) {
			if c := bytes.Count(b, form); c > 0 {
				n += c
				b = bytes.ReplaceAll(b, form, []byte(ph))
			}
		}
	}
	out, fs := s.Redactor().Redact(b)
	for _, f := range fs {
		if f.Action != redact.ActionAudit {
			n++
		}
	}
	return out, n
}

// valueForms returns v as it appears in plain text and inside a JSON
// string, longest first.
func valueForms(v []byte) [][]byte {
	q, _ := json.Marshal(string(v))
	esc := q[1 : len(q)-1]
	if bytes.Equal(esc, v) {
		return [][]byte{v}
	}
	return [][]byte{esc, v}
}

func (s *Server) knownValues() map[string][]byte {
	out := map[string][]byte{}
	s.mu.Lock()
	now := s.now()
	for ph, g := range s.given {
		if now.Before(g.expires) {
			out[ph] = g.value
		}
	}
	s.mu.Unlock()
	if s.Secrets != nil && s.Key != nil {
		for _, e := range s.Secrets.fetched() {
			if ph := s.placeholderOf(e); ph != "" {
				out[ph] = e.value
			}
		}
	}
	return out
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad request: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorBody{Error: msg})
}
