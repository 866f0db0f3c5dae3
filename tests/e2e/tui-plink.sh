#!/bin/sh
# tui-plink.sh: PuTTY's plink logs in with a password and the pinned host key, runs the
# interface, and PuTTY's own key sequences work (F1–F4 as ESC [11~…, backspace as DEL): the
# dashboard, help, an intake received and found in the store, and F10 logs out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

command -v plink >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no plink"; exit 77; }
tui_setup
tui_server_start
case $FINGERPRINT in
SHA256:*) ;;
*) fail "no host key fingerprint printed: '$FINGERPRINT'" ;;
esac

tui_window p "plink -batch -ssh -P $PORT -pw demo -hostkey '$FINGERPRINT' -t \
    tiepnhan.tpsl@127.0.0.1; echo \"PLINK-EXITED \$?\"; exec sleep 600"
tui_wait p "Tổng quan" 20
tui_wait p "Lò Thị Hoa — Thành phố Sơn La"
tui_wait p "Tiếp nhận hôm nay"
tui_wait p "F1 Trợ giúp"
log_has "auth ok: password for tiepnhan.tpsl from 127.0.0.1:" || fail "no password login logged"

# PuTTY's F1 (ESC [11~): help for the dashboard; its F9 (ESC [20~) goes back.
tui_type p "$(printf '\033[11~')"
tui_wait p "Trợ giúp — Tổng quan"
tui_type p "$(printf '\033[20~')"
tui_wait p "Tiếp nhận hôm nay"

# PuTTY's F2 (ESC [12~) opens the intake; DEL erases; F5 (ESC [15~) receives.
tui_type p "$(printf '\033[12~')"
tui_wait p "Tìm thủ tục"
tui_type p "2.000815"
tui_wait p "> 2.000815"
tui_keys p Enter
tui_wait p "Hẹn trả kết quả nếu tiếp nhận bây giờ"
tui_type p "$(printf 'Bạc Cầm Thươngx\177')"
tui_keys p Tab
tui_type p "056789012345"
tui_type p "$(printf '\033[15~')"
tui_wait p "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
tui_wait p "Tiếp nhận hồ sơ của: Bạc Cầm Thương"
code=$(tui_code p)
[ "$(db "SELECT state || '|' || applicant_name FROM dossiers WHERE code = '$code'
    AND applicant_id = '056789012345'")" = "2|Bạc Cầm Thương" ] ||
    fail "$code is not in the store"

# PuTTY's F4 (ESC [14~) opens a dossier by code; F10 logs out and plink ends cleanly.
tui_type p "$(printf '\033[14~')"
tui_wait p "Mã hồ sơ (ví dụ"
tui_type p "$code"
tui_keys p Enter
tui_wait p "Hồ sơ $code"
tui_type p "$(printf '\033[21~')"
tui_wait p "PLINK-EXITED 0"
wait_for 10 log_has "disconnect: tiepnhan.tpsl from 127.0.0.1:" || fail "no disconnect logged"
exit 0
