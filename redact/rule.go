// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Action is what hush does when a rule matches.
type Action string

const (
	ActionRedact Action = "redact" // replace the secret with its placeholder (the default)
	ActionBlock  Action = "block"  // refuse the whole request
	ActionAudit  Action = "audit"  // forward unchanged, record the finding
)

func (a Action) valid() bool {
	return a == "" || a == ActionRedact || a == ActionBlock || a == ActionAudit
}

// Rule describes one secret format. Rules are data: the built-in set lives
// in rules/*.yaml, and users can add their own in the same shape.
//
// Detection never runs Regex over a whole input. The engine finds each
// Keyword with one Aho-Corasick pass, then runs Regex anchored at the
// keyword's position, over at most Window bytes. So a Regex must start with
// (one of) its keywords.
type Rule struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Kind        string   `yaml:"kind"`     // placeholder kind; "": ID
	Keywords    []string `yaml:"keywords"` // anchors, matched case-insensitively; required
	Regex       string   `yaml:"regex"`    // anchored at a keyword hit
	SecretGroup int      `yaml:"secret_group"`
	Extract     string   `yaml:"extract"`  // a Go extractor instead of Regex (see extract.go)
	Window      int      `yaml:"window"`   // bytes after the anchor the rule may see; 0: 512
	Boundary    string   `yaml:"boundary"` // both (default), left, right, none
	Check       string   `yaml:"check"`    // a named validator of the secret (see checks.go)
	Entropy     float64  `yaml:"entropy"`  // minimum Shannon entropy, bits per byte
	MinLen      int      `yaml:"min_len"`  // minimum secret length
	Allow       []string `yaml:"allow"`    // regexes; a secret matching any is not reported
	Action      Action   `yaml:"action"`   // "": redact
	Hosts       []string `yaml:"hosts"`    // the vendor's hosts, for rehydration policy
	Samples     []string `yaml:"samples"`  // sample generator names, for tests only
}

const defaultWindow = 512

// maxWindow bounds every rule's look-ahead, and so the bytes the streaming
// writer may hold back.
const maxWindow = 64 << 10

type boundary uint8

const (
	boundLeft boundary = 1 << iota
	boundRight
)

// rule is a validated, compiled Rule.
type rule struct {
	Rule
	index    int
	re       *regexp.Regexp
	lazy     bool       // compile re on first use (built-in rules)
	reOnce   *sync.Once // guards re when lazy
	extract  extractor
	gate     func(src []byte, at int) bool // nil: none
	check    func([]byte) bool
	allow    []*regexp.Regexp
	boundary boundary
	window   int
}

// compile validates r and prepares it for matching. Errors name the rule.
// With lazy, the regex is compiled on first use (see rule.regexp).
func compile(r Rule, index int, lazy bool) (*rule, error) {
	c := &rule{Rule: r, index: index, window: r.Window, lazy: lazy}
	if err := c.compile(); err != nil {
		return nil, fmt.Errorf("rule %q: %w", r.ID, err)
	}
	return c, nil
}

func (c *rule) compile() error {
	if c.ID == "" {
		return errors.New("missing id")
	}
	if !validKind(c.ID) {
		return errors.New("id must be lowercase letters, digits and '-', at most 32 bytes")
	}
	if c.Kind == "" {
		c.Kind = c.ID
	} else if !validKind(c.Kind) {
		return fmt.Errorf("kind %q must be lowercase letters, digits and '-', at most 32 bytes", c.Kind)
	}
	if len(c.Keywords) == 0 {
		return errors.New("no keywords: every rule needs an anchor")
	}
	for _, k := range c.Keywords {
		if len(k) < 3 {
			return fmt.Errorf("keyword %q is shorter than 3 bytes", k)
		}
	}
	switch {
	case c.Regex != "" && c.Extract != "":
		return errors.New("regex and extract are exclusive")
	case c.Regex != "" && c.lazy:
		// A built-in rule: its tests compile it; here it compiles on its
		// first hit, which keeps a short-lived hush redact fast.
		c.reOnce = new(sync.Once)
	case c.Regex != "":
		if err := c.compileRegex(); err != nil {
			return err
		}
	case c.Extract != "":
		x, ok := extractors[c.Extract]
		if !ok {
			return fmt.Errorf("unknown extract %q", c.Extract)
		}
		c.extract = x
		c.gate = gates[c.Extract]
	default:
		return errors.New("needs regex or extract")
	}
	if c.Check != "" {
		fn, ok := checks[c.Check]
		if !ok {
			return fmt.Errorf("unknown check %q", c.Check)
		}
		c.check = fn
	}
	for _, a := range c.Allow {
		re, err := regexp.Compile(a)
		if err != nil {
			return fmt.Errorf("allow %q: %w", a, err)
		}
		c.allow = append(c.allow, re)
	}
	switch c.Boundary {
	case "", "both":
		c.boundary = boundLeft | boundRight
	case "left":
		c.boundary = boundLeft
	case "right":
		c.boundary = boundRight
	case "none":
	default:
		return fmt.Errorf("boundary %q: want both, left, right or none", c.Boundary)
	}
	if !c.Action.valid() {
		return fmt.Errorf("action %q: want redact, block or audit", c.Action)
	}
	if c.window == 0 {
		c.window = defaultWindow
	}
	if c.window < 0 || c.window > maxWindow {
		return fmt.Errorf("window %d: want 1..%d", c.window, maxWindow)
	}
	if c.Entropy < 0 || c.Entropy > 8 {
		return fmt.Errorf("entropy %v: want 0..8", c.Entropy)
	}
	return nil
}

