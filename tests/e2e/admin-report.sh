#!/bin/sh
# admin-report.sh: the seed's figure, rebuilt: with the dossiers of Thành phố Sơn La in the first
# half of 2015 (tests/tools/mkseed), `report` shows exactly 5,104 received — land 2,749 (1,567
# transfer / gift / new certificate, 1,182 secured transactions), construction 190, business
# 462, justice 1,703 (19 civil status, 1,684 certification) — as text, as CSV that python's csv
# reads (UTF-8 with a byte order mark) and as TSV; on the host and over SSH exec as an
# administrator; an officer is refused. Also the tracking book, the apology letter and the
# control slip, and the usage errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

command -v python3 >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no python3"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no sqlite3"; exit 77; }
MKSEED="$top_builddir/tests/tools/mkseed"
[ -x "$MKSEED" ] || fail "tests/tools/mkseed is not built"

DATA=$TEST_TMP/data
mkdir -p "$DATA"
"$MKSEED" "$DATA/motcua.db" --catalog "$top_srcdir/catalog" >"$TEST_TMP/seed.out" 2>&1 ||
    fail "mkseed: $(cat "$TEST_TMP/seed.out")"
MOTCUA_NOW="2015-07-15 09:00"
export MOTCUA_NOW

# admin ARGS...: run a command on the host, into $out, $err and $rc.
admin() {
	run_motcuad admin --data "$DATA" --catalog "$top_srcdir/catalog" "$@"
}

# row KEY: the line of the text table that starts with the key, blanks squeezed.
row() {
	printf '%s\n' "$out" | tr -s ' ' | grep -E "^$1 " || fail "no row $1 in: $out"
}

# ---- the text table, by field ---------------------------------------------------------------
admin report --period 2015-H1 --unit TPSL --by field
expect_rc 0 "report by field"
expect_in "$out" "Report for 2015-H1 (2015-01-01 to 2015-06-30), by field" "the heading"
expect_in "$out" "Units: TPSL" "the units"
# KEY NAME CARRIED NEW …: the new dossiers of every field, with its Vietnamese name.
row 'dat-dai Đất đai 0 2,749' >/dev/null
row 'xay-dung Xây dựng 0 190' >/dev/null
row 'kinh-doanh Thành lập và hoạt động của hộ kinh doanh 0 462' >/dev/null
row 'ho-tich Hộ tịch 0 19' >/dev/null
row 'chung-thuc Chứng thực 0 1,684' >/dev/null
row ' Total 0 5,104' >/dev/null
# Aligned by display width: every line of the table is as wide as the header.
width=$(printf '%s\n' "$out" | sed -n '/^FIELD /,/^ *Total /p' | python3 -c '
import sys, unicodedata
ws = {sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
    for c in l.rstrip("\n")) for l in sys.stdin}
print(" ".join(str(w) for w in sorted(ws)))')
[ "$(echo "$width" | wc -w)" = 1 ] || fail "the lines of the table differ in width: $width"
# The on-time rate as a percentage: (2,014 + 2,431) / 4,667 resolved.
printf '%s\n' "$out" | grep -E '^ +Total ' | grep -qF ' 95.2% ' || fail "no 95.2% on the total row"

# ---- by procedure: 1,182 secured transactions, 1,567 of the other land procedures ----------
admin report --period 2015-H1 --unit TPSL --by procedure --field dat-dai
expect_rc 0 "report by procedure"
row '1.003596 .* 0 1,182' >/dev/null
admin report --period 2015-H1 --unit TPSL --by procedure --format csv
expect_rc 0 "report by procedure as CSV"
printf '%s' "$out" >"$TEST_TMP/procedures.csv"
python3 - "$TEST_TMP/procedures.csv" <<'PY' || fail "the CSV by procedure"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
new = {r["procedure"]: int(r["new"]) for r in rows}
assert new["1.003596"] == 1182, new
assert sum(new[c] for c in ("1.004227", "1.004203", "1.004177", "1.004221")) == 1567, new
assert new[""] == 5104, new
assert sum(v for k, v in new.items() if k) == 5104, new
PY

