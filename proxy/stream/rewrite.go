// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/hushproxy/hush/redact"
)

// An adapter knows where one API puts text and tool calls.
type adapter interface {
	// event rewrites one SSE event. c.json tells whether its data parsed.
	event(x *rewriter, c *event, name string)
	// body rewrites a whole non-streamed response.
	body(x *rewriter, c *event)
}

// rewriter holds one response's state: the open channels (a text stream
// or a tool call's arguments, each keyed as its API keys them) and, for
// the Responses API, the calls whose copies are still to come.
type rewriter struct {
	o     Options
	r     *redact.Redactor
	pol   *Policy
	ad    adapter
	api   API
	open  []*channel
	calls map[string]*callState // by item ID: later copies of a call
	callq []string              // calls' keys, oldest first, for eviction
	seen  map[string]bool       // items whose findings were reported already
	shift int                   // events inserted so far (Responses sequence numbers)
	seq   int                   // the last sequence number sent
	err   error                 // a limit was exceeded: the stream must fail
}

// Limits on per-response state. A provider stays far below them; a
// hostile or broken upstream hits them and gets an error, not an OOM.
const (
	maxOpen     = 1024    // open channels (parallel tool calls, text streams)
	maxCalls    = 4096    // calls remembered for later copies
	maxDefer    = 1 << 20 // one call's arguments held for a destination decision
	maxDecided  = 256     // placeholders remembered per call
	maxEnvelope = 64 << 10
)

func newRewriter(api API, o Options) *rewriter {
	if o.Redactor == nil {
		panic("stream: Options.Redactor is required")
	}
	x := &rewriter{o: o, r: o.Redactor, pol: o.Policy, api: api, seq: -1, seen: map[string]bool{}}
	if x.pol == nil {
		x.pol = DefaultPolicy()
	}
	switch api {
	case OpenAIChat:
		x.ad = &chatAdapter{}
	case OpenAIResponses:
		x.ad = &responsesAdapter{}
	case Anthropic:
		x.ad = &anthropicAdapter{}
	case Gemini:
		x.ad = &geminiAdapter{}
	default:
		x.ad = genericAdapter{}
	}
	return x
}

// event is one JSON document being rewritten: an SSE event's data or a
// whole body. Adapters add edits (string contents replaced), claims
// (spans left alone, not even scanned: signatures) and events to insert
// before this one.
type event struct {
	data   []byte
	doc    val
	json   bool
	edits  []edit
	claims []edit
	last   []lastEdit
	pre    []synthetic
	seq    val // sequence_number, for APIs that number events
}

type lastEdit struct {
	ch *channel
	i  int
}

// synthetic is an event the rewriter inserts: held-back content sent just
// before its channel ends.
type synthetic struct {
	name string
	data []byte
}

func (x *rewriter) newEvent(data []byte) *event {
	c := &event{data: data}
	c.doc, c.json = parseDoc(data)
	return c
}

// channel is one stream of fragments: a text (scanned) or a tool call's
// arguments (restored).
type channel struct {
	key   string
	group string // what ends together: a choice, an item, a candidate
	text  *textState
	call  *callState
	// synth builds a delta event of this channel carrying content.
	synth func(content []byte, seq int) synthetic
}

type textState struct {
	w     *redact.Writer
	out   bytes.Buffer
	pend  []byte
	found int
}

// callState is one tool call: how to escape a value into its arguments,
// the hosts they name, what was decided for each placeholder (so that
// every copy of the call is rewritten the same way), and the tail held
// back.
type callState struct {
	call      Call
	esc       func([]byte) []byte
	hosts     hostScanner
	hostsDone bool
	dec       map[string]decision
	held      []byte
	deferring bool // holding everything until the call ends: a value bound to hosts
	huge      bool // too long to hold: values bound to hosts are denied
	fired     bool // callbacks ran for one copy; later copies are silent
}

type decision struct {
	ok     bool
	reason string
	iss    redact.Issue
}

// lookupChan returns the open channel with key, or nil.
func (x *rewriter) lookupChan(key string) *channel {
	for _, ch := range x.open {
		if ch.key == key {
			return ch
		}
	}
	return nil
}

// openText returns the open text channel key, opening it if needed.
func (x *rewriter) openText(key, group string, synth func([]byte, int) synthetic) *channel {
	if ch := x.lookupChan(key); ch != nil {
		return ch
	}
	t := &textState{}
	t.w = x.r.NewWriter(&t.out)
	return x.add(&channel{key: key, group: group, text: t, synth: synth})
}

// openCall opens the arguments channel of a call.
func (x *rewriter) openCall(key, group string, st *callState, synth func([]byte, int) synthetic) *channel {
	return x.add(&channel{key: key, group: group, call: st, synth: synth})
}

func (x *rewriter) add(ch *channel) *channel {
	if len(x.open) >= maxOpen {
		x.fail(fmt.Errorf("stream: more than %d tool calls or text streams open at once", maxOpen))
		// Keep going without this channel's state; the stream fails
		// after this event.
		ch.text, ch.call = nil, nil
		return ch
	}
	x.open = append(x.open, ch)
	return ch
}

func (x *rewriter) fail(err error) {
	if x.err == nil {
		x.err = err
	}
}

func (x *rewriter) newCall(call Call, esc func([]byte) []byte) *callState {
	call.API = x.api
	return &callState{call: call, esc: esc}
}

// remember keeps a call for its later copies, under key.
func (x *rewriter) remember(key string, st *callState) {
	if x.calls == nil {
		x.calls = map[string]*callState{}
	}
	if _, ok := x.calls[key]; !ok {
		x.callq = append(x.callq, key)
	}
	x.calls[key] = st
	for len(x.callq) > maxCalls {
		delete(x.calls, x.callq[0])
		x.callq = x.callq[1:]
	}
}

