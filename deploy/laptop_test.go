// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package deploy

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"testing"
)

// checkLaptopArgs checks the command line of a laptop service: hush serve,
// bound to loopback only (on a laptop the proxy serves its own user; beyond
// loopback it would need authentication).
func checkLaptopArgs(t *testing.T, where string, argv []string) {
	t.Helper()
	if len(argv) < 2 || path.Base(argv[0]) != "hush" || argv[1] != "serve" {
		t.Fatalf("%s: runs %q, want .../hush serve", where, argv)
	}
	for _, f := range []struct{ flag, port string }{{"--listen", proxyPort}, {"--admin", adminPort}} {
		addr, ok := flagValue(argv, f.flag)
		if !ok {
			t.Errorf("%s: no %s", where, f.flag)
			continue
		}
		if !isLoopback(hostOf(addr)) {
			t.Errorf("%s: %s %s is not loopback", where, f.flag, addr)
		}
		if portOf(addr) != f.port {
			t.Errorf("%s: %s %s, want port %s", where, f.flag, addr, f.port)
		}
	}
}

// parseUnit reads a systemd unit into section -> key -> values.
func parseUnit(t *testing.T, b []byte) map[string]map[string][]string {
	t.Helper()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("line %d: %q is not key=value in a section", n, line)
			}
			out[section][strings.TrimSpace(k)] = append(out[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return out
}

func TestSystemdUserUnit(t *testing.T) {
	const name = "systemd/hush.service"
	u := parseUnit(t, readFile(t, name))
	exec := u["Service"]["ExecStart"]
	if len(exec) != 1 {
		t.Fatalf("%s: %d ExecStart lines, want 1", name, len(exec))
	}
	checkLaptopArgs(t, name, strings.Fields(exec[0]))
	// A user unit: started by the user's manager at login, never as root.
	if got := u["Install"]["WantedBy"]; len(got) != 1 || got[0] != "default.target" {
		t.Errorf("%s: WantedBy=%v, want default.target (a user unit)", name, got)
	}
	for _, k := range []string{"User", "Group"} {
		if _, ok := u["Service"][k]; ok {
			t.Errorf("%s: %s= has no place in a user unit", name, k)
		}
	}
	if got := u["Service"]["Restart"]; len(got) != 1 || got[0] == "no" {
		t.Errorf("%s: Restart=%v, want a restart policy", name, got)
	}
}

// plistValue is a decoded property-list value: a string, bool, integer (as
// its text), array or dict.
type plistValue struct {
	kind  string
	text  string
	array []plistValue
	dict  map[string]plistValue
}

func decodePlistValue(d *xml.Decoder, start xml.StartElement) (plistValue, error) {
	v := plistValue{kind: start.Name.Local}
	switch v.kind {
	case "true", "false":
		return v, d.Skip()
	case "array":
		for {
			tok, err := d.Token()
			if err != nil {
				return v, err
			}
			switch tk := tok.(type) {
			case xml.StartElement:
				e, err := decodePlistValue(d, tk)
				if err != nil {
					return v, err
				}
				v.array = append(v.array, e)
			case xml.EndElement:
				return v, nil
			}
		}
	case "dict":
		v.dict = map[string]plistValue{}
		key := ""
		for {
			tok, err := d.Token()
			if err != nil {
				return v, err
			}
			switch tk := tok.(type) {
			case xml.StartElement:
				if tk.Name.Local == "key" {
					if err := d.DecodeElement(&key, &tk); err != nil {
						return v, err
					}
					continue
				}
				e, err := decodePlistValue(d, tk)
				if err != nil {
					return v, err
				}
				v.dict[key] = e
			case xml.EndElement:
				return v, nil
			}
		}
	default:
		err := d.DecodeElement(&v.text, &start)
		return v, err
	}
}

func parsePlist(t *testing.T, b []byte) plistValue {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			t.Fatal("no <plist> element")
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local != "plist" {
			v, err := decodePlistValue(d, se)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
}

func TestLaunchdPlist(t *testing.T) {
	const name = "launchd/dev.hush.proxy.plist"
	p := parsePlist(t, readFile(t, name))
	if p.kind != "dict" {
		t.Fatalf("%s: top-level %s, want dict", name, p.kind)
	}
	if label := p.dict["Label"].text; label+".plist" != path.Base(name) {
		t.Errorf("%s: Label %q, want the file's name", name, label)
	}
	var argv []string
	for _, a := range p.dict["ProgramArguments"].array {
		if a.kind != "string" {
			t.Fatalf("%s: ProgramArguments holds a %s", name, a.kind)
		}
		argv = append(argv, a.text)
	}
	// launchd expands neither "~" nor variables.
	if len(argv) > 0 && !strings.HasPrefix(argv[0], "/") {
		t.Errorf("%s: %q is not an absolute path", name, argv[0])
	}
	checkLaptopArgs(t, name, argv)
	if p.dict["RunAtLoad"].kind != "true" {
		t.Errorf("%s: RunAtLoad is not true", name)
	}
	if _, ok := p.dict["KeepAlive"]; !ok {
		t.Errorf("%s: no KeepAlive, so a crashed hush stays down", name)
	}
}
