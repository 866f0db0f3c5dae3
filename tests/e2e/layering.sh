#!/bin/sh
# layering.sh: dependencies flow one way (core <- tui <- server) and all SQL stays in the store.
. "$(dirname "$0")/lib.sh"
cd "$top_srcdir"

bad=$(grep -lE '#include[[:space:]]*[<"](n?curses|ncursesw/|libssh/)' server/core/*.[ch] || true)
[ -z "$bad" ] || fail "the core must not include curses or libssh: $bad"

if ls tui/*.[ch] >/dev/null 2>&1; then
	bad=$(grep -lE '#include[[:space:]]*[<"](sqlite3\.h|libssh/)' tui/*.[ch] || true)
	[ -z "$bad" ] || fail "the interface must not include sqlite3.h or libssh: $bad"
fi

bad=$(grep -lE 'sqlite3_(prepare|exec)' server/*.c server/core/*.c tui/*.c 2>/dev/null |
    grep -vE '^server/core/(store(-[a-z-]+)?|migrate)\.c$' || true)
[ -z "$bad" ] || fail "SQL outside the store files: $bad"

bad=$(grep -lE 'sqlite3_exec[[:space:]]*\([^;]*%' server/core/*.c 2>/dev/null || true)
[ -z "$bad" ] || fail "formatted SQL (use prepared statements): $bad"
exit 0
