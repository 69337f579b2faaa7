// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"compress/gzip"
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
	"io/fs"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// upstreamHosts are the provider hosts the fake upstream answers for.
var upstreamHosts = []string{"api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com"}

// fakeUpstream is an HTTPS server with its own CA standing in for every
// provider. It records the bodies it receives.
type fakeUpstream struct {
	srv    *httptest.Server
	caFile string
	mu     sync.Mutex
	bodies [][]byte
}

func newFakeUpstream(t *testing.T) *fakeUpstream {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(2),
		DNSNames: upstreamHosts, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeUpstream{caFile: filepath.Join(t.TempDir(), "upstream-ca.pem")}
	os.WriteFile(f.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644)
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.bodies = append(f.bodies, b)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

// resolveFlags maps every provider host to the fake.
func (f *fakeUpstream) resolveFlags() []string {
	var args []string
	for _, h := range upstreamHosts {
		args = append(args, "--resolve", h+":443:"+f.srv.Listener.Addr().String())
	}
	return append(args, "--upstream-ca", f.caFile)
}

func (f *fakeUpstream) received() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.bodies...)
}

// knownValue returns a random known secret with characters that URL
// encoding changes.
func knownValue() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "s3cr/" + hex.EncodeToString(b) + "+x="
}

// secretForms are the encodings a secret must not reach the provider in.
func secretForms(s string) []string {
	return []string{s, base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s), hex.EncodeToString([]byte(s))}
}

var hushPlaceholder = regexp.MustCompile(`hush_[a-z0-9-]+_[a-z2-7]{12}`)

// conversation is an OpenAI-shaped request with the secrets in the
// system prompt, history, tool calls and tool results.
func conversation(pats []string, known string) []byte {
	var msgs []string
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	msgs = append(msgs, `{"role":"system","content":`+q("deploy key "+known)+`}`)
	for i, p := range pats {
		msgs = append(msgs,
			`{"role":"user","content":`+q("push with "+p)+`}`,
			`{"role":"assistant","tool_calls":[{"id":"c`+fmt.Sprint(i)+`","type":"function","function":{"name":"run","arguments":`+q(`{"cmd":"git push https://`+p+`@github.com/o/r"}`)+`}}]}`,
			`{"role":"tool","tool_call_id":"c`+fmt.Sprint(i)+`","content":`+q("b64 "+base64.StdEncoding.EncodeToString([]byte(known))+" url "+url.QueryEscape(known))+`}`)
	}
	return []byte(`{"model":"gpt-x","messages":[` + strings.Join(msgs, ",") + `]}`)
}

func needCurl(t *testing.T) string {
	path, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("curl is required in CI (.ci/run installs it): %v", err)
		}
		t.Skip("curl not installed")
	}
	return path
}

// buildHush builds the hush binary into a temp dir.
func buildHush(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hush")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuf collects a process's output while the test reads it.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestServeProcessWithCurl(t *testing.T) {
	curl := needCurl(t)
	bin := buildHush(t)
	up := newFakeUpstream(t)
	home := t.TempDir()
	known := knownValue()
	var pats []string
	for i := range 20 {
		pats = append(pats, fakePAT(uint64(100+i)))
	}
	secrets := append([]string{known}, pats...)
	writeConfig := func(extra string) {
		if err := os.WriteFile(filepath.Join(home, "config.yaml"), []byte("audit:\n  file: audit.jsonl\n"+extra), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("")

	var stdout, stderr syncBuf
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"}, up.resolveFlags()...)...)
	cmd.Env = []string{"HUSH_HOME=" + home, "PATH=" + os.Getenv("PATH"), "MY_SERVICE_TOKEN=" + known, "HTTPS_PROXY=http://127.0.0.1:1"}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	addrRE := regexp.MustCompile(`proxy listening on http://(\S+) .*\n.*admin listening on http://(\S+) `)
	waitFor(t, "the listening lines", func() bool { return addrRE.MatchString(stderr.String()) })
	m := addrRE.FindStringSubmatch(stderr.String())
	proxyAddr, adminAddr := m[1], m[2]

	dir := t.TempDir()
	body := filepath.Join(dir, "body.json")
	os.WriteFile(body, conversation(pats, known), 0o600)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(conversation(pats, known))
	zw.Close()
	os.WriteFile(body+".gz", gz.Bytes(), 0o600)
	curlDo := func(args ...string) string {
		t.Helper()
		args = append([]string{"-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json"}, args...)
		c := exec.Command(curl, args...)
		c.Env = []string{"PATH=" + os.Getenv("PATH")}
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	viaProxy := []string{"--proxy", "http://" + proxyAddr, "--cacert", filepath.Join(home, "ca.pem")}
	for _, args := range [][]string{
		append(viaProxy, "--data-binary", "@"+body, "https://api.openai.com/v1/chat/completions"),
		append(viaProxy, "--http2", "--data-binary", "@"+body, "https://api.openai.com/v1/chat/completions"),
		append(viaProxy, "-H", "Content-Encoding: gzip", "--data-binary", "@"+body+".gz", "https://api.anthropic.com/v1/messages"),
		{"--data-binary", "@" + body, "http://" + proxyAddr + "/openai/v1/chat/completions"},
		{"-H", "Content-Encoding: gzip", "--data-binary", "@" + body + ".gz", "http://" + proxyAddr + "/gemini/v1beta/models/g:generateContent"},
	} {
		if code := curlDo(args...); code != "200" {
			t.Errorf("curl %v: HTTP %s", args, code)
		}
	}
	got := up.received()
	if len(got) != 5 {
		t.Fatalf("the fake got %d requests, want 5", len(got))
	}
	for i, b := range got {
		if n := len(hushPlaceholder.FindAll(b, -1)); n < 3*len(pats)+1 {
			t.Errorf("request %d carried %d placeholders, want >= %d", i, n, 3*len(pats)+1)
		}
	}

	// The metrics count the redactions, and hold no secret.
	resp, err := http.Get("http://" + adminAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !regexp.MustCompile(`hush_redactions_total\{direction="request",rule="github-pat"\} [1-9]`).Match(metrics) {
		t.Errorf("metrics do not count redactions:\n%s", metrics)
	}

	// SIGHUP reloads the config: github-pat now blocks.
	writeConfig("actions:\n  github-pat: block\n")
	cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(stderr.String(), "reloaded config") })
	if code := curlDo(append(viaProxy, "--data-binary", "@"+body, "https://api.openai.com/v1/chat/completions")...); code != "403" {
		t.Errorf("after reload: HTTP %s, want 403", code)
	}
	if n := len(up.received()); n != 5 {
		t.Errorf("a blocked request reached the provider")
	}

	// SIGINT drains and exits 0.
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("hush serve exited with %v after SIGINT, want 0\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("hush serve did not exit after SIGINT")
	}

	audit, err := os.ReadFile(filepath.Join(home, "audit.jsonl"))
	if err != nil || !bytes.Contains(audit, []byte(`"action":"redact"`)) || !bytes.Contains(audit, []byte(`"action":"block"`)) {
		t.Errorf("audit log lacks redactions and the block (%v):\n%.500s", err, audit)
	}
	if stdout.String() != "" {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	places := map[string][]byte{"stderr": []byte(stderr.String()), "metrics": metrics}
	for i, b := range got {
		places[fmt.Sprintf("provider request %d", i)] = b
	}
	filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			places[path] = b
		}
		return nil
	})
	for where, b := range places {
		for _, s := range secrets {
			for _, f := range secretForms(s) {
				if bytes.Contains(b, []byte(f)) {
					t.Errorf("%s holds a secret (form %.8s...)", where, f)
				}
			}
		}
	}
}

