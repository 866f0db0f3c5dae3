/* store-audit.c: the SQL of the audit chain: appending chained events and reading them back. */
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store.h"
#include "store-internal.h"
#include "xmalloc.h"

/* The actions an administrator's event may record. */
static const char *const store_audit_actions[] = {
	"init", "user_add", "user_update", "user_disable", "user_enable", "user_passwd",
	"user_key_add", "user_key_remove", "catalog_reload", "backup"
};

/* The columns of the events table in the order of enum audit_field. */
#define STORE_AUDIT_COLUMNS	"id, at, dossier, actor, action, subject, from_state, " \
	"to_state, step, department, officer, step_due_at, note"

/* Read an SQLite value into an audit field (pointing into the value's memory). */
static void
store_audit_value(sqlite3_value *v, struct audit_value *f)
{
	memset(f, 0, sizeof *f);
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		f->type = AUDIT_INTEGER;
		f->i = (int64_t)sqlite3_value_int64(v);
		break;
	case SQLITE_FLOAT:
		f->type = AUDIT_REAL;
		f->r = sqlite3_value_double(v);
		break;
	case SQLITE_TEXT:
		f->type = AUDIT_TEXT;
		f->s = sqlite3_value_text(v);
		f->len = (size_t)sqlite3_value_bytes(v);
		if (f->s == NULL)
			f->s = "";
		break;
	case SQLITE_BLOB:
		f->type = AUDIT_BLOB;
		f->s = sqlite3_value_blob(v);
		f->len = (size_t)sqlite3_value_bytes(v);
		if (f->s == NULL)
			f->s = "";
		break;
	default:
		f->type = AUDIT_NULL;
		break;
	}
}

/* Read a column of the current row into an audit field (pointing into the row's memory). */
static void
store_audit_column(sqlite3_stmt *stmt, int col, struct audit_value *f)
{
	memset(f, 0, sizeof *f);
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_INTEGER:
		f->type = AUDIT_INTEGER;
		f->i = (int64_t)sqlite3_column_int64(stmt, col);
		break;
	case SQLITE_FLOAT:
		f->type = AUDIT_REAL;
		f->r = sqlite3_column_double(stmt, col);
		break;
	case SQLITE_TEXT:
		f->type = AUDIT_TEXT;
		f->s = sqlite3_column_text(stmt, col);
		f->len = (size_t)sqlite3_column_bytes(stmt, col);
		if (f->s == NULL)
			f->s = "";
		break;
	case SQLITE_BLOB:
		f->type = AUDIT_BLOB;
		f->s = sqlite3_column_blob(stmt, col);
		f->len = (size_t)sqlite3_column_bytes(stmt, col);
		if (f->s == NULL)
			f->s = "";
		break;
	default:
		f->type = AUDIT_NULL;
		break;
	}
}

/* SQL motcua_event_hash(prev, id, at, dossier, ...): the hash of a row (audit_hash). */
static void
store_audit_sql_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct audit_value	 fields[AUDIT_NFIELDS];
	const unsigned char	*prev;
	char			 out[AUDIT_HASH_LEN + 1];
	int			 i;

	if (argc != AUDIT_NFIELDS + 1) {
		sqlite3_result_error(ctx, "motcua_event_hash: wrong number of arguments", -1);
		return;
	}
	if ((prev = sqlite3_value_text(argv[0])) == NULL)
		prev = (const unsigned char *)"";
	for (i = 0; i < AUDIT_NFIELDS; i++)
		store_audit_value(argv[i + 1], &fields[i]);
	audit_hash((const char *)prev, fields, out);
	sqlite3_result_text(ctx, out, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
}

/* Register motcua_event_hash on a connection; returns an SQLite result code. */
int
store_audit_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "motcua_event_hash", AUDIT_NFIELDS + 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, store_audit_sql_hash, NULL, NULL);
}

