#!/bin/sh
# fault-stall.sh: connections that stall before authentication (30 that send the SSH banner
# and nothing more, from ten addresses, and 6 clients left at the password prompt) are each
# dropped at the login grace deadline while a real officer logs in; then brute force: 20
# wrong passwords from one source penalise it (logged, and the client is told why), the
# server's CPU time stays bounded while it is hammered, and the right password works once
# penalty_seconds have passed. FAULT_LONG=1 (make bench) repeats each part FAULT_ROUNDS
# times (default 3) and prints "RESULT WHAT RUNS FAILURES" lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

GRACE=4
PENALTY=5

# round WHAT COMMAND...: fault_round, then follow the server a round restarted in a subshell.
round() {
	fault_round "$@"
	[ ! -s "$TEST_TMP/server.pid" ] || SERVER_PID=$(cat "$TEST_TMP/server.pid")
}

# restart CONFIG LINES...: a fresh log and a server on the same data with this configuration.
restart() {
	server_stop
	: >"$TEST_TMP/serve.log"
	server_start "$@"
	echo "$SERVER_PID" >"$TEST_TMP/server.pid"
}

# cpu_ms: CPU time (user + system, ms) of the listener, the children it reaped and those
# still running.
cpu_ms() {
	_ticks=$(getconf CLK_TCK)
	{
		awk '{ print $14 + $15 + $16 + $17 }' "/proc/$SERVER_PID/stat"
		for _c in $(ps -o pid= --ppid "$SERVER_PID"); do
			awk '{ print $14 + $15 }' "/proc/$_c/stat" 2>/dev/null || true
		done
	} | awk -v t="$_ticks" '{ s += $1 } END { printf "%d\n", s * 1000 / t }'
}

# try_password PASSWORD LOGIN: one connection logging in with the password (up to
# max_auth_tries attempts) without a terminal; the client's output in $TEST_TMP/o, status in rc.
try_password() {
	printf '#!/bin/sh\nprintf "%%s\\n" "%s"\n' "$1" >"$TEST_TMP/askpass-try"
	chmod +x "$TEST_TMP/askpass-try"
	rc=0
	# LogLevel INFO: the client shows the server's banner (the reason for a refusal).
	SSH_AUTH_SOCK= SSH_ASKPASS="$TEST_TMP/askpass-try" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	    ssh -F /dev/null -p "$PORT" -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile="$TEST_TMP/known_hosts" -o LogLevel=INFO -o ConnectTimeout=10 \
	    -o PubkeyAuthentication=no -o PreferredAuthentications=password \
	    -o NumberOfPasswordPrompts=5 -T "$2@127.0.0.1" </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
}

# logged_in: the last try_password logged in (the shell without a terminal is then refused).
logged_in() {
	[ "$rc" = 1 ] && grep -qF "a terminal is required" "$TEST_TMP/o"
}

# ---- pre-authentication stalls --------------------------------------------------------------

