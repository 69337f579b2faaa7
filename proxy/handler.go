// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package proxy is hush's intercepting proxy. It sits between AI coding
// agents and model APIs, decrypts the traffic to the hosts on its
// intercept list with leaf certificates from a local CA, replaces every
// secret in each request body with a placeholder, and sends the request on
// over a verifying transport. Everything else is tunnelled untouched.
//
// [Handler] is the http.Handler for the proxy listener: CONNECT and
// absolute-URL requests (HTTPS_PROXY), and base-URL requests such as
// POST /anthropic/v1/messages (see [Route]). [Server] runs it with the
// admin listener (/healthz, /readyz, /metrics) and drains it on shutdown.
//
// The request path, top to bottom: pick the provider's [Adapter], refuse
// what cannot be inspected (WebSocket upgrades, bodies over the limit,
// unknown or corrupt Content-Encoding), decode, redact, refuse if a rule
// set to block matched, strip hop-by-hop headers, send, and stream the
// response back, flushing each read of an event stream.
//
// Failures fail closed: a request hush cannot inspect is answered with an
// error shaped like the provider's own (so the client's SDK shows it),
// whose message starts with "hush:", and nothing is sent upstream.
package proxy

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/elazarl/goproxy"
	"github.com/hushproxy/hush/certs"
	"github.com/hushproxy/hush/proxy/stream"
	"github.com/hushproxy/hush/redact"
)

// Settings are the parts of the proxy's behaviour that can change while it
// runs: [Handler.Update] swaps them atomically (on SIGHUP). A request uses
// the Settings current when it arrived, from start to end.
type Settings struct {
	Redactor  *redact.Redactor // required
	Intercept *Intercept       // nil: NewIntercept(nil, nil), the default hosts
	Routes    []Route          // nil: DefaultRoutes()
	MaxBody   int64            // <= 0: DefaultMaxBody; bounds bodies as sent and as decoded
	// Rehydrate says where placeholders become values again: "stream"
	// ("": the default) or "both" restore them in tool-call arguments as
	// responses stream back; "hooks" leaves that to the agents' hooks, so
	// tool calls keep their placeholders in the stream too.
	Rehydrate string
	Policy    *stream.Policy // nil: stream.DefaultPolicy(); which tools and hosts may receive a value
	Auth      *Auth          // nil: no proxy authentication (loopback only); see auth.go
	Limits    Limits         // per client; the zero Limits limit nothing (limit.go)
}

// Handler is the proxy. Set its fields, then call Update before serving;
// the fields must not change after that.
type Handler struct {
	// Leaves mints certificates for intercepted hosts. nil: CONNECTs to
	// intercepted hosts are refused (never tunnelled uninspected).
	Leaves *certs.Leaves
	// Transport sends inspected requests upstream. nil: the transport of
	// NewUpstream(UpstreamOptions{}), which verifies TLS against the
	// system roots and ignores the proxy environment.
	Transport http.RoundTripper
	// Dial opens the connections of tunnelled CONNECTs. nil: as
	// NewUpstream(UpstreamOptions{}).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Adapters pick the provider of each request. nil: DefaultAdapters().
	Adapters []Adapter
	// Metrics counts requests and redactions. nil: NewMetrics(), not
	// served anywhere.
	Metrics *Metrics
	// Audit receives a line per redaction, block and failure. nil: none.
	Audit *Audit
	// Logger logs. nil: slog.Default().
	Logger *slog.Logger

	settings atomic.Pointer[Settings]
	once     sync.Once
	gp       *goproxy.ProxyHttpServer
	inflight atomic.Int64 // inspected requests whose response is not done
	limits   limiter      // per-client connections and rates (limit.go)
}

// Update validates s, fills its defaults and makes it current.
func (h *Handler) Update(s Settings) error {
	if s.Redactor == nil {
		return errors.New("proxy settings: a Redactor is required")
	}
	if s.Intercept == nil {
		s.Intercept, _ = NewIntercept(nil, nil)
	}
	if s.Routes == nil {
		s.Routes = DefaultRoutes()
	}
	if s.MaxBody <= 0 {
		s.MaxBody = DefaultMaxBody
	}
	switch s.Rehydrate {
	case "", RehydrateStream, RehydrateHooks, RehydrateBoth:
	default:
		return fmt.Errorf("proxy settings: rehydrate %q: want stream, hooks or both", s.Rehydrate)
	}
	if s.Policy == nil {
		s.Policy = stream.DefaultPolicy()
	}
	h.init()
	h.settings.Store(&s)
	h.Metrics.KnownSecrets.Set(float64(s.Redactor.KnownCount()))
	return nil
}

