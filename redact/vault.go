// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"container/list"
	"sync"
	"time"
)

// Vault maps the placeholders hush issued back to their values. It lives in
// memory only, holds at most a fixed number of entries, and forgets each
// entry a fixed time after it was last issued. Evicted values are zeroed.
// A Vault is safe for concurrent use.
type Vault struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	now     func() time.Time
	lru     *list.List // of *vaultEntry, most recently issued first
	entries map[string]*list.Element
}

type vaultEntry struct {
	placeholder string
	value       []byte // the secret, escapes decoded
	raw         []byte // the bytes it replaced, when they differ from value
	ruleID      string
	known       bool
	expires     time.Time
}

// Vault defaults: enough for a long agent session with many secrets; the
// agent resends its history every turn, which re-learns anything evicted.
const (
	DefaultVaultSize = 100_000
	DefaultVaultTTL  = 24 * time.Hour
)

// NewVault returns a vault holding at most max entries for ttl each.
// Zero values select the defaults.
func NewVault(max int, ttl time.Duration) *Vault {
	if max <= 0 {
		max = DefaultVaultSize
	}
	if ttl <= 0 {
		ttl = DefaultVaultTTL
	}
	return &Vault{max: max, ttl: ttl, now: time.Now, lru: list.New(), entries: map[string]*list.Element{}}
}

// put records placeholder -> value, refreshing its TTL.
func (v *Vault) put(placeholder string, value, raw []byte, ruleID string, known bool) {
	if bytes.Equal(raw, value) {
		raw = nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	exp := v.now().Add(v.ttl)
	if el, ok := v.entries[placeholder]; ok {
		e := el.Value.(*vaultEntry)
		e.expires = exp
		clear(e.raw)
		e.raw = bytes.Clone(raw)
		v.lru.MoveToFront(el)
		return
	}
	e := &vaultEntry{placeholder: placeholder, value: bytes.Clone(value), raw: bytes.Clone(raw), ruleID: ruleID, known: known, expires: exp}
	v.entries[placeholder] = v.lru.PushFront(e)
	for v.lru.Len() > v.max {
		v.remove(v.lru.Back())
	}
}

// get returns the entry for placeholder if it is present and not expired.
// The returned value must not be modified.
func (v *Vault) get(placeholder string) (vaultEntry, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	el, ok := v.entries[placeholder]
	if !ok {
		return vaultEntry{}, false
	}
	e := el.Value.(*vaultEntry)
	if v.now().After(e.expires) {
		v.remove(el)
		return vaultEntry{}, false
	}
	out := *e
	out.value = bytes.Clone(e.value)
	out.raw = bytes.Clone(e.raw)
	return out, true
}

// Len returns the number of entries, expired ones included until touched.
func (v *Vault) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.lru.Len()
}

func (v *Vault) remove(el *list.Element) {
	e := v.lru.Remove(el).(*vaultEntry)
	delete(v.entries, e.placeholder)
	// Go cannot promise the bytes were never copied, but the copy we own
	// is wiped so a later heap dump does not show it.
	clear(e.value)
	clear(e.raw)
}
