#!/bin/sh
# fault-kill.sh: kill -9 while five one-stop officers submit intakes over `ssh -tt`: of the
# whole server (the listener with its session and interface processes), then of one session
# process. Every dossier code that reached a screen is in the store, no submission is stored
# twice, none is lost (its draft survives and is received on the next login), integrity_check
# is ok, and the listener restarts on the same data dir and port over the run files left.
# FAULT_LONG=1 (make bench) repeats each kill FAULT_ROUNDS times (default 5) and prints
# "RESULT WHAT RUNS FAILURES" lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

OFFICERS="1 2 3 4 5"

# ---- rounds: in long mode a failed round is counted and the next one runs -------------------

# ---- the server ------------------------------------------------------------------------------

# tree PID: the process and all its descendants.
tree() {
	echo "$1"
	for _c in $(ps -o pid= --ppid "$1"); do
		tree "$_c"
	done
}

# alive PIDS...: at least one of the processes still exists.
alive() {
	for _p in "$@"; do
		kill -0 "$_p" 2>/dev/null && return 0
	done
	return 1
}

# gone PIDS...: none of the processes exists any more.
gone() {
	! alive "$@"
}

# serve_again: start the server on the same data dir and port as before (the configuration
# file stays); the pid is kept in a file too, for rounds run in a subshell.
serve_again() {
	: >"$TEST_TMP/serve.out"
	"$MOTCUAD" serve --data "$DATA" --catalog "$top_srcdir/catalog" \
	    --listen "127.0.0.1:$PORT" >"$TEST_TMP/serve.out" 2>>"$TEST_TMP/serve.log" &
	SERVER_PID=$!
	echo "$SERVER_PID" >"$TEST_TMP/server.pid"
	wait_for 15 grep -q "listening on" "$TEST_TMP/serve.out" ||
	    fail "the server did not restart on port $PORT: $(tail -n 5 "$TEST_TMP/serve.log")"
}

# ---- the officers ----------------------------------------------------------------------------

# draft_of N: the draft of officer N in the store ("" if none).
draft_of() {
	db "SELECT content FROM drafts JOIN users ON users.id = drafts.user
	    WHERE login = 'tiepnhan.k$1'"
}

# draft_has N TEXT: the draft of officer N contains the text (a whole line).
draft_has() {
	draft_of "$1" | grep -qxF -- "$2"
}

# drive NAME N: in window NAME officer N types intakes one after another until the client
# ends or the file "stop" appears. Before F5 the submission is noted in "sent" (N ID); each
# receipt seen in "got" (N ID CODE).
drive() {
	_k=0
	while [ ! -e "$TEST_TMP/stop" ]; do
		_k=$((_k + 1))
		_id=$(printf '0779%02d%02d%04d' "$ROUND" "$2" "$_k")
		_applicant="Thử Nghiệm $ROUND-$2-$_k"
		tui_keys "$1" F2
		tui_await "$1" "Tìm thủ tục" 40 || return 0
		tui_type "$1" "2.000815"
		tui_await "$1" "> 2.000815" 40 || return 0
		tui_keys "$1" Enter
		tui_await "$1" "Hẹn trả kết quả nếu tiếp nhận bây giờ" 40 || return 0
		tui_type "$1" "$_applicant"
		tui_keys "$1" Tab
		tui_type "$1" "$_id"
		tui_keys "$1" Tab
		tui_type "$1" "0912345678"
		tui_keys "$1" Tab
		tui_type "$1" "Bản Thử $2"
		tui_keys "$1" Tab
		# The form is complete in the store before it is submitted.
		_deadline=$(( $(now_ms) + 20000 ))
		until draft_has "$2" "address=Bản Thử $2" && draft_has "$2" "id=$_id"; do
			tui_exited "$1" && return 0
			[ "$(now_ms)" -lt "$_deadline" ] || fail "officer $2's draft was not saved"
			sleep 0.1
		done
		echo "$2 $_id" >>"$TEST_TMP/sent"
		tui_keys "$1" F5
		# The one driver that takes the strike kills right after its F5 (see strike).
		if mv "$TEST_TMP/strike-$2" "$TEST_TMP/struck" 2>/dev/null ||
		    mv "$TEST_TMP/strike-any" "$TEST_TMP/struck" 2>/dev/null; then
			read -r _delay _victims <"$TEST_TMP/struck"
			sleep "$_delay"
			# shellcheck disable=SC2086
			kill -KILL $_victims
		fi
		tui_await "$1" "Tiếp nhận hồ sơ của: $_applicant" 40 || return 0
		_code=$(tui_code "$1")
		echo "$2 $_id $_code" >>"$TEST_TMP/got"
	done
}

