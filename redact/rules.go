// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed rules/*.yaml
var builtinFS embed.FS

// Builtin returns the built-in rule set, parsed from the YAML files
// embedded from rules/. It returns a fresh copy on every call.
func Builtin() ([]Rule, error) {
	names, err := fs.Glob(builtinFS, "rules/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Rule
	for _, name := range names {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		rules, err := ParseRules(name, data)
		if err != nil {
			return nil, fmt.Errorf("built-in rules: %w", err)
		}
		all = append(all, rules...)
	}
	return all, nil
}
