/*
 * report.h: the figures the province publishes for a period (DOMAIN.md "Statistics"), grouped
 * by unit, field, procedure or month, and the tracking book (Mẫu 06) of a period.
 *
 * A period is [from, to) in Unix seconds. Every figure counts dossiers (never events):
 * - carried: received before from and still open at from (not yet resolved, returned,
 *   withdrawn, stopped or refused at that instant);
 * - new: received in the period (refusals at intake are not received), by channel;
 * - resolved: result ready (resolved_at) in the period, early / on time / late against the
 *   dossier's due date (moved by its pauses; an apology's new appointment does not make a
 *   late dossier on time) by calendar_punctuality; a dossier without a deadline is on time;
 * - open at the period's end (received before to, finished at or after to, or never): within
 *   time, or overdue (due before to; a dossier paused at to is judged at its pause, when its
 *   clock stopped);
 * - supplement: dossiers sent back for a supplement in the period (request_supplement);
 * - withdrawn, refused (after receipt), in the period;
 * - on-time rate = (early + on time) / resolved.
 * A dossier stopped (state 8) in the period has no column of its own. Refusals at intake
 * count nowhere.
 * By month, each row is a period of its own (a local month, cut to [from, to)) and the total
 * is the whole period's, so its carried and open figures are not the sums of the rows'.
 * Rows: by unit, the units asked for (or all the actor may read) in catalog order; by field
 * or procedure, every catalog entry the filters let through, zeros included, then any code
 * found only in the dossiers (a procedure since removed), sorted.
 * Scope is the core's: an actor sees the units it may read (dossier_can_read_unit), and a
 * unit outside it is refused exactly like one that does not exist ("no unit MCH"); an
 * unknown field or procedure is "no field X" / "no procedure X".
 * Functions returning int return 0, or -1 with *cause set (caller frees).
 */
#ifndef MOTCUA_REPORT_H
#define MOTCUA_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct actor;
struct catalog;
struct store;

enum report_group {
	REPORT_BY_UNIT,
	REPORT_BY_FIELD,
	REPORT_BY_PROCEDURE,
	REPORT_BY_MONTH		/* local calendar months of the catalog's time zone */
};

struct report_figures {
	int64_t	carried;
	int64_t	new_total;
	int64_t	new_counter;
	int64_t	new_post;
	int64_t	new_online;
	int64_t	resolved_early;
	int64_t	resolved_on_time;
	int64_t	resolved_late;
	int64_t	open_within;
	int64_t	open_overdue;
	int64_t	supplement;
	int64_t	withdrawn;
	int64_t	refused;
};

struct report_row {
	char			*key;	/* unit code, field code, procedure code or "2015-03" */
	char			*label;	/* the unit's, field's or procedure's name; the month */
	struct report_figures	 f;
};

struct report_query {
	const char *const	*units;		/* NULL: every unit the actor may read */
	size_t			 nunits;
	const char		*field;		/* NULL: every field */
	const char		*procedure;	/* NULL: every procedure */
	int64_t			 from;
	int64_t			 to;
	enum report_group	 group;
};

struct report {
	int64_t			 from;
	int64_t			 to;
	enum report_group	 group;
	struct report_row	*rows;		/* in catalog order (months in time order) */
	size_t			 nrows;
	struct report_figures	 total;
};

int		 report_build(struct store *, const struct catalog *, const struct actor *,
		     const struct report_query *, struct report **out, char **cause);
void		 report_free(struct report *);

/* Resolved in the period, whatever the timing: early + on time + late. */
int64_t		 report_resolved(const struct report_figures *);
/* (early + on time) / resolved, in [0, 1]; -1 when nothing was resolved. */
double		 report_on_time_rate(const struct report_figures *);
/*
 * Write a count with its thousands grouped by separator ("5,104" with ',', "5.104" with '.'
 * as Vietnamese writes them) into buf, cut to fit its len bytes.
 */
void		 report_format_count(int64_t n, char separator, char *buf, size_t len);

/*
 * Parse a period in the catalog's local time: "2015" (a year), "2015-06" (a month),
 * "2015-Q2" (a quarter), "2015-H1" (a half year), "2015-06-15" (a day) or "FROM..TO", both
 * included, each side any of those ("2015-01-01..2015-06-30", "2015-01..2015-03"). Years
 * 1970–2199; no spaces.
 */
int		 report_period_parse(const struct catalog *, const char *text, int64_t *from,
		     int64_t *to, char **cause);

/* One line of the tracking book (Mẫu 06): a dossier received in the period. */
struct report_book_line {
	char	*code;
	char	*procedure_code;
	char	*applicant_name;
	char	*unit;
	int	 state;
	int64_t	 received_at;
	int64_t	 due_at;		/* 0: no deadline */
	int64_t	 resolved_at;		/* 0: not yet */
	int64_t	 returned_at;		/* 0: not yet */
};
struct report_book {
	struct report_book_line	*lines;		/* by received_at, then code */
	size_t			 nlines;
};
/* The dossiers of one unit received in [from, to), at most limit (0: every one). */
int		 report_book_build(struct store *, const struct actor *, const char *unit,
		     int64_t from, int64_t to, size_t limit, struct report_book **out,
		     char **cause);
void		 report_book_free(struct report_book *);

#endif
