// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hushproxy/hush/internal/agentreq"
	"github.com/hushproxy/hush/redact"
)

var update = flag.Bool("update", false, "rewrite the client and events sections of testdata/*.txtar")

// A transcript is one golden file: testdata/<api>_<case>.txtar.
//
// Its header holds "key: value" lines (api, mode: sse|json, hooks: true,
// crlf: true) and a description. Sections:
//
//	-- secrets --   NAME rule RULE-ID | NAME known ENV_NAME [special] | NAME unissued RULE-ID
//	-- policy --    a PolicyConfig in YAML (optional)
//	-- upstream --  what the provider sends
//	-- client --    what the client must receive
//	-- events --    the callbacks, in order
//
// Secret values are generated at test time (a GitHub token gets a valid
// checksum) and placeholders come from redacting them under a fixed key,
// so nothing realistic is committed. The upstream and client sections
// write them as {{secret:NAME}} and {{ph:NAME}}; {{secret.j:NAME}},
// {{secret.jj:NAME}} and {{secret.js:NAME}} are the value escaped for one
// JSON layer, two, and JavaScript inside JSON. A suffix [i:j] takes a
// slice, to split a placeholder or a secret across deltas.
type transcript struct {
	path     string
	header   map[string]string
	comment  string
	sections []section
}

type section struct {
	name string
	data []byte
}

func parseTxtar(data []byte) (comment []byte, sections []section) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	cur := -1
	for _, line := range lines {
		l := bytes.TrimRight(line, "\n")
		if bytes.HasPrefix(l, []byte("-- ")) && bytes.HasSuffix(l, []byte(" --")) && len(l) > 6 {
			sections = append(sections, section{name: string(l[3 : len(l)-3])})
			cur = len(sections) - 1
			continue
		}
		if cur < 0 {
			comment = append(comment, line...)
		} else {
			sections[cur].data = append(sections[cur].data, line...)
		}
	}
	return comment, sections
}

func formatTxtar(comment []byte, sections []section) []byte {
	out := slices.Clone(comment)
	for _, s := range sections {
		out = append(out, "-- "+s.name+" --\n"...)
		out = append(out, s.data...)
		if len(s.data) > 0 && s.data[len(s.data)-1] != '\n' {
			out = append(out, '\n')
		}
	}
	return out
}

func loadTranscript(t testing.TB, path string) *transcript {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	comment, sections := parseTxtar(data)
	tr := &transcript{path: path, header: map[string]string{}, comment: string(comment), sections: sections}
	for _, line := range strings.Split(string(comment), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok && !strings.Contains(k, " ") {
			tr.header[k] = strings.TrimSpace(v)
		}
	}
	return tr
}

func (tr *transcript) get(name string) []byte {
	for _, s := range tr.sections {
		if s.name == name {
			return s.data
		}
	}
	return nil
}

func (tr *transcript) set(name string, data []byte) {
	for i, s := range tr.sections {
		if s.name == name {
			tr.sections[i].data = data
			return
		}
	}
	tr.sections = append(tr.sections, section{name: name, data: data})
}

var apis = map[string]API{"chat": OpenAIChat, "responses": OpenAIResponses, "anthropic": Anthropic, "gemini": Gemini, "generic": Generic}

// testKey is the fixed placeholder key of the golden tests.
var testKey = bytes.Repeat([]byte{7}, redact.KeySize)

// env is a transcript's world: the Redactor, its secrets and their
// placeholders.
type env struct {
	r       *redact.Redactor
	values  map[string]string // NAME -> value
	phs     map[string]string // NAME -> placeholder
	names   []string
	policy  *Policy
	opts    Options
	events  []string
	reverse []pair // rendered form -> token, longest first
}

type pair struct{ from, to string }

// rng returns a generator seeded by name, so a transcript's values are the
// same on every run.
func rng(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(h.Sum64(), 1))
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func fakeValue(r *rand.Rand, special bool) string {
	b := make([]byte, 28)
	for i := range b {
		b[i] = alnum[r.IntN(len(alnum))]
	}
	if special {
		// Quotes, a backslash and a dollar: every escaping layer matters.
		return "Pw\"" + string(b[:10]) + `\'$` + string(b[10:])
	}
	return "kv" + string(b)
}

