// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// runHealth runs hush in-process with env and returns its exit code and streams.
func runHealth(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, env: env}
	code = c.run(args)
	return code, out.String(), errOut.String()
}

// fakeAdmin is a fake admin endpoint answering /healthz with status and
// counting the probes it gets.
func fakeAdmin(t *testing.T, status int) (addr string, hits *atomic.Int32) {
	t.Helper()
	hits = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		if status == http.StatusFound {
			http.Redirect(w, r, "/elsewhere", status)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), hits
}

// deadAddr returns a loopback address where nothing listens.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name       string
		status     int  // what the fake admin answers
		viaEnv     bool // pass the address in HUSH_ADMIN instead of --admin
		wantCode   int
		wantStdout string
		wantErr    string // substring of stderr; "" means stderr must be empty
	}{
		{name: "ok", status: http.StatusOK, wantCode: exitOK, wantStdout: "ok\n"},
		{name: "ok via HUSH_ADMIN", status: http.StatusOK, viaEnv: true, wantCode: exitOK, wantStdout: "ok\n"},
		{name: "not ready", status: http.StatusServiceUnavailable, wantCode: exitError, wantErr: "answered 503 Service Unavailable, want 200"},
		{name: "redirect is not healthy", status: http.StatusFound, wantCode: exitError, wantErr: "answered 302"},
		{name: "server error", status: http.StatusInternalServerError, viaEnv: true, wantCode: exitError, wantErr: "answered 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, hits := fakeAdmin(t, tt.status)
			env := []string{"HUSH_ADMIN=" + deadAddr(t)} // must lose to --admin
			args := []string{"health", "--admin", addr}
			if tt.viaEnv {
				env = []string{"HUSH_ADMIN=" + addr}
				args = []string{"health"}
			}
			code, stdout, stderr := runHealth(t, env, args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if stdout != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", stdout, tt.wantStdout)
			}
			if tt.wantErr == "" && stderr != "" {
				t.Errorf("stderr = %q, want empty", stderr)
			}
			if tt.wantErr != "" {
				if !strings.Contains(stderr, "hush: error: ") || !strings.Contains(stderr, tt.wantErr) {
					t.Errorf("stderr = %q, want a hush: error: line containing %q", stderr, tt.wantErr)
				}
				if !strings.Contains(stderr, "hush: hint: ") {
					t.Errorf("stderr = %q, want a hush: hint: line", stderr)
				}
			}
			if hits.Load() != 1 {
				t.Errorf("the admin server got %d probes, want 1", hits.Load())
			}
		})
	}
}

func TestHealthNothingListening(t *testing.T) {
	addr := deadAddr(t)
	code, stdout, stderr := runHealth(t, nil, "health", "--admin", addr)
	if code != exitError {
		t.Errorf("exit code = %d, want %d", code, exitError)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want empty", stdout)
	}
	wantErr := "hush: error: nothing listens on " + addr
	wantHint := "hush: hint: hush serve --admin " + addr
	if !strings.Contains(stderr, wantErr) || !strings.Contains(stderr, wantHint) {
		t.Errorf("stderr = %q, want %q and %q", stderr, wantErr, wantHint)
	}
}

func TestHealthIgnoresProxyEnv(t *testing.T) {
	// A proxy in the environment must not be used for the local probe: a
	// proxy that answers everything with 200 would otherwise hide a dead hush.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	code, _, stderr := runHealth(t, nil, "health", "--admin", deadAddr(t))
	if code != exitError {
		t.Errorf("exit code = %d, want %d (stderr %q)", code, exitError, stderr)
	}
}

func TestHealthUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // substring
		wantErr    string // substring
	}{
		{name: "help", args: []string{"health", "-h"}, wantCode: exitOK, wantStdout: "Usage:\n    hush health [--admin ADDR]"},
		{name: "no port", args: []string{"health", "--admin", "localhost"}, wantCode: exitUsage, wantErr: `hush: error: --admin "localhost"`},
		{name: "empty port", args: []string{"health", "--admin", "localhost:"}, wantCode: exitUsage, wantErr: "missing port"},
		{name: "stray argument", args: []string{"health", "now"}, wantCode: exitUsage, wantErr: `health takes no arguments, got "now"`},
		{name: "unknown flag", args: []string{"health", "--nope"}, wantCode: exitUsage, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runHealth(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout, tt.wantStdout)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantErr)
			}
		})
	}
}

func TestProbeAddr(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"127.0.0.1:8081", "127.0.0.1:8081"},
		{"0.0.0.0:8081", "127.0.0.1:8081"},
		{":8081", "127.0.0.1:8081"},
		{"[::]:8081", "[::1]:8081"},
		{"hush-admin.internal:9000", "hush-admin.internal:9000"},
	}
	for _, tt := range tests {
		got, err := probeAddr(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("probeAddr(%q) = %q, %v, want %q, nil", tt.in, got, err, tt.want)
		}
	}
}
