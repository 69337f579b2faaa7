// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

var fuzzKnown = "Fuzz-Known-Value-9x"

func fuzzSeeds(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 1))
	pat := fakeGitHubPAT(rng)
	for _, s := range []string{
		"", "plain text", pat, `{"a":"` + pat + `\n"}`, "x=" + fuzzKnown,
		streamInput(rng, fuzzKnown), "hush_github-pat_aaaaaaaaaaaa", "-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----",
		`password = "Tr0ub4dor&3xyz"`, "postgres://user:s3cretPassw0rd@db:5432/app",
	} {
		f.Add([]byte(s), uint16(len(s)/2))
	}
}

// FuzzRedact checks that Redact never panics, that redacting again finds
// nothing (no rule matches a placeholder or what is left), and that
// Rehydrate(Redact(x)) == x.
func FuzzRedact(f *testing.F) {
	fuzzSeeds(f)
	r := testRedactor(f, fuzzKnown)
	f.Fuzz(func(t *testing.T, in []byte, _ uint16) {
		out, fs := r.Redact(in)
		if again := r.Scan(out); len(again) != 0 {
			t.Fatalf("Redact(%q) = %q, which still holds %+v", in, out, again)
		}
		if consistentRaw(in, fs) {
			if back := r.Rehydrate(out); !bytes.Equal(back, in) {
				t.Fatalf("Rehydrate(Redact(%q)) = %q", in, back)
			}
		}
	})
}

// consistentRaw reports whether every placeholder in fs stands for one
// spelling of its value in in: then Rehydrate can restore in exactly.
func consistentRaw(in []byte, fs []Finding) bool {
	seen := map[string]string{}
	for _, f := range fs {
		raw := string(in[f.Start:f.End])
		if prev, ok := seen[f.Placeholder]; ok && prev != raw {
			return false
		}
		seen[f.Placeholder] = raw
	}
	return true
}

// FuzzWriter checks that the streaming writer, split at any point, equals
// one-shot redaction.
func FuzzWriter(f *testing.F) {
	fuzzSeeds(f)
	r := testRedactor(f, fuzzKnown)
	f.Fuzz(func(t *testing.T, in []byte, split uint16) {
		want, _ := r.Redact(in)
		cut := int(split) % (len(in) + 1)
		var buf bytes.Buffer
		w := r.NewWriter(&buf)
		w.Write(in[:cut])
		w.Write(in[cut:])
		w.Close()
		if !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("split %d of %q: got %q, want %q", cut, in, buf.Bytes(), want)
		}
	})
}

// FuzzRehydrator checks that placeholders split anywhere are restored.
func FuzzRehydrator(f *testing.F) {
	fuzzSeeds(f)
	r := testRedactor(f, fuzzKnown)
	f.Fuzz(func(t *testing.T, in []byte, split uint16) {
		red, _ := r.Redact(in)
		cut := int(split) % (len(red) + 1)
		var buf bytes.Buffer
		w := r.NewRehydrator(&buf, nil, nil)
		w.Write(red[:cut])
		w.Write(red[cut:])
		w.Close()
		got, _ := r.RehydrateFunc(red, nil, nil)
		if !bytes.Equal(buf.Bytes(), got) {
			t.Fatalf("split %d of %q: got %q, want %q", cut, red, buf.Bytes(), got)
		}
	})
}
