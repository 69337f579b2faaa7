// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Placeholder format (see the package doc):
//
//	hush_<kind>_<id><check>
//
// kind is the rule's kind ([a-z0-9-], at most 32 bytes), id is 10 base32
// characters of HMAC-SHA256(key, value) and check is 2 base32 characters of
// HMAC-SHA256(key, kind and id). Only [a-z0-9_-] appear, so a placeholder is
// safe unquoted in shell, URLs, JSON and YAML, and it is a single "word" to
// tokenizers, so models copy it faithfully.
const (
	placeholderPrefix = "hush_"
	idLen             = 10
	checkLen          = 2
	maxKindLen        = 32
	// maxPlaceholderLen is the longest placeholder: what a streaming
	// rehydrator may have to hold back.
	maxPlaceholderLen = len(placeholderPrefix) + maxKindLen + 1 + idLen + checkLen
)

var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// KeySize is the size of the placeholder key.
const KeySize = 32

// keyFile is the placeholder key's name in HUSH_HOME.
const keyFile = "placeholder.key"

// placeholders derives placeholders and fingerprints under one key.
type placeholders struct{ key []byte }

func (p placeholders) mac(domain string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(domain))
	for _, b := range parts {
		m.Write([]byte{0})
		m.Write(b)
	}
	return m.Sum(nil)
}

// make returns the placeholder for value of the given kind. It is
// deterministic: the same key, kind and value give the same placeholder on
// every turn and across restarts, so providers' prompt caches keep hitting.
func (p placeholders) make(kind string, value []byte) string {
	id := b32.EncodeToString(p.mac("hush/id/v1", value))[:idLen]
	return placeholderPrefix + kind + "_" + id + p.check(kind, id)
}

func (p placeholders) check(kind, id string) string {
	return b32.EncodeToString(p.mac("hush/check/v1", []byte(kind), []byte(id)))[:checkLen]
}

// verify reports whether ph is well formed and carries a valid check, that
// is, whether hush could have issued it under this key.
func (p placeholders) verify(ph string) bool {
	kind, id, sum, ok := parsePlaceholder(ph)
	return ok && hmac.Equal([]byte(p.check(kind, id)), []byte(sum))
}

// fingerprint identifies a value in audit logs without revealing it.
func (p placeholders) fingerprint(value []byte) string {
	return hex.EncodeToString(p.mac("hush/fingerprint/v1", value)[:8])
}

// parsePlaceholder splits a placeholder into kind, id and check.
func parsePlaceholder(s string) (kind, id, sum string, ok bool) {
	n := placeholderLen(s)
	if n != len(s) {
		return "", "", "", false
	}
	tail := s[len(s)-idLen-checkLen:]
	return s[len(placeholderPrefix) : len(s)-idLen-checkLen-1], tail[:idLen], tail[idLen:], true
}

// placeholderLen returns the length of the placeholder that starts s, or 0.
func placeholderLen(s string) int {
	if len(s) < len(placeholderPrefix) || s[:len(placeholderPrefix)] != placeholderPrefix {
		return 0
	}
	// The kind may contain '-' but not '_', so the next '_' ends it.
	i := len(placeholderPrefix)
	for ; i < len(s) && i-len(placeholderPrefix) <= maxKindLen; i++ {
		c := s[i]
		if c == '_' {
			break
		}
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return 0
		}
	}
	if i == len(placeholderPrefix) || i-len(placeholderPrefix) > maxKindLen || i >= len(s) || s[i] != '_' {
		return 0
	}
	i++
	for j := 0; j < idLen+checkLen; j++ {
		if i+j >= len(s) || !isB32(s[i+j]) {
			return 0
		}
	}
	// The tail has a fixed length, so a placeholder glued to other word
	// bytes (a known value inside a longer string) is still found; the
	// check and the vault tell a real one from a look-alike.
	return i + idLen + checkLen
}

func isB32(c byte) bool { return c >= 'a' && c <= 'z' || c >= '2' && c <= '7' }

// Verify reports whether placeholder is well formed and carries a check
// made with this Redactor's key, whether or not the vault still holds it:
// false means it was invented or mutated, not merely forgotten.
func (r *Redactor) Verify(placeholder string) bool { return r.ph.verify(placeholder) }

// IsPlaceholder reports whether s has the shape of a hush placeholder. It
// does not tell whether this hush issued it; see [Redactor.Issued].
func IsPlaceholder(s string) bool { return placeholderLen(s) == len(s) && len(s) > 0 }

// LoadOrCreateKey returns the placeholder key in dir, creating it (0600,
// written atomically) on first use. The same key must be shared by every
// replica that should issue the same placeholders.
func LoadOrCreateKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, keyFile)
	key, err := LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key = make([]byte, KeySize)
	rand.Read(key)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := writeFileAtomic(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("writing placeholder key: %w", err)
	}
	return key, nil
}

// LoadKey reads a placeholder key file: 64 hex digits.
func LoadKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading placeholder key: %w", err)
	}
	key, err := hex.DecodeString(string(trimSpace(data)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("reading placeholder key %s: want %d hex digits", path, 2*KeySize)
	}
	return key, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// writeFileAtomic writes data to a temp file in the same directory and
// renames it into place, so a crash never leaves a half-written key.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
