// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/elazarl/goproxy"
	"github.com/hushproxy/hush/certs"
)

// agentRequest returns an Anthropic-shaped request of about size bytes:
// a long history of code, prose and tool results, with a few secrets.
// Every every-th message mentions passwords and tokens.
func agentRequest(tb testing.TB, size, every int, secrets ...string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"model":"claude-x","max_tokens":4096,"stream":true,"system":[{"type":"text","text":"You are a coding agent."}],"messages":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		text := fmt.Sprintf("Step %d: func handle(w http.ResponseWriter, r *http.Request) {\\n\\tif err := r.ParseForm(); err != nil {\\n\\t\\thttp.Error(w, err.Error(), 400)\\n\\t}\\n}\\n", i)
		if i%every == 0 {
			// Words that rules use as context keywords.
			text += "The password reset flow reads the auth token from the session; see docs/auth.md. "
		}
		if i%200 == 7 && len(secrets) > 0 {
			text += "export TOKEN=" + secrets[i%len(secrets)] + " "
		}
		fmt.Fprintf(&b, `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_%d","content":%s}]}`, i, jstr(text))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkRequestPath measures one 1 MiB request through hush's full
// request path (MITM, decode, redact, forward) against the same request
// through bare goproxy MITM with the same certificates and transport, and
// straight to the fake provider, in one run.
//
//	go test -run '^$' -bench RequestPath -benchtime 200x ./proxy/
func BenchmarkRequestPath(b *testing.B) {
	e := newEnv(b, envOptions{})
	e.fake.noRecord = true
	pats := []string{fakePAT(b), e.known, fakePAT(b)}
	for _, density := range []struct {
		name  string
		every int
	}{{"sparse", 64}, {"dense", 1}} {
		b.Run(density.name, func(b *testing.B) {
			benchRequestPath(b, e, agentRequest(b, 1<<20, density.every, pats...))
		})
	}
}

func benchRequestPath(b *testing.B, e *env, body []byte) {

	// Bare goproxy: MITM every CONNECT with the same leaves, forward with
	// the same verifying transport, no handlers.
	up, err := NewUpstream(UpstreamOptions{RootCAs: [][]byte{e.fake.pki.caPEM}, Resolve: e.fake.resolve()})
	if err != nil {
		b.Fatal(err)
	}
	leaves := certs.NewLeaves(e.ca, 0)
	gp := goproxy.NewProxyHttpServer()
	gp.Tr, gp.KeepAcceptEncoding, gp.Logger = up.Transport, true, goproxyLogger{e.h.Logger}
	gp.OnRequest().HandleConnectFunc(func(host string, _ *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
		return &goproxy.ConnectAction{Action: goproxy.ConnectMitm, TLSConfig: func(host string, _ *goproxy.ProxyCtx) (*tls.Config, error) {
			c, err := leaves.Get(hostOnly(host))
			if err != nil {
				return nil, err
			}
			return &tls.Config{Certificates: []tls.Certificate{*c}}, nil
		}}, host
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	gsrv := &http.Server{Handler: gp}
	go gsrv.Serve(ln)
	b.Cleanup(func() { gsrv.Close() })

	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Certificate())
	pool.AppendCertsFromPEM(e.fake.pki.caPEM)
	client := func(proxy *url.URL) *http.Client {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
		if proxy != nil {
			tr.Proxy = http.ProxyURL(proxy)
		} else {
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				return net.Dial(network, e.fake.srv.Listener.Addr().String())
			}
		}
		b.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	b.Run("redact-only", func(b *testing.B) {
		r := e.h.Current().Redactor
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			r.Redact(body)
		}
	})
	for _, tc := range []struct {
		name string
		c    *http.Client
	}{
		{"direct", client(nil)},
		{"goproxy", client(&url.URL{Scheme: "http", Host: ln.Addr().String()})},
		{"hush", client(e.proxyURL)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			send := func() {
				resp, err := tc.c.Post("https://api.anthropic.com/v1/messages", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
			send() // connect and handshake outside the timing
			b.ResetTimer()
			for b.Loop() {
				send()
			}
		})
	}
}
