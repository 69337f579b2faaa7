// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/elazarl/goproxy"
)

// Limits bound what one client (an authenticated user, or else a remote
// IP) may do at once, so that one runaway agent loop cannot starve a
// team's egress proxy. The zero Limits limit nothing.
type Limits struct {
	// MaxConnsPerClient bounds a client's open connections: CONNECT
	// tunnels and MITM'd connections for as long as they are open, and
	// absolute-URL and base-URL requests while they are served. Over it,
	// hush answers 503. <= 0: no limit.
	MaxConnsPerClient int
	// RequestsPerSecond is a client's sustained request rate: every
	// request inside a MITM'd tunnel, every absolute-URL and base-URL
	// request, and every CONNECT that becomes a plain tunnel takes a
	// token. (The CONNECT of a MITM'd tunnel does not: its requests pay,
	// so that an agent's one request costs one token however it
	// arrives.) Over it, hush answers 429 with Retry-After. <= 0: no
	// limit.
	RequestsPerSecond float64
	// Burst is how many requests a client may send at once above the
	// rate. <= 0: RequestsPerSecond rounded up.
	Burst int
}

func (l Limits) burst() float64 {
	if l.Burst > 0 {
		return float64(l.Burst)
	}
	return math.Max(1, math.Ceil(l.RequestsPerSecond))
}

// limiter keeps every client's open connections and token bucket.
type limiter struct {
	mu      sync.Mutex
	clients map[string]*clientState
	swept   time.Time
	now     func() time.Time // nil: time.Now
}

type clientState struct {
	conns  int
	tokens float64
	last   time.Time
}

// sweepEvery is how often idle clients are forgotten.
const sweepEvery = time.Minute

func (l *limiter) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// state returns key's state, refilled up to now. l.mu is held.
func (l *limiter) state(key string, lim Limits, now time.Time) *clientState {
	if l.clients == nil {
		l.clients = map[string]*clientState{}
	}
	if now.Sub(l.swept) > sweepEvery {
		l.sweep(lim, now)
	}
	st, ok := l.clients[key]
	if !ok {
		st = &clientState{tokens: lim.burst(), last: now}
		l.clients[key] = st
		return st
	}
	if lim.RequestsPerSecond > 0 {
		st.tokens = math.Min(lim.burst(), st.tokens+now.Sub(st.last).Seconds()*lim.RequestsPerSecond)
	}
	st.last = now
	return st
}

// sweep forgets clients with no open connection and a full bucket:
// remembering them would change nothing.
func (l *limiter) sweep(lim Limits, now time.Time) {
	l.swept = now
	for k, st := range l.clients {
		full := lim.RequestsPerSecond <= 0 || st.tokens+now.Sub(st.last).Seconds()*lim.RequestsPerSecond >= lim.burst()
		if st.conns == 0 && full {
			delete(l.clients, k)
		}
	}
}

// allow takes one of key's tokens. When there is none, it returns how
// long until there will be.
func (l *limiter) allow(key string, lim Limits) (wait time.Duration, ok bool) {
	if lim.RequestsPerSecond <= 0 {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(key, lim, l.clock())
	if st.tokens >= 1 {
		st.tokens--
		return 0, true
	}
	return time.Duration((1 - st.tokens) / lim.RequestsPerSecond * float64(time.Second)), false
}

// acquire takes one of key's connection slots. release gives it back;
// calling it more than once is harmless.
func (l *limiter) acquire(key string, lim Limits) (release func(), ok bool) {
	if lim.MaxConnsPerClient <= 0 {
		return func() {}, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(key, lim, l.clock())
	if st.conns >= lim.MaxConnsPerClient {
		return nil, false
	}
	st.conns++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			st.conns--
			l.mu.Unlock()
		})
	}, true
}

// admit is the door of the proxy listener: it authenticates r and applies
// its client's limits, in that order, before anything is tunnelled,
// intercepted or forwarded. When r may not go on, admit has answered it
// (407, 429 or 503) and ok is false. Otherwise the returned request
// carries its client, and release must be called when the handler
// returns. For a CONNECT the client's connection slot outlives the
// handler: the returned ResponseWriter hands goproxy a connection that
// gives the slot back when it is closed.
func (h *Handler) admit(w http.ResponseWriter, r *http.Request, s *Settings) (_ http.ResponseWriter, _ *http.Request, release func(), ok bool) {
	c, ok := s.Auth.authenticate(r)
	if !ok {
		h.Logger.Info("proxy authentication failed", "client", c.ip, "method", r.Method, "has_credentials", r.Header.Get("Proxy-Authorization") != "")
		h.deny(w, r, s, http.StatusProxyAuthRequired, "hush_proxy_auth_required", authMessage(s.Auth), 0)
		return nil, nil, nil, false
	}
	if r.Method != http.MethodConnect || !s.Intercept.Match(r.URL.Host) {
		if wait, ok := h.limits.allow(c.key(), s.Limits); !ok {
			h.Logger.Info("rate limited", "user", c.user, "client", c.ip, "method", r.Method)
			h.deny(w, r, s, http.StatusTooManyRequests, "hush_rate_limited", rateMessage(s.Limits), wait)
			return nil, nil, nil, false
		}
	}
	free, ok := h.limits.acquire(c.key(), s.Limits)
	if !ok {
		h.Logger.Info("too many connections", "user", c.user, "client", c.ip, "method", r.Method)
		h.deny(w, r, s, http.StatusServiceUnavailable, "hush_too_many_connections", connsMessage(s.Limits), 0)
		return nil, nil, nil, false
	}
	r = r.WithContext(withClient(r.Context(), c))
	if r.Method != http.MethodConnect {
		return w, r, free, true
	}
	hw := &hijackWriter{ResponseWriter: w, free: free}
	return hw, r, func() {
		if !hw.hijacked.Load() {
			free()
		}
	}, true
}

