#!/bin/sh
# ssh-privsep.sh: the interface an officer drives is a fresh program (`motcuad interface`), not
# a fork of the SSH session: its memory holds no copy of the host key, it has no socket, only
# the environment the server chooses, a private umask, and a terminal no larger than 400×200.
# Prints the memory (PSS) of one idle session: the session process plus its interface.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ssh-lib.sh"

TMUX_CMD=
cleanup() {
	[ -z "$TMUX_CMD" ] || $TMUX_CMD kill-server 2>/dev/null || true
	[ -z "${CLIENT:-}" ] || kill "$CLIENT" 2>/dev/null || true
	server_stop
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TEST_TMP"
}
trap cleanup EXIT

export MOTCUA_NOW="2026-11-26 10:00"
# A descriptor the server inherits is closed before it opens anything.
exec 9>"$TEST_TMP/inherited"
server_start "log_level = debug"
exec 9>&-
[ -e "/proc/$SERVER_PID/fd/9" ] &&
    [ "$(readlink "/proc/$SERVER_PID/fd/9")" = "$TEST_TMP/inherited" ] &&
    fail "the server kept an inherited descriptor"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/id"
add_user tiepnhan.test --key "$TEST_TMP/id.pub"

# Log in on a terminal larger than the server allows: 500×300 in tmux if there is tmux.
cat >"$TEST_TMP/connect" <<CONNECT
#!/bin/sh
SSH_AUTH_SOCK= exec ssh -tt -F /dev/null -p $PORT -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=$TEST_TMP/known_hosts -o LogLevel=ERROR -o BatchMode=yes \
    -o IdentitiesOnly=yes -i $TEST_TMP/id tiepnhan.test@127.0.0.1
CONNECT
chmod +x "$TEST_TMP/connect"
if command -v tmux >/dev/null 2>&1; then
	TMUX_CMD="tmux -L motcua-$TEST_NAME-$$ -f /dev/null"
	$TMUX_CMD new-session -d -s big -x 500 -y 300 "$TEST_TMP/connect; sleep 600"
else
	"$TEST_TMP/connect" </dev/null >/dev/null 2>&1 &
	CLIENT=$!
fi
wait_for 20 log_has "auth ok: publickey for tiepnhan.test" || fail "no login"
session=$(session_pid tiepnhan.test)
[ -n "$session" ] || fail "no session pid"
wait_for 10 log_has "interface pid " || fail "the interface did not start"
interface=$(sed -n 's/.*interface pid \([0-9]*\) for tiepnhan.test.*/\1/p' "$TEST_TMP/serve.log" |
    tail -n 1)
[ -n "$interface" ] && kill -0 "$interface" || fail "no interface process"
[ "$(ps -o ppid= -p "$interface" | tr -d ' ')" = "$session" ] ||
    fail "the interface is not the session's child"

# It is `motcuad interface`, executed: the same binary, a fresh image.
ls -l /proc/$session/fd | grep -qF "$TEST_TMP/inherited" && fail "the session inherited fd 9"
wait_for 10 sh -c "tr '\0' ' ' </proc/$interface/cmdline | grep -q '^motcuad interface '" ||
    fail "the interface was not executed afresh: $(tr '\0' ' ' </proc/$interface/cmdline)"
[ "$(readlink /proc/$interface/exe)" = "$(dirname "$(readlink /proc/$session/exe)")/motcua-interface" ] ||
    fail "the interface runs $(readlink /proc/$interface/exe), not the motcua-interface beside motcuad"
grep -qE 'libssh|libcrypto' /proc/$interface/maps && fail "the interface loads libssh or libcrypto"
cmdline=$(tr '\0' ' ' </proc/$interface/cmdline)
expect_in "$cmdline" "--user tiepnhan.test" "the interface's user"
expect_in "$cmdline" "--backlog-limit 2048" "the interface's backlog limit"
"$MOTCUAD" --help | grep -q "^  interface" && fail "--help lists the internal interface command"

ls -l /proc/$interface/fd | grep -qF "$TEST_TMP/inherited" && fail "the interface inherited fd 9"

# Its environment is the one the server chose, and nothing else.
env=$(tr '\0' '\n' </proc/$interface/environ | sed 's/=.*//' | sort | tr '\n' ' ')
[ "$env" = "HOME LANG LC_ALL MOTCUA_NOW NCURSES_NO_UTF8_ACS PATH TERM TZ " ] ||
    fail "the interface's environment: $env"
