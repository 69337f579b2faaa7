// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

// Event is one event of a response: its SSE event name ("" if none) and
// its data.
type Event struct {
	Name string
	Data []byte
}

// Events rewrites a response's events handed over one at a time, for a
// transport that frames events itself: Codex's Responses WebSocket sends
// the objects of the SSE data lines as text frames (WIRE.md section 2.4).
// It keeps the same state as NewSSE's reader, so placeholders split across
// frames are restored and every copy of a call agrees.
type Events struct{ x *rewriter }

// NewEvents returns an Events for one response (one WebSocket turn).
func NewEvents(api API, opts Options) *Events { return &Events{newRewriter(api, opts)} }

// Next rewrites one event. It returns what to send in its place: the
// events inserted before it (what a channel held back, when it ends here),
// then the event itself, rewritten. The result may share memory with
// ev.Data. An error (a limit exceeded) means the stream must fail.
func (e *Events) Next(ev Event) ([]Event, error) {
	x := e.x
	if x.err != nil {
		return nil, x.err
	}
	c := x.newEvent(ev.Data)
	x.ad.event(x, c, ev.Name)
	data := x.apply(c)
	out := make([]Event, 0, len(c.pre)+1)
	for _, p := range c.pre {
		out = append(out, Event{p.name, p.data})
	}
	return append(out, Event{ev.Name, data}), x.err
}

// End returns the events to send when upstream ends cleanly: what the
// open channels still hold.
func (e *Events) End() []Event {
	end := &event{}
	e.x.finishAll(end)
	var out []Event
	for _, p := range end.pre {
		out = append(out, Event{p.name, p.data})
	}
	return out
}
