// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hushproxy/hush/internal/agentreq"
)

// fakeGitHubPAT returns a GitHub classic PAT with a valid checksum, made at
// run time so that no realistic token is committed.
func fakeGitHubPAT(rng *rand.Rand) string { return agentreq.FakeGitHubPAT(rng) }

func testRedactor(t testing.TB, known ...string) *Redactor {
	t.Helper()
	var ks []KnownSecret
	for i, k := range known {
		ks = append(ks, KnownSecret{Name: fmt.Sprintf("TEST_SECRET_%d", i), Value: []byte(k)})
	}
	r, err := New(Options{Known: ks, Key: bytes.Repeat([]byte{7}, KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRedactFindsSecretsInEveryEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pat := fakeGitHubPAT(rng)
	known := "kN0wn-v4lue/with+chars\"and\\more"
	r := testRedactor(t, known)
	jsonEsc, _ := json.Marshal(known)
	tests := []struct {
		name, in string
		gone     []string // must not survive
	}{
		{"raw token", "token: " + pat + "\n", []string{pat}},
		{"token in JSON", `{"a":"x ` + pat + `\ny"}`, []string{pat}},
		{"known raw", "v=" + known + ";", []string{known}},
		{"known json-escaped", `{"v":` + string(jsonEsc) + `}`, []string{known, string(jsonEsc[1 : len(jsonEsc)-1])}},
		{"known url-encoded", "https://x.example/?k=" + url.QueryEscape(known), []string{url.QueryEscape(known)}},
		{"known hex", "dump " + hex.EncodeToString([]byte(known)), []string{hex.EncodeToString([]byte(known))}},
		{"known hex upper", "dump " + strings.ToUpper(hex.EncodeToString([]byte(known))), []string{strings.ToUpper(hex.EncodeToString([]byte(known)))}},
	}
	for k := 0; k < 3; k++ {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			blob := enc.EncodeToString([]byte(strings.Repeat("u", k) + "user:" + known + "@tail"))
			tests = append(tests, struct {
				name, in string
				gone     []string
			}{
				fmt.Sprintf("known base64 align %d", k), "Authorization: Basic " + blob + "\n", []string{blob}})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, fs := r.Redact([]byte(tt.in))
			if len(fs) == 0 {
				t.Fatalf("Redact(%q): no findings", tt.in)
			}
			for _, g := range tt.gone {
				if bytes.Contains(out, []byte(g)) {
					t.Errorf("Redact(%q) = %q, still holds %q", tt.in, out, g)
				}
			}
			if back := r.Rehydrate(out); string(back) != tt.in {
				t.Errorf("Rehydrate(Redact(%q)) = %q", tt.in, back)
			}
			back, _ := r.RehydrateFunc(out, nil, nil)
			if strings.HasPrefix(tt.in, "{") {
				back, _ = r.RehydrateFunc(out, nil, jsonEscape)
			}
			if string(back) != tt.in {
				t.Errorf("Rehydrate(Redact(%q)) = %q", tt.in, back)
			}
		})
	}
}

func TestRedactKeepsOtherBytes(t *testing.T) {
	r := testRedactor(t)
	pat := fakeGitHubPAT(rand.New(rand.NewPCG(3, 4)))
	in := `{"k": [1, 2.50, "a\u00e9b"],   "t":"` + pat + `"}`
	out, fs := r.Redact([]byte(in))
	if len(fs) != 1 {
		t.Fatalf("findings = %d, want 1", len(fs))
	}
	want := `{"k": [1, 2.50, "a\u00e9b"],   "t":"` + fs[0].Placeholder + `"}`
	if string(out) != want {
		t.Errorf("Redact = %q, want %q", out, want)
	}
	if !json.Valid(out) {
		t.Errorf("output is not valid JSON: %q", out)
	}
}

func TestRedactLeftmostLongest(t *testing.T) {
	// A known value that contains a token: the longer, known one wins.
	pat := fakeGitHubPAT(rand.New(rand.NewPCG(5, 6)))
	long := "prefix-" + pat + "-suffix"
	r := testRedactor(t, long)
	_, fs := r.Redact([]byte("x " + long + " y"))
	if len(fs) != 1 || fs[0].RuleID != KnownRuleID || fs[0].End-fs[0].Start != len(long) {
		t.Fatalf("findings = %+v, want one known finding of length %d", fs, len(long))
	}
}

func TestPlaceholders(t *testing.T) {
	r := testRedactor(t, "first-known-value-1")
	out1, fs := r.Redact([]byte("a first-known-value-1 b"))
	out2, _ := r.Redact([]byte("a first-known-value-1 b"))
	if string(out1) != string(out2) {
		t.Fatalf("placeholders differ between calls: %q, %q", out1, out2)
	}
	ph := fs[0].Placeholder
	if !IsPlaceholder(ph) || !r.Issued(ph) {
		t.Fatalf("placeholder %q: IsPlaceholder=%v Issued=%v", ph, IsPlaceholder(ph), r.Issued(ph))
	}
	// The same key in a new Redactor gives the same placeholder: stable
	// across restarts.
	r2 := testRedactor(t, "first-known-value-1")
	if out3, _ := r2.Redact([]byte("a first-known-value-1 b")); string(out3) != string(out1) {
		t.Errorf("placeholder not stable across Redactors: %q vs %q", out3, out1)
	}
	// Every single-character mutation is refused.
	for i := len(placeholderPrefix); i < len(ph); i++ {
		for _, c := range []byte("a2z7-") {
			if c == ph[i] {
				continue
			}
			m := []byte(ph)
			m[i] = c
			if r.Issued(string(m)) {
				t.Errorf("mutated placeholder %q accepted", m)
			}
		}
	}
	// Redacting a placeholder finds nothing: no rule matches one.
	if _, fs := r.Redact([]byte("password=" + ph + " token: " + ph)); len(fs) != 0 {
		t.Errorf("Redact(placeholder) found %+v", fs)
	}
}

func TestRehydrateOnlyIssued(t *testing.T) {
	r := testRedactor(t)
	pat := fakeGitHubPAT(rand.New(rand.NewPCG(7, 8)))
	out, fs := r.Redact([]byte(pat))
	forged := "hush_github-pat_aaaaaaaaaaaa"
	in := string(out) + " " + forged
	got := string(r.Rehydrate([]byte(in)))
	if got != pat+" "+forged {
		t.Errorf("Rehydrate = %q, want the token and the forged placeholder untouched", got)
	}
	// A valid-looking placeholder from another key is not ours.
	other := testRedactorKey(t, 9)
	if other.Issued(fs[0].Placeholder) {
		t.Errorf("another key's redactor accepts %q", fs[0].Placeholder)
	}
}

func testRedactorKey(t *testing.T, b byte) *Redactor {
	r, err := New(Options{Key: bytes.Repeat([]byte{b}, KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func streamInput(rng *rand.Rand, known string) string {
	pat := fakeGitHubPAT(rng)
	b64 := base64.StdEncoding.EncodeToString([]byte("u:" + known))
	return `{"messages":[{"role":"user","content":"here: ` + pat + `\nand ` + known +
		` and basic ` + b64 + ` done"}],"x":"hush_github-pat_notaplacehold ` + pat + `"}` + "\ntail " + known
}

func TestWriterEqualsRedactAtEverySplit(t *testing.T) {
	known := "Stream-Known-Secret-42"
	r := testRedactor(t, known)
	in := streamInput(rand.New(rand.NewPCG(9, 10)), known)
	want, wantFs := r.Redact([]byte(in))
	for i := 0; i <= len(in); i++ {
		var buf bytes.Buffer
		w := r.NewWriter(&buf)
		w.Write([]byte(in[:i]))
		w.Write([]byte(in[i:]))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != string(want) {
			t.Fatalf("split at %d: got %q, want %q", i, buf.String(), want)
		}
		if len(w.Findings()) != len(wantFs) {
			t.Fatalf("split at %d: %d findings, want %d", i, len(w.Findings()), len(wantFs))
		}
		for j, f := range w.Findings() {
			if f.Start != wantFs[j].Start || f.End != wantFs[j].End {
				t.Fatalf("split at %d: finding %d at %d-%d, want %d-%d", i, j, f.Start, f.End, wantFs[j].Start, wantFs[j].End)
			}
		}
	}
}

func TestWriterByteAtATime(t *testing.T) {
	known := "Stream-Known-Secret-42"
	r := testRedactor(t, known)
	in := streamInput(rand.New(rand.NewPCG(11, 12)), known)
	want, _ := r.Redact([]byte(in))
	var buf bytes.Buffer
	w := r.NewWriter(&buf)
	for i := range len(in) {
		w.Write([]byte{in[i]})
		if w.Pending() > r.maxAhead+r.maxPat+b64Behind {
			t.Fatalf("held back %d bytes", w.Pending())
		}
	}
	w.Close()
	if buf.String() != string(want) {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func TestRehydratorAtEverySplit(t *testing.T) {
	r := testRedactor(t, "Rehydrate-Me-Please-1")
	orig := "run curl -H 'x: Rehydrate-Me-Please-1' and Rehydrate-Me-Please-1hush_ end"
	red, _ := r.Redact([]byte(orig))
	for i := 0; i <= len(red); i++ {
		for j := i; j <= len(red); j += 7 {
			var buf bytes.Buffer
			w := r.NewRehydrator(&buf, nil, nil)
			w.Write(red[:i])
			w.Write(red[i:j])
			w.Write(red[j:])
			w.Close()
			if buf.String() != orig {
				t.Fatalf("splits %d,%d: got %q, want %q", i, j, buf.String(), orig)
			}
		}
	}
}

func TestRehydratorHoldsOnlyPrefix(t *testing.T) {
	r := testRedactor(t)
	var buf bytes.Buffer
	w := r.NewRehydrator(&buf, nil, nil)
	w.Write([]byte("plain text with hus"))
	if got := buf.String(); got != "plain text with " {
		t.Errorf("emitted %q, want everything but the possible prefix", got)
	}
	w.Write([]byte("tle no"))
	if got := buf.String(); got != "plain text with hustle no" {
		t.Errorf("emitted %q after the prefix broke", got)
	}
}

func TestVaultBoundedAndExpires(t *testing.T) {
	v := NewVault(2, time.Minute)
	now := time.Unix(0, 0)
	v.now = func() time.Time { return now }
	v.put("a", []byte("1"), nil, "r", false)
	v.put("b", []byte("2"), nil, "r", false)
	v.put("c", []byte("3"), nil, "r", false)
	if _, ok := v.get("a"); ok {
		t.Error("oldest entry survived past the bound")
	}
	if e, ok := v.get("c"); !ok || string(e.value) != "3" {
		t.Error("newest entry missing")
	}
	now = now.Add(2 * time.Minute)
	if _, ok := v.get("c"); ok {
		t.Error("entry survived its TTL")
	}
}

func TestParseRulesStrict(t *testing.T) {
	_, err := ParseRules("x.yaml", []byte("rules:\n  - id: one\n    keywords: [abc]\n    regex: abc\n    colour: red\n"))
	if err == nil || !strings.Contains(err.Error(), "x.yaml:5") || !strings.Contains(err.Error(), `"one"`) || !strings.Contains(err.Error(), "colour") {
		t.Fatalf("err = %v, want file, line 5, rule and key named", err)
	}
}

func TestNewRejectsBadRules(t *testing.T) {
	tests := []struct {
		rule Rule
		want string
	}{
		{Rule{ID: "a", Regex: "x"}, "no keywords"},
		{Rule{ID: "a", Keywords: []string{"abc"}}, "needs regex or extract"},
		{Rule{ID: "a", Keywords: []string{"abc"}, Regex: "abc", SecretGroup: 2}, "secret_group 2 > 0 groups"},
		{Rule{ID: "a", Keywords: []string{"abc"}, Regex: "abc", Check: "nope"}, `unknown check "nope"`},
		{Rule{ID: "A b", Keywords: []string{"abc"}, Regex: "abc"}, "id must be"},
	}
	for _, tt := range tests {
		_, err := New(Options{Rules: []Rule{tt.rule}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want %q", tt.rule, err, tt.want)
		}
	}
}

func TestFromEnviron(t *testing.T) {
	env := []string{
		"GITHUB_TOKEN=tok-1234567890abcdef", "PWD=/home/x", "OLDPWD=/tmp", "SSH_AUTH_SOCK=/tmp/agent.sock",
		"AUTHOR=Ada Lovelace and more", "DB_PASSWORD=tiny1", "API_KEY=/etc/path/to/file", "MY_SECRET=Zx9-qq-Lm8-Rt5",
	}
	ks, warns := FromEnviron(env)
	var names []string
	for _, k := range ks {
		names = append(names, k.Name)
	}
	if got := strings.Join(names, ","); got != "GITHUB_TOKEN,MY_SECRET" {
		t.Errorf("names = %s, want GITHUB_TOKEN,MY_SECRET", got)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "DB_PASSWORD") || strings.Contains(warns[0], "tiny1") {
		t.Errorf("warnings = %q, want one naming DB_PASSWORD without its value", warns)
	}
}

func TestParseDotenv(t *testing.T) {
	in := "# c\nexport A_TOKEN=\"quoted value 123\"\nB=plain-value-456 # comment\nC=\nD=true\n"
	ks, _, err := ParseDotenv(strings.NewReader(in), ".env")
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 2 || string(ks[0].Value) != "quoted value 123" || string(ks[1].Value) != "plain-value-456" {
		t.Errorf("ParseDotenv = %+v", ks)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2-value")
	for _, got := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %#v", s, s, s)} {
		if strings.Contains(got, "hunter2") {
			t.Errorf("formatted Secret = %q", got)
		}
	}
}

// jsonEscape escapes a value for the inside of a JSON string.
func jsonEscape(v []byte) []byte {
	b, _ := json.Marshal(string(v))
	return b[1 : len(b)-1]
}

func TestSparseMapMatchesDenseMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	parts := []string{"a", "bc", `\n`, `\"`, `\\`, `\u00e9`, `\ud83d\ude00`, `\x`, `\/`, "zz"}
	for range 500 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		src := []byte(b.String())
		dense, ok := unescapeJSON(src, 0, len(src)+1, nil)
		var m sparseMap
		dec, sok := decodeSparse(src, nil, &m)
		if ok != sok {
			t.Fatalf("%q: dense ok %v, sparse ok %v", src, ok, sok)
		}
		if !ok {
			continue
		}
		if string(dec) != string(dense.b) {
			t.Fatalf("%q: decoded %q, want %q", src, dec, dense.b)
		}
		for i := 0; i <= len(dec); i++ {
			if got, want := m.raw(i), dense.pos[i]; got != want {
				t.Fatalf("%q: raw(%d) = %d, want %d", src, i, got, want)
			}
		}
		for p := 0; p <= len(src); p++ {
			want := 0
			for want < len(dense.pos) && dense.pos[want] < p {
				want++
			}
			if got := m.first(p); got != want {
				t.Fatalf("%q: first(%d) = %d, want %d", src, p, got, want)
			}
		}
	}
}

func TestPlaceholderKindBound(t *testing.T) {
	kind32 := strings.Repeat("k", maxKindLen)
	if n := placeholderLen("hush_" + kind32 + "_aaaaaaaaaaaa"); n == 0 {
		t.Errorf("32-byte kind rejected")
	}
	if n := placeholderLen("hush_" + kind32 + "k_aaaaaaaaaaaa"); n != 0 {
		t.Errorf("33-byte kind accepted")
	}
}

// TestParallelScanEqualsSequential checks that cutting a large input into
// ranges scanned at once finds exactly what one scan finds, also for
// secrets that straddle the cuts.
func TestParallelScanEqualsSequential(t *testing.T) {
	known := "Parallel-Known-Secret-77"
	r := testRedactor(t, known)
	rng := rand.New(rand.NewPCG(21, 22))
	var b strings.Builder
	for b.Len() < 3*parallelMin {
		fmt.Fprintf(&b, `{"role":"user","content":"line %d token=%s and %s\n"},`, b.Len(), fakeGitHubPAT(rng), known)
	}
	src := []byte(b.String())
	// Plant secrets across every possible cut for 2, 3 and 4 ranges.
	for n := 2; n <= 4; n++ {
		for i := 1; i < n; i++ {
			cut := len(src) * i / n
			tok := fakeGitHubPAT(rng)
			copy(src[cut-len(tok)/2:], tok)
		}
	}
	seq, _ := r.scan(src, 0, len(src), true, 0, nil)
	seq = resolve(seq)
	par := r.find(src, 0)
	if len(seq) != len(par) {
		t.Fatalf("parallel found %d, sequential %d", len(par), len(seq))
	}
	for i := range seq {
		if seq[i].start != par[i].start || seq[i].end != par[i].end || string(seq[i].value) != string(par[i].value) {
			t.Fatalf("candidate %d: parallel %d-%d, sequential %d-%d", i, par[i].start, par[i].end, seq[i].start, seq[i].end)
		}
	}
	if len(seq) < 100 {
		t.Fatalf("only %d candidates: the test input is wrong", len(seq))
	}
}

// TestWriterWithUnicodeEscapes feeds the streaming writer JSON whose text
// is all \uXXXX escapes, where a decoded window spans six times its size
// of input, and checks it still equals one-shot redaction.
func TestWriterWithUnicodeEscapes(t *testing.T) {
	r := testRedactor(t)
	rng := rand.New(rand.NewPCG(5, 5))
	const alnum = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	b.WriteString(`{"content":"password=`)
	for range 100 {
		fmt.Fprintf(&b, `\u%04x`, alnum[rng.IntN(len(alnum))])
	}
	b.WriteString(` and more text after it"}`)
	in := b.String()
	want, fs := r.Redact([]byte(in))
	if len(fs) != 1 || fs[0].End-fs[0].Start != 600 {
		t.Fatalf("one-shot findings %+v, want one 600-byte span", fs)
	}
	for _, size := range []int{1, 7, 64, 300} {
		var buf bytes.Buffer
		w := r.NewWriter(&buf)
		for i := 0; i < len(in); i += size {
			w.Write([]byte(in[i:min(len(in), i+size)]))
		}
		w.Close()
		if buf.String() != string(want) {
			t.Fatalf("chunks of %d: got %q, want %q", size, buf.String(), want)
		}
	}
}
