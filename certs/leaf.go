// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"container/list"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Leaf validity. The leaves live only in the proxy's memory and are minted
// in microseconds, so they can be short-lived: a week, far below Apple's
// 825-day limit for TLS server certificates and the CA/B Forum's 398 days.
// They are backdated an hour, so that a client whose clock runs behind (a
// VM resumed from sleep, a container with a drifting clock) accepts a leaf
// minted a moment ago, and renewed a day before they expire, so that a
// client whose clock runs ahead does not see an expired one.
const (
	leafValidity = 7 * 24 * time.Hour
	leafBackdate = time.Hour
	leafRenew    = 24 * time.Hour
)

// DefaultLeaves is the number of leaf certificates [Leaves] keeps when
// NewLeaves is given no size. Agents talk to a handful of hosts; this is
// room for a busy shared proxy.
const DefaultLeaves = 1024

// ErrNotPermitted is returned for a host outside the CA's name
// constraints: every client would reject a certificate for it.
var ErrNotPermitted = errors.New("host is outside the CA's name constraints")

// Leaves mints leaf certificates for hosts and keeps the most recently used
// ones in memory (least recently used goes first). Concurrent first
// requests for the same host mint one certificate. It is safe for
// concurrent use.
type Leaves struct {
	ca      *CA
	size    int
	now     func() time.Time
	onIssue atomic.Pointer[func()]

	mu      sync.Mutex
	entries map[string]*list.Element // host -> *leafEntry in order
	order   *list.List               // front: most recently used
	flights map[string]*flight       // hosts being minted right now
}

type leafEntry struct {
	host    string
	cert    *tls.Certificate
	renewAt time.Time
}

// flight is one minting in progress; waiters block on done.
type flight struct {
	done chan struct{}
	cert *tls.Certificate
	err  error
}

// NewLeaves returns a cache of at most size leaves signed by ca; size <= 0
// means [DefaultLeaves].
func NewLeaves(ca *CA, size int) *Leaves {
	if size <= 0 {
		size = DefaultLeaves
	}
	return &Leaves{
		ca:      ca,
		size:    size,
		now:     time.Now,
		entries: make(map[string]*list.Element),
		order:   list.New(),
		flights: make(map[string]*flight),
	}
}

// OnIssue sets a function called after each newly minted certificate (not
// after a cache hit), for hush_certificates_issued_total. It replaces any
// earlier one; nil removes it.
func (l *Leaves) OnIssue(fn func()) {
	if fn == nil {
		l.onIssue.Store(nil)
		return
	}
	l.onIssue.Store(&fn)
}

// Get returns a certificate for host (a DNS name or IP address, optionally
// with a port), from the cache or newly minted. It fails with
// [ErrNotPermitted] for a host outside the CA's name constraints.
func (l *Leaves) Get(host string) (*tls.Certificate, error) {
	host = normalizeHost(host)
	if host == "" {
		return nil, errors.New("minting certificate: empty host name")
	}
	now := l.now()
	l.mu.Lock()
	if el, ok := l.entries[host]; ok {
		e := el.Value.(*leafEntry)
		if now.Before(e.renewAt) {
			l.order.MoveToFront(el)
			l.mu.Unlock()
			return e.cert, nil
		}
	}
	if f, ok := l.flights[host]; ok {
		l.mu.Unlock()
		<-f.done
		return f.cert, f.err
	}
	f := &flight{done: make(chan struct{})}
	l.flights[host] = f
	l.mu.Unlock()

	f.cert, f.err = l.ca.mint(host, now)

	l.mu.Lock()
	delete(l.flights, host)
	if f.err == nil {
		l.store(host, f.cert, now)
	}
	l.mu.Unlock()
	close(f.done)
	if f.err != nil {
		return nil, f.err
	}
	if fn := l.onIssue.Load(); fn != nil {
		(*fn)()
	}
	return f.cert, nil
}

// store adds or replaces host's entry and evicts beyond the size. l.mu is held.
func (l *Leaves) store(host string, cert *tls.Certificate, now time.Time) {
	e := &leafEntry{host: host, cert: cert, renewAt: cert.Leaf.NotAfter.Add(-leafRenew)}
	if now.After(e.renewAt) {
		// A leaf cut short by the CA's own expiry: keep it until it expires.
		e.renewAt = cert.Leaf.NotAfter
	}
	if el, ok := l.entries[host]; ok {
		el.Value = e
		l.order.MoveToFront(el)
		return
	}
	l.entries[host] = l.order.PushFront(e)
	for l.order.Len() > l.size {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.entries, oldest.Value.(*leafEntry).host)
	}
}

// Len returns the number of cached leaves.
func (l *Leaves) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// Fetch is [Leaves.Get] in the shape of goproxy's CertStorage interface.
// It ignores gen: goproxy's generator would mint RSA leaves outside the
// cache.
func (l *Leaves) Fetch(host string, gen func() (*tls.Certificate, error)) (*tls.Certificate, error) {
	return l.Get(host)
}

// GetCertificate is [Leaves.Get] for the client's SNI, for use as
// tls.Config.GetCertificate.
func (l *Leaves) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if hello.ServerName == "" {
		return nil, errors.New("minting certificate: client sent no server name (SNI)")
	}
	return l.Get(hello.ServerName)
}

// mint signs a new leaf for host, which is already normalized.
func (ca *CA) mint(host string, now time.Time) (*tls.Certificate, error) {
	if !ca.Permits(host) {
		return nil, fmt.Errorf("minting certificate for %q: %w", host, ErrNotPermitted)
	}
	notBefore, notAfter := now.Add(-leafBackdate), now.Add(leafValidity)
	if notBefore.Before(ca.cert.NotBefore) {
		notBefore = ca.cert.NotBefore
	}
	if notAfter.After(ca.cert.NotAfter) {
		notAfter = ca.cert.NotAfter
	}
	if !now.Before(notAfter) {
		return nil, fmt.Errorf("minting certificate for %q: the CA expired on %s", host, ca.cert.NotAfter.Format(time.DateOnly))
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("minting certificate for %q: %w", host, err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"hush"}, CommonName: host},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		return nil, fmt.Errorf("minting certificate for %q: %w", host, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("minting certificate for %q: %w", host, err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
