#!/bin/sh
# tui-escape.sh: escape sequences and control characters typed into the intake over `ssh -tt`
# (clear screen, a window title ending in BEL, colours, a CR in the middle, a bidi override)
# never reach another officer raw: the store holds the cleaned text, the leader's screen shows
# it, and the bytes the leader's client receives carry none of it. The same holds for text
# that reached the store by another way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start
ESC=$(printf '\033')
BEL=$(printf '\007')

# The one-stop officer types the hostile text.
tui_login a tiepnhan.tpsl
tui_intake_start a "2.000815" 2.000815
tui_type a "$(printf 'Vũ\033[2J Thị\033]0;pwn\007 Lan\342\200\256')"
tui_keys a Tab
tui_type a "045678901234"
tui_keys a Tab Tab
# A CR in the middle of the address ends the field: the rest goes to the next one.
tui_type a "$(printf 'Số 7\rBản\003 Hụm\026\034')"
tui_keys a Tab Tab Tab Tab
tui_wait a "> Nội dung yêu cầu"
tui_type a "$(printf 'Sao y\033[31m hộ khẩu\033[0m\033[?1049h')"
tui_keys a F5
tui_wait a "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
tui_wait a "Tiếp nhận hồ sơ của: Vũ Thị Lan"
code=$(tui_code a)
tui_logout a

row=$(db "SELECT applicant_name, applicant_address, applicant_commune, request FROM dossiers
    WHERE code = '$code'")
[ "$row" = "Vũ Thị Lan|Số 7|Bản Hụm|Sao y hộ khẩu" ] || fail "stored for $code: '$row'"
[ "$(db "SELECT count(*) FROM dossiers WHERE code = '$code' AND (applicant_name ||
    applicant_address || applicant_commune || request) GLOB '*[' || char(3, 7, 13, 22, 27, 28) ||
    ']*'")" = 0 ] || fail "a control character was stored"

# The leader opens it; their client's bytes are recorded from the dashboard on.
tui_login b lanhdao.tpsl
tui_record b "$TEST_TMP/leader.raw"
tui_open_dossier b "$code"
tui_wait b "Hồ sơ $code"
tui_wait b "Người nộp: Vũ Thị Lan    CMND/CCCD: 045678901234"
tui_wait b "Địa chỉ: Số 7, Bản Hụm"
tui_wait b "Nội dung yêu cầu: Sao y hộ khẩu"

tui_record_stop b
# raw_clean FILE: the bytes hold no OSC, clear screen, alternate screen, bell, C1 CSI or bidi
# override.
raw_clean() {
	grep -qF "$ESC]" "$1" && fail "an OSC sequence reached the leader's client"
	grep -qF "$ESC[2J" "$1" && fail "a clear screen reached the leader's client"
	grep -qF "$ESC[?1049h" "$1" && fail "the alternate screen sequence reached the leader's client"
	grep -qF "$BEL" "$1" && fail "a bell reached the leader's client"
	grep -qF "$(printf '\302\233')" "$1" && fail "a C1 CSI reached the leader's client"
	grep -qF "$(printf '\342\200\256')" "$1" && fail "a bidi override reached the client"
	return 0
}
raw_clean "$TEST_TMP/leader.raw"
grep -qF "pwn" "$TEST_TMP/leader.raw" && fail "the typed title text reached the leader's client"

# Text that reached the store another way (an import, another client) is cleaned on output:
# every control character shows as "?", and none moves the cursor.
tui_record b "$TEST_TMP/leader2.raw"
db "UPDATE dossiers SET applicant_name = 'Lò' || char(27) || ']0;pwn2' || char(7) || ' Văn'
    || char(27) || '[2J' || char(13) || ' Tú' || char(8, 8, 8) || char(9) || 'X',
    request = char(27) || '[?1049h' || char(155) || '2J' || 'Trích lục' WHERE code = '$code'"
tui_keys b r
tui_wait b "Trích lục"
tui_wait b " Người nộp: Lò?]0;pwn2? Văn?[2J? Tú????X    CMND/CCCD: 045678901234"
tui_wait b " Nội dung yêu cầu: ?[?1049h?2JTrích lục"
tui_logout b
tui_record_stop b
raw_clean "$TEST_TMP/leader2.raw"
exit 0
