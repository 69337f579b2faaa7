// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"fmt"
	"path"
	"strings"

	"github.com/hushproxy/hush/redact"
)

// PolicyConfig says where placeholders may be restored. It is the
// `rehydrate:` section of config.yaml:
//
//	rehydrate:
//	  rules:
//	    github-pat: {hosts: [github.com, "*.github.com"]}
//	    known-secret: {tools: [Bash, exec_command]}   # every known secret
//	  secrets:
//	    DEPLOY_TOKEN: {tools: [Bash], hosts: [deploy.example.com]}
//	    STAGING_DB_PASSWORD: {never: true}
//
// Without an entry, a known secret is restored into any client tool's
// arguments, whatever hosts they name, and a secret found by a rule that
// names its vendor's hosts (github-pat: github.com, ...) is restored only
// into arguments that name no host but those.
type PolicyConfig struct {
	// Rules bind by rule ID. The ID "known-secret" binds every known
	// secret that Secrets does not name.
	Rules map[string]Binding `yaml:"rules"`
	// Secrets bind known secrets by name (GITHUB_TOKEN) or by
	// placeholder kind (github-token): the name is turned into the kind
	// the way the redact package does.
	Secrets map[string]Binding `yaml:"secrets"`
}

// Binding narrows where one rule's or one secret's value may be restored.
// Patterns are globs as in path.Match: "mcp__*", "*.github.com".
type Binding struct {
	// Tools are the tool names whose calls may receive the value.
	// Empty: any client-executed tool.
	Tools []string `yaml:"tools"`
	// Hosts are the destination hosts the same arguments may name. An
	// argument string that names no host is always allowed. Empty: the
	// rule's vendor hosts (any host for known secrets and for rules that
	// name none); "*": any host.
	Hosts []string `yaml:"hosts"`
	// Never keeps the placeholder everywhere: agent hooks, if any, are
	// the only place the value is used.
	Never bool `yaml:"never"`
}

// Policy is a validated PolicyConfig. It is immutable and safe for
// concurrent use.
type Policy struct {
	rules, secrets map[string]Binding
}

// Reasons a placeholder in a tool call was not restored, as passed to
// Options.OnDeny and used as the reason label of
// hush_rehydrations_denied_total.
const (
	ReasonTool        = "tool"        // the policy does not allow this tool (or never)
	ReasonDestination = "destination" // the arguments name a host the policy does not allow
	ReasonForged      = "forged"      // hush did not issue it: its check fails
	ReasonUnknown     = "unknown"     // its check holds but the vault does not hold it (expired, or another key's vault)
)

// NewPolicy validates cfg.
func NewPolicy(cfg PolicyConfig) (*Policy, error) {
	p := &Policy{rules: map[string]Binding{}, secrets: map[string]Binding{}}
	for id, b := range cfg.Rules {
		nb, err := b.normalize()
		if err != nil {
			return nil, fmt.Errorf("rehydrate: rules: %s: %w", id, err)
		}
		p.rules[id] = nb
	}
	for name, b := range cfg.Secrets {
		nb, err := b.normalize()
		if err != nil {
			return nil, fmt.Errorf("rehydrate: secrets: %s: %w", name, err)
		}
		p.secrets[kindOf(name)] = nb
	}
	return p, nil
}

// DefaultPolicy is the policy without configuration.
func DefaultPolicy() *Policy { return &Policy{} }

func (b Binding) normalize() (Binding, error) {
	out := Binding{Never: b.Never}
	for _, t := range b.Tools {
		if _, err := path.Match(t, ""); err != nil {
			return Binding{}, fmt.Errorf("tools: %q: %w", t, err)
		}
		out.Tools = append(out.Tools, t)
	}
	for _, h := range b.Hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, err := path.Match(h, ""); err != nil || h == "" {
			return Binding{}, fmt.Errorf("hosts: %q: not a host pattern", h)
		}
		out.Hosts = append(out.Hosts, h)
	}
	return out, nil
}

// kindOf turns GITHUB_TOKEN into github-token, like the redact package
// derives a known secret's placeholder kind from its name.
func kindOf(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// rule is the binding in force for one issued placeholder.
type rule struct {
	tools []string // nil: any
	hosts []string // nil: any
	never bool
}

// lookup returns the rule for iss.
func (p *Policy) lookup(r *redact.Redactor, iss redact.Issue) rule {
	b, ok := Binding{}, false
	if iss.Known {
		b, ok = p.secrets[iss.Kind]
	}
	if !ok {
		b = p.rules[iss.RuleID]
	}
	out := rule{tools: b.Tools, hosts: b.Hosts, never: b.Never}
	if len(out.hosts) == 0 && !iss.Known {
		out.hosts = r.RuleHosts(iss.RuleID)
	}
	for _, h := range out.hosts {
		if h == "*" {
			out.hosts = nil
			break
		}
	}
	return out
}

// toolOK reports whether the rule allows the tool.
func (u rule) toolOK(tool string) bool {
	if u.never {
		return false
	}
	if len(u.tools) == 0 {
		return true
	}
	for _, t := range u.tools {
		if ok, _ := path.Match(t, tool); ok {
			return true
		}
	}
	return false
}

// hostBound reports whether the decision depends on the hosts named in the
// arguments.
func (u rule) hostBound() bool { return len(u.hosts) > 0 }

// hostsOK reports whether every host the arguments name is allowed.
func (u rule) hostsOK(h *hostScanner) bool {
	if !u.hostBound() {
		return true
	}
	if h.overflow {
		return false
	}
	for _, host := range h.hosts {
		if !matchHost(u.hosts, host) {
			return false
		}
	}
	return true
}

func matchHost(patterns []string, host string) bool {
	for _, p := range patterns {
		if p == host {
			return true
		}
		if ok, _ := path.Match(strings.ToLower(p), host); ok {
			return true
		}
	}
	return false
}

// Check decides one placeholder outside a stream, for a tool call whose
// arguments are complete: agent hooks and hush exec ask it before a value
// is filled in at execution time, so both rehydration points follow the
// same policy. It returns "" when the value may go to tool with these
// arguments, or the reason it may not (ReasonTool, ReasonDestination).
// Whether hush issued the placeholder is the caller's to check first.
func (p *Policy) Check(r *redact.Redactor, iss redact.Issue, tool string, args []byte) string {
	u := p.lookup(r, iss)
	if !u.toolOK(tool) {
		return ReasonTool
	}
	if u.hostBound() {
		var h hostScanner
		h.write(args)
		h.close()
		if !u.hostsOK(&h) {
			return ReasonDestination
		}
	}
	return ""
}
