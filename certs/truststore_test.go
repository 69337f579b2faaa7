// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeRunner records commands and plays the machine: programs on PATH and
// a handler that stands in for each program.
type fakeRunner struct {
	t      *testing.T
	path   []string // programs that exist
	calls  []string
	handle func(args []string) ([]byte, error)
}

func (f *fakeRunner) LookPath(name string) (string, error) {
	if slices.Contains(f.path, name) {
		return "/usr/bin/" + name, nil
	}
	return "", fmt.Errorf("exec: %q: executable file not found in $PATH", name)
}

func (f *fakeRunner) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	all := append([]string{name}, args...)
	f.calls = append(f.calls, strings.Join(all, " "))
	if name == "sudo" {
		if args[0] != "--" {
			f.t.Errorf("sudo without --: %q", all)
		}
		all = args[1:]
	}
	return f.handle(all)
}

var errExit1 = errors.New("exit status 1")

// debianMachine fakes a Debian system store under root: cp and rm act on
// the files, update-ca-certificates concatenates the anchors into the
// bundle.
func debianMachine(t *testing.T, root string) func([]string) ([]byte, error) {
	anchors := filepath.Join(root, "usr/local/share/ca-certificates")
	bundle := filepath.Join(root, "etc/ssl/certs/ca-certificates.crt")
	for _, d := range []string{anchors, filepath.Dir(bundle)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	system := newTestCA(t, Options{}).PEM() // a "system root"
	os.WriteFile(bundle, system, 0o644)
	return func(args []string) ([]byte, error) {
		switch args[0] {
		case "cp":
			data, err := os.ReadFile(args[1])
			if err != nil {
				return nil, err
			}
			return nil, os.WriteFile(args[2], data, 0o644)
		case "rm":
			os.Remove(args[2])
			return nil, nil
		case "update-ca-certificates":
			all := slices.Clone(system)
			files, _ := filepath.Glob(filepath.Join(anchors, "*.crt"))
			for _, f := range files {
				data, _ := os.ReadFile(f)
				all = append(all, data...)
			}
			return []byte("1 added, 0 removed; done."), os.WriteFile(bundle, all, 0o644)
		}
		t.Errorf("unexpected command %q", args)
		return nil, errExit1
	}
}

func statuses(results []Result) []string {
	var out []string
	for _, r := range results {
		out = append(out, r.Store+": "+r.Status.String())
	}
	return out
}

func TestTrustDebian(t *testing.T) {
	for _, privileged := range []bool{false, true} {
		t.Run(fmt.Sprintf("privileged=%v", privileged), func(t *testing.T) {
			ca := newTestCA(t, Options{})
			root := t.TempDir()
			run := &fakeRunner{t: t, path: []string{"sudo", "update-ca-certificates", "cp", "rm"}, handle: debianMachine(t, root)}
			trust := &Trust{Runner: run, Env: []string{"HUSH_TRUST_STORES=system"}, Privileged: privileged, GOOS: "linux", Root: root}
			ctx := context.Background()
			anchor := filepath.Join(root, "usr/local/share/ca-certificates", "hush-"+ca.ID()+".crt")
			sudo := "sudo -- "
			if privileged {
				sudo = ""
			}

			results, err := trust.Install(ctx, ca)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := statuses(results), []string{"system: now installed"}; !slices.Equal(got, want) {
				t.Fatalf("Install = %q (%+v), want %q", got, results, want)
			}
			if got, want := results[0].Name, "system store (Debian/Ubuntu)"; got != want {
				t.Errorf("Name = %q, want %q", got, want)
			}
			wantCalls := []string{sudo + "cp " + ca.CertPath() + " " + anchor, sudo + "update-ca-certificates"}
			if !slices.Equal(run.calls, wantCalls) {
				t.Errorf("Install ran %q, want %q", run.calls, wantCalls)
			}

			run.calls = nil
			results, _ = trust.Install(ctx, ca)
			if got, want := statuses(results), []string{"system: already installed"}; !slices.Equal(got, want) || len(run.calls) > 0 {
				t.Errorf("second Install = %q running %q, want %q running nothing", got, run.calls, want)
			}

			results, _ = trust.Installed(ctx, ca)
			if got, want := statuses(results), []string{"system: already installed"}; !slices.Equal(got, want) {
				t.Errorf("Installed = %q, want %q", got, want)
			}

			run.calls = nil
			results, _ = trust.Uninstall(ctx, ca)
			if got, want := statuses(results), []string{"system: now uninstalled"}; !slices.Equal(got, want) {
				t.Errorf("Uninstall = %q (%+v), want %q", got, results, want)
			}
			wantCalls = []string{sudo + "rm -f " + anchor, sudo + "update-ca-certificates --fresh"}
			if !slices.Equal(run.calls, wantCalls) {
				t.Errorf("Uninstall ran %q, want %q", run.calls, wantCalls)
			}
			results, _ = trust.Uninstall(ctx, ca)
			if got, want := statuses(results), []string{"system: not installed"}; !slices.Equal(got, want) {
				t.Errorf("second Uninstall = %q, want %q", got, want)
			}
		})
	}
}

// TestTrustAnchorWithoutUpdate: an anchor copied in by hand without the
// update is not trusted, so Install runs the update.
func TestTrustAnchorWithoutUpdate(t *testing.T) {
	ca := newTestCA(t, Options{})
	root := t.TempDir()
	run := &fakeRunner{t: t, path: []string{"update-ca-certificates"}, handle: debianMachine(t, root)}
	os.WriteFile(filepath.Join(root, "usr/local/share/ca-certificates", "hush-"+ca.ID()+".crt"), ca.PEM(), 0o644)
	trust := &Trust{Runner: run, Env: []string{"HUSH_TRUST_STORES=system"}, Privileged: true, GOOS: "linux", Root: root}
	results, _ := trust.Installed(context.Background(), ca)
	if got, want := statuses(results), []string{"system: not installed"}; !slices.Equal(got, want) {
		t.Errorf("Installed = %q, want %q", got, want)
	}
	results, _ = trust.Install(context.Background(), ca)
	if got, want := statuses(results), []string{"system: now installed"}; !slices.Equal(got, want) {
		t.Errorf("Install = %q, want %q", got, want)
	}
}

func TestTrustSkips(t *testing.T) {
	ca := newTestCA(t, Options{})
	tests := []struct {
		name    string
		path    []string
		dirs    []string
		goos    string
		reason  string
		hint    string
		noSudo  bool
		install bool
	}{
		{
			name: "no update command", path: []string{"apt-get", "sudo"},
			dirs: []string{"usr/local/share/ca-certificates"}, goos: "linux",
			reason: "update-ca-certificates not found", hint: "sudo apt-get install -y ca-certificates",
		},
		{
			name: "no known store", goos: "linux",
			reason: "no known system trust store (Debian/Ubuntu, Fedora/RHEL, Arch or openSUSE)",
		},
		{
			name: "unsupported platform", goos: "plan9",
			reason: "not supported on plan9; add " + ca.CertPath() + " to the trusted roots by hand",
		},
		{
			name: "not root and no sudo", path: []string{"update-ca-certificates"},
			dirs: []string{"usr/local/share/ca-certificates"}, goos: "linux", install: true,
			reason: "needs root, and sudo was not found",
			hint:   "cp " + ca.CertPath() + " /usr/local/share/ca-certificates/hush-" + ca.ID() + ".crt && update-ca-certificates",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range tt.dirs {
				os.MkdirAll(filepath.Join(root, d), 0o755)
			}
			run := &fakeRunner{t: t, path: tt.path, handle: func(args []string) ([]byte, error) {
				t.Errorf("ran %q", args)
				return nil, errExit1
			}}
			trust := &Trust{Runner: run, Env: []string{"HUSH_TRUST_STORES=system"}, GOOS: tt.goos, Root: root}
			results, err := trust.Install(context.Background(), ca)
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 {
				t.Fatalf("Install = %+v, want one result", results)
			}
			r := results[0]
			if r.Status != Skipped || r.Reason != tt.reason || r.Hint != tt.hint || r.Err != nil {
				t.Errorf("Install = %s %q hint %q err %v, want skipped %q hint %q", r.Status, r.Reason, r.Hint, r.Err, tt.reason, tt.hint)
			}
		})
	}
}