// Current returns the current settings; nil before Update.
func (h *Handler) Current() *Settings { return h.settings.Load() }

// Inflight returns the number of inspected requests not finished yet
// (their response still streaming), for draining.
func (h *Handler) Inflight() int64 { return h.inflight.Load() }

func (h *Handler) init() {
	h.once.Do(func() {
		if h.Metrics == nil {
			h.Metrics = NewMetrics()
		}
		if h.Logger == nil {
			h.Logger = slog.Default()
		}
		if h.Adapters == nil {
			h.Adapters = DefaultAdapters()
		}
		if h.Transport == nil || h.Dial == nil {
			up, err := NewUpstream(UpstreamOptions{})
			if err != nil {
				panic("internal error: " + err.Error()) // no CA files given: cannot fail
			}
			if h.Transport == nil {
				h.Transport = up.Transport
			}
			if h.Dial == nil {
				h.Dial = up.Dial
			}
		}
		if h.Leaves != nil {
			h.Leaves.OnIssue(h.Metrics.CertificatesIssued.Inc)
		}
		h.gp = h.newGoproxy()
	})
}

// newGoproxy wires goproxy: MITM for intercepted CONNECTs, tunnels for the
// rest, and every request through h.filter. goproxy's defaults are all
// replaced: its transport skips verification and follows HTTPS_PROXY
// (hush would loop through itself), and its CONNECT dialer reads
// HTTPS_PROXY too.
func (h *Handler) newGoproxy() *goproxy.ProxyHttpServer {
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = goproxyLogger{h.Logger}
	gp.AllowHTTP2 = true // Codex negotiates h2 (WIRE.md, section 5)
	gp.KeepAcceptEncoding = true
	gp.ConnectDial = nil
	gp.ConnectDialWithReq = func(req *http.Request, network, addr string) (net.Conn, error) {
		return h.Dial(req.Context(), network, addr)
	}
	if t, ok := h.Transport.(*http.Transport); ok {
		gp.Tr = t
	} else {
		// Unused, since h.filter answers every request, but never left
		// at goproxy's non-verifying default.
		gp.Tr = &http.Transport{}
	}
	gp.NonproxyHandler = http.HandlerFunc(h.serveBase)
	gp.OnRequest().HandleConnectFunc(h.connect)
	gp.OnRequest().DoFunc(h.filter)
	return gp
}

// ServeHTTP serves the proxy listener.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.init()
	s := h.settings.Load()
	if s == nil {
		http.Error(w, "hush: proxy not configured", http.StatusServiceUnavailable)
		return
	}
	// Authentication and per-client limits come first, before any
	// tunnel, interception or forwarding (limit.go).
	w, r, release, ok := h.admit(w, r, s)
	if !ok {
		return
	}
	defer release()
	if r.Method != http.MethodConnect && (!r.URL.IsAbs() || h.isSelf(r)) {
		// Base-URL mode. An absolute URL naming this listener comes
		// from a client that sends even its base-URL requests through
		// HTTP_PROXY: serve it here rather than forward it to
		// ourselves.
		r.URL.Scheme, r.URL.Host = "", ""
		h.serveBase(w, r)
		return
	}
	h.gp.ServeHTTP(w, r)
}

func (h *Handler) isSelf(r *http.Request) bool {
	la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	_, port, err := net.SplitHostPort(la.String())
	if err != nil || r.URL.Port() != port {
		return false
	}
	host := r.URL.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	local, _ := net.ResolveTCPAddr("tcp", la.String())
	return ip != nil && local != nil && (ip.Equal(local.IP) || ip.IsLoopback() && local.IP.IsLoopback())
}

