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

# ---------------------------------------------------------------------------------------------
# The officers' interface driven over `ssh -tt` in tmux (the tui-*.sh tests). Each window runs
# one client; the screen is polled with deadlines. Call tui_setup first.

# tui_setup: check the tools, fix the clock and make cleanup end tmux and the relays too.
tui_setup() {
	command -v tmux >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no tmux"; exit 77; }
	command -v sqlite3 >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no sqlite3"; exit 77; }
	# A Thursday, inside office hours: the demo's dossiers are dated around it.
	MOTCUA_NOW=${MOTCUA_NOW:-2026-11-26 10:00}
	export MOTCUA_NOW
	TUI_TMUX="tmux -L motcua-$TEST_NAME-$$ -f /dev/null"
	TUI_PIDS=
	trap 'tui_cleanup' EXIT
	cat >"$TEST_TMP/askpass-demo" <<'ASKPASS'
#!/bin/sh
echo demo
ASKPASS
	chmod +x "$TEST_TMP/askpass-demo"
}

# tui_cleanup: end the windows, the relays and the server; remove the scratch directory.
tui_cleanup() {
	$TUI_TMUX kill-server 2>/dev/null || true
	for _pid in $TUI_PIDS; do
		kill "$_pid" 2>/dev/null || true
	done
	server_stop
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TEST_TMP"
}

# tui_server_start [CONFIG LINES...]: make the demo province in a fresh data dir (the demo
# serves once it is ready; it is stopped then), and serve it on a free port.
tui_server_start() {
	DATA=$TEST_TMP/data
	: >"$TEST_TMP/demo.out"
	"$MOTCUAD" demo --data "$DATA" --listen "127.0.0.1:$(free_port)" \
	    --catalog "$top_srcdir/catalog" >"$TEST_TMP/demo.out" 2>&1 &
	_demo=$!
	wait_for 60 grep -q '^motcuad: listening on' "$TEST_TMP/demo.out" ||
	    { kill "$_demo" 2>/dev/null; fail "the demo did not get ready: $(cat "$TEST_TMP/demo.out")"; }
	kill "$_demo"
	wait "$_demo" 2>/dev/null || true
	server_start "$@"
}

# db SQL: run a query on the server's store (read while the server runs).
db() {
	sqlite3 -cmd '.timeout 5000' "$DATA/motcua.db" "$1"
}

# tui_open NAME LOGIN [SSH OPTIONS...]: a new 100×30 window NAME in which LOGIN connects with
# `ssh -tt` and the password demo; when the client ends, the window shows "SSH-EXITED status".
tui_open() {
	_name=$1
	_login=$2
	shift 2
	{
		echo '#!/bin/sh'
		printf 'SSH_AUTH_SOCK= SSH_ASKPASS=%s SSH_ASKPASS_REQUIRE=force DISPLAY=:0 ' \
		    "$TEST_TMP/askpass-demo"
		printf 'ssh -tt -F /dev/null -p %s -o StrictHostKeyChecking=no ' "${TUI_PORT:-$PORT}"
		printf -- '-o UserKnownHostsFile=%s -o LogLevel=ERROR ' "$TEST_TMP/known_hosts"
		printf -- '-o ConnectTimeout=10 -o PubkeyAuthentication=no '
		printf -- '-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1'
		for _o in "$@"; do
			printf " '%s'" "$_o"
		done
		printf ' %s@127.0.0.1\n' "$_login"
		echo 'echo "SSH-EXITED $?"'
		echo 'exec sleep 600'
	} >"$TEST_TMP/connect-$_name"
	chmod +x "$TEST_TMP/connect-$_name"
	tui_window "$_name" "$TEST_TMP/connect-$_name"
}

# tui_window NAME COMMAND: a new 100×30 window NAME running the command (a shell string).
tui_window() {
	if $TUI_TMUX has-session 2>/dev/null; then
		$TUI_TMUX new-session -d -s "$1" -x 100 -y 30 "$2"
	else
		$TUI_TMUX new-session -d -s "$1" -x 100 -y 30 "$2" \; \
		    set-option -g default-size 100x30
	fi
}

# tui_login NAME LOGIN [SSH OPTIONS...]: connect and wait for the dashboard.
tui_login() {
	tui_open "$@"
	tui_wait "$1" "Tổng quan" 20
}

