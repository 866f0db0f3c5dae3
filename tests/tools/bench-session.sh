#!/bin/bash
# bench-session.sh: the session benchmarks of `make bench`: memory of idle sessions, the bytes of
# a standard intake over SSH, the standard intake over slow links next to sshd + dialog(1), and the
# time to the dashboard over a slow link next to OpenSSH's sshd.
#
# Environment: MOTCUAD, LINKEM, MKUSER (built programs), CATALOG (the bundled catalog);
# BENCH_SESSIONS (200), BENCH_RUNS (3: timed logins per server), BENCH_TERM (xterm),
# BENCH_ONLY (memory, intake, links, login: run only these parts), BENCH_LINKS (the links of
# the links part: KBIT:RTT_MS ..., 0 for no limit; "0:0 128:300 32:800"), BENCH_SSHD (the sshd
# to compare with), KEEP_TMP (keep the work dir).
# Needs tmux, ssh, ssh-keygen, script(1) and python3; the sshd comparisons need sshd and root,
# the one with dialog(1) dialog too (without them they are reported as skipped, with the reason).

set -u
export LC_ALL=C.UTF-8
unset LANGUAGE

here=$(cd "$(dirname "$0")" && pwd)
MOTCUAD=$(realpath "${MOTCUAD:-./motcuad}")
LINKEM=$(realpath "${LINKEM:-./tests/tools/linkem}")
MKUSER=$(realpath "${MKUSER:-./tests/tools/mkuser}")
CATALOG=$(realpath "${CATALOG:-$here/../../catalog}")
SESSIONS=${BENCH_SESSIONS:-200}
RUNS=${BENCH_RUNS:-3}
BENCH_TERM=${BENCH_TERM:-xterm}
ONLY=${BENCH_ONLY:-memory intake links login}
SSHD_BIN=${BENCH_SSHD:-$(command -v sshd || echo /usr/sbin/sshd)}
NOW='2026-11-26 10:00'
TZ_SERVED='<+07>-7'
TITLE='Lò Thị Hoa'
FKEYS='F1 Trợ giúp'
LOGIN=bench.tpsl
COLS=80
ROWS=24
export MOTCUA_NOW="$NOW"

TMP=
PIDS=
SOCKETS=
MADE_PRIVSEP=
STARTED=$(date +%s)

# say TEXT: progress on stderr.
say() {
	printf 'bench-session: %s\n' "$*" >&2
}

# now_ms: milliseconds since the epoch.
now_ms() {
	date +%s%3N
}

# cleanup: stop every process and tmux server this script started, remove the work dir.
cleanup() {
	local s p
	for s in $SOCKETS; do
		tmux -L "$s" kill-server 2>/dev/null
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$s"
	done
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $PIDS; do
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=
	[ -n "$MADE_PRIVSEP" ] && rmdir "$MADE_PRIVSEP" 2>/dev/null
	if [ -n "$TMP" ] && [ -z "${KEEP_TMP:-}" ]; then
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# track PID: stop this process at exit.
track() {
	PIDS="$PIDS $1"
}

# untrack PID: forget a process that was stopped already.
untrack() {
	PIDS=$(printf '%s\n' $PIDS | grep -vx "$1" | tr '\n' ' ')
}

# stop PID: SIGTERM, then SIGKILL after five seconds; reap it.
stop() {
	local i
	kill -TERM "$1" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	untrack "$1"
}

# row WHAT TARGET MEASURED VERDICT CONTEXT: a line of the table (tab-separated in $TMP/rows).
row() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$TMP/rows"
}

# verdict VALUE LIMIT: "ok" if VALUE <= LIMIT (decimal numbers), else "MISSED".
verdict() {
	awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 <= l + 0) ? "ok" : "MISSED" }'
}

# print_table: the figures.
print_table() {
	local total=$(( $(date +%s) - STARTED ))
	printf '\nSession benchmarks (MOTCUA_NOW "%s", terminal %s %dx%d, %s)\n\n' "$NOW" \
	    "$BENCH_TERM" "$COLS" "$ROWS" "$(date -u '+%Y-%m-%d %H:%MZ')"
	awk -F '\t' '{
		printf "%-52s %-12s %-26s %-7s\n", $1, $2, $3, $4
		if ($5 != "")
			printf "    %s\n", $5
	}' "$TMP/rows"
	if [ -s "$TMP/links.table" ]; then
		printf '\nThe standard intake over slow links (linkem; KBIT k RTT ms: kbit/s each way, round trip)\n\n'
		cat "$TMP/links.table"
		cat <<EOF

motcuad serve: log in, F2, search "chung thuc ban sao", choose 2.000815, fill the 10 fields, step
through the documents, F5 receive, page through the receipt, F10. sshd + dialog: OpenSSH sshd
with a ForceCommand running dialog --form (the same 10 fields and labels) and the same receipt in
dialog --msgbox, paged to its end. typed keys: each key waits for its echo; paste: each text in
one write. keys: keys sent (a pasted text counts as one). down/up B: bytes server→client /
client→server (linkem --stats). dashbrd: from starting ssh until the dashboard is complete
(dialog: the form). intake: until ssh has exited. term B: the client terminal's output (tmux
pipe-pane). repaints / clears: the interface's full-screen repaints (MOTCUA_TUI_STATS of the
same keys run locally) / screen clears (ESC [2J) in the terminal's output.
EOF
	fi
	printf '\nthe session benchmarks took %d s\n' "$total"
}

# free_port: a TCP port free on the loopback address.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# listening PORT: something listens on 127.0.0.1:PORT (read from /proc, no connection made).
listening() {
	local hex
	hex=$(printf '%04X' "$1")
	grep -qiE "^ *[0-9]+: 0100007F:$hex 00000000:0000 0A" /proc/net/tcp
}

# wait_until SECONDS COMMAND...: poll every 20 ms until the command succeeds or time is up.
wait_until() {
	local deadline=$(( $(now_ms) + $1 * 1000 ))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}

# pss PID...: the sum of the processes' Pss in kB.
pss() {
	local p sum=0 v
	for p in "$@"; do
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		sum=$(( sum + ${v:-0} ))
	done
	echo "$sum"
}

# children PID...: the direct children of the processes.
children() {
	local p
	for p in "$@"; do
		ps -o pid= --ppid "$p" 2>/dev/null
	done
}

# ------------------------------------------------------------------------------------------
# tmux: one server (socket) per scenario.

TMUX_SOCK=

# tmux_new NAME COMMAND: a new tmux server NAME with one COLS×ROWS window running COMMAND.
tmux_new() {
	TMUX_SOCK="motcua-bench-$$-$1"
	SOCKETS="$SOCKETS $TMUX_SOCK"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x "$COLS" -y "$ROWS" "$2"
}

# tmux_end: stop the current tmux server.
tmux_end() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
}

SENT=0

# t COMMAND...: a tmux command on the current server (SENT counts the send-keys: keys typed,
# or texts pasted in one write).
t() {
	[ "$1" = send-keys ] && SENT=$(( SENT + 1 ))
	tmux -L "$TMUX_SOCK" "$@"
}

