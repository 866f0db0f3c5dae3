/* store-service.c: the queries of the officers' service: dashboard, searched queues, alerts. */
#include "config.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dossier.h"
#include "store.h"
#include "store-internal.h"
#include "text.h"
#include "xmalloc.h"

#define STORE_SEARCH_WORDS	8	/* words of a name search that are matched */

/* A growing SQL text. */
struct store_sql {
	char	*s;
	size_t	 len;
	size_t	 size;
};

/* Switch a bulk fill on (synchronous=OFF) or off (synchronous=FULL again). */
int
store_set_bulk(struct store *st, bool on, char **cause)
{
	if (on)
		return store_exec(st, "PRAGMA synchronous = OFF", cause);
	return store_exec(st, "PRAGMA synchronous = FULL", cause);
}

/* Refuse a unit the actor may not read. */
static int
store_service_scope(const struct actor *a, const char *unit, char **cause)
{
	if (unit == NULL || !dossier_can_read_unit(a, unit)) {
		*cause = xasprintf("no unit %s", unit == NULL ? "given" : unit);
		return -1;
	}
	return 0;
}

/* Run a count statement with unit ?1, department ?2 and instants ?3, ?4; *out gets it. */
static int
store_service_count(struct store *st, const char *sql, const char *unit,
    const char *department, int64_t t1, int64_t t2, int64_t *out, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if ((stmt = store_prepare(st, sql, cause)) == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	store_bind_text(stmt, 2, department);
	sqlite3_bind_int64(stmt, 3, t1);
	sqlite3_bind_int64(stmt, 4, t2);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	store_release(st, stmt);
	if (rc != SQLITE_ROW)
		return store_fail(st, "count dossiers", cause);
	return 0;
}

/* The dashboard's counts for one unit, optionally one department of it. */
int
store_dashboard_counts(struct store *st, const struct actor *a, const char *unit,
    const char *department, int64_t midnight, int64_t now, int64_t soon_until,
    struct store_counts *c, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc, state;
	int64_t		 n;

	memset(c, 0, sizeof *c);
	if (store_service_scope(a, unit, cause) != 0)
		return -1;

	stmt = store_prepare(st, "SELECT state, count(*) FROM dossiers WHERE unit = ?1 AND "
	    "state IN (2, 4, 5, 6, 9) AND (?2 IS NULL OR department = ?2) GROUP BY state",
	    cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	store_bind_text(stmt, 2, department);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		state = sqlite3_column_int(stmt, 0);
		n = sqlite3_column_int64(stmt, 1);
		if (state == STATE_RECEIVED || state == STATE_PROCESSING)
			c->in_progress += n;
		else if (state == STATE_SUPPLEMENT || state == STATE_FINANCIAL)
			c->waiting += n;
		else if (state == STATE_RESOLVED)
			c->ready += n;
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "count dossiers", cause);

	if (store_service_count(st, "SELECT count(*) FROM dossiers "
	    "INDEXED BY dossiers_unit_received WHERE unit = ?1 AND received_at >= ?3 AND "
	    "state <> 3 AND (?2 IS NULL OR department = ?2)", unit, department, midnight, 0,
	    &c->received_today, cause) != 0)
		return -1;
	if (store_service_count(st, "SELECT count(*) FROM dossiers "
	    "INDEXED BY dossiers_open_due WHERE unit = ?1 AND state IN (2, 4) AND "
	    "due_at >= ?3 AND due_at <= ?4 AND (?2 IS NULL OR department = ?2)", unit,
	    department, now, soon_until, &c->due_soon, cause) != 0)
		return -1;
	if (store_service_count(st, "SELECT count(*) FROM dossiers "
	    "INDEXED BY dossiers_open_due WHERE unit = ?1 AND state IN (2, 4) AND "
	    "due_at < ?3 AND (?2 IS NULL OR department = ?2)", unit, department, now, 0,
	    &c->overdue, cause) != 0)
		return -1;
	if (store_service_count(st, "SELECT count(*) FROM dossiers "
	    "INDEXED BY dossiers_open_step_due WHERE unit = ?1 AND state IN (2, 4) AND "
	    "step_due_at < ?3 AND (?2 IS NULL OR department = ?2)", unit, department, now, 0,
	    &c->step_late, cause) != 0)
		return -1;
	return 0;
}

/* Append text to a growing SQL string. */
static void
store_sql_add(struct store_sql *q, const char *text)
{
	size_t	n;

	n = strlen(text);
	if (q->len + n + 1 > q->size) {
		q->size = (q->len + n + 1) * 2;
		q->s = xreallocarray(q->s, q->size, 1);
	}
	memcpy(q->s + q->len, text, n + 1);
	q->len += n;
}

/*
 * The parameters of a search, bound in the order they were added to the SQL; a search binds
 * at most 32 units, 10 states, 8 words and 8 other values, fewer than the 64 kept.
 */
struct store_params {
	const char	*text[64];
	int64_t		 num[64];
	bool		 is_text[64];
	int		 n;
};

/* Add a text parameter and its placeholder. */
static void
store_param_text(struct store_sql *q, struct store_params *p, const char *s)
{
	if (p->n < 64) {
		p->text[p->n] = s;
		p->is_text[p->n] = true;
		p->n++;
	}
	store_sql_add(q, "?");
}

/* Add an integer parameter and its placeholder. */
static void
store_param_int(struct store_sql *q, struct store_params *p, int64_t v)
{
	if (p->n < 64) {
		p->num[p->n] = v;
		p->is_text[p->n] = false;
		p->n++;
	}
	store_sql_add(q, "?");
}

/* Bind the collected parameters to a statement. */
static void
store_params_bind(sqlite3_stmt *stmt, const struct store_params *p)
{
	int	i;

	for (i = 0; i < p->n; i++) {
		if (p->is_text[i])
			store_bind_text(stmt, i + 1, p->text[i]);
		else
			sqlite3_bind_int64(stmt, i + 1, p->num[i]);
	}
}

/* The search terms of a queue: a code prefix, an ID prefix and the words of a name. */
struct store_terms {
	char	*code;			/* "TPSL-1502%", escaped */
	char	*id;			/* "0340%" if the text is all digits, else NULL */
	char	*words[STORE_SEARCH_WORDS];	/* "% word%" */
	size_t	 nwords;
};

/* Split a search text into its terms; false if there is nothing to search for. */
static bool
store_terms_make(const char *text, struct store_terms *t)
{
	char		*clean, *folded, *w, *save = NULL;
	size_t		 i, j, len;
	bool		 digits;

	memset(t, 0, sizeof *t);
	clean = text_clean(text);
	len = strlen(clean);
	if (len == 0) {
		free(clean);
		return false;
	}
	t->code = xmalloc(2 * len + 2);
	digits = true;
	for (i = 0, j = 0; i < len; i++) {
		if (clean[i] == '%' || clean[i] == '_' || clean[i] == '\\')
			t->code[j++] = '\\';
		t->code[j++] = (clean[i] >= 'a' && clean[i] <= 'z') ? clean[i] - 'a' + 'A' :
		    clean[i];
		if (clean[i] < '0' || clean[i] > '9')
			digits = false;
	}
	t->code[j++] = '%';
	t->code[j] = '\0';
	if (digits)
		t->id = xasprintf("%s%%", clean);

	folded = text_fold(clean);
	for (w = strtok_r(folded, " ", &save); w != NULL && t->nwords < STORE_SEARCH_WORDS;
	    w = strtok_r(NULL, " ", &save))
		t->words[t->nwords++] = xasprintf("%% %s%%", w);
	free(folded);
	free(clean);
	return true;
}

/* Free the terms of a search. */
static void
store_terms_free(struct store_terms *t)
{
	size_t	i;

	free(t->code);
	free(t->id);
	for (i = 0; i < t->nwords; i++)
		free(t->words[i]);
	memset(t, 0, sizeof *t);
}

/* Add the WHERE clause of a search (without "WHERE") to q. */
static void
store_search_where(struct store_sql *q, struct store_params *p, const struct store_search *s,
    const struct store_terms *t, bool searching)
{
	size_t	i;
	int	state;
	bool	first;

	store_sql_add(q, "unit IN (");
	for (i = 0; i < s->nunits; i++) {
		if (i > 0)
			store_sql_add(q, ", ");
		store_param_text(q, p, s->units[i]);
	}
	store_sql_add(q, ")");
	if (s->department != NULL) {
		store_sql_add(q, " AND department = ");
		store_param_text(q, p, s->department);
	}
	if (s->officer != 0) {
		store_sql_add(q, " AND officer = ");
		store_param_int(q, p, s->officer);
	}

	switch (s->filter) {
	case STORE_FILTER_DUE_WINDOW:
		/* Written as the partial indexes' condition, so that they can be used. */
		store_sql_add(q, " AND state IN (2, 4) AND due_at >= ");
		store_param_int(q, p, s->now);
		store_sql_add(q, " AND due_at <= ");
		store_param_int(q, p, s->until);
		break;
	case STORE_FILTER_OVERDUE:
		store_sql_add(q, " AND state IN (2, 4) AND due_at < ");
		store_param_int(q, p, s->now);
		break;
	case STORE_FILTER_STEP_LATE:
		store_sql_add(q, " AND state IN (2, 4) AND step_due_at < ");
		store_param_int(q, p, s->now);
		break;
	case STORE_FILTER_UNASSIGNED:
	case STORE_FILTER_NONE:
		store_sql_add(q, " AND state IN (");
		first = true;
		for (state = STATE_MIN; state <= STATE_MAX; state++) {
			if ((s->states & (1u << state)) == 0)
				continue;
			if (!first)
				store_sql_add(q, ", ");
			store_param_int(q, p, state);
			first = false;
		}
		if (first)
			store_sql_add(q, "NULL");
		store_sql_add(q, ")");
		if (s->filter == STORE_FILTER_UNASSIGNED)
			store_sql_add(q, " AND officer IS NULL");
		break;
	}

	if (!searching)
		return;
	store_sql_add(q, " AND (code LIKE ");
	store_param_text(q, p, t->code);
	store_sql_add(q, " ESCAPE '\\'");
	if (t->id != NULL) {
		store_sql_add(q, " OR applicant_id LIKE ");
		store_param_text(q, p, t->id);
		store_sql_add(q, " OR owner_id LIKE ");
		store_param_text(q, p, t->id);
	}
	if (t->nwords > 0) {
		store_sql_add(q, " OR (");
		for (i = 0; i < t->nwords; i++) {
			if (i > 0)
				store_sql_add(q, " AND ");
			store_sql_add(q, "' ' || applicant_folded LIKE ");
			store_param_text(q, p, t->words[i]);
		}
		store_sql_add(q, ")");
	}
	store_sql_add(q, ")");
}

/* Prepare a statement of text built at run time (never cached: its address is not fixed). */
static sqlite3_stmt *
store_service_prepare(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, "search dossiers", cause);
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* A page of the dossiers of some units matching a filter and a search, with the total. */
int
store_search(struct store *st, const struct actor *a, const struct store_search *s,
    struct dossier_list *out, size_t *total, char **cause)
{
	struct store_sql	 q = { NULL, 0, 0 };
	struct store_params	 p;
	struct store_terms	 t;
	struct dossier_summary	*row;
	sqlite3_stmt		*stmt = NULL;
	size_t			 i, limit;
	bool			 searching;
	int			 rc, ret = -1;

	out->items = NULL;
	out->n = 0;
	if (total != NULL)
		*total = 0;
	if (s->nunits == 0 || s->nunits > 32) {
		*cause = xstrdup("a search needs 1 to 32 units");
		return -1;
	}
	for (i = 0; i < s->nunits; i++) {
		if (store_service_scope(a, s->units[i], cause) != 0)
			return -1;
	}
	searching = s->text != NULL && store_terms_make(s->text, &t);
	if (!searching)
		memset(&t, 0, sizeof t);
	limit = s->limit == 0 || s->limit > 1000 ? 1000 : s->limit;

	if (total != NULL) {
		memset(&p, 0, sizeof p);
		store_sql_add(&q, "SELECT count(*) FROM dossiers WHERE ");
		store_search_where(&q, &p, s, &t, searching);
		if ((stmt = store_service_prepare(st, q.s, cause)) == NULL)
			goto out;
		store_params_bind(stmt, &p);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			*total = (size_t)sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
		stmt = NULL;
		if (rc != SQLITE_ROW) {
			store_fail(st, "count dossiers", cause);
			goto out;
		}
		q.len = 0;
	}

	memset(&p, 0, sizeof p);
	store_sql_add(&q, "SELECT id, code, procedure_code, applicant_name, state, step, "
	    "department, officer, received_at, due_at, step_due_at, appointment_at "
	    "FROM dossiers WHERE ");
	store_search_where(&q, &p, s, &t, searching);
	switch (s->order) {
	case STORE_ORDER_DUE:
		store_sql_add(&q, " ORDER BY due_at IS NULL, due_at, code");
		break;
	case STORE_ORDER_STEP_DUE:
		store_sql_add(&q, " ORDER BY step_due_at IS NULL, step_due_at, code");
		break;
	case STORE_ORDER_NEWEST:
		store_sql_add(&q, " ORDER BY received_at DESC, code DESC");
		break;
	case STORE_ORDER_RETURNED:
		store_sql_add(&q, " ORDER BY returned_at DESC, code DESC");
		break;
	}
	store_sql_add(&q, " LIMIT ");
	store_param_int(&q, &p, (int64_t)limit);
	store_sql_add(&q, " OFFSET ");
	store_param_int(&q, &p, (int64_t)s->offset);
	if ((stmt = store_service_prepare(st, q.s, cause)) == NULL)
		goto out;
	store_params_bind(stmt, &p);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->items = xreallocarray(out->items, out->n + 1, sizeof *out->items);
		row = &out->items[out->n++];
		row->id = sqlite3_column_int64(stmt, 0);
		row->code = store_column_text(stmt, 1);
		row->procedure_code = store_column_text(stmt, 2);
		row->applicant_name = store_column_text(stmt, 3);
		row->state = (enum dossier_state)sqlite3_column_int(stmt, 4);
		row->step = sqlite3_column_int(stmt, 5);
		row->department = store_column_text(stmt, 6);
		row->officer = store_column_time(stmt, 7);
		row->received_at = sqlite3_column_int64(stmt, 8);
		row->due_at = store_column_time(stmt, 9);
		row->step_due_at = store_column_time(stmt, 10);
		row->appointment_at = store_column_time(stmt, 11);
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, "search dossiers", cause);
		dossier_list_free(out);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(stmt);
	store_terms_free(&t);
	free(q.s);
	return ret;
}

