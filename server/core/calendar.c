/* calendar.c: working-time arithmetic (due dates, pauses, punctuality) over per-year day maps. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "xmalloc.h"

#define CALENDAR_YEARS		(CALENDAR_LAST_YEAR - CALENDAR_FIRST_YEAR + 1)
#define CALENDAR_DAY_BYTES	((366 + 7) / 8)
#define CALENDAR_DAY		INT64_C(86400)
#define CALENDAR_MAX_WALK	3660	/* days a count may walk: about ten years */
#define CALENDAR_MAX_DAYS	INT64_C(730485000000)	/* 146097 * 5000000: about ±2e9 years */

struct calendar {
	int	utc_offset;			/* seconds east of UTC */
	int	nperiods;
	int	periods[CALENDAR_MAX_PERIODS][2];	/* seconds after local midnight */
	int	cutoff;				/* seconds after local midnight */
	uint8_t	known[(CALENDAR_YEARS + 7) / 8];
	uint8_t	working[CALENDAR_YEARS][CALENDAR_DAY_BYTES];	/* bit n: day n of the year */
};

/* Divide rounding towards minus infinity (b > 0). */
static int64_t
calendar_floor_div(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if (a % b < 0)
		q--;
	return q;
}

/* Return true if the year is a leap year of the Gregorian calendar. */
static bool
calendar_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Number of days in a month of a year (0 for a month outside 1–12). */
static int
calendar_month_days(int64_t year, int month)
{
	static const int	days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && calendar_leap(year))
		return 29;
	return days[month - 1];
}

/* Return true if a date exists. */
static bool
calendar_date_valid(struct calendar_date d)
{
	return d.day >= 1 && d.day <= calendar_month_days(d.year, d.month);
}

/*
 * Days since 1970-01-01. Years are counted from March so that the leap day ends the year;
 * 400-year cycles ("eras") of 146097 days make the rest a small exact computation.
 */
int64_t
calendar_days_from_date(struct calendar_date d)
{
	int64_t	y, era, year_of_era, march_month, day_of_year, day_of_era;

	y = (int64_t)d.year - (d.month <= 2 ? 1 : 0);
	era = calendar_floor_div(y, 400);
	year_of_era = y - era * 400;				/* 0–399 */
	march_month = ((d.month + 9) % 12 + 12) % 12;		/* March = 0 … February = 11 */
	day_of_year = (153 * march_month + 2) / 5 + d.day - 1;	/* 0–365 from 1 March */
	day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	/* 719468 days separate 0000-03-01 from 1970-01-01. */
	return era * 146097 + day_of_era - 719468;
}

/* The date a number of days after 1970-01-01: the inverse of calendar_days_from_date. */
struct calendar_date
calendar_date_from_days(int64_t days)
{
	struct calendar_date	d;
	int64_t			z, era, day_of_era, year_of_era, day_of_year, march_month;

	if (days > CALENDAR_MAX_DAYS)
		days = CALENDAR_MAX_DAYS;
	if (days < -CALENDAR_MAX_DAYS)
		days = -CALENDAR_MAX_DAYS;
	z = days + 719468;
	era = calendar_floor_div(z, 146097);
	day_of_era = z - era * 146097;				/* 0–146096 */
	year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
	    day_of_era / 146096) / 365;				/* 0–399 */
	day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	march_month = (5 * day_of_year + 2) / 153;		/* 0–11 */
	d.day = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
	d.month = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
	d.year = (int)(year_of_era + era * 400 + (d.month <= 2 ? 1 : 0));
	return d;
}

