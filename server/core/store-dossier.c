/* store-dossier.c: dossier rows, their events and pauses, procedure versions, codes, queries. */
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "catalog.h"
#include "dossier.h"
#include "store.h"
#include "store-internal.h"
#include "text.h"
#include "xmalloc.h"

#define STORE_OPEN_STATES \
	((1u << STATE_RECEIVED) | (1u << STATE_PROCESSING) | (1u << STATE_SUPPLEMENT) | \
	 (1u << STATE_FINANCIAL))

/* Make sure the procedure version and its steps are stored; *id receives the row id. */
int
store_procedure_ensure(struct store *st, const struct catalog_procedure *p, int64_t now,
    int64_t *id, char **cause)
{
	sqlite3_stmt			*stmt;
	const struct catalog_variant	*v;
	const struct catalog_step	*s;
	size_t				 i, j;
	int				 rc;

	stmt = store_prepare(st, "SELECT id FROM procedure_versions WHERE code = ?1 AND "
	    "version = ?2", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, p->code);
	store_bind_text(stmt, 2, p->version);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		store_release(st, stmt);
		return 0;
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "procedure version", cause);

	stmt = store_prepare(st, "INSERT INTO procedure_versions(code, version, name, field, "
	    "canonical, first_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, p->code);
	store_bind_text(stmt, 2, p->version);
	store_bind_text(stmt, 3, p->name);
	store_bind_text(stmt, 4, p->field);
	store_bind_text(stmt, 5, p->canonical == NULL ? "" : p->canonical);
	sqlite3_bind_int64(stmt, 6, now);
	if (store_step_done(st, stmt, "procedure version", cause) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);

	for (i = 0; i < p->nvariants; i++) {
		v = &p->variants[i];
		for (j = 0; j < v->nsteps; j++) {
			s = &v->steps[j];
			stmt = store_prepare(st, "INSERT INTO procedure_steps(procedure_version, "
			    "variant, step, dept, name, centidays, pause_citizen) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", cause);
			if (stmt == NULL)
				return -1;
			sqlite3_bind_int64(stmt, 1, *id);
			sqlite3_bind_int(stmt, 2, (int)i);
			sqlite3_bind_int(stmt, 3, (int)j);
			store_bind_text(stmt, 4, s->dept);
			store_bind_text(stmt, 5, s->name == NULL ? "" : s->name);
			sqlite3_bind_int(stmt, 6, s->centidays);
			sqlite3_bind_int(stmt, 7, s->pause_citizen ? 1 : 0);
			if (store_step_done(st, stmt, "procedure steps", cause) != 0)
				return -1;
		}
	}
	return 0;
}

/* Allocate the next daily sequence number of a unit, inside the caller's transaction. */
int
store_code_next(struct store *st, const char *unit, const char *yymmdd, int *seq,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "INSERT INTO code_sequences(unit, day, last) "
	    "VALUES (?1, ?2, 1) ON CONFLICT(unit, day) DO UPDATE SET last = last + 1 "
	    "RETURNING last", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	store_bind_text(stmt, 2, yymmdd);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int(stmt, 0);
		rc = sqlite3_step(stmt);
	}
	store_release(st, stmt);
	if (rc == SQLITE_CONSTRAINT_CHECK) {
		*cause = xasprintf("unit %s has used all 9999 dossier codes of day %s", unit,
		    yymmdd);
		return -1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, "dossier code", cause);
	return 0;
}

/* The code and receiver of the dossier with this idempotency key; *code NULL if none. */
int
store_dossier_by_key(struct store *st, const char *key, char **code, int64_t *received_by,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*code = NULL;
	*received_by = 0;
	stmt = store_prepare(st, "SELECT code, received_by FROM dossiers "
	    "WHERE idempotency_key = ?1", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*code = store_column_text(stmt, 0);
		*received_by = sqlite3_column_int64(stmt, 1);
	}
	store_release(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "idempotency key", cause);
	return 0;
}

