/* check_calendar.c: the working-time calendar against the official 2014 and 2015 calendars. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

/* Office hours of Sơn La: 07:00–11:30 and 13:30–17:00, cut-off 15:00, in minutes. */
static const int vn_periods[][2] = { { 420, 690 }, { 810, 1020 } };

/* Weekdays off and weekend days worked, from the official calendars. */
static const char *const vn_off[] = {
	"2014-01-01",
	"2014-01-28", "2014-01-29", "2014-01-30", "2014-01-31",		/* Tết Giáp Ngọ */
	"2014-02-03", "2014-02-04", "2014-02-05",
	"2014-04-09",							/* Giỗ Tổ */
	"2014-04-30", "2014-05-01", "2014-05-02", "2014-09-02",
	"2015-01-01", "2015-01-02",
	"2015-02-16", "2015-02-17", "2015-02-18", "2015-02-19", "2015-02-20",	/* Tết Ất Mùi */
	"2015-02-23",
	"2015-04-28", "2015-04-29", "2015-04-30", "2015-05-01",
	"2015-09-02"
};
static const char *const vn_work[] = {
	"2014-01-25", "2014-02-08", "2014-04-26", "2014-12-27", "2015-02-14", "2015-04-25"
};

/* Parse a date the test knows to be valid. */
static struct calendar_date
date_of(const char *text)
{
	struct calendar_date	d;

	ck_assert_msg(calendar_parse_date(text, &d) == 0, "bad date %s", text);
	return d;
}

/* Build the calendar of the province for 2014 and 2015. */
static struct calendar *
vn_calendar(void)
{
	struct calendar	*cal;
	char		*cause = NULL;
	size_t		 i;

	cal = calendar_new(7 * 3600);
	ck_assert_int_eq(calendar_set_hours(cal, vn_periods, 2, 900, &cause), 0);
	calendar_add_year(cal, 2014);
	calendar_add_year(cal, 2015);
	for (i = 0; i < sizeof vn_off / sizeof vn_off[0]; i++)
		ck_assert_int_eq(calendar_set_day(cal, date_of(vn_off[i]), false, &cause), 0);
	for (i = 0; i < sizeof vn_work / sizeof vn_work[0]; i++)
		ck_assert_int_eq(calendar_set_day(cal, date_of(vn_work[i]), true, &cause), 0);
	return cal;
}

/* Parse a local time the test knows to be valid. */
static int64_t
at(const struct calendar *cal, const char *text)
{
	int64_t	 t = 0;
	char	*cause = NULL;

	ck_assert_msg(calendar_parse_local(cal, text, &t, &cause) == 0, "bad time %s: %s", text,
	    cause != NULL ? cause : "");
	return t;
}

/* Check that the due instant of work received at from is want (local, seconds optional). */
static void
check_due(const struct calendar *cal, const char *from, int centidays, bool same_day,
    const char *want)
{
	int64_t	 due = 0;
	char	*cause = NULL, got[32];

	ck_assert_msg(calendar_due(cal, at(cal, from), centidays, same_day, &due, &cause) == 0,
	    "due from %s failed: %s", from, cause != NULL ? cause : "");
	calendar_format_local(cal, due, got, sizeof got);
	ck_assert_msg(due == at(cal, want), "due from %s + %d%s: got %s (%lld), want %s", from,
	    centidays, same_day ? " same day" : "", got, (long long)due, want);
}

/* Check that adding seconds of working time to from gives want. */
static void
check_add(const struct calendar *cal, const char *from, int64_t seconds, const char *want)
{
	int64_t	 out = 0;
	char	*cause = NULL, got[32];

	ck_assert_msg(calendar_add(cal, at(cal, from), seconds, &out, &cause) == 0,
	    "add from %s failed: %s", from, cause != NULL ? cause : "");
	calendar_format_local(cal, out, got, sizeof got);
	ck_assert_msg(out == at(cal, want), "%s %+lld s: got %s, want %s", from,
	    (long long)seconds, got, want);
}

/* Check the working seconds between two local times, both ways round. */
static void
check_between(const struct calendar *cal, const char *a, const char *b, int64_t want)
{
	int64_t	 s = -12345;
	char	*cause = NULL;

	ck_assert_int_eq(calendar_between(cal, at(cal, a), at(cal, b), &s, &cause), 0);
	ck_assert_msg(s == want, "between %s and %s: got %lld, want %lld", a, b,
	    (long long)s, (long long)want);
	ck_assert_int_eq(calendar_between(cal, at(cal, b), at(cal, a), &s, &cause), 0);
	ck_assert_msg(s == -want, "between %s and %s: got %lld, want %lld", b, a,
	    (long long)s, (long long)-want);
}

/* Check that a due computation fails with a cause containing the given text. */
static void
check_due_fails(const struct calendar *cal, const char *from, int centidays, bool same_day,
    const char *needle)
{
	int64_t	 due = 0;
	char	*cause = NULL;

	ck_assert_msg(calendar_due(cal, at(cal, from), centidays, same_day, &due, &cause) == -1,
	    "due from %s should fail", from);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, needle) != NULL, "cause \"%s\" lacks \"%s\"", cause, needle);
	free(cause);
}

