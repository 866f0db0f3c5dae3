#!/bin/sh
# ssh-auth.sh: password and key logins with the OpenSSH client and PuTTY's plink; the same
# refusal for unknown users, wrong passwords and disabled users; three wrong passwords end
# the connection; repeated failures penalise the source address.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

server_start "max_auth_tries = 3" "penalty_failures = 9" "penalty_window = 300" \
    "penalty_seconds = 300"
add_user tiepnhan.test --password 'mật-khẩu đúng'
add_user khoa.test --password 'mật-khẩu đúng' --disabled
ssh-keygen -q -t ed25519 -N '' -C officer -f "$TEST_TMP/id_officer"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$TEST_TMP/id_stranger"
add_user tuphap.test --role officer --department tu-phap --key "$TEST_TMP/id_officer.pub"

# interactive_login NAME COMMAND...: run an interactive client in the background until the
# server logs the login, then end the client and wait for the server to log the disconnect.
interactive_login() {
	_what=$1
	shift
	_before=$(log_count "disconnect: ")
	_seen=$(log_count "$_what")
	"$@" </dev/null >"$TEST_TMP/client.out" 2>&1 &
	_client=$!
	wait_for 20 sh -c "[ \$(grep -cF '$_what' '$TEST_TMP/serve.log') -gt $_seen ]" ||
	    { kill "$_client" 2>/dev/null; fail "no new '$_what' in the log"; }
	# The client runs as a child of the background subshell: end both.
	pkill -TERM -P "$_client" 2>/dev/null || true
	kill "$_client" 2>/dev/null || true
	wait "$_client" 2>/dev/null || true
	wait_for 10 sh -c "[ \$(grep -cF 'disconnect: ' '$TEST_TMP/serve.log') -gt $_before ]" ||
	    fail "the session did not end after the client left ($_what)"
}

# Password login with the OpenSSH client: the interface starts on a pty.
interactive_login "auth ok: password for tiepnhan.test from 127.0.0.1" \
    ssh_password 'mật-khẩu đúng' -tt tiepnhan.test@127.0.0.1
log_has "connect from 127.0.0.1:" || fail "no connect line"
grep -q "disconnect: tiepnhan.test from 127.0.0.1:[0-9]* after [0-9.]* s, [0-9]* bytes in, [0-9]* bytes out" \
    "$TEST_TMP/serve.log" || fail "the disconnect line lacks who, where, how long or bytes"
grep -q "mật-khẩu" "$TEST_TMP/serve.log" && fail "a password reached the log"

# Key login; the unsigned probe of a key the user does not hold is refused.
interactive_login "auth ok: publickey for tuphap.test from 127.0.0.1" \
    ssh_key "$TEST_TMP/id_officer" -tt tuphap.test@127.0.0.1
rc=0
ssh_key "$TEST_TMP/id_stranger" -T tuphap.test@127.0.0.1 </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "a stranger's key: exit $rc"
expect_in "$(cat "$TEST_TMP/o")" "Permission denied" "a stranger's key"
rc=0
ssh_key "$TEST_TMP/id_officer" -T tiepnhan.test@127.0.0.1 </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "another user's key: exit $rc"

# plink logs in with a password and the host key's fingerprint.
if command -v plink >/dev/null 2>&1; then
	interactive_login "auth ok: password for tiepnhan.test from 127.0.0.1:" \
	    plink -batch -ssh -P "$PORT" -pw 'mật-khẩu đúng' -hostkey "$FINGERPRINT" -t \
	    tiepnhan.test@127.0.0.1
fi

# The same answer for an unknown user, a wrong password and a disabled user; three tries.
for who in nobody.test tiepnhan.test khoa.test; do
	rm -f "$TEST_TMP/prompts"
	start=$(now_ms)
	rc=0
	ssh_password 'sai-mật-khẩu' -T "$who@127.0.0.1" </dev/null >"$TEST_TMP/o.$who" 2>&1 || rc=$?
	[ "$rc" = 255 ] || fail "$who with a wrong password: exit $rc"
	[ "$(wc -l <"$TEST_TMP/prompts")" = 3 ] ||
	    fail "$who: $(wc -l <"$TEST_TMP/prompts") password prompts, expected 3"
	sed "s/$who/USER/g" "$TEST_TMP/o.$who" >"$TEST_TMP/n.$who"
done
cmp -s "$TEST_TMP/n.nobody.test" "$TEST_TMP/n.tiepnhan.test" ||
    fail "unknown user and wrong password differ: $(cat "$TEST_TMP/o.nobody.test") / $(cat "$TEST_TMP/o.tiepnhan.test")"
cmp -s "$TEST_TMP/n.nobody.test" "$TEST_TMP/n.khoa.test" || fail "a disabled user is told apart"
expect_in "$(cat "$TEST_TMP/o.nobody.test")" "Permission denied" "the refusal"
[ "$(log_count "too many authentication failures")" = 3 ] ||
    fail "three connections should have ended on too many failures"
log_has "auth failed: password for tiepnhan.test from 127.0.0.1" || fail "failure not logged"

# Nine failures so far from 127.0.0.1 (penalty_failures = 9): new connections are closed.
rc=0
ssh_password 'mật-khẩu đúng' -T tiepnhan.test@127.0.0.1 </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "a penalised source logged in (exit $rc)"
log_has "penalised 127.0.0.1 for 300 s" || fail "no penalty logged"
log_has "refused 127.0.0.1:" || fail "the penalised connection was not refused"
exit 0
