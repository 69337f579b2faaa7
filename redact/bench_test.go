// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	cloudflare "github.com/cloudflare/ahocorasick"

	"github.com/hushproxy/hush/internal/agentreq"
)

// benchSecrets returns n known secrets shaped like real credentials.
func benchSecrets(n int) []KnownSecret {
	rng := rand.New(rand.NewPCG(42, 42))
	ks := make([]KnownSecret, n)
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for i := range ks {
		v := make([]byte, 24+rng.IntN(40))
		for j := range v {
			v[j] = alnum[rng.IntN(len(alnum))]
		}
		ks[i] = KnownSecret{Name: fmt.Sprintf("BENCH_SECRET_%d", i), Value: v}
	}
	return ks
}

func benchRedactor(b testing.TB, known int) *Redactor {
	r, err := New(Options{Known: benchSecrets(known), Key: bytes.Repeat([]byte{1}, KeySize)})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// benchInput is a 1 MiB agent-shaped request with a few planted secrets.
func benchInput(b testing.TB) []byte {
	rng := rand.New(rand.NewPCG(7, 7))
	plant := []string{fakeGitHubPAT(rng), fakeGitHubPAT(rng), string(benchSecrets(200)[17].Value)}
	return agentreq.Generate(1<<20, 1, plant)
}

// BenchmarkRedact1MiB is the engine's throughput on agent traffic, with the
// full rule set and 200 known secrets in every encoding.
func BenchmarkRedact1MiB(b *testing.B) {
	r := benchRedactor(b, 200)
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		r.Redact(in)
	}
}

// BenchmarkIndexBaseline is the physical reference: one bytes.Index scan
// for a literal that does not occur, over the same bytes.
func BenchmarkIndexBaseline(b *testing.B) {
	in := benchInput(b)
	lit := []byte("sk-ant-api03-")
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	at := 0
	for b.Loop() {
		at = bytes.Index(in, lit)
	}
	if at != -1 {
		b.Fatal("literal found")
	}
}

// BenchmarkStreamWriter is the streaming redactor fed in SSE-sized writes.
func BenchmarkStreamWriter(b *testing.B) {
	r := benchRedactor(b, 200)
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		w := r.NewWriter(discard{})
		for i := 0; i < len(in); i += 4096 {
			w.Write(in[i:min(len(in), i+4096)])
		}
		w.Close()
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestEngineHeap reports the heap a Redactor with every rule and 200 known
// secrets in every encoding costs, and holds it under the 64 MiB budget.
func TestEngineHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("measures memory")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := benchRedactor(t, 200)
	runtime.GC()
	runtime.ReadMemStats(&after)
	mib := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	t.Logf("engine heap with %d rules and 200 known secrets: %.1f MiB", len(r.rules), mib)
	if mib > 64 {
		t.Errorf("engine heap = %.1f MiB, want <= 64", mib)
	}
	runtime.KeepAlive(r)
}

// BenchmarkMatcher compares the automaton hush uses with
// github.com/cloudflare/ahocorasick on the same patterns (the Redactor's,
// with 200 known secrets) and the same 1 MiB request. cloudflare's matcher
// is case-sensitive, so it gets the input lowercased ahead of time, which
// it would need in real use and which is not timed here.
func BenchmarkMatcher(b *testing.B) {
	r := benchRedactor(b, 200)
	in := benchInput(b)
	b.Run("hush", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			n := 0
			r.ac.Match(in, func(int, int) { n++ })
		}
	})
	b.Run("cloudflare", func(b *testing.B) {
		cf := cloudflare.NewStringMatcher(r.patterns)
		low := bytes.ToLower(in)
		b.SetBytes(int64(len(in)))
		b.ResetTimer()
		for b.Loop() {
			cf.MatchThreadSafe(low)
		}
	})
}
