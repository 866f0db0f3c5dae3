#!/bin/sh
# tui-officer.sh: the officers' interface driven in tmux: dashboard, help, intake (receive, guide,
# refuse), a queue and its search, a dossier handed over, a resumed draft, a small window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui-local.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is missing: skipped"; exit 77; }

DATA=$TEST_TMP/data
SOCK=motcua-tui-$$
TMUX_CMD="tmux -L $SOCK -f /dev/null"
NOW='2026-11-26 10:00'
export MOTCUA_NOW="$NOW"
trap '$TMUX_CMD kill-server 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

# client_command LOGIN: the command that runs the interface for LOGIN (swap for `ssh -tt` here).
client_command() {
	printf 'env MOTCUA_NOW="%s" MOTCUA_TUI_STATS="%s" TERM=%s "%s" tui --data "%s" --user %s --catalog "%s"; echo TUI-EXITED $?; sleep 600' \
	    "$NOW" "$TEST_TMP/stats" "${TUI_TERM:-screen}" "$MOTCUAD" "$DATA" "$1" "$top_srcdir/catalog"
}

# start LOGIN: a fresh 100×30 window running the interface (a new tmux server each time).
STARTS=0
start() {
	$TMUX_CMD kill-server 2>/dev/null || true
	STARTS=$((STARTS + 1))
	TMUX_CMD="tmux -L $SOCK-$STARTS -f /dev/null"
	$TMUX_CMD new-session -d -x 100 -y 30 "$(client_command "$1")"
}

# choose_procedure QUERY CODE: open the intake, search, choose the first result.
choose_procedure() {
	keys F2
	wait_for "Tìm thủ tục"
	type_text "$1"
	wait_for "> $2"
	keys Enter
	wait_for "Hẹn trả kết quả nếu tiếp nhận bây giờ"
}

make_data

# An unknown TERM falls back to a known terminal.
TUI_TERM=no-such-terminal start tiepnhan.tpsl
wait_for "Tiếp nhận hôm nay"
keys x
wait_for "TUI-EXITED 0"

# The dashboard is titled with the officer's name and unit.
start tiepnhan.tpsl
wait_for "Tổng quan"
wait_for "Lò Thị Hoa — Thành phố Sơn La"
wait_for "Tiếp nhận hôm nay"
wait_for "F1 Trợ giúp"

# Help lists the keys of the current screen.
keys h
wait_for "Trợ giúp — Tổng quan"
wait_for "Tiếp nhận hồ sơ mới"
wait_for "F10, x"
keys F9
wait_for "Tiếp nhận hôm nay"

# Intake: search by the folded name; a bad ID number is refused on leaving the field; text
# with an escape sequence is cleaned; receive gives a code and the receipt.
choose_procedure "chung thuc ban sao" 2.000815
type_text "$(printf 'Trần Văn\033[31m Bình')"
keys Tab
type_text "12345"
keys Tab
wait_for "Số CMND/CCCD phải gồm 9 hoặc 12 chữ số"
keys Up C-u
type_text "012345678901"
keys Tab
type_text "0912345678"
keys Tab
type_text "Số 5 đường Tô Hiệu"
keys F5
wait_for "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
wait_for "Tiếp nhận hồ sơ của: Trần Văn Bình"
screen | grep -qF '[31m' && fail "an escape sequence reached the screen"
code=$(screen | grep -oE 'TPSL-[0-9]{6}-[0-9]{4}' | head -n 1)
[ -n "$code" ] || fail "no dossier code on the receipt"
wait_for "Đã tiếp nhận hồ sơ $code"
# tmux's terminal (screen) has no printer pass-through: the officer is told so.
keys F6
wait_for "Terminal không hỗ trợ in chuyển tiếp (mc5/mc4)"
keys F9
wait_for "Tiếp nhận hôm nay"

# Guide for a supplement: the missing document is marked with Space; nothing is received.
choose_procedure "2.000815" 2.000815
type_text "Lê Thị Cúc"
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Space
wait_for "THIẾU Bản chính giấy tờ"
keys F6
wait_for "Giấy tờ còn thiếu"
keys Enter
wait_for "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
wait_for "Đã ghi hướng dẫn bổ sung"
keys F9
wait_for "Tiếp nhận hôm nay"

# Refuse at intake, with the reason.
choose_procedure "2.000815" 2.000815
type_text "Hoàng Văn Dũng"
keys Tab
type_text "123456789"
keys F7
wait_for "Lý do từ chối tiếp nhận"
type_text "Giấy tờ không do cơ quan Việt Nam cấp"
keys Enter
wait_for "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"
wait_for "Giấy tờ không do cơ quan Việt Nam cấp"
keys F9
wait_for "Tiếp nhận hôm nay"

# A queue lists the new dossier; the search finds it by the folded name; it is handed over.
keys q
wait_for "[1 Mới tiếp nhận]"
wait_for "$code"
keys /
wait_for "Tìm trong hàng đợi"
type_text "tran van binh"
keys Enter
wait_for "tìm: \"tran van binh\""
wait_for "> $code"
keys Enter
wait_for "Hồ sơ $code"
wait_for "Trạng thái: Đã tiếp nhận"
keys c
wait_for "ghi chú (không bắt buộc)"
keys Enter
wait_for "Đã thực hiện: Chuyển bước"
wait_for "Trạng thái: Đang xử lý"

# Below 80×24 only the enlarge message shows; back to size, the screen returns.
$TMUX_CMD resize-window -x 70 -y 20
wait_for "Vui lòng phóng to cửa sổ (tối thiểu 80×24)"
wait_gone "Trạng thái: Đang xử lý"
$TMUX_CMD resize-window -x 100 -y 30
wait_for "Trạng thái: Đang xử lý"

# Log out; the repaint count is written for benchmarks.
keys x
wait_for "TUI-EXITED 0"
grep -qE '^repaints [0-9]+$' "$TEST_TMP/stats" || fail "no repaint count: $(cat "$TEST_TMP/stats")"

# A draft survives a dropped terminal and is offered at the next login.
start tiepnhan.tpsl
wait_for "Tổng quan"
choose_procedure "2.000815" 2.000815
type_text "Đèo Thị Mơ"
keys Tab
type_text "987654321"
keys Tab
wait_for "> Điện thoại"
$TMUX_CMD kill-server
start tiepnhan.tpsl
wait_for "Tiếp tục hồ sơ đang nhập dở?"
keys Enter
wait_for "Đã khôi phục hồ sơ đang nhập dở"
wait_for "Đèo Thị Mơ"
wait_for "987654321"
keys F5
wait_for "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
wait_for "Tiếp nhận hồ sơ của: Đèo Thị Mơ"
keys x
wait_for "TUI-EXITED 0"
start tiepnhan.tpsl
wait_for "Lần lưu gần nhất: TPSL-"
screen | grep -qF "Tiếp tục hồ sơ đang nhập dở?" && fail "the draft was offered after it was received"
keys x
wait_for "TUI-EXITED 0"
exit 0
