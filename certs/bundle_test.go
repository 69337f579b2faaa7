// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWriteBundleSystem: the bundle that SSL_CERT_FILE and friends point
// to holds the system roots (CI installs ca-certificates) and the hush CA.
func TestWriteBundleSystem(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the system-roots count is checked on Linux")
	}
	dir := t.TempDir()
	ca := newTestCA(t, Options{})
	path, err := WriteBundle(dir, ca)
	if errors.Is(err, ErrNoSystemRoots) {
		t.Fatal("no system roots: install them (apt-get install ca-certificates)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if got, want := path, filepath.Join(dir, BundleFile); got != want {
		t.Errorf("WriteBundle = %q, want %q", got, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ders := pemCertificates(data)
	if len(ders) < 101 {
		t.Errorf("bundle holds %d certificates, want the system roots (100+) and the CA", len(ders))
	}
	var hasCA bool
	for _, der := range ders {
		if _, err := x509.ParseCertificate(der); err != nil {
			t.Errorf("bundle holds an unparsable certificate: %v", err)
		}
		hasCA = hasCA || bytes.Equal(der, ca.cert.Raw)
	}
	if !hasCA {
		t.Error("bundle lacks the hush CA")
	}
}

func TestWriteBundleRebuild(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, Options{})
	other := newTestCA(t, Options{})
	roots := [][]byte{other.cert.Raw}
	source := func() ([][]byte, string, error) { return roots, "test roots", nil }
	write := func() (os.FileInfo, []byte) {
		t.Helper()
		path, err := writeBundle(dir, ca, source)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		return fi, data
	}

	first, data := write()
	if got := len(pemCertificates(data)); got != 2 {
		t.Errorf("bundle holds %d certificates, want 2", got)
	}
	if again, _ := write(); !os.SameFile(first, again) {
		t.Error("bundle rewritten although nothing changed")
	}

	// The CA is already among the system roots (hush ca install): once.
	roots = [][]byte{other.cert.Raw, ca.cert.Raw}
	if fi, data := write(); !os.SameFile(first, fi) || len(pemCertificates(data)) != 2 {
		t.Errorf("bundle with the CA among the roots: %d certificates, rewritten %v; want 2, not rewritten",
			len(pemCertificates(data)), !os.SameFile(first, fi))
	}

	// A new system root: rebuilt.
	third := newTestCA(t, Options{})
	roots = append(roots, third.cert.Raw)
	fi, data := write()
	if os.SameFile(first, fi) || len(pemCertificates(data)) != 3 {
		t.Errorf("after a new system root: %d certificates, rewritten %v; want 3, rewritten", len(pemCertificates(data)), !os.SameFile(first, fi))
	}

	// A new CA: rebuilt with it.
	ca = newTestCA(t, Options{})
	_, data = write()
	if !bytes.Contains(data, ca.PEM()) {
		t.Error("bundle not rebuilt for a new CA")
	}
}

func TestFileRoots(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, Options{})
	empty := filepath.Join(dir, "empty.pem")
	os.WriteFile(empty, []byte("# nothing here\n"), 0o644)
	good := filepath.Join(dir, "roots.pem")
	os.WriteFile(good, append([]byte("# comment\n"), ca.PEM()...), 0o644)

	ders, source, err := fileRoots([]string{filepath.Join(dir, "missing.pem"), empty, good})
	if err != nil || source != good || len(ders) != 1 {
		t.Errorf("fileRoots = %d certificates from %q, %v; want 1 from %q", len(ders), source, err, good)
	}
	if _, _, err := fileRoots([]string{empty}); !errors.Is(err, ErrNoSystemRoots) {
		t.Errorf("fileRoots without certificates = %v, want ErrNoSystemRoots", err)
	}
}