/* Insert a new dossier and its documents; d->id receives the row id. */
int
store_dossier_insert(struct store *st, struct dossier *d, char **cause)
{
	sqlite3_stmt	*stmt;
	char		*folded;
	size_t		 i;

	stmt = store_prepare(st, "INSERT INTO dossiers(code, procedure_version, "
	    "procedure_code, variant, unit, field, applicant_name, applicant_id, "
	    "applicant_phone, applicant_address, applicant_commune, owner_name, owner_id, "
	    "owner_address, request, channel, state, step, department, officer, received_by, "
	    "received_at, due_at, step_due_at, paused_at, resolved_at, returned_at, closed_at, "
	    "apology_at, appointment_at, idempotency_key, sets, applicant_folded) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
	    "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, d->code);
	sqlite3_bind_int64(stmt, 2, d->procedure_version);
	store_bind_text(stmt, 3, d->procedure_code);
	sqlite3_bind_int(stmt, 4, d->variant);
	store_bind_text(stmt, 5, d->unit);
	store_bind_text(stmt, 6, d->field);
	store_bind_text(stmt, 7, d->applicant_name);
	store_bind_text(stmt, 8, d->applicant_id);
	store_bind_text(stmt, 9, d->applicant_phone == NULL ? "" : d->applicant_phone);
	store_bind_text(stmt, 10, d->applicant_address == NULL ? "" : d->applicant_address);
	store_bind_text(stmt, 11, d->applicant_commune == NULL ? "" : d->applicant_commune);
	store_bind_text(stmt, 12, d->owner_name);
	store_bind_text(stmt, 13, d->owner_id);
	store_bind_text(stmt, 14, d->owner_address);
	store_bind_text(stmt, 15, d->request == NULL ? "" : d->request);
	store_bind_text(stmt, 16, dossier_channel_name(d->channel));
	sqlite3_bind_int(stmt, 17, (int)d->state);
	sqlite3_bind_int(stmt, 18, d->step);
	store_bind_text(stmt, 19, d->department);
	store_bind_time(stmt, 20, d->officer);
	sqlite3_bind_int64(stmt, 21, d->received_by);
	sqlite3_bind_int64(stmt, 22, d->received_at);
	store_bind_time(stmt, 23, d->due_at);
	store_bind_time(stmt, 24, d->step_due_at);
	store_bind_time(stmt, 25, d->paused_at);
	store_bind_time(stmt, 26, d->resolved_at);
	store_bind_time(stmt, 27, d->returned_at);
	store_bind_time(stmt, 28, d->closed_at);
	store_bind_time(stmt, 29, d->apology_at);
	store_bind_time(stmt, 30, d->appointment_at);
	store_bind_text(stmt, 31, d->idempotency_key);
	sqlite3_bind_int(stmt, 32, d->sets);
	folded = text_fold(d->applicant_name);
	store_bind_text(stmt, 33, folded);
	free(folded);
	if (store_step_done(st, stmt, "insert dossier", cause) != 0)
		return -1;
	d->id = sqlite3_last_insert_rowid(st->db);

	for (i = 0; i < d->ndocuments; i++) {
		stmt = store_prepare(st, "INSERT INTO dossier_documents(dossier, position, name, "
		    "originals, copies) VALUES (?1, ?2, ?3, ?4, ?5)", cause);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, d->id);
		sqlite3_bind_int(stmt, 2, (int)i);
		store_bind_text(stmt, 3, d->documents[i].name);
		sqlite3_bind_int(stmt, 4, d->documents[i].originals);
		sqlite3_bind_int(stmt, 5, d->documents[i].copies);
		if (store_step_done(st, stmt, "insert documents", cause) != 0)
			return -1;
	}
	return 0;
}

/* Load the steps of a dossier's procedure variant. */
static int
store_dossier_steps(struct store *st, struct dossier *d, char **cause)
{
	sqlite3_stmt		*stmt;
	struct dossier_step	*s;
	int			 rc;

	stmt = store_prepare(st, "SELECT dept, name, centidays, pause_citizen "
	    "FROM procedure_steps WHERE procedure_version = ?1 AND variant = ?2 ORDER BY step",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, d->procedure_version);
	sqlite3_bind_int(stmt, 2, d->variant);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		d->steps = xreallocarray(d->steps, d->nsteps + 1, sizeof *d->steps);
		s = &d->steps[d->nsteps++];
		s->dept = store_column_text(stmt, 0);
		s->name = store_column_text(stmt, 1);
		s->centidays = sqlite3_column_int(stmt, 2);
		s->pause_citizen = sqlite3_column_int(stmt, 3) != 0;
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "procedure steps", cause);
	return 0;
}