func newEnv(t testing.TB, tr *transcript) *env {
	t.Helper()
	e := &env{values: map[string]string{}, phs: map[string]string{}}
	type spec struct{ name, how, arg string }
	var specs []spec
	var known []redact.KnownSecret
	for _, line := range strings.Split(string(tr.get("secrets")), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		s := spec{f[0], f[1], f[2]}
		g := rng(tr.path + "/" + s.name)
		switch s.how {
		case "rule", "unissued":
			if s.arg != "github-pat" {
				t.Fatalf("secret %s: no generator for rule %s", s.name, s.arg)
			}
			e.values[s.name] = agentreq.FakeGitHubPAT(g)
		case "known":
			e.values[s.name] = fakeValue(g, slices.Contains(f, "special"))
			known = append(known, redact.KnownSecret{Name: s.arg, Value: []byte(e.values[s.name])})
		default:
			t.Fatalf("secret %s: unknown kind %q", s.name, s.how)
		}
		specs = append(specs, s)
		e.names = append(e.names, s.name)
	}
	var err error
	e.r, err = redact.New(redact.Options{Rules: testRules(), Known: known, Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	other, err := redact.New(redact.Options{Rules: testRules(), Known: known, Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		r := e.r
		if s.how == "unissued" {
			r = other // same key, another vault: a valid check, not ours
		}
		_, fs := r.Redact([]byte(e.values[s.name]))
		if len(fs) != 1 {
			t.Fatalf("secret %s: redacting its value gave %d findings, want 1", s.name, len(fs))
		}
		e.phs[s.name] = fs[0].Placeholder
	}
	var cfg PolicyConfig
	if err := yaml.Unmarshal(tr.get("policy"), &cfg); err != nil {
		t.Fatalf("policy: %v", err)
	}
	if e.policy, err = NewPolicy(cfg); err != nil {
		t.Fatal(err)
	}
	e.opts = Options{
		Redactor:  e.r,
		Rehydrate: tr.header["hooks"] != "true",
		Policy:    e.policy,
		OnFinding: func(f redact.Finding) {
			e.events = append(e.events, fmt.Sprintf("finding %s %s", f.RuleID, e.render(f.Placeholder)))
		},
		OnRestore: func(iss redact.Issue, c Call) {
			e.events = append(e.events, fmt.Sprintf("restore %s %s tool=%s id=%s", iss.RuleID, e.render(iss.Placeholder), c.Tool, c.ID))
		},
		OnDeny: func(iss redact.Issue, c Call, reason string) {
			rule := iss.RuleID
			if rule == "" {
				rule = "-" // not issued: no rule known
			}
			e.events = append(e.events, fmt.Sprintf("deny %s %s %s tool=%s id=%s", reason, rule, e.render(iss.Placeholder), c.Tool, c.ID))
		},
	}
	for _, name := range e.names {
		v := e.values[name]
		for _, f := range []struct{ tok, s string }{
			{"secret.js", string(escJSinJSON([]byte(v)))},
			{"secret.jj", string(escJSONinJSON([]byte(v)))},
			{"secret.j", string(escJSON([]byte(v)))},
			{"secret", v},
		} {
			if f.tok == "secret" || f.s != v {
				e.reverse = append(e.reverse, pair{f.s, "{{" + f.tok + ":" + name + "}}"})
			}
		}
		e.reverse = append(e.reverse, pair{e.phs[name], "{{ph:" + name + "}}"})
	}
	slices.SortStableFunc(e.reverse, func(a, b pair) int { return len(b.from) - len(a.from) })
	return e
}

// testRules are the rules of the golden tests: GitHub's classic token, as
// the built-in set defines it, so that transcripts do not change when the
// built-in set grows.
func testRules() []redact.Rule {
	return []redact.Rule{{
		ID:       "github-pat",
		Keywords: []string{"ghp_"},
		Regex:    `ghp_[0-9A-Za-z]{36}`,
		Check:    "github-crc32",
		Hosts:    []string{"github.com", "api.github.com", "*.github.com", "*.githubusercontent.com"},
	}}
}

var tokenRE = regexp.MustCompile(`\{\{(ph|secret|secret\.j|secret\.jj|secret\.js):([a-z0-9_-]+)(?:\[(\d*):(\d*)\])?\}\}`)

// expand replaces tokens by values.
func (e *env) expand(t testing.TB, b []byte) []byte {
	return tokenRE.ReplaceAllFunc(b, func(m []byte) []byte {
		sm := tokenRE.FindSubmatch(m)
		name := string(sm[2])
		v, ok := e.values[name]
		if !ok {
			t.Fatalf("token %s: no secret %s", m, name)
		}
		switch string(sm[1]) {
		case "ph":
			v = e.phs[name]
		case "secret.j":
			v = string(escJSON([]byte(v)))
		case "secret.jj":
			v = string(escJSONinJSON([]byte(v)))
		case "secret.js":
			v = string(escJSinJSON([]byte(v)))
		}
		if sm[3] != nil || sm[4] != nil {
			i, j := 0, len(v)
			if len(sm[3]) > 0 {
				i, _ = strconv.Atoi(string(sm[3]))
			}
			if len(sm[4]) > 0 {
				j, _ = strconv.Atoi(string(sm[4]))
			}
			v = v[i:j]
		}
		return []byte(v)
	})
}

// render replaces values and placeholders by tokens, and the pieces of a
// placeholder split across deltas by slices of one.
func (e *env) render(s string) string {
	for _, p := range e.reverse {
		s = strings.ReplaceAll(s, p.from, p.to)
	}
	return wordRE.ReplaceAllStringFunc(s, func(w string) string {
		for _, name := range e.names {
			ph := e.phs[name]
			switch {
			case w == ph:
			case strings.HasPrefix(w, "hush_") && strings.HasPrefix(ph, w):
				return fmt.Sprintf("{{ph:%s[0:%d]}}", name, len(w))
			case len(w) >= 8 && strings.HasSuffix(ph, w):
				return fmt.Sprintf("{{ph:%s[%d:]}}", name, len(ph)-len(w))
			}
		}
		return w
	})
}

var wordRE = regexp.MustCompile(`[a-z0-9_-]+`)

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.n, len(c.b))
	copy(p, c.b[:k])
	c.b = c.b[k:]
	return k, nil
}

// randomReader returns 1 to 7 bytes per Read.
type randomReader struct {
	b   []byte
	rng *rand.Rand
}

func (c *randomReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), 1+c.rng.IntN(7), len(c.b))
	copy(p, c.b[:k])
	c.b = c.b[k:]
	return k, nil
}

