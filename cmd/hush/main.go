// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Command hush keeps secrets out of what AI coding agents send to model
// providers. Run "hush help" for the commands.
package main

import "os"

func main() {
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, env: os.Environ()}
	os.Exit(c.run(os.Args[1:]))
}
