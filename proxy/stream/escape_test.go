// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hushproxy/hush/redact"
)

var escapeSamples = []string{
	"plain-token_123",
	`quo"te back\slash`,
	"new\nline\ttab\rcr\x00nul\x1f\x7f",
	"it's $HOME `cmd` ${x}",
	"line\u2028sep\u2029para é ü 日本 🙂",
}

func TestEscJSON(t *testing.T) {
	for _, s := range escapeSamples {
		var got string
		if err := json.Unmarshal([]byte(`"`+string(escJSON([]byte(s)))+`"`), &got); err != nil || got != s {
			t.Errorf("escJSON(%q) decodes to %q, %v", s, got, err)
		}
		// Two layers: the outer string holds JSON text holding s.
		var inner string
		if err := json.Unmarshal([]byte(`"`+string(escJSONinJSON([]byte(s)))+`"`), &inner); err != nil {
			t.Fatalf("escJSONinJSON(%q): %v", s, err)
		}
		if err := json.Unmarshal([]byte(`"`+inner+`"`), &got); err != nil || got != s {
			t.Errorf("escJSONinJSON(%q) decodes to %q, %v", s, got, err)
		}
	}
}

func TestEscJS(t *testing.T) {
	for _, s := range escapeSamples {
		e := string(escJS([]byte(s)))
		for _, q := range []string{`"`, `'`, "`"} {
			got, err := unquoteJS(q + e + q)
			if err != nil || got != s {
				t.Errorf("escJS(%q) in %s quotes reads back %q, %v", s, q, got, err)
			}
		}
	}
}

// unquoteJS reads a JavaScript string literal with the escapes escJS
// writes, refusing what would end or interpolate the literal early.
func unquoteJS(lit string) (string, error) {
	q, body := lit[0], lit[1:len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == q || c == '\n' || c == '\r' || q == '`' && c == '$' && i+1 < len(body) && body[i+1] == '{':
			return "", strconv.ErrSyntax
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			n, err := strconv.ParseUint(body[i+1:i+3], 16, 8)
			if err != nil {
				return "", err
			}
			b.WriteByte(byte(n))
			i += 2
		case 'u':
			n, err := strconv.ParseUint(body[i+1:i+5], 16, 16)
			if err != nil {
				return "", err
			}
			b.WriteRune(rune(n))
			i += 4
		default:
			b.WriteByte(e)
		}
	}
	return b.String(), nil
}

func TestSafeCut(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{`abc`, 3},
		{`abc\`, 3},
		{`abc\n`, 5},
		{`abc\\`, 5},
		{`abc\u00`, 3},
		{`abc\u00e9`, 9},
		{`abc\ud83d`, 3},
		{`abc\ud83d\ude0`, 3},
		{`abc\ud83d\ude00`, 15},
		{"abc\xe6\x97", 3},
		{"abc\xe6\x97\xa5", 6},
	} {
		if got := safeCut([]byte(tt.in)); got != tt.want {
			t.Errorf("safeCut(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestPlaceholderGrammar checks the package's copy of the placeholder
// grammar against placeholders the redact package issues.
func TestPlaceholderGrammar(t *testing.T) {
	r, _, ph := testRedactor(t)
	_ = r
	for _, p := range []string{ph, "hush_github-pat_abcdefghij23", "hush_" + strings.Repeat("k", 32) + "_abcdefghij23"} {
		if !redact.IsPlaceholder(p) {
			t.Fatalf("redact.IsPlaceholder(%q) = false", p)
		}
		if n := phLen([]byte(p + " tail")); n != len(p) {
			t.Errorf("phLen(%q) = %d, want %d", p, n, len(p))
		}
		for i := 1; i < len(p); i++ {
			if got := phTail([]byte("x " + p[:i])); got != i {
				t.Errorf("phTail(%q) = %d, want %d", "x "+p[:i], got, i)
			}
		}
		if got := phTail([]byte("x " + p)); got != 0 {
			t.Errorf("phTail of a complete placeholder = %d, want 0", got)
		}
	}
	if n := phLen([]byte("hush_" + strings.Repeat("k", 33) + "_abcdefghij23")); n != 0 {
		t.Errorf("phLen accepted a 33-byte kind")
	}
	for _, s := range []string{"hush", "hush_", "hush__abc", "hush_x_ABCDEFGHIJ23", "hush_x_abc1"} {
		if n := phLen([]byte(s)); n != 0 || redact.IsPlaceholder(s) {
			t.Errorf("phLen(%q) = %d, IsPlaceholder %v; want 0, false", s, n, redact.IsPlaceholder(s))
		}
	}
	if !utf8.ValidString(ph) {
		t.Fatal("placeholder is not UTF-8")
	}
}

func TestJSONNavigation(t *testing.T) {
	doc, ok := parseDoc([]byte(` {"a": [1, {"b": "x\"y"}, null], "c": {"d": true}, "e": "\u0068i"} `))
	if !ok {
		t.Fatal("parseDoc failed")
	}
	if got := doc.get("a").isArr(); !got {
		t.Error(`get("a") is not an array`)
	}
	var n int
	var inner val
	doc.get("a").elems(func(i int, v val) {
		n++
		if i == 1 {
			inner = v
		}
	})
	if n != 3 || inner.get("b").text() != `x"y` {
		t.Errorf("elems: %d elements, b = %q", n, inner.get("b").text())
	}
	if string(doc.get("c").get("d").raw()) != "true" || doc.get("e").text() != "hi" || doc.get("z").ok() {
		t.Error("get: wrong values")
	}
	edits := []edit{{s: inner.get("b").s + 1, e: inner.get("b").e - 1, repl: []byte("zz")}}
	out := applyEdits(doc.d, edits)
	if !json.Valid(out) || !strings.Contains(string(out), `"b": "zz"`) {
		t.Errorf("applyEdits = %s", out)
	}
	if _, ok := parseDoc([]byte(`{"a":`)); ok {
		t.Error("parseDoc accepted invalid JSON")
	}
}
