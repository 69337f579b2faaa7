// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"encoding/base64"
	"runtime"
	"slices"
	"sync"

	"github.com/hushproxy/hush/internal/ahocorasick"
)

// A target is what one Aho-Corasick pattern stands for. Several targets
// can share a pattern (two rules with the same keyword, or a keyword that
// is also the start of a known value's hex form).
type target struct {
	rule  *rule        // a rule keyword: run the rule at the hit
	known *knownSecret // a known value's form: compare at the hit
	form  *form
	b64   bool // an encoded keyword inside base64: decode the run and scan it
}

// ahead returns how many bytes after a hit the target may read.
func (t target) ahead() int {
	switch {
	case t.rule != nil:
		// A decoded window of w bytes can span up to 7w input bytes: a
		// \\u00e9 inside a JSON string inside a JSON string is 7 bytes
		// for 1. The streaming writer must not judge a hit before all of
		// them have arrived.
		return 7*t.rule.window + 8
	case t.known != nil:
		if t.form.b64 {
			return len(t.form.text) + b64Ahead
		}
		return len(t.form.text)
	default:
		return b64Ahead
	}
}

// holdFrom returns where a candidate from an undecided hit at p could
// start: p, or for base64 targets the start of the run around p.
func (t target) holdFrom(src []byte, p int) int {
	if t.b64 || (t.form != nil && t.form.b64) {
		if s, _, ok := b64Run(src, p, p); ok {
			return s
		}
	}
	return p
}

// Base64 scanning bounds: how far around an encoded keyword the run is
// decoded and scanned. A run longer than b64Behind before the hit (an
// embedded image, say) is not decoded.
const (
	b64Behind   = 4096
	b64Ahead    = 4096
	b64MinCore  = 5 // shortest encoded keyword core worth a pattern
	b64MaxCore  = 6
	maxPatLen   = 6 // longest Aho-Corasick pattern for a known value
	minB64Run   = 12
	knownMinPat = 5
)

// A cand is a candidate finding during a scan.
type cand struct {
	start, end int
	rule       *rule
	known      *knownSecret
	value      []byte // what the placeholder stands for (escapes decoded)
}

func (r *Redactor) buildMatcher() {
	index := map[string]int{}
	var pats []string
	add := func(p string, t target) {
		p = lowerASCII(p)
		i, ok := index[p]
		if !ok {
			i = len(pats)
			index[p] = i
			pats = append(pats, p)
			r.targets = append(r.targets, nil)
		}
		r.targets[i] = append(r.targets[i], t)
		r.maxPat = max(r.maxPat, len(p))
		r.maxAhead = max(r.maxAhead, t.ahead())
	}
	b64kw := map[string]bool{}
	for _, rl := range r.rules {
		for _, kw := range rl.Keywords {
			add(kw, target{rule: rl})
			for _, v := range []string{kw, lowerASCII(kw)} {
				for _, core := range base64Cores([]byte(v)) {
					b64kw[core] = true
				}
			}
		}
	}
	for _, k := range r.known {
		for i := range k.forms {
			f := &k.forms[i]
			add(string(f.text[:min(len(f.text), maxPatLen)]), target{known: k, form: f})
		}
	}
	for core := range b64kw {
		add(core, target{b64: true})
	}
	r.maxAhead = max(r.maxAhead, b64Ahead)
	r.ac = ahocorasick.New(pats)
	r.patterns = pats
}

// base64Cores returns the parts of base64(x) that do not depend on the
// bytes around x, for each of the three alignments x can have in a longer
// encoded blob, in both alphabets, cut to b64MaxCore characters.
func base64Cores(x []byte) []string {
	var cores []string
	for k := 0; k < 3; k++ {
		buf := make([]byte, k+len(x))
		copy(buf[k:], x)
		enc := base64.StdEncoding.EncodeToString(buf)
		first := (8*k + 5) / 6       // first char fully inside x
		last := (8*k + 8*len(x)) / 6 // one past the last such char
		if last-first < b64MinCore {
			continue
		}
		core := enc[first:min(last, first+b64MaxCore)]
		cores = append(cores, core)
		if u := toURLAlphabet(core); u != core {
			cores = append(cores, u)
		}
	}
	return cores
}

func toURLAlphabet(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch c {
		case '+':
			b[i] = '-'
		case '/':
			b[i] = '_'
		}
	}
	return string(b)
}

// parallelMin is the input size from which find splits the scan across
// CPUs. Below it, starting goroutines costs more than it saves.
const parallelMin = 256 << 10

