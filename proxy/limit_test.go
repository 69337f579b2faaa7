// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package proxy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterTokenBucket(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := &limiter{now: func() time.Time { return now }}
	lim := Limits{RequestsPerSecond: 2, Burst: 3}
	var got []bool
	for range 4 {
		_, ok := l.allow("a", lim)
		got = append(got, ok)
	}
	if want := []bool{true, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("a burst of 4 with burst 3: %v, want %v", got, want)
	}
	if wait, ok := l.allow("a", lim); ok || wait != 500*time.Millisecond {
		t.Errorf("empty bucket at 2/s: wait %v, ok %v; want 500ms, false", wait, ok)
	}
	if _, ok := l.allow("b", lim); !ok {
		t.Error("another client shares the first one's bucket")
	}
	now = now.Add(500 * time.Millisecond)
	if _, ok := l.allow("a", lim); !ok {
		t.Error("no token after 500ms at 2/s")
	}
	if _, ok := l.allow("a", lim); ok {
		t.Error("two tokens after 500ms at 2/s")
	}
	now = now.Add(time.Hour)
	for i := range 3 {
		if _, ok := l.allow("a", lim); !ok {
			t.Errorf("after an hour, request %d refused: the bucket should be full again", i)
		}
	}
	if _, ok := l.allow("a", lim); ok {
		t.Error("an hour's idle filled the bucket past its burst")
	}
	if _, ok := l.allow("a", Limits{}); !ok {
		t.Error("the zero Limits limited a request")
	}
	// The default burst is the rate rounded up.
	if got := (Limits{RequestsPerSecond: 2.5}).burst(); got != 3 {
		t.Errorf("default burst at 2.5/s = %v, want 3", got)
	}
}

func TestLimiterConns(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := &limiter{now: func() time.Time { return now }}
	lim := Limits{MaxConnsPerClient: 2}
	r1, ok1 := l.acquire("a", lim)
	r2, ok2 := l.acquire("a", lim)
	_, ok3 := l.acquire("a", lim)
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("acquire x3 with max 2: %v %v %v, want true true false", ok1, ok2, ok3)
	}
	if rb, ok := l.acquire("b", lim); !ok {
		t.Error("another client was refused")
	} else {
		rb()
	}
	r1()
	r1() // twice is harmless
	if _, ok := l.acquire("a", lim); !ok {
		t.Error("a released slot was not given back")
	}
	if _, ok := l.acquire("a", lim); ok {
		t.Error("a double release gave back two slots")
	}
	r2()
	// Clients with nothing open and a full bucket are forgotten.
	now = now.Add(2 * sweepEvery)
	l.acquire("c", lim)
	l.mu.Lock()
	_, hasB := l.clients["b"]
	_, hasA := l.clients["a"]
	l.mu.Unlock()
	if hasB || !hasA {
		t.Errorf("after a sweep: b kept %v (want forgotten), a kept %v (want kept: it has an open slot)", hasB, hasA)
	}
}

