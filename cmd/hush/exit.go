// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

// Exit codes. "Found" (3) is kept distinct from "broke" (1) so that scripts
// can tell a dirty file from a failed scan.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	exitFound = 3

	// hush run passes the child's status through; these are its own.
	exitRunFailed     = 125 // hush itself failed before or around the child
	exitCannotExecute = 126 // the command exists but could not be run
	exitNotFound      = 127 // the command was not found
)
