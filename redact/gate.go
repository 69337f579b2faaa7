// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

// gates are cheap checks on the raw input at a keyword hit, run before the
// engine decodes any escaped view of the window. A gate may only reject a
// hit that every view would reject too, so it must read nothing that an
// escape could change. The assignment families qualify: their key is a run
// of name characters at the anchor, and no escape sequence is one.
//
// Agent traffic is full of words such as "token" and "password" in prose
// and tool schemas; without these gates each of them cost a decoded window.
var gates = map[string]func(src []byte, at int) bool{
	"password":   assignPassword.keyOK,
	"secret":     assignSecret.keyOK,
	"token":      assignToken.keyOK,
	"api-key":    assignAPIKey.keyOK,
	"key":        assignKey.keyOK,
	"credential": assignCredential.keyOK,
}

func (f *assignFamily) keyOK(src []byte, at int) bool {
	_, ok := f.key(src, at)
	return ok
}