# screen: the window's text.
screen() {
	t capture-pane -p 2>/dev/null
}

# shows TEXT...: the window shows every TEXT (fixed strings).
shows() {
	local s x
	s=$(screen)
	for x in "$@"; do
		case "$s" in
		*"$x"*) ;;
		*) return 1 ;;
		esac
	done
}

# expect TEXT [SECONDS]: poll until the window shows TEXT; on time-out dump it and fail.
expect() {
	if ! wait_until "${2:-30}" shows "$1"; then
		say "the screen never showed '$1':"
		screen >&2
		return 1
	fi
}

# ------------------------------------------------------------------------------------------
# Setup: the demo province and a bench user (same name, unit and role as tiepnhan.tpsl) with a key.

setup() {
	local port pid
	TMP=$(mktemp -d /tmp/motcua-bench.XXXXXX)
	chmod 755 "$TMP"
	: >"$TMP/rows"
	ssh-keygen -q -t ed25519 -N '' -C bench -f "$TMP/id_ed25519" || return 1
	port=$(free_port)
	"$MOTCUAD" demo --data "$TMP/pristine" --listen "127.0.0.1:$port" --catalog "$CATALOG" \
	    >"$TMP/demo.out" 2>&1 &
	pid=$!
	track "$pid"
	if ! wait_until 120 grep -q '^Connect with' "$TMP/demo.out"; then
		say "motcuad demo did not get ready: $(cat "$TMP/demo.out")"
		return 1
	fi
	stop "$pid"
	"$MKUSER" "$TMP/pristine/motcua.db" "$LOGIN" --key "$TMP/id_ed25519.pub" --role one-stop \
	    --unit TPSL --department mot-cua --name "$TITLE" || return 1
	rm -rf "$TMP/pristine/run"
	"$MOTCUAD" serve --help >"$TMP/serve-help" 2>&1
}

# ------------------------------------------------------------------------------------------
# The motcuad server and the link emulator.

SERVER_PID=
SERVER_PORT=
DATA=

# server_start NAME: motcuad serve on a fresh copy of the demo data, limits raised for the bench.
server_start() {
	DATA="$TMP/$1"
	rm -rf "$DATA"
	cp -a "$TMP/pristine" "$DATA"
	# Every limit the server knows that would stop the bench's many logins from one address.
	: >"$DATA/motcuad.conf"
	for key in max_sessions max_sessions_per_user max_unauthenticated \
	    max_unauthenticated_per_source penalty_failures penalty_source_failures; do
		if grep -q "^  $key " "$TMP/serve-help"; then
			echo "$key = $(( SESSIONS + 50 ))" >>"$DATA/motcuad.conf"
		fi
	done
	grep -q "^  penalty_seconds " "$TMP/serve-help" && echo "penalty_seconds = 0" >>"$DATA/motcuad.conf"
	echo "log_level = info" >>"$DATA/motcuad.conf"
	SERVER_PORT=$(free_port)
	"$MOTCUAD" serve --data "$DATA" --catalog "$CATALOG" --listen "127.0.0.1:$SERVER_PORT" \
	    >"$DATA/serve.out" 2>"$DATA/serve.log" &
	SERVER_PID=$!
	track "$SERVER_PID"
	if ! wait_until 30 grep -q "listening on" "$DATA/serve.out"; then
		say "motcuad serve did not start: $(cat "$DATA/serve.log")"
		return 1
	fi
}

# server_stop: stop the current server.
server_stop() {
	[ -n "$SERVER_PID" ] && stop "$SERVER_PID"
	SERVER_PID=
}

LINK_PORT=
LINK_PID=

# link_start TARGET_PORT STATS [linkem options...]: a relay for one connection to TARGET_PORT.
link_start() {
	local target=$1 stats=$2
	shift 2
	LINK_PORT=$(free_port)
	"$LINKEM" --listen "$LINK_PORT" --connect "127.0.0.1:$target" --stats "$stats" --once "$@" \
	    2>>"$TMP/linkem.err" &
	LINK_PID=$!
	track "$LINK_PID"
	wait_until 10 listening "$LINK_PORT"
}

# link_wait STATS: wait for the relay to end (its counts are then in STATS).
link_wait() {
	if wait_until 30 test -s "$1"; then
		wait "$LINK_PID" 2>/dev/null
		untrack "$LINK_PID"
	else
		stop "$LINK_PID"
	fi
	LINK_PID=
}

# client_script FILE PORT USER [ssh options...]: a script that records its pid in FILE.pid and
# becomes the OpenSSH client logging in with the bench key (no agent, no user configuration).
client_script() {
	local file=$1 port=$2 user=$3 o opts=
	shift 3
	for o in "$@"; do
		opts="$opts '$o'"
	done
	cat >"$file" <<EOF
#!/bin/sh
echo \$\$ >"$file.pid"
exec env TERM=$BENCH_TERM SSH_AUTH_SOCK= ssh -F /dev/null -tt -p $port -i "$TMP/id_ed25519" \\
    -o IdentitiesOnly=yes -o BatchMode=yes -o PreferredAuthentications=publickey \\
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o UpdateHostKeys=no \\
    -o LogLevel=ERROR -o ConnectTimeout=60 $NO_CHAFF $opts $user@127.0.0.1
EOF
	chmod +x "$file"
}

# kex PORT USER: the key exchange, host key and cipher the client negotiates with a server.
kex() {
	SSH_AUTH_SOCK= timeout 20 ssh -F /dev/null -v -p "$1" -i "$TMP/id_ed25519" -o IdentitiesOnly=yes \
	    -o BatchMode=yes -o PreferredAuthentications=keyboard-interactive \
	    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o UpdateHostKeys=no "$2@127.0.0.1" </dev/null 2>&1 >/dev/null |
	    sed -n 's/^debug1: kex: algorithm: \(.*\)/\1/p; s/^debug1: kex: host key algorithm: \(.*\)/\1/p; s/^debug1: kex: server->client cipher: \([^ ]*\) .*/\1/p' |
	    tr '\n' ' ' | sed 's/ $//'
}

# ------------------------------------------------------------------------------------------
# 1. Memory of idle sessions.

