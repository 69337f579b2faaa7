// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

//go:build !race

package proxy

// raceDetector scales load tests down under -race.
const raceDetector = false