func TestTrustFedora(t *testing.T) {
	ca := newTestCA(t, Options{})
	root := t.TempDir()
	anchors := filepath.Join(root, "etc/pki/ca-trust/source/anchors")
	os.MkdirAll(anchors, 0o755)
	os.MkdirAll(filepath.Join(root, "usr/local/share/ca-certificates"), 0o755) // Fedora wins
	run := &fakeRunner{t: t, path: []string{"update-ca-trust"}, handle: func(args []string) ([]byte, error) {
		if args[0] == "cp" {
			data, _ := os.ReadFile(args[1])
			return nil, os.WriteFile(args[2], data, 0o644)
		}
		return nil, nil
	}}
	trust := &Trust{Runner: run, Env: []string{"HUSH_TRUST_STORES=system"}, Privileged: true, GOOS: "linux", Root: root}
	results, _ := trust.Install(context.Background(), ca)
	if len(results) != 1 || results[0].Status != NowInstalled || results[0].Name != "system store (Fedora/RHEL)" {
		t.Fatalf("Install = %+v, want Fedora now installed", results)
	}
	want := []string{"cp " + ca.CertPath() + " " + filepath.Join(anchors, "hush-"+ca.ID()+".crt"), "update-ca-trust extract"}
	if !slices.Equal(run.calls, want) {
		t.Errorf("Install ran %q, want %q", run.calls, want)
	}
}

