// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package deploy

import (
	"bufio"
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction with its continuation lines
// joined.
type instruction struct {
	line  int
	cmd   string // upper case: FROM, RUN, ...
	args  string
	stage int // index of the FROM it belongs to
}

// parseDockerfile splits a Dockerfile into instructions. It handles what
// hush's Dockerfile uses: comments, the parser directive, and backslash
// continuations.
func parseDockerfile(t *testing.T, name string) []instruction {
	t.Helper()
	var (
		out   []instruction
		cur   strings.Builder
		start int
		stage = -1
	)
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, name)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue // comments may sit inside a continued instruction too
		}
		if cur.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stage++
		}
		out = append(out, instruction{line: start, cmd: cmd, args: strings.TrimSpace(args), stage: stage})
		cur.Reset()
	}
	if cur.Len() > 0 {
		t.Fatalf("%s: ends inside a continued instruction", name)
	}
	return out
}

// shellWords splits a shell command line into words, honouring single and
// double quotes and backslashes, and expanding $NAME and ${NAME} from vars
// (unknown names fail the test: the build line must not depend on anything
// the test does not know).
func shellWords(t *testing.T, s string, vars map[string]string) []string {
	t.Helper()
	var (
		words          []string
		w              strings.Builder
		inWord, sq, dq bool
	)
	expand := func(i int) int {
		rest := s[i+1:]
		var name string
		var n int
		if strings.HasPrefix(rest, "{") {
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				t.Fatalf("unterminated ${ in %q", s)
			}
			name, n = rest[1:end], end+1
		} else {
			m := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`).FindString(rest)
			name, n = m, len(m)
		}
		v, ok := vars[name]
		if !ok {
			t.Fatalf("the build line uses $%s, which the test does not know", name)
		}
		w.WriteString(v)
		inWord = true
		return i + n
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case sq:
			if c == '\'' {
				sq = false
			} else {
				w.WriteByte(c)
			}
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		case dq:
			switch c {
			case '"':
				dq = false
			case '$':
				i = expand(i)
			default:
				w.WriteByte(c)
			}
		case c == '\'':
			sq, inWord = true, true
		case c == '"':
			dq, inWord = true, true
		case c == '$':
			i = expand(i)
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == ';' || c == '&' || c == '|':
			t.Fatalf("the build line must be one simple command, found %q in %q", c, s)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if sq || dq {
		t.Fatalf("unterminated quote in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// dockerBuild is the "go build" step of the Dockerfile.
type dockerBuild struct {
	env    map[string]string // assignments before "go build"
	flags  []string          // the arguments between "build" and the package, without -o
	output string            // -o
	pkg    string
}

// parseGoBuild finds the RUN with "go build" and splits it.
func parseGoBuild(t *testing.T, ins []instruction, vars map[string]string) dockerBuild {
	t.Helper()
	var runs []instruction
	for _, in := range ins {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			runs = append(runs, in)
		}
	}
	if len(runs) != 1 {
		t.Fatalf("found %d RUN instructions with go build, want 1", len(runs))
	}
	words := shellWords(t, runs[0].args, vars)
	for len(words) > 0 && strings.HasPrefix(words[0], "--") { // RUN flags: --mount=...
		words = words[1:]
	}
	b := dockerBuild{env: map[string]string{}}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		k, v, _ := strings.Cut(words[0], "=")
		b.env[k] = v
		words = words[1:]
	}
	if len(words) < 3 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("line %d: want [ENV=...] go build ..., got %q", runs[0].line, words)
	}
	args := words[2:]
	b.pkg, args = args[len(args)-1], args[:len(args)-1]
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "-o" && i+1 < len(args):
			b.output = args[i+1]
			i++
		case strings.HasPrefix(args[i], "-o="):
			b.output = strings.TrimPrefix(args[i], "-o=")
		default:
			b.flags = append(b.flags, args[i])
		}
	}
	return b
}

// execForm parses an exec-form (JSON array) CMD, ENTRYPOINT or HEALTHCHECK
// CMD. A shell form fails the test: distroless has no /bin/sh.
func execForm(t *testing.T, in instruction, s string) []string {
	t.Helper()
	var argv []string
	if err := json.Unmarshal([]byte(s), &argv); err != nil || len(argv) == 0 {
		t.Fatalf("line %d: %s %s is not in exec form (a JSON array); the image has no shell", in.line, in.cmd, s)
	}
	return argv
}

// finalStage returns the instructions of the last stage.
func finalStage(ins []instruction) []instruction {
	last := ins[len(ins)-1].stage
	var out []instruction
	for _, in := range ins {
		if in.stage == last {
			out = append(out, in)
		}
	}
	return out
}

func find(ins []instruction, cmd string) []instruction {
	var out []instruction
	for _, in := range ins {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// TestDockerfileImage checks the runtime stage: base, user, volume, ports,
// labels, and exec-form commands that exist.
func TestDockerfileImage(t *testing.T) {
	ins := parseDockerfile(t, filepath.Join(repoRoot, "Dockerfile"))
	final := finalStage(ins)

	from := final[0].args
	if !strings.HasPrefix(from, "gcr.io/distroless/static") && from != "scratch" {
		t.Errorf("final base %q, want distroless/static or scratch (the binary is static)", from)
	}
	if !strings.HasSuffix(from, ":nonroot") && from != "scratch" {
		t.Errorf("final base %q, want the :nonroot variant", from)
	}
	users := find(final, "USER")
	if len(users) == 0 {
		t.Fatal("the final stage sets no USER")
	}
	user, _, _ := strings.Cut(users[len(users)-1].args, ":")
	if uid, err := strconv.Atoi(user); err != nil || uid == 0 {
		t.Errorf("USER %q, want a numeric non-zero uid (so runAsNonRoot can verify it)", user)
	}

	// HUSH_HOME is a volume.
	home := ""
	for _, in := range find(final, "ENV") {
		if v, ok := strings.CutPrefix(in.args, "HUSH_HOME="); ok {
			home = v
		}
	}
	if home == "" {
		t.Error("the final stage does not set HUSH_HOME")
	}
	vols := find(final, "VOLUME")
	if len(vols) == 0 || !slices.Contains(execForm(t, vols[0], vols[0].args), home) {
		t.Errorf("VOLUME does not name HUSH_HOME %q", home)
	}

	// Ports: EXPOSE covers the listen and admin ports of the default command.
	var exposed []string
	for _, in := range find(final, "EXPOSE") {
		exposed = append(exposed, strings.Fields(in.args)...)
	}
	cmds := find(final, "CMD")
	if len(cmds) == 0 {
		t.Fatal("no CMD")
	}
	cmd := execForm(t, cmds[0], cmds[0].args)
	for _, f := range []string{"--listen", "--admin"} {
		addr, ok := flagValue(cmd, f)
		if !ok {
			t.Errorf("CMD %v has no %s", cmd, f)
			continue
		}
		if !slices.Contains(exposed, portOf(addr)) {
			t.Errorf("CMD %s %s: port not in EXPOSE %v", f, addr, exposed)
		}
		if isLoopback(hostOf(addr)) {
			t.Errorf("CMD %s %s: a container must bind beyond loopback to be reachable", f, addr)
		}
	}
	for _, p := range []string{proxyPort, adminPort} {
		if !slices.Contains(exposed, p) {
			t.Errorf("EXPOSE %v, want %s", exposed, p)
		}
	}

	// The entrypoint is the binary the build stage made.
	eps := find(final, "ENTRYPOINT")
	if len(eps) == 0 {
		t.Fatal("no ENTRYPOINT")
	}
	entry := execForm(t, eps[0], eps[0].args)
	b := parseGoBuild(t, ins, map[string]string{"VERSION": "v", "TARGETOS": "", "TARGETARCH": ""})
	copied := false
	for _, in := range find(final, "COPY") {
		f := strings.Fields(in.args)
		if len(f) >= 2 && f[len(f)-2] == b.output && f[len(f)-1] == entry[0] && strings.Contains(in.args, "--from=") {
			copied = true
		}
	}
	if !copied {
		t.Errorf("ENTRYPOINT %s is not the binary built at %s", entry[0], b.output)
	}

	// HEALTHCHECK runs "hush health" in exec form.
	hcs := find(final, "HEALTHCHECK")
	if len(hcs) != 1 {
		t.Fatalf("found %d HEALTHCHECK instructions, want 1", len(hcs))
	}
	_, hcCmd, ok := strings.Cut(hcs[0].args, "CMD ")
	if !ok {
		t.Fatalf("HEALTHCHECK %q has no CMD", hcs[0].args)
	}
	hc := execForm(t, hcs[0], strings.TrimSpace(hcCmd))
	if hc[0] != entry[0] || len(hc) < 2 || hc[1] != "health" {
		t.Errorf("HEALTHCHECK CMD %v, want [%s health ...]", hc, entry[0])
	}

	// OCI labels.
	labels := strings.Join(func() []string {
		var s []string
		for _, in := range find(final, "LABEL") {
			s = append(s, in.args)
		}
		return s
	}(), " ")
	for _, l := range []string{"title", "version", "revision", "source", "licenses", "description"} {
		if !strings.Contains(labels, "org.opencontainers.image."+l+"=") {
			t.Errorf("no org.opencontainers.image.%s label", l)
		}
	}
	if !strings.Contains(labels, `org.opencontainers.image.version="${VERSION}"`) {
		t.Error(`the version label must be "${VERSION}", the value the binary gets`)
	}
}

// TestDockerfileGoVersion keeps the builder image at least as new as go.mod.
func TestDockerfileGoVersion(t *testing.T) {
	ins := parseDockerfile(t, filepath.Join(repoRoot, "Dockerfile"))
	args := map[string]string{}
	for _, in := range ins {
		if in.cmd == "ARG" && in.stage < 0 {
			k, v, _ := strings.Cut(in.args, "=")
			args[k] = v
		}
	}
	from := ins[slices.IndexFunc(ins, func(in instruction) bool { return in.cmd == "FROM" })]
	m := regexp.MustCompile(`golang:(\$\{GO_VERSION\}|[0-9.]+)`).FindStringSubmatch(from.args)
	if m == nil {
		t.Fatalf("the build stage %q is not a golang image", from.args)
	}
	img := m[1]
	if img == "${GO_VERSION}" {
		img = args["GO_VERSION"]
	}
	gm := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(string(readFile(t, filepath.Join(repoRoot, "go.mod"))))
	if gm == nil {
		t.Fatal("go.mod has no go directive")
	}
	var imgMajor, imgMinor int
	if _, err := fmt.Sscanf(img, "%d.%d", &imgMajor, &imgMinor); err != nil {
		t.Fatalf("golang image tag %q: %v", img, err)
	}
	modMajor, _ := strconv.Atoi(gm[1])
	modMinor, _ := strconv.Atoi(gm[2])
	if imgMajor < modMajor || imgMajor == modMajor && imgMinor < modMinor {
		t.Errorf("builder golang:%s is older than go.mod's go %s.%s", img, gm[1], gm[2])
	}
}

// TestDockerfileBinary builds cmd/hush exactly as the Dockerfile does and
// checks that the result is static and runs: no Docker engine exists where
// the tests run, so this is what stands in for "docker build".
func TestDockerfileBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	const version = "v0.0.0-dockerfile-test"
	ins := parseDockerfile(t, filepath.Join(repoRoot, "Dockerfile"))
	// TARGETOS and TARGETARCH are empty when BuildKit is not cross-building;
	// the test builds for Linux, the only OS the image runs.
	b := parseGoBuild(t, ins, map[string]string{"VERSION": version, "TARGETOS": "", "TARGETARCH": ""})

	if b.env["CGO_ENABLED"] != "0" {
		t.Errorf("the build sets CGO_ENABLED=%q, want 0 (distroless/static has no libc)", b.env["CGO_ENABLED"])
	}
	if !slices.Contains(b.flags, "-trimpath") {
		t.Errorf("build flags %q lack -trimpath", b.flags)
	}
	ldflags := ""
	for i, f := range b.flags {
		if v, ok := strings.CutPrefix(f, "-ldflags="); ok {
			ldflags = v
		} else if f == "-ldflags" && i+1 < len(b.flags) {
			ldflags = b.flags[i+1]
		}
	}
	if !strings.Contains(ldflags, "-X main.Version="+version) {
		t.Errorf("-ldflags %q does not set main.Version from VERSION", ldflags)
	}
	if b.pkg != "./cmd/hush" {
		t.Errorf("builds %q, want ./cmd/hush", b.pkg)
	}

	bin := filepath.Join(t.TempDir(), "hush")
	args := append([]string{"build"}, b.flags...)
	args = append(args, "-o", bin, b.pkg)
	env := append(os.Environ(), "GOFLAGS=", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	for k, v := range b.env {
		if v != "" { // an empty GOOS= means "the default", as in BuildKit
			env = append(env, k+"="+v)
		}
	}
	run(t, repoRoot, env, goTool, args...)

	// The go tool records how it built the binary (not -ldflags under
	// -trimpath, go.dev/issue/52372: "hush version" checks those below).
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for k, want := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "GOOS": "linux"} {
		if settings[k] != want {
			t.Errorf("build setting %s = %q, want %q", k, settings[k], want)
		}
	}

	// Static: no program interpreter (dynamic loader) and no dynamic section.
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is not static", p.Type)
		}
	}
	for _, name := range []string{".interp", ".dynamic"} {
		if f.Section(name) != nil {
			t.Errorf("the binary has a %s section: it is not static", name)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary imports %v", libs)
	}

	if runtime.GOOS != "linux" {
		t.Skipf("built a Linux binary; cannot run it on %s", runtime.GOOS)
	}
	out := run(t, "", []string{}, bin, "version")
	if want := "hush " + version + "\n"; out != want {
		t.Errorf("hush version printed %q, want %q", out, want)
	}

	// The HEALTHCHECK command, run by this binary against a fake admin
	// port, with an empty environment as in the image (plus HUSH_ADMIN, as
	// the test cannot take 127.0.0.1:8081).
	hcs := find(finalStage(ins), "HEALTHCHECK")
	_, hcCmd, _ := strings.Cut(hcs[0].args, "CMD ")
	hc := execForm(t, hcs[0], strings.TrimSpace(hcCmd))
	for _, tt := range []struct {
		status   int
		wantExit int
	}{
		{http.StatusOK, 0},
		{http.StatusServiceUnavailable, 1},
	} {
		admin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(tt.status)
		}))
		cmd := exec.Command(bin, hc[1:]...)
		cmd.Env = []string{"HUSH_ADMIN=" + admin.Listener.Addr().String()}
		out, err := cmd.CombinedOutput()
		admin.Close()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.wantExit {
			t.Errorf("HEALTHCHECK %v against a %d: exit %d, want %d\n%s", hc, tt.status, code, tt.wantExit, out)
		}
	}
}

// ignorePattern is one line of .dockerignore, compiled.
type ignorePattern struct {
	re     *regexp.Regexp
	negate bool
}

// parseDockerignore compiles .dockerignore with Docker's rules: paths are
// relative to the context root, "*" and "?" stay within a path element, "**"
// spans any number of them, "!" re-includes, the last match wins, and a
// pattern that matches a directory excludes everything in it.
func parseDockerignore(t *testing.T, text string) []ignorePattern {
	t.Helper()
	var out []ignorePattern
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := ignorePattern{}
		if rest, ok := strings.CutPrefix(line, "!"); ok {
			p.negate, line = true, rest
		}
		line = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(line)), "/")
		if strings.ContainsAny(line, "[\\") {
			t.Fatalf(".dockerignore pattern %q: character classes and escapes are not supported by this test", line)
		}
		var re strings.Builder
		re.WriteString("^")
		for i := 0; i < len(line); i++ {
			switch {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case line[i] == '*':
				re.WriteString("[^/]*")
			case line[i] == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(line[i : i+1]))
			}
		}
		re.WriteString("(/.*)?$") // a matched directory takes its contents along
		p.re = regexp.MustCompile(re.String())
		out = append(out, p)
	}
	return out
}

// ignored reports whether path (slash-separated, relative) is left out of
// the build context.
func ignored(patterns []ignorePattern, path string) bool {
	excluded := false
	for _, p := range patterns {
		if p.re.MatchString(path) {
			excluded = !p.negate
		}
	}
	return excluded
}

func TestDockerignoreMatcher(t *testing.T) {
	patterns := parseDockerignore(t, "# comment\n.git\n**/testdata\n**/*_test.go\ndeploy\n*.md\n!KEEP.md\nhush\n")
	tests := []struct {
		path string
		want bool
	}{
		{".git/config", true},
		{".github/workflows/x.yml", false},
		{"testdata/a.txt", true},
		{"redact/testdata/a.txt", true},
		{"redact/redact_test.go", true},
		{"x_test.go", true},
		{"redact/redact.go", false},
		{"deploy/deploy_test.go", true},
		{"README.md", true},
		{"KEEP.md", false},
		{"docs/x.md", false}, // "*" does not cross directories
		{"hush", true},
		{"cmd/hush/main.go", false}, // "hush" is anchored at the root
	}
	for _, tt := range tests {
		if got := ignored(patterns, tt.path); got != tt.want {
			t.Errorf("ignored(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestDockerignoreKeepsBuildInputs lists every file "go build ./cmd/hush"
// reads (sources, embedded files, go.mod and go.sum) and checks that
// .dockerignore keeps each one in the build context.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	patterns := parseDockerignore(t, string(readFile(t, filepath.Join(repoRoot, ".dockerignore"))))
	env := append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0", "GOOS=linux")
	out := run(t, repoRoot, env, goTool, "list", "-deps", "-json=Dir,Module,GoFiles,EmbedFiles,SFiles,HFiles,SysoFiles,Standard", "./cmd/hush")
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var p struct {
			Dir                                            string
			Module                                         *struct{ Path, Dir string }
			GoFiles, EmbedFiles, SFiles, HFiles, SysoFiles []string
			Standard                                       bool
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Standard || p.Module == nil || p.Module.Dir != root {
			continue // the standard library and other modules come from the module cache
		}
		for _, list := range [][]string{p.GoFiles, p.EmbedFiles, p.SFiles, p.HFiles, p.SysoFiles} {
			for _, f := range list {
				rel, err := filepath.Rel(root, filepath.Join(p.Dir, f))
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, filepath.ToSlash(rel))
			}
		}
	}
	if len(files) < 4 {
		t.Fatalf("go list found only %v", files)
	}
	for _, f := range files {
		if ignored(patterns, f) {
			t.Errorf(".dockerignore leaves out %s, which go build ./cmd/hush needs", f)
		}
	}
}
