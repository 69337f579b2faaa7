// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
)

// allowed reports whether a candidate secret is a documented example, a
// placeholder or a template reference rather than a real value, so that it
// is left alone. It runs on every candidate of every rule, after the rule's
// own validators, so it must be cheap and must never reject a random token:
// the word checks below only look at short values, and only at words that
// random base62 text contains with negligible probability.
func allowed(secret []byte) bool {
	// hush's own placeholders are never secrets: redaction is idempotent.
	if bytes.Contains(secret, []byte(placeholderPrefix)) {
		for i := bytes.Index(secret, []byte(placeholderPrefix)); i >= 0; {
			if placeholderLen(string(secret[i:])) > 0 {
				return true
			}
			j := bytes.Index(secret[i+1:], []byte(placeholderPrefix))
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	n := len(secret)
	if n == 0 {
		return true
	}
	if isTemplateRef(secret) {
		return true
	}
	if hasPrefixFold(secret, "pk_live_") || hasPrefixFold(secret, "pk_test_") || hasPrefixFold(secret, "sb_publishable_") {
		return true // publishable keys are public by design
	}
	if hasPrefixFold(secret, "pk.eyj") {
		return true // a Mapbox public token (secret ones start sk.)
	}
	if n == 42 && secret[0] == '0' && (secret[1] == 'x' || secret[1] == 'X') && isHexString(secret[2:]) && bytes.IndexByte(secret, '-') < 0 {
		return true // an Ethereum address: public (a private key has 64 hex digits)
	}
	if n <= 256 {
		if isDocumentedExample(secret) {
			return true
		}
		var low [256]byte
		l := low[:n]
		for i, c := range secret {
			l[i] = lowerTable[c]
		}
		if weakValues[string(l)] {
			return true
		}
		for _, w := range placeholderWords {
			if bytes.Contains(l, []byte(w)) {
				return true
			}
		}
		if isMasked(l) || isTrivial(l) {
			return true
		}
	}
	return false
}

// isTemplateRef reports whether s is a reference to a value kept elsewhere
// rather than the value: ${VAR}, $VAR, {{ .x }}, <%= ENV[...] %>, %(x)s,
// %VAR%, #{x}, <YOUR_KEY>, [YOUR_KEY] and {name}.
func isTemplateRef(s []byte) bool {
	n := len(s)
	switch s[0] {
	case '$':
		// $VAR, ${VAR}, $(cmd), $env:X; a bcrypt or crypt hash
		// ($2b$..., $6$...) is not a reference but is not a secret a
		// rule should report either.
		return true
	case '<':
		if s[n-1] == '>' {
			return true
		}
	case '[':
		if s[n-1] == ']' {
			return true
		}
	case '{':
		if s[n-1] == '}' && !bytes.ContainsAny(s, `":`) {
			return true
		}
	case '%':
		if n > 2 && (s[n-1] == '%' || s[1] == '(') {
			return true
		}
	}
	for _, t := range templateMarks {
		if bytes.Contains(s, []byte(t)) {
			return true
		}
	}
	// Python %(name)s, shell $(command), Ruby #{expr}: the opener
	// followed by a name and its closer. (A random password may contain
	// "%(" or "$(" by chance; it rarely continues with a name and a close.)
	for _, open := range [][]byte{[]byte("%("), []byte("$("), []byte("#{")} {
		if i := bytes.Index(s, open); i >= 0 && closesName(s[i+2:], open[0] == '%') {
			return true
		}
	}
	return false
}

// closesName reports whether s starts with a name (letters, digits, _ . -
// and spaces) of at least three characters and then ) or } (and, for
// Python's %(name)s, a conversion character).
func closesName(s []byte, conversion bool) bool {
	for i, c := range s {
		switch {
		case c == ')' || c == '}':
			if conversion {
				// %(name)s: a conversion character follows.
				return i >= 3 && i+1 < len(s) && bytes.IndexByte([]byte("sdrifxeg"), s[i+1]) >= 0
			}
			return i >= 3
		case isAlnum(c) || c == '_' || c == '.' || c == '-' || c == ' ':
		default:
			return false
		}
	}
	return false
}

// templateMarks are substrings that only template and interpolation
// syntax produces.
var templateMarks = []string{"${", "{{", "}}", "<%", "%>", "$env:", "$ENV{", "ENC[AES256_GCM", "ENC[AES"}

// weakValues are whole values (lowercased) that are never real secrets:
// defaults, tutorials' favourites and words that name a secret instead of
// being one.
var weakValues = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"password", "passwd", "pass", "pwd", "passw0rd", "p@ssw0rd", "p@ssword", "password1", "password123",
		"secret", "secrets", "mysecret", "supersecret", "topsecret", "s3cr3t", "secret123",
		"token", "mytoken", "apikey", "api_key", "api-key", "myapikey", "key", "mykey", "privatekey",
		"changeme", "changeit", "change_me", "admin", "administrator", "root", "toor", "guest", "user",
		"username", "test", "testing", "tester", "test123", "testpass", "testpassword", "demo", "default",
		"letmein", "welcome", "qwerty", "qwertyuiop", "asdf", "asdfgh", "asdfghjkl", "iloveyou", "monkey",
		"dragon", "master", "hunter2", "trustno1", "foobar", "foo", "bar", "baz", "hello", "helloworld",
		"none", "null", "nil", "undefined", "true", "false", "empty", "blank", "hidden", "masked",
		"required", "optional", "string", "str", "bytes", "value", "values", "env", "environment",
		"todo", "tbd", "fixme", "n/a", "na", "unknown", "unset", "notset", "not-set", "not_set",
		"sensitive", "confidential", "private", "public", "anonymous", "nobody", "postgres", "mysql",
		"redis", "mongo", "mongodb", "rabbitmq", "minioadmin", "elastic", "kibana", "grafana", "sa",
		"secretstr", "secretkey", "secret_key", "secret-key", "client_secret", "access_token", "auth_token",
		"correct horse battery staple", "correct-horse-battery-staple", "correcthorsebatterystaple",
	} {
		m[w] = true
	}
	return m
}()

