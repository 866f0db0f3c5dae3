#!/bin/sh
# tui-drop.sh: the link drops in the middle of an intake over `ssh -tt` (a relay cuts it); the
# next login offers the draft, and the resumed form is received once. Then the retry path: the
# link drops after the submission is committed but before the code reaches the screen; the
# next login shows what was last saved, and a resubmitted draft of it makes no second dossier.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start

# dossiers ID: how many dossiers the applicant with that ID number has.
dossiers() {
	db "SELECT count(*) FROM dossiers WHERE applicant_id = '$1'"
}

# draft_has TEXT: the one-stop officer's draft in the store contains the text.
draft_has() {
	[ "$(db "SELECT count(*) FROM drafts JOIN users ON users.id = drafts.user WHERE
	    login = 'tiepnhan.tpsl' AND instr(content, '$1') > 0")" = 1 ]
}

# fill NAME APPLICANT ID PHONE: the intake of 2.000815 with the applicant's name, ID, phone.
fill() {
	tui_intake_start "$1" "2.000815" 2.000815
	tui_type "$1" "$2"
	tui_keys "$1" Tab
	tui_type "$1" "$3"
	tui_keys "$1" Tab
	tui_type "$1" "$4"
	tui_keys "$1" Tab
	tui_wait "$1" "> Địa chỉ"
}

# 1. The link is cut mid-form: through a relay that cuts every connection after 6 s.
linkem_start --cut-after-seconds 6
TUI_PORT=$LINK_PORT tui_login a tiepnhan.tpsl
fill a "Đèo Văn Mạnh" 023456789 0987654321
wait_for 10 draft_has "phone=0987654321" || fail "the draft was not saved as it was typed"
draft_has "name=Đèo Văn Mạnh" || fail "the draft lacks the name"
tui_wait a "SSH-EXITED 255" 15
wait_for 10 log_has "disconnect: tiepnhan.tpsl" || fail "the server did not see the cut"
[ "$(dossiers 023456789)" = 0 ] || fail "a dossier was made before it was submitted"

# The next login (direct) offers the draft; the form comes back as it was; it is received.
tui_open b tiepnhan.tpsl
tui_wait b "Tiếp tục hồ sơ đang nhập dở?" 20
tui_keys b Enter
tui_wait b "Đã khôi phục hồ sơ đang nhập dở"
tui_wait b "Đèo Văn Mạnh"
tui_wait b "023456789"
tui_wait b "0987654321"
tui_keys b F5
tui_wait b "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
tui_wait b "Tiếp nhận hồ sơ của: Đèo Văn Mạnh"
code=$(tui_code b)
[ "$(dossiers 023456789)" = 1 ] || fail "$(dossiers 023456789) dossiers after the resumed intake"
[ "$(db "SELECT code FROM dossiers WHERE applicant_id = '023456789'")" = "$code" ] ||
    fail "the stored dossier is not $code"
tui_logout b
# Logging in again: what was saved last is said, and nothing is offered any more.
tui_open c tiepnhan.tpsl
tui_wait c "Lần lưu gần nhất: $code" 20
tui_shows c "Tiếp tục hồ sơ đang nhập dở?" && fail "the draft was offered again"
tui_logout c
[ "$(dossiers 023456789)" = 1 ] || fail "a second dossier for the resumed intake"

# 2. The retry path: the submission is committed, its answer never reaches the client.
tui_login d tiepnhan.tpsl -o "$(relay_command "$TEST_TMP/freeze")"
fill d "Cầm Thị Xuân" 034567890123 0978123456
wait_for 10 draft_has "phone=0978123456" || fail "the second draft was not saved"
saved=$(db "SELECT quote(user) || ', ' || quote(idempotency_key) || ', ' || quote(content) ||
    ', ' || quote(updated_at) FROM drafts JOIN users ON users.id = drafts.user
    WHERE login = 'tiepnhan.tpsl'")
touch "$TEST_TMP/freeze"
tui_keys d F5
wait_for 10 sh -c "[ \$(sqlite3 -cmd '.timeout 5000' '$DATA/motcua.db' \"SELECT count(*)
    FROM dossiers WHERE applicant_id = '034567890123'\") = 1 ]" ||
    fail "the submission was not committed"
kill -KILL "$(tui_client_pid d)"
tui_wait d "SSH-EXITED"
tui_shows d "GIẤY TIẾP NHẬN" && fail "the receipt reached the client: the cut came too late"
retry=$(db "SELECT code FROM dossiers WHERE applicant_id = '034567890123'")
wait_for 10 sh -c "[ \$(grep -cF 'disconnect: tiepnhan.tpsl' '$TEST_TMP/serve.log') = 4 ]" ||
    fail "the server did not end the dropped session"

# Reconnecting shows what was saved last: the committed code.
tui_open e tiepnhan.tpsl
tui_wait e "Lần lưu gần nhất: $retry" 20
tui_shows e "Tiếp tục hồ sơ đang nhập dở?" && fail "the received draft was offered"
tui_logout e

# Had the draft outlived the commit (the session ended between the two), resubmitting it
# must find the dossier already received under the same key, not make a second one.
db "INSERT INTO drafts (user, idempotency_key, content, updated_at) VALUES ($saved)"
tui_open f tiepnhan.tpsl
tui_wait f "Tiếp tục hồ sơ đang nhập dở?" 20
tui_keys f Enter
tui_wait f "Cầm Thị Xuân"
tui_keys f F5
tui_wait f "Hồ sơ này đã được tiếp nhận trước đó: mã $retry"
[ "$(dossiers 034567890123)" = 1 ] || fail "the retried submission made a second dossier"
tui_logout f
exit 0
