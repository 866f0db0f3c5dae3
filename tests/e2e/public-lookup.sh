#!/bin/sh
# public-lookup.sh: the public read-only login over `ssh -tt`: in without a password (the
# "none" method; any password too), a dossier of the demo looked up by its code and the last
# four digits of the phone, the same refusal for wrong digits and a wrong code, a wait after
# five misses, a log line per miss without the digits, the board equal to `motcuad publish`,
# and nothing of the officers' reachable: their keys, commands, a shell without a terminal.
# With public_login empty nobody gets in that way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

tui_setup
tui_server_start

row=$(db "SELECT code || '|' || applicant_phone || '|' || applicant_name FROM dossiers
    WHERE unit = 'TPSL' AND state = 4 AND length(applicant_phone) = 10 ORDER BY id LIMIT 1")
code=${row%%|*}
rest=${row#*|}
phone=${rest%%|*}
name=${rest#*|}
[ -n "$code" ] && [ -n "$phone" ] && [ -n "$name" ] || fail "no TPSL dossier with a phone"
digits=$(printf '%s' "$phone" | tail -c 4)
missing=$(echo "$code" | sed 's/-[0-9]*$/-9999/')
# Wrong digits that are not part of either code, so that the log can be searched for them.
wrong=$(printf '%04d' $(( (1${digits} - 10000 + 5371) % 10000 )))
while printf '%s %s' "$code" "$missing" | grep -qF "$wrong"; do
	wrong=$(printf '%04d' $(( (1${wrong} - 10000 + 1) % 10000 )))
done

# pub_open NAME [SSH OPTIONS...]: a window in which the public login connects; no password
# can be typed (BatchMode), so only the "none" method can let it in.
pub_open() {
	_name=$1
	shift
	{
		echo '#!/bin/sh'
		printf 'SSH_AUTH_SOCK= ssh -tt -F /dev/null -p %s -o StrictHostKeyChecking=no ' "$PORT"
		printf -- '-o UserKnownHostsFile=%s -o LogLevel=ERROR ' "$TEST_TMP/known_hosts"
		printf -- '-o ConnectTimeout=10 -o BatchMode=yes -o PubkeyAuthentication=no'
		for _o in "$@"; do
			printf " '%s'" "$_o"
		done
		printf ' tracuu@127.0.0.1\n'
		echo 'echo "SSH-EXITED $?"'
		echo 'exec sleep 600'
	} >"$TEST_TMP/connect-$_name"
	chmod +x "$TEST_TMP/connect-$_name"
	tui_window "$_name" "$TEST_TMP/connect-$_name"
}

# lookup NAME CODE DIGITS: a new lookup (F2 clears the form) of a code and digits.
lookup() {
	tui_keys "$1" F2
	tui_wait "$1" "Nhấn Enter để tra cứu"
	tui_type "$1" "$2"
	tui_keys "$1" Tab
	tui_type "$1" "$3"
	tui_keys "$1" Enter
}

# officer_free NAME: the window shows none of the officers' screens.
officer_free() {
	for _t in "Tổng quan" "Tiếp nhận hồ sơ" "Tìm thủ tục" "Hàng đợi" "Mở hồ sơ" \
	    "Mã hồ sơ (ví dụ" "Báo cáo" "$name"; do
		tui_shows "$1" "$_t" && fail "window $1 shows '$_t' after $2"
	done
	return 0
}

pub_open a
tui_wait a "TRA CỨU TÌNH TRẠNG GIẢI QUYẾT HỒ SƠ" 20
tui_wait a "Tỉnh Sơn La"
log_has "auth ok: none for tracuu from" || fail "the public login did not use the none method"
tui_record a "$TEST_TMP/a.raw"

# The right code (typed in lower case) and digits: its state, appointment and current step.
lookup a "$(echo "$code" | tr 'A-Z' 'a-z')" "$digits"
tui_wait a "Hồ sơ $code"
tui_wait a "Trạng thái:             Đang xử lý"
tui_shows a "Hẹn trả kết quả:" || fail "no appointment"
tui_shows a "Đang ở bước:" || fail "no current step"
tui_shows a "Bộ phận xử lý:" || fail "no department"
step=$(db "SELECT s.name FROM dossiers d JOIN procedure_steps s ON s.procedure_version =
    d.procedure_version AND s.variant = d.variant AND s.step = d.step WHERE d.code = '$code'")
[ -n "$step" ] || fail "no step name in the store for $code"
tui_shows a "Đang ở bước:            $(printf '%s' "$step" | awk '{ print $1, $2 }')" ||
    fail "the step '$step' is not shown"

# Wrong digits, and a code that does not exist with the right digits: one same answer.
lookup a "$code" "$wrong"
tui_wait a "Không tìm thấy hồ sơ có mã và 4 số điện thoại như đã nhập."
tui_shows a "Hồ sơ $code" && fail "the dossier is shown with wrong digits"
one=$(tui_screen a | sed -n '/Không tìm thấy/,+1p')
lookup a "$missing" "$digits"
tui_wait a "Không tìm thấy hồ sơ có mã và 4 số điện thoại như đã nhập."
two=$(tui_screen a | sed -n '/Không tìm thấy/,+1p')
[ "$one" = "$two" ] || fail "wrong digits and a wrong code are told apart: '$one' / '$two'"
wait_for 5 log_has "public lookup: miss 2 of 20 for code \"$missing\"" ||
    fail "no log line for the second miss"
log_has "public lookup: miss 1 of 20 for code \"$code\"" || fail "no log line for the first miss"
grep -F "public lookup:" "$TEST_TMP/serve.log" | grep -qF "$wrong" &&
    fail "the digits typed reached the log"

# The board: the figures of `motcuad publish` at the same instant.
tui_keys a F3
tui_wait a "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THÁNG 11/2026"
"$MOTCUAD" publish --data "$DATA" --catalog "$top_srcdir/catalog" --out "$TEST_TMP/pub" \
    >/dev/null || fail "motcuad publish failed"
want=$(python3 - "$TEST_TMP/pub/cong-khai.csv" <<'PY'
import csv, sys
for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig")):
    if r[0] == "TPSL" and r[2] == "2026-11":
        print(" ".join(r[5:10]))
PY
)
got=$(tui_screen a | grep -F "Thành phố Sơn La" | awk '{ print $5, $6, $7, $8, $9 }')
[ -n "$want" ] && [ "$got" = "$want" ] || fail "the board shows '$got', publish wrote '$want'"
tui_keys a F5
tui_wait a "KẾT QUẢ GIẢI QUYẾT HỒ SƠ NĂM 2026"

# The officers' keys lead nowhere else, on the board and on the form.
for key in F2 F3 F4 F5 F6 F7 F8 F9 F11 F12 q n / d r C-o; do
	tui_keys a F3 2>/dev/null || true
	tui_keys a "$key"
	sleep 0.2
	officer_free a "$key on the board"
done
tui_keys a F2
tui_wait a "TRA CỨU TÌNH TRẠNG GIẢI QUYẾT HỒ SƠ"
for key in F4 F6 F7 F8 F9 F11 F12 C-b C-l C-g; do
	tui_keys a "$key"
	sleep 0.2
	officer_free a "$key on the form"
done
tui_wait a "TRA CỨU TÌNH TRẠNG GIẢI QUYẾT HỒ SƠ"

# answered NAME: the window shows the answer to a lookup: a miss, or the wait.
answered() {
	tui_shows "$1" "Không tìm thấy hồ sơ" || tui_shows "$1" "xin thử lại sau"
}

# More misses: five in all are free, then attempts must wait (however slow this machine is,
# the waits grow until one is met).
n=2
while :; do
	lookup a "$missing" "$digits"
	wait_for 10 answered a || fail "no answer to a lookup after $n misses"
	tui_shows a "xin thử lại sau" && break
	n=$((n + 1))
	[ "$n" -le 12 ] || fail "no wait after $n misses"
done
[ "$n" -ge 5 ] || fail "a wait after only $n misses"
wait_for 5 log_has "public lookup: miss $n of 20" || fail "no log line for miss $n"
log_has "public lookup: miss $((n + 1)) of 20" && fail "an attempt during the wait was a miss"
tui_shows a "Hồ sơ $code" && fail "a lookup was answered during the wait"
tui_record_stop a
grep -qF "$name" "$TEST_TMP/a.raw" && fail "the applicant's name reached the public client"
tui_logout a
log_has "disconnect: tracuu from" || fail "no disconnect line for the public login"

# A client set for passwords (OpenSSH still tries "none" first) gets in all the same.
tui_open b tracuu
tui_wait b "TRA CỨU TÌNH TRẠNG GIẢI QUYẾT HỒ SƠ" 20
tui_logout b

# No command, no shell without a terminal, no subsystem.
rc=0
SSH_AUTH_SOCK= ssh_client -o BatchMode=yes -o PubkeyAuthentication=no tracuu@127.0.0.1 \
    help </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" != 0 ] || fail "a command of the public login succeeded: $(cat "$TEST_TMP/out")"
grep -q "user add" "$TEST_TMP/out" "$TEST_TMP/err" && fail "the public login reached the admin help"
rc=0
ssh_client -T -o BatchMode=yes -o PubkeyAuthentication=no tracuu@127.0.0.1 \
    </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" = 1 ] || fail "a shell without a terminal: exit status $rc"
rc=0
ssh_client -s -o BatchMode=yes -o PubkeyAuthentication=no tracuu@127.0.0.1 sftp \
    </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" != 0 ] || fail "the sftp subsystem was accepted for the public login"

# With public_login empty the login is an ordinary (unknown) one: no way in.
before=$(log_count "auth ok:")
server_stop
server_start "public_login ="
rc=0
ssh_client -T -o BatchMode=yes -o PubkeyAuthentication=no tracuu@127.0.0.1 \
    </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" = 255 ] || fail "public_login empty: exit status $rc, expected 255"
[ "$(log_count "auth ok:")" = "$before" ] || fail "the disabled public login got in"
exit 0
