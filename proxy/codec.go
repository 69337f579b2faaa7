// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// DefaultMaxBody bounds a request body, both as sent and once decoded.
// Agents resend their whole context every turn, which is rarely above a few
// MiB; 32 MiB leaves room for images and documents while keeping a
// decompression bomb from taking the process down.
const DefaultMaxBody = 32 << 20

// Codec errors. The handler turns each into a provider-shaped refusal: a
// body that cannot be decoded cannot be inspected, so it is never sent.
var (
	ErrUnsupportedEncoding = errors.New("unsupported Content-Encoding")
	ErrCorruptBody         = errors.New("corrupt compressed body")
	ErrBodyTooLarge        = errors.New("body over the size limit")
	ErrDecodedTooLarge     = errors.New("body decompresses past the size limit")
)

// CodecError says which coding failed and why.
type CodecError struct {
	Encoding string // the coding, as the header named it
	Err      error  // one of the Err* above, possibly wrapping the decoder's error
}

func (e *CodecError) Error() string { return fmt.Sprintf("content-encoding %q: %v", e.Encoding, e.Err) }
func (e *CodecError) Unwrap() error { return e.Err }

// codings splits a Content-Encoding header value into its codings, in the
// order they were applied, lowercased, without "identity".
func codings(header string) []string {
	var out []string
	for c := range strings.SplitSeq(header, ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && c != "identity" {
			out = append(out, c)
		}
	}
	return out
}

// supported reports whether every coding in header can be decoded.
func supported(header string) bool {
	for _, c := range codings(header) {
		switch c {
		case "gzip", "x-gzip", "deflate", "br", "zstd":
		default:
			return false
		}
	}
	return true
}

// decodeBody undoes the codings named by a Content-Encoding header value
// (RFC 9110, section 8.4: listed in the order applied, so undone last to
// first). It never holds more than limit decoded bytes: past that it fails
// with ErrDecodedTooLarge. With no codings it returns raw itself.
func decodeBody(header string, raw []byte, limit int64) ([]byte, error) {
	cs := codings(header)
	out := raw
	for i := len(cs) - 1; i >= 0; i-- {
		r, err := newDecoder(cs[i], bytes.NewReader(out), limit)
		if err != nil {
			return nil, &CodecError{Encoding: cs[i], Err: err}
		}
		// A compressed body usually expands 3-10x; start there to save
		// a few doublings.
		out, err = readLimited(r, limit, 4*len(out))
		r.Close()
		switch {
		case errors.Is(err, zstd.ErrDecoderSizeExceeded), errors.Is(err, zstd.ErrWindowSizeExceeded):
			err = ErrDecodedTooLarge
		case err != nil && !errors.Is(err, ErrDecodedTooLarge):
			err = corrupt(err)
		}
		if err != nil {
			return nil, &CodecError{Encoding: cs[i], Err: err}
		}
	}
	return out, nil
}

// newDecoder returns a streaming decoder of one coding. limit bounds the
// memory a zstd decoder may reserve for its window.
func newDecoder(coding string, r io.Reader, limit int64) (io.ReadCloser, error) {
	switch coding {
	case "gzip", "x-gzip":
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, corrupt(err)
		}
		return z, nil
	case "deflate":
		// RFC 9110 says zlib-wrapped, but some clients send raw deflate;
		// the zlib header (CMF/FLG with a check) tells them apart.
		br := bufio.NewReader(r)
		if hdr, err := br.Peek(2); err == nil && zlibHeader(hdr) {
			z, err := zlib.NewReader(br)
			if err != nil {
				return nil, corrupt(err)
			}
			return z, nil
		}
		return flate.NewReader(br), nil
	case "br":
		return io.NopCloser(brotli.NewReader(r)), nil
	case "zstd":
		window := uint64(max(limit, 8<<20))
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxMemory(uint64(limit)), zstd.WithDecoderMaxWindow(window))
		if err != nil {
			return nil, corrupt(err)
		}
		return zstdCloser{d}, nil
	}
	return nil, ErrUnsupportedEncoding
}

type zstdCloser struct{ *zstd.Decoder }

func (z zstdCloser) Close() error { z.Decoder.Close(); return nil }

// zlibHeader reports whether b starts a zlib stream (RFC 1950, section 2.2).
func zlibHeader(b []byte) bool {
	return b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

func corrupt(err error) error { return fmt.Errorf("%w: %v", ErrCorruptBody, err) }

// readLimited reads r to EOF, failing with ErrDecodedTooLarge once more
// than limit bytes arrive. hint sizes the first buffer.
func readLimited(r io.Reader, limit int64, hint int) ([]byte, error) {
	buf := make([]byte, 0, min(int64(max(hint, 512)), limit+1))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, ErrDecodedTooLarge
			}
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit+1)]
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, ErrDecodedTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readBody reads a request body of at most limit bytes. size is the
// declared Content-Length, or -1.
func readBody(r io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, ErrBodyTooLarge
	}
	if size >= 0 {
		// The server's body reader stops at Content-Length, so one
		// exact allocation is enough.
		buf := make([]byte, size)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("reading request body: %w", err)
		}
		return buf, nil
	}
	b, err := readLimited(r, limit, 64<<10)
	switch {
	case errors.Is(err, ErrDecodedTooLarge):
		return nil, ErrBodyTooLarge
	case err != nil:
		return nil, fmt.Errorf("reading request body: %w", err)
	}
	return b, nil
}
