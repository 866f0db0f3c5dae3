/*
 * calendar.h: working-time arithmetic for one province. Pure: no I/O, no global time zone.
 *
 * Instants are Unix seconds (UTC) in int64_t. The province's local time is UTC plus a fixed
 * offset. A day is a working day if its year is known and it is a weekday not listed as off,
 * or a weekend day listed as worked. Working time is counted in seconds, only inside the office
 * periods of working days. Asking about a day of a year the calendar does not know is an
 * error, never a guess: the cause names the year ("no working calendar for 2028 …").
 *
 * Counting rules: time outside office hours does not count, so a count starting there starts
 * at the next opening; a count that is used up exactly at the end of a period ends there (17:00,
 * not the next morning). Every count walks at most about ten years of days, else it fails.
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

/*
 * Create an empty calendar: offset in seconds east of UTC (normally within ±18 h), no periods,
 * no known years. Caller must free with calendar_free.
 */
struct calendar	*calendar_new(int utc_offset);
/* Free a calendar; NULL is allowed. */
void		 calendar_free(struct calendar *);

/*
 * Set the office periods of a working day: n (1 to CALENDAR_MAX_PERIODS) pairs of [start, end)
 * in minutes after local midnight, each within 0–1440, start < end, ascending and not
 * overlapping, and the same-day cut-off in minutes (0–1440). Returns 0, or -1 with *cause set
 * and the calendar unchanged.
 */
int	 calendar_set_hours(struct calendar *, const int periods[][2], int n, int cutoff,
	     char **cause);

/*
 * Mark a year as known: its weekdays work, its weekends rest, until exceptions are added.
 * Adding a year that is already known keeps its exceptions; a year outside
 * CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR is ignored (it stays unknown).
 */
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

/* Working seconds in one full working day (8 hours for 07:00–11:30, 13:30–17:00); 0 if unset. */
int64_t	 calendar_day_seconds(const struct calendar *);

/*
 * The due instant for work received at from lasting centidays hundredths of a working day, or
 * under the same-day rule if same_day is set (then centidays is ignored): due by the close of
 * the day if received before the cut-off, else by the close of the next working day. Time
 * received outside office hours starts counting at the next opening.
 *
 * The duration is centidays * calendar_day_seconds() / 100 seconds, in integers (rounded
 * down when not exact); a duration of 0 gives the effective start itself. Under the same-day
 * rule the effective start (from, or the next opening) is compared with the cut-off; "close"
 * is the end of the day's last period. Returns 0, or -1 with *cause set (negative centidays, no
 * office hours, or the count runs into a year with no calendar).
 */
int	 calendar_due(const struct calendar *, int64_t from, int centidays, bool same_day,
	     int64_t *due, char **cause);

/*
 * Add seconds of working time to an instant (used to move a due date by a pause): the first
 * instant at which that much working time has passed since from. 0 returns from unchanged (a
 * due date at 17:00 stays at 17:00); a negative amount counts backwards, ending at the start of
 * a period rather than at the end of the previous one. Returns 0, or -1 with *cause set.
 */
int	 calendar_add(const struct calendar *, int64_t from, int64_t seconds, int64_t *out,
	     char **cause);

/*
 * The working seconds between two instants; negative if b is before a. Returns 0, or -1 with
 * *cause set (a day that matters lies in an unknown year, or the span exceeds about ten years).
 */
int	 calendar_between(const struct calendar *, int64_t a, int64_t b, int64_t *seconds,
	     char **cause);

/*
 * Classify an instant of completion against a due instant: late if done is after due, on time
 * if it is not after due and on the same local date, early otherwise.
 */
enum calendar_punctuality calendar_punctuality(const struct calendar *, int64_t done,
	     int64_t due);

/*
 * Parse local "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" strictly (two-digit fields, a real
 * date, 00–23, 00–59) into an instant. Returns 0, or -1 with *cause set.
 */
int	 calendar_parse_local(const struct calendar *, const char *text, int64_t *out,
	     char **cause);
/* Write an instant as local "YYYY-MM-DD HH:MM" into buf (at least 17 bytes). */
void	 calendar_format_local(const struct calendar *, int64_t t, char *buf, size_t len);
/* Write an instant as local "HH:MM dd/mm/yyyy", the form printed on receipts (17 bytes). */
void	 calendar_format_receipt(const struct calendar *, int64_t t, char *buf, size_t len);

/* The local date of an instant, and its minutes after local midnight (minutes may be NULL). */
struct calendar_date calendar_local_date(const struct calendar *, int64_t t, int *minutes);

/* Parse "YYYY-MM-DD" strictly; returns 0, or -1 if malformed or not a real date. */
int	 calendar_parse_date(const char *text, struct calendar_date *out);
/* Day of the week of a valid date: 0 = Sunday … 6 = Saturday. */
int	 calendar_weekday(struct calendar_date);
/* Days since 1970-01-01 for a valid date (negative before it). */
int64_t	 calendar_days_from_date(struct calendar_date);
/* The date a number of days after 1970-01-01 (clamped to about ±2 billion years). */
struct calendar_date calendar_date_from_days(int64_t days);

#endif