// find returns the resolved candidates of all of src. A large input is cut
// into ranges scanned at the same time: every hit is judged on the whole
// input (its window and look-back cross range ends freely), so only where
// the automaton starts and stops differs, and overlaps are resolved once,
// over all ranges together.
func (r *Redactor) find(src []byte, depth int) []cand {
	n := min(runtime.GOMAXPROCS(0), 4, len(src)/(parallelMin/2))
	if n < 2 || len(src) < parallelMin || depth > 0 {
		cands, _ := r.scan(src, 0, len(src), true, depth, nil)
		return resolve(cands)
	}
	shared, _ := r.decoded.Get().(*decoded)
	if shared == nil {
		shared = new(decoded)
	}
	defer r.decoded.Put(shared)
	shared.reset(src)
	parts := make([][]cand, n)
	var wg sync.WaitGroup
	for i := range n {
		from, to := len(src)*i/n, len(src)*(i+1)/n
		wg.Go(func() { parts[i], _ = r.scan(src, from, to, true, depth, shared) })
	}
	wg.Wait()
	return resolve(slices.Concat(parts...))
}

// scan finds the candidates in src whose anchors are in [from, to), not
// yet resolved. With final false, src may continue: anchors whose window
// runs past the end are not judged, and safe is the offset before which
// every decision is final. depth counts base64 nesting. shared, if not
// nil, is the decoded input other scans of the same src share.
func (r *Redactor) scan(src []byte, from, to int, final bool, depth int, shared *decoded) (cands []cand, safe int) {
	safe = len(src)
	if !final {
		safe = max(from, len(src)-(r.maxPat-1))
	}
	sc, _ := r.scratch.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	defer r.scratch.Put(sc)
	sc.reset(src, shared)
	// Occurrences that start before from were judged by an earlier call
	// (the streaming writer's kept context, or another range); the
	// automaton need not see those bytes at all, nor more than a pattern
	// past to.
	// Most inputs hold no placeholder at all: look for one once, not
	// behind every hit.
	// (Only the part a hit in [from, to) can sit in matters: the streaming
	// writer's kept context would otherwise be searched on every write.)
	placeholders := bytes.Contains(src[max(0, from-maxPlaceholderLen):min(len(src), to+maxPlaceholderLen)], []byte(placeholderPrefix))
	r.ac.Match(src[from:min(len(src), to+r.maxPat-1)], func(p, pi int) {
		p += from
		if p >= to || placeholders && insidePlaceholder(src, p) {
			return
		}
		for _, t := range r.targets[pi] {
			if t.b64 && depth > 0 {
				continue
			}
			if !final && p+t.ahead() > len(src) {
				safe = min(safe, t.holdFrom(src, p))
				continue
			}
			cands = r.eval(cands, src, p, t, depth, sc)
		}
	})
	return cands, safe
}

// resolve sorts candidates and drops overlaps: leftmost first, then
// longest, then known values before rules, then rule order.
func resolve(cands []cand) []cand {
	if len(cands) < 2 {
		return cands
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return a.rank() - b.rank()
	})
	out := cands[:1]
	for _, c := range cands[1:] {
		if c.start >= out[len(out)-1].end {
			out = append(out, c)
		}
	}
	return out
}

func (c cand) rank() int {
	if c.known != nil {
		return -1
	}
	return c.rule.index
}

// eval judges one hit of target t at p and appends any candidates.
func (r *Redactor) eval(cands []cand, src []byte, p int, t target, depth int, sc *scratch) []cand {
	switch {
	case t.known != nil:
		return r.evalKnown(cands, src, p, t.known, t.form)
	case t.rule != nil:
		return r.evalRule(cands, src, p, t.rule, sc)
	default:
		return r.evalBase64(cands, src, p, depth)
	}
}

func (r *Redactor) evalKnown(cands []cand, src []byte, p int, k *knownSecret, f *form) []cand {
	end := p + len(f.text)
	if end > len(src) {
		return cands
	}
	got := src[p:end]
	if f.fold {
		if !bytes.EqualFold(got, f.text) {
			return cands
		}
	} else if !bytes.Equal(got, f.text) {
		return cands
	}
	if f.fold {
		// Restore the digits in the case they came in.
		return append(cands, cand{start: p, end: end, known: k, value: bytes.Clone(got)})
	}
	if f.b64 {
		// The core sits inside a longer base64 run; replace the whole run
		// so the placeholder stands alone and rehydrates to the exact blob.
		if s, e, ok := b64Run(src, p, end); ok {
			return append(cands, cand{start: s, end: e, known: k, value: bytes.Clone(src[s:e])})
		}
	}
	return append(cands, cand{start: p, end: end, known: k, value: f.restore})
}

