// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import "context"

// winStore is the system store on Windows: the current user's Root store,
// managed with certutil. It needs no Administrator rights; Windows asks the
// user to confirm the new root in a dialog, as it does for mkcert. Chrome,
// Edge, Go, .NET and (by default) Firefox trust it.
type winStore struct{ s *system }

func (st *winStore) id() string   { return "system" }
func (st *winStore) name() string { return "Windows certificate store (current user)" }

func (st *winStore) detect(ctx context.Context) (skip, hint string) {
	if !st.s.has("certutil") {
		return "certutil not found", ""
	}
	return "", ""
}

func (st *winStore) installed(ctx context.Context) (bool, error) {
	_, err := st.s.exec(ctx, "certutil", "-user", "-verifystore", "Root", sha1Hex(st.s.ca))
	return err == nil, nil
}

func (st *winStore) install(ctx context.Context) error {
	_, err := st.s.exec(ctx, "certutil", "-user", "-addstore", "Root", st.s.ca.CertPath())
	return err
}

func (st *winStore) uninstall(ctx context.Context) error {
	_, err := st.s.exec(ctx, "certutil", "-user", "-delstore", "Root", sha1Hex(st.s.ca))
	return err
}

func (st *winStore) hint(uninstall bool) string {
	if uninstall {
		return shellJoin([]string{"certutil", "-user", "-delstore", "Root", sha1Hex(st.s.ca)})
	}
	return shellJoin([]string{"certutil", "-user", "-addstore", "Root", st.s.ca.CertPath()})
}
