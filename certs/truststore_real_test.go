// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// These tests change real trust stores. The system store needs
// HUSH_TEST_TRUSTSTORE=1 and root (CI runs them as root on Debian); the
// NSS and Java tests work on throwaway databases.

// TestRealSystemStore installs a CA into the real system store and checks
// that plain curl (no --cacert) trusts a leaf certificate signed by it,
// that it still refuses a leaf for a host outside the name constraints,
// and that after uninstalling curl refuses the leaf again.
func TestRealSystemStore(t *testing.T) {
	if os.Getenv("HUSH_TEST_TRUSTSTORE") != "1" {
		t.Skip("set HUSH_TEST_TRUSTSTORE=1 to install into the real system store")
	}
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("the real system-store test runs as root on Linux")
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal("curl not found (apt-get install curl)")
	}
	ca := newTestCA(t, Options{})
	// java too where there is one: Debian's ca-certificates-java copies the
	// anchor into Java's keystore, and only the java store removes it again.
	trust := &Trust{Env: []string{"HUSH_TRUST_STORES=system,java"}, Privileged: true}
	ctx := context.Background()
	t.Cleanup(func() {
		if results, err := trust.Uninstall(ctx, ca); err != nil || slices.ContainsFunc(results, func(r Result) bool { return r.Status == Failed }) {
			t.Errorf("cleanup: Uninstall = %+v, %v", results, err)
		}
	})

	good := serve(t, func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		return NewLeaves(ca, 0).Get(hello.ServerName)
	})
	forged, key := forge(t, ca, "www.example.org", x509.ExtKeyUsageServerAuth)
	evil := serve(t, func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		return &tls.Certificate{Certificate: [][]byte{forged.Raw}, PrivateKey: key, Leaf: forged}, nil
	})
	get := func(host string, srv *httptest.Server) error {
		port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
		target := fmt.Sprintf("https://%s:%s/", host, port)
		cmd := exec.Command(curl, "-q", "-sS", "--fail", "--max-time", "20",
			"--resolve", host+":"+port+":127.0.0.1", target)
		cmd.Env = cleanEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("curl %s: %v: %s", target, err, strings.TrimSpace(string(out)))
		}
		if string(out) != "hello from hush" {
			return fmt.Errorf("curl %s printed %q", target, out)
		}
		return nil
	}

	if err := get("api.anthropic.com", good); err == nil {
		t.Fatal("curl trusted the leaf before the CA was installed")
	}
	results, err := trust.Install(ctx, ca)
	if err != nil || results[0].Store != "system" || results[0].Status != NowInstalled {
		t.Fatalf("Install = %+v, %v; want the system store now installed", results, err)
	}
	if err := get("api.anthropic.com", good); err != nil {
		t.Errorf("after install: %v", err)
	}
	if err := get("www.example.org", evil); err == nil || !strings.Contains(err.Error(), "subtree violation") {
		t.Errorf("curl with a trusted CA and a leaf outside its name constraints: %v, want a subtree violation", err)
	}
	results, _ = trust.Install(ctx, ca)
	if results[0].Status != AlreadyInstalled {
		t.Errorf("second Install = %+v, want already installed", results)
	}

	results, err = trust.Uninstall(ctx, ca)
	if err != nil || results[0].Status != NowUninstalled {
		t.Fatalf("Uninstall = %+v, %v; want the system store now uninstalled", results, err)
	}
	for _, r := range results {
		if r.Status == Failed {
			t.Errorf("Uninstall: %s failed: %v", r.Name, r.Err)
		}
	}
	if err := get("api.anthropic.com", good); err == nil {
		t.Error("curl still trusts the leaf after uninstall")
	}
}

// serve starts a TLS server whose certificates come from getCert.
func serve(t *testing.T, getCert func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from hush")
	}))
	srv.TLS = &tls.Config{GetCertificate: getCert}
	// The handshakes curl refuses would be logged as errors; they are the test.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// cleanEnv is the environment without what would make curl trust or route
// anything beyond the system store.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// TestRealNSS installs into a new NSS database with the real certutil.
func TestRealNSS(t *testing.T) {
	certutil, err := exec.LookPath("certutil")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("NSS certutil not found")
	}
	home := t.TempDir()
	db := filepath.Join(home, ".pki", "nssdb")
	os.MkdirAll(db, 0o700)
	if out, err := exec.Command(certutil, "-N", "-d", "sql:"+db, "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("creating NSS database: %v: %s", err, out)
	}
	ca := newTestCA(t, Options{})
	trust := &Trust{Env: []string{"HOME=" + home, "HUSH_TRUST_STORES=nss"}}
	checkInstallCycle(t, trust, ca)
}

// TestRealJava installs into a throwaway keystore with the real keytool.
// keytool starts a JVM per call, so it runs only with HUSH_TEST_TRUSTSTORE.
func TestRealJava(t *testing.T) {
	if os.Getenv("HUSH_TEST_TRUSTSTORE") != "1" {
		t.Skip("set HUSH_TEST_TRUSTSTORE=1 to run keytool")
	}
	keytool, err := exec.LookPath("keytool")
	if err != nil {
		t.Skip("keytool not found")
	}
	real, err := filepath.EvalSymlinks(keytool)
	if err != nil {
		t.Fatal(err)
	}
	javaHome := t.TempDir()
	os.MkdirAll(filepath.Join(javaHome, "bin"), 0o755)
	os.MkdirAll(filepath.Join(javaHome, "lib", "security"), 0o755)
	if err := os.Symlink(real, filepath.Join(javaHome, "bin", "keytool")); err != nil {
		t.Fatal(err)
	}
	cacerts := filepath.Join(javaHome, "lib", "security", "cacerts")
	other := newTestCA(t, Options{})
	if out, err := exec.Command(real, "-importcert", "-noprompt", "-keystore", cacerts, "-storepass", javaStorePass,
		"-alias", "other", "-file", other.CertPath()).CombinedOutput(); err != nil {
		t.Fatalf("creating keystore: %v: %s", err, out)
	}
	ca := newTestCA(t, Options{})
	trust := &Trust{Env: []string{"JAVA_HOME=" + javaHome, "HUSH_TRUST_STORES=java"}}
	checkInstallCycle(t, trust, ca)
	out, _ := exec.Command(real, "-list", "-keystore", cacerts, "-storepass", javaStorePass, "-alias", "other").CombinedOutput()
	if !strings.Contains(string(out), "trustedCertEntry") {
		t.Errorf("uninstall removed another root: %s", out)
	}
}

// checkInstallCycle: install, install again, status, uninstall, status.
func checkInstallCycle(t *testing.T, trust *Trust, ca *CA) {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { trust.Uninstall(ctx, ca) })
	steps := []struct {
		name string
		do   func(context.Context, *CA) ([]Result, error)
		want Status
	}{
		{"Installed", trust.Installed, NotInstalled},
		{"Install", trust.Install, NowInstalled},
		{"Install", trust.Install, AlreadyInstalled},
		{"Installed", trust.Installed, AlreadyInstalled},
		{"Uninstall", trust.Uninstall, NowUninstalled},
		{"Uninstall", trust.Uninstall, NotInstalled},
	}
	for _, s := range steps {
		results, err := s.do(ctx, ca)
		if err != nil || len(results) != 1 || results[0].Status != s.want {
			t.Fatalf("%s = %+v, %v; want %s", s.name, results, err, s.want)
		}
	}
}
