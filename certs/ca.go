// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package certs is hush's local certificate authority: it creates and loads
// the CA, mints per-host leaf certificates for the proxy (cached in memory),
// installs the CA into the platform's trust stores, and writes the CA bundle
// that runtimes which replace the system roots (SSL_CERT_FILE and the like)
// are pointed at.
//
// # Name constraints
//
// The CA is name-constrained by default (RFC 5280, section 4.2.1.10): it may
// only sign for the DNS subtrees of the model APIs hush intercepts
// ([DefaultDomains]), never for an IP address, and only for TLS servers.
// A verifier that honours constraints (Go, OpenSSL, NSS, macOS, Windows,
// rustls, Java) rejects anything else the key signs, so a stolen CA key
// cannot impersonate a bank or a package registry. [CA.Uncovered] tells
// the proxy which configured hosts fall outside the constraints, and
// [CA.ReissueCommand] gives the command that re-issues a CA covering them.
// [Options.Unconstrained] is the explicit opt-out.
//
// # On disk
//
// [LoadOrCreate] keeps the CA in a directory (HUSH_HOME): ca.pem (0644) and
// ca-key.pem (0600) in a directory created 0700, each written to a temporary
// file and then linked or renamed into place, so no reader ever sees half a
// file. [Load] reads a CA that something else manages, such as a Kubernetes
// secret shared by replicas, and never writes.
package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// File names inside the CA directory (HUSH_HOME).
const (
	CertFile   = "ca.pem"
	KeyFile    = "ca-key.pem"
	BundleFile = "ca-bundle.pem"
)

// caValidity is how long a new CA is valid. Ten years, as mkcert does: the
// CA lives in trust stores, and every re-issue means installing it again
// everywhere (sudo, browser restarts). Apple's 825-day limit applies to TLS
// server certificates, not to roots. What makes a long life acceptable is
// the name constraints, not expiry: a leaked key is useless outside the
// model APIs, and the key never leaves HUSH_HOME.
const caValidity = 10 * 365 * 24 * time.Hour

// caBackdate moves the CA's NotBefore into the past, so that a client whose
// clock runs a little behind accepts a CA created a moment ago.
const caBackdate = time.Hour

// Options say how a new CA is made. They apply only when a CA is created:
// an existing CA is loaded as it is (see [CA.Uncovered]).
type Options struct {
	Domains       []string // permitted DNS subtrees; nil: DefaultDomains()
	Unconstrained bool     // no name constraints (explicit opt-out)
	Owner         string   // user@host named in the subject; "": this process's user and host
}

// DefaultDomains returns the DNS subtrees a new CA may sign for: those of
// the model APIs on the proxy's default intercept list. Each entry permits
// the domain and all its subdomains.
func DefaultDomains() []string {
	return []string{
		"openai.com",
		"chatgpt.com",
		"anthropic.com",
		"googleapis.com",
		"openai.azure.com",
		"githubcopilot.com",
		"mistral.ai",
		"groq.com",
		"deepseek.com",
		"x.ai",
		"openrouter.ai",
		"together.xyz",
		"together.ai",
		"fireworks.ai",
		"cohere.com",
		"cohere.ai",
		"perplexity.ai",
	}
}

// ErrNoKey is returned when the CA certificate exists but its key does not.
var ErrNoKey = errors.New("CA certificate present but its key is missing")

// ErrInvalidCA is returned when the CA files do not hold a usable CA: not
// PEM, not a CA certificate, or a key that does not match it.
var ErrInvalidCA = errors.New("invalid CA")

// CA is a loaded certificate authority. It is immutable and safe for
// concurrent use.
type CA struct {
	cert     *x509.Certificate
	key      crypto.Signer
	certPEM  []byte
	certPath string
}

