#!/bin/sh
# ssh-auth.sh: password and key logins with the OpenSSH client and PuTTY's plink; the same
# refusal for unknown users, wrong passwords and disabled users; three wrong passwords end
# the connection; repeated failures penalise a login from a source (with a reason the client
# sees) while other logins from there still work, and many failures the whole source.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

server_start "max_auth_tries = 3" "penalty_failures = 4" "penalty_source_failures = 13" \
    "penalty_window = 300" "penalty_seconds = 300"
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

# Key login; the unsigned probe of a key the user does not hold is refused. Each of the two
# refused connections ends without a failed attempt: one failure of the login it named.
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

# Failures so far from 127.0.0.1: tuphap.test 1, tiepnhan.test 1 + 3, nobody.test 3,
# khoa.test 3; 11 for the source. tiepnhan.test reached penalty_failures = 4: it is refused
# from here, even with the right password, and the client is told why.
log_has "penalised login tiepnhan.test from 127.0.0.1 for 300 s after 4 failed logins" ||
    fail "no penalty of the login logged"
log_has "penalised source" && fail "the source was penalised too early"
oks=$(log_count "auth ok: password for tiepnhan.test")
fails=$(log_count "auth failed:")
rc=0
cat >"$TEST_TMP/askpass-right" <<'ASKPASS'
#!/bin/sh
printf '%s\n' 'mật-khẩu đúng'
ASKPASS
chmod +x "$TEST_TMP/askpass-right"
SSH_AUTH_SOCK= SSH_ASKPASS="$TEST_TMP/askpass-right" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
    ssh -F /dev/null -p "$PORT" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile="$TEST_TMP/known_hosts" -o LogLevel=INFO -o PubkeyAuthentication=no \
    -o PreferredAuthentications=password -T tiepnhan.test@127.0.0.1 </dev/null \
    >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "a penalised login logged in (exit $rc)"
expect_in "$(cat "$TEST_TMP/o")" \
    "Too many failed logins as tiepnhan.test from your address; try again in 5 minutes" \
    "the reason for the refusal"
log_has "refused: login tiepnhan.test from 127.0.0.1:" || fail "the refused login is not logged"
[ "$(log_count "auth ok: password for tiepnhan.test")" = "$oks" ] &&
    [ "$(log_count "auth failed:")" = "$fails" ] || fail "the penalised login's password was checked"

# Another officer of the same office (the same address) still logs in.
interactive_login "auth ok: publickey for tuphap.test from 127.0.0.1" \
    ssh_key "$TEST_TMP/id_officer" -tt tuphap.test@127.0.0.1

# Two more failures make 13 for the source (penalty_source_failures): every new connection
# from it is closed before SSH starts.
rc=0
ssh_password 'sai-mật-khẩu' -T nobody2.test@127.0.0.1 </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "nobody2.test: exit $rc"
log_has "penalised source 127.0.0.1 for 300 s after 13 failed logins" ||
    fail "no penalty of the source logged"
rc=0
ssh_key "$TEST_TMP/id_officer" -T tuphap.test@127.0.0.1 </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "a penalised source logged in (exit $rc)"
grep -q "refused 127.0.0.1:[0-9]*: source penalised (127.0.0.1, too many failed logins) for [0-9]* more s; closed before SSH" \
    "$TEST_TMP/serve.log" || fail "the penalised connection was not refused"
exit 0
