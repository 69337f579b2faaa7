// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// forge signs a leaf for host with the CA's key directly, bypassing the
// checks in Leaves, as someone who stole the key would.
func forge(t *testing.T, ca *CA, host string, eku x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := randomSerial()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{eku},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return leaf, key
}

func verify(ca *CA, leaf *x509.Certificate, host string, usage x509.ExtKeyUsage) error {
	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, KeyUsages: []x509.ExtKeyUsage{usage}})
	return err
}

// TestStolenKeyCannotImpersonate is the point of the name constraints: a
// leaf the CA's key signs for any host outside the model APIs is rejected
// by Go's verifier (and by OpenSSL's, which curl, Node and Python use).
func TestStolenKeyCannotImpersonate(t *testing.T) {
	ca, err := LoadOrCreate(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		eku  x509.ExtKeyUsage
		ok   bool
	}{
		{"api.openai.com", x509.ExtKeyUsageServerAuth, true},
		{"api.anthropic.com", x509.ExtKeyUsageServerAuth, true},
		{"generativelanguage.googleapis.com", x509.ExtKeyUsageServerAuth, true},
		{"x.ai", x509.ExtKeyUsageServerAuth, true},
		{"www.mybank.example", x509.ExtKeyUsageServerAuth, false},
		{"registry.npmjs.org", x509.ExtKeyUsageServerAuth, false},
		{"github.com", x509.ExtKeyUsageServerAuth, false},
		{"notopenai.com", x509.ExtKeyUsageServerAuth, false}, // a suffix, not a subdomain
		{"openai.com.evil.example", x509.ExtKeyUsageServerAuth, false},
		{"fox.ai", x509.ExtKeyUsageServerAuth, false}, // x.ai must not cover fox.ai
		{"127.0.0.1", x509.ExtKeyUsageServerAuth, false},
		{"192.168.1.1", x509.ExtKeyUsageServerAuth, false},
		{"::1", x509.ExtKeyUsageServerAuth, false},
		{"api.openai.com", x509.ExtKeyUsageClientAuth, false}, // TLS servers only
		{"api.openai.com", x509.ExtKeyUsageCodeSigning, false},
	}
	for _, tt := range tests {
		leaf, _ := forge(t, ca, tt.host, tt.eku)
		err := verify(ca, leaf, tt.host, tt.eku)
		if (err == nil) != tt.ok {
			t.Errorf("verify leaf for %s (%v): err = %v, want ok = %v", tt.host, tt.eku, err, tt.ok)
		}
		var invalid x509.CertificateInvalidError
		if !tt.ok && tt.eku == x509.ExtKeyUsageServerAuth && (!errors.As(err, &invalid) || invalid.Reason != x509.CANotAuthorizedForThisName) {
			t.Errorf("verify leaf for %s: err = %v, want CANotAuthorizedForThisName", tt.host, err)
		}
		if got := ca.Permits(tt.host); tt.eku == x509.ExtKeyUsageServerAuth && got != tt.ok {
			t.Errorf("Permits(%q) = %v, but Go's verifier says %v", tt.host, got, tt.ok)
		}
		if tt.eku == x509.ExtKeyUsageServerAuth {
			checkOpenSSL(t, ca, leaf, tt.ok)
		}
	}
}

// checkOpenSSL runs openssl verify, when there is an openssl, so the
// constraints are known to hold for the verifier curl, Node and Python use.
func checkOpenSSL(t *testing.T, ca *CA, leaf *x509.Certificate, ok bool) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		return
	}
	file := filepath.Join(t.TempDir(), "leaf.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "verify", "-no-CApath", "-no-CAstore", "-CAfile", ca.CertPath(), "-purpose", "sslserver", file).CombinedOutput()
	if (err == nil) != ok {
		t.Errorf("openssl verify of a leaf for %v%v: %v: %s, want ok = %v", leaf.DNSNames, leaf.IPAddresses, err, out, ok)
	}
}

func TestPermits(t *testing.T) {
	ca, err := Reissue(t.TempDir(), Options{Domains: []string{"example.com", ".sub.test"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want bool
	}{
		{"example.com", true},
		{"EXAMPLE.com.", true},
		{"api.example.com:443", true},
		{"a.b.example.com", true},
		{"sub.test", true}, // cleanDomains drops the leading dot: subtrees include the domain
		{"x.sub.test", true},
		{"badexample.com", false},
		{"example.org", false},
		{"[::1]:443", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ca.Permits(tt.host); got != tt.want {
			t.Errorf("Permits(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
	unconstrained, err := Reissue(t.TempDir(), Options{Unconstrained: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"example.org", "127.0.0.1", "[::1]:8443"} {
		if !unconstrained.Permits(h) {
			t.Errorf("unconstrained Permits(%q) = false, want true", h)
		}
	}
}

func TestUncoveredAndReissueCommand(t *testing.T) {
	ca, err := LoadOrCreate(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		hosts     []string
		uncovered []string
		command   string
	}{
		{
			hosts: []string{"api.openai.com", "chatgpt.com", "*.openai.azure.com", "generativelanguage.googleapis.com", "*.githubcopilot.com"},
		},
		{
			hosts:     []string{"api.openai.com", "llm.corp.example", "*.models.example.net"},
			uncovered: []string{"llm.corp.example", "*.models.example.net"},
			command:   "hush ca reissue --domain llm.corp.example --domain models.example.net",
		},
		{
			hosts:     []string{"10.0.0.7:8443"},
			uncovered: []string{"10.0.0.7:8443"},
			command:   "hush ca reissue --unconstrained",
		},
		{
			hosts:     []string{"*.azure.com"}, // wider than openai.azure.com
			uncovered: []string{"*.azure.com"},
			command:   "hush ca reissue --domain azure.com",
		},
	}
	for _, tt := range tests {
		if got := ca.Uncovered(tt.hosts); !slices.Equal(got, tt.uncovered) {
			t.Errorf("Uncovered(%q) = %q, want %q", tt.hosts, got, tt.uncovered)
		}
		if got := ca.ReissueCommand(tt.hosts); got != tt.command {
			t.Errorf("ReissueCommand(%q) = %q, want %q", tt.hosts, got, tt.command)
		}
	}

	// The command's CA covers what the old one did plus the new hosts.
	custom, err := Reissue(t.TempDir(), Options{Domains: append(DefaultDomains(), "llm.corp.example")})
	if err != nil {
		t.Fatal(err)
	}
	cmd := custom.ReissueCommand([]string{"llm.corp.example", "api.other.example"})
	if want := "hush ca reissue --domain llm.corp.example --domain api.other.example"; cmd != want {
		t.Errorf("ReissueCommand kept the custom domains as %q, want %q", cmd, want)
	}
	if strings.Contains(cmd, "openai.com") {
		t.Errorf("ReissueCommand repeats a default domain: %q", cmd)
	}
}
