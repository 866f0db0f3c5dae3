#!/bin/bash
# bench-capacity.sh: the capacity benchmark of `make bench`: 100, 500 and 1,000 concurrent
# interface sessions opened by a libssh client (bench-capacity): the memory (PSS) of an idle
# session, the keystroke echo latency while a tenth of them type, and intakes per second.
#
# Environment: MOTCUAD, MKUSER, CAPACITY (the client), CATALOG; BENCH_CAPACITY (the session
# counts, "100 500 1000"), BENCH_TYPE_SECONDS (20), BENCH_INTAKE_SECONDS (20),
# BENCH_INTAKE_WORKERS (10), KEEP_TMP.

set -u
export LC_ALL=C.UTF-8
here=$(cd "$(dirname "$0")" && pwd)
MOTCUAD=$(realpath "${MOTCUAD:-./motcuad}")
MKUSER=$(realpath "${MKUSER:-./tests/tools/mkuser}")
CAPACITY=$(realpath "${CAPACITY:-./tests/tools/bench-capacity}")
CATALOG=$(realpath "${CATALOG:-$here/../../catalog}")
COUNTS=${BENCH_CAPACITY:-100 500 1000}
TYPE_SECONDS=${BENCH_TYPE_SECONDS:-20}
INTAKE_SECONDS=${BENCH_INTAKE_SECONDS:-20}
WORKERS=${BENCH_INTAKE_WORKERS:-10}
export MOTCUA_NOW='2026-11-26 10:00'
TMP=$(mktemp -d "${TMPDIR:-/tmp}/motcua-capacity.XXXXXX")
SERVER_PID=
client_pid=

# say TEXT: progress on stderr.
say() {
	printf 'bench-capacity: %s\n' "$*" >&2
}

