/*
 * public.h: what the province discloses to the public: a citizen's lookup of one dossier by
 * its code and the last four digits of the applicant's phone, and the public board of every
 * unit's figures for this month and this year (the same figures as report.h, seen by a reader
 * of every unit).
 *
 * Nothing personal and nothing about officers leaves here: a looked-up dossier carries its
 * procedure, unit, state, dates and current step, never the applicant's name, number or
 * address, nor who holds it. A wrong code and wrong digits get the same answer.
 *
 * Functions returning int return 0 (or as stated), or -1 with *cause set (caller frees).
 */
#ifndef MOTCUA_PUBLIC_H
#define MOTCUA_PUBLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct catalog;
struct store;

#define PUBLIC_CODE_MAX		32	/* bytes of a dossier code as typed */
#define PUBLIC_DIGITS		4	/* digits of the phone asked for */

/* Misses allowed before each further attempt waits, and before the session ends. */
#define PUBLIC_MISSES_FREE	5
#define PUBLIC_MISSES_MAX	20
#define PUBLIC_WAIT_MAX		60	/* seconds: the longest wait between attempts */

/* A dossier as a citizen sees it. */
struct public_dossier {
	char	*code;
	char	*procedure_code;
	char	*procedure_name;
	char	*unit_name;
	int	 state;			/* enum dossier_state */
	int64_t	 received_at;
	int64_t	 appointment_at;	/* the new one of an apology, else the due date; 0: none */
	int64_t	 finished_at;		/* resolved, returned or closed; 0: still open */
	char	*step_name;		/* the current step; NULL once finished */
	char	*department_name;	/* the department of that step; NULL once finished */
};

/*
 * Look a dossier up by its code (any case, blanks around it ignored) and the last four
 * digits of the applicant's phone. Returns 1 with *out set (free with public_dossier_free)
 * when both match; 0 with *out NULL when they do not, whatever was wrong (the code, the
 * digits, their form, or a dossier without a phone); -1 with *cause on a store error.
 */
int		 public_lookup(struct store *, const struct catalog *, const char *code,
		     const char *digits, struct public_dossier **out, char **cause);
void		 public_dossier_free(struct public_dossier *);

/* A short Vietnamese hint of what a state means for the citizen ("" if none). */
const char	*public_state_hint(int state);

/*
 * The attempts of one public session: the first PUBLIC_MISSES_FREE misses are free; after
 * them each attempt waits 2, 4, 8 … seconds (at most PUBLIC_WAIT_MAX) after the last miss;
 * after PUBLIC_MISSES_MAX misses the session is over. Times are milliseconds on any clock
 * that does not go back.
 */
struct public_limit {
	int	misses;
	int64_t	last_miss;
};
/* Return 0 if an attempt may be made now, else the seconds to wait (-1: no more attempts). */
int		 public_limit_wait(const struct public_limit *, int64_t now_ms);
/* Record a miss at now_ms. */
void		 public_limit_miss(struct public_limit *, int64_t now_ms);

/* The board's figures of one unit (or the province) over one period. */
struct public_figures {
	int64_t	received;	/* new in the period */
	int64_t	on_time;	/* resolved in the period, early or on time */
	int64_t	late;		/* resolved in the period, late */
	int64_t	overdue;	/* in progress at the period's end, past the appointment */
	int64_t	supplement;	/* sent back for a supplement in the period */
};

struct public_board_row {
	char			*unit;		/* code */
	char			*unit_name;
	struct public_figures	 month;
	struct public_figures	 year;
};

/*
 * The board as of an instant: the month and the year (local calendar) that contain it, each
 * from its first day up to the instant. Every unit of the catalog has a row, in catalog
 * order, with zeros where nothing happened.
 */
struct public_board {
	int64_t			 as_of;
	int			 year;
	int			 month;		/* 1..12 */
	int64_t			 month_from;
	int64_t			 year_from;
	struct public_board_row	*rows;
	size_t			 nrows;
	struct public_figures	 month_total;
	struct public_figures	 year_total;
};

/* Build the board of every unit as of an instant (see above). */
int		 public_board_build(struct store *, const struct catalog *, int64_t as_of,
		     struct public_board **out, char **cause);
void		 public_board_free(struct public_board *);

/* The on-time rate of figures in tenths of a percent (0..1000); -1 if nothing was resolved. */
int		 public_rate(const struct public_figures *);

#endif
