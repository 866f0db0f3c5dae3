/*
 * service.h: the narrow interface the officers' screens use, and nothing else of the core.
 *
 * Screens never see SQL or libssh. Today this interface is implemented in-process on top of
 * the core (service.c); later a second implementation will speak a compact protocol over an
 * SSH subsystem to a local interface at the district, chosen at link time. Everything here is
 * scoped to the officer the service was opened for: the core refuses whatever the officer's
 * role and unit do not allow, whatever the caller asks.
 *
 * Functions returning int return 0, or -1 with *cause set to a message for the officer, in
 * Vietnamese (caller frees).
 */
#ifndef MOTCUA_SERVICE_H
#define MOTCUA_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"

struct report;
struct service;

/* The officer the service acts for, with the names the screens print. */
struct service_user {
	int64_t		 id;
	char		*login;
	char		*full_name;
	enum role	 role;
	char		*unit;			/* NULL for monitors and administrators */
	char		*unit_name;		/* "Thành phố Sơn La", or the province's name */
	char		*department;		/* NULL for monitors and administrators */
	char		*department_name;
};

/*
 * Open the service for a user of the store at db_path, with the loaded catalog (borrowed: it
 * must outlive the service). A disabled or unknown user is refused.
 */
struct service	*service_open(const char *db_path, const struct catalog *, const char *login,
		     char **cause);
void		 service_close(struct service *);

const struct service_user	*service_me(struct service *);
const struct catalog		*service_catalog(struct service *);

/*
 * Switch the service to another catalog (a newer one the server serves) for new work: from
 * now on service_catalog and every call of the service use it, and a monitor's scope is its
 * units. cat is borrowed like the first; the catalog replaced is not freed, and must stay
 * alive while anything still points into it (procedures found, an intake begun under it).
 * Refused, changing nothing, if the officer's unit is not in it.
 */
int	 service_set_catalog(struct service *, const struct catalog *, char **cause);

/*
 * The catalog an intake began with: until set back to NULL, the intake calls below
 * (service_search_procedures, service_intake_due, service_receive, service_refuse_intake,
 * service_guide) use it instead of the current one, so that an intake begun before
 * service_set_catalog ends under the procedure versions it began with. Borrowed.
 */
void	 service_intake_catalog(struct service *, const struct catalog *);

/*
 * The current instant; MOTCUA_NOW="YYYY-MM-DD HH:MM" (local to the catalog's calendar) fixes
 * it, for tests and demos. service_clock is the same without a service, for the command line.
 */
int64_t		 service_now(struct service *);
int64_t		 service_clock(const struct catalog *);

/* Return true if the instant falls inside office hours of a working day. */
bool		 service_office_hours(struct service *, int64_t t);

/* ---- the dashboard ---------------------------------------------------------------------- */

/* Counts for the officer's scope (their unit; for officers, their department). */
struct service_dashboard {
	int64_t			received_today;
	int64_t			in_progress;
	int64_t			due_soon;
	int64_t			step_late;
	int64_t			overdue;
	int64_t			waiting_citizen;	/* supplement or financial obligation */
	int64_t			ready_to_return;
	struct dossier_list	overdue_top;		/* the most overdue first */
};
int	 service_dashboard(struct service *, size_t top, struct service_dashboard *,
	     char **cause);
void	 service_dashboard_free(struct service_dashboard *);

/* ---- intake ---------------------------------------------------------------------------- */

/* Procedures by code prefix or accent-insensitive name; see catalog_search. */
size_t	 service_search_procedures(struct service *, const char *query,
	     const struct catalog_procedure **out, size_t max);

/* The appointment a dossier of this procedure and variant received now would get (0: none). */
int	 service_intake_due(struct service *, const char *procedure, int variant,
	     int64_t *due, char **cause);

/* Receive (Mẫu 01) or refuse (Mẫu 03) at the counter; see dossier_receive. */
int	 service_receive(struct service *, const struct dossier_intake *, char **code,
	     bool *replay, char **cause);
int	 service_refuse_intake(struct service *, const struct dossier_intake *, char **code,
	     bool *replay, char **cause);
/* Record written guidance of what is missing (Mẫu 02); nothing is received. */
int	 service_guide(struct service *, const char *procedure, const char *applicant_name,
	     const char *missing, char **cause);

/*
 * The intake being typed, kept on the server: content is the form serialised by the screen;
 * key is the form's idempotency key. Load gives 0 with *content NULL when there is no draft.
 */
int	 service_draft_save(struct service *, const char *key, const char *content,
	     char **cause);
int	 service_draft_load(struct service *, char **key, char **content, int64_t *updated_at,
	     char **cause);
int	 service_draft_clear(struct service *, char **cause);

/* The code and time of the last dossier this officer received (*code NULL if none). */
int	 service_last_received(struct service *, char **code, int64_t *at, char **cause);

