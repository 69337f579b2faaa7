// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Auth is proxy authentication, which hush requires before it listens
// beyond loopback (corporate egress mode): an open proxy on a network
// would let anyone reach anything the proxy can, in the proxy's name.
//
// A client authenticates with Proxy-Authorization: Basic against an
// htpasswd file, or with a TLS client certificate that the proxy
// listener verified (see [ListenerTLS]). The identity, the user name or
// the certificate's subject CN, goes into the audit log and keys the
// client's [Limits]; it never becomes a metric label.
//
// CONNECTs, absolute-URL requests and base-URL requests are all checked.
// Requests inside a MITM'd tunnel belong to the CONNECT that opened it.
type Auth struct {
	// Htpasswd checks Basic credentials. nil: Basic is not accepted.
	Htpasswd *Htpasswd
	// ClientCerts accepts a verified TLS client certificate, whose
	// subject CN is the user. The listener's TLS config does the
	// verifying; a request over plain TCP never has one.
	ClientCerts bool
}

// Realm is the Basic realm hush announces in Proxy-Authenticate.
const Realm = "hush"

// client is who sent a request: an authenticated user, or else the
// remote IP. It keys the limits.
type client struct {
	user string // "" when unauthenticated
	ip   string
}

// key is the client as the limits count it.
func (c *client) key() string {
	if c.user != "" {
		return "user:" + c.user
	}
	return "ip:" + c.ip
}

type clientKey struct{}

func withClient(ctx context.Context, c *client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

func clientFrom(ctx context.Context) *client {
	c, _ := ctx.Value(clientKey{}).(*client)
	return c
}

// User returns the authenticated user of a request that hush admitted,
// or "" when the proxy has no authentication.
func User(ctx context.Context) string {
	if c := clientFrom(ctx); c != nil {
		return c.user
	}
	return ""
}

// authenticate returns the client of r. ok is false when a is set and r
// carries no valid credentials.
func (a *Auth) authenticate(r *http.Request) (c *client, ok bool) {
	c = &client{ip: remoteIP(r.RemoteAddr)}
	if a == nil {
		return c, true
	}
	if a.ClientCerts && r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
		if cn := r.TLS.VerifiedChains[0][0].Subject.CommonName; cn != "" {
			c.user = cn
			return c, true
		}
	}
	if a.Htpasswd == nil {
		return c, false
	}
	user, pass, ok := basicAuth(r.Header.Get("Proxy-Authorization"))
	if !ok || !a.Htpasswd.Check(user, pass) {
		return c, false
	}
	c.user = user
	return c, true
}

// basicAuth parses "Basic base64(user:password)" (RFC 7617).
func basicAuth(h string) (user, pass string, ok bool) {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	user, pass, ok = strings.Cut(string(raw), ":")
	return user, pass, ok && user != ""
}

func remoteIP(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// Htpasswd holds the bcrypt entries of an Apache htpasswd file
// (htpasswd -B writes them, as $2y$; $2a$ and $2b$ are accepted too).
// Other schemes (MD5 $apr1$, SHA-1 {SHA}, crypt) are refused when the
// file is loaded: they are fast to brute-force.
//
// bcrypt is slow on purpose, and clients send their credentials with
// every CONNECT and base-URL request, so the result of a check is
// remembered (under a SHA-256 of user and password, never the password)
// for the life of the Htpasswd: the file cannot change under it, and a
// reload starts afresh. A misconfigured agent retrying wrong
// credentials in a loop therefore costs one bcrypt run, not one per
// try. Concurrent checks of the same credentials share one run.
// Htpasswd is safe for concurrent use.
type Htpasswd struct {
	users map[string][]byte
	dummy []byte // compared against for unknown users, so their timing matches

	mu       sync.Mutex
	known    map[[32]byte]bool // checked credentials: whether they were right
	inflight map[[32]byte]*check
}

type check struct {
	done chan struct{}
	ok   bool
}

// maxRemembered bounds the remembered credentials; past it, they are
// forgotten at once and checked again.
const maxRemembered = 4096

// LoadHtpasswd reads an htpasswd file.
func LoadHtpasswd(path string) (*Htpasswd, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading htpasswd: %w", err)
	}
	h, err := ParseHtpasswd(data)
	if err != nil {
		return nil, fmt.Errorf("htpasswd %s: %w", path, err)
	}
	return h, nil
}

// ParseHtpasswd parses htpasswd lines: "user:$2y$cost$...". Blank lines
// and lines starting with # are skipped. A file without any user is an
// error: it would lock everyone out.
func ParseHtpasswd(data []byte) (*Htpasswd, error) {
	h := &Htpasswd{users: map[string][]byte{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	cost := bcrypt.DefaultCost
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return nil, fmt.Errorf("line %d: want user:hash", n)
		}
		if !strings.HasPrefix(hash, "$2y$") && !strings.HasPrefix(hash, "$2a$") && !strings.HasPrefix(hash, "$2b$") {
			return nil, fmt.Errorf("line %d: user %q: only bcrypt entries are accepted; make them with htpasswd -B", n, user)
		}
		c, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return nil, fmt.Errorf("line %d: user %q: %w", n, user, err)
		}
		if _, dup := h.users[user]; dup {
			return nil, fmt.Errorf("line %d: user %q appears twice", n, user)
		}
		h.users[user], cost = []byte(hash), c
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(h.users) == 0 {
		return nil, errors.New("no users; add one with htpasswd -B FILE USER")
	}
	var pw [16]byte
	rand.Read(pw[:])
	dummy, err := bcrypt.GenerateFromPassword(pw[:], cost)
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

// Len returns the number of users.
func (h *Htpasswd) Len() int { return len(h.users) }

// Check reports whether password is user's.
func (h *Htpasswd) Check(user, password string) bool {
	sum := sha256.Sum256([]byte(strconv.Itoa(len(user)) + ":" + user + ":" + password))
	h.mu.Lock()
	if ok, seen := h.known[sum]; seen {
		h.mu.Unlock()
		return ok
	}
	if c, ok := h.inflight[sum]; ok {
		h.mu.Unlock()
		<-c.done
		return c.ok
	}
	c := &check{done: make(chan struct{})}
	if h.inflight == nil {
		h.inflight = map[[32]byte]*check{}
	}
	h.inflight[sum] = c
	h.mu.Unlock()

	hash, known := h.users[user]
	if !known {
		hash = h.dummy
	}
	c.ok = bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && known

	h.mu.Lock()
	delete(h.inflight, sum)
	if h.known == nil || len(h.known) >= maxRemembered {
		h.known = map[[32]byte]bool{}
	}
	h.known[sum] = c.ok
	h.mu.Unlock()
	close(c.done)
	return c.ok
}

// ListenerTLS is the TLS config of a proxy listener that speaks TLS (an
// HTTPS proxy): its certificate, and when clientCAFile is set, client
// certificates verified against that CA. requireCert makes a verified
// certificate mandatory (mTLS as the only authentication); without it a
// client may instead send Basic credentials. The listener speaks
// HTTP/1.1 only: CONNECT needs a connection to take over.
func ListenerTLS(certFile, keyFile, clientCAFile string, requireCert bool) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the listener's TLS certificate: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
	if clientCAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(clientCAFile)
	if err != nil {
		return nil, fmt.Errorf("reading the client CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("client CA %s: no PEM certificate found", clientCAFile)
	}
	cfg.ClientCAs = pool
	cfg.ClientAuth = tls.VerifyClientCertIfGiven
	if requireCert {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}