// LoadOrCreate loads the CA in dir, creating dir (0700) and a new CA (see
// [Options]) when there is none. Concurrent first calls from several
// processes end up with the same CA.
func LoadOrCreate(dir string, opts Options) (*CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating CA directory: %w", err)
	}
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	// Another process may be creating the CA right now (key in place, certificate
	// not yet) or re-issuing it (new key, old certificate for a moment), so a
	// state that does not load is retried for a short while before it is an error.
	var lastErr error
	invalid := 0
	for range 100 {
		ca, err := Load(certPath, keyPath)
		if err == nil {
			return ca, nil
		}
		lastErr = err
		certExists, keyExists := exists(certPath), exists(keyPath)
		switch {
		case errors.Is(err, ErrInvalidCA):
			// A re-issue swaps the files within microseconds; a CA that stays
			// invalid is broken.
			if invalid++; invalid > 5 {
				return nil, err
			}
		case certExists && !keyExists:
			return nil, fmt.Errorf("loading CA from %s: %w", dir, ErrNoKey)
		case !certExists && !keyExists:
			ca, err := create(dir, opts, false)
			if errors.Is(err, fs.ErrExist) {
				continue // another process won the race; load its CA
			}
			return ca, err
		case !certExists && keyExists && stale(keyPath):
			// A creation that died between the two files: the key was never
			// trusted anywhere without its certificate, so start over.
			if err := os.Remove(keyPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("removing incomplete CA key: %w", err)
			}
			continue
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, lastErr
}

// Reissue makes a new CA in dir, replacing the one there (if any). The old
// CA stays in whatever trust stores it was installed in: uninstall it first.
func Reissue(dir string, opts Options) (*CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating CA directory: %w", err)
	}
	return create(dir, opts, true)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// stale reports whether a lone key file is old enough that no process can
// still be creating its certificate.
func stale(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && time.Since(fi.ModTime()) > 5*time.Second
}

// create writes a new CA into dir. Without replace, an existing file makes
// it fail with fs.ErrExist (it links rather than renames, so two processes
// cannot interleave their keys and certificates).
func create(dir string, opts Options, replace bool) (*CA, error) {
	certPEM, keyPEM, err := newCA(opts, time.Now())
	if err != nil {
		return nil, err
	}
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	// The key goes first: a certificate on disk always has its key.
	if err := writeFile(keyPath, keyPEM, 0o600, replace); err != nil {
		return nil, fmt.Errorf("writing CA key: %w", err)
	}
	if err := writeFile(certPath, certPEM, 0o644, replace); err != nil {
		return nil, fmt.Errorf("writing CA certificate: %w", err)
	}
	return Load(certPath, keyPath)
}

// writeFile writes data to path atomically: a temporary file in the same
// directory, synced, then renamed (replace) or hard-linked (no replace,
// failing with fs.ErrExist) into place.
func writeFile(path string, data []byte, perm os.FileMode, replace bool) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		f.Close()
		os.Remove(tmp) // after a rename there is nothing left to remove
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if replace {
		return os.Rename(tmp, path)
	}
	err = os.Link(tmp, path)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// A file system without hard links: fall back to a rename after
		// checking, which leaves only a tiny window for a race.
		if exists(path) {
			return fs.ErrExist
		}
		return os.Rename(tmp, path)
	}
	return err
}

