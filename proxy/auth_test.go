// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
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
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// apacheLine is what Apache's htpasswd -nbB writes (cost 5, $2y$) for
// user "testuser" and the password apachePassword.
const (
	apacheLine     = "testuser:$2y$05$k4/.EDYojP.N1S3vMJ.HhO7TxHGTBl2kBf0HD2pjyRWQDAUw8teS6"
	apachePassword = "not-a-real-password"
)

// randomPassword is made at run time, so nothing realistic is committed.
func randomPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "pw-" + hex.EncodeToString(b)
}

// htpasswdLines returns htpasswd lines for users (name -> password), in
// the $2y$ form Apache writes, at bcrypt's cheapest cost.
func htpasswdLines(t testing.TB, users map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	for u, p := range users {
		h, err := bcrypt.GenerateFromPassword([]byte(p), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:$2y$%s\n", u, h[4:])
	}
	return b.Bytes()
}

func mustHtpasswd(t testing.TB, users map[string]string) *Htpasswd {
	t.Helper()
	h, err := ParseHtpasswd(htpasswdLines(t, users))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestParseHtpasswd(t *testing.T) {
	pw := randomPassword()
	h2a, _ := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	body := string(h2a[4:])
	for _, tc := range []struct {
		name, file string
		user, pass string // a pair that must check, when the file parses
		wantErr    string
	}{
		{name: "apache", file: apacheLine + "\n", user: "testuser", pass: apachePassword},
		{name: "2a", file: "# team\n\nalice:$2a$" + body + "\n", user: "alice", pass: pw},
		{name: "2b", file: "alice:$2b$" + body, user: "alice", pass: pw},
		{name: "2y crlf", file: "alice:$2y$" + body + "\r\nbob:$2y$" + body + "\r\n", user: "bob", pass: pw},
		{name: "md5", file: "alice:$apr1$abc$def\n", wantErr: `line 1: user "alice": only bcrypt entries are accepted`},
		{name: "sha", file: "# c\nalice:{SHA}abc=\n", wantErr: "line 2:"},
		{name: "no colon", file: "alice\n", wantErr: "line 1: want user:hash"},
		{name: "duplicate", file: "a:$2y$" + body + "\na:$2y$" + body + "\n", wantErr: `line 2: user "a" appears twice`},
		{name: "bad bcrypt", file: "a:$2y$xx\n", wantErr: "line 1:"},
		{name: "empty", file: "# nobody\n", wantErr: "no users"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHtpasswd([]byte(tc.file))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseHtpasswd: %v, want an error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !h.Check(tc.user, tc.pass) {
				t.Errorf("Check(%q, right password) = false", tc.user)
			}
			if h.Check(tc.user, tc.pass+"x") {
				t.Errorf("Check(%q, wrong password) = true", tc.user)
			}
			if h.Check("nobody", tc.pass) {
				t.Errorf("Check(unknown user) = true")
			}
		})
	}
}

// TestHtpasswdFromApache checks a file written by the real htpasswd
// -B, when Apache's tools are installed.
func TestHtpasswdFromApache(t *testing.T) {
	bin, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skip("htpasswd (apache2-utils) not installed; TestParseHtpasswd has a line it wrote")
	}
	file := filepath.Join(t.TempDir(), "htpasswd")
	pw := randomPassword()
	if out, err := exec.Command(bin, "-B", "-b", "-c", file, "carol", pw).CombinedOutput(); err != nil {
		t.Fatalf("htpasswd: %v\n%s", err, out)
	}
	h, err := LoadHtpasswd(file)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Check("carol", pw) || h.Check("carol", pw[1:]) {
		t.Error("the real htpasswd's entry does not check as it should")
	}
}

func TestHtpasswdCheckRemembersAndShares(t *testing.T) {
	pw := randomPassword()
	h := mustHtpasswd(t, map[string]string{"alice": pw})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if !h.Check("alice", pw) {
				t.Error("concurrent Check of the right password = false")
			}
			if h.Check("alice", "wrong") {
				t.Error("concurrent Check of a wrong password = true")
			}
		})
	}
	wg.Wait()
	if len(h.known) != 2 {
		t.Errorf("remembered %d credentials, want 2", len(h.known))
	}
	// Remembering never mixes them up.
	if !h.Check("alice", pw) || h.Check("alice", "wrong") || h.Check("alice", pw+"\x00") {
		t.Error("remembered checks answer wrongly")
	}
}