// connect decides a CONNECT: MITM for intercepted hosts, a byte-for-byte
// tunnel for everything else.
func (h *Handler) connect(host string, ctx *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
	s := h.settings.Load()
	// The requests of a MITM'd tunnel belong to the client admitted
	// here; goproxy passes UserData on to them.
	ctx.UserData = clientFrom(ctx.Req.Context())
	if !s.Intercept.Match(host) {
		return goproxy.OkConnect, host
	}
	if h.Leaves == nil {
		return h.rejectConnect(ctx, "hush: cannot intercept "+hostOnly(host)+": no CA is configured"), host
	}
	// Mint (or fetch) the certificate now, so that a host outside the
	// CA's name constraints is refused with a reason instead of failing
	// the client's handshake.
	if _, err := h.Leaves.Get(hostOnly(host)); err != nil {
		h.Logger.Warn("cannot intercept host", "host", hostOnly(host), "err", err)
		msg := fmt.Sprintf("hush: cannot intercept %s: %v; re-issue the CA to cover it (hush ca) or remove it from the intercept list", hostOnly(host), err)
		return h.rejectConnect(ctx, msg), host
	}
	return &goproxy.ConnectAction{Action: goproxy.ConnectMitm, TLSConfig: h.tlsConfig}, host
}

func (h *Handler) rejectConnect(ctx *goproxy.ProxyCtx, msg string) *goproxy.ConnectAction {
	body := msg + "\n"
	ctx.Resp = &http.Response{
		StatusCode: http.StatusBadGateway, ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Hush-Error": {"hush_cannot_intercept"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Close:         true,
	}
	return goproxy.RejectConnect
}

// tlsConfig is the client-facing TLS of a MITM'd connection. goproxy adds
// h2 and http/1.1 to NextProtos.
func (h *Handler) tlsConfig(host string, _ *goproxy.ProxyCtx) (*tls.Config, error) {
	cert, err := h.Leaves.Get(hostOnly(host))
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}, nil
}

// filter answers every request goproxy reads: MITM'd ones (HTTP/1.1 and
// h2) and absolute-URL plain-HTTP ones.
func (h *Handler) filter(req *http.Request, ctx *goproxy.ProxyCtx) (*http.Request, *http.Response) {
	s := h.settings.Load()
	req, resp := h.admitInner(req, ctx, s)
	if resp != nil {
		return req, resp
	}
	if !s.Intercept.Match(req.URL.Host) {
		return req, h.passthrough(req)
	}
	target := *req.URL
	return req, h.forward(req, &target, s)
}

// serveBase serves base-URL mode: /openai/..., /anthropic/..., /gemini/...
func (h *Handler) serveBase(w http.ResponseWriter, r *http.Request) {
	s := h.settings.Load()
	target, ok := route(s.Routes, r.URL)
	if !ok {
		var prefixes []string
		for _, rt := range s.Routes {
			prefixes = append(prefixes, rt.Prefix)
		}
		f := &refusal{status: http.StatusNotFound, code: codeNoRoute,
			msg: fmt.Sprintf("hush: no base-URL route for %s; base URLs start with one of %s", r.URL.Path, strings.Join(prefixes, ", "))}
		writeResponse(w, f.response(r, genericAdapter{}, newID()))
		return
	}
	writeResponse(w, h.forward(r, target, s))
}

