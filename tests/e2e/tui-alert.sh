#!/bin/sh
# tui-alert.sh: a department officer logged in over `ssh -tt` and idle sees, without
# reconnecting, the counter and one bell for a dossier the leader assigns to them in another
# session, within the alert interval (5 s, the least allowed), in office hours (the fixed
# clock is a Thursday, 10:00).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start "alert_interval = 5"

# A dossier waiting for assignment in Phòng Tư pháp: received and handed over.
tui_login c tiepnhan.tpsl
tui_receive c "Lù Văn Pấng" 050123456789
code=$CODE
tui_open_dossier c "$code"
tui_act c c "Chuyển bước tiếp theo"
tui_logout c
[ "$(db "SELECT department || '|' || (officer IS NULL) FROM dossiers WHERE code = '$code'")" = \
    "tu-phap|1" ] || fail "$code is not waiting for assignment in tu-phap"

# The officer logs in and stays on the dashboard; the bytes they receive are recorded.
tui_login a tuphap.tpsl
tui_wait a "Nguyễn Thị Thu Hằng — Thành phố Sơn La"
tui_record a "$TEST_TMP/officer.raw"
client=$(tui_client_pid a)
[ -n "$client" ] || fail "no ssh client in the officer's window"
# The interface takes its baseline of alerts before it draws the dashboard, so the leader may
# assign at once: nothing in between goes unannounced.
tui_shows a "[!]" && fail "an alert before anything was assigned"

# The leader assigns the dossier to the officer in a session of their own.
tui_login b lanhdao.tpsl
tui_open_dossier b "$code"
tui_wait b "Hồ sơ $code"
tui_keys b g
tui_menu_pick b "(tuphap.tpsl)"
tui_wait b "Đã thực hiện: Phân công xử lý"
assigned=$(now_ms)
[ "$(db "SELECT login FROM dossiers JOIN users ON users.id = dossiers.officer
    WHERE code = '$code'")" = tuphap.tpsl ] || fail "$code is not assigned to tuphap.tpsl"

# Within the interval (5 s, the least allowed, and a margin) the counter shows up.
tui_wait a "[!] " 15
took=$(( $(now_ms) - assigned ))
tui_screen a | grep -qE '\[!\] [1-9][0-9]* mới  Nguyễn Thị Thu Hằng' ||
    fail "the counter is not '[!] N mới' before the officer's name: $(tui_screen a | head -n 1)"
echo "the alert showed $took ms after the assignment"
# Still the same client and session: nothing reconnected.
[ "$(tui_client_pid a)" = "$client" ] || fail "the officer's client changed"
[ "$(log_count "auth ok: password for tuphap.tpsl ")" = 1 ] || fail "tuphap.tpsl logged in again"
tui_shows a "SSH-EXITED" && fail "the officer's session ended"
# One bell with it (and no other).
wait_for 5 grep -q "$(printf '\007')" "$TEST_TMP/officer.raw" || fail "no bell reached the officer"
bells=$(tr -cd '\007' <"$TEST_TMP/officer.raw" | wc -c)
[ "$bells" = 1 ] || fail "$bells bells for one alert"

# The alert is for the officer only: the leader's own window has no counter.
tui_shows b "[!]" && fail "the leader got an alert for their own assignment"

# The officer can open the dossier from their queue; back on the dashboard the counter clears.
tui_keys a q
tui_wait a "$code"
tui_keys a F9
tui_wait a "Tổng quan"
tui_gone a "[!]"
tui_logout a
tui_logout b
exit 0
