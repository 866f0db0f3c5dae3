#!/bin/sh
# fault-requests.sh: out-of-place requests that ssh-refuse.sh does not send, made on the
# connection of a working interface session: agent forwarding (-A with an agent), X11
# forwarding (-X with a fake DISPLAY), remote and local forwards asked with the session, and
# through the same connection (a ControlMaster): a second session, a shell without a pty, a
# command, an unknown subsystem, forwards added later. Each is refused (no agent or X11
# channel, nothing forwarded, nothing reaches the interface's environment) and the interface
# session keeps working and ends cleanly. FAULT_LONG=1 (make bench) repeats it FAULT_ROUNDS
# times (default 5) and prints "RESULT WHAT RUNS FAILURES".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

# open_agent NAME ARGS...: like tui_open, but the client has the agent and a fake display.
open_agent() {
	_w=$1
	shift
	{
		echo '#!/bin/sh'
		printf 'SSH_AUTH_SOCK=%s SSH_ASKPASS=%s SSH_ASKPASS_REQUIRE=force DISPLAY=:99 ' \
		    "$TEST_TMP/agent.sock" "$TEST_TMP/askpass-demo"
		printf 'ssh -tt -F /dev/null -p %s -o StrictHostKeyChecking=no ' "$PORT"
		printf -- '-o UserKnownHostsFile=%s -o ConnectTimeout=10 ' "$TEST_TMP/known_hosts"
		printf -- '-o PubkeyAuthentication=no -o PreferredAuthentications=password'
		for _o in "$@"; do
			printf " '%s'" "$_o"
		done
		printf ' tiepnhan.tpsl@127.0.0.1\n'
		echo 'echo "SSH-EXITED $?"'
		echo 'exec sleep 600'
	} >"$TEST_TMP/connect-$_w"
	chmod +x "$TEST_TMP/connect-$_w"
	tui_window "$_w" "$TEST_TMP/connect-$_w"
}

# mux ARGS...: a client through the master connection of this round (never a connection of
# its own: the client falls back to one when the master's request fails); status in rc,
# output in $TEST_TMP/mux.out.
mux() {
	rc=0
	SSH_AUTH_SOCK= timeout 20 ssh -F /dev/null -p "$PORT" -o ControlMaster=no \
	    -o ControlPath="$TEST_TMP/cm-$R" -o LogLevel=ERROR -o BatchMode=yes \
	    -o ProxyCommand=false "$@" </dev/null >"$TEST_TMP/mux.out" 2>&1 || rc=$?
}

# mux_refused ARGS...: a second session through the master is refused by the server.
mux_refused() {
	_seen=$(grep -c "open failed: administratively prohibited" "$log" || true)
	mux "$@"
	[ "$rc" != 0 ] || fail "a second session ($*) through the master: exit 0"
	[ "$(grep -c "open failed: administratively prohibited" "$log")" = $((_seen + 1)) ] ||
	    fail "a second session ($*) was not refused by the server: $(tail -n 3 "$log")"
}

# sane NAME: the interface in the window still answers: the intake search and back.
sane() {
	tui_keys "$1" F2
	tui_wait "$1" "Tìm thủ tục"
	tui_type "$1" "2.000815"
	tui_wait "$1" "> 2.000815"
	tui_keys "$1" F9
	tui_wait "$1" "Tổng quan"
}

# no_data PORT: a connection to the local port is closed without receiving anything.
no_data() {
	python3 - "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.settimeout(10)
try:
    data = s.recv(100)
except ConnectionResetError:
    data = b""
sys.exit(0 if data == b"" else 1)
PY
}

