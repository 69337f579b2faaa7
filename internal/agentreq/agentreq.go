// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

// Package agentreq generates agent-shaped model API requests for tests and
// benchmarks: a Messages API body with a long system prompt, tool
// definitions, and a history of tool calls whose results hold source files,
// shell output and configs, the way a coding agent resends its whole context
// every turn. Nothing is read from disk, so no realistic secret is ever
// committed; callers pass the secrets to plant.
package agentreq

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generate returns a JSON request body of about size bytes. The same seed
// gives the same body. Each of plant is embedded once, in a tool result,
// spread over the history.
func Generate(size int, seed uint64, plant []string) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &gen{rng: rng}
	req := request{
		Model:     "claude-sonnet-4-5",
		MaxTokens: 8192,
		Stream:    true,
		System:    []block{{Type: "text", Text: systemPrompt}},
		Tools:     tools,
	}
	plantAt := map[int]string{}
	// Aim each planted secret at a different turn.
	turns := max(4, size/6000)
	for i, s := range plant {
		plantAt[(i*7919+3)%turns] = plantAt[(i*7919+3)%turns] + "\n" + s
	}
	used := 0
	for turn := 0; used < size; turn++ {
		id := fmt.Sprintf("toolu_%016x", rng.Uint64())
		cmd := g.command()
		req.Messages = append(req.Messages,
			message{Role: "user", Content: []block{{Type: "text", Text: g.prose(2)}}},
			message{Role: "assistant", Content: []block{
				{Type: "text", Text: g.prose(1)},
				{Type: "tool_use", ID: id, Name: "Bash", Input: map[string]string{"command": cmd, "description": "Run " + cmd}},
			}},
		)
		out := g.output(4000 + rng.IntN(4000))
		if s, ok := plantAt[turn%turns]; ok && turn < turns {
			out = out + "\nexport SECRET_" + fmt.Sprint(turn) + "=" + strings.TrimPrefix(s, "\n") + "\n" + g.output(200)
		}
		req.Messages = append(req.Messages, message{Role: "user", Content: []block{{Type: "tool_result", ToolUseID: id, Content: out}}})
		used += len(out) + 600
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic("agentreq: " + err.Error()) // internal error: the types always marshal
	}
	return b
}

type request struct {
	Model     string    `json:"model"`
	MaxTokens int       `json:"max_tokens"`
	Stream    bool      `json:"stream"`
	System    []block   `json:"system"`
	Tools     []tool    `json:"tools"`
	Messages  []message `json:"messages"`
}

type message struct {
	Role    string  `json:"role"`
	Content []block `json:"content"`
}

type block struct {
	Type      string            `json:"type"`
	Text      string            `json:"text,omitempty"`
	ID        string            `json:"id,omitempty"`
	Name      string            `json:"name,omitempty"`
	Input     map[string]string `json:"input,omitempty"`
	ToolUseID string            `json:"tool_use_id,omitempty"`
	Content   string            `json:"content,omitempty"`
}

type tool struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	InputSchema map[string]any `json:"input_schema"`
}

var tools = []tool{
	{"Bash", "Executes a bash command with an optional timeout. Use for git, tests and builds; never print tokens or passwords.", map[string]any{
		"type": "object", "properties": map[string]any{"command": map[string]string{"type": "string"}, "timeout": map[string]string{"type": "number"}}, "required": []string{"command"}}},
	{"Read", "Reads a file from the local filesystem. The file_path must be absolute.", map[string]any{
		"type": "object", "properties": map[string]any{"file_path": map[string]string{"type": "string"}, "offset": map[string]string{"type": "number"}, "limit": map[string]string{"type": "number"}}}},
	{"Edit", "Performs exact string replacements in files. old_string must be unique.", map[string]any{
		"type": "object", "properties": map[string]any{"file_path": map[string]string{"type": "string"}, "old_string": map[string]string{"type": "string"}, "new_string": map[string]string{"type": "string"}}}},
}

