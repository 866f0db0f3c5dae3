#!/bin/sh
# ssh-serve.sh: `motcuad serve` starts, makes its host key, reads its configuration, reloads the
# catalog on SIGHUP and stops on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

# --help lists every configuration key.
run_motcuad serve --help
expect_rc 0 "serve --help"
for key in listen log_level kex_timeout login_grace max_auth_tries penalty_failures \
    penalty_window penalty_seconds max_unauthenticated max_sessions max_sessions_per_user \
    idle_timeout idle_warning keepalive_interval keepalive_count alert_interval \
    alerts_outside_office_hours auth_concurrency; do
	expect_in "$out" "  $key " "serve --help lists $key"
done
run_motcuad serve
expect_rc 2 "serve without --data"

# A bad configuration stops the server with file:line.
mkdir -p "$TEST_TMP/bad"
printf '# limits\nmax_auth_tries = 3\nmax_auth_trys = 4\n' >"$TEST_TMP/bad/motcuad.conf"
run_motcuad serve --data "$TEST_TMP/bad" --catalog "$top_srcdir/catalog"
expect_rc 1 "unknown key"
expect_in "$err" "motcuad.conf:3: unknown key 'max_auth_trys'" "unknown key reported with its line"
printf 'idle_timeout = soon\n' >"$TEST_TMP/bad/motcuad.conf"
run_motcuad serve --data "$TEST_TMP/bad" --catalog "$top_srcdir/catalog"
expect_rc 1 "bad value"
expect_in "$err" "motcuad.conf:1: idle_timeout: 'soon': expected a whole number" "bad value"

# First start: an ed25519 host key, mode 0600, its fingerprint printed and logged.
server_start "log_level = info"
key="$DATA/host_ed25519_key"
[ -f "$key" ] || fail "no host key"
[ "$(stat -c %a "$key")" = 600 ] || fail "host key mode $(stat -c %a "$key")"
expected=$(ssh-keygen -l -E sha256 -f "$key" | awk '{print $2}')
[ "$FINGERPRINT" = "$expected" ] || fail "printed fingerprint '$FINGERPRINT', expected '$expected'"
log_has "host key $expected" || fail "the fingerprint is not logged"
expect_in "$(ssh-keygen -l -f "$key")" "ED25519" "the host key type"
[ -f "$DATA/motcua.db" ] || fail "the store was not created"

# The client sees that key.
ssh-keyscan -p "$PORT" -t ed25519 127.0.0.1 2>/dev/null >"$TEST_TMP/scan" ||
    fail "ssh-keyscan failed"
[ "$(ssh-keygen -l -E sha256 -f "$TEST_TMP/scan" | awk '{print $2}')" = "$expected" ] ||
    fail "the server does not offer its host key"

# SIGHUP with a broken catalog keeps the old one; the server keeps serving.
server_stop
cp -R "$top_srcdir/catalog" "$DATA/catalog"
"$MOTCUAD" serve --data "$DATA" --listen "127.0.0.1:$PORT" >"$TEST_TMP/serve.out" \
    2>>"$TEST_TMP/serve.log" &
SERVER_PID=$!
wait_for 15 grep -q "listening on" "$TEST_TMP/serve.out" || fail "restart"
expect_in "$(cat "$TEST_TMP/serve.out")" "$expected" "the same host key after a restart"
expect_in "$(cat "$TEST_TMP/serve.out")" "catalog $DATA/catalog" "DATA/catalog is the default"
printf 'colour: red\n' >>"$DATA/catalog/fields.yaml"
kill -HUP "$SERVER_PID"
wait_for 10 log_has "keeping the previous catalog" || fail "no log of the failed reload"
log_has "fields.yaml:" || fail "the reload's problem is not logged"
kill -0 "$SERVER_PID" || fail "the server died on SIGHUP"
ssh-keyscan -p "$PORT" 127.0.0.1 >/dev/null 2>&1 || fail "not serving after a failed reload"
cp "$top_srcdir/catalog/fields.yaml" "$DATA/catalog/fields.yaml"
kill -HUP "$SERVER_PID"
wait_for 10 log_has "catalog reloaded" || fail "no reload"

# SIGTERM stops it.
kill -TERM "$SERVER_PID"
wait_for 10 sh -c "! kill -0 $SERVER_PID 2>/dev/null" || fail "the server ignored SIGTERM"
wait "$SERVER_PID" || fail "the server's exit status after SIGTERM was $?"
SERVER_PID=
log_has "stopped" || fail "no log of the stop"
exit 0
