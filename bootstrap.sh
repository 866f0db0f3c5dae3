#!/bin/sh
# bootstrap.sh: install the Debian packages motcua needs (if missing), generate and run configure.
# Usage: ./bootstrap.sh [CONFIGURE-OPTIONS...]   e.g. ./bootstrap.sh --enable-werror
set -eu
cd "$(dirname "$0")"

packages="gcc make autoconf automake pkg-config libncurses-dev libssh-dev libsqlite3-dev
libyaml-dev check libsubunit-dev libunistring-dev libssl-dev libcrypt-dev sqlite3 groff-base
tmux openssh-client putty-tools python3"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bootstrap: installing:$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	echo "bootstrap: generating configure"
	autoreconf -fi
fi
echo "bootstrap: ./configure $*"
./configure -q "$@"