# tui_screen NAME: the text of the window now.
tui_screen() {
	$TUI_TMUX capture-pane -p -t "$1"
}

# tui_keys NAME KEY...: press keys (tmux key names: F2, Enter, Tab, C-u…).
tui_keys() {
	_name=$1
	shift
	$TUI_TMUX send-keys -t "$_name" "$@"
}

# tui_type NAME TEXT: type the text literally (control characters included).
tui_type() {
	$TUI_TMUX send-keys -t "$1" -l -- "$2"
}

# tui_shows NAME TEXT: the window shows the text now (a fixed string).
tui_shows() {
	tui_screen "$1" | grep -qF -- "$2"
}

# tui_wait NAME TEXT [SECONDS]: poll the window until it shows the text, or fail.
tui_wait() {
	_deadline=$(( $(now_ms) + ${3:-15} * 1000 ))
	until tui_shows "$1" "$2"; do
		if [ "$(now_ms)" -ge "$_deadline" ]; then
			tui_screen "$1" >&2
			fail "window $1 never showed '$2'"
		fi
		sleep 0.1
	done
}

# tui_gone NAME TEXT [SECONDS]: poll the window until it no longer shows the text, or fail.
tui_gone() {
	_deadline=$(( $(now_ms) + ${3:-15} * 1000 ))
	while tui_shows "$1" "$2"; do
		if [ "$(now_ms)" -ge "$_deadline" ]; then
			tui_screen "$1" >&2
			fail "window $1 still shows '$2'"
		fi
		sleep 0.1
	done
}

# tui_exited NAME [STATUS]: the client in the window has ended (with that status); the lines the
# terminal wrapped are joined, as the interface may leave the cursor in the last column.
tui_exited() {
	$TUI_TMUX capture-pane -p -J -t "$1" | grep -qF "SSH-EXITED${2:+ $2}"
}

# tui_await NAME TEXT [SECONDS]: poll the window until it shows the text (0) or its client
# ended (1); fail after the seconds (30).
tui_await() {
	_deadline=$(( $(now_ms) + ${3:-30} * 1000 ))
	until tui_shows "$1" "$2"; do
		tui_exited "$1" && return 1
		if [ "$(now_ms)" -ge "$_deadline" ]; then
			tui_screen "$1" >&2
			fail "window $1 never showed '$2'"
		fi
		sleep 0.1
	done
}

# tui_logout NAME: F10 logs out; the client ends with status 0.
tui_logout() {
	tui_keys "$1" F10
	tui_wait "$1" "SSH-EXITED 0"
}

# tui_code NAME: the first dossier code the window shows.
tui_code() {
	tui_screen "$1" | grep -oE '[A-Z]+-[0-9]{6}-[0-9]{4}' | head -n 1
}

# tui_client_pid NAME: the pid of the client (ssh, plink) running in the window.
tui_client_pid() {
	_shell=$($TUI_TMUX display-message -p -t "$1" '#{pane_pid}')
	ps -o pid=,comm= --ppid "$_shell" | awk '$2 == "ssh" || $2 == "plink" { print $1 }'
}

# tui_record NAME FILE: append every byte the window's client writes from now on to the file.
tui_record() {
	$TUI_TMUX pipe-pane -o -t "$1" "cat >>'$2'"
}

# tui_intake_start NAME QUERY CODE: open the intake, search, choose the procedure.
tui_intake_start() {
	tui_keys "$1" F2
	tui_wait "$1" "Tìm thủ tục"
	tui_type "$1" "$2"
	tui_wait "$1" "> $3"
	tui_keys "$1" Enter
	tui_wait "$1" "Hẹn trả kết quả nếu tiếp nhận bây giờ"
}

# tui_open_dossier NAME CODE: F4, type the code, Enter.
tui_open_dossier() {
	tui_keys "$1" F4
	tui_wait "$1" "Mã hồ sơ (ví dụ"
	tui_type "$1" "$2"
	tui_keys "$1" Enter
}

