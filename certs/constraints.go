// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"net"
	"slices"
	"strings"
)

// Constrained reports whether the CA carries name constraints.
func (ca *CA) Constrained() bool {
	c := ca.cert
	return len(c.PermittedDNSDomains) > 0 || len(c.ExcludedDNSDomains) > 0 ||
		len(c.PermittedIPRanges) > 0 || len(c.ExcludedIPRanges) > 0
}

// Domains returns the DNS subtrees the CA is permitted to sign for; nil
// when it has no DNS constraint.
func (ca *CA) Domains() []string { return slices.Clone(ca.cert.PermittedDNSDomains) }

// Permits reports whether the CA's name constraints allow a certificate
// for host (a DNS name or an IP address, optionally with a port), with the
// semantics of Go's verifier: a constraint "example.com" covers the domain
// and its subdomains, ".example.com" only the subdomains.
func (ca *CA) Permits(host string) bool {
	host = normalizeHost(host)
	if host == "" {
		return false
	}
	c := ca.cert
	if ip := net.ParseIP(host); ip != nil {
		if len(c.PermittedIPRanges) > 0 && !slices.ContainsFunc(c.PermittedIPRanges, containsIP(ip)) {
			return false
		}
		return !slices.ContainsFunc(c.ExcludedIPRanges, containsIP(ip))
	}
	if len(c.PermittedDNSDomains) > 0 && !slices.ContainsFunc(c.PermittedDNSDomains, matchesDomain(host)) {
		return false
	}
	return !slices.ContainsFunc(c.ExcludedDNSDomains, matchesDomain(host))
}

func containsIP(ip net.IP) func(*net.IPNet) bool {
	// Contains never matches an IPv4 range against an IPv6 address or the
	// other way round, as in Go's verifier.
	return func(n *net.IPNet) bool { return n.Contains(ip) }
}

func matchesDomain(host string) func(string) bool {
	return func(constraint string) bool {
		constraint = strings.ToLower(constraint)
		switch {
		case constraint == "":
			return true
		case strings.HasPrefix(constraint, "."):
			return strings.HasSuffix(host, constraint)
		}
		return host == constraint || strings.HasSuffix(host, "."+constraint)
	}
}

// normalizeHost lowercases host and strips a port, IPv6 brackets and a
// trailing dot.
func normalizeHost(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// Uncovered returns the hosts of an intercept list that the CA cannot sign
// for, in order. A pattern "*.example.com" (or ".example.com") is covered
// only when the whole of example.com's subtree is. The proxy warns about
// these with [CA.ReissueCommand].
func (ca *CA) Uncovered(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		if !ca.Permits(patternBase(h)) {
			out = append(out, h)
		}
	}
	return out
}

// patternBase turns an intercept pattern into the name whose subtree it
// needs: "*.example.com" and ".example.com" need example.com.
func patternBase(pattern string) string {
	return strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(pattern), "*"), ".")
}

// ReissueCommand returns the exact command that re-issues the CA so that
// it also covers hosts: "hush ca reissue" with a --domain for each domain
// beyond [DefaultDomains] that the current CA or the hosts need. It
// returns "" when the CA already covers every host. Hosts that are IP
// addresses can only be covered by an unconstrained CA, so then the
// command is "hush ca reissue --unconstrained".
func (ca *CA) ReissueCommand(hosts []string) string {
	uncovered := ca.Uncovered(hosts)
	if len(uncovered) == 0 {
		return ""
	}
	defaults := DefaultDomains()
	var extra []string
	add := func(d string) {
		d = normalizeHost(d)
		if !slices.ContainsFunc(defaults, matchesDomain(d)) && !slices.Contains(extra, d) {
			extra = append(extra, d)
		}
	}
	for _, d := range ca.Domains() {
		add(strings.TrimPrefix(d, "."))
	}
	for _, h := range uncovered {
		base := normalizeHost(patternBase(h))
		if net.ParseIP(base) != nil || !validDomain(base) {
			return "hush ca reissue --unconstrained"
		}
		add(base)
	}
	var b strings.Builder
	b.WriteString("hush ca reissue")
	for _, d := range extra {
		b.WriteString(" --domain ")
		b.WriteString(d)
	}
	return b.String()
}