func (c *rule) compileRegex() error {
	re, err := regexp.Compile(`^(?:` + c.Regex + `)`)
	if err != nil {
		return fmt.Errorf("regex: %w", err)
	}
	if c.SecretGroup < 0 || c.SecretGroup > re.NumSubexp() {
		return fmt.Errorf("secret_group %d > %d groups", c.SecretGroup, re.NumSubexp())
	}
	c.re = re
	return nil
}

// regexp returns the rule's compiled expression, compiling it on first
// use for lazily compiled rules.
func (c *rule) regexp() *regexp.Regexp {
	if c.reOnce != nil {
		c.reOnce.Do(func() {
			if err := c.compileRegex(); err != nil {
				panic("redact: internal error: built-in rule " + c.ID + ": " + err.Error())
			}
		})
	}
	return c.re
}

// validKind reports whether s may appear as a placeholder kind: it must stay
// safe unquoted in shell, URLs, JSON and YAML.
func validKind(s string) bool {
	if s == "" || len(s) > maxKindLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ruleFile is the YAML document shape of a rule file.
type ruleFile struct {
	Rules []Rule `yaml:"rules"`
}

// ParseRules parses a YAML rule file strictly: an unknown key is an error
// that names the file, the line and the rule.
func ParseRules(name string, data []byte) ([]Rule, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkKeys(name, &doc); err != nil {
		return nil, err
	}
	// checkKeys has refused unknown keys, so the tree decodes as it is:
	// parsing the YAML a second time would double hush's start-up cost.
	var f ruleFile
	if err := doc.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return f.Rules, nil
}

// checkKeys walks the document for unknown keys, so that the error can name
// the rule as well as the line (yaml.v3's own KnownFields error names only
// the line).
func checkKeys(name string, doc *yaml.Node) error {
	known := map[string]bool{}
	for _, k := range yamlKeys(Rule{}) {
		known[k] = true
	}
	if len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: want a mapping with a rules: list", name, top.Line)
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, val := top.Content[i], top.Content[i+1]
		if key.Value != "rules" {
			return fmt.Errorf("%s:%d: unknown key %q (want rules)", name, key.Line, key.Value)
		}
		if val.Kind != yaml.SequenceNode {
			continue
		}
		for n, item := range val.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			id := fmt.Sprintf("#%d", n+1)
			for j := 0; j+1 < len(item.Content); j += 2 {
				if item.Content[j].Value == "id" {
					id = item.Content[j+1].Value
				}
			}
			for j := 0; j+1 < len(item.Content); j += 2 {
				k := item.Content[j]
				if !known[k.Value] {
					return fmt.Errorf("%s:%d: rule %q: unknown key %q", name, k.Line, id, k.Value)
				}
			}
		}
	}
	return nil
}

// yamlKeys lists the yaml tags of a struct's fields.
func yamlKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// entropy returns the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	var h float64
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// lowerASCII returns s lowercased in ASCII only; keywords and inputs are
// folded the same way so that offsets never shift.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// lowerTable maps each byte to its ASCII lowercase.
var lowerTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()