START_TEST(test_civil_days)
{
	struct calendar_date	d, prev;
	int64_t			n;

	/* Fixed points: the epoch, the day before it, a leap day, and a date checked with date(1). */
	ck_assert_int_eq(calendar_days_from_date(date_of("1970-01-01")), 0);
	ck_assert_int_eq(calendar_days_from_date(date_of("1969-12-31")), -1);
	ck_assert_int_eq(calendar_days_from_date(date_of("2000-02-29")), 11016);
	ck_assert_int_eq(calendar_days_from_date(date_of("2000-03-01")), 11017);
	ck_assert_int_eq(calendar_days_from_date(date_of("2015-01-01")), 16436);
	d = calendar_date_from_days(16436 + 43);
	ck_assert_int_eq(d.year, 2015);
	ck_assert_int_eq(d.month, 2);
	ck_assert_int_eq(d.day, 13);

	/*
	 * Every day of ±1100 years (several 400-year cycles) follows the one before, has a real
	 * length of month, and converts back to itself. Checked quietly, reported once.
	 */
	prev = calendar_date_from_days(-400001);
	for (n = -400000; n <= 400000; n++) {
		d = calendar_date_from_days(n);
		if (calendar_days_from_date(d) != n)
			break;
		if (d.day == 1) {
			if (prev.day < 28 || d.month != prev.month % 12 + 1 ||
			    d.year != prev.year + (d.month == 1))
				break;
			if (prev.day != (prev.month == 2 ? 28 + ((prev.year % 4 == 0 &&
			    prev.year % 100 != 0) || prev.year % 400 == 0) :
			    30 + ((prev.month + prev.month / 8) % 2)))
				break;
		} else if (d.day != prev.day + 1 || d.month != prev.month ||
		    d.year != prev.year)
			break;
		prev = d;
	}
	ck_assert_msg(n == 400001, "day %lld: %04d-%02d-%02d after %04d-%02d-%02d", (long long)n,
	    d.year, d.month, d.day, prev.year, prev.month, prev.day);

	/* Weekdays: 1 Jan 1970 was a Thursday, 13 Feb 2015 a Friday, 27 Dec 2014 a Saturday. */
	ck_assert_int_eq(calendar_weekday(date_of("1970-01-01")), 4);
	ck_assert_int_eq(calendar_weekday(date_of("1969-12-31")), 3);
	ck_assert_int_eq(calendar_weekday(date_of("2000-02-29")), 2);
	ck_assert_int_eq(calendar_weekday(date_of("2014-12-27")), 6);
	ck_assert_int_eq(calendar_weekday(date_of("2015-02-13")), 5);
	ck_assert_int_eq(calendar_weekday(date_of("2015-09-02")), 3);
	ck_assert_int_eq(calendar_weekday(date_of("2015-02-15")), 0);
}
END_TEST

START_TEST(test_parse_format)
{
	static const char *const bad[] = {
		"2015-02-30 10:00", "2015-02-13 24:00", "2015-2-13 10:00", "2015-02-29 10:00",
		"1900-02-29 10:00", "2015-02-13 10:60", "2015-02-13 10:00:60", "2015-00-13 10:00",
		"2015-13-01 10:00", "2015-02-00 10:00", "2015-02-13T10:00", "2015-02-13 10:00 ",
		" 2015-02-13 10:00", "2015-02-13", "", "2015-02-13 10:0", "2015-02-13 10:00:5",
		"2015/02/13 10:00", "2015+02-13 10:00", "2015-02+13 10:00", "2015-02-13 10+00",
		"2015-02-13 10:00+00", "2015-02-13 +1:00", "2015-02-13 10:00\n", "2015-02-13 1O:00"
	};
	struct calendar		*cal = vn_calendar();
	struct calendar_date	 d;
	int64_t			 t = 0;
	char			*cause = NULL, buf[32], small[8];
	size_t			 i;
	int			 minutes;

	/* 10:00 at +07:00 is 03:00 UTC: 1423796400 (date -u -d "2015-02-13 03:00" +%s). */
	ck_assert_int_eq(at(cal, "2015-02-13 10:00"), 1423796400);
	ck_assert_int_eq(at(cal, "2015-02-13 10:00:30"), 1423796430);
	ck_assert_int_eq(at(cal, "1970-01-01 07:00"), 0);
	ck_assert_int_eq(at(cal, "2016-02-29 23:59:59"), at(cal, "2016-03-01 00:00") - 1);
	at(cal, "2000-02-29 00:00");

	calendar_format_local(cal, 1423796430, buf, sizeof buf);
	ck_assert_str_eq(buf, "2015-02-13 10:00");
	calendar_format_receipt(cal, 1423796400, buf, sizeof buf);
	ck_assert_str_eq(buf, "10:00 13/02/2015");
	calendar_format_receipt(cal, at(cal, "2015-09-02 07:05"), buf, sizeof buf);
	ck_assert_str_eq(buf, "07:05 02/09/2015");
	calendar_format_local(cal, -1, buf, sizeof buf);
	ck_assert_str_eq(buf, "1970-01-01 06:59");
	calendar_format_local(cal, 1423796400, small, sizeof small);
	ck_assert_str_eq(small, "2015-02");

	/* Every minute of 2015 formats and parses back to itself (stepping 7 minutes). */
	for (t = at(cal, "2015-01-01 00:00"); t < at(cal, "2016-01-01 00:00"); t += 7 * 60) {
		calendar_format_local(cal, t, buf, sizeof buf);
		ck_assert_int_eq(at(cal, buf), t);
	}

	/* The local date, not the UTC one: 00:30 on the 13th is still the 12th in UTC. */
	d = calendar_local_date(cal, at(cal, "2015-02-13 00:30"), &minutes);
	ck_assert(d.year == 2015 && d.month == 2 && d.day == 13);
	ck_assert_int_eq(minutes, 30);
	d = calendar_local_date(cal, 0, NULL);
	ck_assert(d.year == 1970 && d.month == 1 && d.day == 1);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		ck_assert_msg(calendar_parse_local(cal, bad[i], &t, &cause) == -1,
		    "accepted \"%s\"", bad[i]);
		ck_assert_ptr_nonnull(cause);
		ck_assert_ptr_null(strchr(cause, '\n'));
		free(cause);
	}
	ck_assert_int_eq(calendar_parse_local(cal, "2015-02-30 10:00", &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "not a real date"));
	free(cause);
	ck_assert_int_eq(calendar_parse_local(cal, "2015-02-13 24:00", &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "24:00"));
	free(cause);

	ck_assert_int_eq(calendar_parse_date("2016-02-29", &d), 0);
	ck_assert(d.year == 2016 && d.month == 2 && d.day == 29);
	ck_assert_int_eq(calendar_parse_date("2015-02-29", &d), -1);
	ck_assert_int_eq(calendar_parse_date("2015-2-13", &d), -1);
	ck_assert_int_eq(calendar_parse_date("2015-02-13x", &d), -1);
	ck_assert_int_eq(calendar_parse_date("", &d), -1);
	calendar_free(cal);
}
END_TEST