# strike WHO DELAY PIDS...: the next officer to press F5 (officer WHO, or "any") kills the
# processes DELAY seconds after it, so that the submission is in flight; returns when done.
strike() {
	_who=$1
	shift
	rm -f "$TEST_TMP/struck"
	echo "$*" >"$TEST_TMP/strike.new"
	mv "$TEST_TMP/strike.new" "$TEST_TMP/strike-$_who"
	wait_for 60 test -e "$TEST_TMP/struck" || fail "nobody submitted to strike on"
	# shellcheck disable=SC2046
	wait_for 10 gone $(cut -d' ' -f2- "$TEST_TMP/struck") ||
	    fail "processes outlived kill -9: $(cat "$TEST_TMP/struck")"
}

# delay: how long after an F5 this round strikes: 0 to 0.2 s, varying with the round.
delay() {
	case $((ROUND % 5)) in
	0) echo 0.2 ;;
	1) echo 0.05 ;;
	2) echo 0 ;;
	3) echo 0.02 ;;
	4) echo 0.1 ;;
	esac
}

# officers_start: log the five officers in (windows wR-N, their bytes recorded) and start
# their drivers.
officers_start() {
	rm -f "$TEST_TMP/stop"
	: >"$TEST_TMP/drivers"
	for n in $OFFICERS; do
		: >"$TEST_TMP/rec-$ROUND-$n"
		tui_open "w$ROUND-$n" "tiepnhan.k$n"
		tui_record "w$ROUND-$n" "$TEST_TMP/rec-$ROUND-$n"
	done
	for n in $OFFICERS; do
		tui_await "w$ROUND-$n" "Tổng quan" 40 || fail "officer $n could not log in"
	done
	for n in $OFFICERS; do
		drive "w$ROUND-$n" "$n" &
		echo $! >>"$TEST_TMP/drivers"
	done
}

# officers_stop: stop the drivers (they finish the intake they are in) and close the windows.
officers_stop() {
	touch "$TEST_TMP/stop"
	for _d in $(cat "$TEST_TMP/drivers"); do
		wait "$_d" 2>/dev/null || true
	done
	for n in $OFFICERS; do
		tui_screen "w$ROUND-$n" >>"$TEST_TMP/rec-$ROUND-$n" 2>/dev/null || true
		$TUI_TMUX kill-session -t "w$ROUND-$n" 2>/dev/null || true
	done
}

# summary WHAT: print what the round did: submissions, receipts, the drafts found after it.
summary() {
	printf '%s: round %s, %s: %s submitted, %s receipts seen, %s codes on screens; after it: %s\n' \
	    "$TEST_NAME" "$ROUND" "$1" "$(wc -l <"$TEST_TMP/sent")" "$(wc -l <"$TEST_TMP/got")" \
	    "$(wc -l <"$TEST_TMP/seen")" \
	    "$(sort "$TEST_TMP/outcomes" | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"
}

# ---- the checks ------------------------------------------------------------------------------

