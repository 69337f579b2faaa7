// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hushproxy/hush/certs"
)

// runCA runs hush in-process; with a non-nil trust, "hush ca" uses it
// instead of the machine's trust stores.
func runCA(t *testing.T, env []string, trust *certs.Trust, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, env: env}
	if trust != nil && len(args) > 0 && args[0] == "ca" {
		code = c.caWith(trust, args[1:])
	} else {
		code = c.run(args)
	}
	return code, out.String(), errOut.String()
}

func TestCAPathFreshHome(t *testing.T) {
	home := filepath.Join(t.TempDir(), "hush")
	env := []string{"HUSH_HOME=" + home}
	code, stdout, stderr := runCA(t, env, nil, "ca", "path")
	if code != exitOK {
		t.Fatalf("hush ca path = %d, stderr:\n%s", code, stderr)
	}
	certPath := filepath.Join(home, "ca.pem")
	if stdout != certPath+"\n" {
		t.Errorf("stdout = %q, want %q", stdout, certPath+"\n")
	}
	if !strings.HasPrefix(stderr, "hush: created a new local CA in "+home) {
		t.Errorf("stderr = %q, want the creation noted", stderr)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(home); fi == nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("HUSH_HOME mode = %v, want 0700", fi.Mode())
		}
		if fi, _ := os.Stat(filepath.Join(home, "ca-key.pem")); fi == nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("key mode = %v, want 0600", fi.Mode())
		}
	}
	data, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s is not PEM", certPath)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if pub, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || pub.Curve != elliptic.P256() {
		t.Errorf("CA key = %T, want ECDSA P-256", cert.PublicKey)
	}
	if !cert.BasicConstraintsValid || !cert.IsCA {
		t.Error("CA lacks CA:TRUE")
	}
	if !cert.PermittedDNSDomainsCritical || !slices.Contains(cert.PermittedDNSDomains, "anthropic.com") {
		t.Errorf("name constraints = %q (critical %v), want the model API domains, critical",
			cert.PermittedDNSDomains, cert.PermittedDNSDomainsCritical)
	}

	// Later runs load the same CA and say nothing.
	code, again, stderr := runCA(t, env, nil, "ca", "path")
	if code != exitOK || again != stdout || stderr != "" {
		t.Errorf("second hush ca path = %d %q %q, want %d %q and no stderr", code, again, stderr, exitOK, stdout)
	}
}

func TestCAPathExistingHome(t *testing.T) {
	home := t.TempDir()
	code, stdout, _ := runCA(t, []string{"HUSH_HOME=" + home}, nil, "ca", "path")
	if code != exitOK || stdout != filepath.Join(home, "ca.pem")+"\n" {
		t.Errorf("hush ca path = %d %q", code, stdout)
	}
}

func TestCAPathMissingKey(t *testing.T) {
	home := t.TempDir()
	env := []string{"HUSH_HOME=" + home}
	runCA(t, env, nil, "ca", "path")
	os.Remove(filepath.Join(home, "ca-key.pem"))
	code, stdout, stderr := runCA(t, env, nil, "ca", "path")
	if code != exitError || stdout != "" {
		t.Errorf("hush ca path without key = %d %q, want %d and no stdout", code, stdout, exitError)
	}
	if !strings.Contains(stderr, "hush: error: ") || !strings.Contains(stderr, "hush: hint: hush ca reissue\n") {
		t.Errorf("stderr = %q, want an error and the reissue hint", stderr)
	}
}

func TestCAPathCorrupt(t *testing.T) {
	home := t.TempDir()
	env := []string{"HUSH_HOME=" + home}
	runCA(t, env, nil, "ca", "path")
	os.WriteFile(filepath.Join(home, "ca.pem"), []byte("damaged"), 0o644)
	code, stdout, stderr := runCA(t, env, nil, "ca", "path")
	if code != exitError || stdout != "" || !strings.Contains(stderr, "hush: hint: hush ca reissue\n") {
		t.Errorf("hush ca path with a damaged CA = %d %q %q, want an error and the reissue hint", code, stdout, stderr)
	}
	if code, _, stderr := runCA(t, env, nil, "ca", "reissue"); code != exitOK {
		t.Errorf("hush ca reissue of a damaged CA = %d, stderr:\n%s", code, stderr)
	}
	if code, _, _ := runCA(t, env, nil, "ca", "path"); code != exitOK {
		t.Error("hush ca path after reissue failed")
	}
}

