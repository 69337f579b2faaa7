// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// A Route sends base-URL requests under Prefix to Upstream. With
// ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic, a POST to
// /anthropic/v1/messages goes to https://api.anthropic.com/v1/messages,
// through the same redaction as intercepted traffic, and the client needs
// no CA.
type Route struct {
	Prefix   string   // a path prefix such as "/openai", matched at a segment boundary
	Upstream *url.URL // scheme and host, and optionally a path to prepend
}

// DefaultRoutes returns the built-in base-URL routes.
func DefaultRoutes() []Route {
	rs, err := ParseRoutes(map[string]string{
		"/openai":    "https://api.openai.com",
		"/anthropic": "https://api.anthropic.com",
		"/gemini":    "https://generativelanguage.googleapis.com",
	}, false)
	if err != nil {
		panic("internal error: " + err.Error())
	}
	return rs
}

// ParseRoutes parses routes from a prefix -> upstream URL map. With
// withDefaults, the result also holds each default route whose prefix m
// does not name; an empty URL removes a prefix.
func ParseRoutes(m map[string]string, withDefaults bool) ([]Route, error) {
	all := map[string]string{}
	if withDefaults {
		for _, r := range DefaultRoutes() {
			all[r.Prefix] = r.Upstream.String()
		}
	}
	for p, u := range m {
		all["/"+strings.Trim(p, "/")] = u
	}
	var rs []Route
	for p, raw := range all {
		if raw == "" {
			continue
		}
		if p == "/" {
			return nil, fmt.Errorf("route %q: the prefix must not be empty", p)
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
			return nil, fmt.Errorf("route %s: %q is not an http(s) URL without a query", p, raw)
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		rs = append(rs, Route{Prefix: p, Upstream: u})
	}
	// Longest prefix first, so /openai/azure wins over /openai.
	sort.Slice(rs, func(i, j int) bool {
		if len(rs[i].Prefix) != len(rs[j].Prefix) {
			return len(rs[i].Prefix) > len(rs[j].Prefix)
		}
		return rs[i].Prefix < rs[j].Prefix
	})
	return rs, nil
}

// route finds the route for path and returns the upstream URL for the
// request: the route's URL with the rest of the path and the query.
func route(routes []Route, u *url.URL) (*url.URL, bool) {
	for _, r := range routes {
		rest, ok := strings.CutPrefix(u.Path, r.Prefix)
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		out := *r.Upstream
		out.Path = r.Upstream.Path + rest
		if u.RawPath != "" {
			if raw, ok := strings.CutPrefix(u.RawPath, r.Prefix); ok {
				out.RawPath = r.Upstream.EscapedPath() + raw
			}
		}
		out.RawQuery = u.RawQuery
		return &out, true
	}
	return nil, false
}
