// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package ahocorasick

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

type hit struct{ start, pattern int }

// naive finds every case-insensitive occurrence with bytes.Index.
func naive(in []byte, pats []string) []hit {
	low := asciiLower(in)
	var hits []hit
	for pi, p := range pats {
		lp := asciiLower([]byte(p))
		if len(lp) == 0 {
			continue
		}
		for i := 0; i+len(lp) <= len(low); i++ {
			if bytes.Equal(low[i:i+len(lp)], lp) {
				hits = append(hits, hit{i, pi})
			}
		}
	}
	sortHits(hits, pats)
	return hits
}

func sortHits(h []hit, pats []string) {
	slices.SortFunc(h, func(a, b hit) int {
		ea, eb := a.start+len(pats[a.pattern]), b.start+len(pats[b.pattern])
		if ea != eb {
			return ea - eb
		}
		if a.start != b.start {
			return a.start - b.start
		}
		return a.pattern - b.pattern
	})
}

func matchAll(m *Matcher, in []byte, pats []string) []hit {
	var hits []hit
	m.Match(in, func(s, p int) { hits = append(hits, hit{s, p}) })
	sortHits(hits, pats)
	return hits
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pats []string
		in   string
	}{
		{[]string{"he", "she", "his", "hers"}, "ahishers"},
		{[]string{"ghp_", "GHP_x", "password"}, "x GHP_xyz PassWord ghp_"},
		{[]string{"aaa", "aa", "a"}, "aaaa"},
		{[]string{"-----BEGIN", "BEGIN"}, "-----begin RSA"},
		{[]string{"", "x"}, "xx"},
	}
	for _, tt := range tests {
		m := New(tt.pats)
		got, want := matchAll(m, []byte(tt.in), tt.pats), naive([]byte(tt.in), tt.pats)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pats, tt.in, got, want)
		}
	}
}

func TestMatchRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alpha = "abAB_-01"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(b)
	}
	for range 300 {
		var pats []string
		for range 1 + rng.IntN(12) {
			pats = append(pats, word(1+rng.IntN(5)))
		}
		in := []byte(word(rng.IntN(80)))
		m := New(pats)
		if got, want := matchAll(m, in, pats), naive(in, pats); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Match(%q, %q) = %v, want %v", pats, in, got, want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("ab\x00AB", []byte("xxabABab"))
	f.Fuzz(func(t *testing.T, pats string, in []byte) {
		ps := bytes.Split([]byte(pats), []byte{0})
		var list []string
		for _, p := range ps {
			if len(p) > 0 && len(list) < 20 {
				list = append(list, string(p))
			}
		}
		m := New(list)
		if got, want := matchAll(m, in, list), naive(in, list); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Match(%q, %q) = %v, want %v", list, in, got, want)
		}
	})
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = fold(c)
	}
	return out
}
