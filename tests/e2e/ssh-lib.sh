# ssh-lib.sh: helpers of the SSH end-to-end tests (sourced after lib.sh, not run).

MKUSER="$top_builddir/tests/tools/mkuser"
[ -x "$MKUSER" ] || fail "tests/tools/mkuser is not built"
command -v ssh >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no ssh client"; exit 77; }

SERVER_PID=
trap 'server_stop; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TEST_TMP"' EXIT

# now_ms: milliseconds since the epoch.
now_ms() {
	date +%s%3N
}

# wait_for SECONDS COMMAND...: poll the command every 0.1 s until it succeeds or time is up.
wait_for() {
	_deadline=$(( $(now_ms) + $1 * 1000 ))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$_deadline" ] || return 1
		sleep 0.1
	done
}

# free_port: print a TCP port that is free on the loopback address.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# log_has TEXT: the server's log contains the text (fixed string).
log_has() {
	grep -qF -- "$1" "$TEST_TMP/serve.log"
}

# log_count TEXT: how many lines of the server's log contain the text.
log_count() {
	grep -cF -- "$1" "$TEST_TMP/serve.log" || true
}

# server_start [CONFIG LINES...]: start motcuad serve on a free port with a fresh data dir
# (or the existing $DATA); sets PORT, DATA, SERVER_PID and FINGERPRINT.
server_start() {
	DATA=${DATA:-$TEST_TMP/data}
	mkdir -p "$DATA"
	PORT=$(free_port)
	printf '%s\n' "$@" >"$DATA/motcuad.conf"
	: >"$TEST_TMP/serve.out"
	"$MOTCUAD" serve --data "$DATA" --catalog "$top_srcdir/catalog" \
	    --listen "127.0.0.1:$PORT" >"$TEST_TMP/serve.out" 2>>"$TEST_TMP/serve.log" &
	SERVER_PID=$!
	wait_for 15 grep -q "listening on" "$TEST_TMP/serve.out" ||
	    fail "the server did not start: $(cat "$TEST_TMP/serve.log")"
	FINGERPRINT=$(sed -n 's/^motcuad: host key [^ ]* //p' "$TEST_TMP/serve.out")
}

# server_stop: stop the server (SIGTERM, then SIGKILL) and wait for it.
server_stop() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	wait_for 10 sh -c "! kill -0 $SERVER_PID 2>/dev/null" ||
	    kill -KILL "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

# add_user LOGIN [mkuser options...]: add a user to the server's store.
add_user() {
	_login=$1
	shift
	"$MKUSER" "$DATA/motcua.db" "$_login" "$@" || fail "cannot add user $_login"
}

# The OpenSSH client, with no user configuration, no agent and a private known_hosts.
ssh_client() {
	SSH_AUTH_SOCK= ssh -F /dev/null -p "$PORT" -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile="$TEST_TMP/known_hosts" -o LogLevel=ERROR \
	    -o ConnectTimeout=10 -o IdentitiesOnly=yes "$@"
}

# ssh_password PASSWORD ARGS...: the client logging in with a password given by SSH_ASKPASS;
# every prompt is counted in $TEST_TMP/prompts.
ssh_password() {
	_password=$1
	shift
	cat >"$TEST_TMP/askpass" <<ASKPASS
#!/bin/sh
echo prompt >>"$TEST_TMP/prompts"
printf '%s\n' '$_password'
ASKPASS
	chmod +x "$TEST_TMP/askpass"
	SSH_ASKPASS="$TEST_TMP/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	    ssh_client -o PubkeyAuthentication=no -o PreferredAuthentications=password \
	    -o NumberOfPasswordPrompts=5 "$@"
}

# ssh_key KEYFILE ARGS...: the client logging in with a key only.
ssh_key() {
	_key=$1
	shift
	ssh_client -o BatchMode=yes -o PreferredAuthentications=publickey -i "$_key" "$@"
}

# session_pid LOGIN: the pid of the session process that authenticated LOGIN last.
session_pid() {
	sed -n "s/.*motcuad\[\([0-9]*\)\] info: auth ok: [a-z]* for $1 from.*/\1/p" \
	    "$TEST_TMP/serve.log" | tail -n 1
}
