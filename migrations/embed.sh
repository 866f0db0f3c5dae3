#!/bin/sh
# embed.sh: turn the numbered SQL migrations into a C table, so that motcuad always carries
# exactly the schema it was built for. Usage: embed.sh SRCDIR migrations/NNNN-name.sql ...
set -eu
srcdir=$1
shift
printf '/* Generated from the migrations/ folder by migrations/embed.sh; do not edit. */\n'
printf '#include "config.h"\n\n#include <stddef.h>\n\n#include "migrate.h"\n\n'
printf 'const struct migration migrations[] = {\n'
for f in "$@"; do
	base=$(basename "$f" .sql)
	num=$(printf '%s' "$base" | sed -n 's/^0*\([0-9][0-9]*\)-.*$/\1/p')
	if [ -z "$num" ]; then
		echo "embed.sh: $f: name must be NNNN-description.sql" >&2
		exit 1
	fi
	printf '\t{ %s, "%s",\n' "$num" "$base"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t  "/' -e 's/$/\\n"/' "$srcdir/$f"
	printf '\t},\n'
done
printf '};\n\nconst size_t nmigrations = sizeof migrations / sizeof migrations[0];\n'
