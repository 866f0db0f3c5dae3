#!/bin/sh
# catalog-check.sh: `motcuad catalog check` on the bundled catalog and on broken and hostile copies.
. "$(dirname "$0")/lib.sh"

# The bundled catalog is valid and summarised on one line.
run_motcuad catalog check "$top_srcdir/catalog"
expect_rc 0 "the bundled catalog"
expect_in "$out" "ok: Tỉnh Sơn La, 12 units" "summary"
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "the summary is one line: $out"

# A copy with three problems in three files: every one is reported as file:line:column.
broken="$TEST_TMP/broken"
cp -R "$top_srcdir/catalog" "$broken"
printf 'colour: red\n' >>"$broken/fields.yaml"
lines=$(wc -l <"$broken/fields.yaml")
cat >"$broken/calendar/2015.yaml" <<'YAML'
year: 2015
off:
  - { date: 2015-02-14, name: "Thứ Bảy" }
work: []
YAML
mkdir -p "$broken/procedures/chung-thuc"
cat >"$broken/procedures/chung-thuc/9.999999.yaml" <<'YAML'
code: "9.999999"
name: "Thủ tục thử"
field: chung-thuc
level: huyen
duration: { days: 5 }
documents:
  - { name: "Đơn", originals: 1, copies: 0 }
steps:
  - { dept: mot-cua, name: "Tiếp nhận", days: 1 }
  - { dept: khong-co, name: "Giải quyết", days: 3 }
result: "Kết quả"
legal_basis: ["Không"]
YAML
run_motcuad catalog check "$broken"
expect_rc 1 "a broken catalog"
expect_in "$err" "$broken/fields.yaml:$lines:1: " "unknown key in fields.yaml"
expect_in "$err" "colour" "the unknown key is named"
expect_in "$err" "$broken/calendar/2015.yaml:3:" "an off date on a Saturday"
expect_in "$err" "$broken/procedures/chung-thuc/9.999999.yaml:10:" "unknown department"
expect_in "$err" "khong-co" "the unknown department is named"
expect_in "$err" "$broken/procedures/chung-thuc/9.999999.yaml:" "step days"
[ -z "$out" ] || fail "nothing on stdout when the catalog is broken: $out"

# Hostile files are refused quickly, and the rest of the catalog is still checked.
hostile="$TEST_TMP/hostile"
cp -R "$top_srcdir/catalog" "$hostile"
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "["; for (i = 0; i < 50000; i++) printf "]"; print "" }' \
	>"$hostile/procedures/chung-thuc/deep.yaml"
printf 'a: &a [*a]\n' >"$hostile/procedures/chung-thuc/alias.yaml"
head -c 20971520 /dev/zero | tr '\0' 'a' >"$hostile/procedures/chung-thuc/huge.yaml"
printf 'code: "\\e[2J"\n' >"$hostile/procedures/chung-thuc/escape.yaml"
printf 'code: "\377"\n' >"$hostile/procedures/chung-thuc/bytes.yaml"
rc=0
timeout 10 "$MOTCUAD" catalog check "$hostile" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
err=$(cat "$TEST_TMP/err")
expect_rc 1 "a catalog with hostile files"
for f in deep alias huge escape bytes; do
	expect_in "$err" "$hostile/procedures/chung-thuc/$f.yaml:" "$f.yaml is reported"
done

# A missing directory is a clear error too.
run_motcuad catalog check "$TEST_TMP/nowhere"
expect_rc 1 "a missing catalog"
expect_in "$err" "nowhere" "the missing directory is named"
exit 0