/* Load the documents received with a dossier. */
static int
store_dossier_documents(struct store *st, struct dossier *d, char **cause)
{
	sqlite3_stmt		*stmt;
	struct dossier_document	*doc;
	int			 rc;

	stmt = store_prepare(st, "SELECT name, originals, copies FROM dossier_documents "
	    "WHERE dossier = ?1 ORDER BY position", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, d->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		d->documents = xreallocarray(d->documents, d->ndocuments + 1,
		    sizeof *d->documents);
		doc = &d->documents[d->ndocuments++];
		doc->name = store_column_text(stmt, 0);
		doc->originals = sqlite3_column_int(stmt, 1);
		doc->copies = sqlite3_column_int(stmt, 2);
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "dossier documents", cause);
	return 0;
}

/* Load a dossier with its steps and documents; *out NULL if there is none. */
int
store_dossier_load(struct store *st, const char *code, struct dossier **out, char **cause)
{
	sqlite3_stmt	*stmt;
	struct dossier	*d;
	const char	*s;
	int		 rc;

	*out = NULL;
	stmt = store_prepare(st, "SELECT d.id, d.code, d.procedure_version, d.procedure_code, "
	    "pv.version, pv.name, d.variant, d.unit, d.field, d.applicant_name, "
	    "d.applicant_id, d.applicant_phone, d.applicant_address, d.applicant_commune, "
	    "d.owner_name, d.owner_id, d.owner_address, d.request, d.channel, d.sets, d.state, "
	    "d.step, d.department, d.officer, uo.full_name, d.received_by, ur.full_name, "
	    "d.received_at, d.due_at, d.step_due_at, d.paused_at, d.resolved_at, "
	    "d.returned_at, d.closed_at, d.apology_at, d.appointment_at, d.idempotency_key, "
	    "(SELECT max(e.id) FROM events e WHERE e.dossier = d.id) "
	    "FROM dossiers d JOIN procedure_versions pv ON pv.id = d.procedure_version "
	    "JOIN users ur ON ur.id = d.received_by LEFT JOIN users uo ON uo.id = d.officer "
	    "WHERE d.code = ?1", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, code);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		store_release(st, stmt);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(st, "load dossier", cause);
	}

	d = xcalloc(1, sizeof *d);
	d->id = sqlite3_column_int64(stmt, 0);
	d->code = store_column_text(stmt, 1);
	d->procedure_version = sqlite3_column_int64(stmt, 2);
	d->procedure_code = store_column_text(stmt, 3);
	d->procedure_hash = store_column_text(stmt, 4);
	d->procedure_name = store_column_text(stmt, 5);
	d->variant = sqlite3_column_int(stmt, 6);
	d->unit = store_column_text(stmt, 7);
	d->field = store_column_text(stmt, 8);
	d->applicant_name = store_column_text(stmt, 9);
	d->applicant_id = store_column_text(stmt, 10);
	d->applicant_phone = store_column_text(stmt, 11);
	d->applicant_address = store_column_text(stmt, 12);
	d->applicant_commune = store_column_text(stmt, 13);
	d->owner_name = store_column_text(stmt, 14);
	d->owner_id = store_column_text(stmt, 15);
	d->owner_address = store_column_text(stmt, 16);
	d->request = store_column_text(stmt, 17);
	s = (const char *)sqlite3_column_text(stmt, 18);
	if (s == NULL || dossier_channel_from_name(s, &d->channel) != 0)
		d->channel = CHANNEL_COUNTER;	/* unreachable: a CHECK constraint */
	d->sets = sqlite3_column_int(stmt, 19);
	d->state = (enum dossier_state)sqlite3_column_int(stmt, 20);
	d->step = sqlite3_column_int(stmt, 21);
	d->department = store_column_text(stmt, 22);
	d->officer = store_column_time(stmt, 23);
	d->officer_name = store_column_text(stmt, 24);
	d->received_by = sqlite3_column_int64(stmt, 25);
	d->received_by_name = store_column_text(stmt, 26);
	d->received_at = sqlite3_column_int64(stmt, 27);
	d->due_at = store_column_time(stmt, 28);
	d->step_due_at = store_column_time(stmt, 29);
	d->paused_at = store_column_time(stmt, 30);
	d->resolved_at = store_column_time(stmt, 31);
	d->returned_at = store_column_time(stmt, 32);
	d->closed_at = store_column_time(stmt, 33);
	d->apology_at = store_column_time(stmt, 34);
	d->appointment_at = store_column_time(stmt, 35);
	d->idempotency_key = store_column_text(stmt, 36);
	d->last_event = store_column_time(stmt, 37);
	store_release(st, stmt);

	if (store_dossier_steps(st, d, cause) != 0 ||
	    store_dossier_documents(st, d, cause) != 0) {
		dossier_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* Write the mutable fields of a dossier back. */
int
store_dossier_update(struct store *st, const struct dossier *d, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "UPDATE dossiers SET state = ?2, step = ?3, department = ?4, "
	    "officer = ?5, due_at = ?6, step_due_at = ?7, paused_at = ?8, resolved_at = ?9, "
	    "returned_at = ?10, closed_at = ?11, apology_at = ?12, appointment_at = ?13 "
	    "WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, d->id);
	sqlite3_bind_int(stmt, 2, (int)d->state);
	sqlite3_bind_int(stmt, 3, d->step);
	store_bind_text(stmt, 4, d->department);
	store_bind_time(stmt, 5, d->officer);
	store_bind_time(stmt, 6, d->due_at);
	store_bind_time(stmt, 7, d->step_due_at);
	store_bind_time(stmt, 8, d->paused_at);
	store_bind_time(stmt, 9, d->resolved_at);
	store_bind_time(stmt, 10, d->returned_at);
	store_bind_time(stmt, 11, d->closed_at);
	store_bind_time(stmt, 12, d->apology_at);
	store_bind_time(stmt, 13, d->appointment_at);
	if (store_step_done(st, stmt, "update dossier", cause) != 0)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		*cause = xasprintf("dossier %s vanished", d->code);
		return -1;
	}
	return 0;
}

