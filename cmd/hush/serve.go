// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hushproxy/hush/certs"
	"github.com/hushproxy/hush/proxy"
	"github.com/hushproxy/hush/redact"
)

const serveHelp = `Usage:
    hush serve [options]

Runs the proxy in the foreground. Agents reach it as their HTTPS_PROXY
(see "hush env"), or through base URLs such as
ANTHROPIC_BASE_URL=http://127.0.0.1:8080/anthropic, which need no CA.
Requests to model APIs have every secret replaced by a placeholder;
everything else is tunnelled untouched. SIGHUP reloads the config file
and the known secrets; SIGINT and SIGTERM drain open streams and exit
(within drain_timeout, default 90s).

A proxy address beyond loopback (a team's egress proxy) is refused
unless the config turns on proxy authentication: auth.htpasswd (Basic,
bcrypt entries of htpasswd -B) and/or auth.client_ca with tls.cert and
tls.key (client certificates). limits caps each client's connections
and request rate.

Options:
    --listen ADDR           proxy and base-URL address (default 127.0.0.1:8080)
    --admin ADDR            /healthz, /readyz and /metrics (default 127.0.0.1:8081)
    --config FILE           config file (default HUSH_HOME/config.yaml, if present)
    --resolve HOST:PORT:ADDR
                            connect to ADDR instead of resolving HOST:PORT
                            (repeatable; ADDR may carry its own port)
    --upstream-ca FILE      also trust this PEM CA for upstream TLS (repeatable)
    --upstream-proxy URL    reach providers through this HTTP(S) proxy
                            (the HTTPS_PROXY variable is never used)
    --dotenv FILE           also treat the values of a dotenv file as known
                            secrets (repeatable)
    --no-env                do not treat secret-looking variables of hush's
                            own environment as known secrets
    --log-level LEVEL       debug, info, warn (default) or error

Examples:
    $ hush serve
    $ hush serve --listen 127.0.0.1:9080 --admin 127.0.0.1:9081
    $ hush serve --config ./hush.yaml --dotenv .env
    $ kill -HUP $(pidof hush)
`

// serveFlags are the flags of hush serve, which hush run shares.
type serveFlags struct {
	listen, admin, config, upstreamProxy, logLevel string
	resolve, upstreamCA                            repeated
	detect                                         detectFlags
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "", "proxy address")
	fs.StringVar(&f.admin, "admin", "", "admin address")
	fs.StringVar(&f.config, "config", "", "config file")
	fs.Var(&f.resolve, "resolve", "HOST:PORT:ADDR (repeatable)")
	fs.Var(&f.upstreamCA, "upstream-ca", "PEM CA file (repeatable)")
	fs.StringVar(&f.upstreamProxy, "upstream-proxy", "", "upstream proxy URL")
	fs.StringVar(&f.logLevel, "log-level", "", "log level")
	f.detect.register(fs)
}

func (c *cli) serve(args []string) int {
	fs := c.newFlagSet("serve", serveHelp)
	var f serveFlags
	f.register(fs)
	if code := c.parse(fs, serveHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		c.errorf("hush serve takes no arguments, got %q", fs.Arg(0))
		c.hint("hush serve --listen %s", defaultListen)
		return exitUsage
	}
	p, err := c.startProxy(f, false)
	if err != nil {
		c.errorf("%v", err)
		var xe *exposedError
		if errors.As(err, &xe) {
			xe.hint(c)
		}
		return exitError
	}
	fmt.Fprintf(c.stderr, "hush: proxy listening on %s://%s (HTTPS_PROXY, and base URLs %s)\n", p.proxyScheme(), p.proxyAddr, p.routePrefixes())
	fmt.Fprintf(c.stderr, "hush: admin listening on http://%s (/healthz, /readyz, /metrics)\n", p.adminAddr)
	fmt.Fprintf(c.stderr, "hush: CA certificate: %s\n", p.ca.CertPath())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			if err := p.reload(); err != nil {
				p.log.Error("reload failed; keeping the previous config", "err", err)
				continue
			}
			p.log.Warn("reloaded config and known secrets", "known_secrets", p.handler.Current().Redactor.KnownCount())
		}
	}()
	if err := p.serve(ctx); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	fmt.Fprintln(c.stderr, "hush: stopped")
	return exitOK
}

