// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

// genericAdapter is any other API: every event and body is scanned as a
// whole (see rewriter.scanGaps) and nothing is ever restored, since the
// rewriter cannot tell a tool call from text. A secret split across two
// events of an unknown stream is not caught.
type genericAdapter struct{}

func (genericAdapter) event(*rewriter, *event, string) {}
func (genericAdapter) body(*rewriter, *event)          {}