/* The active users of a department of a unit, by full name. */
int
store_user_department(struct store *st, const char *unit, const char *department,
    struct store_user ***out, size_t *n, char **cause)
{
	sqlite3_stmt		 *stmt;
	struct store_user	**list = NULL, *u;
	size_t			  count = 0;
	const char		 *role;
	int			  rc;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT id, login, full_name, role, unit, department, "
	    "created_at FROM users WHERE unit = ?1 AND department = ?2 AND disabled = 0 "
	    "ORDER BY full_name, login", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	store_bind_text(stmt, 2, department);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		u = xcalloc(1, sizeof *u);
		u->id = sqlite3_column_int64(stmt, 0);
		u->login = store_column_text(stmt, 1);
		u->full_name = store_column_text(stmt, 2);
		role = (const char *)sqlite3_column_text(stmt, 3);
		if (role == NULL || dossier_role_from_name(role, &u->role) != 0)
			u->role = ROLE_MONITOR;	/* unreachable: a CHECK constraint */
		u->unit = store_column_text(stmt, 4);
		u->department = store_column_text(stmt, 5);
		u->created_at = sqlite3_column_int64(stmt, 6);
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = u;
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE) {
		store_user_list_free(list, count);
		return store_fail(st, "list users", cause);
	}
	*out = list;
	*n = count;
	return 0;
}

