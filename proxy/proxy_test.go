// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"log/slog"
	"net/http/httptest"

	"github.com/andybalholm/brotli"
	"github.com/elazarl/goproxy"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"

	"github.com/hushproxy/hush/redact"
)

var placeholderRE = regexp.MustCompile(`hush_[a-z0-9-]+_[a-z2-7]{12}`)

// jstr JSON-encodes s.
func jstr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// anthropicBody is a conversation with secrets in the system prompt, the
// user's text, a tool call in the history and a tool result, including
// base64 and URL-encoded copies of the known secret.
func anthropicBody(pat, known string) []byte {
	b64 := base64.StdEncoding.EncodeToString([]byte(known))
	return fmt.Appendf(nil, `{
  "model": "claude-x", "max_tokens": 1024, "stream": false,
  "system": [{"type": "text", "text": %s}],
  "messages": [
    {"role": "user", "content": %s},
    {"role": "assistant", "content": [
      {"type": "text", "text": "Running it."},
      {"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": %s}}
    ]},
    {"role": "user", "content": [
      {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": %s}]}
    ]}
  ]
}`, jstr("deploy key: "+known), jstr("push with "+pat+" please"),
		jstr("curl -H 'Authorization: token "+pat+"' https://api.github.com/?k="+url.QueryEscape(known)),
		jstr("blob: "+b64+"\nenv: TOKEN="+known))
}

func encodeBody(t testing.TB, coding string, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "", "identity":
		return b
	case "gzip":
		w = gzip.NewWriter(&out)
	case "deflate":
		w = zlib.NewWriter(&out)
	case "br":
		w = brotli.NewWriter(&out)
	case "zstd":
		z, err := zstd.NewWriter(&out)
		if err != nil {
			t.Fatal(err)
		}
		w = z
	default:
		t.Fatalf("no encoder for %q", coding)
	}
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// normalize replaces every placeholder in got, and every form of each
// secret in want, with "X": then the two must be equal byte for byte.
func normalize(b []byte, secrets ...string) []byte {
	s := string(b)
	for _, sec := range secrets {
		for _, f := range forms(sec) {
			s = strings.ReplaceAll(s, f, "X")
		}
	}
	return []byte(placeholderRE.ReplaceAllString(s, "X"))
}