bench_memory() {
	local i cmd n last deadline sessions interfaces all listener_pss sess_pss if_pss total per ok pane
	local t0 elapsed
	say "memory: $SESSIONS idle sessions"
	server_start memory || return 1
	client_script "$TMP/mem-client" "$SERVER_PORT" "$LOGIN"
	t0=$(now_ms)
	tmux_new memory "exec $TMP/mem-client"
	t set-option -g remain-on-exit on >/dev/null
	for i in $(seq 2 "$SESSIONS"); do
		t new-window -d "exec $TMP/mem-client" || return 1
	done
	# Wait for the interface processes (grandchildren of the listener) until there are enough
	# or their number has not grown for 30 s, then for every window to show the dashboard.
	last=-1
	deadline=$(( $(now_ms) + 30000 ))
	while :; do
		sessions=$(children "$SERVER_PID")
		interfaces=$(children $sessions)
		n=$(printf '%s\n' $interfaces | grep -c .)
		[ "$n" -ge "$SESSIONS" ] && break
		if [ "$n" != "$last" ]; then
			last=$n
			deadline=$(( $(now_ms) + 30000 ))
		elif [ "$(now_ms)" -ge "$deadline" ]; then
			say "only $n interfaces; the server refused $(grep -c 'refused' "$DATA/serve.log") connections"
			break
		fi
		sleep 0.2
	done
	# One deadline for all the windows.
	ok=0
	deadline=$(( $(now_ms) + 60000 ))
	for pane in $(t list-panes -a -F '#{pane_id}'); do
		until t capture-pane -p -t "$pane" | grep -qF -- "$TITLE"; do
			[ "$(now_ms)" -lt "$deadline" ] || continue 2
			sleep 0.05
		done
		ok=$((ok + 1))
	done
	elapsed=$(( $(now_ms) - t0 ))
	sessions=$(children "$SERVER_PID")
	interfaces=$(children $sessions)
	all="$sessions $interfaces $(children $interfaces)"
	n=$(printf '%s\n' $interfaces | grep -c .)
	# Idle means settled: sessions return freed memory after a second without traffic, so
	# measure once the total stops falling (two readings 0.5 s apart within 1%, at most 10 s).
	prev=$(pss $all)
	deadline=$(( $(now_ms) + 10000 ))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		sleep 0.5
		cur=$(pss $all)
		[ $(( (prev - cur) * 100 )) -le "$prev" ] && break
		prev=$cur
	done
	listener_pss=$(pss "$SERVER_PID")
	sess_pss=$(pss $sessions)
	if_pss=$(pss $interfaces)
	total=$(pss $all)
	per=$(awk -v t="$total" -v n="$n" 'BEGIN { printf "%.2f", n ? t / n / 1024 : 0 }')
	say "memory: $n interfaces, $ok windows at the dashboard after $elapsed ms"
	row "Memory: PSS per idle session (session+interface)" "<= 1.5 MB" "$per MB" \
	    "$(verdict "$per" 1.5)" "$n sessions at the dashboard ($ok windows checked), sum of Pss (smaps_rollup) of every motcuad process but the listener / sessions; all logged in after $(( elapsed / 1000 )) s; connections refused by the server: $(grep -c 'refused' "$DATA/serve.log")"
	row "  of which the session (SSH) processes" "" \
	    "$(awk -v t="$sess_pss" -v n="$n" 'BEGIN { printf "%.2f MB", n ? t / n / 1024 : 0 }')" "" ""
	row "  of which the interface processes" "" \
	    "$(awk -v t="$if_pss" -v n="$n" 'BEGIN { printf "%.2f MB", n ? t / n / 1024 : 0 }')" "" ""
	row "Memory: PSS of the listener" "" \
	    "$(awk -v t="$listener_pss" 'BEGIN { printf "%.2f MB", t / 1024 }')" "" \
	    "with $n sessions open; server RSS of one session + interface: $(ps -o rss= -p "$(printf '%s\n' $sessions | head -n 1)" | tr -d ' ') kB + $(ps -o rss= -p "$(printf '%s\n' $interfaces | head -n 1)" | tr -d ' ') kB"
	tmux_end
	server_stop
}

# ------------------------------------------------------------------------------------------
# 2. The standard intake, scripted.

# cursor: the cursor's position in the window.
cursor() {
	t display-message -p '#{cursor_x},#{cursor_y}' 2>/dev/null
}

# moved FROM: the cursor is no longer at FROM.
moved() {
	[ "$(cursor)" != "$1" ]
}

# key KEY...: press keys and wait for the cursor to move (each key's echo reached the screen).
key() {
	local at
	at=$(cursor)
	t send-keys "$@"
	if ! wait_until 30 moved "$at"; then
		say "the cursor did not move after $*:"
		screen >&2
		return 1
	fi
}

