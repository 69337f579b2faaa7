// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"context"
	"os"
	"path"
)

// distro is one Linux family's system trust store: a directory of anchors
// and the command that compiles them into the bundle that OpenSSL, curl,
// Go and Python read.
type distro struct {
	name      string
	anchorDir string
	update    []string // compiles the anchors into bundle
	refresh   []string // the same after a removal
	bundle    string
	pkg       map[string]string // package manager -> package with the update command
}

// distros in the order mkcert probes them: Fedora's tree first, because
// some Fedora systems carry a Debian-style directory as well.
var distros = []distro{
	{
		name:      "Fedora/RHEL",
		anchorDir: "/etc/pki/ca-trust/source/anchors",
		update:    []string{"update-ca-trust", "extract"},
		refresh:   []string{"update-ca-trust", "extract"},
		bundle:    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
		pkg:       map[string]string{"dnf": "ca-certificates", "yum": "ca-certificates"},
	},
	{
		name:      "Debian/Ubuntu",
		anchorDir: "/usr/local/share/ca-certificates",
		update:    []string{"update-ca-certificates"},
		// --fresh rebuilds /etc/ssl/certs from scratch, so the removed
		// anchor's hash link and bundle entry go for certain.
		refresh: []string{"update-ca-certificates", "--fresh"},
		bundle:  "/etc/ssl/certs/ca-certificates.crt",
		pkg:     map[string]string{"apt-get": "ca-certificates"},
	},
	{
		name:      "Arch",
		anchorDir: "/etc/ca-certificates/trust-source/anchors",
		update:    []string{"trust", "extract-compat"},
		refresh:   []string{"trust", "extract-compat"},
		bundle:    "/etc/ca-certificates/extracted/tls-ca-bundle.pem",
		pkg:       map[string]string{"pacman": "p11-kit"},
	},
	{
		name:      "openSUSE",
		anchorDir: "/usr/share/pki/trust/anchors",
		update:    []string{"update-ca-certificates"},
		refresh:   []string{"update-ca-certificates"},
		bundle:    "/var/lib/ca-certificates/ca-bundle.pem",
		pkg:       map[string]string{"zypper": "ca-certificates"},
	},
}

// distroStore is the system store on Linux.
type distroStore struct {
	s *system
	d *distro
}

func (st *distroStore) id() string { return "system" }

func (st *distroStore) name() string {
	if st.d == nil {
		return "system store"
	}
	return "system store (" + st.d.name + ")"
}

func (st *distroStore) detect(ctx context.Context) (skip, hint string) {
	for i := range distros {
		d := &distros[i]
		if fi, err := os.Stat(st.s.path(d.anchorDir)); err != nil || !fi.IsDir() {
			continue
		}
		st.d = d
		if !st.s.has(d.update[0]) {
			return d.update[0] + " not found", st.s.installPackage(d.pkg)
		}
		return "", ""
	}
	return "no known system trust store (Debian/Ubuntu, Fedora/RHEL, Arch or openSUSE)", ""
}

// anchor is where the CA goes. The name carries the CA's ID, so that a
// re-issued CA never overwrites (or is mistaken for) the old one, and the
// .crt suffix, which update-ca-certificates requires.
func (st *distroStore) anchor() string {
	return path.Join(st.d.anchorDir, "hush-"+st.s.ca.ID()+".crt")
}

// installed checks the anchor and, when the compiled bundle exists, that
// the update ran: an anchor alone is trusted by nothing.
func (st *distroStore) installed(ctx context.Context) (bool, error) {
	ok, err := st.s.fileHasCA(st.s.path(st.anchor()))
	if !ok || err != nil {
		return false, err
	}
	bundle := st.s.path(st.d.bundle)
	if _, err := os.Stat(bundle); err != nil {
		return true, nil
	}
	return st.s.fileHasCA(bundle)
}

func (st *distroStore) install(ctx context.Context) error {
	if _, err := st.s.execRoot(ctx, "cp", st.s.ca.CertPath(), st.s.path(st.anchor())); err != nil {
		return err
	}
	_, err := st.s.execRoot(ctx, st.d.update...)
	return err
}

func (st *distroStore) uninstall(ctx context.Context) error {
	if _, err := st.s.execRoot(ctx, "rm", "-f", st.s.path(st.anchor())); err != nil {
		return err
	}
	_, err := st.s.execRoot(ctx, st.d.refresh...)
	return err
}

func (st *distroStore) hint(uninstall bool) string {
	if uninstall {
		return st.s.rootCommand("rm", "-f", st.anchor()) + " && " + st.s.rootCommand(st.d.refresh...)
	}
	return st.s.rootCommand("cp", st.s.ca.CertPath(), st.anchor()) + " && " + st.s.rootCommand(st.d.update...)
}
