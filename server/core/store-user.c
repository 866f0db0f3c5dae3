/* store-user.c: users, their SSH keys and their intake drafts in the store. */
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dossier.h"
#include "store.h"
#include "text.h"
#include "store-internal.h"
#include "xmalloc.h"

#define STORE_USER_COLUMNS \
	"id, login, full_name, role, unit, department, password_hash, disabled, created_at"

/* Check the fields of a user before writing them. */
static int
store_user_check(const struct store_user *u, char **cause)
{
	const char	*p;
	char		*why = NULL;

	if (u->login == NULL || *u->login == '\0' || strlen(u->login) > 64) {
		*cause = xstrdup("a login is 1 to 64 characters");
		return -1;
	}
	for (p = u->login; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '_' || *p == '-')) {
			*cause = xasprintf("login %s: use only a-z, 0-9, '.', '_' and '-'",
			    u->login);
			return -1;
		}
	}
	if (u->full_name == NULL || *u->full_name == '\0' || strlen(u->full_name) > 200) {
		*cause = xasprintf("user %s: a full name is required", u->login);
		return -1;
	}
	/* Names are shown on every officer's screen: no escape sequences, valid UTF-8. */
	if (text_check(u->full_name, strlen(u->full_name), &why) != 0) {
		*cause = xasprintf("user %s: full name: %s", u->login, why);
		free(why);
		return -1;
	}
	if ((unsigned int)u->role >= ROLE_COUNT) {
		*cause = xasprintf("user %s: unknown role", u->login);
		return -1;
	}
	if (u->role == ROLE_MONITOR || u->role == ROLE_ADMIN) {
		if (u->unit != NULL || u->department != NULL) {
			*cause = xasprintf("user %s: a %s belongs to no unit or department",
			    u->login, dossier_role_name(u->role));
			return -1;
		}
	} else if (u->unit == NULL || *u->unit == '\0' || u->department == NULL ||
	    *u->department == '\0') {
		*cause = xasprintf("user %s: a %s needs a unit and a department", u->login,
		    dossier_role_name(u->role));
		return -1;
	}
	return 0;
}

/* Read a user from the current row of a statement selecting STORE_USER_COLUMNS. */
static struct store_user *
store_user_row(sqlite3_stmt *stmt)
{
	struct store_user	*u;
	const char		*role;

	u = xcalloc(1, sizeof *u);
	u->id = sqlite3_column_int64(stmt, 0);
	u->login = store_column_text(stmt, 1);
	u->full_name = store_column_text(stmt, 2);
	role = (const char *)sqlite3_column_text(stmt, 3);
	if (role == NULL || dossier_role_from_name(role, &u->role) != 0) {
		/* Unreachable through the CHECK constraint; if ever, fail closed. */
		u->role = ROLE_ONE_STOP;
		u->disabled = true;
	}
	u->unit = store_column_text(stmt, 4);
	u->department = store_column_text(stmt, 5);
	u->password_hash = store_column_text(stmt, 6);
	u->disabled = u->disabled || sqlite3_column_int(stmt, 7) != 0;
	u->created_at = sqlite3_column_int64(stmt, 8);
	return u;
}

