#!/bin/sh
# ssh-serve.sh: `motcuad serve` starts, makes its host key, reads its configuration, reloads the
# catalog on SIGHUP and stops on SIGTERM. The catalog served is a copy in DATA/run/catalog.N:
# a new session still starts while the maintainers' catalog is broken, and a good reload makes
# the next generation.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

# --help lists every configuration key.
run_motcuad serve --help
expect_rc 0 "serve --help"
for key in listen log_level kex_timeout login_grace max_auth_tries penalty_failures \
    penalty_window penalty_seconds max_unauthenticated max_sessions max_sessions_per_user \
    idle_timeout idle_warning keepalive_interval keepalive_count alert_interval \
    alerts_outside_office_hours auth_concurrency penalty_source_failures \
    max_unauthenticated_per_source; do
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
printf 'idle_timeout = 60\n' >"$TEST_TMP/bad/motcuad.conf"
run_motcuad serve --data "$TEST_TMP/bad" --catalog "$top_srcdir/catalog"
expect_rc 1 "idle_warning not below idle_timeout"
expect_in "$err" "motcuad.conf: idle_warning (120 s) must be less than idle_timeout (60 s)" \
    "idle_warning checked against idle_timeout"

# The log escapes what could act on a terminal: C0, C1 and invalid UTF-8 (here in the name
# of a data directory, which the log repeats).
odd="$TEST_TMP/d$(printf '\033')[31m$(printf '\302\233')x$(printf '\377')ệ"
mkdir -p "$odd"
PORT=$(free_port)
"$MOTCUAD" serve --data "$odd" --catalog "$top_srcdir/catalog" --listen "127.0.0.1:$PORT" \
    >"$TEST_TMP/odd.out" 2>"$TEST_TMP/odd.log" &
odd_pid=$!
wait_for 15 grep -q "listening on" "$TEST_TMP/odd.out" || fail "serve on an odd path"
kill -TERM "$odd_pid"
wait "$odd_pid" || fail "serve on an odd path: exit $?"
grep -qF 'd\x1b[31m\u009bx\xffệ' "$TEST_TMP/odd.log" ||
    fail "the log does not escape C0, C1 and invalid UTF-8: $(grep 'data in' "$TEST_TMP/odd.log")"
LC_ALL=C grep -q "$(printf '\033\|\302\233\|\377')" "$TEST_TMP/odd.log" &&
    fail "raw control bytes reached the log"

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
[ "$(stat -c %a "$DATA/motcua.db")" = 600 ] || fail "store mode $(stat -c %a "$DATA/motcua.db")"
[ "$(stat -c %a "$DATA/run")" = 700 ] || fail "run directory mode $(stat -c %a "$DATA/run")"
# The test made the data directory with mode 755: the server warns about it.
log_has "the data directory $DATA is open to group or others (mode 755)" ||
    fail "no warning about the data directory's mode"

# The client sees that key.
ssh-keyscan -p "$PORT" -t ed25519 127.0.0.1 2>/dev/null >"$TEST_TMP/scan" ||
    fail "ssh-keyscan failed"
[ "$(ssh-keygen -l -E sha256 -f "$TEST_TMP/scan" | awk '{print $2}')" = "$expected" ] ||
    fail "the server does not offer its host key"

# SIGHUP with a broken catalog keeps the old one; the server keeps serving, and new sessions
# get the catalog it loaded last, not the broken one on disk.
server_stop
cp -R "$top_srcdir/catalog" "$DATA/catalog"
# Copies a previous run left behind are removed on start.
mkdir -p "$DATA/run/catalog.7/procedures" "$DATA/run/catalog.3.tmp"
# A private data directory is not warned about; a store open to others is made 0600.
chmod 700 "$DATA"
chmod 644 "$DATA/motcua.db"
have_tui=
if command -v tmux >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1; then
	tui_setup
	have_tui=1
else
	echo "$TEST_NAME: no tmux or sqlite3: sessions are not driven"
fi
add_user tiepnhan.serve --password demo
: >"$TEST_TMP/serve.log"
"$MOTCUAD" serve --data "$DATA" --listen "127.0.0.1:$PORT" >"$TEST_TMP/serve.out" \
    2>>"$TEST_TMP/serve.log" &
SERVER_PID=$!
wait_for 15 grep -q "listening on" "$TEST_TMP/serve.out" || fail "restart"
expect_in "$(cat "$TEST_TMP/serve.out")" "$expected" "the same host key after a restart"
expect_in "$(cat "$TEST_TMP/serve.out")" "catalog $DATA/catalog" "DATA/catalog is the default"
log_has "the data directory" && fail "a warning about a private data directory"
[ "$(stat -c %a "$DATA/motcua.db")" = 600 ] || fail "the store was left $(stat -c %a "$DATA/motcua.db")"
log_has "motcua.db was open to group or others (mode 644): made 0600" || fail "no log of the fix"

