#!/bin/sh
# tui-report.sh: a leader of Thành phố Sơn La opens the report screen over `ssh -tt` in tmux,
# types the period 2015-H1 and sees the seed's figures (tests/tools/mkseed) in the bar charts
# by field, by month and by unit, each number printed next to its bar; a monitor's chart by
# unit lists every unit of the province, the leader's only its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

MKSEED="$top_builddir/tests/tools/mkseed"
[ -x "$MKSEED" ] || fail "tests/tools/mkseed is not built"
MOTCUA_NOW="2015-07-15 09:00"
export MOTCUA_NOW
tui_setup

DATA=$TEST_TMP/data
mkdir -p "$DATA"
"$MKSEED" "$DATA/motcua.db" --catalog "$top_srcdir/catalog" >"$TEST_TMP/seed.out" 2>&1 ||
    fail "mkseed: $(cat "$TEST_TMP/seed.out")"
add_user lanhdao.test --role leader --department lanh-dao --name "Trần Văn Lãnh" \
    --password demo
add_user giamsat.test --role monitor --name "Lê Thanh Bình" --password demo
# The figures by month, from the administrators' report, to compare with the chart.
"$MOTCUAD" admin --data "$DATA" --catalog "$top_srcdir/catalog" report --period 2015-H1 \
    --by month --format tsv >"$TEST_TMP/months.tsv" || fail "report by month"
server_start

# bar NAME TEXT: the window shows the bar of the label TEXT ended by the number (Vietnamese
# digit grouping: 2.749), then the other figures.
bar() {
	tui_screen "$1" | grep -qE "^ $2 +#+ $3 " || {
		tui_screen "$1" >&2
		fail "no bar '$2' of $3"
	}
}

tui_login a lanhdao.test
tui_keys a F6
tui_wait a "[1 Tháng này]"
tui_wait a "Thành phố Sơn La — kỳ 2015-07: từ 01/07/2015 đến 31/07/2015"
tui_keys a 5
tui_wait a "Kỳ (2015-06, 2015-Q2"
tui_type a "2015-H1"
tui_keys a Enter
tui_wait a "Thành phố Sơn La — kỳ 2015-H1: từ 01/01/2015 đến 30/06/2015"
tui_wait a "[5 Kỳ khác…]"
tui_wait a "Mới tiếp nhận 5.104"
tui_wait a "[l Theo lĩnh vực]"
bar a "Đất đai" 2.749
bar a "Xây dựng" 190
bar a "Thành lập và hoạt động củ…" 462
bar a "Hộ tịch" 19
bar a "Chứng thực" 1.684
tui_screen a | grep -qE '^ Tổng cộng +5\.104 ' || fail "no total of 5.104"
# Not a colour in sight: the numbers say it all (the bars are '#').
tui_shows a "Đúng hạn" || fail "no on-time column"

# By month: every month's bar with the number of the administrators' report.
tui_keys a t
tui_wait a "[t Theo tháng]"
tui_wait a "06/2015"
for m in 1 2 3 4 5 6; do
	n=$(awk -F '\t' -v k="2015-0$m" '$1 == k { print $4 }' "$TEST_TMP/months.tsv")
	[ -n "$n" ] || fail "no month $m in the report"
	bar a "0$m/2015" "$(printf '%s' "$n" | sed -E ':a; s/([0-9])([0-9]{3})($|\.)/\1.\2\3/; ta')"
done
awk -F '\t' 'NR > 1 && $1 != "" { s += $4 } END { exit s != 5104 }' "$TEST_TMP/months.tsv" ||
    fail "the months do not add up to 5,104"

# By unit: the leader's own unit only.
tui_keys a d
tui_wait a "[d Theo đơn vị]"
tui_wait a "Thành phố Sơn La  "
bar a "Thành phố Sơn La" 5.104
tui_shows a "Huyện Mộc Châu" && fail "the leader sees another unit"
# The screen's help lists its keys and explains the chart.
tui_keys a F1
tui_wait a "Biểu đồ theo lĩnh vực"
tui_wait a "Hồ sơ mới tiếp nhận trong kỳ, số ở cuối thanh"
tui_keys a F9
tui_wait a "[d Theo đơn vị]"
tui_keys a F9
tui_wait a "Tổng quan"
tui_logout a

# The province's monitor: every unit in the chart by unit.
tui_login b giamsat.test
tui_keys b F6
tui_wait b "Toàn tỉnh — kỳ 2015-07"
tui_keys b p
tui_wait b "Kỳ (2015-06, 2015-Q2"
tui_type b "2015-01-01..2015-06-30"
tui_keys b Enter
tui_wait b "Toàn tỉnh — kỳ 2015-01-01..2015-06-30: từ 01/01/2015 đến 30/06/2015"
tui_keys b d
tui_wait b "Huyện Vân Hồ"
bar b "Thành phố Sơn La" 5.104
tui_screen b | grep -qE '^ Huyện Mộc Châu +0 ' || fail "Mộc Châu's row"
# A period that is not one is refused with the forms to use.
tui_keys b p
tui_wait b "Kỳ (2015-06, 2015-Q2"
tui_keys b C-u
tui_type b "2015-13"
tui_keys b Enter
tui_wait b 'Kỳ báo cáo "2015-13" không hợp lệ'
tui_shows b "kỳ 2015-01-01..2015-06-30" || fail "the period changed after an error"
tui_logout b
exit 0