// newCA returns the PEM certificate and PKCS #8 key of a new CA.
func newCA(opts Options, now time.Time) (certPEM, keyPEM []byte, err error) {
	domains := opts.Domains
	if domains == nil {
		domains = DefaultDomains()
	}
	domains, err = cleanDomains(domains)
	if err != nil {
		return nil, nil, err
	}
	owner := opts.Owner
	if owner == "" {
		owner = userAndHost()
	}
	// P-256 rather than RSA: minting a leaf under it costs microseconds, and
	// every TLS stack hush cares about accepts it.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generating CA key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			Organization:       []string{"hush local CA"},
			OrganizationalUnit: []string{owner},
			CommonName:         "hush " + owner,
		},
		NotBefore:             now.Add(-caBackdate),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		// No intermediates: everything this CA signs is a leaf.
		MaxPathLen:     0,
		MaxPathLenZero: true,
	}
	if !opts.Unconstrained {
		// RFC 5280 says name constraints MUST be critical. Only the listed
		// subtrees, no IP address at all, and (through the EKU, which Go, NSS
		// and macOS apply along the chain) only TLS server certificates, so
		// the key cannot sign for e-mail or code either.
		tmpl.PermittedDNSDomainsCritical = true
		tmpl.PermittedDNSDomains = domains
		tmpl.ExcludedIPRanges = []*net.IPNet{
			{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)},
			{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)},
		}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, fmt.Errorf("creating CA certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding CA key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

// cleanDomains lowercases the domains, drops a leading "*." or "." (a
// constraint always covers the subtree), removes duplicates and rejects
// anything that is not a DNS name.
func cleanDomains(in []string) ([]string, error) {
	var out []string
	for _, d := range in {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		d = strings.TrimPrefix(strings.TrimPrefix(d, "*"), ".")
		if !validDomain(d) {
			return nil, fmt.Errorf("name constraint %q: not a DNS domain", d)
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("name constraints: no domain given (use Unconstrained to opt out)")
	}
	return out, nil
}

func validDomain(d string) bool {
	if d == "" || len(d) > 253 || net.ParseIP(d) != nil {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func userAndHost() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return name + "@" + host
}

// randomSerial returns a random positive 128-bit serial number, as the CA/B
// Forum asks (at least 64 bits of randomness).
func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("generating serial number: %w", err)
	}
	return serial.Add(serial, big.NewInt(1)), nil
}

// Load reads a CA certificate and key that something else manages, such as
// a Kubernetes secret mounted into every replica so that they all share one
// CA. It never writes. The key may be PKCS #8, SEC 1 (EC) or PKCS #1 (RSA);
// leaves are ECDSA P-256 whatever the CA's key is.
func Load(certFile, keyFile string) (*CA, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("loading CA: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading CA: %w", err)
	}
	ca, err := parseCA(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("loading CA from %s: %w: %w", certFile, ErrInvalidCA, err)
	}
	ca.certPath = certFile
	return ca, nil
}

func parseCA(certPEM, keyPEM []byte) (*CA, error) {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("no CERTIFICATE PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	if !cert.BasicConstraintsValid || !cert.IsCA {
		return nil, errors.New("certificate is not a CA (no CA:TRUE)")
	}
	key, err := parseKey(keyPEM)
	if err != nil {
		return nil, err
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, errors.New("key does not match certificate")
	}
	return &CA{
		cert:    cert,
		key:     key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
	}, nil
}

func parseKey(keyPEM []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return nil, errors.New("no PEM block in key file")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("key file: unexpected PEM block %q", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("parsing key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("key type %T cannot sign", key)
	}
	return signer, nil
}

// Certificate returns the CA certificate.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// CertPath returns the path of the CA certificate file.
func (ca *CA) CertPath() string { return ca.certPath }

// PEM returns the CA certificate, PEM-encoded.
func (ca *CA) PEM() []byte { return slices.Clone(ca.certPEM) }

// TLSCertificate returns the CA as a tls.Certificate, for APIs that sign
// their own leaves (goproxy's TLSConfigFromCA).
func (ca *CA) TLSCertificate() *tls.Certificate {
	return &tls.Certificate{Certificate: [][]byte{ca.cert.Raw}, PrivateKey: ca.key, Leaf: ca.cert}
}

// Fingerprint returns the SHA-256 of the CA certificate, upper-case hex
// with colons, as browsers and keytool show it.
func (ca *CA) Fingerprint() string {
	sum := sha256.Sum256(ca.cert.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// ID is a short name for this CA (16 hex digits of its SHA-256), used to
// name it in trust stores so that two CAs never collide.
func (ca *CA) ID() string {
	sum := sha256.Sum256(ca.cert.Raw)
	return hex.EncodeToString(sum[:8])
}