func TestBasicAuthHeader(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		h          string
		user, pass string
		ok         bool
	}{
		{"Basic " + enc("alice:p:w"), "alice", "p:w", true},
		{"basic  " + enc("alice:"), "alice", "", true},
		{"Bearer " + enc("alice:pw"), "", "", false},
		{"Basic " + enc(":pw"), "", "", false},
		{"Basic " + enc("alice"), "", "", false},
		{"Basic !!!", "", "", false},
		{"", "", "", false},
	} {
		u, p, ok := basicAuth(tc.h)
		if ok != tc.ok || (ok && (u != tc.user || p != tc.pass)) {
			t.Errorf("basicAuth(%q) = %q, %q, %v; want %q, %q, %v", tc.h, u, p, ok, tc.user, tc.pass, tc.ok)
		}
	}
}

// withEgress turns on authentication and limits in e's handler.
func withEgress(t testing.TB, e *env, a *Auth, l Limits) {
	t.Helper()
	s := *e.h.Current()
	s.Auth, s.Limits = a, l
	if err := e.h.Update(s); err != nil {
		t.Fatal(err)
	}
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// rawConnect sends a CONNECT for target to the proxy at addr and reads
// the answer. On a 200 the returned connection is the tunnel.
func rawConnect(t testing.TB, addr, target, auth string) (net.Conn, *http.Response) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	req := "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n"
	if auth != "" {
		req += "Proxy-Authorization: " + auth + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body = io.NopCloser(bytes.NewReader(must(io.ReadAll(resp.Body))))
	}
	c.SetDeadline(time.Time{})
	return &bufConn{Conn: c, r: br}, resp
}

func must[T any](v T, _ error) T { return v }

