// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
)

// An assignFamily finds values assigned to secret-named keys: password =
// "...", API_TOKEN=..., "client_secret": "...", <password>...</password>,
// --password ..., - name: DB_PASSWORD / value: ..., and so on, in code,
// .env, YAML, INI, TOML, JSON, XML, Terraform and shell.
//
// The key must start at the anchor with one of the family's roots (the
// anchor may sit inside a longer name, DB_PASSWORD or dbPassword, since
// the engine does not check the left boundary for these rules). What
// follows the root must end the word or start another (passwords,
// password_hash, passwordHash), and no later word of the name may mark a
// value that is not the secret (password_min_length, token_type,
// secretName, PASSWORD_FILE).
//
// The value is judged without any context before the anchor, so that the
// raw input and its decoded views agree: it must not be a reference
// (${X}, os.environ[...], process.env.X, getpass()), a type (str, string),
// a path, a URL, a number, a word or an identifier, and it must have the
// mix of characters and the entropy of a credential.
type assignFamily struct {
	roots    []string // lowercase
	conts    []string // lowercase continuations of a root: "word" after "pass"
	minLen   int
	maxLen   int
	password bool // human passwords: shorter, and any mix of classes
	exact    bool // the name is the root alone, and values must be strongly random
}

var (
	assignPassword = &assignFamily{
		roots:    []string{"pass", "pwd", "requirepass", "masterauth", "psk"},
		conts:    []string{"word", "wd", "phrase", "wort", "wrd", "code"},
		minLen:   6,
		maxLen:   128,
		password: true,
	}
	assignSecret = &assignFamily{roots: []string{"secret"}, minLen: 8, maxLen: 512}
	assignToken  = &assignFamily{roots: []string{"token", "_pat"}, minLen: 12, maxLen: 1024}
	assignAPIKey = &assignFamily{
		roots:  []string{"api_key", "apikey", "api-key", "subscription-key", "subscription_key", "api key", "api-schlüssel"},
		minLen: 12,
		maxLen: 512,
	}
	assignKey = &assignFamily{
		roots: []string{
			"private_key", "privatekey", "signing_key", "signingkey", "encryption_key", "encryptionkey",
			"master_key", "masterkey", "app_key", "hmac_key", "access_key", "accesskey", "account_key",
			"auth_key", "nonce_key", "logged_in_key", "routing_key", "integration_key", "storage_key", "storagekey",
		},
		minLen: 16,
		maxLen: 1024,
	}
	assignCredential = &assignFamily{roots: []string{"credential"}, conts: []string{"s"}, minLen: 16, maxLen: 512}
	// assignBareKey is a setting named just "key" (kaggle.json, rclone,
	// s3cfg). The name says little, so the name must be exactly that and
	// the value must look generated: long, mixed case and digits.
	assignBareKey = &assignFamily{roots: []string{"key"}, minLen: 20, maxLen: 256, exact: true}
)

// How a value was introduced, which decides how much evidence it needs.
const (
	sepAssign = iota // = : := => and friends
	sepSpace         // only whitespace: a CLI flag, SQL, netrc-like
	sepProse         // "password is ..."
)

func isKeyChar(c byte) bool { return isAlnum(c) || c == '_' || c == '-' || c == '.' }

func isLowerASCII(c byte) bool { return c >= 'a' && c <= 'z' }

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

func isDigitASCII(c byte) bool { return c >= '0' && c <= '9' }

func (f *assignFamily) extract(src []byte, at, end int) []span {
	s := src[:end]
	if f.exact {
		// The anchor includes what comes before the name ("key", a
		// newline), so that even a view without the bytes before the
		// anchor knows the name stands alone.
		for at < len(s) && (s[at] == '"' || s[at] == '\'' || s[at] == '\n' || s[at] == '\r' || s[at] == '\\' && at+1 < len(s) && s[at+1] == 'n') {
			if s[at] == '\\' {
				at++
			}
			at++
		}
	}
	ke, ok := f.key(s, at)
	if !ok {
		return nil
	}
	// Redis takes its password as a directive or a flag, never as key=value.
	cli := isCLIFlag(s, at) || hasPrefixFold(s[at:], "requirepass") || hasPrefixFold(s[at:], "masterauth")
	vs, mode, ok := separator(s, ke)
	if !ok {
		return nil
	}
	v0, v1, quoted, ok := value(s, vs, f.maxLen)
	if !ok {
		return nil
	}
	switch {
	case cli:
		mode = sepAssign // --password value
	case mode == sepSpace && !quoted:
		mode = sepProse // bare "password foo" needs strong evidence
	}
	if f.password && mode == sepAssign {
		// Passwords made of words: "correct horse battery staple",
		// copper-lantern-drift-maple7, granite.river.1821. Unquoted, a
		// phrase with spaces runs to the end of the line (.env, YAML).
		if !quoted && v1 < len(s) && s[v1] == ' ' {
			e := v1
			for e < len(s) && e-v0 <= 64 && s[e] != '\n' && s[e] != '\r' && !(s[e] == '#' && s[e-1] == ' ') {
				e++
			}
			if e < len(s) && e-v0 <= 64 {
				if w := bytes.TrimRight(s[v0:e], " \t"); humanPhrase(w, false) {
					return []span{{v0, v0 + len(w)}}
				}
			}
		}
		if humanPhrase(s[v0:v1], quoted) {
			return []span{{v0, v1}}
		}
	}
	if !f.judge(s[v0:v1], quoted || cli, mode) { // a CLI argument is a literal, not code
		return nil
	}
	if f.exact && (mode != sepAssign || !strongRandom(s[v0:v1])) {
		return nil
	}
	return []span{{v0, v1}}
}

