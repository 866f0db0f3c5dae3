# tui-local.sh: helpers for the scripts that drive `motcuad tui` on a local terminal in tmux
# (sourced after lib.sh): the demo data, one tmux window at a time, and polling of its screen.
# The caller sets DATA and TMUX_CMD.

# make_data: the demo province in $DATA (the demo serves once it is made; stop it then).
make_data() {
	port=$(( 20000 + ($$ + 7919) % 20000 ))
	"$MOTCUAD" demo --data "$DATA" --listen "127.0.0.1:$port" --catalog "$top_srcdir/catalog" \
	    >"$TEST_TMP/demo.out" 2>&1 &
	demo_pid=$!
	deadline=$(( $(date +%s) + 60 ))
	until grep -q 'ssh ' "$TEST_TMP/demo.out" 2>/dev/null; do
		kill -0 "$demo_pid" 2>/dev/null || fail "motcuad demo ended: $(cat "$TEST_TMP/demo.out")"
		[ "$(date +%s)" -lt "$deadline" ] || fail "motcuad demo did not get ready"
		sleep 0.1
	done
	kill "$demo_pid"
	wait "$demo_pid" 2>/dev/null || true
}

# screen: the window's text now.
screen() {
	$TMUX_CMD capture-pane -p
}

# keys KEY...: press keys (tmux key names: F2, Enter, Tab, C-u…).
keys() {
	$TMUX_CMD send-keys "$@"
}

# type TEXT: type literal text.
type_text() {
	$TMUX_CMD send-keys -l -- "$1"
}

# wait_for TEXT [SECONDS]: poll the screen until it shows TEXT (a fixed string).
wait_for() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while ! screen | grep -qF -- "$1"; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			screen >&2
			fail "the screen never showed '$1'"
		fi
		sleep 0.1
	done
}

# wait_gone TEXT [SECONDS]: poll until the screen no longer shows TEXT.
wait_gone() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while screen | grep -qF -- "$1"; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			screen >&2
			fail "the screen still shows '$1'"
		fi
		sleep 0.1
	done
}

# no_text TEXT: the screen does not show TEXT.
no_text() {
	if screen | grep -qF -- "$1"; then
		screen >&2
		fail "the screen shows '$1'"
	fi
}
