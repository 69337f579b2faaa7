// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hushproxy/hush/redact"
)

// secretSource is one named secret in the config file. Exactly one of Env,
// File, Dotenv and Command says where its value comes from.
type secretSource struct {
	Name    string   `yaml:"name"`
	Env     string   `yaml:"env"`     // a variable of hush's environment
	File    string   `yaml:"file"`    // a plain file holding the value
	Dotenv  string   `yaml:"dotenv"`  // a dotenv file: every value in it
	Command []string `yaml:"command"` // argv whose stdout is the value
	Tools   []string `yaml:"tools"`   // tools that may receive the value
	Hosts   []string `yaml:"hosts"`   // destination hosts it may be sent to
	// Refetch and approval, for hush mcp and the control socket (see
	// controlsrv.go).
	TTL      duration `yaml:"ttl"`      // refetch this often; 0: at start and on SIGHUP only
	Approval bool     `yaml:"approval"` // "hush approve ID" before an agent may use it
}

func (s secretSource) validate() error {
	n := 0
	for _, set := range []bool{s.Env != "", s.File != "", s.Dotenv != "", len(s.Command) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("secret %q: set exactly one of env, file, dotenv, command", s.Name)
	}
	return nil
}

// loadKnown gathers the known secrets: hush's own environment (when
// useEnv), the dotenv files given with --dotenv, and the config's sources.
// A source that fails or holds a weak value is skipped with a warning that
// names the source, never the value; hush still starts.
func (c *cli) loadKnown(sources []secretSource, useEnv bool, dotenvs []string) ([]redact.KnownSecret, error) {
	var all []redact.KnownSecret
	if useEnv {
		ks, warns := redact.FromEnviron(c.env)
		for _, w := range warns {
			c.warnf("%s", w)
		}
		all = append(all, ks...)
	}
	for _, path := range dotenvs {
		ks, err := c.readDotenv(path)
		if err != nil {
			return nil, err
		}
		all = append(all, ks...)
	}
	for _, s := range sources {
		if err := s.validate(); err != nil {
			return nil, err
		}
		ks, err := c.fetchSecret(s)
		if err != nil {
			c.warnf("%v", err)
			continue
		}
		all = append(all, ks...)
	}
	return all, nil
}

func (c *cli) readDotenv(path string) ([]redact.KnownSecret, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading dotenv file: %w", err)
	}
	defer f.Close()
	ks, warns, err := redact.ParseDotenv(f, path)
	for _, w := range warns {
		c.warnf("%s", w)
	}
	return ks, err
}

// fetchSecret reads one configured source. Named sources keep their name
// as the placeholder kind's basis.
func (c *cli) fetchSecret(s secretSource) ([]redact.KnownSecret, error) {
	name := s.Name
	switch {
	case s.Env != "":
		if name == "" {
			name = s.Env
		}
		v := c.getenv(s.Env)
		if v == "" {
			return nil, fmt.Errorf("secret %s: environment variable %s is not set", name, s.Env)
		}
		if err := redact.CheckKnown([]byte(v)); err != nil {
			return nil, fmt.Errorf("secret %s: %w", name, err)
		}
		return []redact.KnownSecret{{Name: name, Value: []byte(v)}}, nil
	case s.File != "":
		if name == "" {
			name = s.File
		}
		f, err := os.Open(s.File)
		if err != nil {
			return nil, fmt.Errorf("secret %s: %w", name, err)
		}
		defer f.Close()
		k, err := redact.FromPlain(f, name)
		if err != nil {
			return nil, err
		}
		return []redact.KnownSecret{k}, nil
	case s.Dotenv != "":
		return c.readDotenv(s.Dotenv)
	default:
		if name == "" {
			name = s.Command[0]
		}
		k, err := redact.FromCommand(context.Background(), name, s.Command, 0)
		if err != nil {
			return nil, err
		}
		return []redact.KnownSecret{k}, nil
	}
}
