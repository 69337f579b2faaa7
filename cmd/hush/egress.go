// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"crypto/tls"
	"fmt"
	"path/filepath"

	"github.com/hushproxy/hush/proxy"
)

// Corporate egress mode: hush serve as a team's proxy, beyond loopback.
// It refuses to run as an open proxy: anyone who could reach one could
// send anything anywhere in its name. The config's auth turns on proxy
// authentication, tls makes the listener an HTTPS proxy (for client
// certificates), and limits bound each client.

// exposedError is a proxy address beyond loopback without proxy
// authentication.
type exposedError struct {
	addr   string // the address bound
	config string // the config file to add auth to
}

func (e *exposedError) Error() string {
	return fmt.Sprintf("refusing to listen on %s, beyond loopback, without proxy authentication: anyone who can reach it could use it as an open proxy", e.addr)
}

func (e *exposedError) hint(c *cli) {
	htpasswd := filepath.Join(filepath.Dir(e.config), "htpasswd")
	c.hint("htpasswd -B -c %s USER   # then add to %s:  auth: {htpasswd: %s}", htpasswd, e.config, htpasswd)
	c.hint("hush serve --listen %s   # or stay on loopback", defaultListen)
}

// checkExposure refuses a proxy listener beyond loopback unless cfg
// turns on proxy authentication. hush run's private proxy must stay on
// loopback: its child gets a proxy URL without credentials.
func (p *runningProxy) checkExposure(cfg *config) error {
	if p.proxyLn == nil || isLoopback(p.proxyLn.Addr()) {
		return nil
	}
	if p.ephemeral {
		return fmt.Errorf("hush run listens on loopback only, not %s; use hush serve for a shared proxy", p.proxyAddr)
	}
	if !cfg.Auth.enabled() {
		return &exposedError{addr: p.proxyAddr, config: firstOf(p.configPath, filepath.Join(p.home, configFile))}
	}
	return nil
}

// auth loads the config's proxy authentication; nil when there is none
// (and always for hush run).
func (p *runningProxy) auth(cfg *config) (*proxy.Auth, error) {
	if p.ephemeral || !cfg.Auth.enabled() {
		return nil, nil
	}
	a := &proxy.Auth{ClientCerts: cfg.Auth.ClientCA != ""}
	if cfg.Auth.Htpasswd != "" {
		var err error
		if a.Htpasswd, err = proxy.LoadHtpasswd(cfg.Auth.Htpasswd); err != nil {
			return nil, fmt.Errorf("%s: auth: %w", p.configName(), err)
		}
	}
	return a, nil
}

// listenerTLS returns the proxy listener's TLS config, or nil for plain
// HTTP. It reads the current certificate and client CA on every
// handshake, so that a reload (SIGHUP) swaps them for new connections.
func (p *runningProxy) listenerTLS(cfg *config) (*tls.Config, error) {
	if p.ephemeral || cfg.TLS.Cert == "" {
		return nil, nil
	}
	if err := p.loadTLS(cfg); err != nil {
		return nil, err
	}
	return &tls.Config{
		NextProtos:         []string{"http/1.1"},
		GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { return p.tlsConf.Load(), nil },
	}, nil
}

// reloadTLS loads cfg's listener certificate and client CA. The listener
// cannot change between TLS and plain HTTP while it runs.
func (p *runningProxy) reloadTLS(cfg *config) error {
	if p.ephemeral {
		return nil
	}
	if on, was := cfg.TLS.Cert != "", p.tlsConf.Load() != nil; on != was {
		return fmt.Errorf("%s: tls: turning TLS on or off needs a restart of hush serve", p.configName())
	}
	if cfg.TLS.Cert == "" {
		return nil
	}
	return p.loadTLS(cfg)
}

func (p *runningProxy) loadTLS(cfg *config) error {
	// With htpasswd too, a client may authenticate either way, so the
	// certificate is optional in the handshake.
	t, err := proxy.ListenerTLS(cfg.TLS.Cert, cfg.TLS.Key, cfg.Auth.ClientCA, cfg.Auth.Htpasswd == "")
	if err != nil {
		return fmt.Errorf("%s: tls: %w", p.configName(), err)
	}
	p.tlsConf.Store(t)
	return nil
}

func (p *runningProxy) proxyScheme() string {
	if p.tlsConf.Load() != nil {
		return "https"
	}
	return "http"
}
