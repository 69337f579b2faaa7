// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

//go:build windows

package certs

import (
	"fmt"
	"syscall"
	"unsafe"
)

// windowsRoots reads the current user's "ROOT" system store, which
// includes the machine's roots. Windows keeps no PEM bundle on disk, and it
// fetches roots lazily, so the store holds those seen so far.
func windowsRoots() ([][]byte, string, error) {
	name, err := syscall.UTF16PtrFromString("ROOT")
	if err != nil {
		return nil, "", err
	}
	store, err := syscall.CertOpenSystemStore(0, name)
	if err != nil {
		return nil, "", fmt.Errorf("opening the Windows ROOT store: %w", err)
	}
	defer syscall.CertCloseStore(store, 0)
	var ders [][]byte
	var ctx *syscall.CertContext
	for {
		// At the end it returns nil and CRYPT_E_NOT_FOUND.
		ctx, _ = syscall.CertEnumCertificatesInStore(store, ctx)
		if ctx == nil {
			break
		}
		der := unsafe.Slice(ctx.EncodedCert, ctx.Length)
		ders = append(ders, append([]byte(nil), der...))
	}
	if len(ders) == 0 {
		return nil, "", ErrNoSystemRoots
	}
	return ders, "the Windows ROOT store", nil
}
