/* store-report.c: the queries of the period reports and the tracking book (report.c). */
#include "config.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dossier.h"
#include "report.h"
#include "store.h"
#include "store-internal.h"
#include "xmalloc.h"

/* The columns every report row reads, in the order store_report_read expects them. */
#define STORE_REPORT_COLUMNS \
	"id, field, procedure_code, channel, state, received_at, due_at, resolved_at, " \
	"closed_at, paused_at "
/* The field and procedure filters (?4, ?5: NULL for any). */
#define STORE_REPORT_FILTER \
	"AND (?4 IS NULL OR field = ?4) AND (?5 IS NULL OR procedure_code = ?5) "
/* A refusal at intake: state 3 from the first event, closed when received. */
#define STORE_REPORT_INTAKE_REFUSAL \
	"(state = 3 AND closed_at = received_at AND EXISTS (SELECT 1 FROM events WHERE " \
	"events.dossier = dossiers.id AND events.action = 'refuse_intake')) "

/*
 * The dossiers a period report reads for one unit, in three index ranges: received in the
 * period (dossiers_report, which holds every column read here, so the table is not read);
 * received before it and finished in it or later (dossiers_unit_finished); received before it
 * and not finished.
 */
static const char store_report_dossiers_sql[] =
    "SELECT " STORE_REPORT_COLUMNS "FROM dossiers INDEXED BY dossiers_report "
    "WHERE unit = ?1 AND received_at >= ?2 AND received_at < ?3 " STORE_REPORT_FILTER
    "AND NOT " STORE_REPORT_INTAKE_REFUSAL
    "UNION ALL "
    "SELECT " STORE_REPORT_COLUMNS "FROM dossiers INDEXED BY dossiers_unit_finished "
    "WHERE unit = ?1 AND "
    "coalesce(resolved_at, closed_at) >= ?2 AND received_at < ?2 " STORE_REPORT_FILTER
    "UNION ALL "
    "SELECT " STORE_REPORT_COLUMNS "FROM dossiers INDEXED BY dossiers_unit_finished "
    "WHERE unit = ?1 AND "
    "coalesce(resolved_at, closed_at) IS NULL AND received_at < ?2 " STORE_REPORT_FILTER;

/*
 * The supplements requested in the period for the unit's dossiers, driven by the request
 * instant (pauses_supplement); CROSS JOIN keeps the pauses as the outer loop.
 */
static const char store_report_supplements_sql[] =
    "SELECT d.id, d.field, d.procedure_code, p.started_at FROM pauses p CROSS JOIN "
    "dossiers d ON d.id = p.dossier WHERE p.kind = 'supplement' AND p.started_at >= ?2 AND "
    "p.started_at < ?3 AND d.unit = ?1 AND (?4 IS NULL OR d.field = ?4) AND "
    "(?5 IS NULL OR d.procedure_code = ?5) ORDER BY d.id, p.started_at";

/* The tracking book: the dossiers received in the period, refusals at intake excluded. */
static const char store_report_book_sql[] =
    "SELECT code, procedure_code, applicant_name, unit, state, received_at, due_at, "
    "resolved_at, returned_at FROM dossiers INDEXED BY dossiers_unit_received "
    "WHERE unit = ?1 AND received_at >= ?2 AND received_at < ?3 "
    "AND NOT " STORE_REPORT_INTAKE_REFUSAL
    "ORDER BY received_at, code LIMIT ?4";

/* Refuse a unit the actor may not read, exactly like one that does not exist. */
static int
store_report_scope(const struct actor *a, const char *unit, char **cause)
{
	if (unit == NULL || !dossier_can_read_unit(a, unit)) {
		*cause = xasprintf("no unit %s", unit == NULL ? "given" : unit);
		return -1;
	}
	return 0;
}

/* Prepare one of the report statements and bind the filter to ?1 … ?5. */
static sqlite3_stmt *
store_report_prepare(struct store *st, const char *sql, const struct store_report_filter *f,
    char **cause)
{
	sqlite3_stmt	*stmt;

	if ((stmt = store_prepare(st, sql, cause)) == NULL)
		return NULL;
	store_bind_text(stmt, 1, f->unit);
	sqlite3_bind_int64(stmt, 2, f->from);
	sqlite3_bind_int64(stmt, 3, f->to);
	store_bind_text(stmt, 4, f->field);
	store_bind_text(stmt, 5, f->procedure);
	return stmt;
}

