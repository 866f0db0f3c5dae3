#!/bin/sh
# fault-cut.sh: the link of a one-stop officer (through tests/tools/linkem) is cut in the
# middle of an intake, N times (3; 20 with FAULT_LONG=1), each time at another byte: before
# the form, while it is typed, just after the submission. After each cut: no partial dossier
# (none, or one with everything typed), the draft is offered on the next login and resumes
# as it was saved, and finishing the intake leaves exactly one dossier (a retry of a
# submission that was committed finds it instead of making a second one).
# In long mode it prints "RESULT cut-mid-intake RUNS FAILURES".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

LOGIN=tiepnhan.c1

# draft LOGIN: the officer's draft in the store ("" if none).
draft() {
	db "SELECT content FROM drafts JOIN users ON users.id = drafts.user WHERE login = '$1'"
}

# draft_field LOGIN KEY: the value of a field of the officer's draft.
draft_field() {
	draft "$1" | sed -n "s/^$2=//p"
}

# intake NAME LOGIN APPLICANT ID [typed]: the standard steps of an intake in window NAME, up
# to the receipt (or, with "typed", up to the form saved, not submitted); returns 1 as soon
# as the client has ended. STEP says how far it got (login, search, form, typed, submitted,
# received).
intake() {
	STEP=login
	tui_await "$1" "Tổng quan" || return 1
	STEP=search
	tui_keys "$1" F2
	tui_await "$1" "Tìm thủ tục" || return 1
	tui_type "$1" "2.000815"
	tui_await "$1" "> 2.000815" || return 1
	tui_keys "$1" Enter
	tui_await "$1" "Hẹn trả kết quả nếu tiếp nhận bây giờ" || return 1
	STEP=form
	tui_type "$1" "$3"
	tui_keys "$1" Tab
	tui_type "$1" "$4"
	tui_keys "$1" Tab
	tui_type "$1" 0912345678
	tui_keys "$1" Tab
	tui_type "$1" "Bản Cắt Thử"
	tui_keys "$1" Tab
	_deadline=$(( $(now_ms) + 20000 ))
	until [ "$(draft_field "$2" address)" = "Bản Cắt Thử" ]; do
		tui_exited "$1" && return 1
		[ "$(now_ms)" -lt "$_deadline" ] || fail "the form was not saved as a draft"
		sleep 0.1
	done
	STEP=typed
	[ "${5:-}" != typed ] || return 0
	STEP=submitted
	tui_keys "$1" F5
	tui_await "$1" "Tiếp nhận hồ sơ của: $3" || return 1
	STEP=received
}

# stored ID: "count|state|name|phone|address" of the applicant's dossiers.
stored() {
	db "SELECT count(*), max(state), max(applicant_name), max(applicant_phone),
	    max(applicant_address) FROM dossiers WHERE applicant_id = '$1'"
}

