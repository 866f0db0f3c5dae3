#!/bin/sh
# tui-keys.sh: the officers' interface driven in tmux: typing in a field repaints no more than
# the field; the numeric keypad in application mode (Esc O p … Esc O y, as PuTTY sends them)
# types digits; an unknown Esc O sequence types nothing; a hang-up (SIGHUP) or SIGTERM saves
# the draft with what was typed just before it; an apology's new appointment is shown alike
# in the lists and on the dossier.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui-local.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is missing: skipped"; exit 77; }
command -v pgrep >/dev/null 2>&1 || { echo "pgrep is missing: skipped"; exit 77; }

DATA=$TEST_TMP/data
SOCK=motcua-keys-$$
TMUX_CMD="tmux -L $SOCK -f /dev/null"
NOW='2026-11-26 10:00'
export MOTCUA_NOW="$NOW"
trap '$TMUX_CMD kill-server 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

# start TERM LOGIN: a fresh 100×30 window running the interface (a new tmux server each time);
# the count of full repaints goes to $STATS.
STARTS=0
STATS=$TEST_TMP/stats
start() {
	$TMUX_CMD kill-server 2>/dev/null || true
	STARTS=$((STARTS + 1))
	TMUX_CMD="tmux -L $SOCK-$STARTS -f /dev/null"
	$TMUX_CMD new-session -d -x 100 -y 30 "$(printf 'env MOTCUA_NOW="%s" MOTCUA_TUI_STATS="%s" TERM=%s "%s" tui --data "%s" --user %s --catalog "%s"; echo TUI-EXITED $?; sleep 600' \
	    "$NOW" "$STATS" "$1" "$MOTCUAD" "$DATA" "$2" "$top_srcdir/catalog")"
}

# keypad DIGITS: type digits, '.' and Enter ('E') on the keypad in application mode.
keypad() {
	seq=
	for c in $(printf '%s' "$1" | sed 's/./& /g'); do
		case $c in
		[0-9])	f=$(printf '%s' pqrstuvwxy | cut -c $((c + 1))) ;;
		.)	f=n ;;
		E)	f=M ;;
		*)	fail "no keypad key for '$c'" ;;
		esac
		seq="$seq$(printf '\033O%s' "$f")"
	done
	type_text "$seq"
}

# interface_pid: the process of the interface running on $DATA (not the shell around it).
interface_pid() {
	pgrep -f "^[^ ]*motcuad tui --data $DATA " | head -n 1
}

# login TERM: start the interface for the one-stop officer; a draft offered is thrown away.
login() {
	start "$1" tiepnhan.tpsl
	deadline=$(( $(date +%s) + 10 ))
	until screen | grep -qF "Tiếp nhận hôm nay"; do
		if screen | grep -qF "Tiếp tục hồ sơ đang nhập dở?"; then
			keys Down Enter
			wait_for "Đã bỏ bản nháp"
			break
		fi
		[ "$(date +%s)" -lt "$deadline" ] || { screen >&2; fail "no dashboard at login"; }
		sleep 0.1
	done
}

# intake_session MORE: search, choose, fill the name, go to the first document's count and
# log out; with MORE=yes, also type, erase and retype in the fields and move back and forth
# between them. Sets REPAINTS to the number of full repaints of the session (not run in a
# subshell: the tmux server it starts must be the one the trap stops).
intake_session() {
	login screen
	keys F2
	wait_for "Tìm thủ tục"
	if [ "$1" = yes ]; then
		type_text "chung thuc"
		wait_for "> 2."
		keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
		wait_gone "> 2."
		type_text "zzzz"
		wait_for "(không tìm thấy thủ tục nào)"
		keys C-u
		wait_gone "(không tìm thấy thủ tục nào)"
	fi
	type_text "2.000815"
	wait_for "> 2.000815"
	keys Enter
	wait_for "Hẹn trả kết quả nếu tiếp nhận bây giờ"
	type_text "Lò Thị Mai"
	wait_for "Lò Thị Mai"
	if [ "$1" = yes ]; then
		keys C-u
		wait_gone "Lò Thị Mai"
		type_text "Lò Thị Mai"
		keys Tab BTab Tab BTab
		wait_for "Lò Thị Mai"
	fi
	keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
	if [ "$1" = yes ]; then
		keys Space
		wait_for "THIẾU Bản chính giấy tờ"
		keys Space
		wait_gone "THIẾU Bản chính giấy tờ"
		keys BSpace
		wait_for "THIẾU Bản chính giấy tờ"
		type_text "1"
		wait_gone "THIẾU Bản chính giấy tờ"
	fi
	keys F10
	wait_for "TUI-EXITED 0"
	REPAINTS=$(sed -n 's/^repaints //p' "$STATS")
}

make_data

# Typing, erasing and moving between the fields redraws those lines, not the screen: the
# session with many more keys repaints the screen as often as the one without them.
intake_session no
intake_session no
few=$REPAINTS
intake_session yes
many=$REPAINTS
[ -n "$few" ] || fail "no repaint count"
[ "$few" = "$many" ] || fail "typing repainted the screen: $many full repaints, not $few"

