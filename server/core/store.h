/*
 * store.h: the SQLite store. All SQL of motcua lives in store*.c and migrate.c.
 *
 * One database file opened in WAL mode with synchronous=FULL, foreign keys and a busy timeout,
 * checked after setting; every write transaction is BEGIN IMMEDIATE. Open the store in the
 * process that uses it (after fork, never before). Functions returning int return 0 on
 * success or -1 with *cause set (caller frees); lookups that can miss say so explicitly.
 *
 * The row functions (store_dossier_*, store_event_*, store_pause_*, store_code_*) are the raw
 * layer under dossier.c and check no scope; the list and count queries take the actor and
 * refuse a unit it may not read.
 */
#ifndef MOTCUA_STORE_H
#define MOTCUA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dossier.h"

struct catalog_procedure;
struct store;

#define STORE_BUSY_TIMEOUT	10000	/* milliseconds */

/* Open (creating if needed) and migrate the database at path. NULL with *cause on failure. */
struct store	*store_open(const char *path, char **cause);
void		 store_close(struct store *);
/*
 * Give the connections this process opens from now on a page cache of STORE_SMALL_CACHE KiB
 * instead of SQLite's 2 MB, for a process that keeps one connection open while it is mostly
 * idle (the operating system still caches the file).
 */
#define STORE_SMALL_CACHE	64
void		 store_use_small_cache(void);

/* The schema version of the open database. */
int		 store_schema_version(struct store *);

/* The settings in effect on the store's connection, read back from SQLite. */
struct store_info {
	char	journal_mode[16];	/* "wal" */
	int	synchronous;		/* 2 = FULL */
	int	foreign_keys;		/* 1 = on */
	int	busy_timeout;		/* milliseconds */
	int	schema_version;
};
int		 store_info(struct store *, struct store_info *, char **cause);

/* Write transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails). */
int		 store_begin(struct store *, char **cause);
int		 store_commit(struct store *, char **cause);
void		 store_rollback(struct store *);

/* ---- users and keys (store-user.c) ---------------------------------------------------- */

struct store_user {
	int64_t		 id;
	char		*login;
	char		*full_name;
	enum role	 role;
	char		*unit;		/* NULL for monitors and administrators */
	char		*department;	/* NULL for monitors and administrators */
	char		*password_hash;	/* NULL if none */
	bool		 disabled;
	int64_t		 created_at;
};

struct store_key {
	int64_t		 id;
	int64_t		 user;
	char		*type;		/* "ssh-ed25519" */
	char		*blob;		/* base64 */
	char		*comment;
};

/*
 * Add a user (login, full_name, role, unit, department, password_hash, disabled are read
 * from u). *id (may be NULL) receives the new id. A login in use is refused.
 */
int		 store_user_add(struct store *, const struct store_user *u, int64_t now,
		     int64_t *id, char **cause);
/* Look a user up; 0 with *out NULL if there is none. Free with store_user_free. */
int		 store_user_get(struct store *, int64_t id, struct store_user **out,
		     char **cause);
int		 store_user_by_login(struct store *, const char *login,
		     struct store_user **out, char **cause);
/* All users ordered by login. Free with store_user_list_free. */
int		 store_user_list(struct store *, struct store_user ***out, size_t *n,
		     char **cause);
/* Change a user's full name, role, unit and department (from u, by u->id). */
int		 store_user_update(struct store *, const struct store_user *u, char **cause);
int		 store_user_set_password(struct store *, int64_t id, const char *hash,
		     char **cause);
int		 store_user_set_disabled(struct store *, int64_t id, bool disabled,
		     char **cause);
/* Delete a user without history; a user who acted on dossiers is refused: disable it. */
int		 store_user_delete(struct store *, int64_t id, char **cause);
void		 store_user_free(struct store_user *);
void		 store_user_list_free(struct store_user **, size_t);
/* Fill an actor from a user; the actor points into the user's strings. */
void		 store_user_actor(const struct store_user *, struct actor *);

int		 store_key_add(struct store *, int64_t user, const char *type,
		     const char *blob, const char *comment, int64_t *id, char **cause);
int		 store_key_remove(struct store *, int64_t user, int64_t id, char **cause);
int		 store_key_list(struct store *, int64_t user, struct store_key **out,
		     size_t *n, char **cause);