func TestRedactsThroughMITM(t *testing.T) {
	e := newEnv(t, envOptions{})
	pat := fakePAT(t)
	for _, h2 := range []bool{false, true} {
		c := e.client(h2)
		for _, coding := range []string{"identity", "gzip", "deflate", "br", "zstd"} {
			t.Run(fmt.Sprintf("h2=%v/%s", h2, coding), func(t *testing.T) {
				body := anthropicBody(pat, e.known)
				req, _ := http.NewRequest("POST", "https://api.anthropic.com/v1/messages?beta=true", bytes.NewReader(encodeBody(t, coding, body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Api-Key", "provider-key-123")
				if coding != "identity" {
					req.Header.Set("Content-Encoding", coding)
				}
				n := len(e.fake.requests())
				resp, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Fatalf("status %d, want 200", resp.StatusCode)
				}
				if want := map[bool]int{false: 1, true: 2}[h2]; resp.ProtoMajor != want {
					t.Errorf("client spoke HTTP/%d to hush, want HTTP/%d", resp.ProtoMajor, want)
				}
				got := e.fake.requests()[n]
				if got.Host != "api.anthropic.com" || got.Path != "/v1/messages" || got.RawQuery != "beta=true" {
					t.Errorf("fake got %s %s?%s", got.Host, got.Path, got.RawQuery)
				}
				if got.Header.Get("X-Api-Key") != "provider-key-123" {
					t.Errorf("x-api-key = %q, want it passed through", got.Header.Get("X-Api-Key"))
				}
				if ce := got.Header.Get("Content-Encoding"); ce != "" {
					t.Errorf("redacted body sent with Content-Encoding %q, want identity", ce)
				}
				if !json.Valid(got.Body) {
					t.Errorf("fake got invalid JSON:\n%s", got.Body)
				}
				if n := len(placeholderRE.FindAll(got.Body, -1)); n < 6 {
					t.Errorf("fake got %d placeholders, want >= 6:\n%s", n, got.Body)
				}
				if g, w := normalize(got.Body), normalize(body, pat, e.known); !bytes.Equal(g, w) {
					t.Errorf("body changed beyond the secrets:\ngot  %s\nwant %s", g, w)
				}
			})
		}
	}
	e.assertNoLeak(pat, e.known)
	e.assertClean(pat, e.known)
	m := e.metrics()
	for _, want := range []string{
		`hush_redactions_total{direction="request",rule="github-pat"}`,
		`hush_redactions_total{direction="request",rule="known-secret"}`,
		`hush_requests_total{outcome="ok",provider="anthropic"} 10`,
		`hush_certificates_issued_total 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if !strings.Contains(e.audit.String(), `"action":"redact"`) || !strings.Contains(e.audit.String(), `"rule":"github-pat"`) {
		t.Errorf("audit log lacks redactions:\n%s", e.audit.String())
	}
}

func TestUnchangedBodyKeepsItsEncoding(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := encodeBody(t, "gzip", []byte(`{"messages":[{"role":"user","content":"nothing secret here"}]}`))
	req, _ := http.NewRequest("POST", "https://api.openai.com/v1/chat/completions", bytes.NewReader(body))
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := e.client(false).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := e.fake.requests()[0]
	if got.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(got.Raw, body) {
		t.Errorf("fake got Content-Encoding %q and %d bytes, want the gzip body as sent", got.Header.Get("Content-Encoding"), len(got.Raw))
	}
}

func TestBaseURLMode(t *testing.T) {
	e := newEnv(t, envOptions{})
	pat := fakePAT(t)
	for _, tc := range []struct{ path, wantHost, wantPath, provider string }{
		{"/openai/v1/chat/completions", "api.openai.com", "/v1/chat/completions", "openai"},
		{"/anthropic/v1/messages", "api.anthropic.com", "/v1/messages", "anthropic"},
		{"/gemini/v1beta/models/gemini-x:generateContent", "generativelanguage.googleapis.com", "/v1beta/models/gemini-x:generateContent", "gemini"},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			n := len(e.fake.requests())
			resp, err := http.Post(e.baseURL+tc.path+"?key=provider-key", "application/json", bytes.NewReader(anthropicBody(pat, e.known)))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := e.fake.requests()[n]
			if got.Host != tc.wantHost || got.Path != tc.wantPath || got.RawQuery != "key=provider-key" {
				t.Errorf("fake got %s %s?%s, want %s %s?key=provider-key", got.Host, got.Path, got.RawQuery, tc.wantHost, tc.wantPath)
			}
		})
	}
	resp, err := http.Post(e.baseURL+"/nowhere/v1/x", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(b), `"message":"hush: no base-URL route`) {
		t.Errorf("unknown route: %d %s", resp.StatusCode, b)
	}
	e.assertNoLeak(pat, e.known)
}

// TestBaseURLThroughProxyVariable covers a client that sends its base-URL
// requests through HTTP_PROXY too: hush must serve them, not loop.
func TestBaseURLThroughProxyVariable(t *testing.T) {
	e := newEnv(t, envOptions{})
	resp, err := e.client(false).Post(e.baseURL+"/openai/v1/responses", "application/json", strings.NewReader(`{"input":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(e.fake.requests()) != 1 || e.fake.requests()[0].Path != "/v1/responses" {
		t.Errorf("status %d, fake got %d requests", resp.StatusCode, len(e.fake.requests()))
	}
}

func TestFailClosed(t *testing.T) {
	pat := fakePAT(t)
	bomb := encodeBody(t, "gzip", bytes.Repeat([]byte("A"), 2<<20))
	corrupt := encodeBody(t, "gzip", []byte(`{"a":"`+pat+`"}`))
	corrupt[len(corrupt)-6] ^= 0xff // break the CRC
	for _, tc := range []struct {
		name, coding string
		body         []byte
		chunked      bool
		status       int
		code         string
	}{
		{"unknown encoding", "compress", []byte(`{"a":"` + pat + `"}`), false, 415, codeUnsupportedEncoding},
		{"corrupt gzip", "gzip", corrupt, false, 400, codeCorruptBody},
		{"truncated gzip", "gzip", encodeBody(t, "gzip", []byte(`{"a":"`+pat+`"}`))[:20], false, 400, codeCorruptBody},
		{"oversize", "", bytes.Repeat([]byte("x"), 1<<20+1), false, 413, codeBodyTooLarge},
		{"oversize chunked", "", bytes.Repeat([]byte("x"), 1<<20+1), true, 413, codeBodyTooLarge},
		{"bomb", "gzip", bomb, false, 413, codeDecodedTooLarge},
		{"zstd bomb", "zstd", encodeBody(t, "zstd", bytes.Repeat([]byte("A"), 2<<20)), false, 413, codeDecodedTooLarge},
		{"block rule", "", []byte(`{"messages":[{"role":"user","content":"hi"},{"role":"user","content":"use ` + pat + `"}]}`), false, 403, codeBlocked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOptions{maxBody: 1 << 20, actions: map[string]redact.Action{"github-pat": redact.ActionBlock}})
			var body io.Reader = bytes.NewReader(tc.body)
			if tc.chunked {
				body = io.MultiReader(body) // hides the length
			}
			req, _ := http.NewRequest("POST", "https://api.openai.com/v1/chat/completions", body)
			if tc.coding != "" {
				req.Header.Set("Content-Encoding", tc.coding)
			}
			resp, err := e.client(false).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("X-Hush-Error") != tc.code {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, resp.Header.Get("X-Hush-Error"), tc.status, tc.code)
			}
			var shape struct {
				Error struct{ Message, Type, Code string }
			}
			if err := json.Unmarshal(b, &shape); err != nil || !strings.HasPrefix(shape.Error.Message, "hush: ") || shape.Error.Code != tc.code {
				t.Errorf("body is not an OpenAI-shaped hush error: %s", b)
			}
			if n := len(e.fake.requests()); n != 0 {
				t.Errorf("the provider received %d requests, want none", n)
			}
			if tc.code == codeBlocked && !strings.Contains(shape.Error.Message, `rule "github-pat" at messages[1].content`) {
				t.Errorf("block message does not name rule and location: %s", shape.Error.Message)
			}
			if !strings.Contains(e.metrics(), `hush_requests_total{outcome="`+map[bool]string{true: "blocked", false: "failed_closed"}[tc.code == codeBlocked]+`",provider="openai"} 1`) {
				t.Errorf("outcome not counted")
			}
			e.assertClean(pat)
		})
	}
}

func TestUnparsableJSONIsRedactedAsText(t *testing.T) {
	e := newEnv(t, envOptions{})
	pat := fakePAT(t)
	body := `{"messages":[{"role":"user","content":"token ` + pat + ` and ` + e.known + `"` // cut short
	resp, err := e.client(false).Post("https://api.openai.com/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := e.fake.requests()
	if len(got) != 1 || len(placeholderRE.FindAll(got[0].Body, -1)) != 2 {
		t.Fatalf("fake got %q, want the body with 2 placeholders", got)
	}
	e.assertNoLeak(pat, e.known)
}

func TestProviderErrorShapes(t *testing.T) {
	e := newEnv(t, envOptions{actions: map[string]redact.Action{redact.KnownRuleID: redact.ActionBlock}})
	c := e.client(false)
	body := `{"contents":[{"role":"user","parts":[{"text":"` + e.known + `"}]}]}`
	for _, tc := range []struct{ url, want string }{
		{"https://api.anthropic.com/v1/messages", `{"type":"error","error":{"type":"permission_error","message":"hush: `},
		{"https://generativelanguage.googleapis.com/v1beta/models/g:generateContent", `{"error":{"code":403,"message":"hush: `},
		{"https://api.openai.com/v1/responses", `{"error":{"message":"hush: `},
		{"https://api.mistral.ai/v1/chat/completions", `{"error":{"message":"hush: `},
	} {
		resp, err := c.Post(tc.url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 403 || !strings.HasPrefix(string(b), tc.want) || !strings.Contains(string(b), "contents[0].parts[0].text") {
			t.Errorf("%s: %d %s", tc.url, resp.StatusCode, b)
		}
		if resp.Header.Get("X-Should-Retry") != "false" {
			t.Errorf("%s: X-Should-Retry = %q", tc.url, resp.Header.Get("X-Should-Retry"))
		}
	}
	if !strings.Contains(e.metrics(), `hush_blocked_total{reason="rule",rule="known-secret"} 4`) {
		t.Errorf("blocks not counted")
	}
	e.assertClean(e.known)
}

// TestStreamsEachEvent checks that SSE events reach the client as they
// are written, for HTTP/1.1 and h2 MITM and base-URL mode: the fake
// writes the second event only after the client has read the first.
func TestStreamsEachEvent(t *testing.T) {
	e := newEnv(t, envOptions{})
	next := make(chan struct{})
	e.fake.setRespond(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: one\ndata: {\"n\":1}\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-next:
		case <-time.After(5 * time.Second):
			return
		}
		io.WriteString(w, "event: two\ndata: {\"n\":2}\n\n")
	})
	for _, tc := range []struct {
		name string
		c    *http.Client
		url  string
	}{
		{"h1", e.client(false), "https://api.anthropic.com/v1/messages"},
		{"h2", e.client(true), "https://api.anthropic.com/v1/messages"},
		{"base", http.DefaultClient, e.baseURL + "/anthropic/v1/messages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.c.Post(tc.url, "application/json", strings.NewReader(`{"stream":true}`))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			line, err := br.ReadString('\n')
			if err != nil || line != "event: one\n" {
				t.Fatalf("first line %q, %v", line, err)
			}
			next <- struct{}{}
			rest, _ := io.ReadAll(br)
			if want := "data: {\"n\":1}\n\nevent: two\ndata: {\"n\":2}\n\n"; string(rest) != want {
				t.Errorf("rest of stream %q, want %q", rest, want)
			}
		})
	}
}

func TestTunnelsOtherHosts(t *testing.T) {
	e := newEnv(t, envOptions{})
	pat := fakePAT(t)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.fake.pki.caPEM)
	tr := &http.Transport{Proxy: http.ProxyURL(e.proxyURL), TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Post("https://example.net/upload", "text/plain", strings.NewReader(pat))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.TLS == nil || !resp.TLS.PeerCertificates[0].Equal(mustParse(t, e.fake.pki.leaf.Certificate[0])) {
		t.Errorf("client did not see the origin's own certificate through the tunnel")
	}
	if got := e.fake.requests(); len(got) != 1 || string(got[0].Body) != pat {
		t.Errorf("tunnelled body changed: %q", got)
	}
	if strings.Contains(e.metrics(), "hush_certificates_issued_total 1") {
		t.Errorf("hush minted a certificate for a tunnelled host")
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadUpstreamCertificateFails(t *testing.T) {
	e := newEnv(t, envOptions{noUpstreamCA: true})
	pat := fakePAT(t)
	resp, err := e.client(false).Post("https://api.openai.com/v1/chat/completions", "application/json", strings.NewReader(`{"a":"`+pat+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 502 || !strings.Contains(string(b), "certificate") {
		t.Errorf("got %d %s, want 502 naming the certificate", resp.StatusCode, b)
	}
	if n := len(e.fake.requests()); n != 0 {
		t.Errorf("fake got %d requests over an unverified connection", n)
	}
	if !strings.Contains(e.metrics(), `hush_requests_total{outcome="upstream_error",provider="openai"} 1`) {
		t.Errorf("upstream error not counted")
	}
}

func TestRefusesWebSocket(t *testing.T) {
	e := newEnv(t, envOptions{})
	req, _ := http.NewRequest("GET", "https://api.openai.com/v1/responses", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	resp, err := e.client(false).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols || resp.Header.Get("X-Hush-Error") != codeWebSocket {
		t.Errorf("got %d, want a refusal", resp.StatusCode)
	}
	if len(e.fake.requests()) != 0 {
		t.Errorf("the upgrade reached the provider")
	}
}

// upperRewriter is a test ResponseRewriter: it upper-cases the body.
type upperRewriter struct{ openAIAdapter }

func (upperRewriter) RewriteResponse(x *Exchange, resp *http.Response, body io.ReadCloser) io.ReadCloser {
	b, _ := io.ReadAll(body)
	body.Close()
	return io.NopCloser(bytes.NewReader(bytes.ToUpper(b)))
}

func TestResponseRewriterSeesDecodedBody(t *testing.T) {
	e := newEnv(t, envOptions{adapters: []Adapter{upperRewriter{}}})
	e.fake.setRespond(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(encodeBody(t, "gzip", []byte(`{"text":"hello"}`)))
	})
	req, _ := http.NewRequest("POST", "https://api.openai.com/v1/responses", strings.NewReader(`{}`))
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := e.client(false).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != `{"TEXT":"HELLO"}` || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("got %q (Content-Encoding %q)", b, resp.Header.Get("Content-Encoding"))
	}
}

func TestHealthAndDrain(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(e.adminURL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}

func TestServeDrainsOpenStreams(t *testing.T) {
	e := newEnv(t, envOptions{})
	release := make(chan struct{})
	e.fake.setRespond(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: 1\n\n")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "data: 2\n\n")
	})
	// A second Server on the same handler, so that this test controls
	// its shutdown.
	pl, _ := net.Listen("tcp", "127.0.0.1:0")
	al, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	srv := &Server{Handler: e.h, Drain: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, pl, al) }()
	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Certificate())
	tr := &http.Transport{Proxy: http.ProxyURL(&url.URL{Scheme: "http", Host: pl.Addr().String()}), TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Post("https://api.openai.com/v1/responses", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	br.ReadString('\n')
	cancel()
	time.Sleep(100 * time.Millisecond)
	r, err := http.Get("http://" + al.Addr().String() + "/readyz")
	if err == nil {
		r.Body.Close()
		if r.StatusCode != 503 {
			t.Errorf("readyz while draining: %d, want 503", r.StatusCode)
		}
	}
	select {
	case <-done:
		t.Fatal("Serve returned while a stream was open")
	default:
	}
	close(release)
	rest, _ := io.ReadAll(br)
	resp.Body.Close()
	if string(rest) != "\ndata: 2\n\n" {
		t.Errorf("stream cut during drain: %q", rest)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the stream ended")
	}
}

// TestUpstreamProxy sends both inspected requests and tunnels through an
// upstream proxy, which is the only way out.
func TestUpstreamProxy(t *testing.T) {
	var mu sync.Mutex
	var connects []string
	var fake *fakeProvider // set below: the corporate proxy leads to hush's fake
	corp := goproxy.NewProxyHttpServer()
	corp.Logger = goproxyLogger{slog.New(slog.DiscardHandler)}
	corp.ConnectDial = func(network, addr string) (net.Conn, error) {
		mu.Lock()
		connects = append(connects, addr)
		mu.Unlock()
		mu.Lock()
		to := fake.srv.Listener.Addr().String()
		mu.Unlock()
		return net.Dial(network, to)
	}
	corpSrv := httptest.NewServer(corp)
	defer corpSrv.Close()
	corpURL, _ := url.Parse(corpSrv.URL)

	e := newEnv(t, envOptions{upstreamVia: corpURL})
	mu.Lock()
	fake = e.fake
	mu.Unlock()
	pat := fakePAT(t)
	resp, err := e.client(false).Post("https://api.openai.com/v1/chat/completions", "application/json", strings.NewReader(`{"a":"`+pat+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(fake.pki.caPEM)
	tr := &http.Transport{Proxy: http.ProxyURL(e.proxyURL), TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	resp2, err := (&http.Client{Transport: tr}).Get("https://example.net/x")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp.StatusCode != 200 || resp2.StatusCode != 200 {
		t.Fatalf("status %d and %d", resp.StatusCode, resp2.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"api.openai.com:443", "example.net:443"}, connects); diff != "" {
		t.Errorf("CONNECTs through the upstream proxy (-want +got):\n%s", diff)
	}
	e.assertNoLeak(pat)
}
