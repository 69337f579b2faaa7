// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

// chunkStep is the step between the chunk sizes a golden transcript is
// replayed at: every size, from 1 byte up.
func chunkStep(int) int { return 1 }
