// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// UpstreamOptions configure how hush reaches providers.
type UpstreamOptions struct {
	// RootCAs are PEM certificates trusted on top of the system roots
	// (--upstream-ca). Verification is never switched off.
	RootCAs [][]byte
	// Proxy is an upstream proxy to go through (--upstream-proxy). nil:
	// connect directly. The process environment (HTTPS_PROXY) is never
	// consulted: it usually points at hush itself.
	Proxy *url.URL
	// Resolve maps "host:port" to the address to connect to instead
	// (--resolve); see ParseResolve.
	Resolve map[string]string
}

// Upstream is the way out: a verifying HTTP transport for the requests
// hush inspects, and a dialer for the CONNECT tunnels it does not.
type Upstream struct {
	Transport *http.Transport
	// Dial opens a tunnel's connection: through Proxy when set.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Transport limits. Model responses can take minutes before the first
// header (a long non-streamed completion), so the header timeout is
// generous; connecting and handshaking are not.
const (
	dialTimeout           = 30 * time.Second
	tlsHandshakeTimeout   = 15 * time.Second
	responseHeaderTimeout = 15 * time.Minute
	idleConnTimeout       = 90 * time.Second
	maxIdleConnsPerHost   = 64
)

// NewUpstream builds the upstream transport and tunnel dialer.
func NewUpstream(o UpstreamOptions) (*Upstream, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	for i, pem := range o.RootCAs {
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("upstream CA %d: no PEM certificate found", i+1)
		}
	}
	d := &dialer{resolve: o.Resolve, d: net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}}
	t := &http.Transport{
		DialContext:           d.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * maxIdleConnsPerHost,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		// Request bodies are whole conversations (up to MiBs): the
		// default 4 KiB buffer would cost a TLS record and a syscall
		// per 4 KiB.
		WriteBufferSize: 64 << 10,
		ReadBufferSize:  64 << 10,
		// Pass compression through as the client asked for it: the
		// transport must not add gzip on its own and decode behind the
		// client's back.
		DisableCompression: true,
	}
	u := &Upstream{Transport: t, Dial: d.DialContext}
	if o.Proxy != nil {
		t.Proxy = http.ProxyURL(o.Proxy)
		u.Dial = (&proxyDialer{proxy: o.Proxy, d: d, tls: t.TLSClientConfig}).DialContext
	}
	return u, nil
}

// ParseResolve parses --resolve entries in curl's form HOST:PORT:ADDR:
// connect to ADDR instead of resolving HOST:PORT. ADDR may carry its own
// port (127.0.0.1:9443), so that a test server on a random port can stand
// in for a provider on 443; IPv6 addresses go in brackets.
func ParseResolve(entries []string) (map[string]string, error) {
	m := map[string]string{}
	for _, e := range entries {
		host, rest, ok1 := strings.Cut(e, ":")
		port, addr, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 || host == "" || port == "" || addr == "" {
			return nil, fmt.Errorf("resolve %q: want HOST:PORT:ADDR", e)
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			addr = net.JoinHostPort(strings.Trim(addr, "[]"), port)
		}
		m[strings.ToLower(net.JoinHostPort(host, port))] = addr
	}
	return m, nil
}

// dialer connects directly, honouring --resolve.
type dialer struct {
	resolve map[string]string
	d       net.Dialer
}

func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if to, ok := d.resolve[strings.ToLower(addr)]; ok {
		addr = to
	}
	return d.d.DialContext(ctx, network, addr)
}

// proxyDialer opens tunnels through an HTTP(S) proxy with CONNECT.
type proxyDialer struct {
	proxy *url.URL
	d     *dialer
	tls   *tls.Config
}

func (p *proxyDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host := p.proxy.Host
	if p.proxy.Port() == "" {
		port := "80"
		if p.proxy.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(p.proxy.Hostname(), port)
	}
	c, err := p.d.DialContext(ctx, network, host)
	if err != nil {
		return nil, fmt.Errorf("dialing upstream proxy: %w", err)
	}
	if p.proxy.Scheme == "https" {
		cfg := p.tls.Clone()
		cfg.ServerName = p.proxy.Hostname()
		tc := tls.Client(c, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, fmt.Errorf("upstream proxy TLS: %w", err)
		}
		c = tc
	}
	br, err := p.connect(ctx, c, addr)
	if err != nil {
		c.Close()
		return nil, err
	}
	if br.Buffered() > 0 {
		// The far side spoke first (an SSH banner, say): keep what
		// was read along with the response head.
		return &bufferedConn{Conn: c, r: br}, nil
	}
	return c, nil
}

type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b *bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

func (p *proxyDialer) connect(ctx context.Context, c net.Conn, addr string) (*bufio.Reader, error) {
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
		defer c.SetDeadline(time.Time{})
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := p.proxy.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	if err := req.Write(c); err != nil {
		return nil, fmt.Errorf("upstream proxy CONNECT: %w", err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, fmt.Errorf("upstream proxy CONNECT: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("upstream proxy CONNECT %s: %w", addr, errors.New(resp.Status))
	}
	return br, nil
}