/* Append an event, chained to the newest one (store_audit_append); e->id receives its id. */
int
store_event_add(struct store *st, struct dossier_event *e, char **cause)
{
	struct audit_value	fields[AUDIT_NFIELDS];
	int			f;

	for (f = 0; f < AUDIT_NFIELDS; f++)
		audit_set_null(&fields[f]);
	audit_set_int(&fields[AUDIT_AT], e->at);
	audit_set_int(&fields[AUDIT_DOSSIER], e->dossier);
	audit_set_int(&fields[AUDIT_ACTOR], e->actor);
	audit_set_text(&fields[AUDIT_ACTION], dossier_action_name(e->action));
	if (e->from_state != 0)
		audit_set_int(&fields[AUDIT_FROM_STATE], e->from_state);
	audit_set_int(&fields[AUDIT_TO_STATE], e->to_state);
	audit_set_int(&fields[AUDIT_STEP], e->step);
	audit_set_text(&fields[AUDIT_DEPARTMENT], e->department);
	if (e->officer != 0)
		audit_set_int(&fields[AUDIT_OFFICER], e->officer);
	if (e->step_due_at != 0)
		audit_set_int(&fields[AUDIT_STEP_DUE_AT], e->step_due_at);
	audit_set_text(&fields[AUDIT_NOTE], e->note);
	return store_audit_append(st, fields, &e->id, cause);
}

