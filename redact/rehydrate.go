// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"io"
)

// Issue describes an issued placeholder, for rehydration policy. It holds
// no value.
type Issue struct {
	Placeholder string
	Kind        string
	RuleID      string // the rule that found the value, or KnownRuleID
	Known       bool
}

// Policy decides whether an issued placeholder may be restored here. nil
// allows all.
type Policy func(Issue) bool

// Lookup returns the value behind an issued placeholder. It returns false
// for a placeholder hush did not issue (bad check) or no longer holds.
func (r *Redactor) Lookup(placeholder string) (Secret, Issue, bool) {
	return r.lookup(placeholder, false)
}

// lookup returns the decoded value, or with raw the bytes it replaced.
func (r *Redactor) lookup(placeholder string, raw bool) (Secret, Issue, bool) {
	if !r.ph.verify(placeholder) {
		return nil, Issue{}, false
	}
	e, ok := r.vault.get(placeholder)
	if !ok {
		return nil, Issue{}, false
	}
	kind, _, _, _ := parsePlaceholder(placeholder)
	v := e.value
	if raw && e.raw != nil {
		v = e.raw
	}
	return v, Issue{Placeholder: placeholder, Kind: kind, RuleID: e.ruleID, Known: e.known}, true
}

// Rehydrate returns b with every placeholder this Redactor issued replaced
// by the exact bytes it replaced, escapes included, so that
// Rehydrate(Redact(x)) == x. Placeholders it did not issue are left as they
// are. When nothing is restored the result is b itself.
func (r *Redactor) Rehydrate(b []byte) []byte {
	out, _ := r.rehydrate(b, nil, nil, true)
	return out
}

// RehydrateFunc is Rehydrate with a policy and an escape function: escape,
// if not nil, encodes each value for its context (JSON string text, say).
// It returns the issues it restored.
func (r *Redactor) RehydrateFunc(b []byte, allow Policy, escape func([]byte) []byte) ([]byte, []Issue) {
	return r.rehydrate(b, allow, escape, false)
}

func (r *Redactor) rehydrate(b []byte, allow Policy, escape func([]byte) []byte, raw bool) ([]byte, []Issue) {
	var out []byte
	var done []Issue
	last := 0
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], []byte(placeholderPrefix))
		if j < 0 {
			break
		}
		at := i + j
		n := placeholderLen(string(b[at:min(len(b), at+maxPlaceholderLen)]))
		if n == 0 {
			i = at + 1
			continue
		}
		ph := string(b[at : at+n])
		val, iss, ok := r.lookup(ph, raw)
		if ok && (allow == nil || allow(iss)) {
			if escape != nil {
				val = escape(val)
			}
			if out == nil {
				out = make([]byte, 0, len(b)+len(val))
			}
			out = append(out, b[last:at]...)
			out = append(out, val...)
			last = at + n
			done = append(done, iss)
		}
		i = at + n
	}
	if out == nil {
		return b, nil
	}
	return append(out, b[last:]...), done
}

// Rehydrator restores placeholders in a stream: see NewRehydrator.
type Rehydrator struct {
	r      *Redactor
	dst    io.Writer
	allow  Policy
	escape func([]byte) []byte
	held   []byte
	issues []Issue
	err    error
}

// NewRehydrator returns a writer that restores issued placeholders in what
// is written to it and writes the result to dst. It holds back only a tail
// that could be the start of a placeholder (at most the longest placeholder
// length minus one), so a placeholder split across writes is restored and
// everything else passes at once. Close flushes the held-back tail.
func (r *Redactor) NewRehydrator(dst io.Writer, allow Policy, escape func([]byte) []byte) *Rehydrator {
	return &Rehydrator{r: r, dst: dst, allow: allow, escape: escape}
}

// Write implements io.Writer.
func (w *Rehydrator) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	buf := append(w.held, p...)
	cut := len(buf) - heldPlaceholderTail(buf)
	out, iss := w.r.RehydrateFunc(buf[:cut], w.allow, w.escape)
	w.issues = append(w.issues, iss...)
	if _, err := w.dst.Write(out); err != nil {
		w.err = err
		return 0, err
	}
	w.held = append(w.held[:0:0], buf[cut:]...)
	return len(p), nil
}

// Close writes the held-back tail. It does not close dst.
func (w *Rehydrator) Close() error {
	if w.err != nil {
		return w.err
	}
	out, iss := w.r.RehydrateFunc(w.held, w.allow, w.escape)
	w.issues = append(w.issues, iss...)
	w.held = nil
	_, w.err = w.dst.Write(out)
	return w.err
}

// Issues returns the placeholders restored so far.
func (w *Rehydrator) Issues() []Issue { return w.issues }

// heldPlaceholderTail returns how many bytes at the end of b could be the
// beginning of a placeholder.
func heldPlaceholderTail(b []byte) int {
	// Start far enough back to see the beginning of any complete
	// placeholder that overlaps the tail, and skip over those.
	for i := max(0, len(b)-2*maxPlaceholderLen); i < len(b); i++ {
		if b[i] != 'h' {
			continue
		}
		if n := placeholderLen(string(b[i:])); n > 0 {
			i += n - 1
			continue
		}
		if couldBePlaceholder(b[i:]) {
			return len(b) - i
		}
	}
	return 0
}

// couldBePlaceholder reports whether s is a proper prefix of some
// placeholder.
func couldBePlaceholder(s []byte) bool {
	p := placeholderPrefix
	if len(s) <= len(p) {
		return string(s) == p[:len(s)]
	}
	if string(s[:len(p)]) != p {
		return false
	}
	i := len(p)
	for ; i < len(s) && s[i] != '_'; i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') || i-len(p) >= maxKindLen {
			return false
		}
	}
	if i == len(s) {
		return true
	}
	if i == len(p) {
		return false
	}
	tail := s[i+1:]
	if len(tail) >= idLen+checkLen {
		return false
	}
	for _, c := range tail {
		if !isB32(c) {
			return false
		}
	}
	return true
}
