// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestLoadOrCreateFresh(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	ca, err := LoadOrCreate(dir, Options{Owner: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ca.CertPath(), filepath.Join(dir, CertFile); got != want {
		t.Errorf("CertPath() = %q, want %q", got, want)
	}
	if runtime.GOOS != "windows" {
		for _, f := range []struct {
			path string
			want os.FileMode
		}{
			{dir, 0o700 | os.ModeDir},
			{filepath.Join(dir, KeyFile), 0o600},
			{filepath.Join(dir, CertFile), 0o644},
		} {
			fi, err := os.Stat(f.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode(); got != f.want {
				t.Errorf("mode of %s = %v, want %v", f.path, got, f.want)
			}
		}
	}

	cert := ca.Certificate()
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Errorf("public key = %T, want ECDSA P-256", cert.PublicKey)
	}
	if !cert.BasicConstraintsValid || !cert.IsCA {
		t.Error("CA certificate lacks CA:TRUE")
	}
	if cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Error("CA certificate cannot sign certificates")
	}
	if !cert.PermittedDNSDomainsCritical {
		t.Error("name constraints are not critical (RFC 5280 says they MUST be)")
	}
	if got, want := cert.PermittedDNSDomains, DefaultDomains(); !slices.Equal(got, want) {
		t.Errorf("permitted DNS domains = %q, want %q", got, want)
	}
	if got := len(cert.ExcludedIPRanges); got != 2 {
		t.Errorf("excluded IP ranges = %v, want all of IPv4 and IPv6", cert.ExcludedIPRanges)
	}
	if got, want := cert.Subject.CommonName, "hush alice@laptop"; got != want {
		t.Errorf("subject CN = %q, want %q", got, want)
	}
	if now := time.Now(); cert.NotBefore.After(now) || cert.NotAfter.Before(now.AddDate(9, 0, 0)) {
		t.Errorf("validity %v to %v, want about ten years from now", cert.NotBefore, cert.NotAfter)
	}

	again, err := LoadOrCreate(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Certificate().Raw, cert.Raw) {
		t.Error("second LoadOrCreate made a new CA, want the existing one")
	}
}

// TestLoadOrCreateConcurrent: first uses that race (several hush processes
// starting at once) must all end with the same CA.
func TestLoadOrCreateConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	const n = 8
	cas := make([]*CA, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { cas[i], errs[i] = LoadOrCreate(dir, Options{}) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("LoadOrCreate #%d: %v", i, errs[i])
		}
		if got, want := cas[i].Fingerprint(), cas[0].Fingerprint(); got != want {
			t.Errorf("LoadOrCreate #%d got CA %s, #0 got %s", i, got, want)
		}
	}
	onDisk, err := Load(filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := onDisk.Fingerprint(), cas[0].Fingerprint(); got != want {
		t.Errorf("CA on disk %s, callers got %s", got, want)
	}
}

func TestLoadOrCreateBrokenStates(t *testing.T) {
	t.Run("certificate without key", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := LoadOrCreate(dir, Options{}); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(dir, KeyFile))
		_, err := LoadOrCreate(dir, Options{})
		if !errors.Is(err, ErrNoKey) {
			t.Errorf("LoadOrCreate = %v, want ErrNoKey", err)
		}
	})
	t.Run("stale key without certificate", func(t *testing.T) {
		dir := t.TempDir()
		first, err := LoadOrCreate(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(dir, CertFile))
		old := time.Now().Add(-time.Minute)
		os.Chtimes(filepath.Join(dir, KeyFile), old, old)
		ca, err := LoadOrCreate(dir, Options{})
		if err != nil {
			t.Fatalf("LoadOrCreate after an interrupted creation: %v", err)
		}
		if ca.Fingerprint() == first.Fingerprint() {
			t.Error("got the old CA back without its certificate file")
		}
	})
	t.Run("garbage", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, CertFile), []byte("not a certificate"), 0o644)
		os.WriteFile(filepath.Join(dir, KeyFile), []byte("not a key"), 0o600)
		if _, err := Load(filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)); !errors.Is(err, ErrInvalidCA) {
			t.Errorf("Load of garbage = %v, want ErrInvalidCA", err)
		}
		if _, err := LoadOrCreate(dir, Options{}); !errors.Is(err, ErrInvalidCA) {
			t.Errorf("LoadOrCreate of garbage = %v, want ErrInvalidCA", err)
		}
	})
}

func TestReissue(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreate(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		opts        Options
		constrained bool
		permits     string
	}{
		{"extra domain", Options{Domains: append(DefaultDomains(), "LLM.Example.com.")}, true, "api.llm.example.com"},
		{"unconstrained", Options{Unconstrained: true}, false, "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ca, err := Reissue(dir, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if ca.Fingerprint() == first.Fingerprint() {
				t.Error("Reissue kept the old CA")
			}
			if got := ca.Constrained(); got != tt.constrained {
				t.Errorf("Constrained() = %v, want %v", got, tt.constrained)
			}
			if !ca.Permits(tt.permits) {
				t.Errorf("Permits(%q) = false, want true", tt.permits)
			}
			loaded, err := LoadOrCreate(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if loaded.Fingerprint() != ca.Fingerprint() {
				t.Error("LoadOrCreate after Reissue does not load the new CA")
			}
		})
	}
}

func TestOptionsDomainsInvalid(t *testing.T) {
	for _, domains := range [][]string{{}, {""}, {"10.0.0.1"}, {"bad domain.com"}, {"-x.com"}} {
		if _, err := Reissue(t.TempDir(), Options{Domains: domains}); err == nil {
			t.Errorf("Options{Domains: %q} made a CA, want an error", domains)
		}
	}
}

// TestLoadForeignCA: a CA made elsewhere (cert-manager, openssl) with an
// RSA key in PKCS #1, as a Kubernetes secret would hold it, still signs
// ECDSA leaves, and Load never writes.
func TestLoadForeignCA(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(42),
		Subject:               pkix.Name{CommonName: "shared CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour * 24),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o444)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o400)
	ca, err := Load(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if ca.Constrained() || !ca.Permits("anything.example") {
		t.Error("an unconstrained foreign CA should permit any host")
	}
	leaf, err := NewLeaves(ca, 0).Get("api.openai.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := leaf.Leaf.PublicKey.(*ecdsa.PublicKey); !ok {
		t.Errorf("leaf key = %T, want ECDSA", leaf.Leaf.PublicKey)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("Load wrote files: %v", entries)
	}

	t.Run("mismatched key", func(t *testing.T) {
		other, err := LoadOrCreate(t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load(other.CertPath(), keyFile); err == nil {
			t.Error("Load with another CA's key succeeded")
		}
	})
	t.Run("not a CA", func(t *testing.T) {
		leafFile := filepath.Join(t.TempDir(), "leaf.pem")
		os.WriteFile(leafFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]}), 0o644)
		if _, err := Load(leafFile, keyFile); err == nil {
			t.Error("Load of a leaf certificate as CA succeeded")
		}
	})
}