/* The code and time of the newest dossier a user took in at the counter in a unit. */
int
store_last_received(struct store *st, int64_t user, const char *unit, char **code,
    int64_t *at, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*code = NULL;
	*at = 0;
	stmt = store_prepare(st, "SELECT code, received_at FROM dossiers "
	    "INDEXED BY dossiers_unit_received WHERE unit = ?1 AND received_by = ?2 "
	    "ORDER BY received_at DESC, id DESC LIMIT 1", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, unit);
	sqlite3_bind_int64(stmt, 2, user);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*code = store_column_text(stmt, 0);
		*at = sqlite3_column_int64(stmt, 1);
	}
	store_release(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "last received dossier", cause);
	return 0;
}

/* What needs a user's attention: new assignments since an event, and deadlines. */
int
store_alert_counts(struct store *st, int64_t user, int64_t since, int64_t now,
    int64_t soon_until, struct store_alerts *al, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(al, 0, sizeof *al);
	stmt = store_prepare(st, "SELECT max(id) FROM events", cause);
	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		al->latest_event = store_column_time(stmt, 0);
	store_release(st, stmt);
	if (rc != SQLITE_ROW)
		return store_fail(st, "newest event", cause);

	if (since > 0 && since < al->latest_event) {
		stmt = store_prepare(st, "SELECT count(*) FROM events WHERE id > ?1 AND "
		    "action = 'assign' AND officer = ?2 AND actor <> ?2", cause);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, since);
		sqlite3_bind_int64(stmt, 2, user);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			al->assigned_new = sqlite3_column_int64(stmt, 0);
		store_release(st, stmt);
		if (rc != SQLITE_ROW)
			return store_fail(st, "new assignments", cause);
	}

	stmt = store_prepare(st, "SELECT coalesce(sum(due_at < ?2), 0), "
	    "coalesce(sum(due_at >= ?2 AND due_at <= ?3), 0) FROM dossiers "
	    "INDEXED BY dossiers_officer WHERE officer = ?1 AND state IN (2, 4) AND "
	    "due_at IS NOT NULL", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, soon_until);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		al->overdue = sqlite3_column_int64(stmt, 0);
		al->due_soon = sqlite3_column_int64(stmt, 1);
	}
	store_release(st, stmt);
	if (rc != SQLITE_ROW)
		return store_fail(st, "deadlines", cause);
	return 0;
}