tr '\0' '\n' </proc/$interface/environ | grep -qx 'TZ=<+07>-7' || fail "the interface's TZ"
tr '\0' '\n' </proc/$interface/environ | grep -qx 'LC_ALL=C.UTF-8' || fail "the locale"

# Its descriptors: the terminal and the store; no socket, nothing else. The backlog page it
# was given on descriptor 3 is mapped shared and read-only.
fds=$(ls -l /proc/$interface/fd | sed -n 's/.* \([0-9]*\) -> \(.*\)/\1 \2/p')
printf '%s\n' "$fds" | grep -q 'socket:' && fail "the interface holds a socket: $fds"
printf '%s\n' "$fds" | grep -v -e '^[012] /dev/pts/' -e "^[0-9]* $DATA/motcua.db" \
    >"$TEST_TMP/extra-fds" || true
[ ! -s "$TEST_TMP/extra-fds" ] || fail "unexpected descriptors: $(cat "$TEST_TMP/extra-fds")"
grep -q 'r--s .*/memfd:motcua-backlog' /proc/$interface/maps || fail "no shared backlog page"
grep -q '^Umask:[[:space:]]*0077' /proc/$interface/status || fail "the interface's umask"

# The terminal is clamped to 400×200.
if [ -n "$TMUX_CMD" ]; then
	pty=$(readlink /proc/$interface/fd/0)
	[ "$(stty -F "$pty" size)" = "200 400" ] || fail "the terminal is $(stty -F "$pty" size)"
	log_has ", 400x200" || fail "the session did not clamp the size"
fi

# No copy of the host key's private seed anywhere in the interface's memory, while the session
# (which needs it) has one: the method is checked on the process that must hold it.
count_seed() {
	python3 - "$DATA/host_ed25519_key" "$1" <<'PY'
import base64, struct, sys
lines = open(sys.argv[1]).read().split("\n")
blob = base64.b64decode("".join(l for l in lines if l and not l.startswith("-----")))
assert blob.startswith(b"openssh-key-v1\0")
pos = len(b"openssh-key-v1\0")
def string():
    global pos
    (n,) = struct.unpack(">I", blob[pos:pos + 4])
    pos += 4 + n
    return blob[pos - n:pos]
cipher, kdf, kdfopts = string(), string(), string()
assert cipher == b"none", cipher
pos += 4                                  # number of keys
string()                                  # public key
priv = string()
pos = 8                                   # two check integers
blob = priv
assert string() == b"ssh-ed25519"
string()                                  # public part
seed = string()[:32]
found = 0
try:
    maps = open("/proc/%s/maps" % sys.argv[2]).read().splitlines()
    mem = open("/proc/%s/mem" % sys.argv[2], "rb", 0)
except OSError as e:
    print("unreadable", e)
    sys.exit(0)
readable = 0
for line in maps:
    fields = line.split()
    start, end = (int(x, 16) for x in fields[0].split("-"))
    if not fields[1].startswith("r") or (len(fields) > 5 and fields[5] == "[vvar]"):
        continue
    # Huge reservations (a sanitizer's shadow memory) hold no key: skip them.
    if end - start > 1 << 30:
        continue
    tail = b""
    try:
        mem.seek(start)
        while start < end:
            data = tail + mem.read(min(1 << 20, end - start))
            found += data.count(seed)
            tail = data[-31:]
            start += 1 << 20
    except (OSError, ValueError, OverflowError):
        continue
    readable += 1
print("unreadable" if readable == 0 else found)
PY
}
in_session=$(count_seed "$session")
in_interface=$(count_seed "$interface")
case "$in_session $in_interface" in
*unreadable*)
	echo "$TEST_NAME: SKIP: /proc/PID/mem cannot be read here ($in_session / $in_interface)"
	exit 77
	;;
esac
[ "$in_session" -ge 1 ] || fail "the seed is not found in the session either: the search is broken"
[ "$in_interface" = 0 ] || fail "the interface holds $in_interface copies of the host key seed"

# Memory of one idle session (PSS, kB): the session process and its interface.
pss() {
	awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"
}
s_pss=$(pss "$session")
i_pss=$(pss "$interface")
echo "$TEST_NAME: one idle session: session $s_pss kB + interface $i_pss kB = $((s_pss + i_pss)) kB PSS"
# A sanitizer's build is larger by design; the bound is for the real build.
if ! grep -q 'libasan' "/proc/$session/maps"; then
	[ $((s_pss + i_pss)) -lt 32768 ] || fail "one idle session takes $((s_pss + i_pss)) kB"
fi
exit 0
