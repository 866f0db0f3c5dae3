#!/bin/sh
# ssh-limits.sh: one source cannot hold every login slot: beyond max_unauthenticated_per_source
# its connections are closed at once, connections that never log in count as failures of the
# source (and so lead to its penalty), and a password check waiting for a verification slot
# gives up at the login grace deadline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

# idle CONNECTIONS: open that many silent TCP connections at once and keep them until the
# server closes them; prints "OPEN CLOSED_AT_ONCE FIRST_OPEN LONGEST_SECONDS": how many were
# still open after a second, how many the server closed at once, whether the earliest ones are
# the open ones, and how long the open ones lasted.
idle() {
	python3 - "$PORT" "$1" <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
conns = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), 5)
    conns.append(s)
    time.sleep(0.02)
time.sleep(1.0)
start = time.time()
open_ = []
closed = 0
for s in conns:
    s.setblocking(False)
    try:
        data = s.recv(4096)
        if data == b"":
            closed += 1
        else:
            open_.append(s)
    except BlockingIOError:
        open_.append(s)
    except ConnectionResetError:
        closed += 1
first_open = all(s in open_ for s in conns[:len(open_)])
longest = 0
for s in open_:
    s.setblocking(True)
    s.settimeout(30)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    longest = max(longest, time.time() - start + 1)
print(len(open_), closed, "yes" if first_open else "no", int(longest))
PY
}

server_start "kex_timeout = 2" "login_grace = 3" "penalty_source_failures = 8" \
    "penalty_seconds = 300" "auth_concurrency = 1"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
add_user tiepnhan.test --key "$TEST_TMP/id.pub" --password 'mật khẩu'

# Twenty idle connections from one address: four are served (the default per-source cap),
# the fifth and later are closed at once; the four end at kex_timeout.
set -- $(idle 20)
[ "$1" = 4 ] || fail "$1 idle connections were kept, expected 4"
[ "$2" = 16 ] || fail "$2 idle connections were closed at once, expected 16"
[ "$3" = yes ] || fail "the connections kept were not the first four"
[ "$4" -le 5 ] || fail "the idle connections lasted $4 s"
[ "$(log_count "connections from 127.0.0.1 still authenticating")" = 16 ] ||
    fail "the refusals are not logged: $(log_count "connections from 127.0.0.1 still authenticating")"
wait_for 10 sh -c "[ \$(grep -cF 'key exchange with 127.0.0.1:' '$TEST_TMP/serve.log') -ge 4 ]" ||
    fail "the idle connections did not end at kex_timeout"

# A real login from the same address still works (the command is refused after the login).
rc=0
ssh_key "$TEST_TMP/id" -T tiepnhan.test@127.0.0.1 true </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a login after the idle connections: exit $rc: $(cat "$TEST_TMP/o")"
log_has "auth ok: publickey for tiepnhan.test from 127.0.0.1" || fail "no login logged"
log_has "penalised source" && fail "penalised after 4 idle connections"

# Four more that never log in make 8 failures (penalty_source_failures): the source is
# penalised and its next connection is closed before SSH.
set -- $(idle 4)
[ "$1" = 4 ] || fail "the second round kept $1 connections"
wait_for 10 log_has "penalised source 127.0.0.1 for 300 s after 8 failed logins" ||
    fail "connections that never log in do not lead to a penalty"
rc=0
ssh_key "$TEST_TMP/id" -T tiepnhan.test@127.0.0.1 true </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 255 ] || fail "a penalised source got in: exit $rc"
log_has "source penalised (127.0.0.1, too many failed logins)" || fail "the refusal is not logged"
server_stop

# Over IPv6 a source is a /64: the loopback's is ::/64.
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	rm -f "$TEST_TMP/serve.log"
	DATA=$TEST_TMP/data6
	mkdir -p "$DATA"
	PORT=$(free_port)
	"$MOTCUAD" serve --data "$DATA" --catalog "$top_srcdir/catalog" --listen "[::1]:$PORT" \
	    >"$TEST_TMP/serve.out" 2>>"$TEST_TMP/serve.log" &
	SERVER_PID=$!
	wait_for 15 grep -q "listening on" "$TEST_TMP/serve.out" || fail "serve on [::1]"
	python3 - "$PORT" <<'PY' || fail "IPv6 idle connections: the fifth was not closed at once"
import socket, sys, time
conns = [socket.create_connection(("::1", int(sys.argv[1])), 5) for _ in range(5)]
time.sleep(1.0)
conns[4].settimeout(1)
sys.exit(0 if conns[4].recv(100) == b"" else 1)
PY
	log_has "connections from ::/64 still authenticating" ||
	    fail "IPv6 sources are not grouped by /64: $(grep refused "$TEST_TMP/serve.log")"
	server_stop
	DATA=$TEST_TMP/data
fi

# A password check that cannot get a verification slot (auth_concurrency = 1, its lock held
# elsewhere) gives up at the login grace deadline instead of waiting for the lock.
rm -f "$TEST_TMP/serve.log"
server_start "login_grace = 3" "auth_concurrency = 1"
mkdir -p "$DATA/run"
python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(30)
' "$DATA/run/auth.0.lock" >"$TEST_TMP/locker" &
locker=$!
wait_for 5 grep -q locked "$TEST_TMP/locker" || fail "cannot hold the verification lock"
start=$(now_ms)
rc=0
ssh_password 'mật khẩu' -o NumberOfPasswordPrompts=1 -T tiepnhan.test@127.0.0.1 true \
    </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
took=$(( $(now_ms) - start ))
kill "$locker" 2>/dev/null || true
wait "$locker" 2>/dev/null || true
[ "$rc" = 255 ] || fail "a login without a verification slot: exit $rc"
[ "$took" -le 6000 ] || fail "the attempt waited $took ms for the lock"
wait_for 5 log_has "auth timed out: no password verification slot for 127.0.0.1:" ||
    fail "the timed-out attempt is not logged"
log_has "auth ok: password" && fail "a password was accepted without a slot"

# With the lock free again, the same password logs in.
rc=0
ssh_password 'mật khẩu' -T tiepnhan.test@127.0.0.1 true </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "the password login after the lock was freed: exit $rc: $(cat "$TEST_TMP/o")"
log_has "auth ok: password for tiepnhan.test" || fail "no password login"
exit 0
