// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"

	"github.com/hushproxy/hush/certs"
	"github.com/hushproxy/hush/redact"
)

// writeHtpasswd writes an htpasswd file as htpasswd -B would ($2y$),
// at bcrypt's cheapest cost, and returns its path.
func writeHtpasswd(t *testing.T, dir string, users map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	for u, p := range users {
		h, err := bcrypt.GenerateFromPassword([]byte(p), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:$2y$%s\n", u, h[4:])
	}
	path := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(path, b.Bytes(), 0o440); err != nil {
		t.Fatal(err)
	}
	return path
}

func randomPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "pw-" + hex.EncodeToString(b)
}

// TestServeRefusesOpenProxy checks that a proxy address beyond loopback
// without proxy authentication is refused, with the fix in hints.
func TestServeRefusesOpenProxy(t *testing.T) {
	env := testEnv(t)
	home := strings.TrimPrefix(env[0], "HUSH_HOME=")
	limitsOnly := filepath.Join(t.TempDir(), "limits.yaml")
	os.WriteFile(limitsOnly, []byte("limits: {max_conns_per_client: 10}\n"), 0o600)
	for _, tc := range []struct {
		args   []string
		config string // the config the hint names
	}{
		{[]string{"serve", "--listen", "0.0.0.0:0", "--admin", "127.0.0.1:0"}, filepath.Join(home, "config.yaml")},
		{[]string{"serve", "--listen", ":0", "--admin", "127.0.0.1:0"}, filepath.Join(home, "config.yaml")},
		{[]string{"serve", "--listen", "0.0.0.0:0", "--admin", "127.0.0.1:0", "--config", limitsOnly}, limitsOnly},
	} {
		code, stdout, stderr := runCLI(t, env, "", tc.args...)
		if code != exitError || stdout != "" {
			t.Errorf("hush %v: exit %d, stdout %q; want %d and nothing", tc.args, code, stdout, exitError)
		}
		for _, want := range []string{
			"hush: error: refusing to listen on ",
			"without proxy authentication",
			"\nhush: hint: htpasswd -B -c ",
			"then add to " + tc.config + ":  auth: {htpasswd: ",
			"\nhush: hint: hush serve --listen 127.0.0.1:8080",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("hush %v: stderr lacks %q:\n%s", tc.args, want, stderr)
			}
		}
		if strings.Contains(stderr, "proxy listening") {
			t.Errorf("hush %v: it says it is listening", tc.args)
		}
	}

	// hush run's proxy is private to its child: loopback only.
	code, _, stderr := runCLI(t, env, "", "run", "--listen", "0.0.0.0:0", "--", "true")
	if code != exitRunFailed || !strings.Contains(stderr, "loopback only") {
		t.Errorf("hush run --listen 0.0.0.0:0: exit %d, stderr %q; want %d, loopback only", code, stderr, exitRunFailed)
	}
}