/* Add a user. */
int
store_user_add(struct store *st, const struct store_user *u, int64_t now, int64_t *id,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (store_user_check(u, cause) != 0)
		return -1;
	stmt = store_prepare(st, "INSERT INTO users(login, full_name, role, unit, department, "
	    "password_hash, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, u->login);
	store_bind_text(stmt, 2, u->full_name);
	store_bind_text(stmt, 3, dossier_role_name(u->role));
	store_bind_text(stmt, 4, u->unit);
	store_bind_text(stmt, 5, u->department);
	store_bind_text(stmt, 6, u->password_hash);
	sqlite3_bind_int(stmt, 7, u->disabled ? 1 : 0);
	sqlite3_bind_int64(stmt, 8, now);
	rc = store_step_write(st, stmt);
	store_release(st, stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		*cause = xasprintf("login %s is already in use", u->login);
		return -1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, "add user", cause);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Look a user up by a statement bound to its key; 0 with *out NULL if there is none. */
static int
store_user_fetch(struct store *st, sqlite3_stmt *stmt, struct store_user **out,
    char **cause)
{
	int	rc;

	*out = NULL;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = store_user_row(stmt);
	else if (rc != SQLITE_DONE) {
		store_release(st, stmt);
		return store_fail(st, "read user", cause);
	}
	store_release(st, stmt);
	return 0;
}

/* Look a user up by id. */
int
store_user_get(struct store *st, int64_t id, struct store_user **out, char **cause)
{
	sqlite3_stmt	*stmt;

	*out = NULL;
	stmt = store_prepare(st, "SELECT " STORE_USER_COLUMNS " FROM users WHERE id = ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return store_user_fetch(st, stmt, out, cause);
}

/* Look a user up by login. */
int
store_user_by_login(struct store *st, const char *login, struct store_user **out,
    char **cause)
{
	sqlite3_stmt	*stmt;

	*out = NULL;
	stmt = store_prepare(st, "SELECT " STORE_USER_COLUMNS " FROM users WHERE login = ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, login);
	return store_user_fetch(st, stmt, out, cause);
}

/* All users ordered by login. */
int
store_user_list(struct store *st, struct store_user ***out, size_t *n, char **cause)
{
	sqlite3_stmt	 *stmt;
	struct store_user **list = NULL;
	size_t		  count = 0;
	int		  rc;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT " STORE_USER_COLUMNS " FROM users ORDER BY login",
	    cause);
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = store_user_row(stmt);
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

/* Run an UPDATE of one user and report a missing user. */
static int
store_user_change(struct store *st, sqlite3_stmt *stmt, int64_t id, char **cause)
{
	int	rc;

	rc = store_step_write(st, stmt);
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "change user", cause);
	if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no user %lld", (long long)id);
		return -1;
	}
	return 0;
}

/* Change a user's full name, role, unit and department. */
int
store_user_update(struct store *st, const struct store_user *u, char **cause)
{
	sqlite3_stmt	*stmt;

	if (store_user_check(u, cause) != 0)
		return -1;
	stmt = store_prepare(st, "UPDATE users SET full_name = ?2, role = ?3, unit = ?4, "
	    "department = ?5 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, u->id);
	store_bind_text(stmt, 2, u->full_name);
	store_bind_text(stmt, 3, dossier_role_name(u->role));
	store_bind_text(stmt, 4, u->unit);
	store_bind_text(stmt, 5, u->department);
	return store_user_change(st, stmt, u->id, cause);
}

/* Set (or clear, with NULL) a user's password hash. */
int
store_user_set_password(struct store *st, int64_t id, const char *hash, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "UPDATE users SET password_hash = ?2 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, hash);
	return store_user_change(st, stmt, id, cause);
}

/* Disable or enable a user. */
int
store_user_set_disabled(struct store *st, int64_t id, bool disabled, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "UPDATE users SET disabled = ?2 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, disabled ? 1 : 0);
	return store_user_change(st, stmt, id, cause);
}

/* Delete a user without history. */
int
store_user_delete(struct store *st, int64_t id, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "DELETE FROM users WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = store_step_write(st, stmt);
	store_release(st, stmt);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		*cause = xasprintf("user %lld has a history of work and cannot be deleted; "
		    "disable it instead", (long long)id);
		return -1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, "delete user", cause);
	if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no user %lld", (long long)id);
		return -1;
	}
	return 0;
}

/* Free a user; NULL is fine. */
void
store_user_free(struct store_user *u)
{
	if (u == NULL)
		return;
	free(u->login);
	free(u->full_name);
	free(u->unit);
	free(u->department);
	if (u->password_hash != NULL) {
		explicit_bzero(u->password_hash, strlen(u->password_hash));
		free(u->password_hash);
	}
	free(u);
}

/* Free a list of users. */
void
store_user_list_free(struct store_user **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_user_free(list[i]);
	free(list);
}

/* Fill an actor from a user; the actor points into the user's strings. */
void
store_user_actor(const struct store_user *u, struct actor *a)
{
	a->user_id = u->id;
	a->role = u->role;
	a->unit = u->unit;
	a->department = u->department;
}

/* Add a public key to a user. */
int
store_key_add(struct store *st, int64_t user, const char *type, const char *blob,
    const char *comment, int64_t *id, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (type == NULL || *type == '\0' || blob == NULL || *blob == '\0') {
		*cause = xstrdup("a key needs a type and a base64 blob");
		return -1;
	}
	stmt = store_prepare(st, "INSERT INTO user_keys(user, type, blob, comment) "
	    "VALUES (?1, ?2, ?3, ?4)", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	store_bind_text(stmt, 2, type);
	store_bind_text(stmt, 3, blob);
	store_bind_text(stmt, 4, comment == NULL ? "" : comment);
	rc = store_step_write(st, stmt);
	store_release(st, stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		*cause = xstrdup("the user already has this key");
		return -1;
	}
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		*cause = xasprintf("no user %lld", (long long)user);
		return -1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, "add key", cause);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Remove one of a user's keys. */
int
store_key_remove(struct store *st, int64_t user, int64_t id, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "DELETE FROM user_keys WHERE user = ?1 AND id = ?2", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	sqlite3_bind_int64(stmt, 2, id);
	if (store_write_done(st, stmt, "remove key", cause) != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("user %lld has no key %lld", (long long)user, (long long)id);
		return -1;
	}
	return 0;
}

/* List a user's keys by id. */
int
store_key_list(struct store *st, int64_t user, struct store_key **out, size_t *n,
    char **cause)
{
	sqlite3_stmt	*stmt;
	struct store_key *list = NULL, *k;
	size_t		 count = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT id, user, type, blob, comment FROM user_keys "
	    "WHERE user = ?1 ORDER BY id", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xreallocarray(list, count + 1, sizeof *list);
		k = &list[count++];
		k->id = sqlite3_column_int64(stmt, 0);
		k->user = sqlite3_column_int64(stmt, 1);
		k->type = store_column_text(stmt, 2);
		k->blob = store_column_text(stmt, 3);
		k->comment = store_column_text(stmt, 4);
	}
	store_release(st, stmt);
	if (rc != SQLITE_DONE) {
		store_key_list_free(list, count);
		return store_fail(st, "list keys", cause);
	}
	*out = list;
	*n = count;
	return 0;
}

/* Free a list of keys. */
void
store_key_list_free(struct store_key *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].type);
		free(list[i].blob);
		free(list[i].comment);
	}
	free(list);
}

