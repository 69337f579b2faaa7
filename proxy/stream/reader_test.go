// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package stream

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hushproxy/hush/internal/agentreq"
	"github.com/hushproxy/hush/redact"
)

// testRedactor returns a Redactor with the test rules and one known
// secret, and the placeholder of that secret.
func testRedactor(t testing.TB) (*redact.Redactor, string, string) {
	t.Helper()
	value := "kvQ8r2ZtLm4Xw9Pa7Nd3Yc6Hj"
	r, err := redact.New(redact.Options{Rules: testRules(), Known: []redact.KnownSecret{{Name: "DEPLOY_TOKEN", Value: []byte(value)}}, Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	_, fs := r.Redact([]byte(value))
	if len(fs) != 1 {
		t.Fatalf("Redact found %d secrets, want 1", len(fs))
	}
	return r, value, fs[0].Placeholder
}

const anthropicCall = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{}}}\n\n"

func anthropicDelta(frag string) string {
	return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + frag + "\"}}\n\n"
}

// TestReadReturnsEachEvent checks that the reader hands over every event
// as soon as it is complete, without waiting for the next one: the proxy
// writes each Read to the client at once.
func TestReadReturnsEachEvent(t *testing.T) {
	r, _, ph := testRedactor(t)
	pr, pw := io.Pipe()
	rd := NewSSE(Anthropic, pr, Options{Redactor: r, Rehydrate: true})
	defer rd.Close()

	got := make(chan string)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := rd.Read(buf)
			if n > 0 {
				got <- string(buf[:n])
			}
			if err != nil {
				close(got)
				return
			}
		}
	}()
	steps := []struct{ write, want string }{
		{anthropicCall, anthropicCall},
		{anthropicDelta(`{\"command\": \"echo `), anthropicDelta(`{\"command\": \"echo `)},
		// A placeholder's first half is held back, the event still goes.
		{anthropicDelta(ph[:9]), anthropicDelta("")},
		{anthropicDelta(ph[9:] + `\"}`), anthropicDelta(`kvQ8r2ZtLm4Xw9Pa7Nd3Yc6Hj\"}`)},
	}
	for i, s := range steps {
		// Half an event gives nothing.
		half := len(s.write) / 2
		pw.Write([]byte(s.write[:half]))
		select {
		case g := <-got:
			t.Fatalf("step %d: Read returned %q before the event was complete", i, g)
		case <-time.After(20 * time.Millisecond):
		}
		pw.Write([]byte(s.write[half:]))
		select {
		case g := <-got:
			if g != s.want {
				t.Fatalf("step %d: Read = %q, want %q", i, g, s.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("step %d: Read did not return the complete event", i)
		}
	}
	pw.Close()
	for g := range got {
		t.Fatalf("after EOF: Read = %q, want nothing", g)
	}
}

// errAfter returns data, then err.
type errAfter struct {
	data []byte
	err  error
}

func (e *errAfter) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

// TestUpstreamFailure checks that a broken upstream breaks the client
// stream after the last complete event: no half event, no held-back bytes
// flushed as if the stream had ended.
func TestUpstreamFailure(t *testing.T) {
	r, _, ph := testRedactor(t)
	boom := errors.New("connection reset")
	in := anthropicCall + anthropicDelta(`{\"command\": \"echo `+ph[:9]) + "event: content_block_delta\ndata: {\"type\":\"cont"
	rd := NewSSE(Anthropic, io.NopCloser(&errAfter{[]byte(in), boom}), Options{Redactor: r, Rehydrate: true})
	out, err := io.ReadAll(rd)
	if !errors.Is(err, boom) {
		t.Fatalf("ReadAll error = %v, want %v", err, boom)
	}
	want := anthropicCall + anthropicDelta(`{\"command\": \"echo `)
	if string(out) != want {
		t.Errorf("output before the failure:\n%q\nwant\n%q", out, want)
	}
}

func TestEventTooLarge(t *testing.T) {
	r, _, _ := testRedactor(t)
	in := anthropicCall + "data: " + strings.Repeat("x", 5000)
	rd := NewSSE(Anthropic, io.NopCloser(&chunkReader{[]byte(in), 100}), Options{Redactor: r, MaxEvent: 4096})
	out, err := io.ReadAll(rd)
	if !errors.Is(err, ErrEventTooLarge) {
		t.Fatalf("ReadAll error = %v, want ErrEventTooLarge", err)
	}
	if string(out) != anthropicCall {
		t.Errorf("output = %q, want the events before the large one", out)
	}
	// One complete event over the limit, in one read, fails too.
	in = anthropicCall + "data: " + strings.Repeat("x", 5000) + "\n\n"
	rd = NewSSE(Anthropic, io.NopCloser(strings.NewReader(in)), Options{Redactor: r, MaxEvent: 4096})
	if _, err := io.ReadAll(rd); !errors.Is(err, ErrEventTooLarge) {
		t.Fatalf("ReadAll error = %v, want ErrEventTooLarge", err)
	}
}

// TestLineEndings checks \n, \r\n and a lone \r, split anywhere.
func TestLineEndings(t *testing.T) {
	r, value, ph := testRedactor(t)
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		in := strings.ReplaceAll(anthropicCall+anthropicDelta(`{\"c\": \"`+ph+`\"}`), "\n", nl)
		want := strings.ReplaceAll(anthropicCall+anthropicDelta(`{\"c\": \"`+value+`\"}`), "\n", nl)
		for n := 1; n < len(in); n++ {
			rd := NewSSE(Anthropic, io.NopCloser(&chunkReader{[]byte(in), n}), Options{Redactor: r, Rehydrate: true})
			out, err := io.ReadAll(rd)
			if err != nil || string(out) != want {
				t.Fatalf("line ending %q, chunk %d: got %q, %v; want %q", nl, n, out, err, want)
			}
		}
	}
}

