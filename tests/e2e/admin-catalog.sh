#!/bin/sh
# admin-catalog.sh: `catalog status | check | reload` over SSH exec, and `calendar due | show`
# and `dossier show`. A reload while officers' interface sessions are open: the intake on a
# screen at the reload with its procedure chosen still records the old procedure version; the
# next intake in the same session, an intake open with no procedure chosen yet (its search)
# and a new session's intake record the new one; a broken catalog is refused with every
# problem listed and the server keeps the one it had (open sessions see no change); a reload
# the server itself refuses (SIGHUP) shows in `catalog status`; with no server, reload says
# so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup

# The maintainers' catalog is a private copy, so that the test can edit it.
CATALOG=$TEST_TMP/catalog
cp -R "$top_srcdir/catalog" "$CATALOG"

# The demo province (users with the password "demo"), then the server on the private catalog.
DATA=$TEST_TMP/data
: >"$TEST_TMP/demo.out"
"$MOTCUAD" demo --data "$DATA" --listen "127.0.0.1:$(free_port)" --catalog "$CATALOG" \
    >"$TEST_TMP/demo.out" 2>&1 &
_demo=$!
wait_for 60 grep -q '^motcuad: listening on' "$TEST_TMP/demo.out" ||
    { kill "$_demo"; fail "the demo did not get ready: $(cat "$TEST_TMP/demo.out")"; }
kill "$_demo"
wait "$_demo" 2>/dev/null || true
PORT=$(free_port)
: >"$TEST_TMP/serve.out"
"$MOTCUAD" serve --data "$DATA" --catalog "$CATALOG" --listen "127.0.0.1:$PORT" \
    >"$TEST_TMP/serve.out" 2>>"$TEST_TMP/serve.log" &
SERVER_PID=$!
wait_for 15 grep -q "listening on" "$TEST_TMP/serve.out" ||
    fail "the server did not start: $(cat "$TEST_TMP/serve.log")"

ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/admin"
"$MOTCUAD" admin --data "$DATA" --catalog "$CATALOG" user key add admin \
    <"$TEST_TMP/admin.pub" >/dev/null || fail "cannot add the administrator's key"