/* Read a dossier's events, oldest first. */
int
store_event_list(struct store *st, int64_t dossier, struct dossier_event **out, size_t *n,
    char **cause)
{
	sqlite3_stmt		*stmt;
	struct dossier_event	*list = NULL, *e;
	size_t			 count = 0;
	const char		*s;
	int			 rc;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT e.id, e.dossier, e.at, e.actor, u.full_name, "
	    "e.action, e.from_state, e.to_state, e.step, e.department, e.officer, "
	    "e.step_due_at, e.note FROM events e JOIN users u ON u.id = e.actor "
	    "WHERE e.dossier = ?1 ORDER BY e.id", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, dossier);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xreallocarray(list, count + 1, sizeof *list);
		e = &list[count++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(stmt, 0);
		e->dossier = sqlite3_column_int64(stmt, 1);
		e->at = sqlite3_column_int64(stmt, 2);
		e->actor = sqlite3_column_int64(stmt, 3);
		e->actor_name = store_column_text(stmt, 4);
		s = (const char *)sqlite3_column_text(stmt, 5);
		if (s == NULL || dossier_action_from_name(s, &e->action) != 0)
			e->action = ACTION_RECEIVE;	/* unreachable: a CHECK constraint */
		e->from_state = (int)store_column_time(stmt, 6);
		e->to_state = sqlite3_column_int(stmt, 7);
		e->step = sqlite3_column_int(stmt, 8);
		e->department = store_column_text(stmt, 9);
		e->officer = store_column_time(stmt, 10);
		e->step_due_at = store_column_time(stmt, 11);
		e->note = store_column_text(stmt, 12);
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE) {
		dossier_events_free(list, count);
		return store_fail(st, "read events", cause);
	}
	*out = list;
	*n = count;
	return 0;
}

/* Open a pause of a dossier. */
int
store_pause_start(struct store *st, int64_t dossier, const char *kind, int64_t at,
    int64_t by, const char *note, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "INSERT INTO pauses(dossier, kind, started_at, started_by, "
	    "note) VALUES (?1, ?2, ?3, ?4, ?5)", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, dossier);
	store_bind_text(stmt, 2, kind);
	sqlite3_bind_int64(stmt, 3, at);
	sqlite3_bind_int64(stmt, 4, by);
	store_bind_text(stmt, 5, note);
	return store_step_done(st, stmt, "start pause", cause);
}

/* Close the open pause of a dossier, recording the working seconds it lasted. */
int
store_pause_end(struct store *st, int64_t dossier, int64_t at, int64_t by, int64_t seconds,
    char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "UPDATE pauses SET ended_at = ?2, ended_by = ?3, seconds = ?4 "
	    "WHERE dossier = ?1 AND ended_at IS NULL", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, dossier);
	sqlite3_bind_int64(stmt, 2, at);
	sqlite3_bind_int64(stmt, 3, by);
	sqlite3_bind_int64(stmt, 4, seconds);
	if (store_step_done(st, stmt, "end pause", cause) != 0)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		*cause = xstrdup("the dossier has no open pause");
		return -1;
	}
	return 0;
}