// forward inspects one request to a model API and sends it to target. It
// always returns a response: the provider's, or a refusal.
func (h *Handler) forward(req *http.Request, target *url.URL, s *Settings) *http.Response {
	host := hostOnly(target.Host)
	a := selectAdapter(h.Adapters, host, target.Path)
	x := &Exchange{Rehydrate: s.Rehydrate != RehydrateHooks, Policy: s.Policy, MaxBody: s.MaxBody, ID: newID(), Client: req.RemoteAddr, Host: host, Path: h.safePath(s, target.Path),
		Provider: a.Provider(), Redactor: s.Redactor, Metrics: h.Metrics, Audit: h.Audit.ForUser(User(req.Context()))}
	h.inflight.Add(1)
	refuse := func(f *refusal) *http.Response {
		h.inflight.Add(-1)
		h.Metrics.Requests.WithLabelValues(x.Provider, f.outcome).Inc()
		if f.reason != "" {
			h.audit(x, AuditEvent{Action: "failed_closed", Reason: f.reason})
		}
		h.Logger.Info("request refused", "id", x.ID, "provider", x.Provider, "host", host, "path", x.Path, "status", f.status, "code", f.code)
		return f.response(req, a, x.ID)
	}

	// 1. WebSocket upgrades cannot be inspected frame by frame yet:
	// refuse them, and clients (Codex) fall back to HTTPS with SSE.
	// The status is 426: the same request is welcome without the upgrade.
	if isWebSocket(req.Header) {
		return refuse(&refusal{status: http.StatusUpgradeRequired, code: codeWebSocket, outcome: outcomeFailedClosed, reason: "websocket",
			msg: "hush: WebSocket connections to " + host + " cannot be inspected and are refused; use HTTPS streaming (clients fall back to it)"})
	}

	// 2. Read the body, bounded, and refuse an encoding we cannot undo
	// before reading anything.
	enc := req.Header.Get("Content-Encoding")
	if !supported(enc) {
		return refuse(&refusal{status: http.StatusUnsupportedMediaType, code: codeUnsupportedEncoding, outcome: outcomeFailedClosed, reason: "unsupported_encoding",
			msg: fmt.Sprintf("hush: Content-Encoding %q cannot be inspected, so the request was not sent; send the body uncompressed or with gzip, deflate, br or zstd", enc)})
	}
	var raw []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		raw, err = readBody(req.Body, req.ContentLength, s.MaxBody)
		switch {
		case errors.Is(err, ErrBodyTooLarge):
			return refuse(&refusal{status: http.StatusRequestEntityTooLarge, code: codeBodyTooLarge, outcome: outcomeFailedClosed, reason: "body_too_large",
				msg: fmt.Sprintf("hush: the request body is over hush's %s limit, so it was not sent; raise max_body in hush's config.yaml", sizeString(s.MaxBody))})
		case err != nil:
			return refuse(&refusal{status: http.StatusBadRequest, code: codeBadRequest, outcome: outcomeClientError,
				msg: "hush: could not read the request body: " + err.Error()})
		}
	}

	// 3. Decode and redact. A body that is not JSON is scanned as text:
	// the Redactor works on raw bytes and is escape-aware inside JSON
	// strings, so nothing is ever forwarded unscanned.
	start := time.Now()
	plain, err := decodeBody(enc, raw, s.MaxBody)
	if err != nil {
		return refuse(codecRefusal(err, enc, s.MaxBody))
	}
	redacted, findings := s.Redactor.Redact(plain)
	h.Metrics.ScanDuration.Observe(time.Since(start).Seconds())
	h.Metrics.ScannedBytes.Add(float64(len(plain)))

	// 4. A rule set to block refuses the whole request; otherwise every
	// finding is counted and audited.
	replaced := false
	for _, f := range findings {
		if f.Action == redact.ActionBlock {
			loc := locate(plain, f.Start)
			h.Metrics.Blocked.WithLabelValues(f.RuleID, "rule").Inc()
			h.audit(x, auditFinding(f, loc))
			return refuse(&refusal{status: http.StatusForbidden, code: codeBlocked, outcome: outcomeBlocked,
				msg: fmt.Sprintf("hush: the request was blocked: it contains a secret matched by rule %q at %s; remove the secret from the conversation, or set that rule's action to redact in hush's config.yaml", f.RuleID, loc)})
		}
	}
	for _, f := range findings {
		if f.Action == redact.ActionRedact {
			replaced = true
			h.Metrics.Redactions.WithLabelValues(f.RuleID, "request").Inc()
		}
		h.audit(x, auditFinding(f, ""))
	}

	// 5. The outgoing request: a clone without hop-by-hop headers. An
	// unchanged body goes as it came, compressed or not; a changed one
	// goes uncompressed, which costs less than compressing it again.
	body, clearEncoding := raw, false
	if replaced {
		body, clearEncoding = redacted, enc != ""
	}
	out := req.Clone(req.Context())
	out.URL, out.Host, out.RequestURI, out.Close = target, "", "", false
	removeHopByHop(out.Header)
	out.Header.Del("Expect") // the body is already here
	out.Header.Del("Content-Length")
	out.TransferEncoding = nil
	if clearEncoding {
		out.Header.Del("Content-Encoding")
	}
	setBody(out, body, req.Body != nil && req.Body != http.NoBody)

	// 6. Send.
	sent := time.Now()
	resp, err := h.Transport.RoundTrip(out)
	h.Metrics.UpstreamDuration.Observe(time.Since(sent).Seconds())
	if err != nil {
		if req.Context().Err() != nil {
			return refuse(&refusal{status: http.StatusBadGateway, code: codeUpstream, outcome: outcomeClientError, msg: "hush: the client went away"})
		}
		return refuse(&refusal{status: http.StatusBadGateway, code: codeUpstream, outcome: outcomeUpstreamError,
			msg: fmt.Sprintf("hush: cannot reach %s: %s", host, h.safeError(s, err))})
	}

	// 7. The response streams back; an adapter may rewrite it.
	removeHopByHop(resp.Header)
	if rw, ok := a.(ResponseRewriter); ok {
		if f := h.rewrite(x, rw, resp, s); f != nil {
			resp.Body.Close()
			return refuse(f)
		}
	}
	h.Logger.Debug("request", "id", x.ID, "provider", x.Provider, "host", host, "path", x.Path,
		"status", resp.StatusCode, "findings", len(findings), "bytes", len(plain))
	resp.Body = &trackedBody{ReadCloser: resp.Body, done: func(err error) {
		h.inflight.Add(-1)
		outcome := outcomeOK
		if err != nil {
			outcome = outcomeUpstreamError
			h.Logger.Warn("upstream failed mid-response", "id", x.ID, "host", host, "err", h.safeError(s, err))
		}
		h.Metrics.Requests.WithLabelValues(x.Provider, outcome).Inc()
	}}
	return resp
}

