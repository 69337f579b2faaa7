// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

//go:build !race

package stream

const raceEnabled = false