/* Record an intake guidance. */
int
store_guidance_add(struct store *st, const char *unit, const char *procedure,
    const char *applicant_name, const char *missing, int64_t at, int64_t by, int64_t *id,
    char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "INSERT INTO guidances(unit, procedure_code, applicant_name, "
	    "missing, at, by_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	store_bind_text(stmt, 2, procedure);
	store_bind_text(stmt, 3, applicant_name);
	store_bind_text(stmt, 4, missing);
	sqlite3_bind_int64(stmt, 5, at);
	sqlite3_bind_int64(stmt, 6, by);
	if (store_step_done(st, stmt, "record guidance", cause) != 0)
		return -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Refuse a query on a unit the actor may not read. */
static int
store_scope(const struct actor *a, const char *unit, char **cause)
{
	if (unit == NULL || !dossier_can_read_unit(a, unit)) {
		*cause = xasprintf("no unit %s", unit == NULL ? "given" : unit);
		return -1;
	}
	return 0;
}

/* Counts of a unit's dossiers by state. */
int
store_count_by_state(struct store *st, const struct actor *a, const char *unit,
    int64_t counts[STATE_MAX + 1], char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc, state;

	memset(counts, 0, (STATE_MAX + 1) * sizeof counts[0]);
	if (store_scope(a, unit, cause) != 0)
		return -1;
	stmt = store_prepare(st, "SELECT state, count(*) FROM dossiers WHERE unit = ?1 "
	    "GROUP BY state", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		state = sqlite3_column_int(stmt, 0);
		if (state >= STATE_MIN && state <= STATE_MAX) {
			counts[state] = sqlite3_column_int64(stmt, 1);
			counts[0] += counts[state];
		}
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "count dossiers", cause);
	return 0;
}

/* The columns read into a dossier_summary, in store_summary_row's order. */
#define STORE_SUMMARY_COLUMNS \
	"id, code, procedure_code, applicant_name, state, step, department, officer, " \
	"received_at, due_at, step_due_at, appointment_at"

/* Run a bound statement selecting STORE_SUMMARY_COLUMNS into a list. */
static int
store_summary_rows(struct store *st, sqlite3_stmt *stmt, struct dossier_list *out,
    char **cause)
{
	struct dossier_summary	*s;
	int			 rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->items = xreallocarray(out->items, out->n + 1, sizeof *out->items);
		s = &out->items[out->n++];
		s->id = sqlite3_column_int64(stmt, 0);
		s->code = store_column_text(stmt, 1);
		s->procedure_code = store_column_text(stmt, 2);
		s->applicant_name = store_column_text(stmt, 3);
		s->state = (enum dossier_state)sqlite3_column_int(stmt, 4);
		s->step = sqlite3_column_int(stmt, 5);
		s->department = store_column_text(stmt, 6);
		s->officer = store_column_time(stmt, 7);
		s->received_at = sqlite3_column_int64(stmt, 8);
		s->due_at = store_column_time(stmt, 9);
		s->step_due_at = store_column_time(stmt, 10);
		s->appointment_at = store_column_time(stmt, 11);
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE) {
		dossier_list_free(out);
		return store_fail(st, "list dossiers", cause);
	}
	return 0;
}

/* Clamp a caller's limit to something a screen can use. */
static int64_t
store_limit(size_t limit)
{
	if (limit == 0 || limit > 1000)
		return 1000;
	return (int64_t)limit;
}