func TestRunCommand(t *testing.T) {
	up := newFakeUpstream(t)
	env := append(testEnv(t), "PATH="+os.Getenv("PATH"))
	dir := t.TempDir()

	// The child sees the proxy variables and exits with its own status.
	script := `env > ` + filepath.Join(dir, "env") + `; exit 3`
	code, _, errOut := runCLI(t, env, "", "run", "--", "sh", "-c", script)
	if code != 3 {
		t.Errorf("hush run exit %d, want the child's 3\n%s", code, errOut)
	}
	childEnv, _ := os.ReadFile(filepath.Join(dir, "env"))
	for _, v := range []string{"HTTPS_PROXY=http://127.0.0.1:", "NODE_EXTRA_CA_CERTS=", "SSL_CERT_FILE=", "HUSH_ADMIN=127.0.0.1:"} {
		if !bytes.Contains(childEnv, []byte(v)) {
			t.Errorf("the child's environment lacks %s", v)
		}
	}

	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"run", "--", "hush-no-such-command"}, exitNotFound},
		{[]string{"run", "--", filepath.Join(dir, "env")}, exitCannotExecute}, // not executable
		{[]string{"run", "--", "sh", "-c", "kill -TERM $$"}, 128 + int(syscall.SIGTERM)},
		{[]string{"run"}, exitRunFailed},
		{[]string{"run", "--upstream-ca", filepath.Join(dir, "missing.pem"), "--", "true"}, exitRunFailed},
	} {
		if code, _, errOut := runCLI(t, env, "", tc.args...); code != tc.want {
			t.Errorf("hush %v: exit %d, want %d\n%s", tc.args, code, tc.want, errOut)
		}
	}

	// A real client through the proxy that hush run started.
	curl := needCurl(t)
	pat := fakePAT(7)
	args := append([]string{"run"}, up.resolveFlags()...)
	args = append(args, "--", curl, "-sS", "--fail", "--max-time", "10", "-d", `{"input":"token `+pat+`"}`, "https://api.openai.com/v1/responses")
	code, out, errOut := runCLI(t, env, "", args...)
	if code != 0 || out != `{"ok":true}` {
		t.Fatalf("hush run curl: exit %d, stdout %q\n%s", code, out, errOut)
	}
	got := up.received()
	if len(got) != 1 || bytes.Contains(got[0], []byte(pat)) || !hushPlaceholder.Match(got[0]) {
		t.Errorf("the provider got %q, want the token replaced", got)
	}
	if strings.Contains(errOut, pat) {
		t.Errorf("stderr holds the token")
	}
}

// TestServeUsage checks flag errors and a config error.
func TestServeUsage(t *testing.T) {
	env := testEnv(t)
	if code, _, _ := runCLI(t, env, "", "serve", "extra"); code != exitUsage {
		t.Errorf("serve with an argument: exit %d, want %d", code, exitUsage)
	}
	if code, out, _ := runCLI(t, env, "", "serve", "-h"); code != exitOK || !strings.Contains(out, "Usage:") {
		t.Errorf("serve -h: exit %d, stdout %q", code, out)
	}
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(cfg, []byte("listen: x\nlisen: y\n"), 0o600)
	code, _, errOut := runCLI(t, env, "", "serve", "--config", cfg)
	if code != exitError || !strings.Contains(errOut, "line 2: field lisen not found") {
		t.Errorf("bad config: exit %d, stderr %q", code, errOut)
	}
}