/* A text column as a pointer into the statement ("" if NULL); valid until the next step. */
static const char *
store_report_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char	*s;

	s = sqlite3_column_text(stmt, col);
	return s == NULL ? "" : (const char *)s;
}

/* Read the dossier of the current row. */
static void
store_report_read(sqlite3_stmt *stmt, struct store_report_row *r)
{
	const char	*channel;

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(stmt, 0);
	r->field = store_report_text(stmt, 1);
	r->procedure = store_report_text(stmt, 2);
	channel = store_report_text(stmt, 3);
	if (channel[0] == 'c')
		r->channel = CHANNEL_COUNTER;
	else if (channel[0] == 'p')
		r->channel = CHANNEL_POST;
	else
		r->channel = CHANNEL_ONLINE;
	r->state = sqlite3_column_int(stmt, 4);
	r->received_at = store_column_time(stmt, 5);
	r->due_at = store_column_time(stmt, 6);
	r->resolved_at = store_column_time(stmt, 7);
	r->closed_at = store_column_time(stmt, 8);
	r->paused_at = store_column_time(stmt, 9);
	r->at = r->received_at;
}

/* Read the supplement request of the current row. */
static void
store_report_read_supplement(sqlite3_stmt *stmt, struct store_report_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(stmt, 0);
	r->field = store_report_text(stmt, 1);
	r->procedure = store_report_text(stmt, 2);
	r->at = sqlite3_column_int64(stmt, 3);
}

/* Call fn for every dossier of one unit a report needs, or every supplement request. */
static int
store_report_each(struct store *st, const struct actor *a,
    const struct store_report_filter *f, bool supplements,
    int (*fn)(const struct store_report_row *, void *), void *arg, char **cause)
{
	struct store_report_row	 r;
	sqlite3_stmt		*stmt;
	int			 rc;

	if (store_report_scope(a, f->unit, cause) != 0)
		return -1;
	stmt = store_report_prepare(st, supplements ? store_report_supplements_sql :
	    store_report_dossiers_sql, f, cause);
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (supplements)
			store_report_read_supplement(stmt, &r);
		else
			store_report_read(stmt, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, supplements ? "report supplements" : "report", cause);
		store_release(st, stmt);
		return -1;
	}
	store_release(st, stmt);
	return 0;
}

/* Call fn for every dossier a period report of one unit needs. */
int
store_report_dossiers(struct store *st, const struct actor *a,
    const struct store_report_filter *f, int (*fn)(const struct store_report_row *, void *),
    void *arg, char **cause)
{
	return store_report_each(st, a, f, false, fn, arg, cause);
}

/* Call fn for every supplement requested in the period for one unit's dossiers. */
int
store_report_supplements(struct store *st, const struct actor *a,
    const struct store_report_filter *f, int (*fn)(const struct store_report_row *, void *),
    void *arg, char **cause)
{
	return store_report_each(st, a, f, true, fn, arg, cause);
}

/* The lines of the tracking book of one unit. */
int
store_report_book(struct store *st, const struct actor *a, const char *unit, int64_t from,
    int64_t to, size_t limit, struct report_book *out, char **cause)
{
	struct report_book_line	*l;
	sqlite3_stmt		*stmt;
	size_t			 size = 0;
	int			 rc;

	memset(out, 0, sizeof *out);
	if (store_report_scope(a, unit, cause) != 0)
		return -1;
	if ((stmt = store_prepare(st, store_report_book_sql, cause)) == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	sqlite3_bind_int64(stmt, 2, from);
	sqlite3_bind_int64(stmt, 3, to);
	sqlite3_bind_int64(stmt, 4, limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (out->nlines == size) {
			size = size == 0 ? 64 : size * 2;
			out->lines = xreallocarray(out->lines, size, sizeof *out->lines);
		}
		l = &out->lines[out->nlines++];
		l->code = store_column_text(stmt, 0);
		l->procedure_code = store_column_text(stmt, 1);
		l->applicant_name = store_column_text(stmt, 2);
		l->unit = store_column_text(stmt, 3);
		l->state = sqlite3_column_int(stmt, 4);
		l->received_at = store_column_time(stmt, 5);
		l->due_at = store_column_time(stmt, 6);
		l->resolved_at = store_column_time(stmt, 7);
		l->returned_at = store_column_time(stmt, 8);
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "tracking book", cause);
	return 0;
}
