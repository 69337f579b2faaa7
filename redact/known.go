// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// KnownSecret is an exact value hush was told about: from its environment,
// a dotenv file, a plain file or a command. Name says where it came from
// (a variable or file name) and may be logged; Value never is.
type KnownSecret struct {
	Name  string
	Value []byte
	// Kind is the placeholder kind. "": derived from Name, so an
	// OPENAI_API_KEY becomes hush_openai-api-key_....
	Kind string
}

// Secret is a value that must not be printed. Its String and LogValue
// methods return [REDACTED], so a stray %v or slog attribute cannot leak it.
type Secret []byte

func (Secret) String() string   { return "[REDACTED]" }
func (Secret) GoString() string { return "[REDACTED]" }

// MinKnownLen is the shortest value accepted as a known secret: shorter
// ones would match ordinary text.
const MinKnownLen = 8

// minKnownEntropy rejects values like "aaaaaaaa" or "11111111".
const minKnownEntropy = 1.5

// ErrWeakSecret is returned for a known value that is too short or too
// uniform to be matched safely.
var ErrWeakSecret = errors.New("value too short or too low in entropy to match safely")

// A form is one encoding a known value can travel in.
type form struct {
	text    []byte // what appears in the input
	restore []byte // what the placeholder stands for
	fold    bool   // compare case-insensitively (hex)
	b64     bool   // an alignment-independent base64 core
}

type knownSecret struct {
	name, kind string
	forms      []form
}

func newKnownSecret(k KnownSecret) (*knownSecret, error) {
	if err := CheckKnown(k.Value); err != nil {
		return nil, fmt.Errorf("known secret %s: %w", k.Name, err)
	}
	kind := k.Kind
	if kind == "" {
		kind = kindFromName(k.Name)
	}
	if !validKind(kind) {
		return nil, fmt.Errorf("known secret %s: kind %q must be lowercase letters, digits and '-'", k.Name, kind)
	}
	return &knownSecret{name: k.Name, kind: kind, forms: encodings(k.Value)}, nil
}

// CheckKnown reports whether v can be matched safely as a known secret.
func CheckKnown(v []byte) error {
	if len(v) < MinKnownLen || entropy(v) < minKnownEntropy {
		return ErrWeakSecret
	}
	return nil
}

// kindFromName turns GITHUB_TOKEN into github-token.
func kindFromName(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= maxKindLen {
			break
		}
	}
	k := strings.Trim(b.String(), "-")
	if k == "" {
		return "secret"
	}
	return k
}

// encodings returns every form v can travel in: raw, JSON-escaped,
// URL-encoded, hex, and the alignment-independent cores of its base64
// encodings (standard and URL alphabets, at all three alignments), so it is
// found inside a longer blob such as a Basic auth header or a Kubernetes
// Secret.
func encodings(v []byte) []form {
	var forms []form
	seen := map[string]bool{}
	add := func(text, restore []byte, fold bool) *form {
		if len(text) < knownMinPat || seen[string(text)] {
			return nil
		}
		seen[string(text)] = true
		forms = append(forms, form{text: text, restore: restore, fold: fold})
		return &forms[len(forms)-1]
	}
	add(v, v, false)
	if j, err := json.Marshal(string(v)); err == nil {
		add(j[1:len(j)-1], v, false)
		// JSON inside a JSON string: the escapes escaped again.
		if j2, err := json.Marshal(string(j[1 : len(j)-1])); err == nil {
			add(j2[1:len(j2)-1], v, false)
		}
	}
	for _, u := range []string{url.QueryEscape(string(v)), url.PathEscape(string(v))} {
		add([]byte(u), []byte(u), false)
	}
	h := []byte(hex.EncodeToString(v))
	add(h, h, true)
	for k := 0; k < 3; k++ {
		buf := make([]byte, k+len(v))
		copy(buf[k:], v)
		enc := base64.StdEncoding.EncodeToString(buf)
		first := (8*k + 5) / 6
		last := (8*k + 8*len(v)) / 6
		if last-first < knownMinPat {
			continue
		}
		core := []byte(enc[first:last])
		u := []byte(toURLAlphabet(string(core)))
		for _, c := range [][]byte{core, u} {
			if f := add(c, c, false); f != nil {
				f.b64 = true
			}
		}
	}
	return forms
}

