#!/bin/sh
# admin-audit.sh: the audit chain end to end: `audit verify` on the host and over SSH on the
# demo province, an administrator's action chained in, and tampering with the sqlite3 tool
# (a changed note, a changed time, a deleted row) named by the first broken event.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no sqlite3"; exit 77; }
MOTCUA_NOW="2026-11-26 10:00"
export MOTCUA_NOW

# The demo province's store (users, dossiers and their events), made once.
DATA=$TEST_TMP/data
: >"$TEST_TMP/demo.out"
"$MOTCUAD" demo --data "$DATA" --listen "127.0.0.1:$(free_port)" \
    --catalog "$top_srcdir/catalog" >"$TEST_TMP/demo.out" 2>&1 &
demo=$!
wait_for 60 grep -q '^motcuad: listening on' "$TEST_TMP/demo.out" ||
    { kill "$demo" 2>/dev/null; fail "the demo did not get ready: $(cat "$TEST_TMP/demo.out")"; }
kill "$demo"
wait "$demo" 2>/dev/null || true

# verify [DIR]: `motcuad admin --data DIR audit verify` ($DATA by default).
verify() {
	run_motcuad admin --data "${1:-$DATA}" --catalog "$top_srcdir/catalog" audit verify
}

# dbq DB SQL: run SQL with the sqlite3 tool on a store file.
dbq() {
	sqlite3 -cmd '.timeout 5000' "$1" "$2"
}

# where DB ID: how `audit verify` names an event: "event ID (dossier CODE, ACTION, TIME)" or
# "event ID (administrator action ACTION SUBJECT, TIME)", in the catalog's time zone.
where() {
	dbq "$1" "SELECT 'event ' || e.id || ' (' || CASE WHEN e.dossier IS NULL THEN
	    'administrator action ' || e.action || coalesce(' ' || e.subject, '') ELSE
	    'dossier ' || d.code || ', ' || e.action END || ', ' ||
	    strftime('%Y-%m-%d %H:%M:%S', e.at, 'unixepoch', '+7 hours') || ' +07:00)'
	    FROM events e LEFT JOIN dossiers d ON d.id = e.dossier WHERE e.id = $2"
}

CHANGED="its content does not match its hash: the row was changed after it was written, or the rows before it were rewritten"

# The demo's history is intact: the count and the newest hash are printed.
n=$(db "SELECT count(*) FROM events")
[ "$n" -gt 500 ] || fail "the demo has only $n events"
verify
expect_rc 0 "verify the demo"
[ "$out" = "audit: $n events, chain intact (last hash $(db "SELECT hash FROM events ORDER BY id DESC LIMIT 1"))" ] ||
    fail "verify the demo: $out"
[ -z "$err" ] || fail "verify wrote to stderr: $err"
run_motcuad admin --data "$DATA" --catalog "$top_srcdir/catalog" audit verify now
expect_rc 2 "verify with an argument"
[ "$err" = "usage: audit verify" ] || fail "usage: $err"

# An administrator's action is an event of the chain, with the administrator (NULL: local).
printf 'Mat-khau-kiem-tra-1\n' >"$TEST_TMP/pw"
run_motcuad admin --data "$DATA" --catalog "$top_srcdir/catalog" user add kiemtra \
    --name "Kiểm Tra" --role monitor --password-stdin <"$TEST_TMP/pw"
expect_rc 0 "user add"
[ "$(db "SELECT count(*) FROM events WHERE id = $((n + 1)) AND action = 'user_add' AND
    subject = 'kiemtra' AND actor IS NULL AND dossier IS NULL")" = 1 ] ||
    fail "user add left no event: $(db "SELECT * FROM events WHERE id > $n")"
verify
expect_rc 0 "verify after user add"
expect_in "$out" "audit: $((n + 1)) events, chain intact" "verify after user add"
dbq "$DATA/motcua.db" "VACUUM INTO '$TEST_TMP/clean.db'"

# The triggers refuse changes and deletions outright.
rc=0
dbq "$DATA/motcua.db" "UPDATE events SET note = 'x' WHERE id = 10" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" != 0 ] || fail "an update of events was accepted"
expect_in "$(cat "$TEST_TMP/err")" "events are append-only" "update refused"
rc=0
dbq "$DATA/motcua.db" "DELETE FROM events WHERE id = 10" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" != 0 ] || fail "a deletion from events was accepted"
expect_in "$(cat "$TEST_TMP/err")" "events are append-only" "delete refused"

# Over SSH, for an administrator.
server_start
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
add_user boss --key "$TEST_TMP/id.pub" --role admin
as_boss() {
	rc=0
	ssh_key "$TEST_TMP/id" boss@127.0.0.1 "$@" </dev/null >"$TEST_TMP/out" \
	    2>"$TEST_TMP/err" || rc=$?
	out=$(cat "$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}
as_boss audit verify
expect_rc 0 "ssh audit verify"
expect_in "$out" "audit: $((n + 1)) events, chain intact (last hash " "ssh audit verify"

# A note changed in the middle of a dossier's history (the trigger dropped first), while
# the server runs: named on the host and over SSH.
id=$(db "SELECT id FROM events WHERE dossier IS NOT NULL AND id > 300 ORDER BY id LIMIT 1")
db "DROP TRIGGER events_no_update; UPDATE events SET note = 'đã sửa' WHERE id = $id"
want="motcua: audit: $(where "$DATA/motcua.db" "$id"): $CHANGED (the $((id - 1)) events before it are intact)"
verify
expect_rc 1 "verify a changed note"
[ "$err" = "$want" ] || fail "verify a changed note: $err
expected: $want"
[ -z "$out" ] || fail "verify a changed note printed: $out"
as_boss audit verify
expect_rc 1 "ssh verify a changed note"
[ "$err" = "$want" ] || fail "ssh verify a changed note: $err"
server_stop

# copy NAME: a data directory of its own holding the store as it was before tampering.
copy() {
	mkdir -p "$TEST_TMP/$1"
	cp "$TEST_TMP/clean.db" "$TEST_TMP/$1/motcua.db"
	D=$TEST_TMP/$1
}

# The time of the administrator's action moved by a minute.
copy time
dbq "$D/motcua.db" "DROP TRIGGER events_no_update;
    UPDATE events SET at = at - 60 WHERE id = $((n + 1))"
verify "$D"
expect_rc 1 "verify a changed time"
[ "$err" = "motcua: audit: $(where "$D/motcua.db" $((n + 1))): $CHANGED (the $n events before it are intact)" ] ||
    fail "verify a changed time: $err"
expect_in "$err" "administrator action user_add kiemtra" "the admin action is named"

# A deleted row: the one after it is named, with what is missing.
copy delete
dbq "$D/motcua.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 42"
verify "$D"
expect_rc 1 "verify a deleted row"
[ "$err" = "motcua: audit: $(where "$D/motcua.db" 43): event 42 before it is missing (deleted) (the 41 events before it are intact)" ] ||
    fail "verify a deleted row: $err"

# A row given a made-up hash of the right form.
copy forged
dbq "$D/motcua.db" "DROP TRIGGER events_no_update;
    UPDATE events SET hash = lower(hex(randomblob(32))) WHERE id = 7"
verify "$D"
expect_rc 1 "verify a forged hash"
expect_in "$err" "motcua: audit: $(where "$D/motcua.db" 7): $CHANGED" "verify a forged hash"

# The untouched copy is still intact.
copy clean
verify "$D"
expect_rc 0 "verify the clean copy"
exit 0