# tui_menu_pick NAME TEXT: choose the menu line that shows the text by its number.
tui_menu_pick() {
	tui_wait "$1" "$2"
	_n=$(tui_screen "$1" | grep -F -- "$2" | sed -n 's/^[^0-9]*\([0-9]\)\. .*/\1/p' | head -n 1)
	[ -n "$_n" ] || fail "no numbered menu line with '$2'"
	tui_keys "$1" "$_n"
}

# port_listening PORT: something listens on the loopback port.
port_listening() {
	grep -qi ":$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp
}

# linkem_start ARGS...: a link emulator in front of the server; sets LINK_PORT.
linkem_start() {
	LINK_PORT=$(free_port)
	"$top_builddir/tests/tools/linkem" --listen "$LINK_PORT" --connect "127.0.0.1:$PORT" \
	    "$@" >"$TEST_TMP/linkem.out" 2>&1 &
	TUI_PIDS="$TUI_PIDS $!"
	wait_for 10 port_listening "$LINK_PORT" || fail "linkem did not start"
}

# tui_receive NAME APPLICANT ID: receive a dossier of 2.000815 for the applicant; sets CODE.
tui_receive() {
	tui_intake_start "$1" "2.000815" 2.000815
	tui_type "$1" "$2"
	tui_keys "$1" Tab
	tui_type "$1" "$3"
	tui_keys "$1" Tab
	tui_keys "$1" F5
	tui_wait "$1" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
	CODE=$(tui_code "$1")
	[ -n "$CODE" ] || fail "no dossier code on the receipt"
	tui_wait "$1" "Đã tiếp nhận hồ sơ $CODE"
}

# tui_act NAME KEY LABEL: take the action of the key on the open dossier, with no note.
tui_act() {
	tui_keys "$1" "$2"
	tui_wait "$1" "ghi chú (không bắt buộc)"
	tui_keys "$1" Enter
	tui_wait "$1" "Đã thực hiện: $3"
}

# relay_command FLAG: a ProxyCommand to the server that passes everything while the file FLAG
# does not exist, and then drops what the server sends (the client sees nothing more).
relay_command() {
	cat >"$TEST_TMP/relay.py" <<'RELAY'
import os, select, socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
while True:
    ready = select.select([0, s], [], [])[0]
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            break
        s.sendall(data)
    if s in ready:
        data = s.recv(65536)
        if not data:
            break
        if not os.path.exists(sys.argv[3]):
            os.write(1, data)
RELAY
	printf 'ProxyCommand=python3 %s 127.0.0.1 %s %s' "$TEST_TMP/relay.py" "$PORT" "$1"
}

# tui_record_stop NAME: stop recording the window's bytes.
tui_record_stop() {
	$TUI_TMUX pipe-pane -t "$1"
}

# ---- fault tests (fault-*.sh): rounds that FAULT_LONG=1 (make bench) repeats -----------------

# fault_rounds N: how many rounds to run: FAULT_ROUNDS (default N) in long mode, else 1.
fault_rounds() {
	if [ -n "${FAULT_LONG:-}" ]; then
		echo "${FAULT_ROUNDS:-$1}"
	else
		echo 1
	fi
}

# fault_round WHAT COMMAND...: run one round; in long mode in a subshell, counting its failure
# (FAULT_RC is its status) so that the next round runs.
fault_round() {
	_what=$1
	shift
	FAULT_RC=0
	if [ -n "${FAULT_LONG:-}" ]; then
		( "$@" ) || FAULT_RC=$?
		[ "$FAULT_RC" = 0 ] || echo "$TEST_NAME: round $_what failed" >&2
	else
		"$@"
	fi
	echo "$_what $FAULT_RC" >>"$TEST_TMP/results"
}

# fault_results: in long mode print "RESULT WHAT RUNS FAILURES" for each kind of round and fail
# if any round failed.
fault_results() {
	[ -n "${FAULT_LONG:-}" ] || return 0
	awk '{ if (!($1 in runs)) order[n++] = $1; runs[$1]++; if ($2 != 0) bad[$1]++ }
	    END { for (i = 0; i < n; i++) printf "RESULT %s %d %d\n", order[i], runs[order[i]],
	    bad[order[i]] }' "$TEST_TMP/results"
	! awk '$2 != 0 { exit 1 }' "$TEST_TMP/results" || return 0
	fail "some rounds failed"
}
