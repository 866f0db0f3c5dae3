#!/bin/sh
# calendar-due.sh: `motcuad calendar due` against the bundled catalog's real calendars.
. "$(dirname "$0")/lib.sh"
catalog="$top_srcdir/catalog"

# due FROM ARGS... EXPECTED: one due date.
due() {
	from=$1
	expected=$2
	shift 2
	run_motcuad calendar due --catalog "$catalog" --from "$from" "$@"
	expect_rc 0 "due from $from $*"
	[ "$out" = "$expected" ] || fail "due from $from $*: got '$out', expected '$expected'"
}

# DOMAIN.md's worked example: Fri 13 Feb 2015 gives 5 h, Sat 14 Feb is worked, 15-23 Feb off.
due "2015-02-13 10:00" "2015-02-27 10:00" --days 5
# Received after close: counting starts at the next opening (Mon 2 Mar 07:00), one day later.
due "2015-02-27 17:30" "2015-03-02 17:00" --days 1
# Half a day from the afternoon opening runs into the next morning.
due "2015-08-26 15:00" "2015-08-27 09:00" --days 0.5
# The 15:00 rule: before the cut-off the same day, at it the next working day.
due "2015-08-26 14:59" "2015-08-26 17:00" --same-day
due "2015-08-26 15:00" "2015-08-27 17:00" --same-day
# The worked Saturday of 27 Dec 2014 and the New Year days off 1-2 Jan 2015.
due "2014-12-26 16:00" "2014-12-27 17:00" --same-day
due "2014-12-31 07:00" "2015-01-05 17:00" --days 2
# A procedure's own duration: the certified copy (2.000815) is a same-day procedure.
due "2015-08-26 10:00" "2015-08-26 17:00" --procedure 2.000815

# A year with no calendar is an error that names the year, never a guess.
run_motcuad calendar due --catalog "$catalog" --from "2030-03-01 08:00" --days 3
expect_rc 1 "due in a year without a calendar"
expect_in "$err" "2030" "the missing year is named"

# Wrong usage: exit status 2 and the usage line.
run_motcuad calendar due --catalog "$catalog" --from "2015-08-26 10:00"
expect_rc 2 "neither --days nor --same-day"
expect_in "$err" "usage: motcuad calendar due" "usage line"
run_motcuad calendar due --catalog "$catalog" --from "2015-08-26 10:00" --days -1
expect_rc 2 "negative days"
run_motcuad calendar due --catalog "$catalog" --from "2015-02-30 10:00" --days 1
expect_rc 1 "an impossible date"
exit 0
