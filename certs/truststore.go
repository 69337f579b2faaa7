// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// Runner runs the external programs that trust stores are managed with
// (update-ca-certificates, certutil, keytool, security), so that tests can
// fake them and need no privileges.
type Runner interface {
	// LookPath finds a program, as exec.LookPath does.
	LookPath(name string) (string, error)
	// Run runs a program to completion and returns its combined output.
	Run(ctx context.Context, name string, args ...string) ([]byte, error)
}

// ExecRunner runs programs with os/exec.
type ExecRunner struct{}

// LookPath implements [Runner].
func (ExecRunner) LookPath(name string) (string, error) { return exec.LookPath(name) }

// Run implements [Runner].
func (ExecRunner) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}

// Status is what happened to one trust store.
type Status int

const (
	Skipped          Status = iota // the store is absent or unusable here; see Reason and Hint
	AlreadyInstalled               // the CA was already trusted (Install, Installed)
	NowInstalled                   // Install added the CA
	NotInstalled                   // the CA is not there (Uninstall, Installed)
	NowUninstalled                 // Uninstall removed the CA
	Failed                         // a command failed; see Err and Hint
)

func (s Status) String() string {
	switch s {
	case Skipped:
		return "skipped"
	case AlreadyInstalled:
		return "already installed"
	case NowInstalled:
		return "now installed"
	case NotInstalled:
		return "not installed"
	case NowUninstalled:
		return "now uninstalled"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result is the outcome for one trust store.
type Result struct {
	Store  string // name for HUSH_TRUST_STORES: "system", "nss" or "java"
	Name   string // for people: "system store (Debian/Ubuntu)"
	Status Status
	Reason string // why it was skipped or failed
	Hint   string // the exact command that does it by hand; "" if none helps
	Err    error  // Failed only
}

// StoreNames are the trust stores, as HUSH_TRUST_STORES names them.
var StoreNames = []string{"system", "nss", "java"}

// Trust installs a CA into the trust stores of this machine: the system
// store (Debian/Ubuntu, Fedora/RHEL, Arch and openSUSE anchors, the macOS
// system keychain, the Windows user root store), NSS databases of Firefox
// and Chrome (with certutil) and the Java keystore (with keytool). Every
// operation checks first, so it is idempotent.
type Trust struct {
	Runner     Runner   // nil: ExecRunner
	Env        []string // HOME, JAVA_HOME and HUSH_TRUST_STORES (comma-separated store names; unset: all); nil: empty
	Privileged bool     // running as root: no sudo
	GOOS       string   // "": runtime.GOOS
	Root       string   // prefix for system paths such as /etc; "": none (tests point it at a temp dir)
}

// Install adds ca to each selected store that does not trust it yet.
func (t *Trust) Install(ctx context.Context, ca *CA) ([]Result, error) {
	return t.each(ctx, ca, func(s store, r *Result) {
		ok, err := s.installed(ctx)
		if err != nil {
			r.fail(err, s.hint(false))
			return
		}
		if ok {
			r.Status = AlreadyInstalled
			return
		}
		if err := s.install(ctx); err != nil {
			r.fail(err, s.hint(false))
			return
		}
		if ok, err := s.installed(ctx); !ok || err != nil {
			r.fail(fmt.Errorf("the CA is still not trusted after installing it (%v)", err), s.hint(false))
			return
		}
		r.Status = NowInstalled
	})
}

// Uninstall removes ca from each selected store that has it.
func (t *Trust) Uninstall(ctx context.Context, ca *CA) ([]Result, error) {
	return t.each(ctx, ca, func(s store, r *Result) {
		ok, err := s.installed(ctx)
		if err != nil {
			r.fail(err, s.hint(true))
			return
		}
		if !ok {
			r.Status = NotInstalled
			return
		}
		if err := s.uninstall(ctx); err != nil {
			r.fail(err, s.hint(true))
			return
		}
		if ok, err := s.installed(ctx); ok || err != nil {
			r.fail(fmt.Errorf("the CA is still trusted after uninstalling it (%v)", err), s.hint(true))
			return
		}
		r.Status = NowUninstalled
	})
}

// Installed reports, per selected store, whether it trusts ca.
func (t *Trust) Installed(ctx context.Context, ca *CA) ([]Result, error) {
	return t.each(ctx, ca, func(s store, r *Result) {
		ok, err := s.installed(ctx)
		switch {
		case err != nil:
			r.fail(err, "")
		case ok:
			r.Status = AlreadyInstalled
		default:
			r.Status = NotInstalled
			r.Hint = "hush ca install"
		}
	})
}

func (r *Result) fail(err error, hint string) {
	r.Err, r.Reason, r.Hint = err, err.Error(), hint
	r.Status = Failed
	if errors.Is(err, errNoSudo) {
		// Not a failure of the store: we may not touch it from here.
		r.Status, r.Err = Skipped, nil
	}
}

// each runs do for every selected store that is usable here.
func (t *Trust) each(ctx context.Context, ca *CA, do func(store, *Result)) ([]Result, error) {
	s := &system{t: t, ca: ca, run: t.Runner, goos: t.GOOS}
	if s.run == nil {
		s.run = ExecRunner{}
	}
	if s.goos == "" {
		s.goos = runtime.GOOS
	}
	selected, err := s.selected()
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, st := range []store{s.systemStore(), &nssStore{s: s}, &javaStore{s: s}} {
		if !slices.Contains(selected, st.id()) {
			continue
		}
		skip, hint := st.detect(ctx)
		r := Result{Store: st.id(), Name: st.name()}
		if skip != "" {
			r.Status, r.Reason, r.Hint = Skipped, skip, hint
		} else {
			do(st, &r)
		}
		results = append(results, r)
	}
	return results, nil
}

// store is one kind of trust store, implemented once per platform
// (truststore_<kind>.go), as mkcert does.
type store interface {
	id() string   // HUSH_TRUST_STORES name
	name() string // for people; valid after detect
	// detect finds the store; a non-empty skip says why it cannot be used
	// here and hint (maybe "") what would make it usable.
	detect(ctx context.Context) (skip, hint string)
	installed(ctx context.Context) (bool, error)
	install(ctx context.Context) error
	uninstall(ctx context.Context) error
	hint(uninstall bool) string // the manual command
}

// system is what the stores share: the CA, the runner and the machine.
type system struct {
	t    *Trust
	ca   *CA
	run  Runner
	goos string
}

func (s *system) getenv(key string) string {
	for i := len(s.t.Env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(s.t.Env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// selected returns the store names HUSH_TRUST_STORES asks for.
func (s *system) selected() ([]string, error) {
	v := s.getenv("HUSH_TRUST_STORES")
	if strings.TrimSpace(v) == "" {
		return StoreNames, nil
	}
	var names []string
	for n := range strings.FieldsFuncSeq(strings.ToLower(v), func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slices.Contains(StoreNames, n) {
			return nil, fmt.Errorf("HUSH_TRUST_STORES: unknown store %q (known: %s)", n, strings.Join(StoreNames, ", "))
		}
		names = append(names, n)
	}
	return names, nil
}

// path maps a system path into Trust.Root.
func (s *system) path(p string) string {
	if s.t.Root == "" {
		return p
	}
	return filepath.Join(s.t.Root, filepath.FromSlash(p))
}

// has reports whether a program is on PATH.
func (s *system) has(name string) bool {
	_, err := s.run.LookPath(name)
	return err == nil
}

// errNoSudo: the command needs root, we are not root, and there is no sudo.
var errNoSudo = errors.New("needs root, and sudo was not found")

// exec runs a command and wraps its failure with the command's own words.
func (s *system) exec(ctx context.Context, args ...string) ([]byte, error) {
	out, err := s.run.Run(ctx, args[0], args[1:]...)
	if err != nil {
		msg := lastLine(out)
		if msg == "" {
			return out, fmt.Errorf("%s: %w", args[0], err)
		}
		return out, fmt.Errorf("%s: %w: %s", args[0], err, msg)
	}
	return out, nil
}

// execRoot runs a command as root: through sudo unless we are root.
func (s *system) execRoot(ctx context.Context, args ...string) ([]byte, error) {
	if s.t.Privileged || s.goos == "windows" {
		return s.exec(ctx, args...)
	}
	if !s.has("sudo") {
		return nil, errNoSudo
	}
	return s.exec(ctx, append([]string{"sudo", "--"}, args...)...)
}

// rootCommand is a command line for a hint, with sudo when needed and
// available (without sudo, the reason already says to run it as root).
func (s *system) rootCommand(args ...string) string {
	if s.t.Privileged || s.goos == "windows" || !s.has("sudo") {
		return shellJoin(args)
	}
	return "sudo " + shellJoin(args)
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// shellJoin quotes args for a POSIX shell, for hints to paste.
func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return strings.Join(quoted, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// inPEM reports whether data holds the CA's certificate among its
// certificates.
func (s *system) inPEM(data []byte) bool {
	return slices.ContainsFunc(pemCertificates(data), func(der []byte) bool { return bytes.Equal(der, s.ca.cert.Raw) })
}

// fileHasCA reports whether the file at path holds the CA.
func (s *system) fileHasCA(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.inPEM(data), nil
}

// installPackage returns the command that installs a package on this
// system, choosing the name per package manager; "" when none is known.
func (s *system) installPackage(names map[string]string) string {
	for _, pm := range []string{"apt-get", "dnf", "yum", "pacman", "zypper", "apk", "brew"} {
		pkg, ok := names[pm]
		if !ok || !s.has(pm) {
			continue
		}
		switch pm {
		case "pacman":
			return s.rootCommand(pm, "-S", "--noconfirm", pkg)
		case "brew":
			return shellJoin([]string{pm, "install", pkg})
		case "apk":
			return s.rootCommand(pm, "add", pkg)
		}
		return s.rootCommand(pm, "install", "-y", pkg)
	}
	return ""
}