// TestServeStartsWithAuth checks that auth lets hush listen beyond
// loopback, and the config errors of the egress keys.
func TestServeStartsWithAuth(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	writeHtpasswd(t, dir, map[string]string{"alice": randomPassword()})
	cfg := filepath.Join(dir, "hush.yaml")
	os.WriteFile(cfg, []byte("auth: {htpasswd: htpasswd}\nlimits: {max_conns_per_client: 3, requests_per_second: 2.5, burst: 5}\ndrain_timeout: 7s\n"), 0o600)
	var stderr bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, env: env}
	p, err := c.startProxy(serveFlags{listen: "0.0.0.0:0", admin: "127.0.0.1:0", config: cfg}, false)
	if err != nil {
		t.Fatalf("startProxy with auth: %v\n%s", err, stderr.String())
	}
	stopProxy(t, p)
	s := p.handler.Current()
	if s.Auth == nil || s.Auth.Htpasswd == nil || s.Auth.Htpasswd.Len() != 1 {
		t.Errorf("Auth = %+v, want the htpasswd file's one user", s.Auth)
	}
	if s.Limits.MaxConnsPerClient != 3 || s.Limits.RequestsPerSecond != 2.5 || s.Limits.Burst != 5 {
		t.Errorf("Limits = %+v", s.Limits)
	}
	if p.server.Drain != 7*time.Second {
		t.Errorf("Drain = %v, want 7s", p.server.Drain)
	}

	for _, tc := range []struct{ config, want string }{
		{"auth: {htpasswd: missing}\n", "reading htpasswd"},
		{"auth: {htpasswd: bad}\n", "only bcrypt entries are accepted"},
		{"auth: {client_ca: ca.pem}\n", "auth.client_ca needs tls"},
		{"tls: {cert: c.pem}\n", "tls: set both cert and key"},
		{"limits: {burst: -1}\n", "limits: want numbers >= 0"},
		{"limits: {max_conns: 1}\n", "field max_conns not found"},
		{"drain_timeout: soon\n", `duration "soon"`},
	} {
		os.WriteFile(filepath.Join(dir, "bad"), []byte("alice:$apr1$x$y\n"), 0o600)
		os.WriteFile(cfg, []byte(tc.config), 0o600)
		code, _, stderr := runCLI(t, env, "", "serve", "--listen", "0.0.0.0:0", "--admin", "127.0.0.1:0", "--config", cfg)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("config %q: exit %d, stderr %q; want %d and %q", tc.config, code, stderr, exitError, tc.want)
		}
	}
}

// stopProxy serves p with a done context: it drains at once and closes
// its listeners and control socket.
func stopProxy(t *testing.T, p *runningProxy) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.serve(ctx); err != nil {
		t.Error(err)
	}
}

// TestDeployConfigsLoad parses the configs of deploy/ with hush's own
// strict parser: a key hush does not know would stop it from starting.
func TestDeployConfigsLoad(t *testing.T) {
	compose, err := os.ReadFile("../../deploy/compose/hush.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cm struct {
		Data map[string]string `yaml:"data"`
	}
	raw, err := os.ReadFile("../../deploy/kubernetes/configmap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"deploy/compose/hush.yaml": string(compose), "configmap.yaml config.yaml": cm.Data["config.yaml"]} {
		cfg, err := parseConfig(name, []byte(text))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if !cfg.Auth.enabled() || cfg.Limits.MaxConnsPerClient <= 0 || cfg.Limits.RequestsPerSecond <= 0 {
			t.Errorf("%s: auth %+v, limits %+v; want auth and limits", name, cfg.Auth, cfg.Limits)
		}
	}
}

// TestReplicasShareKeys starts two proxies, as two replicas would, on
// keys mounted read-only from one Secret (mode 0440). They must issue the
// same placeholders and present the same CA, and must create no key of
// their own in HUSH_HOME.
func TestReplicasShareKeys(t *testing.T) {
	made := t.TempDir() // where an operator makes the keys once
	ca, err := certs.LoadOrCreate(made, certs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := redact.LoadOrCreateKey(made); err != nil {
		t.Fatal(err)
	}
	secret := t.TempDir() // the Secret's mount
	for _, f := range []string{"ca.pem", "ca-key.pem", "placeholder.key"} {
		b, err := os.ReadFile(filepath.Join(made, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(secret, f), b, 0o440); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(secret, 0o550)
	t.Cleanup(func() { os.Chmod(secret, 0o750) })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("ca: {cert: %[1]s/ca.pem, key: %[1]s/ca-key.pem}\nplaceholder_key: %[1]s/placeholder.key\n", secret)), 0o600)

	pat := fakePAT(42)
	var outs []string
	for i := range 2 {
		home := filepath.Join(t.TempDir(), fmt.Sprint("replica", i))
		c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, env: []string{"HUSH_HOME=" + home}}
		p, err := c.startProxy(serveFlags{listen: "127.0.0.1:0", admin: "127.0.0.1:0", config: cfg}, false)
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		stopProxy(t, p)
		if !p.ca.Certificate().Equal(ca.Certificate()) {
			t.Errorf("replica %d presents another CA", i)
		}
		out, _ := p.handler.Current().Redactor.Redact([]byte("token " + pat))
		outs = append(outs, string(out))
		for _, f := range []string{"ca.pem", "ca-key.pem", "placeholder.key"} {
			if _, err := os.Stat(filepath.Join(home, f)); err == nil {
				t.Errorf("replica %d made its own %s", i, f)
			}
		}
	}
	if outs[0] != outs[1] || strings.Contains(outs[0], pat) {
		t.Errorf("the replicas redact differently: %q and %q", outs[0], outs[1])
	}
}