// b64Run returns the base64 run around [p, end): at most b64Behind before
// p and b64Ahead after it, padding included. It fails when the run reaches
// further back than that (bulk data such as an image).
func b64Run(src []byte, p, end int) (int, int, bool) {
	start := p
	for start > 0 && p-start < b64Behind && isB64(src[start-1]) {
		start--
	}
	if start > 0 && isB64(src[start-1]) {
		return 0, 0, false
	}
	for end < len(src) && end-p < b64Ahead && (isB64(src[end]) || src[end] == '=') {
		end++
	}
	return start, end, true
}

// decoded is the whole input with JSON escapes undone, once and twice (for
// JSON inside JSON strings), made on the first hit that needs it and
// shared by the goroutines of a parallel scan.
type decoded struct {
	mu       sync.Mutex
	src      []byte
	l1, l2   []byte    // the decodings
	m1, m2   sparseMap // their maps back to src (m2 through m1)
	done     int       // 0: nothing decoded, 1: l1, 2: l1 and l2
	ok1, ok2 bool
}

// reset prepares d for src, keeping its buffers. Buffers that grew past
// maxKeep for one huge input are dropped rather than pinned in a pool.
func (d *decoded) reset(src []byte) {
	const maxKeep = 8 << 20
	d.src, d.done = src, 0
	if cap(d.l1) > maxKeep || cap(d.l2) > maxKeep {
		d.l1, d.l2 = nil, nil
	}
}

// level returns the input decoded n (1 or 2) times, with its map, or
// false when there is nothing to decode at that level.
func (d *decoded) level(n int) ([]byte, *sparseMap, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done == 0 {
		d.done = 1
		d.m1.parent = nil
		d.l1, d.ok1 = decodeSparse(d.src, d.l1, &d.m1)
	}
	if n == 1 {
		return d.l1, &d.m1, d.ok1
	}
	if d.done == 1 {
		d.done = 2
		d.ok2 = false
		if d.ok1 {
			d.m2.parent = &d.m1
			d.l2, d.ok2 = decodeSparse(d.l1, d.l2, &d.m2)
		}
	}
	return d.l2, &d.m2, d.ok2
}

// scratch is one scan's working memory, pooled: its decoded input (its
// own, or one shared between ranges), the window handed to a rule, and a
// per-hit percent-decoded window.
type scratch struct {
	src     []byte
	own     decoded
	dec     *decoded
	pv      view
	v       view
	pct     []int
	pctDone bool
}

func (sc *scratch) reset(src []byte, shared *decoded) {
	sc.src, sc.pctDone = src, false
	sc.dec = shared
	if shared == nil {
		sc.own.reset(src)
		sc.dec = &sc.own
	}
}

func (sc *scratch) level(n int) ([]byte, *sparseMap, bool) { return sc.dec.level(n) }

// percentNear reports whether a '%' occurs in the input within n bytes
// after p. The positions are listed once per scan.
func (sc *scratch) percentNear(p, n int) bool {
	if !sc.pctDone {
		sc.pctDone = true
		sc.pct = sc.pct[:0]
		for i := 0; ; {
			j := bytes.IndexByte(sc.src[i:], '%')
			if j < 0 {
				break
			}
			sc.pct = append(sc.pct, i+j)
			i += j + 1
		}
	}
	k, _ := slices.BinarySearch(sc.pct, p)
	return k < len(sc.pct) && sc.pct[k] < p+n
}

// escaped reports whether the view decoded an escape after at: the span
// then covers more input bytes than it holds.
func (v *view) escaped(at int) bool { return v.in(len(v.b))-v.in(at) != len(v.b)-at }

// window returns the part of a whole-input decoding that starts at input
// offset p and holds at most w bytes, sharing its memory.
//
// The window keeps the decoded text before it, so extractors can look
// back for context (a "kind: Secret" above a data: map) as they do in the
// raw input; at is the window's start within the returned view.
func (sc *scratch) window(dec []byte, m *sparseMap, p, w int) (v *view, at int) {
	d := m.first(p)
	e := min(len(dec), d+w)
	sc.v = view{b: dec[:e], m: m}
	return &sc.v, d
}