// admitInner applies the rate limit to a request read from inside a
// MITM'd tunnel, whose CONNECT was admitted (and authenticated) already:
// goproxy hands the CONNECT's client over in UserData. It returns the
// request with its client, and a response when the request is refused.
func (h *Handler) admitInner(req *http.Request, ctx *goproxy.ProxyCtx, s *Settings) (*http.Request, *http.Response) {
	c, ok := ctx.UserData.(*client)
	if !ok || c == nil || clientFrom(req.Context()) != nil {
		return req, nil // an absolute-URL request, admitted in ServeHTTP
	}
	req = req.WithContext(withClient(req.Context(), c))
	wait, ok := h.limits.allow(c.key(), s.Limits)
	if ok {
		return req, nil
	}
	h.Logger.Info("rate limited", "user", c.user, "client", c.ip, "method", req.Method, "host", hostOnly(req.URL.Host))
	a := selectAdapter(h.Adapters, hostOnly(req.URL.Host), req.URL.Path)
	return req, limitResponse(req, a, http.StatusTooManyRequests, "hush_rate_limited", rateMessage(s.Limits), wait)
}

// deny answers a request that admit refused: provider-shaped JSON for
// base-URL requests (the client's SDK shows the message), plain text for
// CONNECT and absolute-URL requests, which only proxy-aware code sees.
func (h *Handler) deny(w http.ResponseWriter, r *http.Request, s *Settings, status int, code, msg string, wait time.Duration) {
	var resp *http.Response
	if r.Method != http.MethodConnect && (!r.URL.IsAbs() || h.isSelf(r)) {
		a := Adapter(genericAdapter{})
		if target, ok := route(s.Routes, r.URL); ok {
			a = selectAdapter(h.Adapters, hostOnly(target.Host), target.Path)
		}
		resp = limitResponse(r, a, status, code, msg, wait)
	} else {
		body := msg + "\n"
		resp = &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
			Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Hush-Error": {code}}}
		if wait > 0 {
			resp.Header.Set("Retry-After", retryAfter(wait))
		}
	}
	if status == http.StatusProxyAuthRequired && s.Auth != nil && s.Auth.Htpasswd != nil {
		resp.Header.Set("Proxy-Authenticate", `Basic realm="`+Realm+`", charset="UTF-8"`)
	}
	if r.Method == http.MethodConnect {
		// No tunnel follows: the client may retry with credentials
		// on a new connection.
		resp.Header.Set("Connection", "close")
	}
	writeResponse(w, resp)
}

// limitResponse is a refusal of admission in the adapter's error shape.
// Unlike other refusals, a 429 or 503 is worth retrying: the
// Stainless-generated SDKs retry them, honouring Retry-After.
func limitResponse(req *http.Request, a Adapter, status int, code, msg string, wait time.Duration) *http.Response {
	f := &refusal{status: status, code: code, msg: msg}
	resp := f.response(req, a, newID())
	if status != http.StatusProxyAuthRequired {
		resp.Header.Del("X-Should-Retry")
	}
	if wait > 0 {
		resp.Header.Set("Retry-After", retryAfter(wait))
	}
	return resp
}

// retryAfter is Retry-After in whole seconds (RFC 9110, section 10.2.3),
// rounded up, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

func authMessage(a *Auth) string {
	switch {
	case a != nil && a.Htpasswd != nil && a.ClientCerts:
		return "hush: proxy authentication required: send Proxy-Authorization: Basic with a user of hush's htpasswd file (HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT), or a client certificate"
	case a != nil && a.Htpasswd != nil:
		return "hush: proxy authentication required: send Proxy-Authorization: Basic with a user of hush's htpasswd file (HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT)"
	}
	return "hush: proxy authentication required: present a client certificate with a subject CN"
}

func rateMessage(l Limits) string {
	return fmt.Sprintf("hush: rate limit: over %g requests per second (burst %d) for this client; retry after the Retry-After delay, or raise limits.requests_per_second in hush's config", l.RequestsPerSecond, int(l.burst()))
}

func connsMessage(l Limits) string {
	return fmt.Sprintf("hush: too many concurrent connections: this client already has %d open (limits.max_conns_per_client); close some, or raise the limit in hush's config", l.MaxConnsPerClient)
}

// hijackWriter hands goproxy a connection that frees the client's slot
// when it closes, so that a CONNECT tunnel or MITM'd connection holds
// its slot for as long as it is open.
type hijackWriter struct {
	http.ResponseWriter
	free     func()
	hijacked atomic.Bool
}

func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	c, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.hijacked.Store(true)
	sc := &slotConn{Conn: c, free: w.free}
	// goproxy half-closes tunnels when both ends can (TCP); keep that
	// ability visible only when the connection has it.
	if _, ok := c.(interface {
		CloseWrite() error
		CloseRead() error
	}); ok {
		return &halfSlotConn{sc}, rw, nil
	}
	return sc, rw, nil
}

type slotConn struct {
	net.Conn
	free func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.free()
	return err
}

type halfSlotConn struct{ *slotConn }

func (c *halfSlotConn) CloseWrite() error {
	return c.Conn.(interface{ CloseWrite() error }).CloseWrite()
}

func (c *halfSlotConn) CloseRead() error {
	return c.Conn.(interface{ CloseRead() error }).CloseRead()
}