// envNameRE matches variable names that hold secrets, as words: GITHUB_TOKEN,
// DB_PASSWORD, OPENAI_API_KEY, but not AUTHOR or TOKENIZERS_PARALLELISM's
// neighbours like PWD.
var envNameRE = regexp.MustCompile(`(?i)(^|_)(secret|secrets|token|tokens|passw(or)?d|pwd|pass|api_?key|apikey|access_?key|private_?key|credentials?|auth)(_|$)`)

// envExcluded are names that match envNameRE but never hold a secret.
var envExcluded = map[string]bool{
	"PWD": true, "OLDPWD": true, "SSH_AUTH_SOCK": true, "XAUTHORITY": true,
	"GPG_AGENT_INFO": true, "KRB5CCNAME": true, "TOKENIZERS_PARALLELISM": true,
}

// FromEnviron picks the known secrets out of an environment ("KEY=value"
// entries). It returns a warning, naming the variable but never the value,
// for each secret-looking variable whose value is too weak to match.
func FromEnviron(environ []string) (secrets []KnownSecret, warnings []string) {
	for _, kv := range environ {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || envExcluded[name] || !envNameRE.MatchString(name) || notSecretValue(val) {
			continue
		}
		if CheckKnown([]byte(val)) != nil {
			warnings = append(warnings, fmt.Sprintf("environment variable %s: not used as a known secret: %v", name, ErrWeakSecret))
			continue
		}
		secrets = append(secrets, KnownSecret{Name: name, Value: []byte(val)})
	}
	return secrets, warnings
}

// notSecretValue reports values that are obviously not secrets: paths,
// booleans, numbers, and empty strings.
func notSecretValue(v string) bool {
	switch strings.ToLower(v) {
	case "", "true", "false", "yes", "no", "on", "off", "null", "none":
		return true
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, "./") {
		return true
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseDotenv reads KEY=value lines (optionally "export KEY=value", quoted
// values, # comments) and returns every value as a known secret named
// source:KEY. Values too weak to match are skipped with a warning.
func ParseDotenv(r io.Reader, source string) (secrets []KnownSecret, warnings []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), unquoteDotenv(strings.TrimSpace(val))
		if notSecretValue(val) {
			continue
		}
		if CheckKnown([]byte(val)) != nil {
			warnings = append(warnings, fmt.Sprintf("%s:%d: %s: not used as a known secret: %v", source, n, key, ErrWeakSecret))
			continue
		}
		secrets = append(secrets, KnownSecret{Name: key, Value: []byte(val)})
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", source, err)
	}
	return secrets, warnings, nil
}

func unquoteDotenv(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	// An unquoted value ends at a " #" comment.
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// FromPlain returns the content of a plain secret file (trailing newlines
// trimmed) as one known secret.
func FromPlain(r io.Reader, name string) (KnownSecret, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return KnownSecret{}, fmt.Errorf("reading %s: %w", name, err)
	}
	v := bytes.TrimRight(data, "\r\n")
	if err := CheckKnown(v); err != nil {
		return KnownSecret{}, fmt.Errorf("%s: %w", name, err)
	}
	return KnownSecret{Name: name, Value: v}, nil
}

// DefaultCommandTimeout bounds a secret command run at start.
const DefaultCommandTimeout = 10 * time.Second

// FromCommand runs argv (such as op read op://vault/item/field, or gh auth
// token) and returns its trimmed stdout as a known secret named name. Its
// stderr is discarded: it could echo the value.
func FromCommand(ctx context.Context, name string, argv []string, timeout time.Duration) (KnownSecret, error) {
	if len(argv) == 0 {
		return KnownSecret{}, fmt.Errorf("secret %s: empty command", name)
	}
	if timeout <= 0 {
		timeout = DefaultCommandTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return KnownSecret{}, fmt.Errorf("secret %s: command %s timed out after %v", name, argv[0], timeout)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return KnownSecret{}, fmt.Errorf("secret %s: command %s exited with status %d", name, argv[0], ee.ExitCode())
		}
		return KnownSecret{}, fmt.Errorf("secret %s: running %s: %w", name, argv[0], err)
	}
	v := bytes.TrimRight(out, "\r\n")
	if err := CheckKnown(v); err != nil {
		return KnownSecret{}, fmt.Errorf("secret %s: %w", name, err)
	}
	return KnownSecret{Name: name, Value: v}, nil
}