// humanPhrase reports whether v is a password made of lowercase words:
// four or more joined by spaces or hyphens (a diceware passphrase, with
// or without a number), or two or more and a number (granite-river1821,
// maple.harbor.1234). Unquoted, dots and underscores join the parts of
// code (hashlib.sha256, key_v2), so the number must then stand alone
// after a dot. Names made of words (my-app-secret, vault-db-creds,
// prometheus-k8s, "enter your password") are not: their words are short
// or are the words of names and sentences, and they end without a number.
func humanPhrase(v []byte, quoted bool) bool {
	if len(v) < 12 || len(v) > 64 {
		return false
	}
	var sep byte
	words, digits, short := 0, 0, 0
	alone := false // the number is a part of its own
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && isLowerASCII(v[j]) {
			j++
		}
		k := j
		for k < len(v) && isDigitASCII(v[k]) {
			k++
		}
		if k == i || k < len(v) && !(v[k] == ' ' || v[k] == '-' || v[k] == '.' || v[k] == '_') {
			return false
		}
		if j > i {
			if j-i > 12 || phraseStopWords[string(v[i:j])] {
				return false
			}
			if j-i < 3 {
				short++
			}
			words++
		}
		if k > j {
			if k < len(v) {
				return false // only the last word may carry a number
			}
			digits, alone = k-j, j == i
		}
		if k < len(v) {
			if sep != 0 && v[k] != sep || k+1 >= len(v) {
				return false
			}
			sep = v[k]
		}
		i = k + 1
	}
	if sep == 0 || short > 0 {
		return false
	}
	if words >= 4 && (sep == ' ' || sep == '-') {
		return true
	}
	if !quoted && (sep == '_' || sep == '.' && !alone) {
		return false
	}
	return words >= 2 && digits >= 2 && sep != ' '
}

// phraseStopWords are words of sentences and of resource names, which a
// passphrase generator's word list does not hold.
var phraseStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"the", "and", "your", "you", "for", "with", "from", "this", "that", "not", "are", "was", "will",
		"must", "should", "enter", "please", "least", "characters", "here", "there", "have", "has", "use",
		"password", "passwd", "passphrase", "secret", "secrets", "token", "creds", "credentials", "key",
		"keys", "vault", "prod", "production", "staging", "stage", "dev", "test", "app", "api", "admin",
		"user", "users", "service", "svc", "cluster", "server", "host", "node", "pool", "replica", "master",
		"primary", "default", "config", "local", "internal", "mysql", "postgres", "redis", "mongo", "kafka",
		"rabbitmq", "db", "database", "backup", "release", "version", "build", "deploy", "change", "changeme",
		"example", "sample", "dummy", "fake", "mock", "none", "null", "empty", "value", "string", "env",
	} {
		m[w] = true
	}
	return m
}()

// midWord reports whether the anchor sits inside a lowercase word
// (bypass, Buypass, jsonwebtoken, libsecret), not at the start of a name
// or of a camelCase hump (dbPassword) or after a separator (DB_PASSWORD).
func midWord(s []byte, at int) bool {
	return at > 0 && at < len(s) && isLowerASCII(s[at-1]) && isLowerASCII(s[at]) && !boundaryBefore(s, at)
}

// escapeEndsAt reports whether a JSON escape (\n, \u003c) ends just
// before off.
func escapeEndsAt(s []byte, off int) bool {
	return escapeLetterAt(s, off-1) || off >= 6 && s[off-6] == '\\' && s[off-5] == 'u'
}

// escapeLetterAt reports whether s[i] is the letter of a JSON escape
// (\n, \t, ...), which ends the word before it rather than being part of
// the word after it.
func escapeLetterAt(s []byte, i int) bool {
	if i < 1 || s[i-1] != '\\' {
		return false
	}
	switch s[i] {
	case 'n', 't', 'r', 'b', 'f':
		return true
	}
	return false
}

// negativePrefix reports whether the name that ends at at (the part of
// the key before the anchor, nextPageToken's "nextPage") marks a value that
// is not a credential: a pagination cursor, a CSRF token, a count. Only the
// raw view has these bytes; a decoded view starts at the anchor.
func negativePrefix(s []byte, at int) bool {
	k := at
	for k > 0 && at-k < 64 && (isAlnum(s[k-1]) || s[k-1] == '_' || s[k-1] == '-') && !(isAlnum(s[k-1]) && boundaryBefore(s, k) && escapeEndsAt(s, k)) {
		k--
	}
	if k == at {
		return false
	}
	// The last word before the anchor: split at _ - and camel humps.
	e := at
	for e > k && (s[e-1] == '_' || s[e-1] == '-') {
		e--
	}
	b := e
	for b > k && isAlnum(s[b-1]) {
		if b < e && isUpperASCII(s[b]) && isLowerASCII(s[b-1]) {
			break // a camelCase hump starts the word
		}
		b--
	}
	if b == e {
		return false
	}
	var w [24]byte
	if e-b > len(w) {
		return false
	}
	for i := b; i < e; i++ {
		w[i-b] = lowerTable[s[i]]
	}
	return negativePrefixWords[string(w[:e-b])]
}

