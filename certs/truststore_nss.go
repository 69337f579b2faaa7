// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// nssStore is the NSS databases of Firefox (every profile) and of Chrome
// and Chromium on Linux (~/.pki/nssdb), managed with NSS's certutil. These
// browsers do not read the system store on Linux.
type nssStore struct {
	s        *system
	certutil string
	dbs      []string // "sql:DIR" or "dbm:DIR"
}

func (st *nssStore) id() string { return "nss" }

func (st *nssStore) name() string {
	if len(st.dbs) == 0 {
		return "Firefox/Chrome (NSS)"
	}
	return fmt.Sprintf("Firefox/Chrome (NSS, %d %s)", len(st.dbs), plural(len(st.dbs), "database"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (st *nssStore) detect(ctx context.Context) (skip, hint string) {
	if st.s.goos == "windows" {
		// Windows' own certutil is a different program, and Firefox reads
		// the Windows store there by default.
		return "Firefox uses the Windows store", ""
	}
	st.dbs = st.databases()
	if len(st.dbs) == 0 {
		return "no Firefox or Chrome profile found", ""
	}
	st.certutil = st.findCertutil()
	if st.certutil == "" {
		install := st.s.installPackage(map[string]string{
			"apt-get": "libnss3-tools", "dnf": "nss-tools", "yum": "nss-tools",
			"pacman": "nss", "zypper": "mozilla-nss-tools", "apk": "nss-tools", "brew": "nss",
		})
		if install != "" {
			install += " && hush ca install"
		}
		return "certutil (NSS tools) not found", install
	}
	return "", ""
}

// databases finds NSS databases under HOME, as mkcert does, plus the
// snap and flatpak homes of Firefox and Chromium.
func (st *nssStore) databases() []string {
	home := st.s.getenv("HOME")
	if home == "" {
		return nil
	}
	dirs := []string{
		filepath.Join(home, ".pki", "nssdb"),
		filepath.Join(home, "snap", "chromium", "current", ".pki", "nssdb"),
	}
	for _, pattern := range []string{
		filepath.Join(home, ".mozilla", "firefox", "*"),
		filepath.Join(home, "snap", "firefox", "common", ".mozilla", "firefox", "*"),
		filepath.Join(home, ".var", "app", "org.mozilla.firefox", ".mozilla", "firefox", "*"),
		filepath.Join(home, "Library", "Application Support", "Firefox", "Profiles", "*"),
	} {
		matches, _ := filepath.Glob(pattern)
		dirs = append(dirs, matches...)
	}
	var dbs []string
	for _, d := range dirs {
		switch {
		case exists(filepath.Join(d, "cert9.db")):
			dbs = append(dbs, "sql:"+d)
		case exists(filepath.Join(d, "cert8.db")):
			dbs = append(dbs, "dbm:"+d)
		}
	}
	return dbs
}

func (st *nssStore) findCertutil() string {
	if p, err := st.s.run.LookPath("certutil"); err == nil {
		return p
	}
	if st.s.goos == "darwin" { // Homebrew's nss is keg-only
		for _, p := range []string{"/opt/homebrew/opt/nss/bin/certutil", "/usr/local/opt/nss/bin/certutil"} {
			if exists(p) {
				return p
			}
		}
	}
	return ""
}

// nickname names the CA in the databases, with its ID so that re-issued
// CAs do not collide.
func (st *nssStore) nickname() string { return "hush local CA " + st.s.ca.ID() }

// has reports whether one database holds the CA under our nickname.
func (st *nssStore) has(ctx context.Context, db string) bool {
	out, err := st.s.run.Run(ctx, st.certutil, "-L", "-d", db, "-n", st.nickname(), "-a")
	return err == nil && st.s.inPEM(out)
}

func (st *nssStore) installed(ctx context.Context) (bool, error) {
	for _, db := range st.dbs {
		if !st.has(ctx, db) {
			return false, nil
		}
	}
	return true, nil
}

func (st *nssStore) install(ctx context.Context) error {
	for _, db := range st.dbs {
		if st.has(ctx, db) {
			continue
		}
		if _, err := st.s.exec(ctx, st.certutil, "-A", "-d", db, "-t", "C,,", "-n", st.nickname(), "-i", st.s.ca.CertPath()); err != nil {
			return fmt.Errorf("%s: %w", db, err)
		}
	}
	return nil
}

func (st *nssStore) uninstall(ctx context.Context) error {
	for _, db := range st.dbs {
		if !st.has(ctx, db) {
			continue
		}
		if _, err := st.s.exec(ctx, st.certutil, "-D", "-d", db, "-n", st.nickname()); err != nil {
			return fmt.Errorf("%s: %w", db, err)
		}
	}
	return nil
}

func (st *nssStore) hint(uninstall bool) string {
	var cmds []string
	for _, db := range st.dbs {
		if uninstall {
			cmds = append(cmds, shellJoin([]string{"certutil", "-D", "-d", db, "-n", st.nickname()}))
		} else {
			cmds = append(cmds, shellJoin([]string{"certutil", "-A", "-d", db, "-t", "C,,", "-n", st.nickname(), "-i", st.s.ca.CertPath()}))
		}
	}
	return strings.Join(cmds, " && ")
}