# cut I BYTES: intake I over a link cut after BYTES bytes (both ways together), then the
# checks and the retry on a direct login.
cut() {
	I=$1
	_applicant="Cắt Thử $I"
	_id=$(printf '0778%08d' "$I")
	_complete="1|2|$_applicant|0912345678|Bản Cắt Thử"
	[ -z "$(draft "$LOGIN")" ] || fail "a draft is left before cut $I"
	_before=$(log_count "disconnect: $LOGIN")
	linkem_start --cut-after-bytes "$2" --once
	TUI_PORT=$LINK_PORT tui_open "x$I" "$LOGIN"
	if intake "x$I" "$LOGIN" "$_applicant" "$_id"; then
		# The link outlived the intake: log out over it (or be cut doing so).
		tui_keys "x$I" F10
	fi
	wait_for 20 tui_exited "x$I" || fail "cut $I: the client did not end"
	wait_for 15 sh -c "[ \$(grep -cF 'disconnect: $LOGIN' '$TEST_TMP/serve.log') -gt $_before ]" ||
	    fail "cut $I: the server did not end the session"
	$TUI_TMUX kill-session -t "x$I"
	_at=$STEP

	# No partial dossier: none before the submission, else one with everything typed.
	_s=$(stored "$_id")
	case $_at in
	login|search|form|typed)
		[ "$_s" = "0||||" ] || fail "cut $I at $_at: a dossier before the submission: $_s" ;;
	*)
		[ "$_s" = "0||||" ] || [ "$_s" = "$_complete" ] ||
		    fail "cut $I at $_at: a partial dossier: $_s" ;;
	esac
	_code=$(db "SELECT code FROM dossiers WHERE applicant_id = '$_id'")
	# What the draft holds was typed (a prefix of it, if the cut came mid-field).
	_dname=$(draft_field "$LOGIN" name)
	case $_applicant in
	"$_dname"*) ;;
	*) fail "cut $I: the draft holds the name '$_dname'" ;;
	esac
	_did=$(draft_field "$LOGIN" id)
	case $_id in
	"$_did"*) ;;
	*) fail "cut $I: the draft holds the ID '$_did'" ;;
	esac
	_draft=$(draft "$LOGIN")

	# The next login, direct: the draft is offered and resumes as saved; it is finished.
	tui_open "y$I" "$LOGIN"
	if [ -n "$_draft" ]; then
		tui_wait "y$I" "Tiếp tục hồ sơ đang nhập dở?" 30
		tui_keys "y$I" Enter
		tui_wait "y$I" "Đã khôi phục hồ sơ đang nhập dở"
		[ -z "$_dname" ] || tui_wait "y$I" "$_dname"
		[ -z "$_did" ] || tui_wait "y$I" "$_did"
		# Finish it: every field again from the first.
		tui_keys "y$I" Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up
		for _v in "$_applicant" "$_id" 0912345678 "Bản Cắt Thử"; do
			tui_keys "y$I" C-u
			tui_type "y$I" "$_v"
			tui_keys "y$I" Tab
		done
		tui_keys "y$I" F5
		if [ -n "$_code" ]; then
			tui_wait "y$I" "Hồ sơ này đã được tiếp nhận trước đó: mã $_code"
			_how=retry-found-received
		else
			tui_wait "y$I" "Tiếp nhận hồ sơ của: $_applicant"
			_how=resumed
		fi
	else
		tui_wait "y$I" "Tổng quan" 30
		tui_shows "y$I" "Tiếp tục hồ sơ đang nhập dở?" && fail "cut $I: a draft was offered"
		if [ -n "$_code" ]; then
			tui_wait "y$I" "Lần lưu gần nhất: $_code"
			_how=received-before-cut
		else
			# Nothing was kept: the officer starts again.
			intake "y$I" "$LOGIN" "$_applicant" "$_id" || fail "cut $I: the direct login ended"
			_how=typed-again
		fi
	fi
	tui_logout "y$I"
	$TUI_TMUX kill-session -t "y$I"
	_s=$(stored "$_id")
	[ "$_s" = "$_complete" ] || fail "cut $I ($_how): the store holds $_s"
	[ -z "$(draft "$LOGIN")" ] || fail "cut $I: a draft is left after the intake"
	printf '%s: cut %s after %s bytes, at %s: %s\n' "$TEST_NAME" "$I" "$2" "$_at" "$_how"
}

tui_setup
tui_server_start
add_user tiepnhan.c0 --password demo
add_user "$LOGIN" --password demo

# The bytes of a login to the dashboard, and of the intake up to the submission.
linkem_start --stats "$TEST_TMP/calibrate"
TUI_PORT=$LINK_PORT tui_open cal tiepnhan.c0
tui_wait cal "Tổng quan" 20
kill "$(tui_client_pid cal)"
wait_for 15 tui_exited cal || fail "the calibration client did not end"
$TUI_TMUX kill-session -t cal
TUI_PORT=$LINK_PORT tui_open cal tiepnhan.c0
intake cal tiepnhan.c0 "Đo Thử" 077700000001 typed || fail "the calibration stopped at $STEP"
kill "$(tui_client_pid cal)"
wait_for 15 tui_exited cal || fail "the calibration client did not end"
$TUI_TMUX kill-session -t cal
wait_for 10 sh -c "[ \$(wc -l <'$TEST_TMP/calibrate') = 2 ]" || fail "no link statistics"
login_bytes=$(awk 'NR == 1 { print $2 + $4 }' "$TEST_TMP/calibrate")
form_bytes=$(awk 'NR == 2 { print $2 + $4 }' "$TEST_TMP/calibrate")
[ "$form_bytes" -gt "$login_bytes" ] || fail "calibration: $login_bytes, $form_bytes bytes"
echo "$TEST_NAME: a login takes $login_bytes bytes, the intake to its submission $form_bytes"

if [ -n "${FAULT_LONG:-}" ]; then
	cuts=20
else
	cuts=3
fi
# Every third cut falls just after the submission; the others spread over the intake.
i=0
while [ "$i" -lt "$cuts" ]; do
	i=$((i + 1))
	if [ $((i % 3)) = 0 ]; then
		bytes=$((form_bytes + 40 * (i / 3)))
	else
		bytes=$((login_bytes + (form_bytes - login_bytes) * (2 * i - 1) / (2 * cuts)))
	fi
	fault_round cut-mid-intake cut "$i" "$bytes"
	if [ "$FAULT_RC" != 0 ]; then
		# Start the next round clean.
		$TUI_TMUX kill-session -t "x$i" 2>/dev/null || true
		$TUI_TMUX kill-session -t "y$i" 2>/dev/null || true
		db "DELETE FROM drafts WHERE user = (SELECT id FROM users WHERE login = '$LOGIN')"
	fi
done
fault_results
exit 0