const systemPrompt = `You are an interactive CLI tool that helps users with software engineering tasks.
Use the instructions below and the tools available to you to assist the user.
IMPORTANT: Refuse to write code or explain code that may be used maliciously.
When the user asks about tokens, keys or passwords, never echo their values; refer to the variable.
# Tone and style
You should be concise, direct, and to the point. Answer in fewer than 4 lines unless asked for detail.
# Following conventions
When making changes to files, first understand the file's code conventions. Mimic code style, use
existing libraries and utilities, and follow existing patterns. Never assume a library is available.
`

type gen struct{ rng *rand.Rand }

var words = strings.Fields(`the a to of and in is it for on with that this be as are was by from at
or an not function return value error file test build run config server client request response
token key password secret user session cache index buffer stream parser handler module package
import export const let var type struct interface method field string number boolean array object
null undefined promise async await resolve reject context deadline timeout retry backoff limit`)

func (g *gen) prose(sentences int) string {
	var b strings.Builder
	for s := 0; s < sentences; s++ {
		n := 8 + g.rng.IntN(14)
		for i := 0; i < n; i++ {
			w := words[g.rng.IntN(len(words))]
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteString(". ")
	}
	return b.String()
}

var commands = []string{"git log --oneline -20", "ls -la src/", "cat internal/server/handler.go", "go test ./...",
	"npm run build", "cat package.json", "grep -rn TODO .", "docker compose ps", "kubectl get pods -A", "cat config/app.yaml"}

func (g *gen) command() string { return commands[g.rng.IntN(len(commands))] }

// output returns about n bytes of tool output in a mix of shapes.
func (g *gen) output(n int) string {
	var b strings.Builder
	for b.Len() < n {
		switch g.rng.IntN(5) {
		case 0:
			g.goSource(&b)
		case 1:
			g.lsOutput(&b)
		case 2:
			g.gitLog(&b)
		case 3:
			g.yamlConfig(&b)
		default:
			g.jsonConfig(&b)
		}
	}
	return b.String()
}

func (g *gen) ident() string {
	return words[g.rng.IntN(len(words))] + title(words[g.rng.IntN(len(words))])
}

func (g *gen) goSource(b *strings.Builder) {
	name := g.ident()
	fmt.Fprintf(b, "func (s *Server) %s(ctx context.Context, req *%sRequest) (*Response, error) {\n", title(name), title(g.ident()))
	for i := 0; i < 3+g.rng.IntN(6); i++ {
		fmt.Fprintf(b, "\tif err := s.%s(ctx, req.%s); err != nil {\n\t\treturn nil, fmt.Errorf(\"%s: %%w\", err)\n\t}\n", g.ident(), title(g.ident()), g.prose(1)[:20])
	}
	b.WriteString("\treturn &Response{Status: \"ok\"}, nil\n}\n\n")
}

func (g *gen) lsOutput(b *strings.Builder) {
	for i := 0; i < 5+g.rng.IntN(10); i++ {
		fmt.Fprintf(b, "-rw-r--r--  1 dev  staff  %6d Nov %2d 10:%02d %s.go\n", g.rng.IntN(90000), 1+g.rng.IntN(28), g.rng.IntN(60), g.ident())
	}
}

func (g *gen) gitLog(b *strings.Builder) {
	for i := 0; i < 5+g.rng.IntN(10); i++ {
		fmt.Fprintf(b, "%07x %s\n", g.rng.Uint32()>>4, g.prose(1))
	}
}

func (g *gen) yamlConfig(b *strings.Builder) {
	fmt.Fprintf(b, "server:\n  port: %d\n  host: 0.0.0.0\n  timeout: %ds\ndatabase:\n  host: db.internal\n  name: %s\n  pool: %d\nfeatures:\n  - %s\n  - %s\n",
		1024+g.rng.IntN(50000), g.rng.IntN(120), g.ident(), g.rng.IntN(50), g.ident(), g.ident())
}

func (g *gen) jsonConfig(b *strings.Builder) {
	fmt.Fprintf(b, "{\n  \"name\": \"%s\",\n  \"version\": \"%d.%d.%d\",\n  \"scripts\": {\"build\": \"tsc -p .\", \"test\": \"vitest run\"},\n  \"integrity\": \"sha512-%x\"\n}\n",
		g.ident(), g.rng.IntN(5), g.rng.IntN(20), g.rng.IntN(30), g.rng.Uint64())
}

// title upper-cases the first byte of an ASCII word.
func title(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}