func (r *Redactor) evalRule(cands []cand, src []byte, p int, rl *rule, sc *scratch) []cand {
	if rl.boundary&boundLeft != 0 && !boundaryBefore(src, p) {
		return cands
	}
	if rl.gate != nil && !rl.gate(src, p) {
		return cands
	}
	raw := view{b: src[:min(len(src), p+rl.window)]}
	cands = r.matchView(cands, src, &raw, p, rl)
	// Decoded views only where an escape is within reach: elsewhere they
	// equal the raw window. A window that spans as many input bytes as it
	// holds has no escape in it.
	if l1, m1, ok := sc.level(1); ok {
		if v, at := sc.window(l1, m1, p, rl.window); v.escaped(at) {
			cands = r.matchView(cands, src, v, at, rl)
			if l2, m2, ok := sc.level(2); ok {
				if v, at := sc.window(l2, m2, p, rl.window); v.escaped(at) {
					cands = r.matchView(cands, src, v, at, rl)
				}
			}
		}
	}
	if sc.percentNear(p, 3*rl.window) && sc.pv.decodePercent(src, p, rl.window) {
		cands = r.matchView(cands, src, &sc.pv, 0, rl)
	}
	return cands
}

// matchView runs rule rl at offset at of view v.
func (r *Redactor) matchView(cands []cand, src []byte, v *view, at int, rl *rule) []cand {
	var spans []span
	if re := rl.regexp(); re != nil {
		loc := re.FindSubmatchIndex(v.b[at:])
		if loc == nil {
			return cands
		}
		if rl.boundary&boundRight != 0 && !r.after(src, v, at+loc[1]) {
			return cands
		}
		g := 2 * rl.SecretGroup
		if loc[g] < 0 || loc[g] == loc[g+1] {
			return cands
		}
		spans = []span{{at + loc[g], at + loc[g+1]}}
	} else {
		spans = rl.extract(v.b, at, len(v.b))
	}
	for _, s := range spans {
		secret := v.b[s.start:s.end]
		if !rl.accept(secret) {
			continue
		}
		in := span{v.in(s.start), v.in(s.end)}
		cands = append(cands, cand{start: in.start, end: in.end, rule: rl, value: bytes.Clone(secret)})
	}
	return cands
}

// after checks the right boundary at view offset off, falling back to the
// input when the view ends there.
func (r *Redactor) after(src []byte, v *view, off int) bool {
	if off < len(v.b) {
		return !isAlnum(v.b[off])
	}
	return boundaryAfter(src, v.in(off))
}

// accept applies the rule's validators to a candidate secret.
func (rl *rule) accept(secret []byte) bool {
	if len(secret) < rl.MinLen {
		return false
	}
	if rl.Entropy > 0 && entropy(secret) < rl.Entropy {
		return false
	}
	if rl.check != nil && !rl.check(secret) {
		return false
	}
	for _, a := range rl.allow {
		if a.Match(secret) {
			return false
		}
	}
	return !allowed(secret)
}

// evalBase64 decodes the base64 run around p and scans what it holds. When
// it holds a secret the whole run is replaced, since a part of a base64 run
// would still decode to part of the secret.
func (r *Redactor) evalBase64(cands []cand, src []byte, p int, depth int) []cand {
	start, end, ok := b64Run(src, p, p)
	if !ok || end-start < minB64Run {
		return cands
	}
	run := src[start:end]
	enc := base64.StdEncoding
	if bytes.ContainsAny(run, "-_") {
		enc = base64.URLEncoding
	}
	body := bytes.TrimRight(run, "=")
	dec, err := enc.WithPadding(base64.NoPadding).DecodeString(string(body[:len(body)/4*4+rem(len(body))]))
	if err != nil || len(dec) == 0 {
		return cands
	}
	inner := r.find(dec, depth+1)
	for _, c := range inner {
		if r.actionOf(c) == ActionAudit {
			continue
		}
		c.start, c.end, c.value = start, end, bytes.Clone(run)
		return append(cands, c)
	}
	return cands
}

// rem keeps a decodable tail: base64 without padding may end with 2 or 3
// characters of a group, never 1.
func rem(n int) int {
	if n%4 == 1 {
		return 0
	}
	return n % 4
}

func (r *Redactor) actionOf(c cand) Action {
	if c.known != nil {
		return r.action(KnownRuleID, "")
	}
	return r.action(c.rule.ID, c.rule.Action)
}

func isB64(c byte) bool {
	return isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_'
}

// insidePlaceholder reports whether offset p falls inside a placeholder
// (after its first byte): a kind such as db-password holds keywords, and
// redacting must be idempotent.
func insidePlaceholder(src []byte, p int) bool {
	lo := max(0, p-len(placeholderPrefix)-maxKindLen)
	for i := p - 1; i >= lo; i-- {
		if src[i] == 'h' && bytes.HasPrefix(src[i:], []byte(placeholderPrefix)) {
			if n := placeholderLen(string(src[i:min(len(src), i+maxPlaceholderLen)])); n > p-i {
				return true
			}
		}
	}
	return false
}
