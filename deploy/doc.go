// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package deploy holds hush's deployment files and no code to ship: the
// Kubernetes manifests, the Prometheus rules, the Grafana dashboard, compose,
// and the laptop service units. Its tests check those files, and the
// Dockerfile at the module root, by parsing them and by running what can run
// without a Docker engine or a cluster: the Dockerfile's exact go build,
// promtool, and kustomize where installed. See README.md.
package deploy