var negativePrefixWords = map[string]bool{
	"page": true, "next": true, "continuation": true, "cursor": true, "sync": true, "resume": true,
	"pagination": true, "csrf": true, "xsrf": true, "authenticity": true, "idempotency": true,
	"trace": true, "cancel": true, "cancellation": true, "unsubscribe": true, "device": true,
	"push": true, "max": true, "total": true, "input": true, "output": true, "prompt": true,
	"completion": true, "cache": true, "num": true, "count": true, "show": true, "hide": true,
	"forgot": true, "is": true, "has": true, "use": true, "no": true, "public": true,
	"pusher": true, "publishable": true, "anon": true, "cached": true, "reasoning": true, "thinking": true, "estimated": true, "remaining": true,
}

// isCLIFlag reports whether the name at at is part of a long option
// (--password, --db-password). Only the raw view has the bytes before at;
// without them a bare "password value" needs stronger evidence.
func isCLIFlag(s []byte, at int) bool {
	k := at
	for k > 0 && at-k < 40 && (isAlnum(s[k-1]) || s[k-1] == '-' || s[k-1] == '_') {
		k--
	}
	return k+2 <= at && s[k] == '-' && s[k+1] == '-' && (k == 0 || isSpace(s[k-1]) || s[k-1] == '"' || s[k-1] == '\'')
}

// key checks the name at at and returns where it ends. Where the bytes
// before at are the real context (the raw input, which is also what the
// engine's gate sees), it also rejects a name that the anchor only ends:
// nextPageToken, csrf_token, bypass.
func (f *assignFamily) key(s []byte, at int) (int, bool) {
	if negativePrefix(s, at) || midWord(s, at) {
		return 0, false
	}
	root := ""
	for _, r := range f.roots {
		if hasPrefixFold(s[at:], r) {
			root = r
			break
		}
	}
	if root == "" {
		return 0, false
	}
	// A root may hold a space or a non-ASCII letter (API key,
	// API-Schlüssel); so may the rest of the name, which is then
	// rejected below as a longer word.
	i := at + len(root)
	for i < len(s) && i-at < 80 && (isKeyChar(s[i]) || s[i] >= 0x80) {
		i++
	}
	key := s[at:i]
	rest := key[len(root):]
	if f.exact {
		if len(rest) > 0 || at > 0 && isKeyChar(s[at-1]) && !escapeEndsAt(s, at) {
			return 0, false // only "key", not monkey, api_key or key_id
		}
		return i, true
	}
	for _, c := range f.conts {
		if hasPrefixFold(rest, c) {
			rest = rest[len(c):]
			break
		}
	}
	// A plural: passwords, tokens, secrets.
	if len(rest) > 0 && (rest[0] == 's' || rest[0] == 'S') && (len(rest) == 1 || !isLowerASCII(rest[1])) {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return i, true
	}
	c, prev := rest[0], key[len(key)-len(rest)-1]
	switch {
	case c == '_' || c == '-' || c == '.' || isDigitASCII(c):
	case isUpperASCII(c) && (isLowerASCII(prev) || isDigitASCII(prev)):
	default:
		return 0, false // password-less, passenger, tokenizer, secretary
	}
	if hasNegativeWord(rest) {
		return 0, false
	}
	return i, true
}

// hasNegativeWord reports whether the rest of a key name (after the root)
// has a word that marks a value other than the secret itself.
func hasNegativeWord(rest []byte) bool {
	var w [32]byte
	n := 0
	flush := func() bool {
		hit := n > 0 && negativeWords[string(w[:n])]
		n = 0
		return hit
	}
	for i, c := range rest {
		switch {
		case c == '_' || c == '-' || c == '.' || isDigitASCII(c):
			if flush() {
				return true
			}
			continue
		case isUpperASCII(c) && i > 0 && isLowerASCII(rest[i-1]):
			if flush() {
				return true
			}
		}
		if n < len(w) {
			w[n] = lowerTable[c]
			n++
		}
	}
	return flush()
}

var negativeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"length", "len", "min", "max", "minlength", "maxlength", "minimum", "maximum", "policy", "policies",
		"pattern", "regex", "regexp", "rule", "rules", "file", "files", "path", "paths", "dir", "folder",
		"env", "envvar", "var", "variable", "field", "fields", "label", "labels", "placeholder", "prompt",
		"hint", "help", "reset", "forgot", "expiry", "expires", "expiration", "expire", "expired", "changed",
		"url", "uri", "link", "endpoint", "type", "types", "count", "counts", "name", "names", "ref", "refs",
		"reference", "arn", "enabled", "enable", "disabled", "required", "require", "strength", "hash",
		"hashed", "hasher", "hashing", "salt", "version", "provider", "providers", "manager", "store",
		"storage", "mode", "format", "style", "input", "strategy", "algorithm", "algo", "size", "limit",
		"limits", "timeout", "ttl", "lifetime", "duration", "usage", "used", "budget", "schema", "class",
		"kind", "id", "ids", "index", "position", "validator", "validation", "validate", "generator",
		"generate", "template", "widget", "component", "button", "text", "message", "msg", "error",
		"errors", "visible", "visibility", "toggle", "icon", "location", "source", "header", "prefix",
		"suffix", "scope", "scopes", "audience", "issuer", "method", "encoding", "encoder", "decoder",
		"cache", "counter", "interval", "request", "response", "less", "protected", "reveal", "show",
		"hide", "form", "column", "attr", "attribute", "param", "params", "parameter", "arg", "args",
		"option", "options", "config", "settings", "setting", "stdin", "handler", "total", "window",
		"logprobs", "offset", "span", "bucket", "rate", "description", "desc", "title", "doc", "docs",
		"info", "verified", "verify", "check", "checker", "valid", "invalid", "sent", "at", "in", "key_id",
		"keyid", "metadata", "selector", "provided", "set", "exists", "present", "pem", "path", "fingerprint",
		"bits", "mgr", "service", "lookup", "ids", "budgets", "stream", "delta", "id_hint", "question",
		"storage", "dialog", "modal", "page", "screen", "view", "controller", "route", "api", "test", "tests",
		"spec", "mock", "stub", "policy", "rotation", "age", "last", "updated", "created",
		"py", "go", "js", "ts", "rb", "json", "yaml", "yml", "txt", "sh", "md", "toml", "cfg", "conf",
		"ini", "xml", "properties", "tf", "java", "cs", "php", "rs", "kt", "swift", "html", "csv",
		"interface", "selector", "calls", "requests", "manager", "client", "exchange", "source",
		"encryption", "cipher", "digest", "auth", "authentication", "protection", "prompted", "prompts",
	} {
		m[w] = true
	}
	return m
}()

