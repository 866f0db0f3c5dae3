#!/bin/sh
# tui-workflow.sh: a dossier of 2.000815 (one-stop → Phòng Tư pháp → one-stop) goes through
# hand-over, assignment, resolution and return, each done over `ssh -tt` by the right officer;
# the store is checked after every step, and the wrong officers are offered nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start

# state CODE: "state|step|department|officer login" of the dossier in the store.
state() {
	db "SELECT state, step, dossiers.department, coalesce(users.login, '-') FROM dossiers
	    LEFT JOIN users ON users.id = dossiers.officer WHERE code = '$1'"
}

# The one-stop officer receives the dossier and hands it over to Phòng Tư pháp.
tui_login a tiepnhan.tpsl
tui_receive a "Hà Văn Khánh" 040123456789
code=$CODE
[ "$(state "$code")" = "2|0|mot-cua|tiepnhan.tpsl" ] || fail "after intake: $(state "$code")"
tui_open_dossier a "$code"
tui_wait a "Hồ sơ $code"
tui_wait a "Trạng thái: Đã tiếp nhận"
tui_wait a "[c] Chuyển bước tiếp theo"
tui_act a c "Chuyển bước tiếp theo"
tui_wait a "Trạng thái: Đang xử lý"
tui_wait a "cán bộ: chưa phân công"
[ "$(state "$code")" = "4|1|tu-phap|-" ] || fail "after the hand-over: $(state "$code")"
tui_logout a

# The leader assigns it to tuphap.tpsl.
tui_login b lanhdao.tpsl
tui_open_dossier b "$code"
tui_wait b "Hồ sơ $code"
tui_wait b "[g] Phân công xử lý"
tui_keys b g
tui_wait b "Phân công xử lý hồ sơ $code cho:"
tui_menu_pick b "(tuphap.tpsl)"
tui_wait b "Đã thực hiện: Phân công xử lý"
tui_wait b "cán bộ: Nguyễn Thị Thu Hằng"
[ "$(state "$code")" = "4|1|tu-phap|tuphap.tpsl" ] || fail "after the assignment: $(state "$code")"
tui_logout b

# Another officer of the same department may read it but not resolve it.
tui_login c tuphap2.tpsl
tui_open_dossier c "$code"
tui_wait c "Hồ sơ $code"
tui_wait c "cán bộ: Nguyễn Thị Thu Hằng"
tui_wait c "Thao tác: (không có thao tác nào lúc này)"
tui_keys c e F5
tui_wait c "Không có thao tác nào trên hồ sơ này lúc này"
[ "$(state "$code")" = "4|1|tu-phap|tuphap.tpsl" ] ||
    fail "tuphap2.tpsl changed it: $(state "$code")"
tui_logout c

# The assigned officer resolves it: it goes back to the one-stop for the return.
tui_login d tuphap.tpsl
tui_open_dossier d "$code"
tui_wait d "Hồ sơ $code"
tui_wait d "[e] Hoàn thành"
tui_act d e "Hoàn thành, chuyển trả kết quả"
tui_wait d "Trạng thái: Đã giải quyết"
[ "$(state "$code" | cut -d'|' -f1,3)" = "9|mot-cua" ] || fail "after resolving: $(state "$code")"
tui_logout d

# The one-stop officer returns the result.
tui_login e tiepnhan.tpsl
tui_open_dossier e "$code"
tui_wait e "Trạng thái: Đã giải quyết"
tui_wait e "[a] Trả kết quả"
tui_act e a "Trả kết quả"
tui_wait e "Trạng thái: Đã trả kết quả"
[ "$(state "$code" | cut -d'|' -f1)" = 10 ] || fail "after the return: $(state "$code")"
[ "$(db "SELECT returned_at IS NOT NULL AND resolved_at IS NOT NULL FROM dossiers
    WHERE code = '$code'")" = 1 ] || fail "no resolution or return time for $code"
tui_logout e

# The history: who did what, in order.
history=$(db "SELECT group_concat(action || ':' || login, ' ') FROM (SELECT action, login
    FROM events JOIN users ON users.id = events.actor JOIN dossiers ON
    dossiers.id = events.dossier WHERE code = '$code' ORDER BY events.id)")
expected="receive:tiepnhan.tpsl handover:tiepnhan.tpsl assign:lanhdao.tpsl"
expected="$expected resolve:tuphap.tpsl return:tiepnhan.tpsl"
[ "$history" = "$expected" ] ||
    fail "the history of $code: $history"
exit 0
