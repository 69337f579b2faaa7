// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The default ports of the contract in DESIGN.md: hush serve --listen and --admin.
const (
	proxyPort = "8080"
	adminPort = "8081"
)

// repoRoot is the module root, one level up from this package.
const repoRoot = ".."

// readFile returns the contents of a file relative to this directory.
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeYAML decodes every YAML document in b, each into a new T.
func decodeYAML[T any](t *testing.T, name string, b []byte) []T {
	t.Helper()
	var docs []T
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var v T
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs = append(docs, v)
	}
}

// decodeOne decodes a file holding exactly one YAML document.
func decodeOne[T any](t *testing.T, name string) T {
	t.Helper()
	docs := decodeYAML[T](t, name, readFile(t, name))
	if len(docs) != 1 {
		t.Fatalf("%s: %d YAML documents, want 1", name, len(docs))
	}
	return docs[0]
}

// flagValue returns the value after flag in args ("--admin ADDR" or
// "--admin=ADDR", with one or two dashes), and whether it was there.
func flagValue(args []string, flag string) (string, bool) {
	name := strings.TrimLeft(flag, "-")
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		k, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if k != name {
			continue
		}
		if hasValue {
			return v, true
		}
		if i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// portOf returns the port of a host:port address, or "" if it has none.
func portOf(addr string) string {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return ""
	}
	return addr[i+1:]
}

// hostOf returns the host of a host:port address.
func hostOf(addr string) string {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return addr
	}
	return strings.Trim(addr[:i], "[]")
}

// isLoopback reports whether host is a loopback name or address.
func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// under reports whether path is dir or inside it.
func under(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

// requireTool returns the path of an external tool the tests need. Off CI
// a missing tool skips the test; on CI (CI set, as .ci/run runs) it fails,
// because .ci/run is meant to install it.
func requireTool(t *testing.T, name, installedBy string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not on PATH, and CI=%s: %s", name, os.Getenv("CI"), installedBy)
	}
	t.Skipf("%s is not on PATH (%s); skipping outside CI", name, installedBy)
	return ""
}

// run runs a command and returns its combined output, failing the test when
// it exits non-zero.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