// placeholderWords mark a value (lowercased) as a stand-in. Each is long
// or unusual enough that a random token contains it with negligible
// probability.
var placeholderWords = []string{
	"example", "xxxxx", "*****", "•••", "....", "changeme", "change_me", "change-me", "placeholder",
	"redacted", "dummy", "your_", "your-", "yourapi", "yourkey", "yoursecret", "yourtoken",
	"yourpass", "insert_", "insert-", "replace_", "replace-", "replaceme", "_here", "-here",
	"notreal", "not_real", "not-real", "not-a-", "not_a_", "fake_", "fake-", "sample_", "sample-",
	"<your", "my_secret", "my-secret", "my_token", "my-token", "my_password", "my-password",
	"my_api_key", "my-api-key", "secret_value", "token_value", "secret-value", "token-value",
	"xxxx-xxxx", "0000-0000", "1234-5678", "abcd-efgh", "12345678", "abcdefgh", "qwerty", "asdfgh",
	"password1", "password12", "sekret",
}

// isMasked reports whether s is a masked value such as ******** or
// xxxx-xxxx: made only of mask characters.
func isMasked(s []byte) bool {
	for _, c := range s {
		switch c {
		case '*', 'x', '#', '.', '-', '_', '?', '0':
		default:
			if c < 0x80 {
				return false
			}
		}
	}
	return true
}

// isTrivial reports whether s is too regular to be a secret: very few
// distinct bytes (aaaaaaaa, abababab), or mostly runs and ascending
// sequences (123456, abcdef, abc123).
func isTrivial(s []byte) bool {
	n := len(s)
	if n < 4 {
		return true
	}
	var seen [256]bool
	distinct := 0
	for _, c := range s {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	if distinct <= 2 || (n >= 6 && distinct <= 3) {
		return true
	}
	regular := 0
	for i := 1; i < n; i++ {
		if d := int(s[i]) - int(s[i-1]); d == 0 || d == 1 || d == -1 {
			regular++
		}
	}
	return n >= 6 && regular*10 >= (n-1)*7
}

// documentedExamples are SHA-256 digests of keys that vendors publish in
// their documentation. They are stored hashed so that the repository never
// holds a token-shaped literal (secret scanners run on it).
var documentedExamples = map[[32]byte]bool{}

func init() {
	for _, h := range []string{
		// Stripe's API reference test keys. (AWS's documented pair,
		// AKIAIOSFODNN7EXAMPLE and its secret, fall under the
		// "example" word.)
		"2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
		"f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",
		"c4341ce2cfcb5209124439c61efbae3ceb5d10b48997f67face25578db0918a2",
		// RFC 6749 and RFC 6750 example tokens, client credentials and
		// authorization code, quoted by OAuth libraries' docs.
		"6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c",
		"00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32",
		"b8e148545b13c78bc74da2f1a7275dd71e56ddece129d7d2f7b3ecc06f7994da",
		"ca7459e2b26776de081b9a07e40227fd6cff232a1e3233ff6b6aa6d036ca9981",
		"a35b81a7d7927b70ec99270dd2362b88580a28574af812f2c02f56469579186f",
		// RFC 6455's example Sec-WebSocket-Key.
		"15cef4b629cc2d07a4563df9516739d4c8d6097eb283e5260fd59299a3c99c56",
		// PyJWT's README token ({"some": "payload"} signed with "secret").
		"bf145d9380bbe05bdc1a72525796b224f8a8c93ae0e9e102eafbc255ac1af9e8",
	} {
		var d [32]byte
		if b, err := hex.DecodeString(h); err == nil && len(b) == 32 {
			copy(d[:], b)
			documentedExamples[d] = true
		}
	}
}

func isDocumentedExample(s []byte) bool {
	if len(documentedExamples) == 0 {
		return false
	}
	return documentedExamples[sha256.Sum256(s)]
}
