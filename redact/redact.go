// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package redact finds secrets in text and replaces them with placeholders,
// and puts the values back where they are allowed to go.
//
// A [Redactor] is built once from rules (the built-in set by default, see
// [Builtin]) and known secret values, and is then immutable and safe for
// concurrent use. Detection never runs a regular expression over a whole
// input: one Aho-Corasick pass finds every rule's keywords and every known
// value's first bytes (in each encoding), and each hit is then validated
// locally, in a bounded window, by the rule's anchored regular expression or
// Go extractor, its checksum and its entropy floor. JSON and URL escapes are
// decoded inside the window, so a secret inside a JSON string (a PEM key with
// \n escapes, a URL with \/) is found as it would be in plain text, and the
// replacement covers whole escape sequences, leaving the JSON valid. Base64
// runs that contain an encoded keyword are decoded and scanned too. When
// matches overlap, the leftmost wins, then the longest.
//
// # Placeholders
//
// [Redactor.Redact] replaces each secret with a placeholder of the form
//
//	hush_<kind>_<id><check>
//
// such as hush_github-pat_k3b7q2xw4m9a. kind names the rule (or the known
// secret) that found it. id is 10 base32 characters of HMAC-SHA256 of the
// value under a per-install key ([LoadOrCreateKey]), so the same secret gets
// the same placeholder on every turn, in every request and across restarts,
// and providers' prompt caches keep hitting. check is 2 base32 characters of
// an HMAC over kind and id, so an invented or mutated placeholder is told
// apart from one hush issued. Placeholders use only [a-z0-9_-]: they are safe
// unquoted in shell, URLs, JSON and YAML, and no rule matches them.
//
// Issued placeholders are kept with their values in a [Vault], in memory
// only, bounded and with a TTL. [Redactor.Rehydrate] restores only
// placeholders found there.
//
// # Streaming
//
// [Redactor.NewWriter] redacts a stream. It holds back only the bytes that
// could still begin a secret (a keyword whose window has not fully arrived,
// or a partial keyword at the end), at most a rule's window, and its output
// equals [Redactor.Redact] of the whole input however the input is split.
// [Redactor.NewRehydrator] restores placeholders in a stream, holding back
// at most a possible placeholder prefix.
//
// Values never appear in a [Finding], an error or a log line: a [Finding]
// holds offsets, the rule, the placeholder and an HMAC fingerprint.
package redact

import (
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/hushproxy/hush/internal/ahocorasick"
)

// Options configure a Redactor.
type Options struct {
	// Rules are the pattern rules. nil selects Builtin().
	Rules []Rule
	// Known are exact secret values to find in every encoding.
	Known []KnownSecret
	// Key is the placeholder key. nil selects a random key, so
	// placeholders are stable only for this Redactor's lifetime.
	Key []byte
	// Vault records issued placeholders. nil selects NewVault(0, 0).
	Vault *Vault
	// Actions overrides the action of the rules it names. The key
	// KnownRuleID sets the action for known secrets.
	Actions map[string]Action
	// DefaultAction applies to rules that set none. "": ActionRedact.
	DefaultAction Action
}

// KnownRuleID is the rule ID reported for exact known secrets.
const KnownRuleID = "known-secret"

// Finding is one secret found in an input. It never holds the value.
type Finding struct {
	RuleID      string // the rule that matched, or KnownRuleID
	Kind        string // the placeholder kind
	Source      string // for known secrets: where the value came from (a variable or file name)
	Start, End  int    // the secret's byte span in the input
	Placeholder string // what replaced it (or would have, for ActionAudit)
	Fingerprint string // HMAC-SHA256 of the value under the key, truncated: for audit logs
	Action      Action
}

// Redactor finds and replaces secrets. It is immutable after New and safe
// for concurrent use; its Vault is shared and synchronized.
type Redactor struct {
	rules    []*rule
	known    []*knownSecret
	ph       placeholders
	vault    *Vault
	actions  map[string]Action
	defAct   Action
	ac       *ahocorasick.Matcher
	targets  [][]target // per Aho-Corasick pattern
	patterns []string   // the automaton's patterns, for tests
	scratch  sync.Pool  // *scratch, reused across scans
	decoded  sync.Pool  // *decoded, shared by the ranges of a parallel scan
	maxPat   int        // longest pattern, in bytes
	maxAhead int        // longest look-ahead of any target
}

