// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hushproxy/hush/redact"
)

// configFile is the name of the config file in HUSH_HOME.
const configFile = "config.yaml"

// config is hush serve's config file. Unknown keys are errors, and every
// error names the file and line. Relative paths in it are relative to the
// file's directory, so a mounted config can name the files beside it.
type config struct {
	Listen    string            `yaml:"listen"`
	Admin     string            `yaml:"admin"`
	Intercept interceptConfig   `yaml:"intercept"`
	Routes    map[string]string `yaml:"routes"` // base-URL prefix -> upstream URL; "" removes a default
	MaxBody   byteSize          `yaml:"max_body"`
	// Actions sets the action of rules by ID (known-secret for known
	// secrets); DefaultAction that of every other rule.
	Actions       map[string]action `yaml:"actions"`
	DefaultAction action            `yaml:"default_action"`
	Audit         auditConfig       `yaml:"audit"`
	Secrets       []secretSource    `yaml:"secrets"`
	// Environment: scan hush's own environment for known secrets. nil:
	// true.
	Environment    *bool       `yaml:"environment"`
	UpstreamCA     []string    `yaml:"upstream_ca"`
	UpstreamProxy  string      `yaml:"upstream_proxy"`
	Resolve        []string    `yaml:"resolve"`
	CA             caConfig    `yaml:"ca"`
	PlaceholderKey string      `yaml:"placeholder_key"`
	Vault          vaultConfig `yaml:"vault"`
	LogLevel       logLevel    `yaml:"log_level"`
	// Corporate egress mode: listening beyond loopback requires auth.
	Auth   authConfig      `yaml:"auth"`
	TLS    listenTLSConfig `yaml:"tls"`
	Limits limitsConfig    `yaml:"limits"`
	// DrainTimeout is how long SIGTERM waits for open requests and
	// streams before cutting them. 0: proxy.DefaultDrain.
	DrainTimeout duration `yaml:"drain_timeout"`
	// Rehydrate is where placeholders become values again, and the
	// policy: see rehydrate.go.
	Rehydrate rehydrateConfig `yaml:"rehydrate"`
}

// authConfig is proxy authentication: Basic against a bcrypt htpasswd
// file, and/or client certificates signed by ClientCA (which needs tls).
type authConfig struct {
	Htpasswd string `yaml:"htpasswd"`
	ClientCA string `yaml:"client_ca"`
}

func (a authConfig) enabled() bool { return a.Htpasswd != "" || a.ClientCA != "" }

// listenTLSConfig makes the proxy listener speak TLS (an HTTPS proxy).
type listenTLSConfig struct {
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

// limitsConfig are proxy.Limits, per client; 0 is no limit.
type limitsConfig struct {
	MaxConnsPerClient int     `yaml:"max_conns_per_client"`
	RequestsPerSecond float64 `yaml:"requests_per_second"`
	Burst             int     `yaml:"burst"`
}

type interceptConfig struct {
	Add    []string `yaml:"add"`
	Remove []string `yaml:"remove"`
}

type auditConfig struct {
	File string `yaml:"file"` // a path, or "stderr"; "": no audit log
}

// caConfig names a CA managed elsewhere (a Kubernetes secret shared by
// replicas). Both or neither.
type caConfig struct {
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

type vaultConfig struct {
	Size int      `yaml:"size"`
	TTL  duration `yaml:"ttl"`
}

// parseConfig parses a config file's bytes. name is for error messages
// and to resolve relative paths.
func parseConfig(name string, data []byte) (*config, error) {
	cfg := &config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, yamlError(err))
	}
	if (cfg.CA.Cert == "") != (cfg.CA.Key == "") {
		return nil, fmt.Errorf("%s: ca: set both cert and key, or neither", name)
	}
	if (cfg.TLS.Cert == "") != (cfg.TLS.Key == "") {
		return nil, fmt.Errorf("%s: tls: set both cert and key, or neither", name)
	}
	if cfg.Auth.ClientCA != "" && cfg.TLS.Cert == "" {
		return nil, fmt.Errorf("%s: auth.client_ca needs tls: {cert, key}: client certificates need the proxy listener to speak TLS", name)
	}
	if l := cfg.Limits; l.MaxConnsPerClient < 0 || l.RequestsPerSecond < 0 || l.Burst < 0 {
		return nil, fmt.Errorf("%s: limits: want numbers >= 0 (0 is no limit)", name)
	}
	for i, s := range cfg.Secrets {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("%s: secrets[%d]: %w", name, i, err)
		}
	}
	dir := filepath.Dir(name)
	rel := func(p *string) {
		if *p != "" && *p != "stderr" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	for i := range cfg.UpstreamCA {
		rel(&cfg.UpstreamCA[i])
	}
	rel(&cfg.CA.Cert)
	rel(&cfg.CA.Key)
	rel(&cfg.PlaceholderKey)
	rel(&cfg.Audit.File)
	rel(&cfg.Auth.Htpasswd)
	rel(&cfg.Auth.ClientCA)
	rel(&cfg.TLS.Cert)
	rel(&cfg.TLS.Key)
	for i := range cfg.Secrets {
		rel(&cfg.Secrets[i].File)
		rel(&cfg.Secrets[i].Dotenv)
	}
	return cfg, nil
}

// yamlError turns yaml.v3's "yaml: unmarshal errors:\n  line 3: ..." into
// one line per problem.
func yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return errors.New(strings.Join(te.Errors, "; "))
	}
	return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
}

// readConfig reads the config: path when given (it must exist), else
// HUSH_HOME/config.yaml when present, else the zero config.
func readConfig(path, home string) (*config, string, error) {
	explicit := path != ""
	if !explicit {
		path = filepath.Join(home, configFile)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return &config{}, "", nil
	}
	if err != nil {
		return nil, path, fmt.Errorf("reading config: %w", err)
	}
	cfg, err := parseConfig(path, data)
	return cfg, path, err
}

// environment reports whether hush's own environment is scanned for
// known secrets.
func (c *config) environment() bool { return c.Environment == nil || *c.Environment }

// redactActions converts the actions for redact.Options.
func (c *config) redactActions() map[string]redact.Action {
	m := map[string]redact.Action{}
	for id, a := range c.Actions {
		m[id] = redact.Action(a)
	}
	return m
}

// action is a rule action, checked where it is written.
type action string

func (a *action) UnmarshalYAML(n *yaml.Node) error {
	switch redact.Action(n.Value) {
	case redact.ActionRedact, redact.ActionBlock, redact.ActionAudit:
		*a = action(n.Value)
		return nil
	}
	return fmt.Errorf("line %d: action %q: want redact, block or audit", n.Line, n.Value)
}

// byteSize is a size in bytes, written as a number or with a unit:
// 33554432, 32MiB, 32 MB, 512k.
type byteSize int64

func (b *byteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*b = byteSize(v)
	return nil
}

func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10}, {"gb", 1e9}, {"mb", 1e6}, {"kb", 1e3}, {"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"b", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("size %q: want a positive number of bytes, such as 32MiB", s)
	}
	return n * mult, nil
}

// duration is a time.Duration written as "24h" or "90m".
type duration time.Duration

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: duration %q: want a positive duration such as 24h", n.Line, n.Value)
	}
	*d = duration(v)
	return nil
}

// logLevel is debug, info, warn or error.
type logLevel string

func (l *logLevel) UnmarshalYAML(n *yaml.Node) error {
	if _, err := parseLevel(n.Value); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*l = logLevel(n.Value)
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "", "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
}
