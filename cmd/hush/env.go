// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/hushproxy/hush/certs"
)

const envHelp = `Usage:
    hush env [--shell sh|fish|powershell] [--json] [--listen ADDR]

Prints the environment that makes agents and their tools (Node, Python,
curl, git, Go, Rust, Deno, Codex, the AWS and Google SDKs) send HTTPS
through hush and trust its CA, for eval. It creates the CA if needed, and
writes HUSH_HOME/ca-bundle.pem (the system roots plus the hush CA) for the
variables that replace a runtime's roots rather than add to them.

Options:
    --shell SHELL   sh (default), fish or powershell; the default follows
                    $SHELL, and is powershell on Windows
    --json          print a JSON object instead
    --listen ADDR   the address hush serve listens on (default 127.0.0.1:8080)

Examples:
    $ eval "$(hush env)"
    $ hush env --shell fish | source
    $ hush env --shell powershell | Invoke-Expression
    $ hush env --json | jq -r .SSL_CERT_FILE
`

// defaultListen is hush serve's default --listen address.
const defaultListen = "127.0.0.1:8080"

// envVar is one variable of a child's environment.
type envVar struct{ Name, Value string }

func (c *cli) envCommand(args []string) int {
	fs := c.newFlagSet("env", envHelp)
	shell := fs.String("shell", "", "")
	asJSON := fs.Bool("json", false, "")
	listen := fs.String("listen", defaultListen, "")
	if code := c.parse(fs, envHelp, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		c.errorf("hush env takes no arguments, got %q", fs.Arg(0))
		c.hint(`hush env -h`)
		return exitUsage
	}
	if *shell == "" {
		*shell = c.defaultShell()
	}
	if !slices.Contains([]string{"sh", "fish", "powershell"}, *shell) {
		c.errorf("unknown shell %q (sh, fish or powershell)", *shell)
		c.hint("hush env --shell sh")
		return exitUsage
	}
	proxyURL, err := proxyURLFor(*listen)
	if err != nil {
		c.errorf("%v", err)
		c.hint("hush env --listen " + defaultListen)
		return exitUsage
	}
	home, err := c.home()
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	ca, err := certs.LoadOrCreate(home, certs.Options{})
	if err != nil {
		c.errorf("%v", err)
		c.caHint(err)
		return exitError
	}
	vars := c.proxyEnv(ca, home, proxyURL)
	if *asJSON {
		m := make(map[string]string, len(vars))
		for _, v := range vars {
			m[v.Name] = v.Value
		}
		out, _ := json.MarshalIndent(m, "", "  ")
		fmt.Fprintf(c.stdout, "%s\n", out)
		return exitOK
	}
	for _, v := range vars {
		fmt.Fprintln(c.stdout, exportLine(*shell, v))
	}
	return exitOK
}

// defaultShell guesses the shell that will eval the output.
func (c *cli) defaultShell() string {
	if runtime.GOOS == "windows" {
		return "powershell"
	}
	if path.Base(c.getenv("SHELL")) == "fish" {
		return "fish"
	}
	return "sh"
}