# ---- CSV: a byte order mark, RFC 4180, the same figures -------------------------------------
admin report --period 2015-H1 --unit TPSL --format csv
expect_rc 0 "report as CSV"
"$MOTCUAD" admin --data "$DATA" --catalog "$top_srcdir/catalog" report --period 2015-H1 \
    --unit TPSL --format csv >"$TEST_TMP/fields.csv"
[ "$(head -c 3 "$TEST_TMP/fields.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "the CSV does not start with a byte order mark"
python3 - "$TEST_TMP/fields.csv" <<'PY' || fail "the CSV by field"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
got = {r["field"]: (r["name"], int(r["new"])) for r in rows}
want = {"dat-dai": ("Đất đai", 2749), "xay-dung": ("Xây dựng", 190),
    "kinh-doanh": ("Thành lập và hoạt động của hộ kinh doanh", 462),
    "ho-tich": ("Hộ tịch", 19), "chung-thuc": ("Chứng thực", 1684), "": ("Total", 5104)}
assert got == want, got
total = rows[-1]
assert total["field"] == "" and total["name"] == "Total"
assert int(total["new_counter"]) + int(total["new_post"]) + int(total["new_online"]) == 5104
resolved = int(total["resolved"])
assert resolved == int(total["resolved_early"]) + int(total["resolved_on_time"]) + \
    int(total["resolved_late"])
assert total["on_time_rate"] == "%.1f" % (100.0 * (int(total["resolved_early"]) +
    int(total["resolved_on_time"])) / resolved), total
PY
# TSV: the same, one line per row.
admin report --period 2015-H1 --unit TPSL --format tsv
expect_rc 0 "report as TSV"
printf '%s\n' "$out" | grep -qP '^dat-dai\tĐất đai\t0\t2749\t' || fail "TSV: $out"
printf '%s\n' "$out" | grep -qP '^\tTotal\t0\t5104\t' || fail "TSV total: $out"

# By month: the half year's six months add up.
admin report --period 2015-H1 --by month --format csv
expect_rc 0 "report by month"
printf '%s' "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin.read().lstrip("\ufeff").splitlines()))
assert [r["month"] for r in rows] == ["2015-0%d" % m for m in range(1, 7)] + [""], rows
assert sum(int(r["new"]) for r in rows[:-1]) == int(rows[-1]["new"]) == 5104
' || fail "the report by month: $out"

# ---- usage and failures ---------------------------------------------------------------------
admin report --by week
expect_rc 2 "--by week"
expect_in "$err" "--by takes unit, field, procedure or month" "--by week"
admin report --period 2015-13
expect_rc 1 "a bad period"
expect_in "$err" 'period "2015-13" is not valid' "a bad period"
admin report --unit NOPE
expect_rc 1 "an unknown unit"
expect_in "$err" "no unit 'NOPE' in the catalog" "an unknown unit"
admin report --format xml
expect_rc 2 "--format xml"
admin report book --period 2015-01
expect_rc 2 "report book without a unit"

# ---- the tracking book (Mẫu 06) -------------------------------------------------------------
day=$(sqlite3 "$DATA/motcua.db" "SELECT COUNT(*) FROM dossiers WHERE unit = 'TPSL'
    AND code LIKE 'TPSL-150105-%' AND state <> 3")
[ "$day" -gt 0 ] || fail "no dossier received on 5 January 2015"
admin report book --unit TPSL --period 2015-01-05
expect_rc 0 "report book"
expect_in "$out" "SỔ THEO DÕI HỒ SƠ (Mẫu số 06)" "the book's title"
expect_in "$out" "Từ ngày 05/01/2015 đến ngày 05/01/2015: $day hồ sơ" "the book's period"
[ "$(printf '%s\n' "$out" | grep -c ' TPSL-150105-')" = "$day" ] || fail "book lines: $out"
admin report book --unit TPSL --period 2015-01-05 --format csv
expect_rc 0 "report book as CSV"
printf '%s' "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin.read().lstrip("\ufeff").splitlines()))
assert len(rows) == int(sys.argv[1]), len(rows)
assert all(r["code"].startswith("TPSL-150105-") for r in rows)
assert all(r["received_at"].startswith("2015-01-05 ") for r in rows)
assert all(r["due_at"] for r in rows)
' "$day" || fail "the book as CSV: $out"

# ---- the apology letter (Mẫu 04) and the control slip (Mẫu 05) ------------------------------
code=$(sqlite3 "$DATA/motcua.db" "SELECT d.code FROM events e JOIN dossiers d ON d.id = e.dossier
    WHERE e.action = 'apologize' ORDER BY e.id LIMIT 1")
[ -n "$code" ] || fail "no apology in the seed"
admin report apology "$code"
expect_rc 0 "report apology"
expect_in "$out" "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" "the apology's title"
expect_in "$out" "Mã hồ sơ: $code" "the apology's code"
expect_in "$out" "Ngày hẹn trả kết quả mới: " "the new appointment"
admin report slip "$(echo "$code" | tr 'A-Z' 'a-z')"
expect_rc 0 "report slip"
expect_in "$out" "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" "the slip's title"
expect_in "$out" "Mã hồ sơ: $code" "the slip's code"
plain=$(sqlite3 "$DATA/motcua.db" "SELECT code FROM dossiers WHERE state <> 3 AND id NOT IN
    (SELECT dossier FROM events WHERE action = 'apologize') ORDER BY id LIMIT 1")
admin report apology "$plain"
expect_rc 1 "an apology that was never sent"
expect_in "$err" "dossier $plain has no apology letter" "an apology that was never sent"
admin report slip TPSL-150105-9999
expect_rc 1 "the slip of no dossier"
admin report slip
expect_rc 2 "report slip without a code"

# ---- over SSH: an administrator runs it; an officer is refused ------------------------------
ssh-keygen -q -t ed25519 -N '' -C admin -f "$TEST_TMP/id_admin"
ssh-keygen -q -t ed25519 -N '' -C leader -f "$TEST_TMP/id_leader"
add_user quantri --role admin --name "Quản trị" --key "$TEST_TMP/id_admin.pub"
add_user lanhdao.test --role leader --department lanh-dao --key "$TEST_TMP/id_leader.pub"
server_start
rc=0
ssh_key "$TEST_TMP/id_admin" -T quantri@127.0.0.1 report --period 2015-H1 --unit TPSL \
    --format csv </dev/null >"$TEST_TMP/ssh.csv" 2>"$TEST_TMP/ssh.err" || rc=$?
[ "$rc" = 0 ] || fail "report over SSH: status $rc: $(cat "$TEST_TMP/ssh.err")"
cmp -s "$TEST_TMP/ssh.csv" "$TEST_TMP/fields.csv" ||
    fail "the CSV over SSH differs from the host's: $(cat "$TEST_TMP/ssh.csv")"
rc=0
ssh_key "$TEST_TMP/id_admin" -T quantri@127.0.0.1 report --by week </dev/null \
    >"$TEST_TMP/ssh.out" 2>"$TEST_TMP/ssh.err" || rc=$?
[ "$rc" = 2 ] || fail "a usage error over SSH: status $rc"
grep -qF -- "--by takes unit, field, procedure or month" "$TEST_TMP/ssh.err" ||
    fail "the usage error over SSH: $(cat "$TEST_TMP/ssh.err")"
[ ! -s "$TEST_TMP/ssh.out" ] || fail "output on a usage error: $(cat "$TEST_TMP/ssh.out")"
rc=0
ssh_key "$TEST_TMP/id_leader" -T lanhdao.test@127.0.0.1 report --period 2015-H1 </dev/null \
    >"$TEST_TMP/ssh.out" 2>"$TEST_TMP/ssh.err" || rc=$?
[ "$rc" = 1 ] || fail "an officer's report over SSH: status $rc"
grep -qF "commands are for administrators" "$TEST_TMP/ssh.err" ||
    fail "the officer's refusal: $(cat "$TEST_TMP/ssh.err")"
[ ! -s "$TEST_TMP/ssh.out" ] || fail "figures for an officer: $(cat "$TEST_TMP/ssh.out")"
exit 0
