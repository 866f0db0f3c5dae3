#!/bin/sh
# admin-user.sh: `motcuad init` makes a data directory with its first administrator, who then
# manages users over SSH: add with a generated password (which logs in), keys from stdin,
# disable / enable (login refused, then allowed), role changes, all in the audit events.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

MOTCUA_NOW="2015-08-25 09:00"
export MOTCUA_NOW
DATA=$TEST_TMP/data
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/admin"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/lan" -C "lan@may-tinh"

# init: the store, the configuration with commented defaults, the administrator with the key.
run_motcuad init --data "$DATA" --catalog "$top_srcdir/catalog" --admin quantri \
    --key "$TEST_TMP/admin.pub"
expect_rc 0 "init"
expect_in "$out" "added quantri (role=admin)" "init adds the administrator"
expect_in "$out" "added key 1 to quantri" "init adds the key"
[ -f "$DATA/motcua.db" ] || fail "init made no store"
grep -q '^#   idle_timeout ' "$DATA/motcuad.conf" || fail "motcuad.conf has no commented defaults"
[ "$(stat -c %a "$DATA")" = 700 ] || fail "the data directory is not private"
run_motcuad init --data "$DATA" --catalog "$top_srcdir/catalog"
expect_rc 1 "a second init"
expect_in "$err" "already has users" "a second init is refused"
run_motcuad init --data "$TEST_TMP/other" --key "$TEST_TMP/admin.pub" --generate-password
expect_rc 2 "init with both --key and --generate-password"

# A one-time password instead of a key, on another directory.
run_motcuad init --data "$TEST_TMP/data2" --catalog "$top_srcdir/catalog"
expect_rc 0 "init with a password"
expect_in "$out" "password for admin (shown once): " "init prints the password once"

server_start

# as LOGIN ARGS...: a command as the administrator; stdin from $IN (default /dev/null).
as() {
	rc=0
	ssh_key "$TEST_TMP/admin" "quantri@127.0.0.1" "$@" <"${IN:-/dev/null}" \
	    >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	out=$(cat "$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}

as user add lan --name "'Nguyễn Thị Lan'" --role officer --unit TPSL --department tu-phap \
    --generate-password
[ "$rc" = 0 ] || fail "user add: exit status $rc: $err"
password=$(printf '%s\n' "$out" | sed -n 's/^password for lan (shown once): //p')
[ "${#password}" = 16 ] || fail "no generated password in: $out"
log_has "$password" && fail "the password reached the log"

# The new user logs in with it (a command, which is refused: an officer).
rc=0
ssh_password "$password" lan@127.0.0.1 help </dev/null >/dev/null 2>"$TEST_TMP/err" || rc=$?
[ "$rc" = 1 ] || fail "lan with the generated password: exit status $rc"
grep -q "commands are for administrators" "$TEST_TMP/err" || fail "lan: $(cat "$TEST_TMP/err")"
log_has "auth ok: password for lan" || fail "lan did not log in with the password"

# Keys from stdin; then the key logs in.
IN="$TEST_TMP/lan.pub" as user key add lan
[ "$rc" = 0 ] || fail "user key add: $rc: $err"
fp=$(ssh-keygen -lf "$TEST_TMP/lan.pub" | cut -d' ' -f2)
expect_in "$out" "$fp" "user key add prints the fingerprint"
as user key list lan --format csv
expect_in "$out" "$fp,lan@may-tinh" "user key list"
rc=0
ssh_key "$TEST_TMP/lan" lan@127.0.0.1 help </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "lan with the key: exit status $rc"

# Disabled: the login is refused; enabled again: it works.
as user disable lan
[ "$rc" = 0 ] || fail "user disable: $rc: $err"
rc=0
ssh_key "$TEST_TMP/lan" lan@127.0.0.1 help </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "a disabled user logged in (status $rc)"
as user enable lan
rc=0
ssh_key "$TEST_TMP/lan" lan@127.0.0.1 help </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "an enabled user: status $rc"

# The administrator cannot lock everyone out.
as user disable quantri
[ "$rc" = 1 ] || fail "disabling the last administrator: status $rc"
expect_in "$err" "last enabled administrator" "last administrator kept"

# A role change, and a user shown.
as user role lan leader --unit TPSL --department lanh-dao
[ "$rc" = 0 ] || fail "user role: $rc: $err"
as user show lan
expect_in "$out" "role:       leader" "user show role"
expect_in "$out" "name:       Nguyễn Thị Lan" "user show name"
IN=/dev/null as user passwd lan --password-stdin
[ "$rc" = 1 ] || fail "passwd without input: status $rc"
printf 'mat-khau-moi-2015\n' >"$TEST_TMP/pw"
IN="$TEST_TMP/pw" as user passwd lan --password-stdin
[ "$rc" = 0 ] || fail "passwd: $rc: $err"
rc=0
ssh_password mat-khau-moi-2015 lan@127.0.0.1 help </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "the new password: status $rc"

# Every change is an audit event, with the administrator as its actor.
if command -v sqlite3 >/dev/null 2>&1; then
	events=$(sqlite3 "$DATA/motcua.db" "SELECT count(*) FROM sqlite_master WHERE name = 'events'")
	if [ "$events" = 1 ]; then
		actions=$(sqlite3 "$DATA/motcua.db" "SELECT group_concat(action, ' ') FROM events" \
		    2>/dev/null || true)
		for a in init user_add user_key_add user_disable user_enable user_update user_passwd; do
			expect_in "$actions" "$a" "audit event $a"
		done
	fi
fi
exit 0