/* Day of the week of a date: 1970-01-01 was a Thursday. */
int
calendar_weekday(struct calendar_date d)
{
	int64_t	w = (calendar_days_from_date(d) + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* Split an instant into its local day number and seconds after local midnight. */
static void
calendar_split(const struct calendar *cal, int64_t t, int64_t *day, int64_t *sec)
{
	int64_t	d = t / CALENDAR_DAY, s = t % CALENDAR_DAY;

	if (s < 0) {
		s += CALENDAR_DAY;
		d--;
	}
	s += cal->utc_offset;
	d += calendar_floor_div(s, CALENDAR_DAY);
	s -= calendar_floor_div(s, CALENDAR_DAY) * CALENDAR_DAY;
	*day = d;
	*sec = s;
}

/* The instant of a local day number and seconds after local midnight. */
static int64_t
calendar_join(const struct calendar *cal, int64_t day, int64_t sec)
{
	return day * CALENDAR_DAY + sec - cal->utc_offset;
}

/* Copy user text into buf for a message: printable ASCII only, shortened. */
static void
calendar_quote(const char *text, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; text[i] != '\0' && i + 1 < len; i++) {
		if (text[i] >= 0x20 && text[i] < 0x7f)
			buf[i] = text[i];
		else
			buf[i] = '?';
	}
	buf[i] = '\0';
	if (text[i] != '\0' && len >= 4)
		memcpy(buf + len - 4, "...", 4);
}

/* Create an empty calendar. */
struct calendar *
calendar_new(int utc_offset)
{
	struct calendar	*cal;

	cal = xcalloc(1, sizeof *cal);
	cal->utc_offset = utc_offset;
	return cal;
}

/* Free a calendar. */
void
calendar_free(struct calendar *cal)
{
	free(cal);
}

/* Set the office periods and the same-day cut-off after checking them. */
int
calendar_set_hours(struct calendar *cal, const int periods[][2], int n, int cutoff,
    char **cause)
{
	int	i;

	if (n < 1 || n > CALENDAR_MAX_PERIODS) {
		*cause = xasprintf("office hours need 1 to %d periods, not %d",
		    CALENDAR_MAX_PERIODS, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (periods[i][0] < 0 || periods[i][1] > 1440) {
			*cause = xasprintf("office period %d is outside 00:00-24:00", i + 1);
			return -1;
		}
		if (periods[i][0] >= periods[i][1]) {
			*cause = xasprintf("office period %d does not end after it starts", i + 1);
			return -1;
		}
		if (i > 0 && periods[i][0] < periods[i - 1][1]) {
			*cause = xasprintf("office period %d starts before period %d ends "
			    "(periods must be in order and not overlap)", i + 1, i);
			return -1;
		}
	}
	if (cutoff < 0 || cutoff > 1440) {
		*cause = xasprintf("the same-day cut-off is outside 00:00-24:00");
		return -1;
	}
	for (i = 0; i < n; i++) {
		cal->periods[i][0] = periods[i][0] * 60;
		cal->periods[i][1] = periods[i][1] * 60;
	}
	cal->nperiods = n;
	cal->cutoff = cutoff * 60;
	return 0;
}

/* Return true if a year lies in the range the calendar can hold. */
static bool
calendar_year_in_range(int64_t year)
{
	return year >= CALENDAR_FIRST_YEAR && year <= CALENDAR_LAST_YEAR;
}

/* Return true if the year is known. */
bool
calendar_has_year(const struct calendar *cal, int year)
{
	int	i;

	if (!calendar_year_in_range(year))
		return false;
	i = year - CALENDAR_FIRST_YEAR;
	return (cal->known[i / 8] >> (i % 8)) & 1;
}

/* Mark a year as known with its weekdays working. */
void
calendar_add_year(struct calendar *cal, int year)
{
	struct calendar_date	jan1 = { year, 1, 1 };
	int			i, n, day, weekday;

	if (!calendar_year_in_range(year) || calendar_has_year(cal, year))
		return;
	i = year - CALENDAR_FIRST_YEAR;
	n = calendar_leap(year) ? 366 : 365;
	weekday = calendar_weekday(jan1);
	memset(cal->working[i], 0, sizeof cal->working[i]);
	for (day = 0; day < n; day++) {
		if (weekday != 0 && weekday != 6)
			cal->working[i][day / 8] |= (uint8_t)(1 << (day % 8));
		weekday = (weekday + 1) % 7;
	}
	cal->known[i / 8] |= (uint8_t)(1 << (i % 8));
}

/* Fill *cause for a question about a year the calendar does not know. */
static void
calendar_unknown_year(int64_t year, char **cause)
{
	if (calendar_year_in_range(year))
		*cause = xasprintf("no working calendar for %d (add calendar/%d.yaml to the "
		    "catalog)", (int)year, (int)year);
	else
		*cause = xasprintf("no working calendar for %lld (the calendar covers %d to %d)",
		    (long long)year, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
}

/*
 * Find the year index and day of the year of a date in the bitmaps; -1 with *cause if the
 * date is not real or its year is unknown.
 */
static int
calendar_locate(const struct calendar *cal, struct calendar_date d, int *year, int *day,
    char **cause)
{
	struct calendar_date	jan1 = { d.year, 1, 1 };

	if (!calendar_date_valid(d)) {
		*cause = xasprintf("%04d-%02d-%02d is not a real date", d.year, d.month, d.day);
		return -1;
	}
	if (!calendar_has_year(cal, d.year)) {
		calendar_unknown_year(d.year, cause);
		return -1;
	}
	*year = d.year - CALENDAR_FIRST_YEAR;
	*day = (int)(calendar_days_from_date(d) - calendar_days_from_date(jan1));
	return 0;
}

/* Record a worked weekend day or a weekday off. */
int
calendar_set_day(struct calendar *cal, struct calendar_date d, bool working, char **cause)
{
	int	year, day;

	if (calendar_locate(cal, d, &year, &day, cause) != 0)
		return -1;
	if (working)
		cal->working[year][day / 8] |= (uint8_t)(1 << (day % 8));
	else
		cal->working[year][day / 8] &= (uint8_t)~(1 << (day % 8));
	return 0;
}

/* Return 1 if a date is a working day, 0 if not, -1 with *cause if unknown. */
int
calendar_is_working_day(const struct calendar *cal, struct calendar_date d, char **cause)
{
	int	year, day;

	if (calendar_locate(cal, d, &year, &day, cause) != 0)
		return -1;
	return (cal->working[year][day / 8] >> (day % 8)) & 1;
}

/* Return 1 if a local day number is a working day, 0 if not, -1 with *cause if unknown. */
static int
calendar_day_working(const struct calendar *cal, int64_t day, char **cause)
{
	return calendar_is_working_day(cal, calendar_date_from_days(day), cause);
}

/* Working seconds in one full working day. */
int64_t
calendar_day_seconds(const struct calendar *cal)
{
	int64_t	total = 0;
	int	i;

	for (i = 0; i < cal->nperiods; i++)
		total += cal->periods[i][1] - cal->periods[i][0];
	return total;
}

/* Fill *cause if no office hours are set; return -1 then, else 0. */
static int
calendar_check_hours(const struct calendar *cal, char **cause)
{
	if (cal->nperiods == 0) {
		*cause = xasprintf("no office hours are set");
		return -1;
	}
	return 0;
}

/* Fill *cause for a count that walked past its bound from an instant. */
static void
calendar_too_far(const struct calendar *cal, int64_t from, char **cause)
{
	char	when[32];

	calendar_format_local(cal, from, when, sizeof when);
	*cause = xasprintf("the working time from %s does not fit in %d days of calendar",
	    when, CALENDAR_MAX_WALK);
}

/* Count seconds (>= 0) of working time forwards from an instant. */
static int
calendar_forward(const struct calendar *cal, int64_t from, int64_t seconds, int64_t *out,
    char **cause)
{
	int64_t	day, sec, left = seconds, start, avail;
	int	i, p, w;

	if (calendar_check_hours(cal, cause) != 0)
		return -1;
	calendar_split(cal, from, &day, &sec);
	for (i = 0; i < CALENDAR_MAX_WALK; i++, day++, sec = 0) {
		/* Past the close nothing on this day counts, whatever the day is. */
		if (sec >= cal->periods[cal->nperiods - 1][1])
			continue;
		if ((w = calendar_day_working(cal, day, cause)) == -1)
			return -1;
		if (w == 0)
			continue;
		if (sec == 0 && left > calendar_day_seconds(cal)) {
			left -= calendar_day_seconds(cal);
			continue;
		}
		for (p = 0; p < cal->nperiods; p++) {
			if (sec >= cal->periods[p][1])
				continue;
			start = sec > cal->periods[p][0] ? sec : cal->periods[p][0];
			avail = cal->periods[p][1] - start;
			if (left <= avail) {
				*out = calendar_join(cal, day, start + left);
				return 0;
			}
			left -= avail;
		}
	}
	calendar_too_far(cal, from, cause);
	return -1;
}

/* Count seconds (> 0) of working time backwards from an instant. */
static int
calendar_backward(const struct calendar *cal, int64_t from, int64_t seconds, int64_t *out,
    char **cause)
{
	int64_t	day, sec, left = seconds, end, avail;
	int	i, p, w;

	if (calendar_check_hours(cal, cause) != 0)
		return -1;
	calendar_split(cal, from, &day, &sec);
	for (i = 0; i < CALENDAR_MAX_WALK; i++, day--, sec = CALENDAR_DAY) {
		/* Before the opening nothing on this day counts, whatever the day is. */
		if (sec <= cal->periods[0][0])
			continue;
		if ((w = calendar_day_working(cal, day, cause)) == -1)
			return -1;
		if (w == 0)
			continue;
		if (sec == CALENDAR_DAY && left > calendar_day_seconds(cal)) {
			left -= calendar_day_seconds(cal);
			continue;
		}
		for (p = cal->nperiods - 1; p >= 0; p--) {
			if (sec <= cal->periods[p][0])
				continue;
			end = sec < cal->periods[p][1] ? sec : cal->periods[p][1];
			avail = end - cal->periods[p][0];
			if (left <= avail) {
				*out = calendar_join(cal, day, end - left);
				return 0;
			}
			left -= avail;
		}
	}
	calendar_too_far(cal, from, cause);
	return -1;
}

/* Add (or with a negative amount, subtract) seconds of working time. */
int
calendar_add(const struct calendar *cal, int64_t from, int64_t seconds, int64_t *out,
    char **cause)
{
	if (seconds == 0) {
		*out = from;
		return 0;
	}
	if (seconds > 0)
		return calendar_forward(cal, from, seconds, out, cause);
	if (seconds == INT64_MIN) {
		calendar_too_far(cal, from, cause);
		return -1;
	}
	return calendar_backward(cal, from, -seconds, out, cause);
}

/* The due instant under the same-day rule. */
static int
calendar_due_same_day(const struct calendar *cal, int64_t from, int64_t *due, char **cause)
{
	int64_t	start, day, sec;
	int	i, w;

	if (calendar_forward(cal, from, 0, &start, cause) != 0)
		return -1;
	calendar_split(cal, start, &day, &sec);
	if (sec >= cal->cutoff) {
		for (i = 0; i < CALENDAR_MAX_WALK; i++) {
			day++;
			if ((w = calendar_day_working(cal, day, cause)) == -1)
				return -1;
			if (w == 1)
				break;
		}
		if (i == CALENDAR_MAX_WALK) {
			calendar_too_far(cal, from, cause);
			return -1;
		}
	}
	*due = calendar_join(cal, day, cal->periods[cal->nperiods - 1][1]);
	return 0;
}

/*
 * The due instant for work received at from. Receipts print minutes, so the count starts at
 * the minute of receipt and a due time that falls between minutes (0.33 of a day) is moved
 * to the next whole minute: the printed appointment is exactly the one kept.
 */
int
calendar_due(const struct calendar *cal, int64_t from, int centidays, bool same_day,
    int64_t *due, char **cause)
{
	int64_t	rest;

	from -= ((from % 60) + 60) % 60;
	if (same_day)
		return calendar_due_same_day(cal, from, due, cause);
	if (centidays < 0) {
		*cause = xasprintf("a duration cannot be negative (%d hundredths of a day)",
		    centidays);
		return -1;
	}
	if (calendar_forward(cal, from, (int64_t)centidays * calendar_day_seconds(cal) / 100,
	    due, cause) != 0)
		return -1;
	if ((rest = ((*due % 60) + 60) % 60) != 0)
		*due += 60 - rest;
	return 0;
}

/* Working seconds inside [lo, hi) of a working day, seconds after local midnight. */
static int64_t
calendar_overlap(const struct calendar *cal, int64_t lo, int64_t hi)
{
	int64_t	total = 0, s, e;
	int	p;

	for (p = 0; p < cal->nperiods; p++) {
		s = lo > cal->periods[p][0] ? lo : cal->periods[p][0];
		e = hi < cal->periods[p][1] ? hi : cal->periods[p][1];
		if (e > s)
			total += e - s;
	}
	return total;
}

/* The working seconds between two instants. */
int
calendar_between(const struct calendar *cal, int64_t a, int64_t b, int64_t *seconds,
    char **cause)
{
	int64_t	da, sa, db, sb, day, lo, hi, part, total = 0;
	int	w;

	if (b < a) {
		if (calendar_between(cal, b, a, &total, cause) != 0)
			return -1;
		*seconds = -total;
		return 0;
	}
	calendar_split(cal, a, &da, &sa);
	calendar_split(cal, b, &db, &sb);
	if (db - da > CALENDAR_MAX_WALK) {
		calendar_too_far(cal, a, cause);
		return -1;
	}
	for (day = da; day <= db; day++) {
		lo = day == da ? sa : 0;
		hi = day == db ? sb : CALENDAR_DAY;
		/* Ask about the day only if it could hold working time. */
		if ((part = calendar_overlap(cal, lo, hi)) == 0)
			continue;
		if ((w = calendar_day_working(cal, day, cause)) == -1)
			return -1;
		if (w == 1)
			total += part;
	}
	*seconds = total;
	return 0;
}

/* Classify a completion against a due instant. */
enum calendar_punctuality
calendar_punctuality(const struct calendar *cal, int64_t done, int64_t due)
{
	int64_t	done_day, due_day, sec;

	if (done > due)
		return CALENDAR_LATE;
	calendar_split(cal, done, &done_day, &sec);
	calendar_split(cal, due, &due_day, &sec);
	return done_day == due_day ? CALENDAR_ON_TIME : CALENDAR_EARLY;
}

/* Read exactly n decimal digits; return -1 if any is not a digit. */
static int
calendar_digits(const char *s, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parse "YYYY-MM-DD" at the start of s without checking that the date exists. */
static int
calendar_date_fields(const char *s, struct calendar_date *out)
{
	if (calendar_digits(s, 4, &out->year) != 0 || s[4] != '-' ||
	    calendar_digits(s + 5, 2, &out->month) != 0 || s[7] != '-' ||
	    calendar_digits(s + 8, 2, &out->day) != 0)
		return -1;
	return 0;
}

/* Parse "YYYY-MM-DD" strictly. */
int
calendar_parse_date(const char *text, struct calendar_date *out)
{
	struct calendar_date	d;

	if (strlen(text) != 10 || calendar_date_fields(text, &d) != 0 ||
	    !calendar_date_valid(d))
		return -1;
	*out = d;
	return 0;
}

/* Parse a local date and time strictly. */
int
calendar_parse_local(const struct calendar *cal, const char *text, int64_t *out,
    char **cause)
{
	struct calendar_date	d;
	size_t			len = strlen(text);
	int			hour, minute, second = 0;
	char			quoted[48];

	if ((len != 16 && len != 19) || calendar_date_fields(text, &d) != 0 ||
	    text[10] != ' ' || calendar_digits(text + 11, 2, &hour) != 0 ||
	    text[13] != ':' || calendar_digits(text + 14, 2, &minute) != 0 ||
	    (len == 19 && (text[16] != ':' || calendar_digits(text + 17, 2, &second) != 0))) {
		calendar_quote(text, quoted, sizeof quoted);
		*cause = xasprintf("\"%s\" is not a date and time of the form "
		    "YYYY-MM-DD HH:MM", quoted);
		return -1;
	}
	if (!calendar_date_valid(d)) {
		*cause = xasprintf("%04d-%02d-%02d is not a real date", d.year, d.month, d.day);
		return -1;
	}
	if (hour > 23 || minute > 59 || second > 59) {
		*cause = xasprintf("%.*s is not a time of day (00:00 to 23:59)", (int)len - 11,
		    text + 11);
		return -1;
	}
	*out = calendar_join(cal, calendar_days_from_date(d), hour * 3600 + minute * 60 + second);
	return 0;
}

/* The local date of an instant, and its minutes after local midnight. */
struct calendar_date
calendar_local_date(const struct calendar *cal, int64_t t, int *minutes)
{
	int64_t	day, sec;

	calendar_split(cal, t, &day, &sec);
	if (minutes != NULL)
		*minutes = (int)(sec / 60);
	return calendar_date_from_days(day);
}

/* Write an instant as local "YYYY-MM-DD HH:MM". */
void
calendar_format_local(const struct calendar *cal, int64_t t, char *buf, size_t len)
{
	struct calendar_date	d;
	int			minutes;

	d = calendar_local_date(cal, t, &minutes);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, minutes / 60,
	    minutes % 60);
}

/* Write an instant as local "HH:MM dd/mm/yyyy". */
void
calendar_format_receipt(const struct calendar *cal, int64_t t, char *buf, size_t len)
{
	struct calendar_date	d;
	int			minutes;

	d = calendar_local_date(cal, t, &minutes);
	snprintf(buf, len, "%02d:%02d %02d/%02d/%04d", minutes / 60, minutes % 60, d.day,
	    d.month, d.year);
}
