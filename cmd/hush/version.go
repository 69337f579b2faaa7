// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"fmt"
	"runtime/debug"
)

// Version is set at link time: -ldflags "-X main.Version=v1.2.3".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

const versionHelp = `Usage:
    hush version

Prints the version of hush.
`

func (c *cli) version(args []string) int {
	fs := c.newFlagSet("version", versionHelp)
	if code := c.parse(fs, versionHelp, args); code >= 0 {
		return code
	}
	fmt.Fprintf(c.stdout, "hush %s\n", version())
	return exitOK
}
