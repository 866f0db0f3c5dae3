#!/bin/sh
# admin-exec.sh: administrators' commands over SSH exec: the transport (stdout, stderr, exit
# status, stdin and its EOF, a pty's line ends, a large output), refusals for an officer and
# for malformed requests, no shell anywhere, and `sessions`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

MOTCUA_NOW="2015-08-25 09:00"
export MOTCUA_NOW
server_start
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
add_user boss --key "$TEST_TMP/id.pub" --role admin
add_user lan --key "$TEST_TMP/id.pub" --role officer --unit TPSL --department tu-phap

# as [-tt] LOGIN ARGS...: run a command with the key, stdin from $IN (default /dev/null);
# output in $out and $err, status in $rc.
as() {
	_tty=
	if [ "$1" = -tt ]; then
		_tty=-tt
		shift
	fi
	_login=$1
	shift
	rc=0
	ssh_key "$TEST_TMP/id" $_tty "$_login@127.0.0.1" "$@" <"${IN:-/dev/null}" \
	    >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	out=$(tr -d '\000' <"$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}

# help: exit 0, the list on stdout, nothing on stderr.
as boss help
[ "$rc" = 0 ] || fail "help: exit status $rc: $err"
expect_in "$out" "  user key add " "help lists user key add"
expect_in "$out" "  sessions " "help lists sessions"
[ -z "$err" ] || fail "help wrote to stderr: $err"
as boss help user add
[ "$rc" = 0 ] || fail "help user add: $rc"
expect_in "$out" "usage: user add LOGIN --name NAME" "help user add"
as boss user list --help
expect_in "$out" "usage: user list [--unit UNIT] [--format text|csv|tsv]" "--help"

# Unknown command, usage errors: exit 2, message on stderr, nothing on stdout.
as boss frobnicate now
[ "$rc" = 2 ] || fail "unknown command: exit status $rc"
[ "$err" = "motcua: unknown command 'frobnicate'; run 'help' for the list" ] ||
    fail "unknown command: $err"
[ -z "$out" ] || fail "unknown command printed: $out"
as boss user show
[ "$rc" = 2 ] || fail "usage: exit status $rc"
[ "$err" = "usage: user show LOGIN" ] || fail "usage: $err"
as boss "user add 'lan"
[ "$rc" = 2 ] || fail "unterminated quote: exit status $rc"
expect_in "$err" "motcua: unterminated single quote" "unterminated quote"
as boss "$(printf 'user list\033[2J')"
[ "$rc" = 2 ] || fail "control character: exit status $rc"
expect_in "$err" "control character U+001B" "control character refused"
as boss "$(head -c 9000 /dev/zero | tr '\0' a)"
[ "$rc" = 2 ] || fail "a long command: exit status $rc"
expect_in "$err" "too long" "a long command"

# No shell: metacharacters are words, nothing runs.
as boss 'help; touch /tmp/motcua-must-not-exist' '$(touch /tmp/motcua-must-not-exist)'
[ "$rc" = 2 ] || fail "metacharacters: exit status $rc"
[ ! -e /tmp/motcua-must-not-exist ] || fail "a shell ran"

# Failure: exit 1 with a message.
as boss user show nobody
[ "$rc" = 1 ] || fail "user show nobody: exit status $rc"
[ "$err" = "motcua: no user 'nobody'" ] || fail "user show nobody: $err"

# An officer is refused, with exit status 1, logged; the same with a pty.
as lan help
[ "$rc" = 1 ] || fail "officer: exit status $rc"
[ "$err" = "motcua: commands are for administrators; connect without one to use the interface" ] ||
    fail "officer: $err"
[ -z "$out" ] || fail "officer got output: $out"
log_has "refused: command for lan from 127.0.0.1" || fail "officer refusal not logged"
as -tt lan help
[ "$rc" = 1 ] || fail "officer with a pty: exit status $rc"
expect_in "$out$err" "commands are for administrators" "officer with a pty"

# The command checks the role again in the store, whatever the login found.
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$DATA/motcua.db" "UPDATE users SET role = 'monitor' WHERE login = 'boss'"
	as boss help
	[ "$rc" = 1 ] || fail "a demoted admin: exit status $rc"
	expect_in "$err" "commands are for administrators" "a demoted admin"
	sqlite3 "$DATA/motcua.db" "UPDATE users SET role = 'admin' WHERE login = 'boss'"
fi

# Standard input reaches the command, and its EOF ends the input.
printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPnRYoeyuz+LOiRlRx6O8723OnztYc9GbB6DRojsJi+x x@y\n' \
    >"$TEST_TMP/extra.pub"
IN="$TEST_TMP/extra.pub" as boss user key add lan
[ "$rc" = 0 ] || fail "user key add: exit status $rc: $err"
expect_in "$out" " to lan: ssh-ed25519 SHA256:0r8Fqf8ye4Yy/yDilAfiU7Cfvz9o2Yaaeimr0L2D2G4" \
    "user key add"

# With a pty the lines end in CR LF.
as -tt boss unit list
printf '%s' "$out" | head -n 1 | od -c | grep -q '\\r' || fail "no CR LF with a pty"

# CSV that parses, with the units of the catalog.
as boss unit list --format csv
[ "$rc" = 0 ] || fail "unit list: $rc"
printf '%s\n' "$out" >"$TEST_TMP/units.csv"
python3 - "$TEST_TMP/units.csv" <<'PY' || fail "unit list CSV does not parse as expected"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert rows[0] == ["UNIT", "NAME", "DEPARTMENTS", "USERS", "ENABLED"], rows[0]
tpsl = [r for r in rows if r[0] == "TPSL"]
assert tpsl and tpsl[0][1] == "Thành phố Sơn La" and tpsl[0][3] == "1", tpsl
assert all(len(r) == 5 for r in rows)
PY

# A binary output arrives whole, apart from the progress on stderr: the backup.
as boss help backup
if [ "$rc" = 0 ] && command -v sqlite3 >/dev/null 2>&1; then
	as boss backup
	[ "$rc" = 0 ] || fail "backup: exit status $rc: $err"
	[ "$(head -c 15 "$TEST_TMP/out")" = "SQLite format 3" ] || fail "backup is not a database"
	[ "$(sqlite3 "$TEST_TMP/out" 'PRAGMA integrity_check')" = ok ] || fail "backup not intact"
	[ "$(sqlite3 "$TEST_TMP/out" 'SELECT count(*) FROM users')" = 2 ] || fail "backup users"
fi

# sessions: an interface session shows, with its login, address and kind.
ssh_key "$TEST_TMP/id" -tt lan@127.0.0.1 >/dev/null 2>&1 </dev/null &
client=$!
wait_for 15 sh -c "cat '$DATA/run/sessions/'* 2>/dev/null | grep -q 'kind interface'" ||
    fail "no interface session registered"
as boss sessions --format csv
[ "$rc" = 0 ] || fail "sessions: exit status $rc: $err"
printf '%s\n' "$out" >"$TEST_TMP/sessions.csv"
python3 - "$TEST_TMP/sessions.csv" <<'PY' || fail "sessions: $out"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert rows[0] == ["PID", "LOGIN", "FROM", "KIND", "SINCE", "IDLE"], rows[0]
kinds = sorted((r[1], r[3]) for r in rows[1:])
assert ("boss", "exec") in kinds and ("lan", "interface") in kinds, kinds
for r in rows[1:]:
    assert r[2].startswith("127.0.0.1:"), r
PY
pkill -TERM -P "$client" 2>/dev/null || true	# the ssh started by the function
kill "$client" 2>/dev/null || true
wait "$client" 2>/dev/null || true
# The registry is emptied as sessions end.
wait_for 15 sh -c "[ -z \"\$(ls '$DATA/run/sessions')\" ]" ||
    fail "registry files left: $(ls "$DATA/run/sessions")"

# On the host, the same commands run as "local".
run_motcuad admin --data "$DATA" --catalog "$top_srcdir/catalog" user list --format tsv
expect_rc 0 "motcuad admin user list"
expect_in "$out" "$(printf 'lan\t')" "local user list"
run_motcuad admin --data "$DATA" --catalog "$top_srcdir/catalog" nothing
expect_rc 2 "motcuad admin nothing"
expect_in "$err" "motcua: unknown command 'nothing'" "local unknown command"
exit 0