/* Bind an audit field to a parameter. */
static void
store_audit_bind(sqlite3_stmt *stmt, int idx, const struct audit_value *f)
{
	switch (f->type) {
	case AUDIT_INTEGER:
		sqlite3_bind_int64(stmt, idx, (sqlite3_int64)f->i);
		break;
	case AUDIT_REAL:
		sqlite3_bind_double(stmt, idx, f->r);
		break;
	case AUDIT_TEXT:
		sqlite3_bind_text(stmt, idx, f->s, (int)f->len, SQLITE_TRANSIENT);
		break;
	case AUDIT_BLOB:
		sqlite3_bind_blob(stmt, idx, f->s, (int)f->len, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_bind_null(stmt, idx);
		break;
	}
}

/* Append a chained row inside the open transaction. */
static int
store_audit_insert(struct store *st, struct audit_value *fields, int64_t *id,
    char **cause)
{
	sqlite3_stmt	*stmt;
	const char	*s;
	char		 prev[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1];
	int64_t		 last = 0;
	int		 rc, i;

	stmt = store_prepare(st, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", cause);
	if (stmt == NULL)
		return -1;
	memcpy(prev, audit_genesis, sizeof prev);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		last = sqlite3_column_int64(stmt, 0);
		/* Chain to what is stored, even if malformed: verify names that row. */
		s = (const char *)sqlite3_column_text(stmt, 1);
		memset(prev, 0, sizeof prev);
		if (s != NULL)
			strncpy(prev, s, AUDIT_HASH_LEN);
	}
	store_release(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "read the last event", cause);

	audit_set_int(&fields[AUDIT_ID], last + 1);
	audit_hash(prev, fields, hash);

	stmt = store_prepare(st, "INSERT INTO events(" STORE_AUDIT_COLUMNS ", hash) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", cause);
	if (stmt == NULL)
		return -1;
	for (i = 0; i < AUDIT_NFIELDS; i++)
		store_audit_bind(stmt, i + 1, &fields[i]);
	sqlite3_bind_text(stmt, AUDIT_NFIELDS + 1, hash, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
	if (store_step_done(st, stmt, "record event", cause) != 0)
		return -1;
	if (id != NULL)
		*id = last + 1;
	return 0;
}

/* Append a row to the events table, chained to the newest row. */
int
store_audit_append(struct store *st, struct audit_value *fields, int64_t *id, char **cause)
{
	int	own;

	own = sqlite3_get_autocommit(st->db) != 0;
	if (own && store_begin(st, cause) != 0)
		return -1;
	if (store_audit_insert(st, fields, id, cause) != 0) {
		if (own)
			store_rollback(st);
		return -1;
	}
	if (own && store_commit(st, cause) != 0)
		return -1;
	return 0;
}

/* Record an administrator's action as an event. */
int
store_admin_event(struct store *st, int64_t actor, const char *action, const char *subject,
    const char *note, int64_t at, char **cause)
{
	struct audit_value	fields[AUDIT_NFIELDS];
	size_t			i;
	int			f;

	for (i = 0; i < sizeof store_audit_actions / sizeof store_audit_actions[0]; i++) {
		if (action != NULL && strcmp(action, store_audit_actions[i]) == 0)
			break;
	}
	if (i == sizeof store_audit_actions / sizeof store_audit_actions[0]) {
		*cause = xasprintf("unknown administrator action \"%s\"",
		    action == NULL ? "(null)" : action);
		return -1;
	}
	for (f = 0; f < AUDIT_NFIELDS; f++)
		audit_set_null(&fields[f]);
	audit_set_int(&fields[AUDIT_AT], at);
	if (actor != 0)
		audit_set_int(&fields[AUDIT_ACTOR], actor);
	audit_set_text(&fields[AUDIT_ACTION], action);
	audit_set_text(&fields[AUDIT_SUBJECT], subject);
	audit_set_text(&fields[AUDIT_NOTE], note);
	return store_audit_append(st, fields, NULL, cause);
}

/* Call fn on every event row in id order until it returns non-zero. */
int
store_audit_walk(struct store *st, int (*fn)(const struct store_audit_row *, void *),
    void *arg, char **cause)
{
	struct audit_value	 fields[AUDIT_NFIELDS];
	struct store_audit_row	 row;
	sqlite3_stmt		*stmt = NULL;
	int			 rc, i;

	/* A read of its own, not cached: a walk can outlive other statements' reuse. */
	if (sqlite3_prepare_v2(st->db, "SELECT e.id, e.at, e.dossier, e.actor, e.action, "
	    "e.subject, e.from_state, e.to_state, e.step, e.department, e.officer, "
	    "e.step_due_at, e.note, e.hash, d.code FROM events e "
	    "LEFT JOIN dossiers d ON d.id = e.dossier ORDER BY e.id", -1, &stmt,
	    NULL) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return store_fail(st, "read events", cause);
	}
	row.fields = fields;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < AUDIT_NFIELDS; i++)
			store_audit_column(stmt, i, &fields[i]);
		row.hash = (const char *)sqlite3_column_text(stmt, AUDIT_NFIELDS);
		row.hash_len = (size_t)sqlite3_column_bytes(stmt, AUDIT_NFIELDS);
		row.dossier_code = (const char *)sqlite3_column_text(stmt, AUDIT_NFIELDS + 1);
		if (fn(&row, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, "read events", cause);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}