// separator parses what joins a key to its value, from i (just after the
// key), and returns where the value starts.
func separator(s []byte, i int) (int, int, bool) {
	n := len(s)
	var closeQ byte
	if i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '`') {
		closeQ = s[i]
		i++
	}
	if i < n && s[i] == ']' {
		i++ // config['password'] = ...
	}
	if i+1 < n && (s[i] == '?' || s[i] == '!') && s[i+1] == ':' {
		i++ // TypeScript token?: / password!:
	}
	j := skipSpaceTab(s, i, min(n, i+16))
	if j >= n {
		return 0, 0, false
	}
	switch c := s[j]; {
	case c == '=':
		if j+1 < n && s[j+1] == '=' {
			j++ // ==, ===: a comparison with a literal
			if j+1 < n && s[j+1] == '=' {
				j++
			}
		} else if j+1 < n && s[j+1] == '>' {
			j++ // =>
		} else if j+1 < n && s[j+1] == '~' {
			return 0, 0, false // =~ a pattern
		}
		return j + 1, sepAssign, true
	case c == ':':
		if j+1 < n && s[j+1] == ':' {
			return 0, 0, false // password::Type
		}
		if j+1 < n && s[j+1] == '=' {
			j++ // :=
		}
		return j + 1, sepAssign, true
	case (c == '?' || c == '|' || c == '+') && j+1 < n && s[j+1] == '=':
		return j + 2, sepAssign, true // ?= ||= (Makefile, Ruby)
	case c == '>' && closeQ == 0:
		// <password>value</password>: the value must close with </.
		k := j + 1
		e := bytes.IndexByte(s[k:min(n, k+256)], '<')
		if e <= 0 || k+e+1 >= n || s[k+e+1] != '/' {
			return 0, 0, false
		}
		return k, sepAssign, true
	case c == ',' && closeQ != 0:
		// {"name": "DB_PASSWORD", "value": "..."} (ECS, Postman), or
		// ("DB_PASSWORD", "value") in define(), setenv() and friends.
		k := skipSpaceTab(s, j+1, min(n, j+16))
		if k < n && (s[k] == '"' || s[k] == '\'') {
			if v, ok := namedValue(s, k); ok {
				return v, sepAssign, true
			}
			// cfg.set("auth", "password", "..."), put("apiKey", "..."):
			// the literal after the name is its value.
			return k, sepAssign, true
		}
		return 0, 0, false
	case c == '\n' || c == '\r':
		// - name: DB_PASSWORD
		//   value: ...
		k := j
		for k < n && (s[k] == '\n' || s[k] == '\r') {
			k++
		}
		k = skipSpaceTab(s, k, min(n, k+32))
		if hasPrefixFold(s[k:], "value:") {
			return k + len("value:"), sepAssign, true
		}
		return 0, 0, false
	case c == '{' && closeQ == '"':
		// Terraform: variable "db_password" { ... default = "..." }
		return terraformDefault(s, j+1)
	}
	if j == i {
		return 0, 0, false // no space, no separator: part of a longer word
	}
	if k, ok := proseValue(s, j); ok {
		return k, sepProse, true
	}
	if closeQ != 0 && hasPrefixFold(s[j:], "value") {
		// <add key="ApiKey" value="..."/>, name="password" value="..."
		k := skipSpaceTab(s, j+len("value"), min(n, j+16))
		if k < n && s[k] == '=' {
			return k + 1, sepAssign, true
		}
	}
	return j, sepSpace, true
}

// proseValue finds the value in a sentence about the secret, from i just
// after its name: "password is X", "password is now X", "the password for
// the staging server is X", "Passwort für den Server lautet X". A few
// words may come between the name and the verb; the value must then pass
// the prose judgement (it must look generated).
func proseValue(s []byte, i int) (int, bool) {
	n := len(s)
	verb := false
	for w := 0; w < 8 && i < n; w++ {
		e := i
		for e < n && e-i <= 24 && (isAlnum(s[e]) || s[e] == '-' || s[e] == '_' || s[e] >= 0x80) {
			e++
		}
		var buf [25]byte
		word := buf[:min(e-i, len(buf))]
		for k := range word {
			word[k] = lowerTable[s[i+k]]
		}
		switch {
		case verb && !proseAdverbs[string(word)]:
			return i, true
		case e == i || e-i > 24:
			return 0, false
		case proseVerbs[string(word)]:
			verb = true
		}
		if e < n && s[e] == ':' && verb {
			e++ // "is: X"
		}
		if e >= n || !isSpaceTab(s[e]) {
			return 0, false
		}
		i = skipSpaceTab(s, e, min(n, e+4))
	}
	return 0, false
}

