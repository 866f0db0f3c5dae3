/*
 * calendar.h: working-time arithmetic for one province. Pure: no I/O, no global time zone.
 *
 * Instants are Unix seconds (UTC) in int64_t. The province's local time is UTC plus a fixed
 * offset. A day is a working day if its year is known and it is a weekday not listed as off,
 * or a weekend day listed as worked. Working time is counted in seconds, only inside the office
 * periods of working days. Asking about a day of a year the calendar does not know is an
 * error, never a guess.
 */
#ifndef MOTCUA_CALENDAR_H
#define MOTCUA_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CALENDAR_MAX_PERIODS	4
#define CALENDAR_FIRST_YEAR	1970
#define CALENDAR_LAST_YEAR	2199

/* How a finished piece of work compares with its deadline. */
enum calendar_punctuality {
	CALENDAR_EARLY,		/* finished on a day before the due day */
	CALENDAR_ON_TIME,	/* finished on the due day, not after the due time */
	CALENDAR_LATE		/* finished after the due time */
};

struct calendar;

/* A date in the proleptic Gregorian calendar. */
struct calendar_date {
	int	year;
	int	month;		/* 1–12 */
	int	day;		/* 1–31 */
};

/* Create an empty calendar: offset in seconds east of UTC, no periods, no known years. */
struct calendar	*calendar_new(int utc_offset);
void		 calendar_free(struct calendar *);

/*
 * Set the office periods of a working day: n pairs of [start, end) in minutes after local
 * midnight, ascending and not overlapping, and the same-day cut-off in minutes. Returns 0, or
 * -1 with *cause set.
 */
int	 calendar_set_hours(struct calendar *, const int periods[][2], int n, int cutoff,
	     char **cause);

/* Mark a year as known: its weekdays work, its weekends rest, until exceptions are added. */
void	 calendar_add_year(struct calendar *, int year);

/* Return true if the year is known. */
bool	 calendar_has_year(const struct calendar *, int year);

/*
 * Record an exception for a date of a known year: working (a worked weekend day) or not (a
 * weekday off). Returns 0, or -1 with *cause set if the year is unknown or the date invalid.
 */
int	 calendar_set_day(struct calendar *, struct calendar_date, bool working, char **cause);

/* Return 1 if the date is a working day, 0 if not, -1 with *cause set if its year is unknown. */
int	 calendar_is_working_day(const struct calendar *, struct calendar_date, char **cause);

/* Working seconds in one full working day (8 hours for 07:00–11:30, 13:30–17:00). */
int64_t	 calendar_day_seconds(const struct calendar *);

/*
 * The due instant for work received at from lasting centidays hundredths of a working day, or
 * under the same-day rule if same_day is set (then centidays is ignored): due by the close of
 * the day if received before the cut-off, else by the close of the next working day. Time
 * received outside office hours starts counting at the next opening. Returns 0, or -1 with
 * *cause set (for example when the count runs into a year with no calendar).
 */
int	 calendar_due(const struct calendar *, int64_t from, int centidays, bool same_day,
	     int64_t *due, char **cause);

/* Add seconds of working time to an instant (used to move a due date by a pause). */
int	 calendar_add(const struct calendar *, int64_t from, int64_t seconds, int64_t *out,
	     char **cause);

/*
 * The working seconds between two instants; negative if b is before a. Returns 0, or -1 with
 * *cause set.
 */
int	 calendar_between(const struct calendar *, int64_t a, int64_t b, int64_t *seconds,
	     char **cause);

/* Classify an instant of completion against a due instant (same local day = on time). */
enum calendar_punctuality calendar_punctuality(const struct calendar *, int64_t done,
	     int64_t due);

/* Convert between local "YYYY-MM-DD HH:MM" (or "YYYY-MM-DD HH:MM:SS") and instants. */
int	 calendar_parse_local(const struct calendar *, const char *text, int64_t *out,
	     char **cause);
/* Write an instant as local "YYYY-MM-DD HH:MM" into buf (at least 17 bytes). */
void	 calendar_format_local(const struct calendar *, int64_t t, char *buf, size_t len);
/* Write an instant as local "HH:MM dd/mm/yyyy", the form printed on receipts. */
void	 calendar_format_receipt(const struct calendar *, int64_t t, char *buf, size_t len);

/* The local date of an instant, and its minutes after local midnight. */
struct calendar_date calendar_local_date(const struct calendar *, int64_t t, int *minutes);

/* Parse "YYYY-MM-DD" strictly; returns 0, or -1 if malformed or not a real date. */
int	 calendar_parse_date(const char *text, struct calendar_date *out);
/* Day of the week: 0 = Sunday … 6 = Saturday. */
int	 calendar_weekday(struct calendar_date);
/* Days since 1970-01-01 for a date, and back. */
int64_t	 calendar_days_from_date(struct calendar_date);
struct calendar_date calendar_date_from_days(int64_t days);

#endif