// New validates rules and known secrets and builds a Redactor.
func New(opts Options) (*Redactor, error) {
	rules, builtin := opts.Rules, opts.Rules == nil
	if builtin {
		var err error
		if rules, err = Builtin(); err != nil {
			return nil, err
		}
	}
	r := &Redactor{vault: opts.Vault, actions: opts.Actions, defAct: opts.DefaultAction}
	if r.defAct == "" {
		r.defAct = ActionRedact
	}
	if !r.defAct.valid() {
		return nil, fmt.Errorf("default action %q: want redact, block or audit", r.defAct)
	}
	for id, a := range r.actions {
		if !a.valid() {
			return nil, fmt.Errorf("action for %q: %q: want redact, block or audit", id, a)
		}
	}
	r.ph.key = opts.Key
	if r.ph.key == nil {
		r.ph.key = make([]byte, KeySize)
		rand.Read(r.ph.key)
	}
	if r.vault == nil {
		r.vault = NewVault(0, 0)
	}
	seen := map[string]bool{}
	for i, rl := range rules {
		c, err := compile(rl, i, builtin)
		if err != nil {
			return nil, err
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("rule %q: duplicate id", c.ID)
		}
		seen[c.ID] = true
		r.rules = append(r.rules, c)
	}
	for _, k := range opts.Known {
		ks, err := newKnownSecret(k)
		if err != nil {
			return nil, err
		}
		r.known = append(r.known, ks)
	}
	r.buildMatcher()
	return r, nil
}

// Rules returns the IDs of the Redactor's rules, in order.
func (r *Redactor) Rules() []string {
	ids := make([]string, len(r.rules))
	for i, rl := range r.rules {
		ids[i] = rl.ID
	}
	return ids
}

// RuleHosts returns the vendor hosts of the rule with the given ID.
func (r *Redactor) RuleHosts(id string) []string {
	for _, rl := range r.rules {
		if rl.ID == id {
			return rl.Hosts
		}
	}
	return nil
}

// KnownCount returns the number of known secret values.
func (r *Redactor) KnownCount() int { return len(r.known) }

// Vault returns the Redactor's vault.
func (r *Redactor) Vault() *Vault { return r.vault }

func (r *Redactor) action(ruleID string, own Action) Action {
	if a, ok := r.actions[ruleID]; ok {
		return a
	}
	if own != "" {
		return own
	}
	return r.defAct
}

// Redact returns b with every secret replaced by its placeholder, and the
// findings, in input order. Findings with ActionAudit are reported but not
// replaced. When nothing is replaced the result is b itself, not a copy.
func (r *Redactor) Redact(b []byte) ([]byte, []Finding) {
	return r.apply(b, r.find(b, 0), nil)
}

// Scan returns the findings in b without recording anything in the vault.
func (r *Redactor) Scan(b []byte) []Finding {
	cands := r.find(b, 0)
	fs := make([]Finding, len(cands))
	for i, c := range cands {
		fs[i] = r.finding(c)
	}
	return fs
}

// apply writes b with the candidates replaced to dst (appending) and
// records the placeholders in the vault.
func (r *Redactor) apply(b []byte, cands []cand, dst []byte) ([]byte, []Finding) {
	if len(cands) == 0 {
		if dst == nil {
			return b, nil
		}
		return append(dst, b...), nil
	}
	findings := make([]Finding, 0, len(cands))
	replaced := false
	for _, c := range cands {
		f := r.finding(c)
		findings = append(findings, f)
		if f.Action != ActionAudit {
			replaced = true
			r.vault.put(f.Placeholder, c.value, b[c.start:c.end], f.RuleID, c.known != nil)
		}
	}
	if !replaced && dst == nil {
		return b, findings
	}
	out := dst
	if out == nil {
		out = make([]byte, 0, len(b)+len(cands)*maxPlaceholderLen)
	}
	last := 0
	for i, c := range cands {
		if findings[i].Action == ActionAudit {
			continue
		}
		out = append(out, b[last:c.start]...)
		out = append(out, findings[i].Placeholder...)
		last = c.end
	}
	return append(out, b[last:]...), findings
}

func (r *Redactor) finding(c cand) Finding {
	f := Finding{Start: c.start, End: c.end}
	if c.known != nil {
		f.RuleID, f.Kind, f.Source = KnownRuleID, c.known.kind, c.known.name
		f.Action = r.action(KnownRuleID, "")
	} else {
		f.RuleID, f.Kind = c.rule.ID, c.rule.Kind
		f.Action = r.action(c.rule.ID, c.rule.Action)
	}
	f.Placeholder = r.ph.make(f.Kind, c.value)
	f.Fingerprint = r.ph.fingerprint(c.value)
	return f
}

// Issued reports whether placeholder is one this Redactor's key could have
// made (its check holds) and the vault still has its value.
func (r *Redactor) Issued(placeholder string) bool {
	if !r.ph.verify(placeholder) {
		return false
	}
	_, ok := r.vault.get(placeholder)
	return ok
}

// Fingerprint returns the audit fingerprint of value.
func (r *Redactor) Fingerprint(value []byte) string { return r.ph.fingerprint(value) }
