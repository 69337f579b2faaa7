// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

//go:build !windows

package certs

import "errors"

// windowsRoots exists only on Windows (roots_wincrypt.go).
func windowsRoots() ([][]byte, string, error) {
	return nil, "", errors.ErrUnsupported
}