func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1", 10 * time.Millisecond: "1", time.Second: "1", 1001 * time.Millisecond: "2", 100 * time.Second: "100"} {
		if got := retryAfter(d); got != want {
			t.Errorf("retryAfter(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestRateLimit checks 429s with Retry-After on every way in, per user.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, envOptions{})
	pwA, pwB := randomPassword(), randomPassword()
	// A rate so low that no token comes back during the test.
	withEgress(t, e, &Auth{Htpasswd: mustHtpasswd(t, map[string]string{"alice": pwA, "bob": pwB})},
		Limits{RequestsPerSecond: 0.01, Burst: 3})
	base := func(auth string) *http.Response {
		req, _ := http.NewRequest("POST", e.baseURL+"/anthropic/v1/messages", strings.NewReader(`{"max_tokens":1}`))
		req.Header.Set("Proxy-Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}

	// alice: a MITM'd CONNECT is free, its requests are not.
	c := e.clientAs("alice", pwA)
	for i := range 2 {
		resp, err := c.Post("https://api.openai.com/v1/responses", "application/json", strings.NewReader(`{"input":"hi"}`))
		if err != nil {
			t.Fatal(err)
		}
		if b := checkDenied(t, resp, http.StatusOK); b == nil {
			t.Fatalf("request %d: no body", i)
		}
	}
	// The third token goes on a base-URL request.
	checkDenied(t, base(basic("alice", pwA)), http.StatusOK)

	// Out of tokens: a base-URL request, a request in the open MITM'd
	// connection, and a tunnel are refused, each with Retry-After.
	resp := base(basic("alice", pwA))
	b := checkDenied(t, resp, http.StatusTooManyRequests)
	if !bytes.Contains(b, []byte(`"type":"error"`)) || !bytes.Contains(b, []byte("hush: rate limit")) {
		t.Errorf("base-URL 429 body %s, want Anthropic's error shape", b)
	}
	checkRetryAfter(t, resp, 100)
	if resp.Header.Get("X-Should-Retry") == "false" {
		t.Error("a 429 tells SDKs not to retry")
	}

	resp, err := c.Post("https://api.openai.com/v1/responses", "application/json", strings.NewReader(`{"input":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	b = checkDenied(t, resp, http.StatusTooManyRequests)
	if !bytes.Contains(b, []byte(`"code":"hush_rate_limited"`)) {
		t.Errorf("MITM 429 body %s, want OpenAI's error shape", b)
	}
	checkRetryAfter(t, resp, 100)

	_, resp = rawConnect(t, e.proxyURL.Host, "example.net:443", basic("alice", pwA))
	checkDenied(t, resp, http.StatusTooManyRequests)
	checkRetryAfter(t, resp, 100)

	// bob has his own bucket, and credentials are checked first.
	checkDenied(t, base(basic("bob", pwB)), http.StatusOK)
	checkDenied(t, base(basic("alice", "wrong")), http.StatusProxyAuthRequired)

	if n := len(e.fake.requests()); n != 4 {
		t.Errorf("the provider got %d requests, want 4 (none of the refused)", n)
	}
}

// TestRateLimitByIP checks that without authentication the client is
// its address.
func TestRateLimitByIP(t *testing.T) {
	e := newEnv(t, envOptions{})
	withEgress(t, e, nil, Limits{RequestsPerSecond: 0.01, Burst: 1})
	var codes []int
	for range 2 {
		resp, err := http.Post(e.baseURL+"/openai/v1/chat/completions", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	if want := []int{200, 429}; !slices.Equal(codes, want) {
		t.Errorf("statuses %v, want %v", codes, want)
	}
}

func checkRetryAfter(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	got, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || got < want-1 || got > want {
		t.Errorf("Retry-After = %q, want about %d seconds", resp.Header.Get("Retry-After"), want)
	}
}

// TestConnLimit checks that open tunnels and MITM'd connections hold a
// client's slots, that one over the limit gets 503, and that closing
// one frees its slot.
func TestConnLimit(t *testing.T) {
	e := newEnv(t, envOptions{})
	pwA, pwB := randomPassword(), randomPassword()
	withEgress(t, e, &Auth{Htpasswd: mustHtpasswd(t, map[string]string{"alice": pwA, "bob": pwB})}, Limits{MaxConnsPerClient: 2})
	alice := basic("alice", pwA)

	tunnel, resp := rawConnect(t, e.proxyURL.Host, "example.net:443", alice)
	checkDenied(t, resp, http.StatusOK)
	_, resp = rawConnect(t, e.proxyURL.Host, "api.openai.com:443", alice) // MITM'd
	checkDenied(t, resp, http.StatusOK)

	_, resp = rawConnect(t, e.proxyURL.Host, "example.net:443", alice)
	if b := checkDenied(t, resp, http.StatusServiceUnavailable); !bytes.Contains(b, []byte("too many concurrent connections")) {
		t.Errorf("503 body %q, want it to say why", b)
	}
	req, _ := http.NewRequest("POST", e.baseURL+"/openai/v1/chat/completions", strings.NewReader(`{}`))
	req.Header.Set("Proxy-Authorization", alice)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if b := checkDenied(t, resp, http.StatusServiceUnavailable); !bytes.Contains(b, []byte(`"code":"hush_too_many_connections"`)) {
		t.Errorf("base-URL 503 body %s, want OpenAI's error shape", b)
	}
	_, resp = rawConnect(t, e.proxyURL.Host, "example.net:443", basic("bob", pwB))
	checkDenied(t, resp, http.StatusOK)

	// Closing the tunnel frees its slot.
	tunnel.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, resp := rawConnect(t, e.proxyURL.Host, "example.net:443", alice)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed tunnel's slot was not given back: status %d", resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestConnLimitHoldsStreams checks that a base-URL stream holds its slot
// until it ends.
func TestConnLimitHoldsStreams(t *testing.T) {
	e := newEnv(t, envOptions{})
	withEgress(t, e, nil, Limits{MaxConnsPerClient: 1})
	release := make(chan struct{})
	e.fake.setRespond(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: 1\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(10 * time.Second):
		}
		io.WriteString(w, "data: 2\n\n")
	})
	post := func() *http.Response {
		resp, err := http.Post(e.baseURL+"/openai/v1/chat/completions", "application/json", strings.NewReader(`{"stream":true}`))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	stream := post()
	if line, _ := bufio.NewReader(stream.Body).ReadString('\n'); line != "data: 1\n" {
		t.Fatalf("first line %q", line)
	}
	checkDenied(t, post(), http.StatusServiceUnavailable)
	close(release)
	io.Copy(io.Discard, stream.Body)
	stream.Body.Close()
	checkDenied(t, post(), http.StatusOK)
}

// TestEgressLoad runs 500 concurrent streaming clients through the
// egress mode with authentication and the limits of
// deploy/kubernetes/configmap.yaml, each on its own connection: a
// CONNECT with Basic credentials, a MITM'd request carrying secrets,
// and a streamed answer. Every client must get its whole stream, and the
// provider must never see a secret.
func TestEgressLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	clients, events := 500, 20
	if raceDetector {
		clients = 200 // the race detector makes every TLS handshake several times slower
	}
	e := newEnv(t, envOptions{})
	pw := randomPassword()
	withEgress(t, e, &Auth{Htpasswd: mustHtpasswd(t, map[string]string{"alice": pw})},
		Limits{MaxConnsPerClient: 1024, RequestsPerSecond: 200, Burst: 1000})
	// An Anthropic Messages stream, one text delta every 5ms.
	e.fake.setRespond(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"stop_reason\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"+
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n")
		for i := range events {
			fmt.Fprintf(w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"word%d \"}}\n\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(5 * time.Millisecond)
		}
		io.WriteString(w, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"+
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":20}}\n\n"+
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
	})
	var wantText strings.Builder
	for i := range events {
		fmt.Fprintf(&wantText, "word%d ", i)
	}

	pats := make([]string, clients)
	for i := range pats {
		pats[i] = fakePAT(t)
	}
	var (
		wg        sync.WaitGroup
		start     = make(chan struct{})
		failures  atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
	)
	fail := func(err error) {
		failures.Add(1)
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	for i := range clients {
		c := e.clientAs("alice", pw)
		body := `{"model":"m","stream":true,"system":"deploy key ` + e.known + `","messages":[{"role":"user","content":"push with ` + pats[i] + `"}]}`
		wg.Go(func() {
			<-start
			t0 := time.Now()
			resp, err := c.Post("https://api.anthropic.com/v1/messages", "application/json", strings.NewReader(body))
			if err != nil {
				fail(err)
				return
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != 200 {
				fail(fmt.Errorf("status %d, %v: %.200s", resp.StatusCode, err, got))
				return
			}
			// However hush's rewriter splits the events, the text
			// must arrive whole, and the stream must end.
			if text := streamedText(got); text != wantText.String() || !bytes.HasSuffix(got, []byte("{\"type\":\"message_stop\"}\n\n")) {
				fail(fmt.Errorf("got text %q, want %q, or the stream was cut:\n%s", text, wantText.String(), got))
				return
			}
			mu.Lock()
			latencies = append(latencies, time.Since(t0))
			mu.Unlock()
		})
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	if n := failures.Load(); n > 0 {
		t.Errorf("%d of %d clients failed; first: %v", n, clients, firstErr)
	}
	reqs := e.fake.requests()
	if len(reqs) != clients {
		t.Errorf("the provider got %d requests, want %d", len(reqs), clients)
	}
	leaks := 0
	for _, r := range reqs {
		if bytes.Contains(r.Raw, []byte("ghp_")) || bytes.Contains(r.Raw, []byte(e.known)) ||
			r.Header.Get("Proxy-Authorization") != "" || len(placeholderRE.FindAll(r.Body, -1)) < 2 {
			leaks++
		}
	}
	if leaks > 0 {
		t.Errorf("%d requests reached the provider with a secret or credentials, or without both placeholders", leaks)
	}
	slices.Sort(latencies)
	if len(latencies) > 0 {
		// A stream alone takes events x 5ms = 100ms at the fake.
		t.Logf("%d clients x %d text deltas in %v: %d errors, %d leaks; per-stream latency p50 %v, p99 %v, max %v (the fake alone takes %v)",
			clients, events, elapsed.Round(time.Millisecond), failures.Load(), leaks,
			latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)*99/100].Round(time.Millisecond),
			latencies[len(latencies)-1].Round(time.Millisecond), time.Duration(events)*5*time.Millisecond)
	}
}

// streamedText joins the text deltas of an Anthropic event stream.
func streamedText(stream []byte) string {
	var b strings.Builder
	for line := range strings.SplitSeq(string(stream), "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		var ev struct {
			Delta struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"delta"`
		}
		if json.Unmarshal([]byte(data), &ev) == nil && ev.Delta.Type == "text_delta" {
			b.WriteString(ev.Delta.Text)
		}
	}
	return b.String()
}
