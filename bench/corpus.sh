#!/usr/bin/env bash
# Scores `hush redact` on the evaluation corpus the way issue 2 is judged:
# each document goes to a fresh `hush redact --no-env` on stdin, with
# HUSH_HOME in a temp dir; recall is the fraction of planted secrets whose
# value no longer appears in the output in any form, decoys-untouched the
# fraction of decoys that appear byte-identical.
#
# The documents are rendered from redact/testdata/corpus/*.txt by
# TestCorpusWrite, with secrets generated at run time; the manifest that
# holds them lives only in the temp dir, which is removed on exit.
#
#   bench/corpus.sh            # seeds 1..3, as the Go test
#   HUSH_CORPUS_SEED=7 bench/corpus.sh
#   HUSH_CORPUS_CONTEXT=1 bench/corpus.sh   # also show each miss's line, value masked
#   HUSH_CORPUS_TEMPLATES=/path/to/heldout bench/corpus.sh   # another template set
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/docs" "$work/home"

go build -o "$work/hush" ./cmd/hush
HUSH_CORPUS_OUT="$work/docs" go test ./redact -run '^TestCorpusWrite$' -count=1 >/dev/null

export HUSH_HOME="$work/home"
n=0
start=$(date +%s%N)
for f in "$work"/docs/*.in; do
	"$work/hush" redact --no-env <"$f" >"${f%.in}.out"
	n=$((n + 1))
done
end=$(date +%s%N)
echo "hush redact: $n documents, one process each, $(((end - start) / n / 1000)) µs per document"

HUSH_CORPUS_SCORE="$work/docs" go test ./redact -run '^TestCorpusScore$' -count=1 -v |
	grep -v -e '^=== RUN' -e '^--- PASS' -e '^PASS$' -e '^ok '
