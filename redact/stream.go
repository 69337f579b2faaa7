// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "io"

// Writer redacts a stream: see NewWriter.
type Writer struct {
	r        *Redactor
	dst      io.Writer
	buf      []byte // context already written, then pending input
	from     int    // offset in buf of the first byte not yet written
	base     int    // input offset of buf[0]
	findings []Finding
	err      error // sticky
}

// keepContext is how much already-written input the Writer keeps, so that
// boundary checks and extractors that look back see what one-shot
// redaction would see.
// Decoded views take lookback decoded bytes, which can span more input.
const keepContext = 2 * lookback

// NewWriter returns a writer that redacts what is written to it and writes
// the result to dst. It holds back only bytes that could still begin a
// secret, so its output equals Redact of the whole input however the input
// is split. Close flushes the rest; it does not close dst.
func (r *Redactor) NewWriter(dst io.Writer) *Writer {
	return &Writer{r: r, dst: dst}
}

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	if err := w.flush(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close redacts and writes everything held back.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	return w.flush(true)
}

// Findings returns the findings so far, with offsets in the whole input.
func (w *Writer) Findings() []Finding { return w.findings }

// Pending returns how many input bytes are held back.
func (w *Writer) Pending() int { return len(w.buf) - w.from }

func (w *Writer) flush(final bool) error {
	cands, safe := w.r.scan(w.buf, w.from, len(w.buf), final, 0, nil)
	cands = resolve(cands)
	if !final {
		safe = min(safe, trailingRun(w.buf, w.from))
	}
	// A candidate that starts before safe but ends after it waits, whole.
	keep := cands[:0]
	for _, c := range cands {
		if c.start < w.from {
			continue
		}
		if c.start < safe && c.end > safe {
			safe = c.start
		}
		keep = append(keep, c)
	}
	emit := keep[:0]
	for _, c := range keep {
		if c.end <= safe {
			c.start -= w.from
			c.end -= w.from
			emit = append(emit, c)
		}
	}
	out, fs := w.r.apply(w.buf[w.from:safe], emit, nil)
	for i := range fs {
		fs[i].Start += w.base + w.from
		fs[i].End += w.base + w.from
	}
	w.findings = append(w.findings, fs...)
	if len(out) > 0 {
		if _, err := w.dst.Write(out); err != nil {
			w.err = err
			return err
		}
	}
	w.from = safe
	if drop := w.from - keepContext; drop > 0 {
		w.buf = append(w.buf[:0], w.buf[drop:]...)
		w.base += drop
		w.from -= drop
	}
	return nil
}

// trailingRun returns the start of the base64-alphabet run that ends b, if
// it is short enough to be decoded once complete; else len(b). Such a run
// may yet turn out to hold an encoded secret, and its replacement would
// start at the run's start.
func trailingRun(b []byte, from int) int {
	i := len(b)
	for i > from && isB64(b[i-1]) {
		i--
	}
	if len(b)-i > b64Behind {
		return len(b)
	}
	return i
}
