// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

// An extractor is a rule written in Go, for shapes a regular expression
// cannot say well (a PEM block, a Kubernetes Secret's data map). It sees
// src, the view the anchor was found in (escapes already decoded), and the
// anchor's offset at. It may read src[max(0, at-lookback):end] and returns
// the secret spans it found, each at or after at.
type extractor func(src []byte, at, end int) []span

// lookback bounds how far before its anchor an extractor may read, for
// context only (a "kind: Secret" line before a data: map). The streaming
// writer keeps this many bytes of context.
const lookback = 4096

// span is a half-open byte range [start, end).
type span struct{ start, end int }

// extractors are the named extractors a rule's `extract:` can use. The table
// is read-only after init.
var extractors = map[string]extractor{}