/* Run one of the deadline queries: unit ?1, instants ?2 and ?3, limit ?4. */
static int
store_deadline_query(struct store *st, const struct actor *a, const char *sql,
    const char *unit, int64_t t1, int64_t t2, size_t limit, struct dossier_list *out,
    char **cause)
{
	sqlite3_stmt	*stmt;

	out->items = NULL;
	out->n = 0;
	if (store_scope(a, unit, cause) != 0)
		return -1;
	if ((stmt = store_prepare(st, sql, cause)) == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	sqlite3_bind_int64(stmt, 2, t1);
	sqlite3_bind_int64(stmt, 3, t2);
	sqlite3_bind_int64(stmt, 4, store_limit(limit));
	return store_summary_rows(st, stmt, out, cause);
}

/* Open dossiers whose step deadline has passed. */
int
store_step_late(struct store *st, const struct actor *a, const char *unit, int64_t now,
    size_t limit, struct dossier_list *out, char **cause)
{
	return store_deadline_query(st, a, "SELECT " STORE_SUMMARY_COLUMNS " FROM dossiers "
	    "INDEXED BY dossiers_open_step_due WHERE unit = ?1 AND state IN (2, 4) AND "
	    "step_due_at < ?2 ORDER BY step_due_at, id LIMIT ?4", unit, now, 0,
	    limit, out, cause);
}

/* Open dossiers past their appointment, the first limit by due date. */
int
store_overdue(struct store *st, const struct actor *a, const char *unit, int64_t now,
    size_t limit, struct dossier_list *out, char **cause)
{
	return store_deadline_query(st, a, "SELECT " STORE_SUMMARY_COLUMNS " FROM dossiers "
	    "INDEXED BY dossiers_open_due WHERE unit = ?1 AND state IN (2, 4) AND "
	    "due_at < ?2 ORDER BY due_at, id LIMIT ?4", unit, now, 0, limit, out,
	    cause);
}

/* Open dossiers due in [now, until]. */
int
store_due_soon(struct store *st, const struct actor *a, const char *unit, int64_t now,
    int64_t until, size_t limit, struct dossier_list *out, char **cause)
{
	return store_deadline_query(st, a, "SELECT " STORE_SUMMARY_COLUMNS " FROM dossiers "
	    "INDEXED BY dossiers_open_due WHERE unit = ?1 AND state IN (2, 4) AND "
	    "due_at >= ?2 AND due_at <= ?3 ORDER BY due_at, id LIMIT ?4", unit, now, until,
	    limit, out, cause);
}

/*
 * The states of a queue are bound one per parameter, ?11 to ?20 (NULL when not wanted), so
 * that the (…, state) indexes are searched for the wanted states only: a department's
 * queue reads its open dossiers, never its years of closed ones.
 */
#define STORE_STATE_PARAMS "(?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"

/* The three shapes of a queue, chosen by which filters are given: list, count. */
static const char *store_queue_sql[3][2] = {
	{	/* a unit */
		"SELECT " STORE_SUMMARY_COLUMNS " FROM dossiers WHERE unit = ?1 AND "
		"state IN " STORE_STATE_PARAMS " ORDER BY due_at IS NULL, due_at, code "
		"LIMIT ?5 OFFSET ?6",
		"SELECT count(*) FROM dossiers WHERE unit = ?1 AND "
		"state IN " STORE_STATE_PARAMS
	},
	{	/* a department of a unit */
		"SELECT " STORE_SUMMARY_COLUMNS " FROM dossiers WHERE unit = ?1 AND "
		"department = ?2 AND state IN " STORE_STATE_PARAMS " "
		"ORDER BY due_at IS NULL, due_at, code LIMIT ?5 OFFSET ?6",
		"SELECT count(*) FROM dossiers WHERE unit = ?1 AND department = ?2 AND "
		"state IN " STORE_STATE_PARAMS
	},
	{	/* an officer (in a unit, maybe a department) */
		"SELECT " STORE_SUMMARY_COLUMNS " FROM dossiers WHERE officer = ?3 AND "
		"unit = ?1 AND (?2 IS NULL OR department = ?2) AND "
		"state IN " STORE_STATE_PARAMS " "
		"ORDER BY due_at IS NULL, due_at, code LIMIT ?5 OFFSET ?6",
		"SELECT count(*) FROM dossiers WHERE officer = ?3 AND unit = ?1 AND "
		"(?2 IS NULL OR department = ?2) AND state IN " STORE_STATE_PARAMS
	}
};

/* Bind the common parameters of a queue statement (unused ones are harmless). */
static void
store_queue_bind(sqlite3_stmt *stmt, const struct store_queue *q, unsigned int states)
{
	int	state;

	store_bind_text(stmt, 1, q->unit);
	store_bind_text(stmt, 2, q->department);
	sqlite3_bind_int64(stmt, 3, q->officer);
	for (state = STATE_MIN; state <= STATE_MAX; state++) {
		if (states & (1u << state))
			sqlite3_bind_int(stmt, 10 + state, state);
		else
			sqlite3_bind_null(stmt, 10 + state);
	}
}

/* A queue of dossiers with paging. */
int
store_queue_list(struct store *st, const struct actor *a, const struct store_queue *q,
    struct dossier_list *out, size_t *total, char **cause)
{
	sqlite3_stmt	*stmt;
	unsigned int	 states;
	int		 shape, rc;

	out->items = NULL;
	out->n = 0;
	if (total != NULL)
		*total = 0;
	if (store_scope(a, q->unit, cause) != 0)
		return -1;
	states = q->states == 0 ? STORE_OPEN_STATES : q->states;
	if (q->officer != 0)
		shape = 2;
	else if (q->department != NULL)
		shape = 1;
	else
		shape = 0;

	if (total != NULL) {
		if ((stmt = store_prepare(st, store_queue_sql[shape][1], cause)) == NULL)
			return -1;
		store_queue_bind(stmt, q, states);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			*total = (size_t)sqlite3_column_int64(stmt, 0);
		store_release(st, stmt);
		if (rc != SQLITE_ROW)
			return store_fail(st, "count queue", cause);
	}

	if ((stmt = store_prepare(st, store_queue_sql[shape][0], cause)) == NULL)
		return -1;
	store_queue_bind(stmt, q, states);
	sqlite3_bind_int64(stmt, 5, store_limit(q->limit));
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)q->offset);
	return store_summary_rows(st, stmt, out, cause);
}
