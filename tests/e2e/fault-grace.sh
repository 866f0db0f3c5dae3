#!/bin/sh
# fault-grace.sh: the login grace bounds the whole time before authentication, the key
# exchange included: with login_grace shorter than kex_timeout, a client that sends the SSH
# banner and nothing more is dropped at the login grace deadline, not at kex_timeout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

server_start "login_grace = 3" "kex_timeout = 20"
held=$(python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
start = time.time()
s.sendall(b"SSH-2.0-Stall_1.0\r\n")
s.settimeout(30)
try:
    while s.recv(4096):
        pass
except OSError:
    pass
print("%.1f" % (time.time() - start))
PY
)
awk -v h="$held" 'BEGIN { exit !(h <= 4.5) }' ||
    fail "a connection stalled in the key exchange was held $held s; login_grace is 3 s"
exit 0