func TestTrustMacOS(t *testing.T) {
	ca := newTestCA(t, Options{})
	trusted := false
	run := &fakeRunner{t: t, path: []string{"security", "sudo"}, handle: func(args []string) ([]byte, error) {
		switch strings.Join(args[:2], " ") {
		case "security verify-cert":
			if !trusted {
				return []byte("Cert Verify Result: CSSMERR_TP_NOT_TRUSTED"), errExit1
			}
			return []byte("...certificate verification successful."), nil
		case "security add-trusted-cert":
			trusted = true
		case "security remove-trusted-cert":
			trusted = false
		case "security delete-certificate":
		default:
			t.Errorf("unexpected command %q", args)
		}
		return nil, nil
	}}
	trust := &Trust{Runner: run, Env: []string{"HUSH_TRUST_STORES=system"}, GOOS: "darwin"}
	ctx := context.Background()
	results, _ := trust.Install(ctx, ca)
	if got, want := statuses(results), []string{"system: now installed"}; !slices.Equal(got, want) {
		t.Fatalf("Install = %+v, want %q", results, want)
	}
	wantCalls := []string{
		"security verify-cert -c " + ca.CertPath(),
		"sudo -- security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain " + ca.CertPath(),
		"security verify-cert -c " + ca.CertPath(),
	}
	if !slices.Equal(run.calls, wantCalls) {
		t.Errorf("Install ran %q, want %q", run.calls, wantCalls)
	}
	run.calls = nil
	results, _ = trust.Uninstall(ctx, ca)
	if got, want := statuses(results), []string{"system: now uninstalled"}; !slices.Equal(got, want) {
		t.Fatalf("Uninstall = %+v, want %q", results, want)
	}
	if got := run.calls[2]; !strings.HasPrefix(got, "sudo -- security delete-certificate -Z "+sha1Hex(ca)) {
		t.Errorf("Uninstall ran %q, want the certificate deleted too", run.calls)
	}
}

func TestTrustWindows(t *testing.T) {
	ca := newTestCA(t, Options{})
	present := false
	run := &fakeRunner{t: t, path: []string{"certutil"}, handle: func(args []string) ([]byte, error) {
		switch args[2] {
		case "-verifystore":
			if !present {
				return []byte("CertUtil: -verifystore command FAILED: 0x80090011"), errExit1
			}
		case "-addstore":
			present = true
		case "-delstore":
			present = false
		}
		return nil, nil
	}}
	trust := &Trust{Runner: run, GOOS: "windows"}
	results, _ := trust.Install(context.Background(), ca)
	want := []string{"system: now installed", "nss: skipped", "java: skipped"}
	if got := statuses(results); !slices.Equal(got, want) {
		t.Fatalf("Install = %+v, want %q", results, want)
	}
	if slices.ContainsFunc(run.calls, func(c string) bool { return strings.HasPrefix(c, "sudo") }) {
		t.Errorf("used sudo on Windows: %q", run.calls)
	}
	if got, want := run.calls[1], "certutil -user -addstore Root "+ca.CertPath(); got != want {
		t.Errorf("Install ran %q, want %q", got, want)
	}
}

