// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/hushproxy/hush/control"
	"github.com/hushproxy/hush/proxy"
	"github.com/hushproxy/hush/redact"
)

// controlEndpoint is the running proxy's control socket (see package
// control): hooks, hush exec and hush mcp reach the vault through it.
type controlEndpoint struct {
	path    string
	ln      net.Listener
	srv     *control.Server
	refresh time.Duration // reload this often to refetch secrets with a TTL; 0: never
}

// openControl creates the control socket. hush serve uses
// HUSH_HOME/control.sock; hush run (ephemeral) a socket of its own, which
// it names to its child in HUSH_CONTROL, so that a hush run beside a hush
// serve reaches its own vault. A socket that cannot be created is a
// warning, not a failure: the proxy still protects requests, and hooks
// then fail closed.
func (p *runningProxy) openControl(cfg *config, ephemeral bool) {
	path := filepath.Join(p.home, control.SocketName)
	if ephemeral {
		path = filepath.Join(p.home, "run", fmt.Sprintf("hush-%d.sock", os.Getpid()))
		removeStaleSockets(filepath.Dir(path))
	}
	ln, err := control.Listen(path)
	if err != nil {
		p.c.warnf("%v; agent hooks and hush exec will not reach this hush", err)
		return
	}
	if !ephemeral {
		fmt.Fprintf(p.c.stderr, "hush: control socket: %s (hush hook, hush exec, hush mcp)\n", path)
	}
	named, refresh := p.namedSecrets(cfg)
	p.control = &controlEndpoint{path: path, ln: ln, refresh: refresh, srv: &control.Server{
		Redactor: func() *redact.Redactor { return p.handler.Current().Redactor },
		Key:      p.key,
		// The same policy as the response stream, as reloaded on SIGHUP.
		Policy: control.PolicyFunc(func(r *redact.Redactor, iss redact.Issue, tool string, args []byte) string {
			return p.handler.Current().Policy.Check(r, iss, tool, args)
		}),
		Secrets: control.NewSecrets(named),
		Mode: func() string {
			if m := p.handler.Current().Rehydrate; m != "" {
				return m
			}
			return control.ModeStream
		},
		Version: version(),
		Audit:   p.controlAudit,
		Logger:  p.log,
	}}
}

// serveControl serves the control socket until ctx is done, and reloads
// on the shortest secret TTL so that those secrets are refetched.
func (p *runningProxy) serveControl(ctx context.Context) {
	e := p.control
	if e == nil {
		return
	}
	e.srv.Secrets.Prefetch(ctx)
	e.srv.IssueNamed()
	go func() {
		if err := e.srv.Serve(ctx, e.ln); err != nil && !errors.Is(err, net.ErrClosed) {
			p.log.Error("control socket failed", "err", err)
		}
		os.Remove(e.path)
	}()
	if e.refresh > 0 {
		go func() {
			t := time.NewTicker(e.refresh)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if err := p.reload(); err != nil {
						p.log.Error("refreshing secrets failed; keeping the previous values", "err", err)
					}
					e.srv.Secrets.Refresh(ctx)
					e.srv.IssueNamed()
				}
			}
		}()
	}
}

// controlEnv names this hush's control socket to a child of hush run.
func (p *runningProxy) controlEnv() []envVar {
	if p.control == nil {
		return nil
	}
	return []envVar{{control.EnvSocket, p.control.path}}
}

// namedSecrets turns the config's named sources into the control
// endpoint's named secrets, and returns the shortest TTL among them.
func (p *runningProxy) namedSecrets(cfg *config) ([]control.NamedSecret, time.Duration) {
	var out []control.NamedSecret
	var refresh time.Duration
	for _, s := range cfg.Secrets {
		if s.Dotenv != "" {
			continue // many values, no single name
		}
		name := firstOf(s.Name, s.Env, s.File)
		if name == "" && len(s.Command) > 0 {
			name = s.Command[0]
		}
		ttl := time.Duration(s.TTL)
		if ttl > 0 && (refresh == 0 || ttl < refresh) {
			refresh = ttl
		}
		out = append(out, control.NamedSecret{
			Name: name, Tools: s.Tools, Hosts: s.Hosts, Approval: s.Approval, TTL: ttl,
			Fetch: func(ctx context.Context) ([]byte, error) {
				ks, err := p.c.fetchSecret(s)
				if err != nil {
					return nil, err
				}
				if len(ks) == 0 {
					return nil, fmt.Errorf("secret %s: empty", name)
				}
				return ks[0].Value, nil
			},
		})
	}
	return out, refresh
}

// controlAudit writes the control endpoint's decisions to the audit log.
func (p *runningProxy) controlAudit(e control.Event) {
	p.audit.Log(proxy.AuditEvent{
		Client: "control", Provider: e.Agent, Path: e.Tool, Action: e.Action, Rule: e.Secret,
		Placeholder: e.Placeholder, Fingerprint: e.Fingerprint, Reason: e.Reason,
	})
}

// removeStaleSockets deletes the sockets of hush runs that ended without
// cleaning up (killed): nothing answers on them any more.
func removeStaleSockets(dir string) {
	paths, _ := filepath.Glob(filepath.Join(dir, "hush-*.sock"))
	for _, path := range paths {
		if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
			c.Close()
			continue
		}
		os.Remove(path)
	}
}