// rewrite decodes resp's body and hands it to the adapter's rewriter.
func (h *Handler) rewrite(x *Exchange, rw ResponseRewriter, resp *http.Response, s *Settings) *refusal {
	body := resp.Body
	if enc := resp.Header.Get("Content-Encoding"); enc != "" {
		cs := codings(enc)
		for i := len(cs) - 1; i >= 0; i-- {
			d, err := newDecoder(cs[i], body, s.MaxBody)
			if err != nil {
				return &refusal{status: http.StatusBadGateway, code: codeUnsupportedEncoding, outcome: outcomeFailedClosed, reason: "response_encoding",
					msg: fmt.Sprintf("hush: the response's Content-Encoding %q cannot be inspected; ask for gzip, deflate, br, zstd or identity", enc)}
			}
			body = readCloser{Reader: d, close: closeBoth(d, body)}
		}
		resp.Header.Del("Content-Encoding")
	}
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Uncompressed = true
	resp.Body = rw.RewriteResponse(x, resp, body)
	return nil
}

// passthrough sends a request to a host that is not intercepted (plain
// HTTP through the proxy) as it is.
func (h *Handler) passthrough(req *http.Request) *http.Response {
	out := req.Clone(req.Context())
	out.RequestURI, out.Host = "", ""
	ws := isWebSocket(req.Header)
	removeHopByHop(out.Header)
	if ws {
		out.Header.Set("Connection", "Upgrade")
		out.Header.Set("Upgrade", req.Header.Get("Upgrade"))
	}
	resp, err := h.Transport.RoundTrip(out)
	if err != nil {
		msg := "hush: cannot reach " + hostOnly(req.URL.Host) + ": " + unwrapURLError(err).Error() + "\n"
		return &http.Response{
			StatusCode: http.StatusBadGateway, ProtoMajor: 1, ProtoMinor: 1, Request: req,
			Header:        http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
			Body:          io.NopCloser(strings.NewReader(msg)),
			ContentLength: int64(len(msg)),
		}
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		removeHopByHop(resp.Header)
	}
	return resp
}

func (h *Handler) audit(x *Exchange, e AuditEvent) {
	if e.Direction == "" && e.Rule != "" {
		e.Direction = "request"
	}
	x.audit(e)
}

func auditFinding(f redact.Finding, loc string) AuditEvent {
	return AuditEvent{Rule: f.RuleID, Source: f.Source, Action: string(f.Action),
		Placeholder: f.Placeholder, Fingerprint: f.Fingerprint, Location: loc}
}

// safePath is the request path as logged: redacted, in case a client put
// a secret in it.
func (h *Handler) safePath(s *Settings, p string) string {
	out, _ := s.Redactor.Redact([]byte(p))
	return string(out)
}