# run_catalogs: the catalog copies in DATA/run, on one line.
run_catalogs() {
	echo $(cd "$DATA/run" && ls -d catalog.* 2>/dev/null)
}
# interface_catalog: the --catalog of the interface processes of this data directory.
interface_catalog() {
	ps -eo args= | sed -n "s|^motcuad interface --data $DATA --catalog \([^ ]*\) .*|\1|p" |
	    sort -u | tr '\n' ' '
}
log_has "catalog $DATA/catalog copied to $DATA/run/catalog.1:" || fail "no log of the copy"
[ "$(run_catalogs)" = "catalog.1" ] || fail "DATA/run holds $(run_catalogs), expected catalog.1"
diff -r "$DATA/catalog" "$DATA/run/catalog.1" >/dev/null || fail "catalog.1 is not a copy"
[ "$(stat -c %a "$DATA/run/catalog.1")" = 700 ] ||
    fail "catalog.1 mode $(stat -c %a "$DATA/run/catalog.1")"
if [ -n "$have_tui" ]; then
	tui_login first tiepnhan.serve
	[ "$(interface_catalog)" = "$DATA/run/catalog.1 " ] ||
	    fail "the interface loads '$(interface_catalog)', expected $DATA/run/catalog.1"
fi

# Break the catalog on disk: an unknown key in fields.yaml and a procedure file that is not
# YAML.
printf 'colour: red\n' >>"$DATA/catalog/fields.yaml"
printf 'code: "9.999999"\nname: [unclosed\n' >"$DATA/catalog/procedures/chung-thuc/9.999999.yaml"
kill -HUP "$SERVER_PID"
wait_for 10 log_has "keeping the previous catalog" || fail "no log of the failed reload"
log_has "$DATA/catalog/fields.yaml:" || fail "the reload's problem in fields.yaml is not logged"
log_has "$DATA/catalog/procedures/chung-thuc/9.999999.yaml:" ||
    fail "the reload's problem in the procedure file is not logged"
log_has "keeping the previous catalog ($DATA/run/catalog.1)" ||
    fail "the failed reload does not name the catalog kept"
kill -0 "$SERVER_PID" || fail "the server died on SIGHUP"
[ "$(run_catalogs)" = "catalog.1" ] || fail "a failed reload left $(run_catalogs) in DATA/run"
ssh-keyscan -p "$PORT" 127.0.0.1 >/dev/null 2>&1 || fail "not serving after a failed reload"
if [ -n "$have_tui" ]; then
	# A new session starts on the catalog loaded last, although the one on disk is broken.
	tui_login broken tiepnhan.serve
	tui_logout broken
fi

# Fixed: the next SIGHUP makes generation 2 and new sessions use it; generation 1 stays.
cp "$top_srcdir/catalog/fields.yaml" "$DATA/catalog/fields.yaml"
rm "$DATA/catalog/procedures/chung-thuc/9.999999.yaml"
kill -HUP "$SERVER_PID"
wait_for 10 log_has "catalog reloaded" || fail "no reload"
log_has "new sessions use $DATA/run/catalog.2" || fail "the reload does not use catalog.2"
[ "$(run_catalogs)" = "catalog.1 catalog.2" ] ||
    fail "DATA/run holds $(run_catalogs), expected catalog.1 catalog.2"
if [ -n "$have_tui" ]; then
	tui_login second tiepnhan.serve
	expect_in "$(interface_catalog)" "$DATA/run/catalog.2 " "the new session's catalog"
	tui_logout second
fi

# Generation 3: generation 2 is kept as the previous one; generation 1 only as long as the
# session forked with it lives.
kill -HUP "$SERVER_PID"
wait_for 10 log_has "new sessions use $DATA/run/catalog.3" || fail "no third generation"
if [ -n "$have_tui" ]; then
	[ "$(run_catalogs)" = "catalog.1 catalog.2 catalog.3" ] ||
	    fail "DATA/run holds $(run_catalogs) with a session on catalog.1"
	tui_logout first
	wait_for 10 sh -c "[ ! -e '$DATA/run/catalog.1' ]" ||
	    fail "catalog.1 outlived its last session"
fi
[ "$(run_catalogs)" = "catalog.2 catalog.3" ] ||
    fail "DATA/run holds $(run_catalogs), expected catalog.2 catalog.3"

# SIGTERM stops it.
kill -TERM "$SERVER_PID"
wait_for 10 sh -c "! kill -0 $SERVER_PID 2>/dev/null" || fail "the server ignored SIGTERM"
wait "$SERVER_PID" || fail "the server's exit status after SIGTERM was $?"
SERVER_PID=
log_has "stopped" || fail "no log of the stop"
[ -z "$(run_catalogs)" ] || fail "the copies $(run_catalogs) outlived the server"
exit 0
