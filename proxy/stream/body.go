// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
)

// DefaultMaxBody is the largest non-streamed body NewResponse rewrites.
const DefaultMaxBody = 64 << 20

// ErrBodyTooLarge is returned by a NewResponse reader whose body exceeds
// its limit: the body cannot be scanned whole, so none of it is sent.
var ErrBodyTooLarge = errors.New("stream: response body too large to rewrite")

// NewResponse returns a reader of a decoded response body of api with the
// given Content-Type, rewritten: an event stream event by event (NewSSE),
// a JSON or text body whole (RewriteJSON, after reading at most max bytes;
// 0 means DefaultMaxBody). Other media types (images, audio) pass as they
// are. Closing it closes body.
func NewResponse(api API, contentType string, body io.ReadCloser, max int, opts Options) io.ReadCloser {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/event-stream":
		return NewSSE(api, body, opts)
	case mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasPrefix(mt, "text/"):
		if max <= 0 {
			max = DefaultMaxBody
		}
		return &jsonReader{api: api, src: body, max: max, opts: opts}
	}
	return body
}

// jsonReader reads the whole body on the first Read and rewrites it.
type jsonReader struct {
	api  API
	src  io.ReadCloser
	max  int
	opts Options
	out  *bytes.Reader
	err  error
}

func (j *jsonReader) Read(p []byte) (int, error) {
	if j.out == nil && j.err == nil {
		data, err := io.ReadAll(io.LimitReader(j.src, int64(j.max)+1))
		switch {
		case err != nil:
			j.err = err
		case len(data) > j.max:
			j.err = fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, j.max)
		default:
			out, err := RewriteJSON(j.api, data, j.opts)
			j.out, j.err = bytes.NewReader(out), err
		}
	}
	if j.err != nil {
		return 0, j.err
	}
	return j.out.Read(p)
}

func (j *jsonReader) Close() error { return j.src.Close() }