// needPrometheus returns the prometheus server binary. It skips without
// one, except on CI, where .ci/run installs Debian's prometheus package.
func needPrometheus(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("prometheus")
	if err != nil {
		if _, serr := os.Stat("/usr/bin/prometheus"); serr == nil {
			return "/usr/bin/prometheus"
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("the prometheus server is required on CI (.ci/run installs Debian's prometheus package): %v", err)
		}
		t.Skip("prometheus not installed (Debian: apt-get install prometheus)")
	}
	return path
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestPrometheusScrapesRedactions is the end-to-end check of issue 7: a
// real Prometheus server scrapes a real hush serve in egress mode (on
// 0.0.0.0, with Basic auth and limits) while requests with secrets flow
// through it, and its HTTP API must then show hush_redactions_total > 0.
// The proxy user is in the audit log and in no series.
func TestPrometheusScrapesRedactions(t *testing.T) {
	promBin := needPrometheus(t)
	bin := buildHush(t)
	up := newFakeUpstream(t)
	home := t.TempDir()
	pw := randomPassword()
	writeHtpasswd(t, home, map[string]string{"alice": pw})
	os.WriteFile(filepath.Join(home, "config.yaml"), []byte(
		"auth: {htpasswd: htpasswd}\nlimits: {max_conns_per_client: 64, requests_per_second: 50, burst: 100}\n"+
			"audit: {file: audit.jsonl}\ndrain_timeout: 5s\n"), 0o600)

	var stderr syncBuf
	hush := exec.Command(bin, append([]string{"serve", "--listen", "0.0.0.0:0", "--admin", "127.0.0.1:0"}, up.resolveFlags()...)...)
	hush.Env = []string{"HUSH_HOME=" + home, "PATH=" + os.Getenv("PATH")}
	hush.Stdout, hush.Stderr = io.Discard, &stderr
	if err := hush.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hush.Process.Kill(); hush.Wait() })
	addrRE := regexp.MustCompile(`proxy listening on http://\S+:(\d+) .*\n.*admin listening on http://(\S+) `)
	waitFor(t, "hush's listening lines", func() bool { return addrRE.MatchString(stderr.String()) })
	m := addrRE.FindStringSubmatch(stderr.String())
	proxyAddr, adminAddr := "127.0.0.1:"+m[1], m[2]

	// Prometheus, scraping hush's admin port every second.
	promDir := t.TempDir()
	promAddr := freeAddr(t)
	os.WriteFile(filepath.Join(promDir, "prometheus.yml"), []byte(fmt.Sprintf(
		"global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: hush\n    static_configs:\n      - targets: [%q]\n", adminAddr)), 0o600)
	var promOut syncBuf
	prom := exec.Command(promBin, "--config.file="+filepath.Join(promDir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(promDir, "data"), "--web.listen-address="+promAddr)
	prom.Stdout, prom.Stderr = &promOut, &promOut
	if err := prom.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prom.Process.Kill(); prom.Wait() })

	// Traffic with secrets: MITM'd through HTTPS_PROXY with credentials,
	// and a base-URL request with Proxy-Authorization.
	caPEM, err := os.ReadFile(filepath.Join(home, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	client := func(user, pass string) *http.Client {
		u := &url.URL{Scheme: "http", Host: proxyAddr, User: url.UserPassword(user, pass)}
		tr := &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: pool}}
		t.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr, Timeout: 10 * time.Second}
	}
	pats := []string{fakePAT(7001), fakePAT(7002), fakePAT(7003)}
	body := conversation(pats, knownValue())
	for range 3 {
		resp, err := client("alice", pw).Post("https://api.openai.com/v1/chat/completions", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("MITM'd request: status %d", resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", "http://"+proxyAddr+"/anthropic/v1/messages", bytes.NewReader(body))
	req.Header.Set("Proxy-Authorization", "Basic "+basicCreds("alice", pw))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("base-URL request: status %d", resp.StatusCode)
	}
	if _, err := client("alice", "wrong").Post("https://api.openai.com/v1/chat/completions", "application/json", bytes.NewReader(body)); err == nil {
		t.Error("a wrong password went through")
	}
	for i, b := range up.received() {
		for _, p := range pats {
			if bytes.Contains(b, []byte(p)) {
				t.Errorf("the provider got a token in request %d", i)
			}
		}
	}
	if n := len(up.received()); n != 4 {
		t.Errorf("the provider got %d requests, want 4", n)
	}

	// Prometheus' HTTP API shows the redactions.
	query := func(q string) []struct {
		Metric map[string]string `json:"metric"`
		Value  [2]any            `json:"value"`
	} {
		resp, err := http.Get("http://" + promAddr + "/api/v1/query?query=" + url.QueryEscape(q))
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		var r struct {
			Status string `json:"status"`
			Data   struct {
				Result []struct {
					Metric map[string]string `json:"metric"`
					Value  [2]any            `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		if json.NewDecoder(resp.Body).Decode(&r) != nil || r.Status != "success" {
			return nil
		}
		return r.Data.Result
	}
	var total float64
	deadline := time.Now().Add(20 * time.Second)
	for total == 0 && time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond)
		for _, s := range query("hush_redactions_total") {
			var v float64
			fmt.Sscan(fmt.Sprint(s.Value[1]), &v)
			total += v
		}
	}
	if total <= 0 {
		t.Fatalf("Prometheus shows no hush_redactions_total > 0 within 20s\nprometheus:\n%s\nhush:\n%s", lastLines(promOut.String(), 20), lastLines(stderr.String(), 20))
	}
	t.Logf("Prometheus: sum(hush_redactions_total) = %v", total)
	for _, s := range query(`{__name__=~"hush_.+"}`) {
		for k, v := range s.Metric {
			if strings.Contains(v, "alice") {
				t.Errorf("series %v carries the user in label %s", s.Metric, k)
			}
		}
	}

	// SIGHUP reloads the htpasswd file: bob is in, alice is out.
	pwBob := randomPassword()
	os.Remove(filepath.Join(home, "htpasswd"))
	writeHtpasswd(t, home, map[string]string{"bob": pwBob})
	hush.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(stderr.String(), "reloaded config") })
	for _, tc := range []struct {
		user, pass string
		ok         bool
	}{{"bob", pwBob, true}, {"alice", pw, false}} {
		resp, err := client(tc.user, tc.pass).Post("https://api.openai.com/v1/chat/completions", "application/json", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("after the reload, %s: err %v, want ok %v", tc.user, err, tc.ok)
		}
	}

	// SIGTERM drains and exits 0; the audit log names the user.
	hush.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- hush.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("hush serve exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("hush serve did not exit within 10s of SIGTERM (drain_timeout 5s)")
	}
	audit, _ := os.ReadFile(filepath.Join(home, "audit.jsonl"))
	if !bytes.Contains(audit, []byte(`"user":"alice"`)) {
		t.Errorf("the audit log does not name the user:\n%.400s", audit)
	}
	if strings.Contains(stderr.String(), pw) || bytes.Contains(audit, []byte(pw)) {
		t.Error("the proxy password is in hush's output or audit log")
	}
}

func basicCreds(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