type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// clientAs returns a client through hush's proxy as user (no user: no
// credentials), trusting hush's CA and the fake's.
func (e *env) clientAs(user, pass string) *http.Client {
	u := *e.proxyURL
	if user != "" {
		u.User = url.UserPassword(user, pass)
	}
	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Certificate())
	pool.AppendCertsFromPEM(e.fake.pki.caPEM)
	tr := &http.Transport{Proxy: http.ProxyURL(&u), TLSClientConfig: &tls.Config{RootCAs: pool},
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

// TestEgressAuth checks every way in: a tunnelled CONNECT, a MITM'd
// CONNECT, an absolute-URL request and a base-URL request, each without
// credentials, with wrong ones and with right ones.
func TestEgressAuth(t *testing.T) {
	e := newEnv(t, envOptions{})
	pw := randomPassword()
	withEgress(t, e, &Auth{Htpasswd: mustHtpasswd(t, map[string]string{"alice": pw, "bob": randomPassword()})}, Limits{})
	pat := fakePAT(t)
	body := `{"model":"m","messages":[{"role":"user","content":"token ` + pat + `"}]}`
	plain := newPlainOrigin(t)

	creds := []struct {
		name, auth string
		want       int
	}{
		{"none", "", http.StatusProxyAuthRequired},
		{"wrong password", basic("alice", pw+"x"), http.StatusProxyAuthRequired},
		{"unknown user", basic("mallory", pw), http.StatusProxyAuthRequired},
		{"other user's password", basic("bob", pw), http.StatusProxyAuthRequired},
		{"not basic", "Bearer " + pw, http.StatusProxyAuthRequired},
		{"right", basic("alice", pw), http.StatusOK},
	}
	for _, cr := range creds {
		t.Run("connect tunnel/"+cr.name, func(t *testing.T) {
			c, resp := rawConnect(t, e.proxyURL.Host, "example.net:443", cr.auth)
			checkDenied(t, resp, cr.want)
			if cr.want != http.StatusOK {
				return
			}
			// A real TLS session with the fake, untouched by hush.
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(e.fake.pki.caPEM)
			tc := tls.Client(c, &tls.Config{ServerName: "example.net", RootCAs: pool})
			if err := tc.Handshake(); err != nil {
				t.Fatalf("TLS through the tunnel: %v", err)
			}
			tc.Close()
		})
		t.Run("connect mitm/"+cr.name, func(t *testing.T) {
			_, resp := rawConnect(t, e.proxyURL.Host, "api.openai.com:443", cr.auth)
			checkDenied(t, resp, cr.want)
		})
		t.Run("absolute url/"+cr.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", plain.URL+"/hello", nil)
			if cr.auth != "" {
				req.Header.Set("Proxy-Authorization", cr.auth)
			}
			tr := &http.Transport{Proxy: http.ProxyURL(e.proxyURL)}
			defer tr.CloseIdleConnections()
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			checkDenied(t, resp, cr.want)
			if cr.want == http.StatusOK && resp.Header.Get("X-Saw-Proxy-Authorization") != "" {
				t.Error("the origin received Proxy-Authorization")
			}
		})
		t.Run("base url/"+cr.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.baseURL+"/anthropic/v1/messages", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if cr.auth != "" {
				req.Header.Set("Proxy-Authorization", cr.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b := checkDenied(t, resp, cr.want)
			if cr.want != http.StatusOK {
				// The SDK shows the provider-shaped message.
				if !bytes.Contains(b, []byte(`"type":"error"`)) || !bytes.Contains(b, []byte("hush: proxy authentication required")) {
					t.Errorf("base-URL 407 body %s, want Anthropic's error shape", b)
				}
			}
		})
	}

	// The right credentials through a real client: MITM'd and redacted.
	resp, err := e.clientAs("alice", pw).Post("https://api.openai.com/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("MITM with credentials: status %d", resp.StatusCode)
	}
	if _, err := e.clientAs("alice", "nope").Post("https://api.openai.com/v1/chat/completions", "application/json", strings.NewReader(body)); err == nil {
		t.Error("MITM with a wrong password went through")
	}

	// The provider saw placeholders, never the token nor the proxy
	// credentials.
	reqs := e.fake.requests()
	providers := 0
	for _, r := range reqs {
		if r.Header.Get("Proxy-Authorization") != "" {
			t.Errorf("the provider received Proxy-Authorization on %s", r.Path)
		}
		if r.Path == "/v1/messages" || r.Path == "/v1/chat/completions" {
			providers++
		}
	}
	if providers != 2 {
		t.Errorf("the provider got %d model requests, want 2 (base URL and MITM, right credentials only)", providers)
	}
	e.assertNoLeak(pat)
	e.assertClean(pat, pw)

	// The user is in the audit log, and in no metric.
	if !strings.Contains(e.audit.String(), `"user":"alice"`) {
		t.Errorf("audit log lacks the user:\n%s", e.audit.String())
	}
	if m := e.metrics(); strings.Contains(m, "alice") {
		t.Error("a metric names the user")
	}
}

// checkDenied checks a status, and the headers of a 407. It returns the
// body.
func checkDenied(t *testing.T, resp *http.Response, want int) []byte {
	t.Helper()
	var b []byte
	if resp.StatusCode != http.StatusOK || resp.Request == nil || resp.Request.Method != http.MethodConnect {
		// (A CONNECT's 200 has no body: the tunnel follows.)
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d", resp.StatusCode, want)
	}
	if want == http.StatusProxyAuthRequired {
		if got := resp.Header.Get("Proxy-Authenticate"); !strings.HasPrefix(got, `Basic realm="hush"`) {
			t.Errorf("Proxy-Authenticate = %q, want Basic realm=\"hush\"", got)
		}
	}
	return b
}

// newPlainOrigin is a plain-HTTP origin (not intercepted) that reports
// whether it saw proxy credentials.
func newPlainOrigin(t *testing.T) *httpOrigin {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Proxy-Authorization") != "" {
			w.Header().Set("X-Saw-Proxy-Authorization", "1")
		}
		io.WriteString(w, "hello\n")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &httpOrigin{URL: "http://" + ln.Addr().String()}
}

type httpOrigin struct{ URL string }