# adm ARGS...: a command over SSH as the administrator (the words are joined and split again
# by the server, as ssh does); $out, $err and $rc as run_motcuad.
adm() {
	rc=0
	ssh_key "$TEST_TMP/admin" admin@127.0.0.1 "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" ||
	    rc=$?
	out=$(cat "$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}

# status_has TEXT: `catalog status` shows the text.
status_has() {
	adm catalog status
	[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qF -- "$1"
}

version_of() {
	printf '%s\n' "$out" | sed -n 's/^version: *//p'
}

adm catalog status
expect_rc 0 "catalog status"
expect_in "$out" "server:                pid $SERVER_PID" "catalog status"
expect_in "$out" "generation:            1 ($DATA/run/catalog.1)" "catalog status"
expect_in "$out" "procedures:            27" "catalog status"
expect_in "$out" "units:                 12" "catalog status"
expect_in "$out" "maintainers' catalog:  $CATALOG" "catalog status"
V1=$(version_of)
[ ${#V1} = 16 ] || fail "no catalog version in: $out"
[ "$(cat "$DATA/run/motcuad.pid")" = "$SERVER_PID" ] || fail "motcuad.pid is not the server's pid"

adm catalog check
expect_rc 0 "catalog check"
expect_in "$out" "$CATALOG: ok: Tỉnh Sơn La, 12 units" "catalog check"
adm catalog check "$TEST_TMP/nowhere"
expect_rc 1 "catalog check of a missing directory"
adm catalog reload now
expect_rc 2 "catalog reload with an argument"
expect_in "$err" "usage: catalog reload" "usage"

# calendar due and show, dossier show.
adm calendar due --from "'2015-02-13 10:00'" --days 5
expect_rc 0 "calendar due"
[ "$out" = "2015-02-27 10:00" ] || fail "calendar due: $out"
adm calendar due --from "'2015-02-13 10:00'"
expect_rc 2 "calendar due without a duration"
adm calendar show 2015
expect_rc 0 "calendar show"
expect_in "$out" "office hours: 07:00–11:30, 13:30–17:00 on working days; same-day cut-off 15:00" \
    "calendar show"
expect_in "$out" "2015-02-14  Saturday   worked" "calendar show"
expect_in "$out" "2015-02-23  Monday     day off" "calendar show"
[ "$(printf '%s\n' "$out" | grep -c "day off")" = 13 ] || fail "2015 has 13 weekdays off: $out"
adm calendar show 2015 --format csv
expect_rc 0 "calendar show --format csv"
[ "$(printf "%s\n" "$out" | head -n 1 | tr -d "\r")" = "DATE,WEEKDAY,KIND,NAME" ] || fail "csv header: $out"
[ "$(printf '%s\n' "$out" | grep -c ',worked,')" = 2 ] || fail "2015 has 2 worked Saturdays"
adm calendar show 2031
expect_rc 1 "calendar show of a year without a calendar"
expect_in "$err" "no working calendar for 2031" "calendar show 2031"
adm calendar show 15
expect_rc 2 "calendar show 15"

CODE=$(db "SELECT code FROM dossiers WHERE state = 10 AND unit = 'TPSL' ORDER BY id LIMIT 1")
adm dossier show "$CODE"
expect_rc 0 "dossier show"
expect_in "$out" "Dossier $CODE" "dossier show"
expect_in "$out" "10 returned" "dossier show"
expect_in "$out" "  receive   2     " "dossier show events"
[ "$(printf '%s\n' "$out" | grep -cE '  (early|on time|late)( |$)')" -ge 3 ] ||
    fail "dossier show: no punctuality per hand-over: $out"
adm dossier show TPSL-000000-0000
expect_rc 1 "dossier show of an unknown code"
expect_in "$err" "no dossier TPSL-000000-0000" "dossier show"

# An officer's interface session stays open across the reload, with an intake on its screen.
tui_login one tiepnhan.tpsl
OLD=$(db "SELECT version FROM procedure_versions WHERE code = '2.000815' ORDER BY id DESC LIMIT 1")
tui_intake_start one "2.000815" 2.000815
# Another, with an intake open but no procedure looked for yet.
tui_login three tiepnhan.tpsl
tui_keys three F2
tui_wait three "Tìm thủ tục"

# A new fee for 2.000815: a new version of that procedure, hence of the catalog.
sed -i 's/^fee: .*/fee: "3.000 đ\/trang"/' "$CATALOG/procedures/chung-thuc/2.000815.yaml"
adm catalog reload
expect_rc 0 "catalog reload"
expect_in "$out" "catalog reloaded: generation 2" "catalog reload"
adm catalog status
expect_in "$out" "generation:            2 ($DATA/run/catalog.2)" "status after reload"
V2=$(version_of)
[ -n "$V2" ] && [ "$V2" != "$V1" ] || fail "the catalog version did not change: $V1 $V2"
expect_in "$(db "SELECT count(*) FROM events WHERE action = 'catalog_reload' AND subject = '$V2'")" \
    1 "the reload is in the audit chain"

# version_of_dossier CODE: the procedure version a dossier was received under.
version_of_dossier() {
	db "SELECT v.version FROM dossiers d JOIN procedure_versions v ON v.id = \
	    d.procedure_version WHERE d.code = '$1'"
}

# The intake that was on the open session's screen at the reload ends under the old version.
tui_type one "Nguyễn Văn Một"
tui_keys one Tab
tui_type one 012345678901
tui_keys one Tab
tui_keys one F5
tui_wait one "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
OPEN_CODE=$(tui_code one)
[ -n "$OPEN_CODE" ] || fail "no dossier code on the receipt"
[ "$(version_of_dossier "$OPEN_CODE")" = "$OLD" ] ||
    fail "the intake on screen at the reload used version $(version_of_dossier "$OPEN_CODE")"

# New work in the same open session takes the new catalog, and says so once.
tui_keys one F2
tui_wait one "Danh mục thủ tục đã được cập nhật"
tui_keys one F9
tui_gone one "Tìm thủ tục"
tui_receive one "Nguyễn Văn Năm" 012345678905
NEW=$(version_of_dossier "$CODE")
[ -n "$NEW" ] && [ "$NEW" != "$OLD" ] ||
    fail "a new intake in the open session used version $NEW, not a new one"
expect_in "$(db "SELECT canonical FROM procedure_versions WHERE version = '$NEW'")" \
    "3.000 đ/trang" "the new version"
tui_keys one F2
tui_wait one "Tìm thủ tục"
tui_shows one "Danh mục thủ tục đã được cập nhật" && fail "the update was announced twice"
tui_keys one F9
tui_gone one "Tìm thủ tục"

# An intake opened before the reload but with no procedure chosen: its search is new work.
tui_type three "2.000815"
tui_wait three "Danh mục thủ tục đã được cập nhật"
tui_wait three "> 2.000815"
tui_keys three Enter
tui_wait three "Hẹn trả kết quả nếu tiếp nhận bây giờ"
tui_type three "Nguyễn Văn Sáu"
tui_keys three Tab
tui_type three 012345678906
tui_keys three Tab
tui_keys three F5
tui_wait three "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
[ "$(version_of_dossier "$(tui_code three)")" = "$NEW" ] ||
    fail "the search after the reload did not take the new catalog"
tui_logout three

# A new session receives under the new version.
tui_login two tiepnhan.tpsl
tui_receive two "Nguyễn Văn Hai" 012345678902
[ "$(version_of_dossier "$CODE")" = "$NEW" ] || fail "the new session used another version"

# A broken catalog: problems in two files, every one listed; nothing changes.
sed -i 's/^result: /resultt: /' "$CATALOG/procedures/chung-thuc/2.000815.yaml"
sed -i 's/date: 2015-09-02/date: 2015-09-31/' "$CATALOG/calendar/2015.yaml"
adm catalog reload
expect_rc 1 "reload of a broken catalog"
expect_in "$err" "$CATALOG/procedures/chung-thuc/2.000815.yaml:" "the procedure's problem"
expect_in "$err" "$CATALOG/calendar/2015.yaml:" "the calendar's problem"
printf '%s\n' "$err" | grep -qE "^$CATALOG/calendar/2015.yaml:[0-9]+:[0-9]+: " ||
    fail "problems are not file:line:column: message: $err"
expect_in "$err" "catalog not reloaded: the server keeps generation 2 (version $V2)" "refusal"
[ -z "$out" ] || fail "a refused reload printed on stdout: $out"
adm catalog status
expect_in "$out" "generation:            2 " "status after a refused reload"
expect_in "$out" "version:               $V2" "status after a refused reload"
expect_in "$out" "last load:" "status after a refused reload"
[ -d "$DATA/run/catalog.3" ] && fail "a broken catalog was copied"
# The open sessions still work, under generation 2.
tui_receive two "Nguyễn Văn Ba" 012345678903
[ "$(version_of_dossier "$CODE")" = "$NEW" ] || fail "a refused reload changed the version"
tui_receive one "Nguyễn Văn Bốn" 012345678904
[ "$(version_of_dossier "$CODE")" = "$NEW" ] || fail "a refused reload changed the version"

# The server refuses it too when told directly, and says so in its state.
kill -HUP "$SERVER_PID"
wait_for 10 status_has "REFUSED" || fail "status does not show the refused load: $out"
expect_in "$out" "the server kept generation 2" "status after SIGHUP"
expect_in "$out" "version:               $V2" "status after SIGHUP"

# Repaired: reloads again.
sed -i 's/^resultt: /result: /' "$CATALOG/procedures/chung-thuc/2.000815.yaml"
sed -i 's/date: 2015-09-31/date: 2015-09-02/' "$CATALOG/calendar/2015.yaml"
adm catalog reload
expect_rc 0 "reload after the repair"
expect_in "$out" "catalog reloaded: generation 3" "reload after the repair"
# The open session takes it at its next intake.
tui_keys one F2
tui_wait one "Danh mục thủ tục đã được cập nhật"
tui_keys one F9
tui_gone one "Tìm thủ tục"

tui_logout one
tui_logout two

# No server: a reload says so; status shows the maintainers' catalog.
server_stop
[ -e "$DATA/run/motcuad.pid" ] && fail "motcuad.pid left after the server stopped"
run_motcuad admin --data "$DATA" --catalog "$CATALOG" catalog reload
expect_rc 1 "reload with no server"
expect_in "$err" "no server is running on $DATA" "reload with no server"
run_motcuad admin --data "$DATA" --catalog "$CATALOG" catalog status
expect_rc 0 "status with no server"
expect_in "$out" "server:                not running" "status with no server"
exit 0
