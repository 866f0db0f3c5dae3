#!/bin/sh
# man.sh: the manual pages format without a single groff warning.
. "$(dirname "$0")/lib.sh"
for page in "$top_srcdir"/man/*.[0-9]; do
	warnings=$(groff -k -ww -z -Tutf8 -man "$page" 2>&1) || fail "groff failed on $page"
	[ -z "$warnings" ] || fail "$page: $warnings"
done
exit 0
