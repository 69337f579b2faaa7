// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package control

import "net"

// peerListener drops every connection whose peer is another user. Root
// is not special: a root-owned hush answers root only.
type peerListener struct{ net.Listener }

func (l *peerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if sameUser(c) {
			return c, nil
		}
		c.Close()
	}
}
