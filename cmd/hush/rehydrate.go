// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/hushproxy/hush/proxy"
	"github.com/hushproxy/hush/proxy/stream"
)

// rehydrateConfig is config.yaml's rehydrate: where placeholders become
// values again, and the policy that narrows it. Either a mode alone,
//
//	rehydrate: hooks
//
// or a mapping:
//
//	rehydrate:
//	  mode: both                      # stream (default), hooks or both
//	  rules:
//	    github-pat: {hosts: [github.com, "*.github.com"]}
//	  secrets:
//	    DEPLOY_TOKEN: {tools: [Bash], hosts: [deploy.example.com]}
type rehydrateConfig struct {
	Mode   string
	Policy stream.PolicyConfig
}

func (r *rehydrateConfig) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.Mode = n.Value
		return r.validate(n)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: rehydrate: want stream, hooks, both, or a mapping with mode, rules and secrets", n.Line)
	}
	// Node.Decode has no KnownFields: refuse unknown keys here, so that a
	// misspelt policy is an error rather than a silently open one.
	if err := knownKeys(n, "rehydrate", "mode", "rules", "secrets"); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i].Value, n.Content[i+1]; k == "rules" || k == "secrets" {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if err := knownKeys(v.Content[j+1], "rehydrate."+k+"."+v.Content[j].Value, "tools", "hosts", "never"); err != nil {
					return err
				}
			}
		}
	}
	var m struct {
		Mode    string                    `yaml:"mode"`
		Rules   map[string]stream.Binding `yaml:"rules"`
		Secrets map[string]stream.Binding `yaml:"secrets"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	r.Mode, r.Policy = m.Mode, stream.PolicyConfig{Rules: m.Rules, Secrets: m.Secrets}
	return r.validate(n)
}

func (r *rehydrateConfig) validate(n *yaml.Node) error {
	switch r.Mode {
	case "", proxy.RehydrateStream, proxy.RehydrateHooks, proxy.RehydrateBoth:
		return nil
	}
	return fmt.Errorf("line %d: rehydrate: mode %q: want stream, hooks or both", n.Line, r.Mode)
}

// knownKeys refuses a mapping key outside keys.
func knownKeys(n *yaml.Node, where string, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, want := range keys {
			ok = ok || k.Value == want
		}
		if !ok {
			return fmt.Errorf("line %d: %s: unknown key %q", k.Line, where, k.Value)
		}
	}
	return nil
}

// policy builds the rehydration policy: the rehydrate: section, plus the
// tools and hosts given with each named secret in secrets:, unless the
// rehydrate: section names that secret itself.
func (c *config) policy() (*stream.Policy, error) {
	pc := c.Rehydrate.Policy
	for _, s := range c.Secrets {
		if s.Name == "" || (len(s.Tools) == 0 && len(s.Hosts) == 0) {
			continue
		}
		if _, ok := pc.Secrets[s.Name]; ok {
			continue
		}
		if pc.Secrets == nil {
			pc.Secrets = map[string]stream.Binding{}
		}
		pc.Secrets[s.Name] = stream.Binding{Tools: s.Tools, Hosts: s.Hosts}
	}
	p, err := stream.NewPolicy(pc)
	if err != nil {
		return nil, fmt.Errorf("rehydrate: %w", err)
	}
	return p, nil
}
