// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"fmt"
	"net"
	"slices"
	"strings"
)

// DefaultHosts returns the model API hosts hush intercepts by default.
// Every other CONNECT is tunnelled byte for byte.
func DefaultHosts() []string {
	return []string{
		"api.openai.com", "chatgpt.com",
		"api.anthropic.com",
		"generativelanguage.googleapis.com", "aiplatform.googleapis.com", "*-aiplatform.googleapis.com",
		"*.openai.azure.com",
		"api.githubcopilot.com", "*.githubcopilot.com",
		"api.mistral.ai",
		"api.groq.com",
		"api.deepseek.com",
		"api.x.ai",
		"openrouter.ai",
		"api.together.xyz", "api.together.ai",
		"api.fireworks.ai",
		"api.cohere.com", "api.cohere.ai",
		"api.perplexity.ai",
	}
}

// Intercept is the list of hosts whose traffic hush decrypts and redacts.
// It is immutable.
type Intercept struct {
	hosts   []string // patterns that select a host
	removed []string // patterns that exclude a host again
}

// NewIntercept returns DefaultHosts plus add, minus remove. Patterns are
// host names, matched case-insensitively, in which '*' stands for any run
// of characters, dots included: "*.githubcopilot.com" matches
// api.individual.githubcopilot.com. A host matched by a remove pattern is
// never intercepted, whatever else matches it.
func NewIntercept(add, remove []string) (*Intercept, error) {
	in := &Intercept{}
	for _, p := range remove {
		p, err := cleanPattern(p)
		if err != nil {
			return nil, fmt.Errorf("intercept remove: %w", err)
		}
		in.removed = append(in.removed, p)
	}
	for _, p := range append(DefaultHosts(), add...) {
		p, err := cleanPattern(p)
		if err != nil {
			return nil, fmt.Errorf("intercept add: %w", err)
		}
		if !slices.Contains(in.removed, p) && !slices.Contains(in.hosts, p) {
			in.hosts = append(in.hosts, p)
		}
	}
	return in, nil
}

func cleanPattern(p string) (string, error) {
	p = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p), "."))
	if p == "" || strings.ContainsAny(p, "/: ") {
		return "", fmt.Errorf("%q is not a host name pattern", p)
	}
	return p, nil
}

// Hosts returns the patterns that select hosts, for checking them against
// the CA's name constraints.
func (in *Intercept) Hosts() []string { return slices.Clone(in.hosts) }

// Match reports whether host (optionally with a port) is intercepted.
func (in *Intercept) Match(host string) bool {
	host = hostOnly(host)
	for _, p := range in.removed {
		if matchGlob(p, host) {
			return false
		}
	}
	for _, p := range in.hosts {
		if matchGlob(p, host) {
			return true
		}
	}
	return false
}

// hostOnly lowercases host and strips a port and a trailing dot.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
}

// matchGlob matches s against a pattern in which '*' matches any run of
// bytes, including none and including dots.
func matchGlob(pattern, s string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == s
	}
	prefix, rest := pattern[:star], pattern[star+1:]
	if !strings.HasPrefix(s, prefix) {
		return false
	}
	s = s[len(prefix):]
	for i := 0; i <= len(s); i++ {
		if matchGlob(rest, s[i:]) {
			return true
		}
	}
	return false
}