# stalls ROUND: the stalled connections, the officer meanwhile, the drops on time.
stalls() {
	: >"$TEST_TMP/serve.log"
	# 30 connections that send the banner and wait, three from each of 127.0.0.2-11.
	python3 - "$PORT" >"$TEST_TMP/stall.out" <<'PY' &
import socket, sys, threading, time
port = int(sys.argv[1])
ends = []
def stall(i):
    s = socket.socket()
    s.bind(("127.0.0.%d" % (2 + i // 3), 0))
    s.connect(("127.0.0.1", port))
    start = time.time()
    s.sendall(b"SSH-2.0-Stall_1.0\r\n")
    s.settimeout(60)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    ends.append((time.time() - start, time.time()))
threads = [threading.Thread(target=stall, args=(i,)) for i in range(30)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(ends), "%.2f" % min(e[0] for e in ends), "%.2f" % max(e[0] for e in ends),
      "%.3f" % min(e[1] for e in ends))
PY
	_stall=$!
	# Six clients left at the password prompt, from 127.0.0.12-17.
	rm -f "$TEST_TMP/unstall"
	cat >"$TEST_TMP/askpass-stall" <<ASKPASS
#!/bin/sh
while [ ! -e "$TEST_TMP/unstall" ]; do sleep 0.2; done
ASKPASS
	chmod +x "$TEST_TMP/askpass-stall"
	_prompts=
	for _a in 12 13 14 15 16 17; do
		SSH_ASKPASS="$TEST_TMP/askpass-stall" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
		    ssh_client -b "127.0.0.$_a" -o PubkeyAuthentication=no \
		    -o PreferredAuthentications=password -T "tiepnhan.tpsl@127.0.0.1" \
		    </dev/null >/dev/null 2>&1 &
		_prompts="$_prompts $!"
	done
	wait_for 20 sh -c "[ \$(grep -cF 'connect from 127.0.0.' '$TEST_TMP/serve.log') -ge 36 ]" ||
	    fail "the stalled connections did not all arrive: $(log_count 'connect from')"

	# Meanwhile a real officer logs in from 127.0.0.1 and reaches the dashboard.
	_start=$(now_ms)
	tui_login "o$1" tiepnhan.tpsl
	_took=$(( $(now_ms) - _start ))
	_at=$(now_ms)
	tui_logout "o$1"
	$TUI_TMUX kill-session -t "o$1"

	wait "$_stall" || fail "the stalling client failed"
	wait_for 10 sh -c "[ \$(grep -cF 'login grace time expired' '$TEST_TMP/serve.log') -ge 6 ]" ||
	    fail "the clients at the password prompt were not dropped at the login grace"
	touch "$TEST_TMP/unstall"
	for _p in $_prompts; do
		wait "$_p" 2>/dev/null || true
	done
	set -- $(cat "$TEST_TMP/stall.out")
	[ "$1" = 30 ] || fail "$1 of the 30 stalled connections ended"
	echo "$TEST_NAME: the officer reached the dashboard in $_took ms among 36 stalled" \
	    "connections; banner-only ones lasted $2 to $3 s (login_grace = $GRACE)"
	# The officer was in while every stalled connection was still held.
	[ "$_at" -lt "$(echo "$4" | awk '{ printf "%.0f", $1 * 1000 }')" ] ||
	    fail "the officer logged in only after the stalled connections were dropped"
	[ "$_took" -le 10000 ] || fail "the officer's login took $_took ms"
	# Each was dropped at the deadline (the server's own count of how long it lasted).
	[ "$(log_count 'disconnect: (not authenticated) from 127.0.0.')" = 36 ] ||
	    fail "not every stalled connection was dropped: $(log_count 'disconnect: (not authenticated)')"
	[ "$(log_count 'login grace time expired')" = 6 ] ||
	    fail "the clients at the password prompt were not dropped at the login grace"
	grep -F 'disconnect: (not authenticated) from 127.0.0.' "$TEST_TMP/serve.log" |
	    sed 's/.* after \([0-9.]*\) s.*/\1/' | sort -n >"$TEST_TMP/durations"
	_min=$(head -n 1 "$TEST_TMP/durations")
	_max=$(tail -n 1 "$TEST_TMP/durations")
	awk -v g="$GRACE" -v lo="$_min" -v hi="$_max" \
	    'BEGIN { exit !(lo >= g - 0.1 && hi <= g + 1.5) }' ||
	    fail "stalled connections lasted $_min to $_max s, the login grace is $GRACE s"
	log_has "auth ok: password for tiepnhan.tpsl from 127.0.0.1:" || fail "no login logged"
}

# ---- brute force -----------------------------------------------------------------------------

# brute ROUND: 20 wrong passwords for one login from 127.0.0.1, four connections of five
# tries: that login is refused from there, with the reason, and nothing is verified any more.
brute() {
	restart "login_grace = 20" "max_auth_tries = 5" "penalty_failures = 20" \
	    "penalty_source_failures = 1000" "penalty_seconds = $PENALTY"
	_cpu0=$(cpu_ms)
	for _i in 1 2 3 4; do
		try_password 'sai-mật-khẩu' tiepnhan.tpsl
		[ "$rc" = 255 ] || fail "wrong passwords: exit $rc: $(cat "$TEST_TMP/o")"
	done
	_cpu1=$(cpu_ms)
	[ "$(log_count "auth failed: password for tiepnhan.tpsl")" = 20 ] ||
	    fail "$(log_count "auth failed: password for tiepnhan.tpsl") failed attempts logged"
	wait_for 5 log_has "penalised login tiepnhan.tpsl from 127.0.0.1 for $PENALTY s after 20 failed logins" ||
	    fail "no penalty after 20 wrong passwords"
	_penalised=$(now_ms)
	# While penalised: 20 more connections, the right password among them; each is told why
	# and none is verified.
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		try_password demo tiepnhan.tpsl
		[ "$rc" = 255 ] || fail "a penalised login got through (exit $rc)"
		grep -qF "Too many failed logins as tiepnhan.tpsl from your address" "$TEST_TMP/o" ||
		    fail "the client was not told why: $(cat "$TEST_TMP/o")"
	done
	_cpu2=$(cpu_ms)
	[ $(( $(now_ms) - _penalised )) -lt $((PENALTY * 1000)) ] ||
	    echo "$TEST_NAME: the machine is slow: the penalty ran out during the flood" >&2
	[ "$(log_count "auth failed: password")" = 20 ] || fail "a penalised password was checked"
	[ "$(log_count "auth ok: password")" = 0 ] || fail "a penalised password was accepted"
	echo "$TEST_NAME: CPU of the server: $((_cpu1 - _cpu0)) ms for 20 wrong passwords," \
	    "$((_cpu2 - _cpu1)) ms for 20 penalised connections"
	[ $((_cpu2 - _cpu1)) -le 2000 ] || fail "20 penalised connections cost $((_cpu2 - _cpu1)) ms"
	[ $((_cpu2 - _cpu1)) -le $((_cpu1 - _cpu0)) ] ||
	    fail "penalised connections cost more than checking passwords"
	# Once the penalty is over, the right password works.
	wait_for $((PENALTY + 15)) sh -c "[ \$(( \$(date +%s%3N) - $_penalised )) -ge $((PENALTY * 1000)) ]"
	try_password demo tiepnhan.tpsl
	logged_in || fail "the right password after the penalty: exit $rc: $(cat "$TEST_TMP/o")"
	[ $(( $(now_ms) - _penalised )) -ge $((PENALTY * 1000 - 1000)) ] ||
	    fail "logged in before the penalty ended"
}

# spray ROUND: 20 wrong passwords from one source over 20 logins: the whole source is
# penalised; its connections are closed before SSH at little cost; then it is let in again.
spray() {
	restart "login_grace = 20" "max_auth_tries = 1" "penalty_failures = 5" \
	    "penalty_source_failures = 20" "penalty_seconds = $PENALTY"
	_i=0
	while [ "$_i" -lt 20 ]; do
		_i=$((_i + 1))
		try_password 'sai-mật-khẩu' "khach$_i.test"
		[ "$rc" = 255 ] || fail "a wrong password: exit $rc"
	done
	wait_for 5 log_has "penalised source 127.0.0.1 for $PENALTY s after 20 failed logins" ||
	    fail "no penalty of the source after 20 wrong passwords"
	_penalised=$(now_ms)
	_cpu1=$(cpu_ms)
	_i=0
	while [ "$_i" -lt 20 ]; do
		_i=$((_i + 1))
		try_password demo tiepnhan.tpsl
		[ "$rc" = 255 ] || fail "a penalised source got in (exit $rc)"
		grep -qiE "connection (closed|reset)" "$TEST_TMP/o" ||
		    fail "the client of a penalised source saw: $(cat "$TEST_TMP/o")"
	done
	_cpu2=$(cpu_ms)
	echo "$TEST_NAME: CPU of the server: $((_cpu2 - _cpu1)) ms for 20 connections of a" \
	    "penalised source"
	[ $((_cpu2 - _cpu1)) -le 500 ] || fail "20 refused connections cost $((_cpu2 - _cpu1)) ms"
	[ "$(log_count "source penalised (127.0.0.1, too many failed logins)")" -ge 20 ] ||
	    fail "the refusals are not logged"
	wait_for $((PENALTY + 15)) sh -c "[ \$(( \$(date +%s%3N) - $_penalised )) -ge $((PENALTY * 1000)) ]"
	try_password demo tiepnhan.tpsl
	logged_in || fail "the right password after the source's penalty: exit $rc: $(cat "$TEST_TMP/o")"
}

tui_setup
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.17", 0))' 2>/dev/null ||
    { echo "$TEST_NAME: SKIP: cannot bind to 127.0.0.2-17"; exit 77; }
# Every stalled connection ends at the login grace; the key exchange may not outlast it.
tui_server_start "login_grace = $GRACE" "kex_timeout = $GRACE" "max_unauthenticated = 64"
echo "$SERVER_PID" >"$TEST_TMP/server.pid"
rounds=$(fault_rounds 3)
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	round pre-auth-stall stalls "$r"
done
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	round brute-force-login brute "$r"
	round brute-force-source spray "$r"
done
fault_results
exit 0
