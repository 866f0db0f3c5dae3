#!/bin/sh
# fuzz-replay.sh: run every fuzz target's seed corpus (tests/fuzz/corpus/NAME/) through its
# entry point, built without libFuzzer as tests/fuzz/replay-NAME; a broken invariant fails.
set -eu
: "${top_srcdir:?run the tests with make check}"
: "${top_builddir:?run the tests with make check}"

log=$(mktemp "${TMPDIR:-/tmp}/motcua-fuzz-replay.XXXXXX")
trap 'rm -f "$log"' EXIT

n=0
for corpus in "$top_srcdir"/tests/fuzz/corpus/*/; do
	name=$(basename "$corpus")
	replay="$top_builddir/tests/fuzz/replay-$name"
	if [ ! -x "$replay" ]; then
		echo "fuzz-replay: FAIL: no $replay for the corpus of $name" >&2
		exit 1
	fi
	if ! "$replay" "$corpus" >"$log" 2>&1; then
		echo "fuzz-replay: FAIL: $name; the last lines of its output:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	echo "fuzz-replay: $name: $(tail -n 1 "$log")"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "fuzz-replay: FAIL: no corpus found" >&2; exit 1; }
exit 0
