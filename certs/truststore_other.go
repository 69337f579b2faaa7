// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"context"
	"errors"
)

// otherStore stands in for the system store on platforms hush does not
// know (the BSDs, Plan 9, ...): always skipped.
type otherStore struct{ s *system }

func (st *otherStore) id() string   { return "system" }
func (st *otherStore) name() string { return "system store" }

func (st *otherStore) detect(ctx context.Context) (skip, hint string) {
	return "not supported on " + st.s.goos + "; add " + st.s.ca.CertPath() + " to the trusted roots by hand", ""
}

func (st *otherStore) installed(ctx context.Context) (bool, error) {
	return false, errors.ErrUnsupported
}
func (st *otherStore) install(ctx context.Context) error   { return errors.ErrUnsupported }
func (st *otherStore) uninstall(ctx context.Context) error { return errors.ErrUnsupported }
func (st *otherStore) hint(uninstall bool) string          { return "" }

// systemStore returns the system store of the platform.
func (s *system) systemStore() store {
	switch s.goos {
	case "linux":
		return &distroStore{s: s}
	case "darwin":
		return &keychainStore{s: s}
	case "windows":
		return &winStore{s: s}
	}
	return &otherStore{s: s}
}
