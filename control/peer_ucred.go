// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

//go:build linux

package control

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// peerUID returns the uid of the process at the other end of c, from the
// kernel (SO_PEERCRED), so it cannot be forged by the client.
func peerUID(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, fmt.Errorf("not a unix connection")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var cerr error
	err = raw.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	})
	if err == nil {
		err = cerr
	}
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}

// listenPrivate listens on path with a umask that leaves the socket
// readable and writable by its owner only from the start.
func listenPrivate(path string) (net.Listener, error) {
	old := syscall.Umask(0o177)
	defer syscall.Umask(old)
	return net.Listen("unix", path)
}

// sameUser reports whether the peer is this process's user.
func sameUser(c net.Conn) bool {
	uid, err := peerUID(c)
	return err == nil && uid == os.Getuid()
}