// proseVerbs join a secret's name to its value in a sentence; proseAdverbs
// may follow them ("is now", "set to", "lautet jetzt").
var proseVerbs = map[string]bool{
	"is": true, "was": true, "are": true, "ist": true, "lautet": true, "war": true, "est": true, "es": true,
	"to": true, "auf": true, "sind": true,
}

var proseAdverbs = map[string]bool{
	"now": true, "still": true, "currently": true, "just": true, "simply": true, "also": true, "to": true,
	"jetzt": true, "nun": true, "noch": true, "immer": true, "maintenant": true, "ahora": true,
	"set": true, "changed": true, "updated": true, "rotated": true, "actually": true,
}

// namedValue parses "value": after a name in a JSON name/value pair list,
// starting at the quote of the next key.
func namedValue(s []byte, k int) (int, bool) {
	q := s[k]
	if !hasPrefixFold(s[k+1:], "value") || k+6 >= len(s) || s[k+6] != q {
		return 0, false
	}
	j := skipSpaceTab(s, k+7, min(len(s), k+24))
	if j < len(s) && s[j] == ':' {
		return j + 1, true
	}
	return 0, false
}

// terraformDefault finds default = in a variable block that starts at i.
func terraformDefault(s []byte, i int) (int, int, bool) {
	limit := min(len(s), i+400)
	for k := i; k < limit; k++ {
		switch s[k] {
		case '}':
			return 0, 0, false
		case 'd':
			if hasPrefixFold(s[k:], "default") && (k == 0 || !isKeyChar(s[k-1])) {
				j := skipSpaceTab(s, k+len("default"), limit)
				if j < limit && s[j] == '=' {
					return j + 1, sepAssign, true
				}
			}
		}
	}
	return 0, 0, false
}

// isValueStop reports whether c ends an unquoted value.
func isValueStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '"', '\'', '`', '\\', ';', '(', ')', '{', '}', '[', ']', '<', '>', '|':
		return true
	}
	return false
}

// value parses the value that starts at i (after optional spaces) and
// returns its bounds and whether it was quoted.
func value(s []byte, i, maxLen int) (int, int, bool, bool) {
	n := len(s)
	i = skipSpaceTab(s, i, min(n, i+16))
	if i >= n {
		return 0, 0, false, false
	}
	if hasPrefixFold(s[i:], "!!str ") {
		i = skipSpaceTab(s, i+len("!!str "), min(n, i+16))
	}
	// String literal prefixes: b"..", r'..', u"..", @"..".
	if i+1 < n && (s[i] == 'b' || s[i] == 'r' || s[i] == 'u' || s[i] == 'B' || s[i] == 'R' || s[i] == '@') &&
		(s[i+1] == '"' || s[i+1] == '\'') {
		i++
	}
	if i >= n {
		return 0, 0, false, false
	}
	if q := s[i]; q == '"' || q == '\'' || q == '`' {
		j := i + 1
		for j < n && j-i <= maxLen+1 {
			c := s[j]
			if c == q {
				return i + 1, j, true, true
			}
			if c == '\\' || c == '\n' || c == '\r' {
				// An escape: the decoded view sees this value whole.
				return 0, 0, false, false
			}
			j++
		}
		return 0, 0, false, false
	}
	if hasPrefixFold(s[i:], "[]byte(") || hasPrefixFold(s[i:], "buffer.from(") {
		// []byte("...") in Go, Buffer.from("...") in JavaScript.
		k := i + bytes.IndexByte(s[i:], '(') + 1
		if k < n && (s[k] == '"' || s[k] == '\'' || s[k] == '`') {
			return value(s, k, maxLen)
		}
	}
	j := i
	for j < n && j-i <= maxLen && !isValueStop(s[j]) {
		if (s[j] == '&' || s[j] == ',') && j > i && (queryParamNext(s[j+1:]) || s[j] == ',' && (j+1 >= n || isSpace(s[j+1]) || s[j+1] == '"')) {
			break // the next parameter, or a list's separator
		}
		j++
	}
	if j == i || j-i > maxLen || j == n && j-i >= 64 {
		// Empty, too long, or cut off by the end of the window.
		return 0, 0, false, false
	}
	for j > i+1 && s[j-1] == ',' {
		j--
	}
	if j < n && (s[j] == '(' || s[j] == '[' || s[j] == '{' || s[j] == '<' && (j+1 >= n || s[j+1] != '/')) {
		return 0, 0, false, false // a call, an index, a generic: code
	}
	return i, j, false, true
}

// queryParamNext reports whether s starts with name=, the next parameter
// of a query string or connection string.
func queryParamNext(s []byte) bool {
	for i, c := range s {
		if c == '=' {
			return i > 0 && (i+1 >= len(s) || s[i+1] != '=') // not base64 padding
		}
		if !(isAlnum(c) || c == '_' || c == '-' || c == '.') || i > 40 {
			return false
		}
	}
	return false
}

