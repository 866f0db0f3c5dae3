# lib.sh: shared helpers for the end-to-end test scripts (sourced, not run).
set -eu

: "${top_srcdir:?run the tests with make check}"
: "${MOTCUAD:?run the tests with make check}"

TEST_NAME=$(basename "$0" .sh)
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/motcua-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT

# fail MESSAGE: report a failed expectation and end the test.
fail() {
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

# run_motcuad ARGS...: run motcuad, keeping stdout, stderr and the exit status in $out, $err, $rc.
run_motcuad() {
	rc=0
	"$MOTCUAD" "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	out=$(cat "$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}

# expect_rc N WHAT: the last run_motcuad ended with status N.
expect_rc() {
	[ "$rc" = "$1" ] || fail "$2: exit status $rc, expected $1; stderr: $err"
}

# expect_in HAYSTACK NEEDLE WHAT: the text contains the needle (a fixed string).
expect_in() {
	printf '%s' "$1" | grep -qF -- "$2" || fail "$3: expected '$2' in: $1"
}
