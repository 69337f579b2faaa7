// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are hush's Prometheus metrics, in a private registry (never the
// global one, so two proxies in one test binary do not collide). Label
// values are fixed sets (providers, outcomes, rule IDs, reasons): never a
// secret, a host or a user.
type Metrics struct {
	Registry *prometheus.Registry

	Requests           *prometheus.CounterVec // hush_requests_total{provider,outcome}
	Redactions         *prometheus.CounterVec // hush_redactions_total{rule,direction}
	Rehydrations       *prometheus.CounterVec // hush_rehydrations_total{rule}
	RehydrationsDenied *prometheus.CounterVec // hush_rehydrations_denied_total{reason}
	Blocked            *prometheus.CounterVec // hush_blocked_total{rule,reason}
	ScannedBytes       prometheus.Counter     // hush_scanned_bytes_total
	ScanDuration       prometheus.Histogram   // hush_scan_duration_seconds
	UpstreamDuration   prometheus.Histogram   // hush_upstream_duration_seconds
	ActiveConnections  prometheus.Gauge       // hush_active_connections
	CertificatesIssued prometheus.Counter     // hush_certificates_issued_total
	KnownSecrets       prometheus.Gauge       // hush_known_secrets
}

// Providers and outcomes, pre-created at zero so that rates and ratios
// over them exist before the first event.
var (
	providers = []string{"openai", "anthropic", "gemini", "other"}
	outcomes  = []string{outcomeOK, outcomeBlocked, outcomeFailedClosed, outcomeUpstreamError, outcomeClientError}
)

// NewMetrics creates the metrics in a new registry, along with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hush_requests_total",
			Help: "Requests to model APIs, by provider and outcome (ok, blocked, failed_closed, upstream_error, client_error).",
		}, []string{"provider", "outcome"}),
		Redactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hush_redactions_total",
			Help: "Secrets replaced by placeholders, by rule and direction (request, response).",
		}, []string{"rule", "direction"}),
		Rehydrations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hush_rehydrations_total",
			Help: "Placeholders restored to their values in tool-call arguments, by rule.",
		}, []string{"rule"}),
		RehydrationsDenied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hush_rehydrations_denied_total",
			Help: "Placeholders left in place although a tool call carried them, by reason.",
		}, []string{"reason"}),
		Blocked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hush_blocked_total",
			Help: "Requests refused because a rule set to block matched, by rule and reason.",
		}, []string{"rule", "reason"}),
		ScannedBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hush_scanned_bytes_total",
			Help: "Bytes of decoded request bodies scanned for secrets.",
		}),
		ScanDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hush_scan_duration_seconds",
			Help:    "Time to decode and redact one request body.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		UpstreamDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hush_upstream_duration_seconds",
			Help:    "Time from sending a request upstream to its response headers.",
			Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}),
		ActiveConnections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hush_active_connections",
			Help: "Client connections open to the proxy listener.",
		}),
		CertificatesIssued: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hush_certificates_issued_total",
			Help: "Leaf certificates minted for intercepted hosts.",
		}),
		KnownSecrets: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hush_known_secrets",
			Help: "Known secret values hush matches exactly.",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Redactions, m.Rehydrations, m.RehydrationsDenied, m.Blocked,
		m.ScannedBytes, m.ScanDuration, m.UpstreamDuration, m.ActiveConnections, m.CertificatesIssued,
		m.KnownSecrets, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, p := range providers {
		for _, o := range outcomes {
			m.Requests.WithLabelValues(p, o)
		}
	}
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
