// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// DefaultDrain is how long a shutting-down Server lets open requests
// finish. Model streams can run for minutes; this stays under
// Kubernetes' grace period in deploy/kubernetes (120 s).
const DefaultDrain = 90 * time.Second

// Server runs a Handler on the proxy listener and serves the admin
// endpoints: GET /healthz (200 once serving), GET /readyz (200 while
// serving and not draining) and GET /metrics.
type Server struct {
	Handler *Handler      // required, with Update already called
	Logger  *slog.Logger  // nil: the Handler's
	Drain   time.Duration // 0: DefaultDrain
	// TLS makes the proxy listener speak TLS (an HTTPS proxy), for
	// client certificates (see ListenerTLS). nil: plain HTTP.
	TLS *tls.Config

	ready    atomic.Bool
	draining atomic.Bool
}

// Serve serves until ctx is done, then drains: it stops accepting, marks
// itself not ready, waits up to Drain for inspected requests (and their
// streams) to finish, and closes every connection left. It returns nil
// after a drain, or the error of a listener that failed.
func (s *Server) Serve(ctx context.Context, proxyLn, adminLn net.Listener) error {
	h := s.Handler
	h.init()
	log := s.Logger
	if log == nil {
		log = h.Logger
	}
	drain := s.Drain
	if drain <= 0 {
		drain = DefaultDrain
	}
	tl := &trackingListener{Listener: proxyLn, gauge: h.Metrics.ActiveConnections, conns: map[*trackedConn]struct{}{}}
	psrv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       5 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	asrv := &http.Server{Handler: s.AdminHandler(), ReadHeaderTimeout: 10 * time.Second}
	var pl net.Listener = tl
	if s.TLS != nil {
		// Outermost, so that http.Server sees the *tls.Conn and
		// fills r.TLS with the verified client certificate.
		pl = tls.NewListener(tl, s.TLS)
	}
	errc := make(chan error, 2)
	go func() { errc <- psrv.Serve(pl) }()
	go func() { errc <- asrv.Serve(adminLn) }()
	s.ready.Store(true)

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		log.Error("listener failed", "err", err)
	}
	s.draining.Store(true)
	dctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	// Shutdown waits for base-URL requests (on connections it still
	// tracks); hijacked MITM connections are counted by Inflight.
	if psrv.Shutdown(dctx) != nil {
		psrv.Close()
	}
	for h.Inflight() > 0 && dctx.Err() == nil {
		select {
		case <-dctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
	if n := h.Inflight(); n > 0 {
		log.Warn("drain deadline passed; cutting open requests", "open", n)
	}
	tl.closeAll()
	actx, acancel := context.WithTimeout(context.Background(), time.Second)
	defer acancel()
	if asrv.Shutdown(actx) != nil {
		asrv.Close()
	}
	return err
}

// AdminHandler serves /healthz, /readyz and /metrics.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() || s.draining.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	s.Handler.init()
	mux.Handle("GET /metrics", s.Handler.Metrics.Handler())
	return mux
}

// trackingListener counts the proxy's client connections (hijacked ones
// included, which http.Server forgets) and can close them all.
type trackingListener struct {
	net.Listener
	gauge prometheus.Gauge
	mu    sync.Mutex
	conns map[*trackedConn]struct{}
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	l.gauge.Inc()
	return tc, nil
}

func (l *trackingListener) closeAll() {
	l.mu.Lock()
	conns := make([]*trackedConn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

type trackedConn struct {
	net.Conn
	l    *trackingListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
		c.l.gauge.Dec()
	})
	return err
}

// CloseWrite and CloseRead keep TCP half-close working for tunnels:
// goproxy closes one direction when the other side finishes sending.
func (c *trackedConn) CloseWrite() error {
	if hc, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return hc.CloseWrite()
	}
	return errors.ErrUnsupported
}

func (c *trackedConn) CloseRead() error {
	if hc, ok := c.Conn.(interface{ CloseRead() error }); ok {
		return hc.CloseRead()
	}
	return errors.ErrUnsupported
}
