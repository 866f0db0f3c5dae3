#!/bin/sh
# ssh-survive.sh: limits and failures: connections that never log in, the cap on
# unauthenticated connections, the per-user session cap, a session process killed, a client
# that vanishes, a link that goes silent, and SIGTERM ending every session.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

# hold_raw SECONDS: open a TCP connection to the server and keep it silent; prints how long
# it stayed open (seconds, or "open" if it outlived SECONDS).
hold_raw() {
	python3 - "$PORT" "$1" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.settimeout(float(sys.argv[2]))
start = time.time()
try:
    while s.recv(4096):
        pass
    print(int(time.time() - start))
except socket.timeout:
    print("open")
PY
}

# ---- 1: connections that never authenticate --------------------------------------------
server_start "kex_timeout = 2" "login_grace = 4" "max_unauthenticated = 2"

# A client that never finishes the key exchange is dropped after kex_timeout.
held=$(hold_raw 15)
[ "$held" != open ] && [ "$held" -le 4 ] || fail "a silent connection stayed ${held}"
log_has "key exchange with 127.0.0.1:" || fail "the failed key exchange is not logged"

# Beyond max_unauthenticated, connections are closed at once.
hold_raw 10 >"$TEST_TMP/h1" &
h1=$!
hold_raw 10 >"$TEST_TMP/h2" &
h2=$!
wait_for 10 sh -c "[ \$(grep -cF 'connect from' '$TEST_TMP/serve.log') -ge 3 ]" ||
    fail "the two held connections did not arrive"
held=$(hold_raw 10)
[ "$held" = 0 ] || fail "a connection beyond max_unauthenticated stayed ${held}"
log_has "connections still authenticating" || fail "the refusal is not logged"
wait "$h1" "$h2"
server_stop

# ---- 2: sessions ------------------------------------------------------------------------
rm -f "$TEST_TMP/serve.log"
server_start "max_sessions_per_user = 2" "keepalive_interval = 1" "keepalive_count = 3" \
    "login_grace = 120"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
add_user tiepnhan.test --key "$TEST_TMP/id.pub"

# hold_session: an authenticated connection without a channel, kept open in the background;
# sets HOLD (the client's pid) once the server logged the login.
hold_session() {
	_seen=$(log_count "auth ok: publickey for tiepnhan.test")
	SSH_AUTH_SOCK= ssh -F /dev/null -p "$PORT" -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile="$TEST_TMP/known_hosts" -o LogLevel=ERROR -o BatchMode=yes \
	    -o IdentitiesOnly=yes -i "$TEST_TMP/id" -N "$@" tiepnhan.test@127.0.0.1 \
	    </dev/null >/dev/null 2>&1 &
	HOLD=$!
	wait_for 15 sh -c "[ \$(grep -cF 'auth ok: publickey for tiepnhan.test' '$TEST_TMP/serve.log') -gt $_seen ]" ||
	    fail "the held session did not log in"
}

hold_session
first=$HOLD
first_pid=$(session_pid tiepnhan.test)
hold_session
second=$HOLD

# A third session of the same user is refused with a message.
rc=0
ssh_key "$TEST_TMP/id" -tt tiepnhan.test@127.0.0.1 </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a third session: exit status $rc"
expect_in "$(cat "$TEST_TMP/o")" "you already have the most sessions allowed open" "per-user cap"
log_has "(refused: too many sessions of this user)" || fail "per-user refusal not logged"

# The listener survives a session process killed with SIGKILL; its place is free again.
kill -KILL "$first_pid"
wait_for 10 log_has "session process $first_pid (tiepnhan.test from 127.0.0.1:" ||
    fail "the killed session is not logged"
log_has "ended by signal 9" || fail "the signal is not logged"
kill "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
kill -0 "$SERVER_PID" || fail "the listener died with its child"
hold_session
third=$HOLD
third_pid=$(session_pid tiepnhan.test)

# A client that vanishes: its session ends.
before=$(log_count "disconnect: tiepnhan.test")
kill -KILL "$second"
wait "$second" 2>/dev/null || true
wait_for 10 sh -c "[ \$(grep -cF 'disconnect: tiepnhan.test' '$TEST_TMP/serve.log') -gt $before ]" ||
    fail "the session of a vanished client did not end"

# A link that goes silent (a blackhole): gone within keepalive_interval * count + slack.
linkem="$top_builddir/tests/tools/linkem"
if [ -x "$linkem" ]; then
	lport=$(free_port)
	"$linkem" --listen "$lport" --connect "127.0.0.1:$PORT" --blackhole-after-seconds 3 \
	    >/dev/null 2>&1 &
	relay=$!
	wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $lport), 1)" ||
	    fail "the relay did not start"
	realport=$PORT
	PORT=$lport
	hold_session -o ServerAliveInterval=0
	PORT=$realport
	silent=$HOLD
	start=$(now_ms)
	wait_for 15 log_has "link dead (keepalives unanswered)" ||
	    fail "the blackholed session was not reaped"
	took=$(( $(now_ms) - start ))
	[ "$took" -le 9000 ] || fail "the dead link took ${took} ms to reap"
	kill "$silent" "$relay" 2>/dev/null || true
	wait "$silent" "$relay" 2>/dev/null || true
else
	echo "$TEST_NAME: linkem not built; blackhole not tested" >&2
fi

# SIGTERM ends the listener and every session.
kill -0 "$third_pid" || fail "the third session is not running"
server_stop
kill -0 "$third_pid" 2>/dev/null && fail "a session outlived the listener"
log_has "disconnect: tiepnhan.test from 127.0.0.1:" || fail "no disconnect line"
grep "motcuad\[$third_pid\]" "$TEST_TMP/serve.log" | grep -qF "server shutting down" ||
    fail "the session did not log the shutdown"
kill "$third" 2>/dev/null || true
wait "$third" 2>/dev/null || true
exit 0
