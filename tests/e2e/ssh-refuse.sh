#!/bin/sh
# ssh-refuse.sh: what the server does not do is refused cleanly: commands, a shell without a
# terminal, subsystems, port forwarding in both directions.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

server_start
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
add_user tiepnhan.test --key "$TEST_TMP/id.pub"

# client ARGS...: log in with the key; output in $out, status in $rc.
client() {
	rc=0
	ssh_key "$TEST_TMP/id" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	out=$(cat "$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}

# A command: a message on stderr and exit status 1; nothing runs.
client tiepnhan.test@127.0.0.1 'touch /tmp/motcua-must-not-exist; id'
[ "$rc" = 1 ] || fail "exec: exit status $rc, expected 1"
expect_in "$err" "motcua: commands are for administrators" "exec refused"
[ -z "$out" ] || fail "exec printed: $out"
[ ! -e /tmp/motcua-must-not-exist ] || fail "a command ran"
log_has "refused: command for tiepnhan.test" || fail "exec refusal not logged"

# The same with a terminal.
client -tt tiepnhan.test@127.0.0.1 id
[ "$rc" = 1 ] || fail "exec with a pty: exit status $rc"
expect_in "$out$err" "motcua: commands are for administrators" "exec with a pty refused"

# A shell without a terminal.
client -T tiepnhan.test@127.0.0.1
[ "$rc" = 1 ] || fail "shell without a pty: exit status $rc, expected 1"
expect_in "$err" "motcua: a terminal is required (use ssh -t)" "shell without a pty"

# A subsystem.
client -s tiepnhan.test@127.0.0.1 sftp
[ "$rc" != 0 ] || fail "the sftp subsystem was accepted"
log_has "refused: subsystem for tiepnhan.test" || fail "subsystem refusal not logged"

# Local forwarding (a direct-tcpip channel): refused.
client -o ExitOnForwardFailure=yes -W "127.0.0.1:$PORT" tiepnhan.test@127.0.0.1
[ "$rc" = 255 ] || fail "-W: exit status $rc"
expect_in "$err" "stdio forwarding failed" "direct-tcpip refused"
lport=$(free_port)
client -o ExitOnForwardFailure=yes -N -L "$lport:127.0.0.1:$PORT" tiepnhan.test@127.0.0.1 &
lpid=$!
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $lport), 1)" ||
    fail "-L did not listen"
got=$(python3 -c "
import socket
s = socket.create_connection(('127.0.0.1', $lport), 5)
s.settimeout(5)
try:
    print(len(s.recv(100)))
except Exception as e:
    print('error', e)
")
[ "$got" = 0 ] || fail "a forwarded connection got data: $got"
pkill -TERM -P "$lpid" 2>/dev/null || true
kill "$lpid" 2>/dev/null || true
wait "$lpid" 2>/dev/null || true

# Remote forwarding (tcpip-forward): refused.
client -o ExitOnForwardFailure=yes -N -R "$(free_port):127.0.0.1:22" tiepnhan.test@127.0.0.1
[ "$rc" = 255 ] || fail "-R: exit status $rc"
expect_in "$err" "remote port forwarding failed" "-R refused"

# Every session ended and was logged.
wait_for 10 sh -c "[ \$(grep -cF 'disconnect: tiepnhan.test' '$TEST_TMP/serve.log') -ge 7 ]" ||
    fail "not every refused session ended: $(grep -c 'disconnect:' "$TEST_TMP/serve.log")"
exit 0
