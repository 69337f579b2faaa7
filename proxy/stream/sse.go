// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// sseReader rewrites an event stream event by event. It has the shape of
// age's readers: out holds rewritten bytes not yet read, in the upstream
// bytes not yet parsed, and err is sticky.
type sseReader struct {
	src io.ReadCloser
	x   *rewriter
	max int

	in        []byte
	scan      int // where line scanning resumes in in
	lineStart int // the start of the current line in in

	out []byte
	off int
	err error
	nl  string // the last event's line ending, for inserted events
}

// Buffer sizes: reads start small (most events are a few hundred bytes)
// and the buffer doubles while an event does not fit.
const (
	minBuffer = 4 << 10
	readSize  = 32 << 10
)

// ErrEventTooLarge is returned when one SSE event exceeds Options.MaxEvent.
var ErrEventTooLarge = errors.New("stream: SSE event too large")

// Read implements io.Reader. It returns as soon as at least one event is
// rewritten, and never waits for more upstream bytes while it has some to
// give.
func (s *sseReader) Read(p []byte) (int, error) {
	for s.off == len(s.out) {
		if s.err != nil {
			return 0, s.err
		}
		s.out, s.off = s.out[:0], 0
		s.fill()
	}
	n := copy(p, s.out[s.off:])
	s.off += n
	return n, nil
}

// Close closes upstream.
func (s *sseReader) Close() error { return s.src.Close() }

// fill reads from upstream once and rewrites the events it completes.
func (s *sseReader) fill() {
	if cap(s.in)-len(s.in) < minBuffer/4 {
		s.in = append(make([]byte, 0, max(minBuffer, 2*cap(s.in))), s.in...)
	}
	n, err := s.src.Read(s.in[len(s.in):cap(s.in)])
	s.in = s.in[:len(s.in)+n]
	s.events(err == io.EOF)
	switch {
	case s.x.err != nil:
		s.err = s.x.err
	case err == io.EOF:
		end := &event{}
		s.x.finishAll(end)
		s.out = s.emitSynthetic(s.out, end.pre)
		s.err = io.EOF
	case err != nil:
		// Upstream broke: what was complete has gone out; the rest,
		// held-back bytes included, is dropped so that the client sees
		// a broken stream rather than a rewrite left half done.
		s.err = err
	case len(s.in) > s.max:
		s.err = fmt.Errorf("%w: more than %d bytes", ErrEventTooLarge, s.max)
	}
}

// events rewrites every complete event in s.in; at EOF the unterminated
// rest counts as one.
func (s *sseReader) events(eof bool) {
	start := 0
	for i := s.scan; i < len(s.in); i++ {
		c := s.in[i]
		if c != '\n' && c != '\r' {
			continue
		}
		term := 1
		if c == '\r' {
			if i+1 == len(s.in) && !eof {
				// "\r" might be the first half of "\r\n": wait.
				s.scan = i
				s.compact(start)
				return
			}
			if i+1 < len(s.in) && s.in[i+1] == '\n' {
				term = 2
			}
		}
		if i == s.lineStart {
			// A blank line ends the event.
			s.event(s.in[start : i+term])
			start = i + term
		}
		s.lineStart = i + term
		i += term - 1
	}
	s.scan = len(s.in)
	if eof && start < len(s.in) {
		s.event(s.in[start:])
		start = len(s.in)
		s.lineStart, s.scan = len(s.in), len(s.in)
	}
	s.compact(start)
}

// compact drops the parsed bytes from s.in.
func (s *sseReader) compact(n int) {
	if n == 0 {
		return
	}
	rest := copy(s.in, s.in[n:])
	s.in = s.in[:rest]
	s.scan -= n
	s.lineStart -= n
	if cap(s.in) > 4*readSize && rest < cap(s.in)/4 {
		s.in = append(make([]byte, 0, readSize), s.in...)
	}
}

// sseEvent is one parsed event.
type sseEvent struct {
	raw  []byte
	name string
	data []byte
	has  bool // it has a data field
	nl   string
}

// parseEvent splits raw (one event, its blank line included) into fields.
func parseEvent(raw []byte) sseEvent {
	ev := sseEvent{raw: raw, nl: "\n"}
	first := true
	var multi bool
	eachLine(raw, func(line []byte, term string) {
		if first && term != "" {
			ev.nl, first = term, false
		}
		line = bytes.TrimPrefix(line, bom)
		if len(line) == 0 || line[0] == ':' {
			return
		}
		name, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			name, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(name) {
		case "event":
			ev.name = string(value)
		case "data":
			if !ev.has {
				ev.data, ev.has = value, true
				return
			}
			if !multi {
				ev.data, multi = append([]byte(nil), ev.data...), true
			}
			ev.data = append(append(ev.data, '\n'), value...)
		}
	})
	return ev
}

// bom is a byte order mark, which a stream may start with and a client
// ignores (the SSE spec); so must field parsing, lest the first event go
// unscanned.
var bom = []byte("\xef\xbb\xbf")

// eachLine calls f for each line of b with its terminator ("" for the
// last line of an unterminated event).
func eachLine(b []byte, f func(line []byte, term string)) {
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			f(b, "")
			return
		}
		term := b[i : i+1]
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			term = b[i : i+2]
		}
		f(b[:i], string(term))
		b = b[i+len(term):]
	}
}

// event rewrites one event and appends the result to s.out.
func (s *sseReader) event(raw []byte) {
	if s.x.err != nil {
		return
	}
	if len(raw) > s.max {
		s.x.fail(fmt.Errorf("%w: more than %d bytes", ErrEventTooLarge, s.max))
		return
	}
	ev := parseEvent(raw)
	s.nl = ev.nl
	if !ev.has {
		s.out = append(s.out, raw...)
		return
	}
	x := s.x
	c := x.newEvent(ev.data)
	x.ad.event(x, c, ev.name)
	data := x.apply(c)
	s.out = s.emitSynthetic(s.out, c.pre)
	if bytes.Equal(data, ev.data) {
		s.out = append(s.out, raw...)
		return
	}
	s.out = reframe(s.out, ev, data)
}

// emitSynthetic appends inserted events in the stream's framing.
func (s *sseReader) emitSynthetic(out []byte, evs []synthetic) []byte {
	nl := s.nl
	if nl == "" {
		nl = "\n"
	}
	for _, e := range evs {
		if e.name != "" {
			out = append(append(append(out, "event: "...), e.name...), nl...)
		}
		out = append(append(append(out, "data: "...), e.data...), nl...)
		out = append(out, nl...)
	}
	return out
}

// reframe appends ev with its data replaced: every other line as it came,
// the new data in the place and style of the first data line.
func reframe(out []byte, ev sseEvent, data []byte) []byte {
	done := false
	eachLine(ev.raw, func(line []byte, term string) {
		name, value, colon := bytes.Cut(bytes.TrimPrefix(line, bom), []byte(":"))
		if string(name) != "data" {
			out = append(append(out, line...), term...)
			return
		}
		if done {
			return
		}
		done = true
		prefix := "data:"
		if colon && len(value) > 0 && value[0] == ' ' {
			prefix = "data: "
		}
		nl := term
		if nl == "" {
			nl = ev.nl
		}
		for i, part := range bytes.Split(data, []byte("\n")) {
			if i > 0 {
				out = append(out, nl...)
			}
			out = append(append(out, prefix...), part...)
		}
		out = append(out, term...)
	})
	return out
}
