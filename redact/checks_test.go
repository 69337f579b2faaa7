// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// mutate changes one character of s at i to another of the same class, so
// that a checksum no longer holds while the shape still does.
func mutate(s string, i int) string {
	b := []byte(s)
	switch c := b[i]; {
	case c >= '0' && c <= '8', c >= 'a' && c <= 'y', c >= 'A' && c <= 'Y':
		b[i] = c + 1
	case c == '9':
		b[i] = '0'
	case c == 'z':
		b[i] = 'a'
	case c == 'Z':
		b[i] = 'A'
	}
	return string(b)
}

func TestChecksAcceptGeneratedAndRejectMutated(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	tests := []struct {
		check string
		gen   string // a sample generator whose secret passes the check
		// at picks the character to mutate; negative counts from the end.
		at int
	}{
		{"github-crc32", "github-pat", -3},
		{"github-crc32", "npm-access-token", 10},
		{"atlassian-crc32", "atlassian-api-token", 20},
		{"atlassian-crc32", "bitbucket-app-password", -1},
		{"atlassian-crc32", "bitbucket-access-token", 15},
		{"age-bech32", "age-secret-key", 30},
		{"age-bech32", "age-secret-key", -1},
	}
	for _, tt := range tests {
		fn := checks[tt.check]
		for i := 0; i < 20; i++ {
			s := sampleGens[tt.gen](r)
			secret := s.secrets[0]
			if !fn([]byte(secret)) {
				t.Errorf("%s(%q) = false, want true", tt.check, secret)
			}
			at := tt.at
			if at < 0 {
				at += len(secret)
			}
			if bad := mutate(secret, at); fn([]byte(bad)) {
				t.Errorf("%s(%q) = true after mutating offset %d, want false", tt.check, bad, at)
			}
		}
	}
}

func TestCheckJWT(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	good := jwtToken(r)
	anon := b64url(`{"alg":"HS256","typ":"JWT"}`) + "." + b64url(`{"iss":"supabase","ref":"abcd","role":"anon","iat":1700000000}`) + "." + rs(r, csB64URL, 43)
	tests := []struct {
		in   string
		want bool
	}{
		{good, true},
		{b64url(`{"enc":"A256GCM","alg":"dir"}`) + ".." + rs(r, csB64URL, 16) + "." + rs(r, csB64URL, 40) + "." + rs(r, csB64URL, 22), true},
		{b64url(`{"typ":"JWT"}`) + "." + rs(r, csB64URL, 40) + "." + rs(r, csB64URL, 43), false}, // no algorithm
		{"eyJub3QganNvbg." + rs(r, csB64URL, 40), false},                                         // header is not JSON
		{b64url(`{"alg":"HS256"}`) + ".e30", false},                                              // too short to be a credential
		{anon, false},
		{b64url(`{"alg":"HS256","typ":"JWT"}`) + "." + b64url(`{"sub":"1234567890","name":"John Doe","iat":1516239022}`) + "." + rs(r, csB64URL, 43), false},
	}
	for _, tt := range tests {
		if got := checkJWT([]byte(tt.in)); got != tt.want {
			t.Errorf("checkJWT(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCheckBasicAuth(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		in   string
		want bool
	}{
		{enc("deploy:Xk9#mP2vL5nQ"), true},
		{enc(":a1b2c3d4e5f6"), true}, // Azure DevOps style: empty user, PAT as password
		{strings.TrimRight(enc("deploy:Xk9#mP2vL5nQ"), "="), true},
		{enc("user:password"), false},
		{enc("admin:changeme"), false},
		{enc("nocolonhere"), false},
		{enc("user:"), false},
		{enc("user:${PASS}"), false},
		{enc("bin\x00ary:Xk9#mP2vL5nQ"), false},
		{"understanding", false},
	}
	for _, tt := range tests {
		if got := checkBasicAuth([]byte(tt.in)); got != tt.want {
			t.Errorf("checkBasicAuth(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCheckMarkers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	tests := []struct {
		check, in string
		want      bool
	}{
		{"openai-marker", sampleGens["openai-legacy-key"](r).text, true},
		{"openai-marker", "sk-" + rs(r, csAlnum, 48), false},
		{"groq-marker", sampleGens["groq-api-key"](r).text, true},
		{"groq-marker", "gsk_" + rs(r, csAlnum, 52), false},
		{"discord-bot", discordToken(r), true},
		{"discord-bot", "M" + rs(r, csB64URL, 25) + "." + rs(r, csB64URL, 6) + "." + rs(r, csB64URL, 38), false},
		{"pypi-macaroon", sampleGens["pypi-upload-token"](r).text, true},
		{"pypi-macaroon", "pypi-" + rs(r, csB64URL, 100), false},
		{"b64-json", sampleGens["onepassword-service-account"](r).text, true},
		{"b64-json", "ops_eyJ" + rs(r, csB64, 300), false},
		{"sentry-org", sampleGens["sentry-org-token"](r).text, true},
		{"sentry-org", "sntrys_" + rs(r, csB64, 100) + "_" + rs(r, csB64, 43), false},
		{"grafana-cloud", sampleGens["grafana-cloud-token"](r).text, true},
		{"grafana-cloud", "glc_" + rs(r, csB64, 100), false},
		{"random", mixed(r, csAlnum, 32), true},
		{"random", "abcdefghijklmnopqrstuvwxyzabcdef", false},
		{"hex-random", rs(r, csHex, 32), true},
		{"hex-random", "0000000000000000", false},
	}
	for _, tt := range tests {
		if got := checks[tt.check]([]byte(tt.in)); got != tt.want {
			t.Errorf("%s(%.60q) = %v, want %v", tt.check, tt.in, got, tt.want)
		}
	}
}

func TestAllowed(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	// Real tokens, including prefixes that contain words, must pass.
	for _, name := range []string{"github-pat", "stripe-test-secret-key", "anthropic-api-key", "slack-bot-token",
		"aws-access-key-id", "private-key-rsa", "jwt", "openai-project-key", "npm-access-token"} {
		for i := 0; i < 50; i++ {
			s := sampleGens[name](r)
			for _, secret := range s.secrets {
				if allowed([]byte(secret)) {
					t.Errorf("allowed(%.60q) = true for a %s sample", secret, name)
				}
			}
		}
	}
	for _, p := range []string{password(r), urlPassword(r), mixed(r, csB64, 40), rs(r, csHex, 40)} {
		if allowed([]byte(p)) {
			t.Errorf("allowed(%q) = true, want false", p)
		}
	}
	stand := []string{
		"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "${VAR}", "$VAR", "${{ secrets.X }}",
		"<YOUR_KEY>", "{{ .Values.token }}", "%(password)s", "%DB_PASS%", "#{secret}", "[YOUR_TOKEN]", "{api_key}",
		"changeme", "xxxx", "xxxxxxxxxxxxxxxx", "****", "********", "your_api_key", "your-token-here", "placeholder",
		"redacted", "REDACTED", "example", "my-example-key", "dummy", "password", "secret", "Password", "123456",
		"12345678", "abcdef", "abc123", "aaaaaaaa", "abababab", "ENC[AES256_GCM,data:abc,type:str]",
		"hush_github-pat_abcdefghij23", "token-hush_password_k3b7q2xw4m7a",
	}
	for _, s := range stand {
		if !allowed([]byte(s)) {
			t.Errorf("allowed(%q) = false, want true", s)
		}
	}
}