// codeObjects are receivers whose fields hold secrets in code: a value
// like config.password or process.env.API_TOKEN names the secret, it is not
// the secret.
var codeObjects = map[string]bool{
	"self": true, "this": true, "config": true, "cfg": true, "conf": true, "settings": true, "os": true,
	"process": true, "env": true, "environ": true, "props": true, "args": true, "opts": true,
	"options": true, "params": true, "secrets": true, "vars": true, "var": true, "local": true,
	"data": true, "module": true, "input": true, "inputs": true, "ctx": true, "context": true,
	"request": true, "req": true, "app": true, "window": true, "import": true, "deno": true,
	"system": true, "user": true, "credentials": true, "creds": true, "auth": true, "form": true,
	"values": true, "value": true, "state": true, "session": true, "steps": true, "needs": true,
	"github": true, "matrix": true, "random_password": true, "random_string": true, "aws_secretsmanager_secret_version": true,
	"azurerm_key_vault_secret": true, "vault_generic_secret": true, "google_secret_manager_secret_version": true,
	"rails": true, "django": true, "flask": true, "current_app": true, "client": true, "cls": true,
	"kwargs": true, "result": true, "response": true, "res": true, "body": true, "payload": true,
	"event": true, "msg": true, "message": true, "obj": true, "o": true, "p": true, "m": true, "c": true,
	"s": true, "u": true, "x": true, "r": true, "t": true, "e": true, "k": true, "v": true, "item": true,
	"account": true, "secret": true, "token": true, "key": true, "db": true, "database": true,
	"properties": true, "prop": true, "setting": true, "spec": true, "env_vars": true, "environment": true,
}

// judge decides whether a value looks like a credential.
func (f *assignFamily) judge(v []byte, quoted bool, mode int) bool {
	n := len(v)
	if mode == sepProse {
		v = bytes.TrimRight(v, ".:!?")
		n = len(v)
	}
	if n < f.minLen || n > f.maxLen {
		return false
	}
	switch c := v[0]; {
	case c == '$' || c == '{':
		return false // references: $X, ${X}, {{ x }}, {name}
	case quoted:
		// A string literal may start with anything a generator emits.
	case c == '%' || c == '<' || c == '!' || c == '&' || c == '*' || c == '=' || c == '~' || c == '#' ||
		c == '@' || c == '[' || c == '|' || c == '>' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';':
		return false // YAML tags, anchors and aliases, comments, operators
	case c == '.':
		if n > 1 && (v[1] == '/' || v[1] == '.') {
			return false // ./path, ../path
		}
	case c == '-':
		if n > 1 && v[1] == '-' || isFlag(v) {
			return false // --another-flag, -v
		}
	}
	if v[n-1] == ':' || v[n-1] == '=' && n > 1 && v[n-2] != '=' && !isB64Std(v[n-2]) {
		return false
	}
	if bytes.ContainsAny(v, " \t\"'`") {
		return false // labels, prose, struct tags: "Enter your password", json:"pw"
	}
	if !f.password && isUUID(v) {
		return false // an ID (a request, a Codecov upload token), not a credential
	}
	if hasTestWord(v, f.password) || bytes.Contains(v, []byte("aws4_request")) {
		return false // (aws4_request: a SigV4 credential scope, not a secret)
	}
	if isLowerPhrase(v) {
		return false // my-app-secret, consul-sd-alice, prometheus-k8s
	}
	if bytes.Contains(v, []byte("://")) || bytes.Contains(v, []byte("::")) {
		return false // a URL (the URL rules look inside) or Ruby/C++ scope
	}
	var lower, upper, digit, other, dots, unders int
	for _, c := range v {
		switch {
		case isLowerASCII(c):
			lower++
		case isUpperASCII(c):
			upper++
		case isDigitASCII(c):
			digit++
		default:
			other++
			switch c {
			case '.':
				dots++
			case '_':
				unders++
			}
		}
	}
	letters := lower + upper
	if isIdentifierChain(v) && dots > 0 && isCodeChain(v) && (mode != sepAssign || !quoted && !endsInNumber(v) || digit == 0) {
		// atomic.Int32, corev1.SecretKeySelector, config.password,
		// "com.example.Token": code and names, not values.
		return false
	}
	if mode != sepAssign && bytes.ContainsAny(v, "()[]{}<>") {
		return false
	}
	if isIdentifierChain(v) {
		first := v
		if i := bytes.IndexByte(v, '.'); i >= 0 {
			first = v[:i]
		}
		if !quoted && dots > 0 && isCodeChain(v) && (digit == 0 || codeObjects[string(bytes.ToLower(first))]) {
			return false // config.password, process.env.TOKEN
		}
		if !quoted && dots == 0 && (lower > 0 && upper == 0 && unders > 0 || looksCamel(bytes.TrimRight(v, "0123456789"))) {
			return false // a snake_case or camelCase variable: token_v2, authToken2
		}
		if digit == 0 && dots == 0 {
			// An identifier: DB_PASSWORD, access_token, userPassword,
			// or a word. Random letters-only tokens are long and mixed.
			if unders > 0 || n < 20 || lower == 0 || upper == 0 || entropy(v) < 3.8 || looksCamel(v) {
				return false
			}
		}
	}
	if looksPathOrFile(v) || looksEmail(v) || looksVersionOrDate(v) {
		return false
	}
	if digit == n {
		// Numbers: a port, a count, a PIN-length. A password of digits
		// alone needs length.
		return f.password && n >= 8 && mode == sepAssign && entropy(v) >= 2.5
	}
	if letters == 0 && digit == 0 {
		return false // punctuation only
	}
	ent := entropy(v)
	strong := digit > 0 && letters > 0 && ent >= 3.0 && n >= 8
	if mode == sepProse {
		// Prose names things: "AS-983163327", "man2/mlock.2". A value
		// there must look generated: mixed case, or long.
		return strong && (lower > 0 && upper > 0 || n >= 16) && !bytes.ContainsAny(v, "/\\")
	}
	if f.password {
		classes := 0
		for _, k := range []int{lower, upper, digit, other} {
			if k > 0 {
				classes++
			}
		}
		if classes < 2 || ent < 2.4 {
			return false
		}
		if digit == 0 && other == 0 {
			// Mixed-case letters only: a word pair like "SuperSecret" is a
			// test value; a long random one is not.
			return n >= 12 && ent >= 3.4 && !looksCamel(v)
		}
		return true
	}
	if digit == 0 {
		// Letters and punctuation only: long and random, or a phrase of
		// words (my-app-secret, keyboard-cat) that is not a credential.
		return n >= 20 && ent >= 3.8 && lower > 0 && upper > 0 && !looksCamel(v)
	}
	if letters == 0 {
		return false
	}
	min := 3.0
	if n >= 32 {
		min = 3.2
	}
	if isHexString(v) {
		min = 2.8 // 16 symbols: random hex sits near 3.7, and lower often
	}
	return ent >= min
}