// TestHugeDeferredCall checks the bound on a call held for its hosts: past
// maxDefer the value bound to hosts is denied and the call streams again.
func TestHugeDeferredCall(t *testing.T) {
	r, _, _ := testRedactor(t)
	gh := agentreq.FakeGitHubPAT(rand.New(rand.NewPCG(1, 2)))
	_, fs := r.Redact([]byte(gh))
	ph := fs[0].Placeholder
	var denied []string
	opts := Options{Redactor: r, Rehydrate: true, OnDeny: func(_ redact.Issue, _ Call, reason string) { denied = append(denied, reason) }}
	var in bytes.Buffer
	in.WriteString(anthropicCall + anthropicDelta(`{\"command\": \"echo `+ph+` `))
	filler := strings.Repeat("a", 60<<10)
	for in.Len() < maxDefer+(200<<10) {
		in.WriteString(anthropicDelta(filler))
	}
	in.WriteString(anthropicDelta(`\"}`))
	rd := NewSSE(Anthropic, io.NopCloser(&in), opts).(*sseReader)
	buf := make([]byte, 1<<20)
	var out bytes.Buffer
	for {
		n, err := rd.Read(buf)
		out.Write(buf[:n])
		if held := rd.buffered(); held > maxDefer+(128<<10) {
			t.Fatalf("%d bytes held, want at most about %d", held, maxDefer)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Contains(out.Bytes(), []byte(ph)) || len(denied) != 1 || denied[0] != ReasonDestination {
		t.Errorf("placeholder kept: %v, denials %v; want kept and [destination]", bytes.Contains(out.Bytes(), []byte(ph)), denied)
	}
}

// buffered returns the bytes the reader holds: unparsed input, held-back
// text and arguments.
func (s *sseReader) buffered() int {
	n := len(s.in)
	for _, ch := range s.x.open {
		if ch.text != nil {
			n += len(ch.text.pend) + ch.text.out.Len() + ch.text.w.Pending()
		}
		if ch.call != nil {
			n += len(ch.call.held)
		}
	}
	return n
}

// TestDetect checks the API of each endpoint the clients use.
func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		host, path string
		want       API
	}{
		{"api.openai.com", "/v1/chat/completions", OpenAIChat},
		{"openrouter.ai", "/api/v1/chat/completions", OpenAIChat},
		{"api.openai.com", "/v1/responses", OpenAIResponses},
		{"chatgpt.com", "/backend-api/codex/responses", OpenAIResponses},
		{"127.0.0.1", "/openai/v1/responses", OpenAIResponses},
		{"api.anthropic.com", "/v1/messages", Anthropic},
		{"127.0.0.1", "/anthropic/v1/messages", Anthropic},
		{"api.anthropic.com", "/v1/messages/count_tokens", Generic},
		{"generativelanguage.googleapis.com", "/v1beta/models/gemini-x:streamGenerateContent", Gemini},
		{"generativelanguage.googleapis.com", "/v1/models/gemini-x:generateContent", Gemini},
		{"us-central1-aiplatform.googleapis.com", "/v1beta1/projects/p/locations/l/publishers/google/models/m:streamGenerateContent", Gemini},
		{"api.openai.com", "/v1/embeddings", Generic},
	} {
		if got := Detect(tt.host, tt.path); got != tt.want {
			t.Errorf("Detect(%q, %q) = %v, want %v", tt.host, tt.path, got, tt.want)
		}
	}
}

