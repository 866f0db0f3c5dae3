#!/bin/sh
# publish.sh: `motcuad publish` writes the public board of the demo province as static HTML
# (no script) and CSV (UTF-8 with a BOM): every unit has its page, the CSV parses, its figures
# are the pages' and add up to the province's, the counts that SQL can make equal the store's;
# a second publication replaces the first at once, a directory that is not one is refused, and
# errors name what and where.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no sqlite3"; exit 77; }
MOTCUA_NOW="2026-11-26 10:00"
export MOTCUA_NOW

# The demo province (it serves once ready; it is stopped then).
DATA=$TEST_TMP/data
: >"$TEST_TMP/demo.out"
"$MOTCUAD" demo --data "$DATA" --listen "127.0.0.1:$(free_port)" \
    --catalog "$top_srcdir/catalog" >"$TEST_TMP/demo.out" 2>&1 &
demo=$!
wait_for 60 grep -q '^motcuad: listening on' "$TEST_TMP/demo.out" ||
    { kill "$demo" 2>/dev/null; fail "the demo did not get ready: $(cat "$TEST_TMP/demo.out")"; }
kill "$demo"
wait "$demo" 2>/dev/null || true

OUT=$TEST_TMP/portal/cong-khai
mkdir -p "$TEST_TMP/portal"
run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$OUT"
expect_rc 0 "publish"
expect_in "$out" "the board of 12 units as of 10:00 26/11/2026" "publish summary"
for f in index.html tpsl.html qn.html tc.html ml.html by.html py.html mch.html yc.html \
    ms.html sm.html sc.html vh.html cong-khai.csv .motcua-publish; do
	[ -s "$OUT/$f" ] || fail "$f was not written"
