// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package control

import (
	"path"
	"regexp"
	"strings"

	"github.com/hushproxy/hush/redact"
)

// A named secret's own tools and hosts (from its config entry) bind it in
// addition to the Policy: hush mcp advertises them, so they must hold
// whatever the rehydrate policy says.

var (
	urlHostRE = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/\s'"?#@]*@)?([^/\s'"?#:]+)`)
	scpHostRE = regexp.MustCompile(`(?:^|[\s'"])[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):`)
)

// commandHosts returns the hosts a command names in URLs and in scp-like
// user@host: forms, lowercased. Hosts assembled at run time are not seen;
// the binding narrows what a plain URL can do, it is not a sandbox.
func commandHosts(args []byte) []string {
	var out []string
	for _, re := range []*regexp.Regexp{urlHostRE, scpHostRE} {
		for _, m := range re.FindAllSubmatch(args, -1) {
			out = append(out, strings.ToLower(string(m[1])))
		}
	}
	return out
}

func globAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(s)); ok {
			return true
		}
	}
	return false
}

// bindingReason checks a named secret's tools and hosts: "" when allowed.
func bindingReason(n NamedSecret, tool string, args []byte) string {
	if len(n.Tools) > 0 && !globAny(n.Tools, tool) {
		return "tool"
	}
	if len(n.Hosts) > 0 {
		for _, h := range commandHosts(args) {
			if !globAny(n.Hosts, h) {
				return "destination"
			}
		}
	}
	return ""
}

// namedFor returns the named secret whose placeholder is ph.
func (s *Server) namedFor(ph string) (NamedSecret, bool) {
	if s.Secrets == nil || s.Key == nil {
		return NamedSecret{}, false
	}
	for _, e := range s.Secrets.fetched() {
		if s.placeholderOf(e) == ph {
			return e.NamedSecret, true
		}
	}
	return NamedSecret{}, false
}

// VendorHosts is the policy without configuration, as the response stream
// applies it: a secret found by a rule that names its vendor's hosts
// (github-pat: github.com, ...) is restored only into commands that name
// no other host (subdomains count as the vendor's); known secrets go
// anywhere. hush serve uses it until the stream's configured policy can be
// asked from here.
var VendorHosts Policy = PolicyFunc(func(r *redact.Redactor, iss redact.Issue, tool string, args []byte) string {
	if iss.Known {
		return ""
	}
	vendor := r.RuleHosts(iss.RuleID)
	if len(vendor) == 0 {
		return ""
	}
	for _, h := range commandHosts(args) {
		if !vendorHost(vendor, h) {
			return "destination"
		}
	}
	return ""
})

func vendorHost(vendor []string, h string) bool {
	for _, v := range vendor {
		v = strings.TrimPrefix(strings.ToLower(v), "*.")
		if h == v || strings.HasSuffix(h, "."+v) {
			return true
		}
	}
	return globAny(vendor, h)
}