// fragment feeds the string v (a delta of ch) through ch and replaces its
// content with what may go out now.
func (x *rewriter) fragment(c *event, ch *channel, v val) {
	raw, ok := v.str()
	if !ok {
		return
	}
	var out []byte
	switch {
	case ch.text != nil:
		out = x.textFeed(ch.text, raw)
	case ch.call != nil:
		out = x.callFeed(ch.call, raw)
	default:
		out = raw
	}
	c.edits = append(c.edits, edit{v.s + 1, v.e - 1, out})
	c.last = append(c.last, lastEdit{ch, len(c.edits) - 1})
}

// finish ends ch: what it still holds goes out at the end of its last
// fragment in this event, or else in a delta event inserted before it.
func (x *rewriter) finish(c *event, ch *channel) {
	x.open = slices.DeleteFunc(x.open, func(o *channel) bool { return o == ch })
	var out []byte
	switch {
	case ch.text != nil:
		out = x.textClose(ch.text)
	case ch.call != nil:
		out = x.callClose(ch.call)
	}
	if len(out) == 0 {
		return
	}
	for i := len(c.last) - 1; i >= 0; i-- {
		if c.last[i].ch == ch {
			e := &c.edits[c.last[i].i]
			e.repl = append(e.repl[:len(e.repl):len(e.repl)], out...)
			return
		}
	}
	c.pre = append(c.pre, ch.synth(out, x.nextSeq(c)))
}

// finishGroup ends the open channels of group, in the order they opened.
func (x *rewriter) finishGroup(c *event, group string) {
	for _, ch := range slices.Clone(x.open) {
		if ch.group == group {
			x.finish(c, ch)
		}
	}
}

// finishAll ends every open channel.
func (x *rewriter) finishAll(c *event) {
	for _, ch := range slices.Clone(x.open) {
		x.finish(c, ch)
	}
}

// nextSeq returns the sequence number of an event inserted before c (an
// event without one: at the end of the stream).
func (x *rewriter) nextSeq(c *event) int {
	if c.seq.ok() {
		n, _ := c.seq.int()
		s := n + x.shift
		x.shift++
		return s
	}
	// An event without a number (or the end): the next number, and the
	// numbered events after it shift too.
	x.seq++
	x.shift++
	return x.seq
}

// textFeed redacts a text fragment (escaped content), returning what can
// be sent now.
func (x *rewriter) textFeed(t *textState, raw []byte) []byte {
	t.w.Write(raw) // writes to a bytes.Buffer: cannot fail
	x.reportText(t)
	t.pend = append(t.pend, t.out.Bytes()...)
	t.out.Reset()
	cut := keepPlaceholders(t.pend, safeCut(t.pend))
	out := bytes.Clone(t.pend[:cut])
	t.pend = append(t.pend[:0], t.pend[cut:]...)
	return out
}

func (x *rewriter) textClose(t *textState) []byte {
	t.w.Close()
	x.reportText(t)
	out := append(t.pend, t.out.Bytes()...)
	t.pend = nil
	t.out.Reset()
	return out
}

func (x *rewriter) reportText(t *textState) {
	fs := t.w.Findings()
	for _, f := range fs[t.found:] {
		if x.o.OnFinding != nil {
			x.o.OnFinding(f)
		}
	}
	t.found = len(fs)
}

// textCopy redacts a whole text (a .done copy or a non-streamed body).
// report says whether its findings count: not when its deltas counted.
func (x *rewriter) textCopy(c *event, v val, report bool) {
	raw, ok := v.str()
	if !ok {
		return
	}
	out, fs := x.r.Redact(raw)
	if report && x.o.OnFinding != nil {
		for _, f := range fs {
			x.o.OnFinding(f)
		}
	}
	c.edits = append(c.edits, edit{v.s + 1, v.e - 1, out})
}

// claim leaves v exactly as it is, unscanned: signatures and opaque blobs.
func (x *rewriter) claim(c *event, v val) {
	if v.ok() {
		c.claims = append(c.claims, edit{s: v.s, e: v.e})
	}
}

// apply scans what no adapter rewrote and returns the rewritten data.
func (x *rewriter) apply(c *event) []byte {
	x.scanGaps(c)
	if c.seq.ok() {
		n, _ := c.seq.int()
		if x.shift != 0 {
			c.edits = append(c.edits, edit{c.seq.s, c.seq.e, strconv.AppendInt(nil, int64(n+x.shift), 10)})
		}
		x.seq = n + x.shift
	}
	return applyEdits(c.data, c.edits)
}

// scanGaps redacts secrets in the parts of the data that no edit or claim
// covers: ids, error messages, echoed request fields, and whatever new
// fields an API grows. Text that an edit covers was scanned already.
func (x *rewriter) scanGaps(c *event) {
	if len(c.edits)+len(c.claims) == 0 {
		x.redactGap(c, 0, len(c.data))
		return
	}
	spans := append(slices.Clone(c.edits), c.claims...)
	slices.SortFunc(spans, func(a, b edit) int { return a.s - b.s })
	pos := 0
	for _, s := range spans {
		if s.s > pos {
			x.redactGap(c, pos, s.s)
		}
		pos = max(pos, s.e)
	}
	if pos < len(c.data) {
		x.redactGap(c, pos, len(c.data))
	}
}

func (x *rewriter) redactGap(c *event, s, e int) {
	out, fs := x.r.Redact(c.data[s:e])
	if len(fs) == 0 {
		return
	}
	if x.o.OnFinding != nil {
		for _, f := range fs {
			x.o.OnFinding(f)
		}
	}
	c.edits = append(c.edits, edit{s, e, bytes.Clone(out)})
}