void		 store_key_list_free(struct store_key *, size_t);
/* Return 1 if the user holds the key, 0 if not, -1 with *cause set on error. */
int		 store_key_match(struct store *, int64_t user, const char *type,
		     const char *blob, char **cause);

/* ---- drafts (store-user.c): the intake form being typed, one per user ----------------- */

int		 store_draft_save(struct store *, int64_t user, const char *key,
		     const char *content, int64_t now, char **cause);
/* 0 with *content NULL if the user has no draft; *key and *content are the caller's. */
int		 store_draft_load(struct store *, int64_t user, char **key, char **content,
		     int64_t *updated_at, char **cause);
int		 store_draft_delete(struct store *, int64_t user, char **cause);

/* ---- dossier rows: the raw layer of dossier.c (store-dossier.c) ------------------------ */

/*
 * Make sure the procedure version and the steps of all its variants are stored; *id receives
 * the row id. Call inside a write transaction.
 */
int		 store_procedure_ensure(struct store *, const struct catalog_procedure *,
		     int64_t now, int64_t *id, char **cause);
/* Allocate the next daily sequence number (from 1) of a unit; call inside the transaction. */
int		 store_code_next(struct store *, const char *unit, const char *yymmdd,
		     int *seq, char **cause);
/* The code of the dossier with this idempotency key, and its receiver; *code NULL if none. */
int		 store_dossier_by_key(struct store *, const char *key, char **code,
		     int64_t *received_by, char **cause);
/*
 * Insert a new dossier from d (every stored field except id, last_event and the names) and
 * its documents; d->id receives the row id. Call inside the transaction.
 */
int		 store_dossier_insert(struct store *, struct dossier *d, char **cause);
/* Load a dossier with its steps and documents; 0 with *out NULL if there is none. */
int		 store_dossier_load(struct store *, const char *code, struct dossier **out,
		     char **cause);
/* Write the mutable fields (state … appointment_at) of a dossier back, by d->id. */
int		 store_dossier_update(struct store *, const struct dossier *d, char **cause);
/* Append an event; e->id receives its id. */
int		 store_event_add(struct store *, struct dossier_event *e, char **cause);
int		 store_event_list(struct store *, int64_t dossier, struct dossier_event **out,
		     size_t *n, char **cause);
/* Open a pause ('supplement' or 'financial') and close the open one. */
int		 store_pause_start(struct store *, int64_t dossier, const char *kind,
		     int64_t at, int64_t by, const char *note, char **cause);
int		 store_pause_end(struct store *, int64_t dossier, int64_t at, int64_t by,
		     int64_t seconds, char **cause);
/* Delete the user's draft if it carries this idempotency key (after an intake). */
int		 store_draft_consume(struct store *, int64_t user, const char *key,
		     char **cause);
int		 store_guidance_add(struct store *, const char *unit, const char *procedure,
		     const char *applicant_name, const char *missing, int64_t at, int64_t by,
		     int64_t *id, char **cause);

/* ---- queries (store-dossier.c); all take the actor and check its scope ---------------- */

/* counts[s] = dossiers of the unit in state s (1..10); counts[0] is the total. */
int		 store_count_by_state(struct store *, const struct actor *, const char *unit,
		     int64_t counts[STATE_MAX + 1], char **cause);
/* States 2|4 whose step deadline has passed (step_due_at < now), by step_due_at. */
int		 store_step_late(struct store *, const struct actor *, const char *unit,
		     int64_t now, size_t limit, struct dossier_list *out, char **cause);
/* States 2|4 past their appointment (due_at < now), the first limit by due_at. */
int		 store_overdue(struct store *, const struct actor *, const char *unit,
		     int64_t now, size_t limit, struct dossier_list *out, char **cause);
/*
 * States 2|4 due in [now, until]: until is computed by the caller, normally
 * calendar_add(now, due_soon_hours * 3600).
 */
int		 store_due_soon(struct store *, const struct actor *, const char *unit,
		     int64_t now, int64_t until, size_t limit, struct dossier_list *out,
		     char **cause);

/* A queue: the dossiers of a unit, optionally of one department, officer and states. */
struct store_queue {
	const char	*unit;		/* required */
	const char	*department;	/* NULL: every department */
	int64_t		 officer;	/* 0: any */
	unsigned int	 states;	/* mask of 1u << state; 0: the open states 2|4|5|6 */
	size_t		 offset;	/* paging */
	size_t		 limit;		/* at most this many (1..1000) */
};
/* Ordered by due date (no deadline last), then code. *total (may be NULL) counts all. */
int		 store_queue_list(struct store *, const struct actor *,
		     const struct store_queue *, struct dossier_list *out, size_t *total,
		     char **cause);