# cleanup: stop the client and the server, remove the work dir.
cleanup() {
	[ -z "$client_pid" ] || kill "$client_pid" 2>/dev/null
	[ -z "$SERVER_PID" ] || { kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; }
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# pss PID...: the sum of the processes' proportional set sizes, in kB.
pss() {
	local p sum=0 v
	for p in "$@"; do
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		sum=$(( sum + ${v:-0} ))
	done
	echo "$sum"
}

# descendants PID: every process below PID.
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

# free_port: a TCP port free on the loopback address.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# make_users N: a pristine data dir with the one-stop officers bench1.tpsl … benchN.tpsl, each
# holding the bench key (one user per terminal: drafts are per user).
make_users() {
	local i
	mkdir -p "$TMP/pristine"
	for i in $(seq "$1"); do
		"$MKUSER" "$TMP/pristine/motcua.db" "bench$i.tpsl" --key "$TMP/id_ed25519.pub" \
		    --role one-stop --unit TPSL --department mot-cua --name "Lò Thị Hoa" >/dev/null ||
		    return 1
	done
}

# server_start N: a fresh server whose limits admit N sessions from one address.
server_start() {
	local key
	DATA="$TMP/data-$1"
	rm -rf "$DATA"
	cp -a "$TMP/pristine" "$DATA"
	: >"$DATA/motcuad.conf"
	# One user per terminal: the per-user cap (3) is never reached.
	for key in max_sessions max_unauthenticated max_unauthenticated_per_source \
	    penalty_failures penalty_source_failures; do
		echo "$key = $(( $1 + 50 ))" >>"$DATA/motcuad.conf"
	done
	echo "penalty_seconds = 0" >>"$DATA/motcuad.conf"
	PORT=$(free_port)
	"$MOTCUAD" serve --data "$DATA" --catalog "$CATALOG" --listen "127.0.0.1:$PORT" \
	    >"$DATA/serve.out" 2>"$DATA/serve.log" &
	SERVER_PID=$!
	for _ in $(seq 300); do
		grep -q "listening on" "$DATA/serve.out" && break
		sleep 0.1
	done
	grep -q "listening on" "$DATA/serve.out" || { say "the server did not start"; return 1; }
}

# server_stop: stop the server.
server_stop() {
	kill -TERM "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}

# settled_pss PIDS...: the total PSS once it stops falling (idle sessions return freed memory).
settled_pss() {
	local prev cur i
	prev=$(pss "$@")
	for i in $(seq 20); do
		sleep 0.5
		cur=$(pss "$@")
		[ $(( (prev - cur) * 100 )) -le "$prev" ] && break
		prev=$cur
	done
	echo "$cur"
}

ssh-keygen -q -t ed25519 -N '' -f "$TMP/id_ed25519" || exit 1
max=$(printf '%s\n' $COUNTS | sort -n | tail -n 1)
say "adding $max users"
make_users "$max" || { say "cannot add the users"; exit 1; }
: >"$TMP/rows"
status=0
for n in $COUNTS; do
	say "$n sessions"
	server_start "$n" || { status=1; continue; }
	typing=$(( n / 10 ))
	workers=$WORKERS
	[ $(( typing + workers )) -le "$n" ] || workers=$(( n - typing ))
	coproc CLIENT { "$CAPACITY" --port "$PORT" --user 'bench%.tpsl' --key "$TMP/id_ed25519" \
	    --sessions "$n" --typing "$typing" --type-seconds "$TYPE_SECONDS" \
	    --intake "$workers" --intake-seconds "$INTAKE_SECONDS" 2>"$TMP/client-$n.err"; }
	client_pid=$CLIENT_PID
	connected= echo= intakes= per= listener=
	while IFS= read -r line <&"${CLIENT[0]}"; do
		case $line in
		connected*) connected=$line ;;
		"READY idle")
			all=$(descendants "$SERVER_PID")
			total=$(settled_pss $all)
			listener=$(pss "$SERVER_PID")
			count=$(ps -o pid= --ppid "$SERVER_PID" | grep -c .)
			per=$(awk -v t="$total" -v n="$count" 'BEGIN { printf "%.2f", n ? t / n / 1024 : 0 }')
			sess=$(pss $(ps -o pid= --ppid "$SERVER_PID"))
			sess=$(awk -v t="$sess" -v n="$count" 'BEGIN { printf "%.2f", n ? t / n / 1024 : 0 }')
			say "$count sessions idle: $per MB each (session process $sess MB)"
			echo go >&"${CLIENT[1]}" ;;
		echo*) echo=$line ;;
		intakes*) intakes=$line ;;
		"READY done") echo go >&"${CLIENT[1]}" ;;
		esac
	done
	wait "$client_pid" 2>/dev/null || { status=1; say "the client failed: $(tail -n 3 "$TMP/client-$n.err")"; }
	client_pid=
	p50=$(printf '%s\n' "$echo" | sed -n 's/.* p50 \([0-9.]*\) ms.*/\1/p')
	p99=$(printf '%s\n' "$echo" | sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p')
	keys=$(printf '%s\n' "$echo" | sed -n 's/.* keys \([0-9]*\) .*/\1/p')
	rate=$(printf '%s\n' "$intakes" | sed -n 's/.* rate \([0-9.]*\)\/s.*/\1/p')
	done_n=$(printf '%s\n' "$intakes" | sed -n 's/.* done \([0-9]*\) .*/\1/p')
	failed=$(printf '%s\n' "$intakes" | sed -n 's/.* failed \([0-9]*\) .*/\1/p')
	stored=$(sqlite3 "$DATA/motcua.db" 'SELECT count(*) FROM dossiers' 2>/dev/null)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "${per:-?}" "${sess:-?}" \
	    "$(awk -v t="${listener:-0}" 'BEGIN { printf "%.1f", t / 1024 }')" \
	    "${p50:-?}" "${p99:-?}" "${keys:-?}" "${rate:-?}" \
	    "${done_n:-?} done, ${failed:-?} failed, $stored stored; ${connected:-not connected}" >>"$TMP/rows"
	server_stop
done

printf '\nCapacity (libssh client on loopback, MOTCUA_NOW "%s", %s)\n\n' "$MOTCUA_NOW" \
    "$(date -u '+%Y-%m-%d %H:%MZ')"
printf '%-9s %-16s %-11s %-10s %-18s %-18s %-7s %-11s\n' sessions "PSS/session MB" \
    "of which" listener "echo p50 ms" "echo p99 ms" keys "intakes/s"
printf '%-9s %-16s %-11s %-10s %-18s %-18s %-7s %-11s\n' "" "(target <= 1.0)" "SSH proc" "MB" \
    "(10% typing)" "(target < 50)" "" ""
while IFS=$'\t' read -r n per sess listener p50 p99 keys rate note; do
	printf '%-9s %-16s %-11s %-10s %-18s %-18s %-7s %-11s\n' "$n" "$per" "$sess" "$listener" \
	    "$p50" "$p99" "$keys" "$rate"
	printf '    %s\n' "$note"
done <"$TMP/rows"
exit $status