/* ---- queues ---------------------------------------------------------------------------- */

enum service_queue {
	QUEUE_NEW,		/* received, not yet handed over */
	QUEUE_UNASSIGNED,	/* at a department, no officer yet */
	QUEUE_IN_PROGRESS,
	QUEUE_WAITING,		/* waiting for the citizen: supplement or financial obligation */
	QUEUE_DUE_SOON,
	QUEUE_STEP_LATE,
	QUEUE_OVERDUE,
	QUEUE_READY,		/* resolved, result to return */
	QUEUE_RETURNED
};
#define QUEUE_COUNT	9

const char	*service_queue_label(enum service_queue);	/* Vietnamese */

/*
 * One page of a queue for the officer's scope, optionally filtered by a search on the
 * dossier code, the applicant's name (accent-insensitive) or ID number. *total is the size
 * of the whole (filtered) queue.
 */
int	 service_queue(struct service *, enum service_queue, const char *search, size_t offset,
	     size_t limit, struct dossier_list *out, size_t *total, char **cause);

/* ---- a dossier -------------------------------------------------------------------------- */

/* A dossier the officer may read, or NULL with *cause ("Không có hồ sơ X"). */
struct dossier	*service_dossier(struct service *, const char *code, char **cause);
int		 service_events(struct service *, const char *code, struct dossier_event **,
		     size_t *, char **cause);
/* The actions the officer may take on it now (mask of 1u << action). */
unsigned int	 service_allowed(struct service *, const struct dossier *);
int		 service_act(struct service *, const char *code, enum dossier_action,
		     const struct dossier_args *, char **cause);
/* The users a dossier may be assigned to by this officer. */
int		 service_assignees(struct service *, const struct dossier *,
		     struct service_user **out, size_t *n, char **cause);
void		 service_users_free(struct service_user *, size_t);

/* ---- alerts ---------------------------------------------------------------------------- */

/*
 * What needs the officer's attention: dossiers newly assigned to them since the event id
 * since (0: none counted), and theirs that are due soon or overdue. latest_event is the
 * newest event id, to pass as since next time.
 */
struct service_alerts {
	int64_t	assigned_new;
	int64_t	due_soon;
	int64_t	overdue;
	int64_t	latest_event;
};
int	 service_alerts(struct service *, int64_t since, struct service_alerts *, char **cause);

/* ---- reports --------------------------------------------------------------------------- */

/*
 * A period typed by the officer, as report_period_parse reads it ("2015-06", "2015-Q2",
 * "2015-H1", "2015", "2015-06-15", "2015-01-01..2015-06-30"), in the province's time:
 * [*from, *to).
 */
int	 service_report_period(struct service *, const char *text, int64_t *from,
	     int64_t *to, char **cause);

/*
 * The period report (report.h) of [from, to) grouped by group (an enum report_group), for
 * the officer's scope: a monitor's is every unit, everyone else's their own unit (the whole
 * unit, for department officers too). unit NULL: the whole scope; a unit outside it is
 * refused like one that does not exist. Free *out with report_free. (report.h is not
 * included here: its field names clash with the macros of <term.h>.)
 */
int	 service_report(struct service *, const char *unit, int64_t from, int64_t to,
	     int group, struct report **out, char **cause);

/* ---- the public login ------------------------------------------------------------------- */

/*
 * The service of the public read-only login: a citizen's lookup of one dossier and the public
 * board (public.h), and nothing else. It is an object of its own type, opened for no user,
 * so none of the functions above can be called on it: the officers' screens and data are out
 * of its reach whatever its interface asks. Its attempts are bounded per service (a session):
 * see struct public_limit.
 */
struct service_public;
struct public_dossier;
struct public_board;

struct service_public	*service_open_public(const char *db_path, const struct catalog *,
			     char **cause);
void			 service_close_public(struct service_public *);
const struct catalog	*service_public_catalog(struct service_public *);

/* Have a line written (to the server's log) for every miss; the digits are never in it. */
void	 service_public_set_log(struct service_public *, void (*)(void *, const char *),
	     void *arg);

enum service_lookup {
	SERVICE_LOOKUP_FOUND,		/* *out set: free it with public_dossier_free */
	SERVICE_LOOKUP_MISS,		/* no dossier with this code and these digits */
	SERVICE_LOOKUP_WAIT,		/* too many misses: *wait seconds before the next try */
	SERVICE_LOOKUP_OVER,		/* too many misses: no more tries in this session */
	SERVICE_LOOKUP_ERROR		/* *cause set */
};
enum service_lookup	 service_public_lookup(struct service_public *, const char *code,
			     const char *digits, struct public_dossier **out, int *wait,
			     char **cause);

/*
 * The board as of now, built at most once a minute per service: *out belongs to the service
 * and stays valid until the next call or service_close_public.
 */
int	 service_public_board(struct service_public *, const struct public_board **out,
	     char **cause);

#endif
