// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"io"
	"log"
	"log/slog"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hushproxy/hush/certs"
	"github.com/hushproxy/hush/internal/agentreq"
	"github.com/hushproxy/hush/redact"
)

// providerHosts are the hosts the fake provider's certificate covers.
var providerHosts = []string{
	"api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com",
	"api.mistral.ai", "example.net",
}

// fakePAT returns a GitHub classic token with a valid checksum, made at
// run time so that nothing realistic is committed.
func fakePAT(t testing.TB) string {
	t.Helper()
	return agentreq.FakeGitHubPAT(mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64())))
}

// fakeKnown returns a random value to use as a known secret.
func fakeKnown(t testing.TB) string {
	b := make([]byte, 18)
	rand.Read(b)
	return "Kn0wn-" + hex.EncodeToString(b)
}

// forms returns the encodings a secret may travel in, to check that none
// reached the provider.
func forms(secret string) []string {
	return []string{
		secret,
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		url.QueryEscape(secret),
		hex.EncodeToString([]byte(secret)),
	}
}

// testPKI is a CA standing in for the public PKI, with a certificate for
// the fake provider.
type testPKI struct {
	caPEM []byte
	leaf  tls.Certificate
}

func newTestPKI(t testing.TB, hosts ...string) *testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: hosts[0]}, DNSNames: hosts,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return &testPKI{
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		leaf:  tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
	}
}

// received is one request as the fake provider saw it, body decoded.
type received struct {
	Method, Host, Path, RawQuery string
	Header                       http.Header
	Raw                          []byte // as it arrived
	Body                         []byte // Content-Encoding undone
	Proto                        string
}

// fakeProvider is an HTTPS server playing every provider. It records what
// it received and answers with respond (default: a small JSON body).
type fakeProvider struct {
	srv      *httptest.Server
	pki      *testPKI
	mu       sync.Mutex
	got      []received
	respond  http.HandlerFunc
	noRecord bool // for benchmarks: keep nothing
}

func newFakeProvider(t testing.TB) *fakeProvider {
	t.Helper()
	f := &fakeProvider{pki: newTestPKI(t, providerHosts...)}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.EnableHTTP2 = true
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{f.pki.leaf}}
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are expected in some tests
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeProvider) serve(w http.ResponseWriter, r *http.Request) {
	if f.noRecord {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	body, err := decodeBody(r.Header.Get("Content-Encoding"), raw, 1<<30)
	if err != nil {
		http.Error(w, "fake: "+err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.got = append(f.got, received{Method: r.Method, Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Raw: raw, Body: body, Proto: r.Proto})
	respond := f.respond
	f.mu.Unlock()
	if respond != nil {
		r.Body = io.NopCloser(bytes.NewReader(raw))
		respond(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true}`)
}

func (f *fakeProvider) requests() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.got...)
}

func (f *fakeProvider) setRespond(h http.HandlerFunc) {
	f.mu.Lock()
	f.respond = h
	f.mu.Unlock()
}

// resolve maps every provider host's port 443 to the fake.
func (f *fakeProvider) resolve() map[string]string {
	m := map[string]string{}
	for _, h := range providerHosts {
		m[h+":443"] = f.srv.Listener.Addr().String()
	}
	return m
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a running hush (Handler and Server on loopback) in front of a
// fake provider.
type env struct {
	t        testing.TB
	fake     *fakeProvider
	ca       *certs.CA
	h        *Handler
	proxyURL *url.URL
	baseURL  string // http://127.0.0.1:port, for base-URL mode
	adminURL string
	audit    *syncBuffer
	logs     *syncBuffer
	known    string // a known secret
}

type envOptions struct {
	actions      map[string]redact.Action
	maxBody      int64
	noUpstreamCA bool
	adapters     []Adapter
	intercept    *Intercept
	upstreamVia  *url.URL // an upstream proxy
	rehydrate    string   // Settings.Rehydrate
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	e := &env{t: t, fake: newFakeProvider(t), audit: &syncBuffer{}, logs: &syncBuffer{}, known: fakeKnown(t)}
	var err error
	e.ca, err = certs.LoadOrCreate(t.TempDir(), certs.Options{Owner: "test"})
	if err != nil {
		t.Fatal(err)
	}
	uo := UpstreamOptions{Resolve: e.fake.resolve(), Proxy: o.upstreamVia}
	if !o.noUpstreamCA {
		uo.RootCAs = [][]byte{e.fake.pki.caPEM}
	}
	up, err := NewUpstream(uo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(up.Transport.CloseIdleConnections)
	key := bytes.Repeat([]byte{7}, redact.KeySize)
	r, err := redact.New(redact.Options{
		Known:   []redact.KnownSecret{{Name: "MY_SERVICE_TOKEN", Value: []byte(e.known)}},
		Key:     key,
		Actions: o.actions,
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.h = &Handler{
		Leaves: certs.NewLeaves(e.ca, 0), Transport: up.Transport, Dial: up.Dial,
		Adapters: o.adapters, Audit: NewAudit(e.audit), Logger: logger,
	}
	if err := e.h.Update(Settings{Redactor: r, MaxBody: o.maxBody, Intercept: o.intercept, Rehydrate: o.rehydrate}); err != nil {
		t.Fatal(err)
	}
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	al, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &Server{Handler: e.h, Drain: 2 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, pl, al) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	e.proxyURL = &url.URL{Scheme: "http", Host: pl.Addr().String()}
	e.baseURL = "http://" + pl.Addr().String()
	e.adminURL = "http://" + al.Addr().String()
	return e
}

// client returns an HTTP client that goes through hush as its proxy and
// trusts hush's CA only. h2 selects HTTP/2 to the MITM.
func (e *env) client(h2 bool) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Certificate())
	tr := &http.Transport{
		Proxy:             http.ProxyURL(e.proxyURL),
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		ForceAttemptHTTP2: h2,
	}
	if !h2 {
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

// assertNoLeak fails if any form of any secret is in any request the fake
// received, raw or decoded.
func (e *env) assertNoLeak(secrets ...string) {
	e.t.Helper()
	for _, r := range e.fake.requests() {
		for _, s := range secrets {
			for _, f := range forms(s) {
				if bytes.Contains(r.Body, []byte(f)) || bytes.Contains(r.Raw, []byte(f)) {
					e.t.Errorf("the provider received a secret (form %.8s...) in %s %s", f, r.Method, r.Path)
				}
			}
		}
	}
}

// assertClean fails if a secret is in the audit log, the logs or /metrics.
func (e *env) assertClean(secrets ...string) {
	e.t.Helper()
	resp, err := http.Get(e.adminURL + "/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for name, text := range map[string]string{"audit log": e.audit.String(), "log": e.logs.String(), "metrics": string(metrics)} {
		for _, s := range secrets {
			for _, f := range forms(s) {
				if strings.Contains(text, f) {
					e.t.Errorf("the %s holds a secret (form %.8s...)", name, f)
				}
			}
		}
	}
}

func (e *env) metrics() string {
	e.t.Helper()
	resp, err := http.Get(e.adminURL + "/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