/* ---- the officers' service (store-service.c) ------------------------------------------ */

/*
 * Relax durability for a bulk fill such as the demo's: on sets synchronous=OFF, off sets
 * synchronous=FULL again. Never leave it on in a serving process.
 */
int		 store_set_bulk(struct store *, bool on, char **cause);

/* The counts of a dashboard. */
struct store_counts {
	int64_t	received_today;		/* received_at >= midnight, not refused at intake */
	int64_t	in_progress;		/* states 2|4 */
	int64_t	due_soon;		/* states 2|4, due_at in [now, soon_until] */
	int64_t	step_late;		/* states 2|4, step_due_at < now */
	int64_t	overdue;		/* states 2|4, due_at < now */
	int64_t	waiting;		/* states 5|6 */
	int64_t	ready;			/* state 9 */
};
/* The dashboard counts of one unit, or of one department of it (department not NULL). */
int		 store_dashboard_counts(struct store *, const struct actor *,
		     const char *unit, const char *department, int64_t midnight, int64_t now,
		     int64_t soon_until, struct store_counts *, char **cause);

enum store_filter {
	STORE_FILTER_NONE,		/* the states of the search */
	STORE_FILTER_UNASSIGNED,	/* the states of the search, no officer */
	STORE_FILTER_DUE_WINDOW,	/* states 2|4, due_at in [now, until] */
	STORE_FILTER_STEP_LATE,		/* states 2|4, step_due_at < now */
	STORE_FILTER_OVERDUE		/* states 2|4, due_at < now */
};
enum store_order {
	STORE_ORDER_DUE,		/* due_at (none last), then code */
	STORE_ORDER_STEP_DUE,		/* step_due_at (none last), then code */
	STORE_ORDER_NEWEST,		/* received_at, newest first */
	STORE_ORDER_RETURNED		/* returned_at, newest first */
};
/* A search of the dossiers of some units. */
struct store_search {
	const char *const	*units;		/* 1 to 32 units, each readable by the actor */
	size_t			 nunits;
	const char		*department;	/* NULL: every department */
	int64_t			 officer;	/* 0: any */
	unsigned int		 states;	/* mask of 1u << state, for the first two filters */
	enum store_filter	 filter;
	int64_t			 now;
	int64_t			 until;
	/*
	 * NULL or empty: no search. Else a dossier matches if its code starts with the text
	 * (case-insensitive), its applicant's or owner's ID number starts with it (all
	 * digits), or every folded word of it begins a word of the applicant's folded name.
	 */
	const char		*text;
	enum store_order	 order;
	size_t			 offset;
	size_t			 limit;		/* 1..1000; 0 means 1000 */
};
int		 store_search(struct store *, const struct actor *,
		     const struct store_search *, struct dossier_list *out, size_t *total,
		     char **cause);

/* The active users of a department of a unit, by full name (store_user_list_free). */
int		 store_user_department(struct store *, const char *unit,
		     const char *department, struct store_user ***out, size_t *n,
		     char **cause);

/* The code and time of the newest dossier the user took in (received or refused) in the
 * unit; *code NULL if none. */
int		 store_last_received(struct store *, int64_t user, const char *unit,
		     char **code, int64_t *at, char **cause);

/* What needs a user's attention (see service_alerts). */
struct store_alerts {
	int64_t	assigned_new;	/* assign events after since naming the user, by others */
	int64_t	due_soon;	/* the user's dossiers in states 2|4 due in [now, soon_until] */
	int64_t	overdue;	/* ... due before now */
	int64_t	latest_event;	/* the newest event id (0 if none) */
};
int		 store_alert_counts(struct store *, int64_t user, int64_t since, int64_t now,
		     int64_t soon_until, struct store_alerts *, char **cause);

/* ---- the audit chain of the events table (store-audit.c, audit.h) -------------------- */

struct audit_value;
struct sqlite3;