// runningProxy is a configured proxy, listening and ready to serve.
type runningProxy struct {
	c          *cli
	flags      serveFlags
	home       string
	configPath string
	log        *slog.Logger
	level      *slog.LevelVar
	ca         *certs.CA
	key        []byte
	vault      *redact.Vault
	handler    *proxy.Handler
	server     *proxy.Server
	audit      *proxy.Audit
	auditFile  io.Closer
	control    *controlEndpoint // agent hooks' socket (controlsrv.go); nil if it could not be opened
	proxyLn    net.Listener
	adminLn    net.Listener
	proxyAddr  string
	adminAddr  string
	ephemeral  bool                       // hush run: a private loopback proxy, without auth or tls
	tlsConf    atomic.Pointer[tls.Config] // the proxy listener's TLS (egress.go); nil: plain HTTP
}

// startProxy reads the config, loads the CA, the key and the known
// secrets, and binds the listeners. With ephemeral (hush run), listen and
// admin default to free loopback ports and the config's addresses are
// ignored.
func (c *cli) startProxy(f serveFlags, ephemeral bool) (*runningProxy, error) {
	home, err := c.home()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return nil, fmt.Errorf("creating HUSH_HOME: %w", err)
	}
	cfg, cfgPath, err := readConfig(f.config, home)
	if err != nil {
		return nil, err
	}
	p := &runningProxy{c: c, flags: f, home: home, configPath: cfgPath, level: &slog.LevelVar{}, ephemeral: ephemeral}
	if err := p.setLevel(cfg); err != nil {
		return nil, err
	}
	p.log = slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: p.level}))

	if cfg.CA.Cert != "" {
		p.ca, err = certs.Load(cfg.CA.Cert, cfg.CA.Key)
	} else {
		p.ca, _, err = c.loadCA(true)
	}
	if err != nil {
		return nil, fmt.Errorf("loading CA: %w", err)
	}
	if cfg.PlaceholderKey != "" {
		p.key, err = redact.LoadKey(cfg.PlaceholderKey)
	} else {
		p.key, err = redact.LoadOrCreateKey(home)
	}
	if err != nil {
		return nil, fmt.Errorf("loading placeholder key: %w", err)
	}
	p.vault = redact.NewVault(cfg.Vault.Size, time.Duration(cfg.Vault.TTL))
	settings, err := p.settings(cfg)
	if err != nil {
		return nil, err
	}
	if up := p.ca.Uncovered(settings.Intercept.Hosts()); len(up) > 0 {
		c.warnf("the CA cannot sign for %s; requests to them will be refused", strings.Join(up, ", "))
		c.hint("%s", p.ca.ReissueCommand(settings.Intercept.Hosts()))
	}
	upstream, err := c.upstream(cfg, f)
	if err != nil {
		return nil, err
	}
	p.audit = proxy.NewAudit(nil)
	if err := p.openAudit(cfg); err != nil {
		return nil, err
	}
	p.handler = &proxy.Handler{
		Leaves: certs.NewLeaves(p.ca, 0), Transport: upstream.Transport, Dial: upstream.Dial,
		Audit: p.audit, Logger: p.log,
	}
	if err := p.handler.Update(settings); err != nil {
		return nil, err
	}
	p.server = &proxy.Server{Handler: p.handler, Drain: time.Duration(cfg.DrainTimeout)}
	if p.server.TLS, err = p.listenerTLS(cfg); err != nil { // egress.go
		return nil, err
	}

	listen, admin := firstOf(f.listen, cfg.Listen, defaultListen), firstOf(f.admin, cfg.Admin, defaultAdmin)
	if ephemeral {
		listen, admin = firstOf(f.listen, "127.0.0.1:0"), firstOf(f.admin, "127.0.0.1:0")
	}
	if p.proxyLn, err = net.Listen("tcp", listen); err != nil {
		return nil, fmt.Errorf("proxy listener: %w", err)
	}
	if p.adminLn, err = net.Listen("tcp", admin); err != nil {
		p.proxyLn.Close()
		return nil, fmt.Errorf("admin listener: %w", err)
	}
	p.proxyAddr, p.adminAddr = p.proxyLn.Addr().String(), p.adminLn.Addr().String()
	if err := p.checkExposure(cfg); err != nil { // egress.go
		p.proxyLn.Close()
		p.adminLn.Close()
		return nil, err
	}
	p.openControl(cfg, ephemeral) // controlsrv.go
	return p, nil
}

