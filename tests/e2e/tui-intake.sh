#!/bin/sh
# tui-intake.sh: over `ssh -tt`, the one-stop officer receives a complete dossier; the code on
# the receipt is in the store with the applicant and the state "received".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start
before=$(db "SELECT count(*) FROM dossiers")

tui_login a tiepnhan.tpsl
tui_wait a "Lò Thị Hoa — Thành phố Sơn La"
tui_intake_start a "chung thuc ban sao" 2.000815
tui_type a "Trần Thị Ngọc Ánh"
tui_keys a Tab
tui_type a "012345678901"
tui_keys a Tab
tui_type a "0912345678"
tui_keys a Tab
tui_type a "Số 12 đường Chu Văn Thịnh"
tui_keys a Tab
tui_type a "Phường Chiềng Lề"
tui_keys a F5
tui_wait a "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
tui_wait a "Tiếp nhận hồ sơ của: Trần Thị Ngọc Ánh"
code=$(tui_code a)
case $code in
TPSL-261126-[0-9][0-9][0-9][0-9]) ;;
*) fail "no TPSL dossier code of 26/11/2026 on the receipt: '$code'" ;;
esac
tui_wait a "Đã tiếp nhận hồ sơ $code"

row=$(db "SELECT state, applicant_name, applicant_id, applicant_phone, applicant_address,
    applicant_commune, procedure_code, unit, department, channel FROM dossiers
    WHERE code = '$code'")
expected="2|Trần Thị Ngọc Ánh|012345678901|0912345678|Số 12 đường Chu Văn Thịnh"
expected="$expected|Phường Chiềng Lề|2.000815|TPSL|mot-cua|counter"
[ "$row" = "$expected" ] ||
    fail "the store holds for $code: '$row'"
[ "$(db "SELECT login FROM users JOIN dossiers ON users.id = dossiers.received_by
    WHERE code = '$code'")" = tiepnhan.tpsl ] || fail "$code was not received by tiepnhan.tpsl"
[ "$(db "SELECT count(*) FROM dossiers")" = $((before + 1)) ] ||
    fail "the intake did not add exactly one dossier"
[ "$(db "SELECT count(*) FROM drafts")" = 0 ] || fail "a draft is left after the intake"

tui_logout a
log_has "disconnect: tiepnhan.tpsl from 127.0.0.1:" || fail "no disconnect line for the officer"
exit 0