/*
 * Record an administrator's action as an event: actor is the administrator's user id, or 0
 * for "local" (motcuad admin on the server host); action is one of "init", "user_add",
 * "user_update", "user_disable", "user_enable", "user_passwd", "user_key_add",
 * "user_key_remove", "catalog_reload", "backup"; subject (the login, catalog version or file
 * acted on) and note may be NULL. Inside an open write transaction it is part of it (call it
 * in the same transaction as the change); outside one it runs in its own BEGIN IMMEDIATE.
 */
int		 store_admin_event(struct store *, int64_t actor, const char *action,
		     const char *subject, const char *note, int64_t at, char **cause);
/*
 * Append a row to the events table from its fields (audit.h; the id field is ignored and
 * set to the next id), chained to the newest row's hash; *id (may be NULL) receives the id.
 * Inside or outside a write transaction, as store_admin_event.
 */
int		 store_audit_append(struct store *, struct audit_value *fields, int64_t *id,
		     char **cause);
/* One event row as stored, for store_audit_walk; valid only during the callback. */
struct store_audit_row {
	const struct audit_value *fields;	/* AUDIT_NFIELDS values */
	const char		*hash;		/* the stored hash, NULL if NULL */
	size_t			 hash_len;
	const char		*dossier_code;	/* NULL for an administrator's event */
};
/*
 * Call fn on every event row in id order, in one read snapshot, until it returns non-zero.
 * Returns 0, or -1 with *cause set if the rows could not be read.
 */
int		 store_audit_walk(struct store *,
		     int (*fn)(const struct store_audit_row *, void *), void *arg,
		     char **cause);
/* Register the SQL function motcua_event_hash (used by migration 0002) on a connection. */
int		 store_audit_register(struct sqlite3 *);

/* ---- period reports (store-report.c): the rows report.c counts ------------------------ */

struct report_book;

/* What one report query reads: one unit the actor may read, optional filters, [from, to). */
struct store_report_filter {
	const char	*unit;		/* required */
	const char	*field;		/* NULL: every field */
	const char	*procedure;	/* NULL: every procedure */
	int64_t		 from;
	int64_t		 to;
};
/* A dossier as a report sees it; the strings are valid only during the callback. */
struct store_report_row {
	int64_t			 id;
	const char		*field;
	const char		*procedure;
	enum dossier_channel	 channel;
	int			 state;
	int64_t			 received_at;
	int64_t			 due_at;	/* 0: no deadline */
	int64_t			 resolved_at;	/* 0: not resolved */
	int64_t			 closed_at;	/* 0: not closed */
	int64_t			 paused_at;	/* 0: not paused now */
	int64_t			 at;		/* supplements: when it was requested */
};
/*
 * Call fn on every dossier of the unit received in [from, to) (refusals at intake excepted),
 * or received before from and not finished then (no resolved_at nor closed_at before from),
 * until fn returns non-zero. Returns 0, or -1 with *cause set (a unit the actor may not read
 * is "no unit X").
 */
int		 store_report_dossiers(struct store *, const struct actor *,
		     const struct store_report_filter *,
		     int (*fn)(const struct store_report_row *, void *), void *arg,
		     char **cause);
/*
 * Call fn on every supplement requested in [from, to) for a dossier of the unit (id, field,
 * procedure and at are set), ordered by dossier and then time.
 */
int		 store_report_supplements(struct store *, const struct actor *,
		     const struct store_report_filter *,
		     int (*fn)(const struct store_report_row *, void *), void *arg,
		     char **cause);
/*
 * Fill *out with the dossiers of the unit received in [from, to), refusals at intake
 * excepted, by receipt then code, at most limit (0: all). On failure the lines read so far
 * stay in *out for the caller to free.
 */
int		 store_report_book(struct store *, const struct actor *, const char *unit,
		     int64_t from, int64_t to, size_t limit, struct report_book *out,
		     char **cause);

/* ---- online backup (store-backup.c) --------------------------------------------------- */

/*
 * Copy a consistent snapshot of the store into a new database file at path (created with mode
 * 0600; it must not exist), page by page under one read transaction: other connections go on
 * writing, and the copy is the store as it was when the copy began. progress (may be NULL) is
 * called after each batch of pages with the pages copied so far and the total. *bytes receives
 * the size of the copy. Call it outside a transaction. Returns 0, or -1 with *cause set and
 * the file removed.
 */
int		 store_backup(struct store *, const char *path,
		     void (*progress)(int64_t done, int64_t total, void *arg), void *arg,
		     int64_t *bytes, char **cause);

#endif