# requests R: one interface session with every request on its connection.
requests() {
	R=$1
	w=m$R
	lport=$(free_port)
	mport=$(free_port)
	rport=$(free_port)
	_before=$(log_count "auth ok: password for tiepnhan.tpsl")
	open_agent "$w" -v -E "$TEST_TMP/client-$R.log" -A -Y \
	    -L "$lport:127.0.0.1:$PORT" -R "$rport:127.0.0.1:$PORT" \
	    -o ControlMaster=yes -o "ControlPath=$TEST_TMP/cm-$R"
	tui_wait "$w" "Tổng quan" 20
	spid=$(session_pid tiepnhan.tpsl)
	ipid=$(ps -o pid= --ppid "$spid" | tr -d ' ')
	[ -n "$ipid" ] || fail "no interface process under session $spid"

	# Asked with the session: agent and X11 forwarding, a remote forward: refused.
	log=$TEST_TMP/client-$R.log
	grep -qF "Requesting authentication agent forwarding" "$log" ||
	    fail "the client did not ask for agent forwarding"
	wait_for 5 grep -qF "X11 forwarding request failed on channel" "$log" ||
	    fail "X11 forwarding was not refused: $(grep -i x11 "$log")"
	wait_for 5 grep -qF "remote port forwarding failed for listen port $rport" "$log" ||
	    fail "the remote forward was not refused"
	port_listening "$rport" && fail "something listens on the refused remote port"
	# Nothing of them reaches the interface: no agent socket, no display.
	tr '\0' '\n' <"/proc/$ipid/environ" >"$TEST_TMP/environ"
	grep -qE '^(SSH_AUTH_SOCK|DISPLAY|SSH_CONNECTION|SSH_CLIENT)=' "$TEST_TMP/environ" &&
	    fail "the interface got: $(grep -E '^(SSH_AUTH_SOCK|DISPLAY)=' "$TEST_TMP/environ")"
	sane "$w"

	# The local forward asked with the session: a connection through it gets nothing.
	no_data "$lport" || fail "the local forward carried data"
	sane "$w"

	# Through the same connection: a second session, without a pty, with a command, with an
	# unknown subsystem, with a pty; new forwards. All refused.
	_conns=$(log_count "connect from")
	mux_refused -T tiepnhan.tpsl@127.0.0.1
	mux_refused -T tiepnhan.tpsl@127.0.0.1 'touch /tmp/motcua-must-not-exist-fault'
	[ ! -e /tmp/motcua-must-not-exist-fault ] || fail "a command ran"
	mux_refused -s tiepnhan.tpsl@127.0.0.1 motcua-no-such-subsystem
	mux_refused -tt tiepnhan.tpsl@127.0.0.1
	# (A port of its own: the client answers for one it already asked for.)
	rport2=$(free_port)
	mux -O forward -R "$rport2:127.0.0.1:$PORT" tiepnhan.tpsl@127.0.0.1
	[ "$rc" != 0 ] || fail "a remote forward added later was accepted: $(cat "$TEST_TMP/mux.out")"
	grep -qF "remote port forwarding failed" "$TEST_TMP/mux.out" ||
	    fail "the later remote forward: $(cat "$TEST_TMP/mux.out")"
	port_listening "$rport2" && fail "something listens on the refused remote port"
	mux -O forward -L "$mport:127.0.0.1:$PORT" tiepnhan.tpsl@127.0.0.1
	[ "$rc" = 0 ] || fail "the client could not add a local forward: $(cat "$TEST_TMP/mux.out")"
	no_data "$mport" || fail "the local forward added later carried data"
	grep -qF "ctype auth-agent" "$log" && fail "the server opened an agent channel"
	grep -qF "ctype x11" "$log" && fail "the server opened an X11 channel"

	# The interface session is still sane, and it was one connection all along.
	sane "$w"
	kill -0 "$spid" || fail "the session process $spid is gone"
	[ "$(log_count "auth ok: password for tiepnhan.tpsl")" = $((_before + 1)) ] &&
	    [ "$(log_count "connect from")" = "$_conns" ] || fail "the requests made new connections"
	tui_logout "$w"
	$TUI_TMUX kill-session -t "$w"
	wait_for 10 sh -c "! kill -0 $spid 2>/dev/null" || fail "the session did not end"
}

# subsystem: an unknown subsystem on a connection of its own: refused and logged.
subsystem() {
	_seen=$(log_count "refused: subsystem for tiepnhan.tpsl")
	rc=0
	ssh_password demo -s tiepnhan.tpsl@127.0.0.1 motcua-no-such-subsystem \
	    </dev/null >"$TEST_TMP/o" 2>&1 || rc=$?
	[ "$rc" != 0 ] || fail "an unknown subsystem was accepted"
	grep -qF "subsystem request failed" "$TEST_TMP/o" ||
	    fail "the client was not told: $(cat "$TEST_TMP/o")"
	wait_for 5 sh -c "[ \$(grep -cF 'refused: subsystem for tiepnhan.tpsl' '$TEST_TMP/serve.log') -gt $_seen ]" ||
	    fail "the refusal is not logged"
}

tui_setup
command -v ssh-agent >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no ssh-agent"; exit 77; }
tui_server_start
# An agent with a key in it, offered for forwarding.
ssh-agent -a "$TEST_TMP/agent.sock" >"$TEST_TMP/agent.env"
agent=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$TEST_TMP/agent.env")
TUI_PIDS="$TUI_PIDS $agent"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
SSH_AUTH_SOCK=$TEST_TMP/agent.sock ssh-add -q "$TEST_TMP/id" 2>/dev/null ||
    fail "cannot load the agent"
rounds=$(fault_rounds 5)
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	fault_round out-of-place-requests requests "$r"
	fault_round unknown-subsystem subsystem
done
fault_results
exit 0