func TestCAUsage(t *testing.T) {
	env := []string{"HUSH_HOME=" + t.TempDir()}
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"ca"}, exitUsage, "", "Usage:"},
		{[]string{"ca", "-h"}, exitOK, "Usage:", ""},
		{[]string{"ca", "frobnicate"}, exitUsage, "", `hush: error: unknown command "frobnicate" for hush ca`},
		{[]string{"ca", "path", "extra"}, exitUsage, "", "takes no arguments"},
		{[]string{"ca", "reissue", "--unconstrained", "--domain", "a.example"}, exitUsage, "", "exclude each other"},
		{[]string{"ca", "status", "--bogus"}, exitUsage, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCA(t, env, nil, tt.args...)
		if code != tt.code {
			t.Errorf("hush %q = %d, want %d", tt.args, code, tt.code)
		}
		if !strings.Contains(stdout, tt.stdout) || (tt.stdout == "" && stdout != "") {
			t.Errorf("hush %q stdout = %q, want %q", tt.args, stdout, tt.stdout)
		}
		if !strings.Contains(stderr, tt.stderr) || (tt.stderr == "" && stderr != "") {
			t.Errorf("hush %q stderr = %q, want %q", tt.args, stderr, tt.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(env[0][len("HUSH_HOME="):], "ca.pem")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a usage error created the CA")
	}
}

// fakeStore is a Windows certificate store in memory: the simplest store
// to fake (one command per operation, no sudo), exercised on any OS.
type fakeStore struct {
	trusted map[string]bool // SHA-1 thumbprints
	calls   []string
}

func (f *fakeStore) LookPath(name string) (string, error) {
	if name == "certutil" {
		return `C:\Windows\System32\certutil.exe`, nil
	}
	return "", errors.New("not found")
}

func (f *fakeStore) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	f.calls = append(f.calls, name+" "+strings.Join(args, " "))
	switch args[1] {
	case "-verifystore":
		if !f.trusted[args[3]] {
			return []byte("CertUtil: -verifystore command FAILED"), errors.New("exit status 1")
		}
	case "-addstore":
		data, _ := os.ReadFile(args[3])
		block, _ := pem.Decode(data)
		f.trusted[thumbprint(block.Bytes)] = true
	case "-delstore":
		delete(f.trusted, args[3])
	}
	return nil, nil
}

func thumbprint(der []byte) string {
	sum := sha1.Sum(der)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func newFakeTrust() (*certs.Trust, *fakeStore) {
	f := &fakeStore{trusted: map[string]bool{}}
	return &certs.Trust{Runner: f, Env: []string{"HUSH_TRUST_STORES=system"}, GOOS: "windows"}, f
}

func TestCAInstallUninstallStatus(t *testing.T) {
	home := t.TempDir()
	env := []string{"HUSH_HOME=" + home}
	trust, store := newFakeTrust()
	const name = "Windows certificate store (current user)"

	steps := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"ca", "install"}, exitOK, "", "hush: " + name + ": now installed\n"},
		{[]string{"ca", "install"}, exitOK, "", "hush: " + name + ": already installed\n"},
		{[]string{"ca", "status"}, exitOK, name + ": already installed\n", ""},
		{[]string{"ca", "uninstall"}, exitOK, "", "hush: " + name + ": now uninstalled\n"},
		{[]string{"ca", "uninstall"}, exitOK, "", "hush: " + name + ": not installed\n"},
	}
	for i, s := range steps {
		code, stdout, stderr := runCA(t, env, trust, s.args...)
		if i == 0 {
			// The first install creates the CA.
			stderr = strings.TrimPrefix(stderr, stderr[:strings.Index(stderr, "\n")+1])
		}
		if code != s.code || !strings.HasSuffix(stdout, s.stdout) || stderr != s.stderr {
			t.Errorf("step %d: hush %q = %d\nstdout %q\nstderr %q\nwant %d, stdout ending %q, stderr %q",
				i, s.args, code, stdout, stderr, s.code, s.stdout, s.stderr)
		}
	}
	if len(store.trusted) != 0 {
		t.Errorf("uninstall left %v", store.trusted)
	}

	code, stdout, stderr := runCA(t, env, trust, "ca", "status", "--json")
	if code != exitOK || stderr != "" {
		t.Fatalf("hush ca status --json = %d, stderr %q", code, stderr)
	}
	var st caStatusJSON
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if st.Path != filepath.Join(home, "ca.pem") || !st.Constrained || len(st.Domains) == 0 ||
		len(st.Stores) != 1 || st.Stores[0].Status != "not installed" || len(st.SHA256) != 95 {
		t.Errorf("status --json = %+v", st)
	}
}

