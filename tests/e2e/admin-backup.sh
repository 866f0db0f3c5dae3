#!/bin/sh
# admin-backup.sh: `backup` over SSH exec writes a consistent copy of the store to stdout while
# the server runs, progress on stderr; the copy restores to a database with the same counts,
# integrity_check ok and an intact audit chain; a terminal is refused; the backup is recorded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start
CATALOG=$top_srcdir/catalog

ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/admin"
"$MOTCUAD" admin --data "$DATA" --catalog "$CATALOG" user key add admin \
    <"$TEST_TMP/admin.pub" >/dev/null || fail "cannot add the administrator's key"

# adm ARGS...: a command over SSH as the administrator; stdout to $TEST_TMP/out, $err, $rc.
adm() {
	rc=0
	ssh_key "$TEST_TMP/admin" admin@127.0.0.1 "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" ||
	    rc=$?
	err=$(cat "$TEST_TMP/err")
}

# counts DB: the rows of the main tables, one line.
counts() {
	sqlite3 -cmd '.timeout 5000' "$1" "SELECT (SELECT count(*) FROM users) || ' ' ||
	    (SELECT count(*) FROM user_keys) || ' ' || (SELECT count(*) FROM dossiers) || ' ' ||
	    (SELECT count(*) FROM dossier_documents) || ' ' || (SELECT count(*) FROM events) ||
	    ' ' || (SELECT count(*) FROM procedure_versions) || ' ' ||
	    (SELECT count(*) FROM pauses)"
}

adm backup extra
expect_rc 2 "backup with an argument"
expect_in "$err" "usage: backup" "backup usage"

adm backup
expect_rc 0 "backup"
cp "$TEST_TMP/out" "$TEST_TMP/copy.db"
expect_in "$err" "backup: snapshot 100%" "progress of the snapshot"
expect_in "$err" "backup: sending 100%" "progress of the transfer"
ls "$DATA/run" | grep -q '^backup-' && fail "the backup left its copy in $DATA/run"
[ "$(sqlite3 "$TEST_TMP/copy.db" 'PRAGMA integrity_check')" = ok ] ||
    fail "the copy fails integrity_check"
LIVE=$(counts "$DATA/motcua.db")
COPY=$(counts "$TEST_TMP/copy.db")
[ "$LIVE" = "$COPY" ] || fail "counts differ: live $LIVE, copy $COPY"
[ "$(db "SELECT count(*) FROM events WHERE action = 'backup'")" = 1 ] ||
    fail "the backup is not in the audit chain"
[ "$(sqlite3 "$TEST_TMP/copy.db" "SELECT count(*) FROM events WHERE action = 'backup'")" = 1 ] ||
    fail "the copy does not hold its own record"

# While officers work: a backup taken during an intake is still a consistent copy.
tui_login one tiepnhan.tpsl
tui_intake_start one "2.000815" 2.000815
adm backup
expect_rc 0 "backup during a session"
cp "$TEST_TMP/out" "$TEST_TMP/copy2.db"
tui_type one "Nguyễn Văn Một"
tui_keys one Tab
tui_type one 012345678901
tui_keys one Tab
tui_keys one F5
tui_wait one "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
CODE=$(tui_code one)
[ "$(sqlite3 "$TEST_TMP/copy2.db" 'PRAGMA integrity_check')" = ok ] ||
    fail "the second copy fails integrity_check"
[ "$(sqlite3 "$TEST_TMP/copy2.db" "SELECT count(*) FROM dossiers WHERE code = '$CODE'")" = 0 ] ||
    fail "the copy holds a dossier received after it"
tui_logout one

# A terminal is refused (on the host: `script` gives the command a terminal).
if command -v script >/dev/null 2>&1; then
	rc=0
	script -qec "$MOTCUAD admin --data $DATA --catalog $CATALOG backup" /dev/null \
	    >"$TEST_TMP/tty" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "backup to a terminal: exit status $rc"
	grep -q "refusing to write the database to a terminal" "$TEST_TMP/tty" ||
	    fail "backup to a terminal: $(cat "$TEST_TMP/tty")"
	grep -q "SQLite format 3" "$TEST_TMP/tty" && fail "the database went to the terminal"
fi

# Restore: stop, put the first copy in place, start; everything is as it was then.
server_stop
rm -f "$DATA/motcua.db-wal" "$DATA/motcua.db-shm"
cp "$TEST_TMP/copy.db" "$DATA/motcua.db"
chmod 600 "$DATA/motcua.db"
server_start
[ "$(counts "$DATA/motcua.db")" = "$COPY" ] || fail "the restored store has other counts"
adm audit verify
expect_rc 0 "audit verify after the restore: $(cat "$TEST_TMP/out")"
[ "$(db "SELECT count(*) FROM dossiers WHERE code = '$CODE'")" = 0 ] ||
    fail "the restored store holds a later dossier"
exit 0