// settings builds the reloadable part: known secrets, the Redactor (same
// key and vault, so placeholders stay stable), intercept list, routes.
func (p *runningProxy) settings(cfg *config) (proxy.Settings, error) {
	known, err := p.c.loadKnown(cfg.Secrets, cfg.environment() && !p.flags.detect.noEnv, p.flags.detect.dotenv)
	if err != nil {
		return proxy.Settings{}, err
	}
	r, err := redact.New(redact.Options{Known: known, Key: p.key, Vault: p.vault,
		Actions: cfg.redactActions(), DefaultAction: redact.Action(cfg.DefaultAction)})
	if err != nil {
		return proxy.Settings{}, fmt.Errorf("building the redactor: %w", err)
	}
	in, err := proxy.NewIntercept(cfg.Intercept.Add, cfg.Intercept.Remove)
	if err != nil {
		return proxy.Settings{}, fmt.Errorf("%s: %w", p.configName(), err)
	}
	routes, err := proxy.ParseRoutes(cfg.Routes, true)
	if err != nil {
		return proxy.Settings{}, fmt.Errorf("%s: %w", p.configName(), err)
	}
	auth, err := p.auth(cfg) // egress.go
	if err != nil {
		return proxy.Settings{}, err
	}
	policy, err := cfg.policy()
	if err != nil {
		return proxy.Settings{}, fmt.Errorf("%s: %w", p.configName(), err)
	}
	return proxy.Settings{Redactor: r, Intercept: in, Routes: routes, MaxBody: int64(cfg.MaxBody),
		Auth: auth, Limits: proxy.Limits(cfg.Limits), Rehydrate: cfg.Rehydrate.Mode, Policy: policy}, nil
}

func (p *runningProxy) configName() string { return firstOf(p.configPath, "config") }

// upstream builds the transport from the config and the flags (which add
// to the config's lists and override its proxy).
func (c *cli) upstream(cfg *config, f serveFlags) (*proxy.Upstream, error) {
	var o proxy.UpstreamOptions
	for _, file := range append(append([]string{}, cfg.UpstreamCA...), f.upstreamCA...) {
		pem, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading upstream CA: %w", err)
		}
		o.RootCAs = append(o.RootCAs, pem)
	}
	if raw := firstOf(f.upstreamProxy, cfg.UpstreamProxy); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("upstream proxy %q: want an http:// or https:// URL", raw)
		}
		o.Proxy = u
	}
	var err error
	if o.Resolve, err = proxy.ParseResolve(append(append([]string{}, cfg.Resolve...), f.resolve...)); err != nil {
		return nil, err
	}
	return proxy.NewUpstream(o)
}

func (p *runningProxy) setLevel(cfg *config) error {
	lv, err := parseLevel(firstOf(p.flags.logLevel, string(cfg.LogLevel)))
	if err != nil {
		return err
	}
	p.level.Set(lv)
	return nil
}

// openAudit points the audit log at the config's file (appended, 0600),
// stderr, or nowhere.
func (p *runningProxy) openAudit(cfg *config) error {
	var w io.Writer
	var closer io.Closer
	switch cfg.Audit.File {
	case "":
	case "stderr", "-":
		w = p.c.stderr
	default:
		f, err := os.OpenFile(cfg.Audit.File, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("opening audit log: %w", err)
		}
		w, closer = f, f
	}
	p.audit.SetWriter(w)
	if p.auditFile != nil {
		p.auditFile.Close()
	}
	p.auditFile = closer
	return nil
}

// reload re-reads the config and the known secrets and swaps them in.
// Addresses, the CA, the key, the vault and the upstream transport stay
// as they were started.
func (p *runningProxy) reload() error {
	cfg, _, err := readConfig(p.flags.config, p.home)
	if err != nil {
		return err
	}
	if err := p.checkExposure(cfg); err != nil {
		return err
	}
	s, err := p.settings(cfg)
	if err != nil {
		return err
	}
	if err := p.reloadTLS(cfg); err != nil { // egress.go
		return err
	}
	if err := p.setLevel(cfg); err != nil {
		return err
	}
	if err := p.openAudit(cfg); err != nil {
		return err
	}
	return p.handler.Update(s)
}

// serve serves until ctx is done, then drains.
func (p *runningProxy) serve(ctx context.Context) error {
	defer func() {
		if p.auditFile != nil {
			p.auditFile.Close()
		}
	}()
	p.serveControl(ctx) // controlsrv.go
	return p.server.Serve(ctx, p.proxyLn, p.adminLn)
}

func (p *runningProxy) routePrefixes() string {
	var ps []string
	for _, r := range p.handler.Current().Routes {
		ps = append(ps, r.Prefix)
	}
	return strings.Join(ps, ", ")
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}