// TestEgressClientCertificates runs hush as an HTTPS proxy that verifies
// client certificates: alone (a certificate is required), and alongside
// htpasswd (a certificate or Basic credentials).
func TestEgressClientCertificates(t *testing.T) {
	dir := t.TempDir()
	listenerCA := newClientCA(t) // a CA like any other: it signs the proxy listener's certificate
	writePair(t, dir, "listener", listenerCA.issueServer(t))
	clientCA := newClientCA(t)
	os.WriteFile(filepath.Join(dir, "client-ca.pem"), clientCA.certPEM, 0o644)
	bobCert := clientCA.issue(t, "bob")
	strangerCert := newClientCA(t).issue(t, "bob")
	pw := randomPassword()

	for _, withBasic := range []bool{false, true} {
		t.Run(fmt.Sprintf("htpasswd=%v", withBasic), func(t *testing.T) {
			cfg, err := ListenerTLS(filepath.Join(dir, "listener.pem"), filepath.Join(dir, "listener-key.pem"), filepath.Join(dir, "client-ca.pem"), !withBasic)
			if err != nil {
				t.Fatal(err)
			}
			a := &Auth{ClientCerts: true}
			if withBasic {
				a.Htpasswd = mustHtpasswd(t, map[string]string{"alice": pw})
			}
			e := newTLSEnv(t, cfg, a)
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(listenerCA.certPEM) // the listener's
			pool.AddCert(e.ca.Certificate())            // hush's MITM CA
			try := func(cert *tls.Certificate, user, pass string) (int, error) {
				u := *e.proxyURL
				if user != "" {
					u.User = url.UserPassword(user, pass)
				}
				tc := &tls.Config{RootCAs: pool}
				if cert != nil {
					tc.Certificates = []tls.Certificate{*cert}
				}
				tr := &http.Transport{Proxy: http.ProxyURL(&u), TLSClientConfig: tc, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
				defer tr.CloseIdleConnections()
				resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Post("https://api.openai.com/v1/responses", "application/json", strings.NewReader(`{"input":"hi"}`))
				if err != nil {
					return 0, err
				}
				resp.Body.Close()
				return resp.StatusCode, nil
			}
			if code, err := try(&bobCert, "", ""); err != nil || code != 200 {
				t.Errorf("with bob's certificate: %d, %v; want 200", code, err)
			}
			if code, err := try(&strangerCert, "", ""); err == nil {
				t.Errorf("a certificate from another CA got status %d, want a failed handshake", code)
			}
			// A CONNECT refused with 407 surfaces as an error from Go's
			// transport, like a failed handshake.
			code, err := try(nil, "", "")
			if withBasic {
				if err == nil {
					t.Errorf("no certificate and no credentials: status %d, want a refusal", code)
				}
				if code, err := try(nil, "alice", pw); err != nil || code != 200 {
					t.Errorf("Basic without a certificate: %d, %v; want 200", code, err)
				}
			} else if err == nil {
				t.Errorf("no certificate: status %d, want a failed handshake", code)
			}
		})
	}
}

// TestAuditNamesCertificateUser checks that a client certificate's CN
// is the user in the audit log.
func TestAuditNamesCertificateUser(t *testing.T) {
	dir := t.TempDir()
	listenerCA := newClientCA(t)
	writePair(t, dir, "listener", listenerCA.issueServer(t))
	clientCA := newClientCA(t)
	os.WriteFile(filepath.Join(dir, "client-ca.pem"), clientCA.certPEM, 0o644)
	cert := clientCA.issue(t, "ci-runner-7")
	cfg, err := ListenerTLS(filepath.Join(dir, "listener.pem"), filepath.Join(dir, "listener-key.pem"), filepath.Join(dir, "client-ca.pem"), true)
	if err != nil {
		t.Fatal(err)
	}
	e := newTLSEnv(t, cfg, &Auth{ClientCerts: true})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(listenerCA.certPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}}}
	defer tr.CloseIdleConnections()
	// Base-URL mode over the TLS listener: https://hush/openai/...
	resp, err := (&http.Client{Transport: tr}).Post("https://"+e.proxyURL.Host+"/openai/v1/chat/completions", "application/json",
		strings.NewReader(`{"messages":[{"role":"user","content":"key `+e.known+`"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(e.audit.String(), `"user":"ci-runner-7"`) {
		t.Errorf("audit log lacks the certificate's CN:\n%s", e.audit.String())
	}
	e.assertNoLeak(e.known)
}

// newTLSEnv is newEnv with the proxy listener speaking TLS.
func newTLSEnv(t *testing.T, cfg *tls.Config, a *Auth) *env {
	t.Helper()
	e := newEnv(t, envOptions{})
	withEgress(t, e, a, Limits{})
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	al, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &Server{Handler: e.h, Drain: time.Second, TLS: cfg}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, pl, al) }()
	t.Cleanup(func() { cancel(); <-done })
	e.proxyURL = &url.URL{Scheme: "https", Host: pl.Addr().String()}
	e.baseURL = "https://" + pl.Addr().String()
	return e
}

func writePair(t *testing.T, dir, name string, c tls.Certificate) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, name+".pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Certificate[0]}), 0o644)
	os.WriteFile(filepath.Join(dir, name+"-key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// clientCA issues client certificates, and the proxy listener's.
type clientCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

func newClientCA(t *testing.T) *clientCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "client CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &clientCA{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func (ca *clientCA) issue(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// issueServer issues a certificate for 127.0.0.1, for the listener.
func (ca *clientCA) issueServer(t *testing.T) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "hush"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