// proxyURLFor turns a listen address into the URL clients use: an unspecified
// host (":8080", "0.0.0.0:8080", "[::]:8080") becomes loopback.
func proxyURLFor(listen string) (string, error) {
	if strings.Contains(listen, "://") {
		u, err := url.Parse(listen)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("invalid proxy URL %q", listen)
		}
		return strings.TrimSuffix(u.String(), "/"), nil
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" {
		return "", fmt.Errorf("invalid listen address %q: want HOST:PORT", listen)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// proxyEnv returns the variables that route a child through the proxy at
// proxyURL and make it trust ca, writing the bundle in home. hush env
// prints them; hush run sets them. Problems are warnings: a partial
// environment still protects the runtimes it covers.
func (c *cli) proxyEnv(ca *certs.CA, home, proxyURL string) []envVar {
	bundle, err := certs.WriteBundle(home, ca)
	if err != nil {
		c.warnf("%v; SSL_CERT_FILE and the other variables that replace the system roots are not set", err)
		bundle = ""
	}
	intercepted := ca.Domains()
	if len(intercepted) == 0 {
		intercepted = certs.DefaultDomains()
	}
	noProxy, dropped := mergeNoProxy(c.getenv, intercepted)
	for _, d := range dropped {
		c.warnf("NO_PROXY entry %q would send model API traffic around hush; left out", d)
	}
	return runtimeEnv(proxyURL, ca.CertPath(), bundle, noProxy)
}

// runtimeEnv lists the variables, in a stable order:
//   - the proxy, in both cases (curl reads only lower-case http_proxy;
//     Go, Python and Node libraries read either);
//   - NO_PROXY for loopback (and what the caller already had);
//   - NODE_USE_ENV_PROXY, without which Node's own fetch (22.21+, 24+)
//     ignores the proxy variables and talks to the API directly;
//   - variables that add a CA to the runtime's roots: the CA itself;
//   - variables that replace the runtime's roots: the bundle (system roots
//     plus the CA), omitted when bundlePath is "".
func runtimeEnv(proxyURL, caPath, bundlePath string, noProxy []string) []envVar {
	np := strings.Join(noProxy, ",")
	vars := []envVar{
		{"HTTPS_PROXY", proxyURL},
		{"https_proxy", proxyURL},
		{"HTTP_PROXY", proxyURL},
		{"http_proxy", proxyURL},
		{"NO_PROXY", np},
		{"no_proxy", np},
		{"NODE_USE_ENV_PROXY", "1"},
		{"NODE_EXTRA_CA_CERTS", caPath},  // Node: added to its bundled roots
		{"DENO_CERT", caPath},            // Deno: added to its roots
		{"CODEX_CA_CERTIFICATE", caPath}, // Codex CLI: added to the native roots
	}
	if bundlePath == "" {
		return vars
	}
	for _, name := range []string{
		"SSL_CERT_FILE",                      // OpenSSL, Go, Python ssl and httpx, Ruby, rustls-native-certs
		"REQUESTS_CA_BUNDLE",                 // Python requests (and pip)
		"CURL_CA_BUNDLE",                     // curl
		"GIT_SSL_CAINFO",                     // git over HTTPS
		"AWS_CA_BUNDLE",                      // AWS CLI and SDKs (Bedrock)
		"PIP_CERT",                           // pip, which vendors its own requests
		"HTTPLIB2_CA_CERTS",                  // httplib2 (older Google API clients)
		"GRPC_DEFAULT_SSL_ROOTS_FILE_PATH",   // gRPC (Google Cloud SDKs)
		"CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", // gcloud
		"NIX_SSL_CERT_FILE",                  // Nix-built programs
	} {
		vars = append(vars, envVar{name, bundlePath})
	}
	return vars
}

// loopback is what NO_PROXY always holds: hush's own base-URL mode and
// local services must not loop through the proxy.
var loopback = []string{"localhost", "127.0.0.1", "::1"}

// mergeNoProxy keeps the caller's NO_PROXY entries after loopback, but drops
// (and returns) those that would exempt an intercepted domain: "*", a
// parent ("com", ".openai.com") or a subdomain ("api.openai.com") of one.
func mergeNoProxy(getenv func(string) string, intercepted []string) (entries, dropped []string) {
	entries = slices.Clone(loopback)
	for _, v := range []string{getenv("NO_PROXY"), getenv("no_proxy")} {
		for e := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			if slices.Contains(entries, e) || slices.Contains(dropped, e) {
				continue
			}
			if bypasses(e, intercepted) {
				dropped = append(dropped, e)
				continue
			}
			entries = append(entries, e)
		}
	}
	return entries, dropped
}

func bypasses(entry string, intercepted []string) bool {
	e := strings.ToLower(entry)
	if e == "*" {
		return true
	}
	if h, _, err := net.SplitHostPort(e); err == nil {
		e = h
	}
	e = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(e, "*"), "."), ".")
	if e == "" || net.ParseIP(e) != nil || strings.Contains(e, "/") {
		return false // an address or CIDR range: model APIs are reached by name
	}
	for _, d := range intercepted {
		d = strings.TrimPrefix(strings.ToLower(d), ".")
		if d == e || strings.HasSuffix(d, "."+e) || strings.HasSuffix(e, "."+d) {
			return true
		}
	}
	return false
}

// exportLine formats one variable for a shell, quoted so that eval
// takes it literally.
func exportLine(shell string, v envVar) string {
	switch shell {
	case "fish":
		r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
		return "set -gx " + v.Name + " '" + r.Replace(v.Value) + "';"
	case "powershell":
		return "$env:" + v.Name + " = '" + strings.ReplaceAll(v.Value, "'", "''") + "'"
	}
	return "export " + v.Name + "='" + strings.ReplaceAll(v.Value, "'", `'\''`) + "'"
}
