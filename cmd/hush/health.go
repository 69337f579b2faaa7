// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// defaultAdmin is the admin address "hush serve" binds when given no
// --admin. It is also where "hush health" looks first.
const defaultAdmin = "127.0.0.1:8081"

// healthTimeout bounds one health probe. It is shorter than the
// Dockerfile's HEALTHCHECK --timeout so that hush, not Docker, reports why a
// probe failed.
const healthTimeout = 4 * time.Second

const healthHelp = `Usage:
    hush health [--admin ADDR]

Asks a running "hush serve" whether it is healthy: GET http://ADDR/healthz.
Exits 0 when it answers 200, 1 otherwise. It needs no shell or curl, so a
distroless container can use it as its health check.

Options:
    --admin ADDR   the admin address of "hush serve"
                   (default: $HUSH_ADMIN, else 127.0.0.1:8081)

Examples:
    $ hush health
    $ hush health --admin 127.0.0.1:9081
`

func (c *cli) health(args []string) int {
	fs := c.newFlagSet("health", healthHelp)
	admin := fs.String("admin", "", "admin address")
	if code := c.parse(fs, healthHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		c.errorf("health takes no arguments, got %q", fs.Arg(0))
		c.hint("hush health --admin %s", defaultAdmin)
		return exitUsage
	}
	addr := *admin
	if addr == "" {
		addr = c.getenv("HUSH_ADMIN")
	}
	if addr == "" {
		addr = defaultAdmin
	}
	target, err := probeAddr(addr)
	if err != nil {
		c.errorf("--admin %q: %v", addr, err)
		c.hint("hush health --admin %s", defaultAdmin)
		return exitUsage
	}
	url := "http://" + target + "/healthz"

	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	status, err := getStatus(ctx, url)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		c.errorf("nothing listens on %s: is hush serve running?", target)
		c.hint("hush serve --admin %s", addr)
		return exitError
	case err != nil:
		c.errorf("checking %s: %v", url, err)
		c.hint("hush health --admin ADDR, with the --admin address hush serve was started with")
		return exitError
	case status != http.StatusOK:
		c.errorf("%s answered %d %s, want 200", url, status, http.StatusText(status))
		c.hint("read the log of hush serve for why it is not healthy")
		return exitError
	}
	fmt.Fprintln(c.stdout, "ok")
	return exitOK
}

// probeAddr turns a listen address into one to dial: a server bound to
// 0.0.0.0 or [::] (as in a container) is reached on loopback.
func probeAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if port == "" {
		return "", errors.New("missing port")
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port), nil
}

// getStatus GETs url and returns the status code. It never goes through
// HTTP_PROXY (the admin port is local, and inside a proxied environment the
// proxy may be hush itself) and never follows redirects: only a plain 200
// counts as healthy.
func getStatus(ctx context.Context, url string) (int, error) {
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	// Drain a little so the server sees a clean close; the body is not used.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, nil
}