func TestTrustNSS(t *testing.T) {
	ca := newTestCA(t, Options{})
	home := t.TempDir()
	chrome := filepath.Join(home, ".pki", "nssdb")
	firefox := filepath.Join(home, ".mozilla", "firefox", "abcd.default-release")
	for _, d := range []string{chrome, firefox} {
		os.MkdirAll(d, 0o700)
		os.WriteFile(filepath.Join(d, "cert9.db"), nil, 0o600)
	}
	os.MkdirAll(filepath.Join(home, ".mozilla", "firefox", "Crash Reports"), 0o700) // not a profile
	nick := "hush local CA " + ca.ID()
	has := map[string]bool{}
	run := &fakeRunner{t: t, path: []string{"certutil"}, handle: func(args []string) ([]byte, error) {
		db := args[3]
		if !strings.HasPrefix(db, "sql:") {
			t.Errorf("database %q, want sql:", db)
		}
		if i := slices.Index(args, "-n"); i < 0 || args[i+1] != nick {
			t.Errorf("certutil %q: want nickname %q", args, nick)
		}
		switch args[1] {
		case "-L":
			if !has[db] {
				return []byte("certutil: Could not find cert: " + nick), errExit1
			}
			return ca.PEM(), nil
		case "-A":
			has[db] = true
		case "-D":
			has[db] = false
		}
		return nil, nil
	}}
	trust := &Trust{Runner: run, Env: []string{"HOME=" + home, "HUSH_TRUST_STORES=nss"}, GOOS: "linux"}
	ctx := context.Background()

	has["sql:"+chrome] = true // already in one of the two
	results, _ := trust.Install(ctx, ca)
	if len(results) != 1 || results[0].Status != NowInstalled || results[0].Name != "Firefox/Chrome (NSS, 2 databases)" {
		t.Fatalf("Install = %+v, want NSS now installed in 2 databases", results)
	}
	adds := slices.DeleteFunc(slices.Clone(run.calls), func(c string) bool { return !strings.Contains(c, " -A ") })
	if want := []string{"/usr/bin/certutil -A -d sql:" + firefox + " -t C,, -n " + nick + " -i " + ca.CertPath()}; !slices.Equal(adds, want) {
		t.Errorf("Install added %q, want only the missing database: %q", adds, want)
	}
	results, _ = trust.Uninstall(ctx, ca)
	if got, want := statuses(results), []string{"nss: now uninstalled"}; !slices.Equal(got, want) {
		t.Errorf("Uninstall = %+v, want %q", results, want)
	}
	if has["sql:"+chrome] || has["sql:"+firefox] {
		t.Errorf("Uninstall left the CA in %v", has)
	}

	t.Run("no certutil", func(t *testing.T) {
		run := &fakeRunner{t: t, path: []string{"apt-get", "sudo"}}
		trust := &Trust{Runner: run, Env: []string{"HOME=" + home, "HUSH_TRUST_STORES=nss"}, GOOS: "linux"}
		results, _ := trust.Install(ctx, ca)
		want := Result{Store: "nss", Name: "Firefox/Chrome (NSS, 2 databases)", Status: Skipped,
			Reason: "certutil (NSS tools) not found", Hint: "sudo apt-get install -y libnss3-tools && hush ca install"}
		if len(results) != 1 || results[0] != want {
			t.Errorf("Install = %+v, want %+v", results, want)
		}
	})
	t.Run("no profiles", func(t *testing.T) {
		trust := &Trust{Runner: run, Env: []string{"HOME=" + t.TempDir(), "HUSH_TRUST_STORES=nss"}, GOOS: "linux"}
		results, _ := trust.Install(ctx, ca)
		if len(results) != 1 || results[0].Status != Skipped || results[0].Reason != "no Firefox or Chrome profile found" {
			t.Errorf("Install = %+v, want skipped for lack of profiles", results)
		}
	})
}

