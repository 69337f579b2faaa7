// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bytes"
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/flate"
)

func TestDecodeBody(t *testing.T) {
	plain := []byte(`{"messages":[{"role":"user","content":"hello"}]}`)
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.DefaultCompression)
	fw.Write(plain)
	fw.Close()
	big := bytes.Repeat([]byte("a"), 1<<16)
	for _, tc := range []struct {
		name, header string
		in           []byte
		limit        int64
		want         []byte
		err          error
	}{
		{"none", "", plain, 1 << 20, plain, nil},
		{"identity", "identity", plain, 1 << 20, plain, nil},
		{"gzip", "gzip", encodeBody(t, "gzip", plain), 1 << 20, plain, nil},
		{"x-gzip", "X-Gzip", encodeBody(t, "gzip", plain), 1 << 20, plain, nil},
		{"deflate zlib", "deflate", encodeBody(t, "deflate", plain), 1 << 20, plain, nil},
		{"deflate raw", "deflate", raw.Bytes(), 1 << 20, plain, nil},
		{"br", "br", encodeBody(t, "br", plain), 1 << 20, plain, nil},
		{"zstd", "zstd", encodeBody(t, "zstd", plain), 1 << 20, plain, nil},
		{"gzip then zstd", "gzip, zstd", encodeBody(t, "zstd", encodeBody(t, "gzip", plain)), 1 << 20, plain, nil},
		{"unknown", "compress", plain, 1 << 20, nil, ErrUnsupportedEncoding},
		{"corrupt gzip", "gzip", plain, 1 << 20, nil, ErrCorruptBody},
		{"corrupt zstd", "zstd", plain, 1 << 20, nil, ErrCorruptBody},
		{"corrupt br", "br", plain, 1 << 20, nil, ErrCorruptBody},
		{"exactly the limit", "gzip", encodeBody(t, "gzip", big), int64(len(big)), big, nil},
		{"gzip bomb", "gzip", encodeBody(t, "gzip", big), int64(len(big)) - 1, nil, ErrDecodedTooLarge},
		{"br bomb", "br", encodeBody(t, "br", big), 1000, nil, ErrDecodedTooLarge},
		{"zstd bomb", "zstd", encodeBody(t, "zstd", big), 1000, nil, ErrDecodedTooLarge},
		{"deflate bomb", "deflate", encodeBody(t, "deflate", big), 1000, nil, ErrDecodedTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeBody(tc.header, tc.in, tc.limit)
			if !errors.Is(err, tc.err) {
				t.Fatalf("decodeBody(%q) error = %v, want %v", tc.header, err, tc.err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Errorf("decodeBody(%q) = %.40q, want %.40q", tc.header, got, tc.want)
			}
		})
	}
}

func TestReadBody(t *testing.T) {
	if _, err := readBody(bytes.NewReader(make([]byte, 10)), 11, 10); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("declared length over limit: %v", err)
	}
	if _, err := readBody(bytes.NewReader(make([]byte, 11)), -1, 10); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("unknown length over limit: %v", err)
	}
	if b, err := readBody(bytes.NewReader(make([]byte, 10)), -1, 10); err != nil || len(b) != 10 {
		t.Errorf("unknown length at limit: %d, %v", len(b), err)
	}
	if _, err := readBody(bytes.NewReader(make([]byte, 3)), 5, 10); err == nil {
		t.Errorf("short body: no error")
	}
}

func TestIntercept(t *testing.T) {
	in, err := NewIntercept([]string{"llm.internal.example", "*.models.example"}, []string{"chatgpt.com", "api.mistral.*"})
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"api.openai.com":                        true,
		"API.OpenAI.com:443":                    true,
		"api.openai.com.":                       true,
		"openai.com":                            false,
		"evil-api.openai.com":                   false,
		"myres.openai.azure.com":                true,
		"api.individual.githubcopilot.com":      true,
		"githubcopilot.com":                     false,
		"us-central1-aiplatform.googleapis.com": true,
		"storage.googleapis.com":                false,
		"llm.internal.example":                  true,
		"a.b.models.example":                    true,
		"chatgpt.com":                           false, // removed
		"api.mistral.ai":                        false, // removed by glob
		"registry.npmjs.org":                    false,
		"github.com":                            false,
	} {
		if got := in.Match(host); got != want {
			t.Errorf("Match(%q) = %v, want %v", host, got, want)
		}
	}
	if _, err := NewIntercept([]string{"https://x.example/"}, nil); err == nil {
		t.Errorf("a URL was accepted as a host pattern")
	}
}

func TestParseResolve(t *testing.T) {
	got, err := ParseResolve([]string{"api.openai.com:443:127.0.0.1", "API.anthropic.com:443:127.0.0.1:9443", "x.example:443:[::1]"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"api.openai.com:443": "127.0.0.1:443", "api.anthropic.com:443": "127.0.0.1:9443", "x.example:443": "[::1]:443"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseResolve (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"api.openai.com", "api.openai.com:443", ":443:1.2.3.4"} {
		if _, err := ParseResolve([]string{bad}); err == nil {
			t.Errorf("ParseResolve(%q) accepted", bad)
		}
	}
}

func TestRoutes(t *testing.T) {
	rs, err := ParseRoutes(map[string]string{"/azure/": "https://res.openai.azure.com/openai", "/gemini": ""}, true)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"/openai/v1/chat/completions?x=1": "https://api.openai.com/v1/chat/completions?x=1",
		"/anthropic/v1/messages":          "https://api.anthropic.com/v1/messages",
		"/azure/deployments/d/chat":       "https://res.openai.azure.com/openai/deployments/d/chat",
		"/gemini/v1beta/models":           "",
		"/openaix/v1":                     "",
	} {
		u, _ := url.Parse(in)
		got, ok := route(rs, u)
		if (want == "") == ok || ok && got.String() != want {
			t.Errorf("route(%q) = %v, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []map[string]string{{"/x": "ftp://h"}, {"/x": "https://"}, {"/": "https://h"}} {
		if _, err := ParseRoutes(bad, false); err == nil {
			t.Errorf("ParseRoutes(%v) accepted", bad)
		}
	}
}

func TestLocate(t *testing.T) {
	body := []byte(`{"system":"s","messages":[{"role":"user","content":"aa SECRET"},{"role":"assistant","content":[{"type":"tool_use","input":{"cmd":"x SECRET"}}]}],"n":[1,{"k":"SECRET"}]}`)
	var got []string
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte("SECRET"))
		if j < 0 {
			break
		}
		got = append(got, locate(body, i+j))
		i += j + 1
	}
	want := []string{"messages[0].content", "messages[1].content[0].input.cmd", "n[1].k"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locate (-want +got):\n%s", diff)
	}
	if got := locate([]byte(`not json SECRET`), 9); got != "byte 9" {
		t.Errorf("locate in text = %q", got)
	}
}