/* Return 1 if the user holds the key, 0 if not. */
int
store_key_match(struct store *st, int64_t user, const char *type, const char *blob,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "SELECT 1 FROM user_keys WHERE user = ?1 AND type = ?2 "
	    "AND blob = ?3", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	store_bind_text(stmt, 2, type);
	store_bind_text(stmt, 3, blob);
	rc = sqlite3_step(stmt);
	store_release(st, stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "match key", cause);
}

/* Save (replace) a user's draft. */
int
store_draft_save(struct store *st, int64_t user, const char *key, const char *content,
    int64_t now, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "INSERT INTO drafts(user, idempotency_key, content, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(user) DO UPDATE SET "
	    "idempotency_key = excluded.idempotency_key, content = excluded.content, "
	    "updated_at = excluded.updated_at", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	store_bind_text(stmt, 2, key);
	store_bind_text(stmt, 3, content);
	sqlite3_bind_int64(stmt, 4, now);
	return store_write_done(st, stmt, "save draft", cause);
}

/* Load a user's draft; *content NULL if there is none. */
int
store_draft_load(struct store *st, int64_t user, char **key, char **content,
    int64_t *updated_at, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*key = *content = NULL;
	*updated_at = 0;
	stmt = store_prepare(st, "SELECT idempotency_key, content, updated_at FROM drafts "
	    "WHERE user = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*key = store_column_text(stmt, 0);
		*content = store_column_text(stmt, 1);
		*updated_at = sqlite3_column_int64(stmt, 2);
	}
	store_release(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "load draft", cause);
	return 0;
}

/* Delete a user's draft, if any. */
int
store_draft_delete(struct store *st, int64_t user, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "DELETE FROM drafts WHERE user = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	return store_write_done(st, stmt, "delete draft", cause);
}

/* Delete the user's draft if it carries this idempotency key. */
int
store_draft_consume(struct store *st, int64_t user, const char *key, char **cause)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "DELETE FROM drafts WHERE user = ?1 AND "
	    "idempotency_key = ?2", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, user);
	store_bind_text(stmt, 2, key);
	return store_write_done(st, stmt, "delete draft", cause);
}
