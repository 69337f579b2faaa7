// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

// chunkStep is the step between the chunk sizes a golden transcript is
// replayed at: every size, from 1 byte up. Under the race detector, which
// makes each replay ten times slower and finds nothing new in the
// thousandth replay of one goroutine, sizes up to 64 and then every 61st.
func chunkStep(n int) int {
	if raceEnabled && n >= 64 {
		return 61
	}
	return 1
}