done
[ "$(ls -A "$OUT" | wc -l)" = 15 ] || fail "unexpected files: $(ls -A "$OUT")"
ls "$TEST_TMP/portal" | grep -q tmp && fail "a temporary directory was left"
grep -qi "<script" "$OUT"/*.html && fail "a page has a script"
for f in "$OUT"/*.html; do
	[ "$(wc -c <"$f")" -lt 16384 ] || fail "$f is not small"
	grep -q '<meta charset="utf-8">' "$f" || fail "$f does not say UTF-8"
done
grep -qF "Thành phố Sơn La" "$OUT/tpsl.html" || fail "the unit page has no name"
grep -qF '<a href="tpsl.html">Thành phố Sơn La</a>' "$OUT/index.html" ||
    fail "index.html does not link the unit's page"
[ "$(head -c 3 "$OUT/cong-khai.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "the CSV has no byte order mark"

# The CSV parses; the pages show its figures; units add up to the province.
month_from=$(date -d '2026-11-01 00:00 +0700' +%s)
year_from=$(date -d '2026-01-01 00:00 +0700' +%s)
as_of=$(date -d '2026-11-26 10:00 +0700' +%s)
sql=$(sqlite3 "$DATA/motcua.db" "SELECT unit, sum(received_at >= $month_from), count(*)
    FROM dossiers d WHERE received_at >= $year_from AND received_at < $as_of AND NOT EXISTS
    (SELECT 1 FROM events e WHERE e.dossier = d.id AND e.action = 'refuse_intake')
    GROUP BY unit ORDER BY unit")
sup=$(sqlite3 "$DATA/motcua.db" "SELECT d.unit, count(DISTINCT CASE WHEN p.started_at >=
    $month_from THEN d.id END), count(DISTINCT d.id) FROM pauses p JOIN dossiers d ON
    d.id = p.dossier WHERE p.kind = 'supplement' AND p.started_at >= $year_from AND
    p.started_at < $as_of GROUP BY d.unit ORDER BY d.unit")
python3 - "$OUT" "$sql" "$sup" <<'PY' || fail "the published figures do not check"
import csv, html.parser, sys

out, sql, sup = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.reader(open(out + "/cong-khai.csv", encoding="utf-8-sig", newline="")))
head = rows[0]
assert head[:6] == ["Mã đơn vị", "Đơn vị", "Kỳ", "Từ", "Đến", "Tiếp nhận"], head
assert len(head) == 11, head
rows = rows[1:]
assert len(rows) == 26, len(rows)
for r in rows:
    assert len(r) == 11, r
    assert r[2] in ("2026-11", "2026"), r
    assert r[4] == "2026-11-26 10:00", r
    assert r[3] == ("2026-11-01 00:00" if r[2] == "2026-11" else "2026-01-01 00:00"), r
    [int(x) for x in r[5:10]]
units = [r for r in rows if r[0] != "14"]
province = [r for r in rows if r[0] == "14"]
assert len(units) == 24 and len(province) == 2, (len(units), len(province))
for period in ("2026-11", "2026"):
    total = [r for r in province if r[2] == period][0]
    for col in range(5, 10):
        s = sum(int(r[col]) for r in units if r[2] == period)
        assert s == int(total[col]), (period, head[col], s, total[col])
    resolved = int(total[6]) + int(total[7])
    if resolved:
        assert abs(float(total[10]) - 100.0 * int(total[6]) / resolved) < 0.051, total
    else:
        assert total[10] == "", total
assert int([r for r in province if r[2] == "2026"][0][5]) > 0, "no dossiers at all"

# Received and sent back for a supplement, counted again in SQL.
def counts(text):
    got = {}
    for line in text.splitlines():
        unit, month, year = line.split("|")
        got[unit] = (int(month), int(year))
    return got
rec, sp = counts(sql), counts(sup)
for r in units:
    i = 0 if r[2] == "2026-11" else 1
    assert int(r[5]) == rec.get(r[0], (0, 0))[i], ("received", r, rec.get(r[0]))
    assert int(r[9]) == sp.get(r[0], (0, 0))[i], ("supplement", r, sp.get(r[0]))

# The tables of index.html: the month's, then the year's, unit by unit, then the total.
class Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell = [], None, None
    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag == "td":
            self.cell = ""
    def handle_endtag(self, tag):
        if tag == "td":
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row:
            self.tables[-1].append(self.row)
            self.row = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
p = Cells()
p.feed(open(out + "/index.html", encoding="utf-8").read())
assert len(p.tables) == 2, len(p.tables)
for table, period in zip(p.tables, ("2026-11", "2026")):
    want = [r for r in units if r[2] == period] + [r for r in province if r[2] == period]
    assert len(table) == 13, len(table)
    for cells, r in zip(table, want):
        assert cells[0] == (r[1] if r[0] != "14" else "Toàn tỉnh"), (cells, r)
        assert cells[1:6] == r[5:10], (cells, r)
        rate = "—" if r[10] == "" else r[10].replace(".", ",") + " %"
        assert cells[6] == rate, (cells, r)
p = Cells()
p.feed(open(out + "/tpsl.html", encoding="utf-8").read())
tpsl = [r for r in units if r[0] == "TPSL"]
assert [c[1:6] for c in p.tables[0]] == [r[5:10] for r in tpsl], p.tables
PY

# Again, as of the end of 31 October: the directory is replaced at once, the old files gone.
ino=$(stat -c %i "$OUT")
run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$OUT/" \
    --date 2026-10-31
expect_rc 0 "publish --date"
expect_in "$out" "as of 00:00 01/11/2026" "publish --date summary"
[ "$(stat -c %i "$OUT")" != "$ino" ] || fail "the publication was not swapped in"
grep -q '"TPSL","Thành phố Sơn La","2026-10","2026-10-01 00:00","2026-11-01 00:00"' \
    "$OUT/cong-khai.csv" || fail "the CSV is not of October"
[ "$(ls "$TEST_TMP/portal")" = cong-khai ] || fail "left over: $(ls "$TEST_TMP/portal")"

# Refusals: what and where.
mkdir "$TEST_TMP/other"
echo keep >"$TEST_TMP/other/notes.txt"
run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$TEST_TMP/other"
expect_rc 1 "publish over a foreign directory"
expect_in "$err" "$TEST_TMP/other: is not empty and is not a publication" "foreign directory"
[ "$(cat "$TEST_TMP/other/notes.txt")" = keep ] || fail "a foreign directory was touched"
run_motcuad publish --data "$TEST_TMP/nowhere" --out "$TEST_TMP/p2"
expect_rc 1 "publish without a store"
expect_in "$err" "$TEST_TMP/nowhere/motcua.db: No such file or directory" "no store"
[ ! -e "$TEST_TMP/p2" ] || fail "a publication of nothing was written"
run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$TEST_TMP/p2" \
    --date 2026-02-30
expect_rc 1 "publish --date 2026-02-30"
expect_in "$err" "--date 2026-02-30: expected a date YYYY-MM-DD" "bad date"
run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$TEST_TMP/p2" \
    --date 2026-11-27
expect_rc 1 "publish --date tomorrow"
expect_in "$err" "is in the future" "future date"
touch "$TEST_TMP/file"
run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$TEST_TMP/file"
expect_rc 1 "publish onto a file"
expect_in "$err" "$TEST_TMP/file: exists and is not a directory" "onto a file"
mkdir "$TEST_TMP/ro"
chmod 555 "$TEST_TMP/ro"
if [ "$(id -u)" != 0 ]; then
	run_motcuad publish --data "$DATA" --catalog "$top_srcdir/catalog" \
	    --out "$TEST_TMP/ro/out"
	expect_rc 1 "publish into a read-only directory"
	expect_in "$err" "cannot create $TEST_TMP/ro/out.tmp-" "read-only directory"
fi
run_motcuad publish --data "$DATA"
expect_rc 2 "publish without --out"
expect_in "$err" "usage: motcuad publish" "usage"
exit 0