func TestTrustJava(t *testing.T) {
	ca := newTestCA(t, Options{})
	javaHome := t.TempDir()
	os.MkdirAll(filepath.Join(javaHome, "bin"), 0o755)
	os.WriteFile(filepath.Join(javaHome, "bin", "keytool"), nil, 0o755)
	cacerts := filepath.Join(javaHome, "lib", "security", "cacerts")
	os.MkdirAll(filepath.Dir(cacerts), 0o755)
	os.WriteFile(cacerts, nil, 0o644) // writable: no sudo
	other := newTestCA(t, Options{})
	// Debian's ca-certificates-java already copied the CA in under its own alias.
	aliases := map[string][]byte{"debian:some_root.pem": other.PEM(), "debian:hush-" + ca.ID() + ".pem": ca.PEM()}
	keytool := filepath.Join(javaHome, "bin", "keytool")
	run := &fakeRunner{t: t, path: []string{"sudo"}, handle: func(args []string) ([]byte, error) {
		if args[0] != keytool {
			t.Errorf("ran %q, want %s", args, keytool)
		}
		alias := ""
		if i := slices.Index(args, "-alias"); i > 0 {
			alias = args[i+1]
		}
		switch {
		case slices.Contains(args, "-list"):
			var b strings.Builder
			b.WriteString("Keystore type: JKS\n\nYour keystore contains 2 entries\n\n")
			for a, p := range aliases {
				fmt.Fprintf(&b, "Alias name: %s\nCreation date: Nov 28, 2026\nEntry type: trustedCertEntry\n\n%s\n\n*******************************************\n\n", a, p)
			}
			return []byte(b.String()), nil
		case slices.Contains(args, "-importcert"):
			aliases[alias] = ca.PEM()
		case slices.Contains(args, "-delete"):
			delete(aliases, alias)
		}
		return nil, nil
	}}
	trust := &Trust{Runner: run, Env: []string{"JAVA_HOME=" + javaHome, "HUSH_TRUST_STORES=java"}, GOOS: "linux"}
	ctx := context.Background()
	results, _ := trust.Install(ctx, ca)
	if got, want := statuses(results), []string{"java: already installed"}; !slices.Equal(got, want) {
		t.Fatalf("Install = %+v, want %q", results, want)
	}
	results, _ = trust.Uninstall(ctx, ca)
	if got, want := statuses(results), []string{"java: now uninstalled"}; !slices.Equal(got, want) {
		t.Fatalf("Uninstall = %+v, want %q", results, want)
	}
	if _, ok := aliases["debian:some_root.pem"]; !ok || len(aliases) != 1 {
		t.Errorf("Uninstall left %v, want only the other root", aliases)
	}
	run.calls = nil
	results, _ = trust.Install(ctx, ca)
	if got, want := statuses(results), []string{"java: now installed"}; !slices.Equal(got, want) {
		t.Fatalf("Install = %+v, want %q", results, want)
	}
	if !slices.ContainsFunc(run.calls, func(c string) bool {
		return strings.HasPrefix(c, keytool+" -importcert -noprompt -keystore "+cacerts) && strings.HasSuffix(c, "-alias hush-"+ca.ID()+" -file "+ca.CertPath())
	}) {
		t.Errorf("Install ran %q, want keytool -importcert without sudo", run.calls)
	}
}

func TestTrustStoreFilter(t *testing.T) {
	ca := newTestCA(t, Options{})
	run := &fakeRunner{t: t, handle: func(args []string) ([]byte, error) { return nil, errExit1 }}
	tests := []struct {
		env  string
		want []string
		err  bool
	}{
		{"", []string{"system", "nss", "java"}, false},
		{"HUSH_TRUST_STORES=java", []string{"java"}, false},
		{"HUSH_TRUST_STORES=NSS, java", []string{"nss", "java"}, false},
		{"HUSH_TRUST_STORES=system,firefox", nil, true},
	}
	for _, tt := range tests {
		trust := &Trust{Runner: run, Env: []string{tt.env}, GOOS: "linux", Root: t.TempDir()}
		results, err := trust.Installed(context.Background(), ca)
		if (err != nil) != tt.err {
			t.Errorf("%s: err = %v, want error %v", tt.env, err, tt.err)
		}
		var got []string
		for _, r := range results {
			got = append(got, r.Store)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: stores %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/usr/local/share/ca-certificates/hush.crt", "/usr/local/share/ca-certificates/hush.crt"},
		{"/Users/Jane Doe/Library/hush/ca.pem", "'/Users/Jane Doe/Library/hush/ca.pem'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