START_TEST(test_set_hours)
{
	static const int none[][2] = { { 0, 0 } };
	static const int five[][2] = { { 0, 60 }, { 60, 120 }, { 120, 180 }, { 180, 240 },
	    { 240, 300 } };
	static const int empty[][2] = { { 420, 420 } };
	static const int reversed[][2] = { { 690, 420 } };
	static const int overlap[][2] = { { 420, 690 }, { 600, 1020 } };
	static const int descending[][2] = { { 810, 1020 }, { 420, 690 } };
	static const int negative[][2] = { { -1, 690 } };
	static const int late[][2] = { { 420, 1441 } };
	static const int touching[][2] = { { 420, 690 }, { 690, 1020 } };
	static const int whole[][2] = { { 0, 1440 } };
	struct calendar	*cal = calendar_new(7 * 3600);
	char		*cause = NULL;

	ck_assert_int_eq(calendar_day_seconds(cal), 0);
	ck_assert_int_eq(calendar_set_hours(cal, vn_periods, 2, 900, &cause), 0);
	ck_assert_int_eq(calendar_day_seconds(cal), 8 * 3600);

#define REJECT(p, n, cut) do {							\
	cause = NULL;								\
	ck_assert_int_eq(calendar_set_hours(cal, p, n, cut, &cause), -1);	\
	ck_assert_ptr_nonnull(cause);						\
	free(cause);								\
	ck_assert_int_eq(calendar_day_seconds(cal), 8 * 3600);			\
} while (0)
	REJECT(none, 0, 900);
	REJECT(five, 5, 900);
	REJECT(empty, 1, 900);
	REJECT(reversed, 1, 900);
	REJECT(overlap, 2, 900);
	REJECT(descending, 2, 900);
	REJECT(negative, 1, 900);
	REJECT(late, 1, 900);
	REJECT(vn_periods, 2, -1);
	REJECT(vn_periods, 2, 1441);
#undef REJECT

	ck_assert_int_eq(calendar_set_hours(cal, touching, 2, 900, &cause), 0);
	ck_assert_int_eq(calendar_day_seconds(cal), 10 * 3600);
	ck_assert_int_eq(calendar_set_hours(cal, whole, 1, 1440, &cause), 0);
	ck_assert_int_eq(calendar_day_seconds(cal), 86400);
	ck_assert_int_eq(calendar_set_hours(cal, five, 4, 0, &cause), 0);
	ck_assert_int_eq(calendar_day_seconds(cal), 4 * 3600);
	calendar_free(cal);
	calendar_free(NULL);
}
END_TEST

START_TEST(test_years_and_days)
{
	static const struct { const char *date; int working; } facts[] = {
		{ "2014-01-01", 0 }, { "2014-01-25", 1 }, { "2014-01-27", 1 }, { "2014-01-28", 0 },
		{ "2014-01-29", 0 }, { "2014-01-31", 0 }, { "2014-02-01", 0 }, { "2014-02-03", 0 },
		{ "2014-02-05", 0 }, { "2014-02-06", 1 }, { "2014-02-08", 1 }, { "2014-02-09", 0 },
		{ "2014-04-09", 0 }, { "2014-04-10", 1 }, { "2014-04-26", 1 }, { "2014-04-30", 0 },
		{ "2014-05-01", 0 }, { "2014-05-02", 0 }, { "2014-09-02", 0 }, { "2014-12-27", 1 },
		{ "2014-12-28", 0 },
		{ "2014-12-31", 1 }, { "2015-01-01", 0 }, { "2015-01-02", 0 }, { "2015-01-05", 1 },
		{ "2015-02-13", 1 }, { "2015-02-14", 1 }, { "2015-02-15", 0 }, { "2015-02-16", 0 },
		{ "2015-02-20", 0 }, { "2015-02-21", 0 }, { "2015-02-23", 0 }, { "2015-02-24", 1 },
		{ "2015-04-25", 1 }, { "2015-04-27", 1 }, { "2015-04-28", 0 }, { "2015-05-01", 0 },
		{ "2015-05-02", 0 }, { "2015-05-04", 1 }, { "2015-09-02", 0 }, { "2015-12-31", 1 }
	};
	struct calendar	*cal = vn_calendar(), *leap;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < sizeof facts / sizeof facts[0]; i++)
		ck_assert_msg(calendar_is_working_day(cal, date_of(facts[i].date), &cause) ==
		    facts[i].working, "%s", facts[i].date);

	ck_assert(calendar_has_year(cal, 2014) && calendar_has_year(cal, 2015));
	ck_assert(!calendar_has_year(cal, 2016) && !calendar_has_year(cal, 2013));
	ck_assert_int_eq(calendar_is_working_day(cal, date_of("2016-01-04"), &cause), -1);
	ck_assert_str_eq(cause, "no working calendar for 2016 (add calendar/2016.yaml to the "
	    "catalog)");
	free(cause);
	ck_assert_int_eq(calendar_set_day(cal, date_of("2016-01-02"), true, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "2016"));
	free(cause);
	ck_assert_int_eq(calendar_set_day(cal, (struct calendar_date){ 2015, 2, 29 }, true,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "not a real date"));
	free(cause);
	ck_assert_int_eq(calendar_is_working_day(cal, (struct calendar_date){ 2015, 13, 1 },
	    &cause), -1);
	free(cause);

	/* Adding a known year again keeps its exceptions; years out of range stay unknown. */
	calendar_add_year(cal, 2015);
	ck_assert_int_eq(calendar_is_working_day(cal, date_of("2015-02-14"), &cause), 1);
	ck_assert_int_eq(calendar_is_working_day(cal, date_of("2015-02-16"), &cause), 0);
	calendar_add_year(cal, 1969);
	calendar_add_year(cal, 2200);
	ck_assert(!calendar_has_year(cal, 1969) && !calendar_has_year(cal, 2200));
	ck_assert_int_eq(calendar_is_working_day(cal, date_of("2200-01-01"), &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "2200"));
	free(cause);

	/* A leap year's last day is day 366 of its map; the range edges hold too. */
	leap = calendar_new(0);
	calendar_add_year(leap, 2016);
	calendar_add_year(leap, 1970);
	calendar_add_year(leap, 2199);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("2016-12-30"), &cause), 1);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("2016-12-31"), &cause), 0);
	ck_assert_int_eq(calendar_set_day(leap, date_of("2016-12-31"), true, &cause), 0);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("2016-12-31"), &cause), 1);
	ck_assert_int_eq(calendar_set_day(leap, date_of("2016-02-29"), false, &cause), 0);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("2016-02-29"), &cause), 0);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("2016-03-01"), &cause), 1);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("1970-01-01"), &cause), 1);
	ck_assert_int_eq(calendar_is_working_day(leap, date_of("2199-12-31"), &cause), 1);
	calendar_free(leap);
	calendar_free(cal);
}
END_TEST