func TestCAUninstallWithoutCA(t *testing.T) {
	home := t.TempDir()
	trust, store := newFakeTrust()
	code, stdout, stderr := runCA(t, []string{"HUSH_HOME=" + home}, trust, "ca", "uninstall")
	if code != exitOK || stdout != "" || !strings.Contains(stderr, "nothing to uninstall") {
		t.Errorf("hush ca uninstall without CA = %d %q %q", code, stdout, stderr)
	}
	if len(store.calls) > 0 {
		t.Errorf("ran %q", store.calls)
	}
	if _, err := os.Stat(filepath.Join(home, "ca.pem")); !errors.Is(err, os.ErrNotExist) {
		t.Error("hush ca uninstall created a CA")
	}
	code, _, stderr = runCA(t, []string{"HUSH_HOME=" + home}, trust, "ca", "status")
	if code != exitError || !strings.Contains(stderr, "hush: hint: hush ca install") {
		t.Errorf("hush ca status without CA = %d %q", code, stderr)
	}
}

func TestCABadTrustStores(t *testing.T) {
	trust, _ := newFakeTrust()
	trust.Env = []string{"HUSH_TRUST_STORES=keychain"}
	code, _, stderr := runCA(t, []string{"HUSH_HOME=" + t.TempDir()}, trust, "ca", "install")
	if code != exitUsage || !strings.Contains(stderr, `unknown store "keychain"`) || !strings.Contains(stderr, "hush: hint: HUSH_TRUST_STORES=system,nss,java hush ca install") {
		t.Errorf("hush ca install with a bad HUSH_TRUST_STORES = %d %q", code, stderr)
	}
}

// TestCAReissue: the new CA replaces the old one on disk and in every trust
// store that trusted the old one.
func TestCAReissue(t *testing.T) {
	home := t.TempDir()
	env := []string{"HUSH_HOME=" + home}
	trust, store := newFakeTrust()
	runCA(t, env, trust, "ca", "install")
	old := loadTestCA(t, home)

	code, stdout, stderr := runCA(t, env, trust, "ca", "reissue", "--domain", "llm.corp.example")
	if code != exitOK || stdout != "" {
		t.Fatalf("hush ca reissue = %d %q, stderr:\n%s", code, stdout, stderr)
	}
	ca := loadTestCA(t, home)
	if ca.Fingerprint() == old.Fingerprint() {
		t.Fatal("reissue kept the old CA")
	}
	if !ca.Permits("api.llm.corp.example") || !ca.Permits("api.openai.com") || ca.Permits("github.com") {
		t.Errorf("new CA domains = %q, want the defaults plus llm.corp.example", ca.Domains())
	}
	wantStderr := []string{"now uninstalled", "new local CA in " + home, "now installed"}
	for _, w := range wantStderr {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr = %q, want %q", stderr, w)
		}
	}
	if got := len(store.trusted); got != 1 || !store.trusted[thumbprint(ca.Certificate().Raw)] {
		t.Errorf("trusted %v, want only the new CA", store.trusted)
	}

	code, _, stderr = runCA(t, env, trust, "ca", "reissue", "--unconstrained")
	if code != exitOK {
		t.Fatalf("hush ca reissue --unconstrained = %d, stderr:\n%s", code, stderr)
	}
	if ca := loadTestCA(t, home); ca.Constrained() || !ca.Permits("127.0.0.1") {
		t.Error("--unconstrained made a constrained CA")
	}
	if !strings.Contains(stderr, "unconstrained: it can sign for any host") {
		t.Errorf("stderr = %q, want the lack of constraints stated", stderr)
	}
}

func loadTestCA(t *testing.T, home string) *certs.CA {
	t.Helper()
	ca, err := certs.Load(filepath.Join(home, "ca.pem"), filepath.Join(home, "ca-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

// TestCANeverPrintsKey runs every command and checks that no output holds
// the key (or its PEM label).
func TestCANeverPrintsKey(t *testing.T) {
	home := t.TempDir()
	env := []string{"HUSH_HOME=" + home}
	trust, _ := newFakeTrust()
	for _, args := range [][]string{
		{"ca", "path"}, {"ca", "install"}, {"ca", "status"}, {"ca", "status", "--json"},
		{"env"}, {"env", "--json"}, {"ca", "reissue"}, {"ca", "uninstall"},
	} {
		_, stdout, stderr := runCA(t, env, trust, args...)
		key, err := os.ReadFile(filepath.Join(home, "ca-key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(key)
		body := base64.StdEncoding.EncodeToString(block.Bytes)
		for _, out := range []string{stdout, stderr} {
			if strings.Contains(out, "PRIVATE KEY") || strings.Contains(out, body[20:60]) {
				t.Errorf("hush %q printed the CA key", args)
			}
		}
	}
}
