// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package hook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Entry is one hook that hush setup installs: the event, the matcher and
// the command.
type Entry struct {
	Event   string
	Matcher string
	Command string
}

// Entries returns the hooks an agent needs, running the command hush.
func Entries(agent Agent, hush string) []Entry {
	cmd := shellQuote(hush) + " hook " + string(agent)
	switch agent {
	case Codex:
		// Codex cannot replace shell output in PostToolUse; the proxy
		// redacts it from the next request.
		return []Entry{{"PreToolUse", "*", cmd}}
	case Gemini:
		// Gemini's matcher is a regular expression.
		return []Entry{{"BeforeTool", ".*", cmd}, {"AfterTool", ".*", cmd}}
	default:
		return []Entry{{"PreToolUse", "*", cmd}, {"PostToolUse", "*", cmd}}
	}
}

// ourCommand matches a command hush setup wrote, whatever the path of the
// binary, so that setup is idempotent across upgrades and --remove finds
// it.
var ourCommand = regexp.MustCompile(`(^|/|')hush'? hook (claude-code|codex|gemini)$`)

// member is one key of a JSON object, its value kept as raw bytes so that
// everything hush does not touch is written back as it was.
type member struct {
	Key string
	Val json.RawMessage
}

type object []member

func parseObject(data []byte) (object, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return object{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	var o object
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		o = append(o, member{Key: tok.(string), Val: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON object")
	}
	return o, nil
}

func (o object) get(k string) (json.RawMessage, bool) {
	for _, m := range o {
		if m.Key == k {
			return m.Val, true
		}
	}
	return nil, false
}

// set replaces k's value where it is, or appends k.
func (o *object) set(k string, v json.RawMessage) {
	for i, m := range *o {
		if m.Key == k {
			(*o)[i].Val = v
			return
		}
	}
	*o = append(*o, member{Key: k, Val: v})
}

func (o *object) del(k string) {
	out := (*o)[:0]
	for _, m := range *o {
		if m.Key != k {
			out = append(out, m)
		}
	}
	*o = out
}

func (o object) marshal() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshal(m.Key))
		b.WriteByte(':')
		b.Write(m.Val)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// Install adds the entries to an agent's settings (JSON), keeping every
// other setting and its order. It returns the new file and a line per
// change; no changes means the file is already set up.
func Install(data []byte, entries []Entry) ([]byte, []string, error) {
	return edit(data, entries, false)
}

// Remove takes out every hook hush setup wrote, whatever the binary's path.
func Remove(data []byte, entries []Entry) ([]byte, []string, error) {
	return edit(data, entries, true)
}

func edit(data []byte, entries []Entry, remove bool) ([]byte, []string, error) {
	root, err := parseObject(data)
	if err != nil {
		return nil, nil, fmt.Errorf("not valid JSON (fix or move the file first): %w", err)
	}
	var hooks object
	if raw, ok := root.get("hooks"); ok {
		if hooks, err = parseObject(raw); err != nil {
			return nil, nil, fmt.Errorf("hooks: %w", err)
		}
	}
	var changes []string
	for _, e := range entries {
		var groups []json.RawMessage
		if raw, ok := hooks.get(e.Event); ok {
			if err := json.Unmarshal(raw, &groups); err != nil {
				return nil, nil, fmt.Errorf("hooks.%s: not a list: %w", e.Event, err)
			}
		}
		groups, ch, err := editGroups(groups, e, remove)
		if err != nil {
			return nil, nil, fmt.Errorf("hooks.%s: %w", e.Event, err)
		}
		changes = append(changes, ch...)
		if len(ch) == 0 {
			continue
		}
		if len(groups) == 0 {
			hooks.del(e.Event)
		} else {
			hooks.set(e.Event, marshalList(groups))
		}
	}
	if len(changes) == 0 {
		return data, nil, nil
	}
	if len(hooks) == 0 {
		root.del("hooks")
	} else {
		root.set("hooks", hooks.marshal())
	}
	var out bytes.Buffer
	if err := json.Indent(&out, root.marshal(), "", "  "); err != nil {
		return nil, nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), changes, nil
}

func marshalList(items []json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// editGroups installs or removes e among one event's matcher groups.
func editGroups(groups []json.RawMessage, e Entry, remove bool) ([]json.RawMessage, []string, error) {
	var changes []string
	found := false
	var out []json.RawMessage
	for _, g := range groups {
		grp, err := parseObject(g)
		if err != nil {
			return nil, nil, err
		}
		var hs []json.RawMessage
		if raw, ok := grp.get("hooks"); ok {
			if err := json.Unmarshal(raw, &hs); err != nil {
				return nil, nil, fmt.Errorf("hooks: not a list: %w", err)
			}
		}
		var keep []json.RawMessage
		changed := false
		for _, h := range hs {
			ho, err := parseObject(h)
			if err != nil {
				return nil, nil, err
			}
			var cmd string
			if raw, ok := ho.get("command"); ok {
				json.Unmarshal(raw, &cmd)
			}
			if !ourCommand.MatchString(cmd) || !strings.HasSuffix(cmd, e.Command[strings.LastIndex(e.Command, " hook "):]) {
				keep = append(keep, h)
				continue
			}
			switch {
			case remove:
				changed = true
				changes = append(changes, fmt.Sprintf("removed the %s hook %s", e.Event, cmd))
			case found:
				changed = true // a duplicate: drop it
				changes = append(changes, fmt.Sprintf("removed a duplicate %s hook", e.Event))
			case cmd != e.Command:
				found, changed = true, true
				ho.set("command", marshal(e.Command))
				keep = append(keep, ho.marshal())
				changes = append(changes, fmt.Sprintf("updated the %s hook to %s", e.Event, e.Command))
			default:
				found = true
				keep = append(keep, h)
			}
		}
		if !changed {
			out = append(out, g)
			continue
		}
		if len(keep) == 0 {
			continue // the group held only our hook
		}
		grp.set("hooks", marshalList(keep))
		out = append(out, grp.marshal())
	}
	if !remove && !found {
		h := object{{"type", marshal("command")}, {"command", marshal(e.Command)}}
		if e.Event == "BeforeTool" || e.Event == "AfterTool" {
			h = append(h, member{"name", marshal("hush")})
		}
		g := object{{"matcher", marshal(e.Matcher)}, {"hooks", marshalList([]json.RawMessage{h.marshal()})}}
		out = append(out, g.marshal())
		changes = append(changes, fmt.Sprintf("added the %s hook (matcher %q): %s", e.Event, e.Matcher, e.Command))
	}
	return out, changes, nil
}
