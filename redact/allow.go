// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// allowed reports whether a candidate secret is a documented example or a
// placeholder rather than a real value. It runs on every candidate of every
// rule, so it must be cheap.
func allowed(secret []byte) bool {
	// hush's own placeholders are never secrets: redaction is idempotent.
	if bytes.Contains(secret, []byte(placeholderPrefix)) {
		for i := bytes.Index(secret, []byte(placeholderPrefix)); i >= 0; {
			if placeholderLen(string(secret[i:])) > 0 {
				return true
			}
			j := bytes.Index(secret[i+1:], []byte(placeholderPrefix))
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}