func TestNewResponse(t *testing.T) {
	r, value, ph := testRedactor(t)
	opts := Options{Redactor: r, Rehydrate: true}
	body := `{"content":[{"type":"tool_use","id":"t","name":"Bash","input":{"c":"` + ph + `"}}]}`
	want := strings.Replace(body, ph, value, 1)
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", ""} {
		out, err := io.ReadAll(NewResponse(Anthropic, ct, io.NopCloser(strings.NewReader(body)), 0, opts))
		if err != nil || string(out) != want {
			t.Errorf("Content-Type %q: %q, %v; want %q", ct, out, err, want)
		}
	}
	sse := anthropicCall + anthropicDelta(`{\"c\": \"`+ph+`\"}`)
	out, err := io.ReadAll(NewResponse(Anthropic, "text/event-stream; charset=utf-8", io.NopCloser(strings.NewReader(sse)), 0, opts))
	if err != nil || !strings.Contains(string(out), value) {
		t.Errorf("event stream: %q, %v; want the value restored", out, err)
	}
	png := "\x89PNG " + ph
	out, _ = io.ReadAll(NewResponse(Anthropic, "image/png", io.NopCloser(strings.NewReader(png)), 0, opts))
	if string(out) != png {
		t.Errorf("image/png changed: %q", out)
	}
	_, err = io.ReadAll(NewResponse(Anthropic, "application/json", io.NopCloser(strings.NewReader(body)), 10, opts))
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("body over the limit: error %v, want ErrBodyTooLarge", err)
	}
}

// TestBOM checks that a stream starting with a byte order mark still has
// its first event rewritten.
func TestBOM(t *testing.T) {
	r, value, ph := testRedactor(t)
	in := "\xef\xbb\xbfdata: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"run\",\"args\":{\"c\":\"" + ph + "\"}}}]}}]}\n\n"
	out, err := io.ReadAll(NewSSE(Gemini, io.NopCloser(strings.NewReader(in)), Options{Redactor: r, Rehydrate: true}))
	if err != nil || !strings.Contains(string(out), value) {
		t.Errorf("with a BOM: %q, %v; want the value restored", out, err)
	}
}

// TestEvents checks that frame-by-frame rewriting (as for a WebSocket)
// gives the data of the SSE rewrite, event for event.
func TestEvents(t *testing.T) {
	for _, name := range []string{"responses_custom_tool", "responses_secret_text", "anthropic_split"} {
		tr := loadTranscript(t, "testdata/"+name+".txtar")
		api := apis[tr.header["api"]]
		e := newEnv(t, tr)
		upstream := e.expand(t, tr.get("upstream"))
		sse, _ := e.run(t, api, false, upstream, len(upstream))
		var want []string
		for _, ev := range clientEvents(t, sse) {
			want = append(want, ev.name+" "+ev.data)
		}
		var got []string
		evs := NewEvents(api, e.opts)
		for _, ev := range clientEvents(t, upstream) {
			out, err := evs.Next(Event{ev.name, []byte(ev.data)})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range out {
				got = append(got, o.Name+" "+string(o.Data))
			}
		}
		for _, o := range evs.End() {
			got = append(got, o.Name+" "+string(o.Data))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: frames differ from the SSE rewrite:\n%s", name, lineDiff(strings.Join(want, "\n"), strings.Join(got, "\n")))
		}
	}
}
