// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// systemKeychain holds the roots that every macOS user and app trusts.
const systemKeychain = "/Library/Keychains/System.keychain"

// keychainStore is the system store on macOS: the CA in the system
// keychain, with trust settings for the admin domain (-d).
type keychainStore struct{ s *system }

func (st *keychainStore) id() string   { return "system" }
func (st *keychainStore) name() string { return "system keychain (macOS)" }

func (st *keychainStore) detect(ctx context.Context) (skip, hint string) {
	if !st.s.has("security") {
		return "security not found", ""
	}
	return "", ""
}

// installed asks the platform verifier, which reads the trust settings,
// rather than only looking for the certificate in the keychain.
func (st *keychainStore) installed(ctx context.Context) (bool, error) {
	_, err := st.s.exec(ctx, "security", "verify-cert", "-c", st.s.ca.CertPath())
	return err == nil, nil
}

func (st *keychainStore) install(ctx context.Context) error {
	_, err := st.s.execRoot(ctx, "security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k", systemKeychain, st.s.ca.CertPath())
	return err
}

func (st *keychainStore) uninstall(ctx context.Context) error {
	if _, err := st.s.execRoot(ctx, "security", "remove-trusted-cert", "-d", st.s.ca.CertPath()); err != nil {
		return err
	}
	// The trust settings are gone; also remove the certificate itself so
	// that the keychain does not collect old hush CAs.
	_, err := st.s.execRoot(ctx, "security", "delete-certificate", "-Z", sha1Hex(st.s.ca), systemKeychain)
	return err
}

func (st *keychainStore) hint(uninstall bool) string {
	if uninstall {
		return st.s.rootCommand("security", "remove-trusted-cert", "-d", st.s.ca.CertPath()) + " && " +
			st.s.rootCommand("security", "delete-certificate", "-Z", sha1Hex(st.s.ca), systemKeychain)
	}
	return st.s.rootCommand("security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k", systemKeychain, st.s.ca.CertPath())
}

// sha1Hex is the CA's SHA-1 thumbprint, which is how the macOS keychain and
// Windows certutil name a certificate. It identifies, it does not protect.
func sha1Hex(ca *CA) string {
	sum := sha1.Sum(ca.cert.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
