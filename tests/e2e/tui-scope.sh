#!/bin/sh
# tui-scope.sh: the one-stop officer of Mộc Châu, over `ssh -tt`, cannot open a dossier of
# Thành phố Sơn La even by typing its exact code: the answer is the one for a code that does
# not exist, and neither its applicant nor its ID number reaches the client in any queue.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start

row=$(db "SELECT code || '|' || applicant_name || '|' || applicant_id FROM dossiers
    WHERE unit = 'TPSL' AND state IN (2, 4) ORDER BY id LIMIT 1")
code=${row%%|*}
rest=${row#*|}
name=${rest%%|*}
id=${rest#*|}
[ -n "$code" ] && [ -n "$name" ] && [ -n "$id" ] || fail "no open TPSL dossier in the demo"
own=$(db "SELECT code FROM dossiers WHERE unit = 'MCH' ORDER BY id LIMIT 1")
[ -n "$own" ] || fail "no MCH dossier in the demo"

tui_login a tiepnhan.mch
tui_wait a "Hà Thị Nhung — Huyện Mộc Châu"
tui_record a "$TEST_TMP/mch.raw"

# The officer's own unit's dossier opens (the prompt and the keys work).
tui_open_dossier a "$own"
tui_wait a "Hồ sơ $own"
tui_keys a F9
tui_wait a "Tổng quan"

# The other unit's dossier, by its exact code: the same answer as for no dossier at all.
tui_open_dossier a "$code"
tui_wait a "Không có hồ sơ $code"
tui_shows a "Hồ sơ $code " && fail "a title for $code"
tui_shows a "$name" && fail "the applicant of $code is shown"
missing=$(echo "$code" | sed 's/-[0-9]*$/-9999/')
tui_open_dossier a "$missing"
tui_wait a "Không có hồ sơ $missing"
a=$(tui_screen a | grep -F "Không có hồ sơ" | sed "s/$missing/CODE/")
tui_open_dossier a "$code"
tui_wait a "Không có hồ sơ $code"
b=$(tui_screen a | grep -F "Không có hồ sơ" | sed "s/$code/CODE/")
[ "$a" = "$b" ] || fail "a TPSL dossier and a missing one are told apart: '$b' / '$a'"
# Nothing of that dossier was sent to the client (but the code that was typed).
tui_record_stop a
grep -qF "$name" "$TEST_TMP/mch.raw" && fail "the applicant's name reached the client"
grep -qF "$id" "$TEST_TMP/mch.raw" && fail "the applicant's ID number reached the client"

# Nor in any queue, searched by its code, its applicant's name or ID number.
tui_keys a q
tui_wait a "Hàng đợi"
for what in "$code" "$id" "$name"; do
	tui_keys a /
	tui_wait a "Tìm trong hàng đợi"
	tui_keys a C-u
	tui_type a "$what"
	tui_keys a Enter
	tui_wait a "tìm: \"$what\""
	for queue in 1 2 3 4 5 6 7 8 9; do
		tui_keys a "$queue"
		tui_wait a "[$queue "
		tui_wait a "tìm: \"$what\""
		tui_wait a ", 0 hồ sơ"
		tui_shows a "$code" && [ "$what" != "$code" ] && fail "$code listed in queue $queue"
	done
done
tui_keys a F9
tui_wait a "Tổng quan"
tui_shows a "TPSL-" && fail "a TPSL dossier on the Mộc Châu dashboard"
tui_logout a

[ "$(db "SELECT unit FROM dossiers WHERE code = '$code'")" = TPSL ] || fail "$code changed"
exit 0