START_TEST(test_worked_example)
{
	struct calendar	*cal = vn_calendar();

	/*
	 * DOMAIN.md: 5 days = 40 h. Fri 13 Feb 10:00–17:00 gives 5 h, worked Sat 14 gives 8 (13),
	 * 15–23 Feb are weekend or off, Tue 24–Thu 26 give 24 (37), Fri 27 07:00 + 3 h = 10:00.
	 */
	check_due(cal, "2015-02-13 10:00", 500, false, "2015-02-27 10:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_outside_hours)
{
	struct calendar	*cal = vn_calendar();

	/* Mon 9 Feb 2015, 0.5 day = 4 h. Before opening: 07:00 + 4 h = 11:00. */
	check_due(cal, "2015-02-09 06:30", 50, false, "2015-02-09 11:00");
	/* Lunch: 13:30–17:00 gives 3.5 h, Tue 07:00 + 0.5 h = 07:30. */
	check_due(cal, "2015-02-09 12:00", 50, false, "2015-02-10 07:30");
	/* After close: Tue 07:00 + 4 h = 11:00. */
	check_due(cal, "2015-02-09 17:30", 50, false, "2015-02-10 11:00");
	/* Midnight: the opening of the same day. */
	check_due(cal, "2015-02-09 00:00", 50, false, "2015-02-09 11:00");

	/* No duration: the effective start itself. */
	check_due(cal, "2015-02-09 10:00", 0, false, "2015-02-09 10:00");
	check_due(cal, "2015-02-09 12:00", 0, false, "2015-02-09 13:30");
	check_due(cal, "2015-02-09 17:00", 0, false, "2015-02-10 07:00");
	/* Fri 13 Feb after close: the next opening is the worked Saturday. */
	check_due(cal, "2015-02-13 17:00", 0, false, "2015-02-14 07:00");
	/* Sat 21 Feb: Sun, Mon 23 (off) → Tue 24 07:00. */
	check_due(cal, "2015-02-21 09:00", 0, false, "2015-02-24 07:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_ends_at_close)
{
	struct calendar	*cal = vn_calendar();

	/* One day from the opening uses the whole day: due at 17:00, not Tue 07:00. */
	check_due(cal, "2015-02-09 07:00", 100, false, "2015-02-09 17:00");
	/* Fri 6 Feb 09:00 + 0.75 day (6 h) = 2.5 h + 3.5 h: Fri 17:00, not Mon 07:00. */
	check_due(cal, "2015-02-06 09:00", 75, false, "2015-02-06 17:00");
	/* 3.5 h from 13:30 ends at 17:00; 4.5 h from 07:00 ends at 11:30, not 13:30. */
	check_add(cal, "2015-02-09 13:30", 12600, "2015-02-09 17:00");
	check_add(cal, "2015-02-09 07:00", 16200, "2015-02-09 11:30");
	/* One second more starts the next period. */
	check_add(cal, "2015-02-09 07:00", 16201, "2015-02-09 13:30:01");
	check_add(cal, "2015-02-09 13:30", 12601, "2015-02-10 07:00:01");
	calendar_free(cal);
}
END_TEST

START_TEST(test_fractions)
{
	struct calendar	*cal = vn_calendar();

	/* 0.5 day = 4 h from Mon 10:00: 1.5 h to 11:30, 13:30 + 2.5 h = 16:00. */
	check_due(cal, "2015-02-09 10:00", 50, false, "2015-02-09 16:00");
	/* 1.5 days = 12 h: Mon gives 5 h, Tue 4.5 h by 11:30, 13:30 + 2.5 h = 16:00. */
	check_due(cal, "2015-02-09 10:00", 150, false, "2015-02-10 16:00");
	/* 0.01 day = 288 s, due 10:04:48, moved to the next whole minute as receipts print. */
	check_due(cal, "2015-02-09 10:00", 1, false, "2015-02-09 10:05");
	/* The count starts at the minute of receipt: 10:00:37 + 1 day = 10:00 the next day. */
	check_due(cal, "2015-02-09 10:00:37", 100, false, "2015-02-10 10:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_new_year)
{
	struct calendar	*cal = vn_calendar();

	/*
	 * Fri 26 Dec 2014 14:00, 5 days = 40 h: Fri 3 h, worked Sat 27 gives 8 (11), Mon 29 (19),
	 * Tue 30 (27), Wed 31 (35); 1–2 Jan off, 3–4 weekend; Mon 5 Jan 07:00 + 5 h = 14:00.
	 */
	check_due(cal, "2014-12-26 14:00", 500, false, "2015-01-05 14:00");
	/* 3 days = 24 h: 3 + 8 + 8 (Mon 29) = 19, Tue 30 07:00 + 5 h = 14:00. */
	check_due(cal, "2014-12-26 14:00", 300, false, "2014-12-30 14:00");
	/* Wed 31 Dec 16:00 + 2 h: 1 h on Wed, then Mon 5 Jan 07:00 + 1 h. */
	check_add(cal, "2014-12-31 16:00", 7200, "2015-01-05 08:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_april_may)
{
	struct calendar	*cal = vn_calendar();

	/*
	 * Fri 24 Apr 2015 09:00, 3 days = 24 h: Fri 2.5 + 3.5 = 6, worked Sat 25 (14), Mon 27
	 * (22); Tue 28 – Fri 1 May off, 2–3 May weekend; Mon 4 May 07:00 + 2 h = 09:00.
	 */
	check_due(cal, "2015-04-24 09:00", 300, false, "2015-05-04 09:00");
	/* Mon 27 Apr 16:00 + 1 day: 1 h, then 7 h on Mon 4 May: 4.5 by 11:30, 13:30 + 2.5. */
	check_due(cal, "2015-04-27 16:00", 100, false, "2015-05-04 16:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_same_day)
{
	struct calendar	*cal = vn_calendar();

	/* Before the 15:00 cut-off: the close of the same day. */
	check_due(cal, "2015-02-09 14:59", 0, true, "2015-02-09 17:00");
	check_due(cal, "2015-02-09 14:59:59", 0, true, "2015-02-09 17:00");
	/* At the cut-off: the close of the next working day. */
	check_due(cal, "2015-02-09 15:00", 0, true, "2015-02-10 17:00");
	/* centidays is ignored. */
	check_due(cal, "2015-02-09 15:00", 500, true, "2015-02-10 17:00");
	/* Before opening and at lunch the effective start is still before 15:00. */
	check_due(cal, "2015-02-09 06:00", 0, true, "2015-02-09 17:00");
	check_due(cal, "2015-02-09 12:00", 0, true, "2015-02-09 17:00");
	/* After close the effective start is Tue 07:00: Tue 17:00. */
	check_due(cal, "2015-02-09 17:30", 0, true, "2015-02-10 17:00");
	/* Sat 7 Feb is not worked: the effective start is Mon 9 Feb 07:00, before 15:00. */
	check_due(cal, "2015-02-07 10:00", 0, true, "2015-02-09 17:00");
	check_due(cal, "2015-02-07 16:00", 0, true, "2015-02-09 17:00");
	/* Fri 6 Feb 15:00: the next working day is Mon 9 Feb. */
	check_due(cal, "2015-02-06 15:00", 0, true, "2015-02-09 17:00");
	/* Sat 14 Feb is worked: same day before the cut-off. */
	check_due(cal, "2015-02-14 10:00", 0, true, "2015-02-14 17:00");
	/* ... after it the next working day is Tue 24 Feb (15–23 Feb rest). */
	check_due(cal, "2015-02-14 15:30", 0, true, "2015-02-24 17:00");
	/* Fri 13 Feb 16:00: the next working day is the worked Sat 14 Feb. */
	check_due(cal, "2015-02-13 16:00", 0, true, "2015-02-14 17:00");
	/* Wed 31 Dec 2014 15:30: 1–2 Jan off, 3–4 weekend, Mon 5 Jan 2015. */
	check_due(cal, "2014-12-31 15:30", 0, true, "2015-01-05 17:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_pause)
{
	struct calendar	*cal = vn_calendar();
	int64_t		 due, moved, paused;
	char		*cause = NULL;

	/*
	 * Mon 9 Feb 2015 08:00 + 5 days (40 h): Mon 7 h, Tue–Thu 24 (31), Fri 8 (39), worked Sat 14
	 * 07:00 + 1 h = 08:00. Paused Tue 10 10:00 – Wed 11 14:00: Tue 1.5 + 3.5, Wed 4.5 + 0.5
	 * = 10 h. From Sat 14 08:00: 3.5 + 3.5 = 7 h that day, 15–23 Feb rest, Tue 24 07:00 + 3 h.
	 */
	ck_assert_int_eq(calendar_due(cal, at(cal, "2015-02-09 08:00"), 500, false, &due,
	    &cause), 0);
	ck_assert_int_eq(due, at(cal, "2015-02-14 08:00"));
	ck_assert_int_eq(calendar_between(cal, at(cal, "2015-02-10 10:00"),
	    at(cal, "2015-02-11 14:00"), &paused, &cause), 0);
	ck_assert_int_eq(paused, 10 * 3600);
	ck_assert_int_eq(calendar_add(cal, due, paused, &moved, &cause), 0);
	ck_assert_int_eq(moved, at(cal, "2015-02-24 10:00"));

	/*
	 * A pause across Tết: the worked example's due Fri 27 Feb 10:00; paused Fri 13 Feb 16:00
	 * – Tue 24 Feb 09:00 = 1 h (Fri) + 8 h (Sat 14) + 2 h (Tue) = 11 h. From Fri 27 10:00:
	 * 5 h that day, weekend, Mon 2 Mar 07:00 + 6 h = 4.5 by 11:30, 13:30 + 1.5 = 15:00.
	 */
	ck_assert_int_eq(calendar_due(cal, at(cal, "2015-02-13 10:00"), 500, false, &due,
	    &cause), 0);
	ck_assert_int_eq(calendar_between(cal, at(cal, "2015-02-13 16:00"),
	    at(cal, "2015-02-24 09:00"), &paused, &cause), 0);
	ck_assert_int_eq(paused, 11 * 3600);
	ck_assert_int_eq(calendar_add(cal, due, paused, &moved, &cause), 0);
	ck_assert_int_eq(moved, at(cal, "2015-03-02 15:00"));

	/* Tết 2014: Mon 27 Jan 15:00 – Thu 6 Feb 08:00 = 2 h + 1 h (28 Jan – 5 Feb rest). */
	check_between(cal, "2014-01-27 15:00", "2014-02-06 08:00", 3 * 3600);
	/*
	 * The worked Saturday 25 Jan 2014 counts: Fri 24 Jan 16:00 + 1 day = 1 h Fri + 7 h Sat =
	 * Sat 16:00; + 3 days = 1 + 8 (Sat) + 8 (Mon 27) = 17 h, then 28 Jan – 5 Feb rest and the
	 * last 7 h fall on Thu 6 Feb: 4.5 h to 11:30, 2.5 h from 13:30 = 16:00.
	 */
	check_due(cal, "2014-01-24 16:00", 100, false, "2014-01-25 16:00");
	check_due(cal, "2014-01-24 16:00", 300, false, "2014-02-06 16:00");

	/* A pause over a weekend is worth nothing and leaves a 17:00 due date where it was. */
	check_between(cal, "2015-02-06 17:00", "2015-02-09 07:00", 0);
	check_add(cal, "2015-02-06 17:00", 0, "2015-02-06 17:00");
	/* Adding nothing never moves an instant, not even one outside office hours. */
	check_add(cal, "2015-02-07 10:00", 0, "2015-02-07 10:00");
	/* A pause of one hour moves a Friday 17:00 due date to Monday 08:00. */
	check_add(cal, "2015-02-06 17:00", 3600, "2015-02-09 08:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_between)
{
	static const char *const starts[] = {
		"2014-12-24 06:00", "2014-12-26 11:29:59", "2015-02-13 16:59", "2015-02-14 12:00",
		"2015-04-24 17:00", "2015-08-26 07:00", "2015-12-01 13:30"
	};
	static const int64_t amounts[] = { 1, 59, 3600, 16200, 16201, 28800, 28801, 144000,
	    400000 };
	struct calendar	*cal = vn_calendar();
	int64_t		 from, to, s;
	char		*cause = NULL;
	size_t		 i, j;

	/* Mon 10:00 → Tue 10:00 is one working day. */
	check_between(cal, "2015-02-09 10:00", "2015-02-10 10:00", 28800);
	check_between(cal, "2015-02-09 10:00", "2015-02-09 10:00", 0);
	check_between(cal, "2015-02-09 12:00", "2015-02-09 13:00", 0);
	check_between(cal, "2015-02-09 11:00", "2015-02-09 14:00", 3600);
	/* The worked example, and a span over the New Year (1 h on 31 Dec, 1 h on 5 Jan). */
	check_between(cal, "2015-02-13 10:00", "2015-02-27 10:00", 144000);
	check_between(cal, "2014-12-31 16:00", "2015-01-05 08:00", 7200);

	/* between undoes add, for starts inside and outside office hours. */
	for (i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		for (j = 0; j < sizeof amounts / sizeof amounts[0]; j++) {
			from = at(cal, starts[i]);
			ck_assert_int_eq(calendar_add(cal, from, amounts[j], &to, &cause), 0);
			ck_assert_int_eq(calendar_between(cal, from, to, &s, &cause), 0);
			ck_assert_int_eq(s, amounts[j]);
			ck_assert_int_eq(calendar_between(cal, to, from, &s, &cause), 0);
			ck_assert_int_eq(s, -amounts[j]);
		}
	}

	/* Past the last close nothing can count, so an unknown 2016 is not asked about. */
	check_between(cal, "2015-12-31 16:00", "2016-01-01 00:00", 3600);
	ck_assert_int_eq(calendar_between(cal, at(cal, "2015-12-31 16:00"),
	    at(cal, "2016-01-04 08:00"), &s, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "no working calendar for 2016"));
	free(cause);
	calendar_free(cal);
}
END_TEST

START_TEST(test_backward)
{
	struct calendar	*cal = vn_calendar();
	int64_t		 from, to, back;
	char		*cause = NULL;

	check_add(cal, "2015-02-09 08:00", -3600, "2015-02-09 07:00");
	/* From an opening, back over the weekend to Fri 6 Feb 16:00. */
	check_add(cal, "2015-02-09 07:00", -3600, "2015-02-06 16:00");
	/* Exactly the morning: ends at 07:00, not at the previous close. */
	check_add(cal, "2015-02-09 13:30", -16200, "2015-02-09 07:00");
	check_add(cal, "2015-02-09 12:00", -3600, "2015-02-09 10:30");
	/* Tue 24 Feb 09:00 − 4 h: 2 h on Tue, back over Tết to the worked Sat 14: 17:00 − 2 h. */
	check_add(cal, "2015-02-24 09:00", -4 * 3600, "2015-02-14 15:00");
	/* Backwards undoes forwards from inside a period. */
	from = at(cal, "2015-02-13 10:17:03");
	ck_assert_int_eq(calendar_add(cal, from, 500000, &to, &cause), 0);
	ck_assert_int_eq(calendar_add(cal, to, -500000, &back, &cause), 0);
	ck_assert_int_eq(back, from);
	/* Backwards into 2013, which has no calendar. */
	ck_assert_int_eq(calendar_add(cal, at(cal, "2014-01-02 08:00"), -7200, &to, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "2013"));
	free(cause);
	calendar_free(cal);
}
END_TEST

START_TEST(test_punctuality)
{
	struct calendar	*cal = vn_calendar();
	int64_t		 due = at(cal, "2015-02-27 10:00");

	ck_assert_int_eq(calendar_punctuality(cal, at(cal, "2015-02-26 16:00"), due),
	    CALENDAR_EARLY);
	ck_assert_int_eq(calendar_punctuality(cal, at(cal, "2015-02-27 07:30"), due),
	    CALENDAR_ON_TIME);
	ck_assert_int_eq(calendar_punctuality(cal, at(cal, "2015-02-27 09:59"), due),
	    CALENDAR_ON_TIME);
	ck_assert_int_eq(calendar_punctuality(cal, due, due), CALENDAR_ON_TIME);
	ck_assert_int_eq(calendar_punctuality(cal, due + 1, due), CALENDAR_LATE);
	ck_assert_int_eq(calendar_punctuality(cal, at(cal, "2015-02-28 08:00"), due),
	    CALENDAR_LATE);
	/*
	 * The local date decides: Mon 9 Feb 00:30 is Sun 8 Feb 17:30 UTC, yet it is on the due
	 * day Mon 9 Feb 07:00 (Mon 00:00 UTC); Sun 23:59 local is the day before.
	 */
	due = at(cal, "2015-02-09 07:00");
	ck_assert_int_eq(calendar_punctuality(cal, at(cal, "2015-02-09 00:30"), due),
	    CALENDAR_ON_TIME);
	ck_assert_int_eq(calendar_punctuality(cal, at(cal, "2015-02-08 23:59"), due),
	    CALENDAR_EARLY);
	calendar_free(cal);
}
END_TEST

START_TEST(test_unknown_year)
{
	struct calendar	*cal = vn_calendar();

	/* Thu 31 Dec 2015 10:00 + 1 day: 5 h that day, the rest would fall in 2016. */
	check_due_fails(cal, "2015-12-31 10:00", 100, false,
	    "no working calendar for 2016 (add calendar/2016.yaml to the catalog)");
	/* The same day's close needs nothing of 2016. */
	check_due(cal, "2015-12-31 07:00", 100, false, "2015-12-31 17:00");
	check_due(cal, "2015-12-31 14:00", 0, true, "2015-12-31 17:00");
	/* After the close, or past the cut-off, the next opening is in 2016. */
	check_due_fails(cal, "2015-12-31 17:30", 0, false, "2016");
	check_due_fails(cal, "2015-12-31 15:30", 0, true, "2016");
	/* Received in 2013, which has no calendar. */
	check_due_fails(cal, "2013-12-30 10:00", 100, false, "calendar/2013.yaml");
	/*
	 * After the close no working time can fall on that day, whatever it is, so 31 Dec 2013
	 * 17:30 needs nothing of 2013: 1 Jan 2014 is off, Thu 2 Jan 07:00 + 8 h = 17:00.
	 */
	check_due(cal, "2013-12-31 17:30", 100, false, "2014-01-02 17:00");
	/* A year the calendar cannot hold at all. */
	check_due_fails(cal, "1969-12-31 10:00", 100, false, "1969");
	calendar_free(cal);
}
END_TEST

START_TEST(test_thirty_days)
{
	struct calendar	*cal = vn_calendar();

	/*
	 * Wed 26 Aug 2015 08:00 + 30 days (240 h): Wed gives 7 h. Full days after it: Thu 27,
	 * Fri 28, Mon 31, Tue 1 Sep (4), Wed 2 Sep off, Thu 3, Fri 4 (6), 7–11 (11), 14–18 (16),
	 * 21–25 (21), 28 Sep–2 Oct (26), Mon 5, Tue 6, Wed 7 Oct (29): 7 + 29 × 8 = 239 h.
	 * Thu 8 Oct 07:00 + 1 h = 08:00.
	 */
	check_due(cal, "2015-08-26 08:00", 3000, false, "2015-10-08 08:00");
	/* From the opening, Wed 26 Aug is the first full day and Wed 7 Oct the thirtieth. */
	check_due(cal, "2015-08-26 07:00", 3000, false, "2015-10-07 17:00");
	calendar_free(cal);
}
END_TEST

START_TEST(test_other_office)
{
	static const int periods_b[][2] = { { 480, 720 }, { 780, 1020 } };
	static const int periods_c[][2] = { { 480, 600 }, { 630, 720 }, { 840, 1080 } };
	static const int periods_d[][2] = { { 420, 421 } };
	struct calendar	*cal;
	char		*cause = NULL;

	/* +06:00, 08:00–12:00 and 13:00–17:00, cut-off 16:00, 2015 without exceptions. */
	cal = calendar_new(6 * 3600);
	ck_assert_int_eq(calendar_set_hours(cal, periods_b, 2, 960, &cause), 0);
	calendar_add_year(cal, 2015);
	/* 10:00 at +06:00 is 04:00 UTC: 1423800000. */
	ck_assert_int_eq(at(cal, "2015-02-13 10:00"), 1423800000);
	/* Fri 13 Feb 10:00 + 5 days: Fri 2 + 4 = 6 h, Mon–Thu 16–19 Feb 32 (38), Fri 20 + 2 h. */
	check_due(cal, "2015-02-13 10:00", 500, false, "2015-02-20 10:00");
	/* 12:30 is lunch here: 13:00 + 4 h = 17:00. */
	check_due(cal, "2015-02-13 12:30", 50, false, "2015-02-13 17:00");
	/* 07:30 is before opening here: 08:00 + 8 h = 17:00. */
	check_due(cal, "2015-02-09 07:30", 100, false, "2015-02-09 17:00");
	/* Cut-off 16:00: 15:30 is same day, 16:00 is the next working day. */
	check_due(cal, "2015-02-09 15:30", 0, true, "2015-02-09 17:00");
	check_due(cal, "2015-02-13 16:00", 0, true, "2015-02-16 17:00");
	calendar_free(cal);

	/* +05:30, three periods 08:00–10:00, 10:30–12:00, 14:00–18:00 (7.5 h), cut-off 11:00. */
	cal = calendar_new(5 * 3600 + 1800);
	ck_assert_int_eq(calendar_set_hours(cal, periods_c, 3, 660, &cause), 0);
	calendar_add_year(cal, 2015);
	ck_assert_int_eq(calendar_day_seconds(cal), 27000);
	/* 09:00 at +05:30 is 03:30 UTC: 1423452600. */
	ck_assert_int_eq(at(cal, "2015-02-09 09:00"), 1423452600);
	/* 0.5 day = 3 h 45 min: 1 h to 10:00, 1.5 h to 12:00, 14:00 + 1 h 15 = 15:15. */
	check_due(cal, "2015-02-09 09:00", 50, false, "2015-02-09 15:15");
	check_due(cal, "2015-02-09 08:00", 100, false, "2015-02-09 18:00");
	/* 0.33 day = 8910 s: 2 h to 10:00, then 10:30 + 28 min 30 s, up to the minute. */
	check_due(cal, "2015-02-09 08:00", 33, false, "2015-02-09 10:59");
	/* Cut-off 11:00; at 12:30 the effective start is 14:00, past it. */
	check_due(cal, "2015-02-09 10:59", 0, true, "2015-02-09 18:00");
	check_due(cal, "2015-02-09 12:30", 0, true, "2015-02-10 18:00");
	calendar_free(cal);

	/*
	 * A one-minute day: 0.33 of 60 s is 19.8 s, rounded down to 19 s; the due time 07:00:19
	 * then moves to the next whole minute, the end of the day.
	 */
	cal = calendar_new(0);
	ck_assert_int_eq(calendar_set_hours(cal, periods_d, 1, 420, &cause), 0);
	calendar_add_year(cal, 2015);
	check_due(cal, "2015-02-09 07:00", 33, false, "2015-02-09 07:01");
	calendar_free(cal);
}
END_TEST

START_TEST(test_limits)
{
	struct calendar	*cal;
	int64_t		 t;
	char		*cause = NULL;
	int		 year;

	/* No office hours: nothing can be counted. */
	cal = calendar_new(7 * 3600);
	calendar_add_year(cal, 2015);
	check_due_fails(cal, "2015-02-09 08:00", 100, false, "no office hours");
	check_due_fails(cal, "2015-02-09 08:00", 0, true, "no office hours");
	calendar_free(cal);

	/* 3000 working days (about 11.5 years) walk past the bound even with the years known. */
	cal = vn_calendar();
	for (year = 2016; year <= 2040; year++)
		calendar_add_year(cal, year);
	check_due_fails(cal, "2015-02-09 08:00", 300000, false, "3660 days");
	/*
	 * 2000 working days (about 7.7 years) fit. From Mon 5 Jan 2015: 2015 has 259 weekdays
	 * left, 11 of them off, plus 2 worked Saturdays = 250; then plain weekdays: 2016 261
	 * (511), 2017 260 (771), 2018 261 (1032), 2019 261 (1293), 2020 262 (1555), 2021 261
	 * (1816); 184 = 36 weeks + 4 days from Mon 3 Jan 2022 ends on Thu 15 Sep 2022.
	 */
	check_due(cal, "2015-01-05 07:00", 200000, false, "2022-09-15 17:00");
	/* A span of more than ten years is refused too. */
	ck_assert_int_eq(calendar_between(cal, at(cal, "2015-01-01 00:00"),
	    at(cal, "2026-01-01 00:00"), &t, &cause), -1);
	free(cause);
	ck_assert_int_eq(calendar_due(cal, 0, -1, false, &t, &cause), -1);
	free(cause);
	ck_assert_int_eq(calendar_add(cal, 0, INT64_MIN, &t, &cause), -1);
	free(cause);
	calendar_free(cal);
}
END_TEST

/* The calendar suite. */
static Suite *
calendar_suite(void)
{
	Suite	*s = suite_create("calendar");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_civil_days);
	tcase_add_test(tc, test_parse_format);
	tcase_add_test(tc, test_set_hours);
	tcase_add_test(tc, test_years_and_days);
	tcase_add_test(tc, test_worked_example);
	tcase_add_test(tc, test_outside_hours);
	tcase_add_test(tc, test_ends_at_close);
	tcase_add_test(tc, test_fractions);
	tcase_add_test(tc, test_new_year);
	tcase_add_test(tc, test_april_may);
	tcase_add_test(tc, test_same_day);
	tcase_add_test(tc, test_pause);
	tcase_add_test(tc, test_between);
	tcase_add_test(tc, test_backward);
	tcase_add_test(tc, test_punctuality);
	tcase_add_test(tc, test_unknown_year);
	tcase_add_test(tc, test_thirty_days);
	tcase_add_test(tc, test_other_office);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; exit non-zero on any failure. */
int
main(void)
{
	SRunner	*sr = srunner_create(calendar_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