# check_store: the store is intact; every code that reached a screen is in it with the
# applicant typed; no submission is stored twice; every submission not stored still has its
# draft; nothing is stored that was not submitted.
check_store() {
	_ic=$(db "PRAGMA integrity_check")
	[ "$_ic" = ok ] || fail "integrity_check: $_ic"
	cat "$TEST_TMP"/rec-"$ROUND"-* | grep -aoE '[A-Z]+-[0-9]{6}-[0-9]{4}' | sort -u \
	    >"$TEST_TMP/seen"
	[ -s "$TEST_TMP/seen" ] || fail "no dossier code reached any screen"
	for _c in $(cat "$TEST_TMP/seen"); do
		[ "$(db "SELECT count(*) FROM dossiers WHERE code = '$_c'")" = 1 ] ||
		    fail "$_c reached a screen but is not in the store"
	done
	while read -r _n _id _c; do
		[ "$(db "SELECT applicant_id FROM dossiers WHERE code = '$_c'")" = "$_id" ] ||
		    fail "$_c on officer $_n's receipt is not the dossier of $_id"
	done <"$TEST_TMP/got"
	_dup=$(db "SELECT group_concat(applicant_id) FROM (SELECT applicant_id FROM dossiers
	    WHERE applicant_id LIKE '0779%' GROUP BY applicant_id HAVING count(*) > 1)")
	[ -z "$_dup" ] || fail "submissions stored twice: $_dup"
	while read -r _n _id; do
		[ "$(db "SELECT count(*) FROM dossiers WHERE applicant_id = '$_id'")" = 1 ] ||
		    draft_has "$_n" "id=$_id" ||
		    fail "officer $_n's submission $_id is neither stored nor in a draft"
	done <"$TEST_TMP/sent"
	for _id in $(db "SELECT applicant_id FROM dossiers
	    WHERE applicant_id LIKE '0779$(printf %02d "$ROUND")%'"); do
		grep -q " $_id\$" "$TEST_TMP/sent" || fail "$_id was stored but never submitted"
	done
}

# resume N: officer N logs in; a draft that was submitted is resumed and submitted again (it
# is received once: anew, or found received under the same key); any other draft is dropped.
resume() {
	_draft=$(draft_of "$1")
	tui_open "r$ROUND-$1" "tiepnhan.k$1"
	if [ -z "$_draft" ]; then
		tui_wait "r$ROUND-$1" "Tổng quan" 30
		tui_shows "r$ROUND-$1" "Tiếp tục hồ sơ đang nhập dở?" && fail "a draft was offered"
		echo "no-draft" >>"$TEST_TMP/outcomes"
	else
		_id=$(printf '%s\n' "$_draft" | sed -n 's/^id=//p')
		tui_wait "r$ROUND-$1" "Tiếp tục hồ sơ đang nhập dở?" 30
		if grep -qx "$1 $_id" "$TEST_TMP/sent"; then
			tui_keys "r$ROUND-$1" Enter
			tui_wait "r$ROUND-$1" "Đã khôi phục hồ sơ đang nhập dở"
			tui_keys "r$ROUND-$1" F5
			_deadline=$(( $(now_ms) + 20000 ))
			until tui_shows "r$ROUND-$1" "GIẤY TIẾP NHẬN HỒ SƠ" ||
			    tui_shows "r$ROUND-$1" "Hồ sơ này đã được tiếp nhận trước đó: mã"; do
				[ "$(now_ms)" -lt "$_deadline" ] ||
				    fail "the resumed submission $_id got no answer"
				sleep 0.1
			done
			[ "$(db "SELECT count(*) FROM dossiers WHERE applicant_id = '$_id'")" = 1 ] ||
			    fail "the resumed submission $_id is not stored exactly once"
			_c=$(tui_code "r$ROUND-$1")
			[ "$(db "SELECT applicant_id FROM dossiers WHERE code = '$_c'")" = "$_id" ] ||
			    fail "the resumed submission shows $_c, not the dossier of $_id"
			if tui_shows "r$ROUND-$1" "GIẤY TIẾP NHẬN HỒ SƠ"; then
				echo "resumed-received" >>"$TEST_TMP/outcomes"
			else
				echo "resumed-found-received" >>"$TEST_TMP/outcomes"
			fi
		else
			tui_menu_pick "r$ROUND-$1" "Không — bỏ bản nháp"
			tui_wait "r$ROUND-$1" "Đã bỏ bản nháp"
			echo "unsent-draft-dropped" >>"$TEST_TMP/outcomes"
		fi
	fi
	tui_logout "r$ROUND-$1"
	$TUI_TMUX kill-session -t "r$ROUND-$1"
	[ -z "$(draft_of "$1")" ] || fail "officer $1 still has a draft"
}

# ---- the two kills ---------------------------------------------------------------------------

# kill_server: kill -9 the listener and all its processes while the officers submit (after
# five submissions, right after one more); then restart it and check.
kill_server() {
	ROUND=$1
	officers_start
	wait_for 60 sh -c "[ \$(wc -l <'$TEST_TMP/sent') -ge 5 ]" ||
	    fail "the officers did not submit"
	# Strike just after a submission, while others are in flight.
	_pids=$(tree "$SERVER_PID")
	[ "$(echo "$_pids" | wc -l)" -ge 11 ] ||
	    fail "expected a listener, 5 sessions and 5 interfaces: $(echo $_pids)"
	# shellcheck disable=SC2086
	strike any "$(delay)" $_pids
	wait "$SERVER_PID" 2>/dev/null || true
	for n in $OFFICERS; do
		wait_for 15 tui_exited "w$ROUND-$n" 255 ||
		    fail "w$ROUND-$n: the client did not end"
	done
	officers_stop
	check_store
	# The run files of the killed server are still there; it starts over them.
	[ -n "$(ls "$DATA/run")" ] || fail "the killed server left no run files to test with"
	serve_again
	: >"$TEST_TMP/outcomes"
	for n in $OFFICERS; do
		resume "$n"
	done
	check_store
	summary "kill -9 of the server"
}

# kill_session: kill -9 one officer's session process as it submits; the others carry on
# and the listener serves on.
kill_session() {
	ROUND=$1
	officers_start
	_victim=3
	_spid=$(session_pid "tiepnhan.k$_victim")
	[ -n "$_spid" ] || fail "no session process of tiepnhan.k$_victim"
	_ipid=$(ps -o pid= --ppid "$_spid" | tr -d ' ')
	[ -n "$_ipid" ] || fail "the session of tiepnhan.k$_victim has no interface process"
	# Strike as the victim submits its second intake.
	wait_for 60 sh -c "[ \$(grep -c '^$_victim ' '$TEST_TMP/sent') -ge 1 ]" ||
	    fail "officer $_victim did not submit"
	strike "$_victim" "$(delay)" "$_spid"
	wait_for 15 tui_exited "w$ROUND-$_victim" 255 ||
	    fail "w$ROUND-$_victim: the client did not end"
	wait_for 10 log_has "session process $_spid (tiepnhan.k$_victim from 127.0.0.1:" ||
	    fail "the listener did not log the killed session"
	wait_for 10 sh -c "! kill -0 $_ipid 2>/dev/null" ||
	    fail "the interface process $_ipid outlived its session $_spid"
	kill -0 "$SERVER_PID" || fail "the listener died with a session"
	# The others go on receiving.
	for n in $OFFICERS; do
		[ "$n" = "$_victim" ] && continue
		_got=$(grep -c "^$n " "$TEST_TMP/got" || true)
		wait_for 60 sh -c "[ \$(grep -c '^$n ' '$TEST_TMP/got') -gt $_got ]" ||
		    fail "officer $n stopped receiving after the kill"
	done
	officers_stop
	for n in $OFFICERS; do
		[ "$n" = "$_victim" ] && continue
		_left=$(draft_of "$n")
		[ -z "$_left" ] || fail "officer $n has a draft after finishing"
	done
	check_store
	: >"$TEST_TMP/outcomes"
	resume "$_victim"
	check_store
	summary "kill -9 of one session"
}

# ---- the test --------------------------------------------------------------------------------

tui_setup
trap 'touch "$TEST_TMP/stop"; [ -s "$TEST_TMP/server.pid" ] && SERVER_PID=$(cat "$TEST_TMP/server.pid"); tui_cleanup' EXIT
tui_server_start "max_unauthenticated_per_source = 10"
echo "$SERVER_PID" >"$TEST_TMP/server.pid"
for n in $OFFICERS; do
	add_user "tiepnhan.k$n" --password demo --name "Cán Bộ Thử $n"
done
[ "$(db "SELECT count(*) FROM dossiers WHERE applicant_id LIKE '0779%'")" = 0 ] ||
    fail "the demo already has applicants 0779…"

rounds=$(fault_rounds 5)
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	: >"$TEST_TMP/sent"
	: >"$TEST_TMP/got"
	fault_round kill-9-server kill_server $((2 * r - 1))
	SERVER_PID=$(cat "$TEST_TMP/server.pid")
	alive "$SERVER_PID" || serve_again
	: >"$TEST_TMP/sent"
	: >"$TEST_TMP/got"
	fault_round kill-9-session kill_session $((2 * r))
	SERVER_PID=$(cat "$TEST_TMP/server.pid")
	alive "$SERVER_PID" || serve_again
done
fault_results
exit 0