// run rewrites upstream delivered in n-byte reads and returns the output
// and the callbacks.
func (e *env) run(t testing.TB, api API, json bool, upstream []byte, n int) ([]byte, []string) {
	t.Helper()
	e.events = nil
	if json {
		out, err := RewriteJSON(api, upstream, e.opts)
		if err != nil {
			t.Fatal(err)
		}
		return out, e.events
	}
	r := NewSSE(api, io.NopCloser(&chunkReader{upstream, n}), e.opts)
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("chunk size %d: %v", n, err)
	}
	return out, e.events
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tr := loadTranscript(t, path)
			api, ok := apis[tr.header["api"]]
			if !ok {
				t.Fatalf("api %q", tr.header["api"])
			}
			json := tr.header["mode"] == "json"
			crlf := tr.header["crlf"] == "true"
			e := newEnv(t, tr)
			upstream := e.expand(t, tr.get("upstream"))
			if crlf {
				upstream = bytes.ReplaceAll(upstream, []byte("\n"), []byte("\r\n"))
			}
			whole, events := e.run(t, api, json, upstream, len(upstream)+1)
			checkStream(t, api, json, upstream, whole)
			client := whole
			if crlf {
				client = bytes.ReplaceAll(client, []byte("\r\n"), []byte("\n"))
			}
			gotClient := e.render(string(client))
			gotEvents := strings.Join(events, "\n")
			if gotEvents != "" {
				gotEvents += "\n"
			}
			if *update {
				tr.set("client", []byte(gotClient))
				tr.set("events", []byte(gotEvents))
				if err := os.WriteFile(path, formatTxtar([]byte(tr.comment), tr.sections), 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				if want := string(tr.get("client")); gotClient != want {
					t.Errorf("client stream differs (-update rewrites it):\n%s", lineDiff(want, gotClient))
				}
				if want := string(tr.get("events")); gotEvents != want {
					t.Errorf("events differ (-update rewrites them):\n%s", lineDiff(want, gotEvents))
				}
			}
			if json {
				return
			}
			// Pieces of random sizes, 1 to 7 bytes, as the black-box
			// acceptance run cuts them.
			for seed := range uint64(4) {
				e.events = nil
				rd := NewSSE(api, io.NopCloser(&randomReader{upstream, rand.New(rand.NewPCG(seed, 7))}), e.opts)
				out, err := io.ReadAll(rd)
				if err != nil || !bytes.Equal(out, whole) {
					t.Fatalf("random pieces (seed %d): error %v, output differs:\n%s", seed, err, lineDiff(e.render(string(whole)), e.render(string(out))))
				}
			}
			for n := 1; n <= len(upstream); n += chunkStep(n) {
				out, evs := e.run(t, api, json, upstream, n)
				if !bytes.Equal(out, whole) {
					t.Fatalf("chunk size %d: output differs from the whole stream's:\n%s", n, lineDiff(e.render(string(whole)), e.render(string(out))))
				}
				if !slices.Equal(evs, events) {
					t.Fatalf("chunk size %d: events %q, want %q", n, evs, events)
				}
			}
		})
	}
}

// lineDiff shows the first differing line of want and got.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %q\n   got %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}