# type_text MODE TEXT: type TEXT; MODE "keys": one key at a time, each waiting for its echo as a
# person types; "paste": the whole text in one write.
type_text() {
	local mode=$1 text=$2 i
	if [ "$mode" = paste ]; then
		t send-keys -l -- "$text"
	else
		for (( i = 0; i < ${#text}; i++ )); do
			key -l -- "${text:i:1}" || return 1
		done
	fi
	expect "$text"
}

# mark FILE NAME: when FILE (a typescript) is quiet, note its size after a phase.
mark() {
	local prev=-1 size
	[ -n "$1" ] || return 0
	size=$(stat -c %s "$1")
	while [ "$size" != "$prev" ]; do
		prev=$size
		sleep 0.15
		size=$(stat -c %s "$1")
	done
	echo "$2 $size" >>"$1.marks"
}

# pager: the line counter of a scrolled text ("21/44", "44/44": last line shown / lines).
pager() {
	screen | grep -oE '\[[0-9]+–[0-9]+/[0-9]+\]' | tail -n 1 | sed 's/^\[[0-9]*–//; s/\]$//'
}

# paged FROM: the line counter is no longer FROM.
paged() {
	[ "$(pager)" != "$1" ]
}

# The first nine fields of the intake form, as typed; the tenth (number of sets) becomes 2.
FIELDS=("Trần Văn Bình" "012345678901" "0912345678" "Số 5 đường Tô Hiệu" "Phường Tô Hiệu"
    "Trần Thị Lan" "012345678902" "Số 7 đường Chu Văn Thịnh" "Chứng thực 2 bản sao giấy khai sinh")
DASH_AT=

# intake MODE [TYPESCRIPT]: log in (the window runs the client), open the intake, find the
# procedure by search, fill the 10 fields, step through the document checklist, receive, page
# through the receipt, log out.
intake() {
	local mode=$1 ts=${2:-} f at
	expect "$TITLE" 60 || return 1
	expect "$FKEYS" || return 1
	DASH_AT=$(now_ms)
	mark "$ts" dashboard
	t send-keys F2
	expect "Tìm thủ tục" || return 1
	type_text "$mode" "chung thuc ban sao" || return 1
	expect "> 2.000815" || return 1
	t send-keys Enter
	expect "Hẹn trả kết quả nếu tiếp nhận bây giờ" || return 1
	mark "$ts" search
	for f in "${FIELDS[@]}"; do
		type_text "$mode" "$f" || return 1
		key Tab || return 1
	done
	# The tenth field (number of sets) holds 1: clear it and type 2.
	expect "> Số bộ hồ sơ" || return 1
	key C-u || return 1
	type_text "$mode" "2" || return 1
	# The checklist: originals and copies are filled with what the procedure requires; the
	# officer steps through each count of the two documents.
	for f in 1 2 3 4; do
		key Tab || return 1
	done
	expect "> 0     1    Bản sao cần chứng thực" || return 1
	mark "$ts" form
	t send-keys F5
	expect "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" || return 1
	expect "Đã tiếp nhận hồ sơ TPSL-" || return 1
	mark "$ts" receive
	# Page through the receipt to its last line ("[24–44/44]").
	for f in 1 2 3 4 5 6 7 8 9 10; do
		at=$(pager)
		[ -n "$at" ] || { say "no line counter on the receipt"; screen >&2; return 1; }
		[ "${at%/*}" = "${at#*/}" ] && break
		t send-keys NPage
		wait_until 30 paged "$at" || { say "the receipt did not scroll"; return 1; }
	done
	mark "$ts" receipt
	t send-keys F10
	expect "CLIENT-EXITED" || return 1
	mark "$ts" logout
}

# intake_ssh NAME MODE PORT USER [ssh options]: the intake through an unlimited linkem relay;
# sets RESULT to the relay's "up N down N seconds S".
intake_ssh() {
	local name=$1 mode=$2 port=$3 user=$4 stats="$TMP/$1.stats"
	shift 4
	: >"$stats"
	rm -f "$stats"
	link_start "$port" "$stats" || return 1
	client_script "$TMP/$name-client" "$LINK_PORT" "$user" "$@"
	tmux_new "$name" "$TMP/$name-client; echo CLIENT-EXITED \$?; sleep 600"
	if ! intake "$mode"; then
		tmux_end
		stop "$LINK_PID"
		return 1
	fi
	tmux_end
	link_wait "$stats"
	RESULT=$(tail -n 1 "$stats" 2>/dev/null)
}

# bytes_row WHAT CONTEXT STATS_LINE [LIMIT]: a row of the bytes down and up.
bytes_row() {
	local down up secs kb
	read -r _ up _ down _ secs <<<"$3"
	kb=$(awk -v d="$down" 'BEGIN { printf "%.1f", d / 1024 }')
	if [ -n "${4:-}" ]; then
		row "$1" "<= $4 KB" "$kb KB down, $(awk -v u="$up" 'BEGIN { printf "%.1f", u / 1024 }') KB up" \
		    "$(verdict "$kb" "$4")" "$2; $down bytes down, $up up, ${secs}s"
	else
		row "$1" "" "$kb KB down, $(awk -v u="$up" 'BEGIN { printf "%.1f", u / 1024 }') KB up" \
		    "" "$2; $down bytes down, $up up, ${secs}s"
	fi
}

bench_intake() {
	local s ts hdr trail total prev name size repaints phases=
	say "intake: bytes over SSH"
	server_start intake || return 1
	intake_ssh intake-keys keys "$SERVER_PORT" "$LOGIN" || return 1
	s=$RESULT
	bytes_row "Intake: bytes, motcuad, no compression" \
	    "ssh -tt through linkem (no limit), typed key by key (each key waits for its echo), $BENCH_TERM ${COLS}x$ROWS" "$s" 12
	intake_ssh intake-keys-c keys "$SERVER_PORT" "$LOGIN" -C || return 1
	s=$RESULT
	bytes_row "Intake: bytes, motcuad, ssh -C" "the same with compression" "$s"
	intake_ssh intake-paste paste "$SERVER_PORT" "$LOGIN" || return 1
	s=$RESULT
	bytes_row "Intake: bytes, motcuad, fields pasted" \
	    "the same, but each text sent in one write (no compression)" "$s"
	server_stop
	if sshd_start; then
		rm -f "$TMP/sshd.tuistats"
		intake_ssh intake-sshd keys "$SSHD_PORT" "$SSHD_USER" || return 1
		wait_until 10 test -s "$TMP/sshd.tuistats"
		bytes_row "Intake: bytes, OpenSSH sshd, same interface" \
		    "typed key by key, no compression; sshd's ForceCommand runs motcuad tui ($(sed -n 's/^repaints //p' "$TMP/sshd.tuistats" 2>/dev/null || echo ?) full-screen repaints over SSH)" "$RESULT"
		sshd_data
	else
		row "Intake: bytes, OpenSSH sshd" "" "skipped" "" "$WHY"
	fi

	# The same intake run locally under script(1): the interface's own terminal output per
	# phase (before SSH) and the repaint count (the server does not pass MOTCUA_TUI_STATS on).
	local_intake || return 1
	ts="$TMP/intake.typescript"
	repaints=$LOCAL_REPAINTS
	hdr=$(head -n 1 "$ts" | wc -c)
	trail=$(tail -n 1 "$ts" | wc -c)
	prev=$hdr
	while read -r name size; do
		[ "$name" = logout ] && size=$(( size - trail - 1 ))
		phases="$phases$name $(( size - prev )), "
		prev=$size
	done <"$ts.marks"
	total=$(( prev - hdr ))
	row "Intake: the interface's own output" "" "$(awk -v d="$total" 'BEGIN { printf "%.1f KB", d / 1024 }')" "" \
	    "$total bytes written to the terminal by motcuad tui (script(1), same keys); by phase: ${phases%, }"
	row "Intake: full-screen repaints" "" "${repaints:-?}" "" \
	    "MOTCUA_TUI_STATS of the local run (motcuad serve clears the interface's environment)"
}

LOCAL_REPAINTS=

# local_intake: the intake run locally (motcuad tui in tmux under script(1), typed key by key),
# once; sets LOCAL_REPAINTS to the interface's full-screen repaints (MOTCUA_TUI_STATS).
local_intake() {
	local ts="$TMP/intake.typescript"
	[ -z "$LOCAL_REPAINTS" ] || return 0
	say "intake: the interface's own output"
	DATA="$TMP/intake-local"
	rm -rf "$DATA" "$ts" "$ts.marks"
	cp -a "$TMP/pristine" "$DATA"
	cat >"$TMP/local-client" <<EOF
#!/bin/sh
exec env -i TERM=$BENCH_TERM LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ='$TZ_SERVED' NCURSES_NO_UTF8_ACS=1 \\
    HOME=/nonexistent PATH=/usr/bin:/bin MOTCUA_NOW='$NOW' MOTCUA_TUI_STATS="$TMP/intake.tuistats" \\
    "$MOTCUAD" tui --data "$DATA" --user $LOGIN --catalog "$CATALOG"
EOF
	chmod +x "$TMP/local-client"
	tmux_new intake-local "script -qf -c $TMP/local-client $ts; echo CLIENT-EXITED \$?; sleep 600"
	if ! intake keys "$ts"; then
		tmux_end
		return 1
	fi
	tmux_end
	wait_until 10 test -s "$TMP/intake.tuistats"
	LOCAL_REPAINTS=$(sed -n 's/^repaints //p' "$TMP/intake.tuistats" 2>/dev/null)
	LOCAL_REPAINTS=${LOCAL_REPAINTS:-?}
}

# ------------------------------------------------------------------------------------------
# 3. Time to the dashboard over 32 kbit/s with an 800 ms round trip, motcuad and sshd.

SSHD_PID=
SSHD_PORT=
SSHD_USER=
WHY=
RESULT=

# login_user: log in as this user under sshd; its shell runs the forced command. Bash reads
# ~/.bashrc for commands run by sshd unless SHLVL says it is nested, so the server sets SHLVL=1
# (a slow ~/.bashrc would be counted against sshd); the shell's start-up time is checked.
login_user() {
	local u shell home start cost
	u=$(id -un)
	shell=$(getent passwd "$u" | cut -d: -f7)
	home=$(getent passwd "$u" | cut -d: -f6)
	start=$(now_ms)
	env -i HOME="$home" SHLVL=1 SSH_CLIENT='127.0.0.1 1 22' "${shell:-/bin/sh}" -c true 2>/dev/null
	cost=$(( $(now_ms) - start ))
	[ "$cost" -le 30 ] || say "sshd: $u's shell ($shell) takes $cost ms to start"
	echo "$u"
}

# sshd_data: a fresh copy of the demo data for the interface under sshd.
sshd_data() {
	rm -rf "$TMP/sshd-data"
	cp -a "$TMP/pristine" "$TMP/sshd-data"
	chown -R "$SSHD_USER" "$TMP/sshd-data"
}

# sshd_ready: sshd can be started here (sshd installed, running as root); else sets WHY.
sshd_ready() {
	[ -z "$WHY" ] || return 1
	if [ ! -x "$SSHD_BIN" ]; then
		WHY="no sshd ($SSHD_BIN)"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		WHY="not root: a private sshd cannot log in"
		return 1
	fi
	[ -n "$SSHD_USER" ] || SSHD_USER=$(login_user)
}

# sshd_spawn DIR COMMAND: a private sshd on a free loopback port, configured in DIR, whose forced
# command is COMMAND; sets SPAWN_PID and SPAWN_PORT, or WHY.
sshd_spawn() {
	local d=$1
	mkdir -p "$d"
	chmod 755 "$d"
	ssh-keygen -q -t ed25519 -N '' -f "$d/host_ed25519_key"
	cp "$TMP/id_ed25519.pub" "$d/authorized_keys"
	chmod 644 "$d/authorized_keys"
	SPAWN_PORT=$(free_port)
	cat >"$d/sshd_config" <<EOF
Port $SPAWN_PORT
ListenAddress 127.0.0.1
HostKey $d/host_ed25519_key
PidFile none
AuthorizedKeysFile $d/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin yes
AllowUsers $SSHD_USER
ForceCommand $2
SetEnv SHLVL=1
PrintMotd no
PrintLastLog no
UseDNS no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitTTY yes
LogLevel ERROR
EOF
	if [ ! -d /run/sshd ]; then
		mkdir -m 0755 /run/sshd && MADE_PRIVSEP=/run/sshd
	fi
	"$SSHD_BIN" -D -e -f "$d/sshd_config" 2>"$d/sshd.log" &
	SPAWN_PID=$!
	track "$SPAWN_PID"
	if ! wait_until 10 listening "$SPAWN_PORT"; then
		stop "$SPAWN_PID"
		SPAWN_PID=
		WHY="sshd did not start: $(cat "$d/sshd.log")"
		return 1
	fi
}

# sshd_start: a private sshd whose forced command is the interface (its repaints are counted in
# $TMP/sshd.tuistats when it ends).
sshd_start() {
	local d="$TMP/sshd"
	[ -z "$SSHD_PID" ] || return 0
	sshd_ready || return 1
	sshd_data
	mkdir -p "$d"
	chmod 755 "$d"
	cat >"$d/tui" <<EOF
#!/bin/sh
# The interface in the same environment motcuad serve gives it.
exec env -i TERM="\$TERM" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ='$TZ_SERVED' NCURSES_NO_UTF8_ACS=1 \\
    HOME=/nonexistent PATH=/usr/bin:/bin MOTCUA_NOW='$NOW' MOTCUA_TUI_STATS="$TMP/sshd.tuistats" \\
    "$MOTCUAD" tui --data "$TMP/sshd-data" --user $LOGIN --catalog "$CATALOG"
EOF
	chmod 755 "$d/tui"
	sshd_spawn "$d" "$d/tui" || return 1
	SSHD_PID=$SPAWN_PID
	SSHD_PORT=$SPAWN_PORT
}

# timed_login NAME PORT USER [ssh options]: over the slow link, the milliseconds from starting ssh to the title
# and to the whole dashboard, and the bytes then; sets RESULT to "TITLE_MS FULL_MS DOWN UP".
timed_login() {
	local name=$1 port=$2 user=$3 stats="$TMP/$1.stats" t0 t1 t2 prev cur
	shift 3
	rm -f "$stats"
	link_start "$port" "$stats" --down 32 --up 32 --delay 400 || return 1
	client_script "$TMP/$name-client" "$LINK_PORT" "$user" "$@"
	t0=$(now_ms)
	tmux_new "$name" "$TMP/$name-client; echo CLIENT-EXITED \$?; sleep 600"
	until shows "$TITLE"; do
		if [ $(( $(now_ms) - t0 )) -gt 120000 ] || shows CLIENT-EXITED; then
			say "$name: no dashboard"
			screen >&2
			tmux_end
			stop "$LINK_PID"
			return 1
		fi
		sleep 0.02
	done
	t1=$(now_ms)
	until shows "$FKEYS"; do
		[ $(( $(now_ms) - t0 )) -lt 120000 ] || break
		sleep 0.02
	done
	t2=$(now_ms)
	# Let the screen settle (no change for 1.5 s, two round trips), then cut the client dead so
	# that the relay's count is what it took to reach the dashboard.
	prev=$(screen)
	while :; do
		sleep 1.5
		cur=$(screen)
		[ "$cur" = "$prev" ] && break
		prev=$cur
	done
	kill -KILL "$(cat "$TMP/$name-client.pid")" 2>/dev/null
	link_wait "$stats"
	tmux_end
	read -r _ up _ down _ _ <"$stats"
	RESULT="$(( t1 - t0 )) $(( t2 - t0 )) $down $up"
}

# median N...: the median of the numbers.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

bench_login() {
	local i r m_title= m_full= m_down= s_title= s_full= s_down= k_title= k_full= k_down=
	local mt mf md st sf sd kt kf kd m_kex s_kex ver
	say "login: time to the dashboard over 32 kbit/s, 800 ms round trip ($RUNS runs each)"
	server_start login || return 1
	m_kex=$(kex "$SERVER_PORT" "$LOGIN")
	if sshd_start; then
		s_kex=$(kex "$SSHD_PORT" "$SSHD_USER")
	else
		say "sshd comparison skipped: $WHY"
	fi
	for i in $(seq "$RUNS"); do
		timed_login "login-motcuad-$i" "$SERVER_PORT" "$LOGIN" || return 1
		say "  motcuad run $i (title ms, full ms, down, up): $RESULT"
		set -- $RESULT
		m_title="$m_title $1" m_full="$m_full $2" m_down="$m_down $3"
		[ -n "$SSHD_PID" ] || continue
		timed_login "login-sshd-$i" "$SSHD_PORT" "$SSHD_USER" || return 1
		say "  sshd run $i: $RESULT"
		set -- $RESULT
		s_title="$s_title $1" s_full="$s_full $2" s_down="$s_down $3"
		timed_login "login-sshd-kex-$i" "$SSHD_PORT" "$SSHD_USER" \
		    -o KexAlgorithms=curve25519-sha256 || return 1
		say "  sshd (curve25519) run $i: $RESULT"
		set -- $RESULT
		k_title="$k_title $1" k_full="$k_full $2" k_down="$k_down $3"
	done
	mt=$(median $m_title) mf=$(median $m_full) md=$(median $m_down)
	row "Login to dashboard title, motcuad serve" "" "$mt ms (median)" "" \
	    "linkem --down 32 --up 32 --delay 400, key login, from starting ssh until \"$TITLE\" shows (polled every 20 ms); runs:$m_title; kex $m_kex"
	row "Login to full dashboard, motcuad serve" "" "$mf ms (median)" "" \
	    "until the key bar \"$FKEYS\" shows too; runs:$m_full"
	row "Login: bytes down to the dashboard, motcuad" "" "$md (median)" "" \
	    "client killed once the screen is still; runs:$m_down"
	if [ -n "$SSHD_PID" ]; then
		ver=$("$SSHD_BIN" -V 2>&1 | head -n 1 | cut -d, -f1)
		st=$(median $s_title) sf=$(median $s_full) sd=$(median $s_down)
		kt=$(median $k_title) kf=$(median $k_full) kd=$(median $k_down)
		row "Login to dashboard title, OpenSSH sshd" "" "$st ms (median)" "" \
		    "$ver, ForceCommand: the same motcuad tui as $SSHD_USER; runs:$s_title; kex $s_kex"
		row "Login to full dashboard, OpenSSH sshd" "" "$sf ms (median)" "" "runs:$s_full"
		row "Login: bytes down to the dashboard, sshd" "" "$sd (median)" "" "runs:$s_down"
		row "Login ratio motcuad / sshd, title" "<= 1.10" \
		    "$(awk -v m="$mt" -v s="$st" 'BEGIN { printf "%.2f", m / s }')" \
		    "$(verdict "$(awk -v m="$mt" -v s="$st" 'BEGIN { printf "%.2f", m / s }')" 1.10)" \
		    "the client's default key exchange with each server"
		row "Login ratio motcuad / sshd, full dashboard" "<= 1.10" \
		    "$(awk -v m="$mf" -v s="$sf" 'BEGIN { printf "%.2f", m / s }')" \
		    "$(verdict "$(awk -v m="$mf" -v s="$sf" 'BEGIN { printf "%.2f", m / s }')" 1.10)" ""
		row "Login to title, sshd with curve25519-sha256" "" "$kt ms (median)" "" \
		    "ssh -o KexAlgorithms=curve25519-sha256 (motcuad's key exchange); full dashboard $kf ms; bytes down $kd; runs:$k_title"
		row "Login ratio motcuad / sshd, same kex, title" "<= 1.10" \
		    "$(awk -v m="$mt" -v s="$kt" 'BEGIN { printf "%.2f", m / s }')" \
		    "$(verdict "$(awk -v m="$mt" -v s="$kt" 'BEGIN { printf "%.2f", m / s }')" 1.10)" \
		    "full dashboard $(awk -v m="$mf" -v s="$kf" 'BEGIN { printf "%.2f", m / s }')"
	else
		row "Login time, OpenSSH sshd" "" "skipped" "" "$WHY"
	fi
	server_stop
}

# ------------------------------------------------------------------------------------------
# 4. The standard intake over the link matrix, with and without ssh -C, next to the same form
# served the usual way: OpenSSH's sshd with a ForceCommand running dialog(1).

DIALOG_PID=
DIALOG_PORT=
DIALOG_WHY=

# dialog_start: a private sshd whose forced command asks for the intake form's ten fields with
# dialog --form (same labels, same lengths) and shows the filled-in receipt with dialog --msgbox.
dialog_start() {
	local d="$TMP/sshd-dialog"
	[ -z "$DIALOG_PID" ] || return 0
	[ -z "$DIALOG_WHY" ] || return 1
	if [ ! -x "$SSHD_BIN" ] || ! command -v dialog >/dev/null 2>&1; then
		DIALOG_WHY="skipped: sshd/dialog not installed"
		return 1
	fi
	if ! sshd_ready; then
		DIALOG_WHY="skipped: $WHY"
		return 1
	fi
	mkdir -p "$d"
	chmod 755 "$d"
	cat >"$d/login" <<EOF
#!/bin/sh
# The form in the environment an interface gets: the client's terminal, a UTF-8 locale.
exec env -i TERM="\$TERM" LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=/nonexistent PATH=/usr/bin:/bin \\
    /bin/sh "$d/intake"
EOF
	cat >"$d/intake" <<'EOF'
# intake: the ten fields of the intake form with dialog(1), then the receipt (Mẫu 01) as a
# message box; nothing is stored, so the dossier code is a fixed one.
answers=$(mktemp) || exit 1
dialog --title "Tiếp nhận hồ sơ" --output-fd 3 --form "Thủ tục: 2.000815 — Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp
Hẹn trả kết quả nếu tiếp nhận bây giờ: 17:00 26/11/2026" 20 78 10 \
    "Họ tên người nộp" 1 1 "" 1 30 44 200 \
    "Số CMND/CCCD" 2 1 "" 2 30 13 12 \
    "Điện thoại (không bắt buộc)" 3 1 "" 3 30 11 10 \
    "Địa chỉ" 4 1 "" 4 30 44 300 \
    "Xã, phường, thị trấn" 5 1 "" 5 30 44 100 \
    "Chủ hồ sơ (nếu khác)" 6 1 "" 6 30 44 200 \
    "CMND/CCCD chủ hồ sơ" 7 1 "" 7 30 13 12 \
    "Địa chỉ chủ hồ sơ" 8 1 "" 8 30 44 300 \
    "Nội dung yêu cầu" 9 1 "" 9 30 44 500 \
    "Số bộ hồ sơ" 10 1 "1" 10 30 3 2 3>"$answers" || { rm -f "$answers"; exit 1; }
{
	read -r name; read -r id; read -r phone; read -r address; read -r commune
	read -r owner; read -r owner_id; read -r owner_address; read -r request; read -r sets
} <"$answers"
rm -f "$answers"
code=TPSL-261126-0004
receipt=$(cat <<EOT
                                                                Mẫu số 01
                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                       Độc lập - Tự do - Hạnh phúc
                       ---------------------------
                          UBND THÀNH PHỐ SƠN LA
          BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ UBND THÀNH PHỐ SƠN LA

                 GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
                        Mã hồ sơ: $code

 Bộ phận tiếp nhận và trả kết quả: Bộ phận Tiếp nhận và Trả kết quả UBND
     thành phố Sơn La
 Tiếp nhận hồ sơ của: $name
 Số CMND/CCCD: $id
 Địa chỉ: $address, $commune
 Số điện thoại: $phone
 Chủ hồ sơ: $owner
 Số CMND/CCCD của chủ hồ sơ: $owner_id
 Địa chỉ của chủ hồ sơ: $owner_address
 Nội dung yêu cầu giải quyết: $request
 Thủ tục hành chính: 2.000815 - Chứng thực bản sao từ bản chính giấy tờ,
     văn bản do cơ quan có thẩm quyền của Việt Nam cấp

 Thành phần hồ sơ nộp gồm:
 ------------------------------------------------------------------------
 TT  Tên giấy tờ                                       Bản chính Bản sao
 ------------------------------------------------------------------------
 1   Bản chính giấy tờ làm cơ sở chứng thực            1         0
 2   Bản sao cần chứng thực                            0         1
 ------------------------------------------------------------------------
 Số lượng hồ sơ: $(printf %02d "$sets") bộ
 Thời gian giải quyết theo quy định: Trong ngày (nhận sau 15:00 trả trong
     ngày làm việc tiếp theo)
 Thời gian nhận hồ sơ: 10:00 26/11/2026
 Ngày hẹn trả kết quả: 17:00 26/11/2026
 Nơi nhận kết quả: Bộ phận Tiếp nhận và Trả kết quả UBND thành phố Sơn La
 Mã tra cứu hồ sơ: $code

           NGƯỜI NỘP HỒ SƠ                  NGƯỜI TIẾP NHẬN HỒ SƠ
        (Ký và ghi rõ họ tên)               (Ký và ghi rõ họ tên)



            $name                         Lò Thị Hoa
EOT
)
exec dialog --title "Giấy tiếp nhận và hẹn trả (Mẫu 01)" --no-collapse --cr-wrap \
    --msgbox "$receipt" 24 80
EOF
	chmod 755 "$d/login" "$d/intake"
	if ! sshd_spawn "$d" "$d/login"; then
		DIALOG_WHY="skipped: $WHY"
		return 1
	fi
	DIALOG_PID=$SPAWN_PID
	DIALOG_PORT=$SPAWN_PORT
}

# changed FROM: the window's text is no longer FROM.
changed() {
	[ "$(screen)" != "$1" ]
}

# screen_key KEY: press a key that does not move the cursor and wait for the screen to change.
screen_key() {
	local at
	at=$(screen)
	t send-keys "$1"
	if ! wait_until 30 changed "$at"; then
		say "the screen did not change after $1:"
		screen >&2
		return 1
	fi
}

# percent: how far dialog's message box has scrolled ("43%", "100%"; on its bottom border).
percent() {
	screen | grep -oE '[0-9]+%' | tail -n 1
}

# scrolled FROM: the percentage is no longer FROM.
scrolled() {
	[ "$(percent)" != "$1" ]
}

# intake_dialog MODE: the form under dialog(1): the ten fields (Down from one to the next; the
# number of sets, which holds 1, cleared with ^U and set to 2), Enter to accept, the receipt paged
# to its end (until its border shows "100%"), Enter to close it.
intake_dialog() {
	local mode=$1 f i at
	expect "Số bộ hồ sơ" 60 || return 1
	expect "Cancel" || return 1
	DASH_AT=$(now_ms)
	for f in "${FIELDS[@]}"; do
		type_text "$mode" "$f" || return 1
		key Down || return 1
	done
	screen_key C-u || return 1
	type_text "$mode" "2" || return 1
	t send-keys Enter
	expect "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" || return 1
	wait_until 30 scrolled "" || { say "no percentage on the receipt"; screen >&2; return 1; }
	for i in 1 2 3 4 5 6 7 8 9 10; do
		at=$(percent)
		[ "$at" = 100% ] && break
		t send-keys NPage
		wait_until 30 scrolled "$at" || { say "the receipt did not scroll"; return 1; }
	done
	expect "Lò Thị Hoa" || return 1
	t send-keys Enter
	expect "CLIENT-EXITED" || return 1
}

# link_args KBIT RTT: linkem's options for a link of KBIT kbit/s each way (0: no limit) and a
# round trip of RTT ms (half of it each way).
link_args() {
	[ "$1" = 0 ] || printf -- '--down %s --up %s ' "$1" "$1"
	[ "$2" = 0 ] || printf -- '--delay %s ' $(( $2 / 2 ))
}

# link_intake NAME KIND MODE KBIT RTT [ssh options]: one intake over the link, KIND motcuad (the
# whole standard intake) or dialog (the form and the receipt); the client's terminal output is
# copied (tmux pipe-pane) to count its bytes and its screen clears. Sets RESULT to
# "DASHBOARD_MS TOTAL_MS DOWN UP TERMINAL_BYTES CLEARS SENDS" (times from starting ssh; SENDS:
# keys typed, a pasted text counting as one).
link_intake() {
	local name=$1 kind=$2 mode=$3 kbit=$4 rtt=$5 stats="$TMP/$1.stats" term="$TMP/$1.term"
	local port user t0 t2 up down off clears
	shift 5
	if [ "$kind" = dialog ]; then
		port=$DIALOG_PORT user=$SSHD_USER
	else
		# A fresh copy of the demo data each time: the same dashboard, the same dossier code.
		server_start links || return 1
		port=$SERVER_PORT user=$LOGIN
	fi
	rm -f "$stats" "$term" "$TMP/$name.go"
	link_start "$port" "$stats" $(link_args "$kbit" "$rtt") || return 1
	client_script "$TMP/$name-client" "$LINK_PORT" "$user" "$@"
	# The window waits for the copy of its output to be in place before it starts ssh.
	tmux_new "$name" "until [ -e $TMP/$name.go ]; do sleep 0.01; done; $TMP/$name-client; echo CLIENT-EXITED \$?; sleep 600"
	t pipe-pane -o "cat >>'$term'"
	DASH_AT=
	SENT=0
	t0=$(now_ms)
	touch "$TMP/$name.go"
	if [ "$kind" = dialog ]; then
		intake_dialog "$mode"
	else
		intake "$mode"
	fi || {
		tmux_end
		stop "$LINK_PID"
		server_stop
		return 1
	}
	t2=$(now_ms)
	wait_until 10 grep -q CLIENT-EXITED "$term"
	tmux_end
	link_wait "$stats"
	[ "$kind" = dialog ] || server_stop
	read -r _ up _ down _ <"$stats" || return 1
	off=$(grep -boa CLIENT-EXITED "$term" | head -n 1 | cut -d: -f1)
	clears=$(head -c "${off:-0}" "$term" | grep -oa $'\e\\[2J' | wc -l)
	RESULT="$(( DASH_AT - t0 )) $(( t2 - t0 )) $down $up ${off:-?} $clears $SENT"
}

# secs MS: milliseconds as seconds with one decimal.
secs() {
	awk -v m="$1" 'BEGIN { printf "%.1f s", m / 1000 }'
}

# links_line LINK SERVER SSH MODE RESULT [REPAINTS]: a line of the link table.
links_line() {
	local dash total down up term clears sent
	read -r dash total down up term clears sent <<<"$5"
	printf '%-10s %-14s %-3s %-5s %5s %7s %6s %8s %8s %6s %s\n' "$1" "$2" "$3" "$4" "$sent" \
	    "$down" "$up" "$(secs "$dash")" "$(secs "$total")" "$term" "${6:+$6 / }$clears" >>"$TMP/links.table"
}

# link_name KBIT RTT: how a link is shown.
link_name() {
	if [ "$1" = 0 ] && [ "$2" = 0 ]; then
		echo "no limit"
	else
		echo "${1}k ${2}ms"
	fi
}

# field N RESULT: the Nth figure of a link_intake result.
field() {
	awk -v n="$1" '{ print $n }' <<<"$2"
}

# kb BYTES: bytes in KB with one decimal.
kb() {
	awk -v d="$1" 'BEGIN { printf "%.1f", d / 1024 }'
}

# links_report MS: the rows against the targets from the link runs (res[KIND.MODE.SSH.LINK] of
# bench_links) and the run's duration.
links_report() {
	local c l m d r lim list rlist worst rworst names= how floor
	for l in $LINKS; do
		names="$names${names:+ / }$(link_name "${l%%:*}" "${l#*:}")"
	done
	for c in no -C; do
		lim=8 how="no compression"
		[ "$c" = -C ] && lim=3 how="ssh -C"
		list= rlist= worst=0 rworst=0
		for l in $LINKS; do
			m=${res[motcuad.keys.$c.$l]:-}
			d=${res[dialog.keys.$c.$l]:-}
			[ -n "$m" ] || continue
			list="$list${list:+ / }$(kb "$(field 3 "$m")")"
			worst=$(awk -v a="$worst" -v b="$(kb "$(field 3 "$m")")" 'BEGIN { print (b > a) ? b : a }')
			[ -n "$d" ] || continue
			r=$(awk -v m="$(field 3 "$m")" -v d="$(field 3 "$d")" 'BEGIN { printf "%.2f", m / d }')
			rlist="$rlist${rlist:+ / }$r"
			rworst=$(awk -v a="$rworst" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
		done
		row "Links: intake KB server to client, $how" "<= $lim KB" "$list KB" \
		    "$(verdict "$worst" "$lim")" \
		    "motcuad serve, the standard intake typed key by key; links $names"
		if [ -n "$rlist" ]; then
			row "Links: motcuad / sshd + dialog, $how" "<= 0.50" "$rlist" \
			    "$(verdict "$rworst" 0.50)" \
			    "server→client bytes of the standard intake against dialog's form + receipt alone, same links"
		else
			row "Links: motcuad / sshd + dialog, $how" "<= 0.50" "${DIALOG_WHY:-?}" "" ""
		fi
	done
	# Every key typed is echoed in an SSH packet of its own, at least 36 bytes with
	# chacha20-poly1305 or AES-GCM (4 length, 16 tag, payload + padding in whole blocks of 16).
	m=${res[motcuad.keys.no.${LINKS%% *}]:-}
	d=${res[dialog.keys.no.${LINKS%% *}]:-}
	floor="motcuad: $(field 7 "$m") keys, >= $(kb $(( $(field 7 "$m") * 36 ))) KB"
	[ -z "$d" ] || floor="$floor; sshd + dialog: $(field 7 "$d") keys, >= $(kb $(( $(field 7 "$d") * 36 ))) KB"
	row "Links: key-by-key floor of SSH framing" "" "$floor" "" \
	    "each key waits for its echo, so each echo is one SSH packet of >= 36 bytes whatever the compression (handshake and screens not counted)"
	row "Links: duration of these runs" "" "$(( $1 / 1000 )) s" "" \
	    "$(( $(wc -l <"$TMP/links.table") - 1 )) runs, one each"
}

bench_links() {
	local l kbit rtt name c copt mode kind r t0 links_ms
	local -A res
	LINKS=${BENCH_LINKS:-0:0 128:300 32:800}
	say "links: the standard intake over {$LINKS} (kbit/s:round trip ms), motcuad and sshd + dialog"
	t0=$(now_ms)
	local_intake || return 1
	dialog_start || say "sshd + dialog comparison $DIALOG_WHY"
	printf '%-10s %-14s %-3s %-5s %5s %7s %6s %8s %8s %6s %s\n' link server ssh typed keys \
	    "down B" "up B" dashbrd intake "term B" "repaints / clears" >"$TMP/links.table"
	for l in $LINKS; do
		kbit=${l%%:*} rtt=${l#*:}
		name=$(link_name "$kbit" "$rtt")
		for c in "" -C; do
			copt=${c:-no}
			[ -n "$c" ] && copt=-C
			for kind in motcuad dialog; do
				for mode in keys paste; do
					if [ "$kind" = dialog ] && [ -z "$DIALOG_PID" ]; then
						[ "$mode" = keys ] && printf '%-10s %-14s %-3s %-5s %s\n' "$name" \
						    "sshd + dialog" "$copt" "" "$DIALOG_WHY" >>"$TMP/links.table"
						continue
					fi
					say "  $name, $kind, ssh $copt, $mode"
					link_intake "links-$kind-$kbit-$rtt$c-$mode" "$kind" "$mode" "$kbit" "$rtt" $c || return 1
					r=$RESULT
					say "    $r"
					res[$kind.$mode.$copt.$l]=$r
					if [ "$kind" = motcuad ]; then
						links_line "$name" "motcuad serve" "$copt" "$mode" "$r" \
						    "$( [ "$mode" = keys ] && echo "$LOCAL_REPAINTS" || echo n/a)"
					else
						links_line "$name" "sshd + dialog" "$copt" "$mode" "$r"
					fi
				done
			done
		done
	done
	links_ms=$(( $(now_ms) - t0 ))
	[ -z "$DIALOG_PID" ] || { stop "$DIALOG_PID"; DIALOG_PID=; }
	links_report "$links_ms"
}
# ------------------------------------------------------------------------------------------

missing=
for tool in tmux ssh ssh-keygen python3 script; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "bench-session: skipped: missing$missing"
	exit 0
fi
for prog in "$MOTCUAD" "$LINKEM" "$MKUSER"; do
	[ -x "$prog" ] || { echo "bench-session: $prog is not built"; exit 1; }
done
[ -x "$(dirname "$MOTCUAD")/motcua-interface" ] ||
    say "no motcua-interface beside $MOTCUAD: sessions need the installed one"
# OpenSSH 9.5 and later send chaff while a key is typed (ObscureKeystrokeTiming): off, so that
# the figures do not depend on the client's version.
NO_CHAFF=
ssh -G -o ObscureKeystrokeTiming=no 127.0.0.1 >/dev/null 2>&1 && NO_CHAFF="-o ObscureKeystrokeTiming=no"

setup || { say "setup failed"; exit 1; }
status=0
case " $ONLY " in *" memory "*) bench_memory || { status=1; row "Memory" "" "FAILED" "" "see above"; } ;; esac
case " $ONLY " in *" intake "*) bench_intake || { status=1; row "Intake" "" "FAILED" "" "see above"; } ;; esac
case " $ONLY " in *" links "*) bench_links || { status=1; row "Slow links" "" "FAILED" "" "see above"; } ;; esac
case " $ONLY " in *" login "*) bench_login || { status=1; row "Login" "" "FAILED" "" "see above"; } ;; esac
print_table
exit $status