# TERM=xterm binds Esc O w (the 7) and others to curses' keypad codes; they must be digits.
for term in xterm screen; do
	login "$term"

	# The procedure search: 2.000815 on the keypad finds the procedure; Enter chooses it.
	keys F2
	wait_for "Tìm thủ tục"
	keypad "2.000815"
	wait_for "> 2.000815"
	no_text "rnpppxqu"
	keypad "E"
	wait_for "Hẹn trả kết quả nếu tiếp nhận bây giờ"

	# An unknown Esc O sequence is swallowed whole: nothing of it is typed.
	type_text "$(printf 'Lò Văn Hùng\033Oz')"
	wait_for "Lò Văn Hùng"
	sleep 0.3
	no_text "Hùngz"
	no_text "HùngO"
	keys Tab

	# The ID number on the keypad, the keypad's Enter to the next field: accepted as is.
	wait_for "> Số CMND/CCCD"
	keypad "012345678901"
	wait_for "012345678901"
	keypad "E"
	wait_for "> Điện thoại"
	no_text "Số CMND/CCCD phải gồm 9 hoặc 12 chữ số"
	keys F10
	wait_for "TUI-EXITED 0"
done

# A hang-up right after typing: the interface saves the draft with that text and ends.
login screen
keys F2
wait_for "Tìm thủ tục"
type_text "2.000815"
wait_for "> 2.000815"
keys Enter
wait_for "Hẹn trả kết quả nếu tiếp nhận bây giờ"
type_text "Quàng Thị Hạnh"
keys Tab
wait_for "> Số CMND/CCCD"
type_text "034567890123"
wait_for "034567890123"
pid=$(interface_pid)
[ -n "$pid" ] || fail "the interface's process was not found"
kill -HUP "$pid"
wait_for "TUI-EXITED 0" 5
start screen tiepnhan.tpsl
wait_for "Tiếp tục hồ sơ đang nhập dở?"
keys Enter
wait_for "Đã khôi phục hồ sơ đang nhập dở"
wait_for "Quàng Thị Hạnh"
wait_for "034567890123"

# The same for SIGTERM (the server stops), in the next field of the restored form.
keys Tab
wait_for "> Điện thoại"
type_text "0987654321"
wait_for "0987654321"
pid=$(interface_pid)
[ -n "$pid" ] || fail "the interface's process was not found"
kill -TERM "$pid"
wait_for "TUI-EXITED 0" 5
start screen tiepnhan.tpsl
wait_for "Tiếp tục hồ sơ đang nhập dở?"
keys Enter
wait_for "Đã khôi phục hồ sơ đang nhập dở"
wait_for "0987654321"
keys F10
wait_for "TUI-EXITED 0"

# open_code CODE: open a dossier by its code (F4).
open_code() {
	keys F4
	wait_for "Mã hồ sơ (ví dụ"
	type_text "$1"
	keys Enter
	wait_for "Hồ sơ $1"
}

# queue_line CODE: the line of CODE in the one-stop's queue, found by the queue's search.
queue_line() {
	keys F3
	wait_for "[1 Mới tiếp nhận]"
	keys /
	wait_for "Tìm trong hàng đợi"
	type_text "$1"
	keys Enter
	wait_for "> $1"
	screen | grep -F -- "> $1"
}

# An apology (Mẫu 04) gives one new appointment: past the legal due time but before the new
# appointment the lists say HẸN LẠI, after it QUÁ HẠN; the dossier says QUÁ HẠN with the new
# appointment either way.
login screen
keys F2
wait_for "Tìm thủ tục"
type_text "2.000815"
wait_for "> 2.000815"
keys Enter
wait_for "Hẹn trả kết quả nếu tiếp nhận bây giờ"
type_text "Cầm Văn Phúc"
keys Tab
type_text "045678901234"
keys F5
wait_for "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
code=$(screen | grep -oE 'TPSL-[0-9]{6}-[0-9]{4}' | head -n 1)
[ -n "$code" ] || fail "no dossier code on the receipt"
keys F9
wait_for "Tiếp nhận hôm nay"
open_code "$code"
wait_for "[l] Xin lỗi"
keys l
wait_for "lý do (bắt buộc)"
type_text "Chờ xác minh bản chính"
keys Enter
wait_for "Ngày hẹn trả kết quả mới"
type_text "16:30 28/12/2026"
keys Enter
wait_for "Phiếu xin lỗi và hẹn lại (Mẫu 04) — $code"
keys F9
wait_for "Hẹn trả: 16:30 28/12/2026"
no_text "QUÁ HẠN"
keys F10
wait_for "TUI-EXITED 0"

NOW='2026-12-20 10:00'
login screen
open_code "$code"
wait_for "Trạng thái: Đã tiếp nhận — QUÁ HẠN (đã hẹn lại: 16:30 28/12/2026)"
keys F9
line=$(queue_line "$code")
printf '%s\n' "$line" | grep -qF "HẸN LẠI" || fail "before the new appointment: $line"
keys F10
wait_for "TUI-EXITED 0"

NOW='2026-12-29 10:00'
login screen
open_code "$code"
wait_for "Trạng thái: Đã tiếp nhận — QUÁ HẠN (đã hẹn lại: 16:30 28/12/2026)"
keys F9
line=$(queue_line "$code")
printf '%s\n' "$line" | grep -qF "QUÁ HẠN" || fail "after the new appointment: $line"
keys F10
wait_for "TUI-EXITED 0"
exit 0