// safeError is an upstream error as shown to the client and logged: no
// URL (which can carry ?key=) and no secret.
func (h *Handler) safeError(s *Settings, err error) string {
	out, _ := s.Redactor.Redact([]byte(unwrapURLError(err).Error()))
	return string(out)
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func codecRefusal(err error, enc string, limit int64) *refusal {
	f := &refusal{status: http.StatusBadRequest, code: codeCorruptBody, outcome: outcomeFailedClosed, reason: "corrupt_body"}
	switch {
	case errors.Is(err, ErrDecodedTooLarge):
		f.status, f.code, f.reason = http.StatusRequestEntityTooLarge, codeDecodedTooLarge, "decompressed_too_large"
		f.msg = fmt.Sprintf("hush: the request body decompresses to more than hush's %s limit, so it was not sent; raise max_body in hush's config.yaml", sizeString(limit))
	case errors.Is(err, ErrUnsupportedEncoding):
		f.status, f.code, f.reason = http.StatusUnsupportedMediaType, codeUnsupportedEncoding, "unsupported_encoding"
		f.msg = fmt.Sprintf("hush: Content-Encoding %q cannot be inspected, so the request was not sent; send the body uncompressed or with gzip, deflate, br or zstd", enc)
	default:
		f.msg = fmt.Sprintf("hush: the request body is not valid %s (%v), so it could not be inspected and was not sent; check the client's compression", enc, errors.Unwrap(err))
	}
	return f
}

func sizeString(n int64) string {
	if n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + "-byte"
}

func setBody(out *http.Request, body []byte, hadBody bool) {
	out.ContentLength = int64(len(body))
	if len(body) == 0 && !hadBody {
		out.Body, out.GetBody = http.NoBody, nil
		return
	}
	out.Body = io.NopCloser(bytes.NewReader(body))
	// GetBody lets the transport replay the body when an idle HTTP/2
	// connection turns out to be gone (GOAWAY).
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
}

// hopHeaders are removed when forwarding (RFC 9110, section 7.6.1), as
// net/http/httputil.ReverseProxy does.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

func removeHopByHop(h http.Header) {
	for _, v := range h["Connection"] {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				h.Del(f)
			}
		}
	}
	for _, k := range hopHeaders {
		h.Del(k)
	}
}

func isWebSocket(h http.Header) bool {
	return headerHas(h, "Connection", "upgrade") && headerHas(h, "Upgrade", "websocket")
}

func headerHas(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), token) {
				return true
			}
		}
	}
	return false
}

func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// trackedBody calls done once, when the body is closed, with the first
// read error other than EOF.
type trackedBody struct {
	io.ReadCloser
	once sync.Once
	err  error
	done func(error)
}

func (t *trackedBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = fmt.Errorf("reading upstream: %w", err)
	}
	return n, err
}

func (t *trackedBody) Close() error {
	err := t.ReadCloser.Close()
	t.once.Do(func() { t.done(t.err) })
	return err
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

func closeBoth(a, b io.Closer) func() error {
	return func() error { a.Close(); return b.Close() }
}

// writeResponse streams resp to w: base-URL mode's half of what goproxy
// does for proxied requests. Event streams and bodies of unknown length
// are flushed after every read, so each SSE event reaches the client the
// moment it arrives. A failure mid-body aborts the connection, so the
// client sees a broken stream rather than a short one that looks whole.
func writeResponse(w http.ResponseWriter, resp *http.Response) {
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	if !streaming(resp) {
		if _, err := io.Copy(w, resp.Body); err != nil {
			panic(http.ErrAbortHandler)
		}
		return
	}
	rc := http.NewResponseController(w)
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			rc.Flush()
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			panic(http.ErrAbortHandler)
		}
	}
}

// streaming reports whether resp must be flushed per read: an event
// stream (checked with mime.ParseMediaType), or a body of unknown length.
func streaming(resp *http.Response) bool {
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil && mt == "text/event-stream" {
		return true
	}
	return resp.ContentLength < 0
}

// goproxyLogger sends goproxy's log lines to slog at debug level, except
// the one a user needs: a client that rejected hush's certificate.
type goproxyLogger struct{ l *slog.Logger }

func (g goproxyLogger) Printf(format string, v ...any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, v...))
	if strings.Contains(msg, "Cannot handshake client") {
		g.l.Warn("a client rejected hush's certificate: trust the hush CA (hush ca install, or the variables of hush env)", "detail", msg)
		return
	}
	g.l.Debug("goproxy: " + msg)
}