// endsInNumber reports whether v ends in three or more digits, as human
// passwords do (Quartz.Maple1773) and member names do not (atomic.Int32).
func endsInNumber(v []byte) bool {
	n := len(v) - len(bytes.TrimRight(v, "0123456789"))
	return n >= 3
}

// strongRandom reports whether v looks machine-generated beyond doubt:
// upper and lower case letters and digits, not hex, high entropy.
func strongRandom(v []byte) bool {
	lower, upper, digit := classCounts(v)
	return lower > 0 && upper > 0 && digit > 0 && entropy(v) >= 3.8 && !isHexString(v)
}

// isUUID reports whether v is a UUID in its canonical form.
func isUUID(v []byte) bool {
	if len(v) != 36 {
		return false
	}
	for i, c := range v {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(isDigitASCII(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func isHexString(v []byte) bool {
	for _, c := range v {
		if !(isDigitASCII(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-') {
			return false
		}
	}
	return true
}

// isFlag reports whether v reads as a command-line flag: -v, -rf, -foo.
func isFlag(v []byte) bool {
	if len(v) < 2 || v[0] != '-' {
		return false
	}
	for _, c := range v[1:] {
		if !isLowerASCII(c) && c != '-' {
			return false
		}
	}
	return true
}

// isCodeChain reports whether every part of a dotted chain is shaped like
// a word in code (config, process, env, DB_PASSWORD, SecretKeySelector,
// corev1, Int32), so the chain is a member access, not a value with dots.
// A random password with a dot has parts like "TFaA" or "hx6VFD".
func isCodeChain(v []byte) bool {
	for _, seg := range bytes.Split(v, []byte(".")) {
		if !isWordShaped(seg) {
			return false
		}
	}
	return true
}

func isWordShaped(seg []byte) bool {
	seg = bytes.TrimRight(seg, "0123456789")
	if len(seg) == 0 {
		return true
	}
	var lower, upper, under int
	for _, c := range seg {
		switch {
		case isLowerASCII(c):
			lower++
		case isUpperASCII(c):
			upper++
		case c == '_' || c == '$':
			under++
		default:
			return false // a digit inside (Pr52Rkv3w): random, not a name
		}
	}
	switch {
	case upper == 0:
		return true // config, db_pass, corev1
	case lower == 0:
		return true // DB_PASSWORD, ENV
	}
	// camelCase or PascalCase: every capital starts a lowercase run.
	for i, c := range seg {
		if isUpperASCII(c) && (i+1 >= len(seg) || !isLowerASCII(seg[i+1])) {
			return false
		}
	}
	return true
}

// testWords mark a value as a fixture or a stand-in. Random credentials
// contain them with negligible probability; the name of the secret
// ("token", "password") inside its value gives away a test value.
var testWords = []string{"test", "mock", "fake", "dummy", "sample", "example", "placeholder", "changeme", "password", "passwd"}

var nameWords = []string{"token", "secret", "apikey", "api_key", "api-key", "credential"}

func hasTestWord(v []byte, password bool) bool {
	if len(v) > 64 {
		return false // long values are random enough; a word would be a coincidence
	}
	var low [64]byte
	l := low[:len(v)]
	for i, c := range v {
		l[i] = lowerTable[c]
	}
	has := func(w string) bool {
		for i := 0; ; i++ {
			k := bytes.Index(l[i:], []byte(w))
			if k < 0 {
				return false
			}
			i += k
			if wordCase(v[i : i+len(w)]) {
				return true
			}
		}
	}
	for _, w := range testWords {
		if has(w) {
			return true
		}
	}
	if !password {
		for _, w := range nameWords {
			if has(w) {
				return true
			}
		}
	}
	return false
}

// wordCase reports whether w is cased like a word someone typed (test,
// TEST, Test) rather than like random characters that happen to spell it
// (FaKE).
func wordCase(w []byte) bool {
	var upper int
	for _, c := range w {
		if isUpperASCII(c) {
			upper++
		}
	}
	return upper == 0 || upper == len(w) || upper == 1 && isUpperASCII(w[0])
}

// isLowerPhrase reports whether v is lowercase words joined by - _ or .,
// with few digits: a name (my-app-secret, scrape-alice, prometheus-k8s),
// not a credential. Lowercase hex with dashes (a UUID) has many digits.
func isLowerPhrase(v []byte) bool {
	seps, digits, letters := 0, 0, 0
	for i, c := range v {
		switch {
		case isLowerASCII(c):
			letters++
		case isDigitASCII(c):
			digits++
		case c == '-' || c == '_' || c == '.':
			if i == 0 || i == len(v)-1 {
				return false
			}
			seps++
		default:
			return false
		}
	}
	return seps > 0 && digits*3 <= digits+letters
}

// isIdentifierChain reports whether v is one identifier or a dotted chain
// of them: letters, digits, _ and $, starting with a letter, _ or $.
func isIdentifierChain(v []byte) bool {
	start := true
	for _, c := range v {
		switch {
		case c == '.':
			if start {
				return false
			}
			start = true
		case isAlnum(c) || c == '_' || c == '$':
			if start && isDigitASCII(c) {
				return false
			}
			start = false
		default:
			return false
		}
	}
	return !start
}

// looksCamel reports whether a letters-only value reads as words:
// camelCase or PascalCase humps each followed by lowercase runs.
func looksCamel(v []byte) bool {
	humps, lowRun := 0, 0
	for i, c := range v {
		switch {
		case isUpperASCII(c):
			if i > 0 && isUpperASCII(v[i-1]) {
				return false // two capitals in a row: not camelCase
			}
			if i > 0 && lowRun < 2 {
				return false
			}
			humps++
			lowRun = 0
		case isLowerASCII(c):
			lowRun++
		default:
			lowRun = 0
		}
	}
	return humps >= 1 && lowRun >= 2 && humps <= len(v)/3
}

func looksPathOrFile(v []byte) bool {
	if len(v) >= 3 && isAlnum(v[0]) && v[1] == ':' && (v[2] == '\\' || v[2] == '/') {
		return true // C:\ or C:/
	}
	if bytes.HasPrefix(v, []byte("~/")) || bytes.HasPrefix(v, []byte("file:")) {
		return true
	}
	for _, ext := range []string{".json", ".pem", ".key", ".txt", ".yaml", ".yml", ".env", ".p12", ".pfx",
		".crt", ".cer", ".jks", ".keystore", ".conf", ".cfg", ".ini", ".toml", ".xml", ".properties",
		".gpg", ".asc", ".der", ".pub", ".enc", ".sh", ".py", ".js", ".ts", ".go", ".rb", ".php", ".html"} {
		if len(v) > len(ext) && bytes.HasSuffix(bytes.ToLower(v), []byte(ext)) {
			// A file name: the base is a name, not random characters.
			base := v[:len(v)-len(ext)]
			if bytes.IndexFunc(base, func(r rune) bool {
				return !(r < 0x80 && (isAlnum(byte(r)) || r == '_' || r == '-' || r == '.' || r == '/'))
			}) < 0 &&
				isWordish(base) {
				return true
			}
		}
	}
	for _, p := range []string{"arn:", "projects/", "vault:", "sm:", "awssm:", "ref+", "secretsmanager:", "kv/", "secret/", "secrets/", "urn:", "uuid:", "sha256:", "sha1:", "sha512:", "md5:"} {
		if hasPrefixFold(v, p) {
			return true
		}
	}
	if n := bytes.Count(v, []byte("/")); n == 1 {
		// one/two or /root: a path if its parts are words without digits.
		for i, seg := range bytes.Split(v, []byte("/")) {
			if len(seg) == 0 && i == 0 {
				continue
			}
			if len(seg) == 0 || bytes.IndexFunc(seg, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-' || r == '.')
			}) >= 0 {
				return false
			}
		}
		return true
	}
	if bytes.Count(v, []byte("/")) >= 2 {
		// A path has word-like segments; base64 has random ones.
		for _, seg := range bytes.Split(v, []byte("/")) {
			if len(seg) >= 4 && !isWordish(bytes.TrimRight(seg, "=")) {
				return false
			}
		}
		return true
	}
	return false
}

// isWordish reports whether s has no digits mixed into mixed-case letters:
// the look of a path segment, not of base64.
func isWordish(s []byte) bool {
	lower, upper, digit := classCounts(s)
	return !(upper > 0 && lower > 0 && digit > 0) && !(upper > 1 && lower > 0 && upper*3 > lower)
}

func looksEmail(v []byte) bool {
	at := bytes.IndexByte(v, '@')
	if at <= 0 || at == len(v)-1 {
		return false
	}
	dom := v[at+1:]
	dot := bytes.LastIndexByte(dom, '.')
	if dot <= 0 || len(dom)-dot-1 < 2 {
		return false
	}
	for _, c := range dom[dot+1:] {
		if !isLowerASCII(c) {
			return false
		}
	}
	return true
}

// looksVersionOrDate matches 1.2.3, v2.0.1-rc1, 2024-01-31 and 12:30:00.
func looksVersionOrDate(v []byte) bool {
	s := v
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		s = s[1:]
	}
	if len(s) == 0 || !isDigitASCII(s[0]) {
		return false
	}
	seps := 0
	for i, c := range s {
		switch {
		case isDigitASCII(c):
		case c == '.' || c == '-' || c == ':' || c == '/' || c == 'T' || c == 'Z':
			seps++
		default:
			// a pre-release tag after the numbers: 1.2.3-beta
			return seps >= 2 && i > 0 && (s[i-1] == '-' || s[i-1] == '+')
		}
	}
	return seps >= 1
}
