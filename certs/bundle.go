// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"bytes"
	"crypto/sha256"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// systemBundles are the files where Unix systems keep their roots, in the
// order Go's crypto/x509 tries them (root_linux.go, root_bsd.go), plus
// macOS's.
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
	"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
	"/etc/ssl/ca-bundle.pem",                            // openSUSE
	"/etc/pki/tls/cacert.pem",                           // OpenELEC
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
	"/etc/ssl/cert.pem",                                 // Alpine, macOS, OpenBSD
	"/usr/local/etc/ssl/cert.pem",                       // FreeBSD
	"/usr/local/share/certs/ca-root-nss.crt",            // FreeBSD, DragonFly
	"/etc/openssl/certs/ca-certificates.crt",            // NetBSD
}

// WriteBundle writes dir/ca-bundle.pem: the system's root certificates
// followed by the CA, for the variables that replace a runtime's roots
// rather than add to them (SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
// CURL_CA_BUNDLE, GIT_SSL_CAINFO, AWS_CA_BUNDLE). The file is rewritten
// only when its content would change, that is when the system roots or the
// CA did. It returns the bundle's path.
func WriteBundle(dir string, ca *CA) (path string, err error) {
	return writeBundle(dir, ca, systemRoots)
}

func writeBundle(dir string, ca *CA, roots func() ([][]byte, string, error)) (string, error) {
	ders, source, err := roots()
	if err != nil {
		return "", fmt.Errorf("writing CA bundle: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# hush CA bundle: the system roots (%s) and the hush CA.\n", source)
	b.WriteString("# Rebuilt by hush whenever either changes; edits are lost.\n")
	seen := make(map[[32]byte]bool)
	for _, der := range append(ders, ca.cert.Raw) {
		sum := sha256.Sum256(der)
		if seen[sum] {
			continue // the CA may already be among the system roots
		}
		seen[sum] = true
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	path := filepath.Join(dir, BundleFile)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b.Bytes()) {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("writing CA bundle: %w", err)
	}
	if err := writeFile(path, b.Bytes(), 0o644, true); err != nil {
		return "", fmt.Errorf("writing CA bundle: %w", err)
	}
	return path, nil
}

// ErrNoSystemRoots is returned when no system root bundle can be found.
var ErrNoSystemRoots = errors.New("no system root certificates found")

// systemRoots returns the DER of the system's root certificates and where
// they came from.
func systemRoots() ([][]byte, string, error) {
	if runtime.GOOS == "windows" {
		return windowsRoots()
	}
	return fileRoots(systemBundles)
}

// fileRoots reads the first of files that exists and holds certificates.
func fileRoots(files []string) ([][]byte, string, error) {
	for _, f := range files {
		data, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("reading system roots: %w", err)
		}
		if ders := pemCertificates(data); len(ders) > 0 {
			return ders, f, nil
		}
	}
	return nil, "", ErrNoSystemRoots
}

// pemCertificates returns the DER of every CERTIFICATE block in data,
// skipping comments and other blocks.
func pemCertificates(data []byte) [][]byte {
	var ders [][]byte
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return ders
		}
		if block.Type == "CERTIFICATE" {
			ders = append(ders, block.Bytes)
		}
	}
}
