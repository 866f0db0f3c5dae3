/* store.c: opening the SQLite store safely, transactions and the helpers of store*.c. */
#include "config.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "store.h"
#include "store-internal.h"
#include "xmalloc.h"

#define STORE_STRING_(x)	#x
#define STORE_STRING(x)		STORE_STRING_(x)

/* Connections opened from now on keep a small page cache (store_use_small_cache). */
static bool	store_small_cache;

/* Set *cause from the database's last error and return -1. */
int
store_fail(struct store *st, const char *what, char **cause)
{
	if (sqlite3_errcode(st->db) == SQLITE_OK && st->error != NULL)
		*cause = xasprintf("%s: %s", what, st->error);
	else
		*cause = xasprintf("%s: %s", what, sqlite3_errmsg(st->db));
	free(st->error);
	st->error = NULL;
	return -1;
}

/*
 * Step a write statement. Outside a transaction it runs in its own BEGIN IMMEDIATE ...
 * COMMIT; on failure that is rolled back and the message kept for store_fail. Returns the
 * SQLite result code of the step (or of BEGIN or COMMIT if those failed).
 */
int
store_step_write(struct store *st, sqlite3_stmt *stmt)
{
	sqlite3_stmt	*tx = NULL;
	bool		 own;
	int		 rc;

	free(st->error);
	st->error = NULL;
	own = sqlite3_get_autocommit(st->db) != 0;
	if (own) {
		if ((rc = sqlite3_prepare_v2(st->db, "BEGIN IMMEDIATE", -1, &tx,
		    NULL)) != SQLITE_OK)
			return rc;
		rc = sqlite3_step(tx);
		sqlite3_finalize(tx);
		if (rc != SQLITE_DONE)
			return rc;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	if (rc != SQLITE_DONE)
		st->error = xstrdup(sqlite3_errmsg(st->db));
	sqlite3_reset(stmt);
	if (!own)
		return rc;

	if (sqlite3_prepare_v2(st->db, rc == SQLITE_DONE ? "COMMIT" : "ROLLBACK", -1, &tx,
	    NULL) != SQLITE_OK) {
		/* Cannot even prepare: the connection is unusable; report what we have. */
		return rc == SQLITE_DONE ? sqlite3_errcode(st->db) : rc;
	}
	if (sqlite3_step(tx) != SQLITE_DONE && rc == SQLITE_DONE) {
		rc = sqlite3_extended_errcode(st->db);
		free(st->error);
		st->error = xstrdup(sqlite3_errmsg(st->db));
		sqlite3_finalize(tx);
		store_rollback(st);
		return rc == SQLITE_OK ? SQLITE_ERROR : rc;
	}
	sqlite3_finalize(tx);
	return rc;
}

/* Step a write statement (store_step_write) and release it; 0, or -1 with *cause set. */
int
store_write_done(struct store *st, sqlite3_stmt *stmt, const char *what, char **cause)
{
	int	rc;

	rc = store_step_write(st, stmt);
	store_release(st, stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, what, cause);
	return 0;
}

/*
 * Prepare a statement of fixed text, or reuse the one prepared before for the same text.
 * Statements are cached by the address of their SQL, which is always a string literal or a
 * static table entry; a statement already in use gets a fresh, uncached copy. Give it back
 * with store_release. NULL with *cause set on failure.
 */
sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char **cause)
{
	struct store_cached	*c;
	sqlite3_stmt		*stmt = NULL;
	size_t			 i;

	for (i = 0; i < st->ncached; i++) {
		c = &st->cached[i];
		if (c->sql == sql && !c->busy) {
			c->busy = true;
			return c->stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
	    NULL) != SQLITE_OK) {
		store_fail(st, "database", cause);
		sqlite3_finalize(stmt);
		return NULL;
	}
	if (st->ncached < STORE_CACHED) {
		c = &st->cached[st->ncached++];
		c->sql = sql;
		c->stmt = stmt;
		c->busy = true;
	}
	return stmt;
}

/*
 * In a process with the small cache, give back the pages the connection caches once none of
 * its statements runs and no transaction is open: an idle interface then keeps no page of the
 * file (the system still caches it, and a write by another process empties the cache anyway).
 */
static void
store_release_pages(struct store *st)
{
	sqlite3_stmt	*stmt = NULL;

	if (!store_small_cache || !sqlite3_get_autocommit(st->db))
		return;
	while ((stmt = sqlite3_next_stmt(st->db, stmt)) != NULL) {
		if (sqlite3_stmt_busy(stmt))
			return;
	}
	sqlite3_db_release_memory(st->db);
}

/* Give back a statement from store_prepare: reset for reuse if cached, else finalized. */
void
store_release(struct store *st, sqlite3_stmt *stmt)
{
	size_t	i;

	for (i = 0; i < st->ncached; i++) {
		if (st->cached[i].stmt == stmt) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			st->cached[i].busy = false;
			store_release_pages(st);
			return;
		}
	}
	sqlite3_finalize(stmt);
	store_release_pages(st);
}

/* Run a statement that returns no rows and release it; returns 0, or -1 with *cause set. */
int
store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what, char **cause)
{
	int	rc;

	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(st, what, cause);
		store_release(st, stmt);
		return -1;
	}
	store_release(st, stmt);
	return 0;
}

/* Prepare and run one statement of fixed text without parameters. */
int
store_exec(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*stmt;

	if ((stmt = store_prepare(st, sql, cause)) == NULL)
		return -1;
	return store_step_done(st, stmt, "database", cause);
}

/* Bind a string, or NULL for a NULL pointer. */
void
store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, idx);
	else
		sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

/* Bind an instant, or NULL for 0 ("not set"). */
void
store_bind_time(sqlite3_stmt *stmt, int idx, int64_t t)
{
	if (t == 0)
		sqlite3_bind_null(stmt, idx);
	else
		sqlite3_bind_int64(stmt, idx, (sqlite3_int64)t);
}

/* A copy of a text column, or NULL if the column is NULL. */
char *
store_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char	*s;

	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return NULL;
	s = sqlite3_column_text(stmt, col);
	return xstrdup(s == NULL ? "" : (const char *)s);
}

/* An integer column, 0 if NULL. */
int64_t
store_column_time(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return 0;
	return (int64_t)sqlite3_column_int64(stmt, col);
}

/* Run a pragma query and return its first column as text in buf ("" if no row). */
static int
store_pragma(struct store *st, const char *sql, char *buf, size_t len, char **cause)
{
	sqlite3_stmt	*stmt;
	const char	*s;
	int		 rc;

	buf[0] = '\0';
	if ((stmt = store_prepare(st, sql, cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (buf[0] == '\0' && (s = (const char *)sqlite3_column_text(stmt, 0)) != NULL)
			snprintf(buf, len, "%s", s);
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, sql, cause);
		store_release(st, stmt);
		return -1;
	}
	store_release(st, stmt);
	return 0;
}

/* Set the pragmas the store relies on, then read them back and refuse if any did not hold. */
static int
store_settings(struct store *st, char **cause)
{
	char	buf[64];

	if (sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT) != SQLITE_OK)
		return store_fail(st, "busy_timeout", cause);
	if (store_pragma(st, "PRAGMA journal_mode = WAL", buf, sizeof buf, cause) != 0)
		return -1;
	if (strcmp(buf, "wal") != 0) {
		*cause = xasprintf("%s: cannot use write-ahead logging (journal mode is %s); "
		    "put the database on a local file system", st->path,
		    buf[0] == '\0' ? "unknown" : buf);
		return -1;
	}
	if (store_exec(st, "PRAGMA synchronous = FULL", cause) != 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", cause) != 0)
		return -1;

	if (store_pragma(st, "PRAGMA synchronous", buf, sizeof buf, cause) != 0)
		return -1;
	if (strcmp(buf, "2") != 0) {
		*cause = xasprintf("%s: synchronous=FULL did not take effect (%s)", st->path,
		    buf);
		return -1;
	}
	if (store_pragma(st, "PRAGMA foreign_keys", buf, sizeof buf, cause) != 0)
		return -1;
	if (strcmp(buf, "1") != 0) {
		*cause = xasprintf("%s: foreign keys cannot be enabled", st->path);
		return -1;
	}
	if (store_pragma(st, "PRAGMA busy_timeout", buf, sizeof buf, cause) != 0)
		return -1;
	if (atoi(buf) < 5000) {
		*cause = xasprintf("%s: busy_timeout did not take effect (%s)", st->path, buf);
		return -1;
	}
	return 0;
}

/*
 * Give the connections opened from now on a page cache of STORE_SMALL_CACHE KiB, emptied
 * whenever they are idle (store_release_pages). Before SQLite is first used, it also stops
 * SQLite from setting aside a block of pages for each cache at its first read: a block it
 * never gives back, bigger than the whole small cache.
 */
void
store_use_small_cache(void)
{
	store_small_cache = true;
	/* Fails harmlessly (SQLITE_MISUSE) once SQLite is initialised. */
	(void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)NULL, 0, 0);
}

/* Open (creating if needed) and migrate the database at path. */
struct store *
store_open(const char *path, char **cause)
{
	struct store	*st;
	char		*why = NULL;
	int		 rc;

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, st->db != NULL ? sqlite3_errmsg(st->db) :
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (store_small_cache) {
		if (store_exec(st, "PRAGMA cache_size = -" STORE_STRING(STORE_SMALL_CACHE), cause) != 0)
			goto fail;
	}
	if (store_settings(st, cause) != 0)
		goto fail;
	/* The hash function of the audit chain: migration 0002 needs it. */
	if (store_audit_register(st->db) != SQLITE_OK) {
		store_fail(st, "register motcua_event_hash", cause);
		goto fail;
	}
	if (migrate_apply(st->db, &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		goto fail;
	}
	if ((st->version = migrate_version(st->db, cause)) < 0)
		goto fail;
	return st;

fail:
	store_close(st);
	return NULL;
}

/* Close the store; NULL is fine. */
void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncached; i++)
		sqlite3_finalize(st->cached[i].stmt);
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st->error);
	free(st);
}

/* The schema version of the open database. */
int
store_schema_version(struct store *st)
{
	return st->version;
}

/* Read back the settings in effect on the store's connection. */
int
store_info(struct store *st, struct store_info *info, char **cause)
{
	char	buf[64];

	memset(info, 0, sizeof *info);
	if (store_pragma(st, "PRAGMA journal_mode", info->journal_mode,
	    sizeof info->journal_mode, cause) != 0)
		return -1;
	if (store_pragma(st, "PRAGMA synchronous", buf, sizeof buf, cause) != 0)
		return -1;
	info->synchronous = atoi(buf);
	if (store_pragma(st, "PRAGMA foreign_keys", buf, sizeof buf, cause) != 0)
		return -1;
	info->foreign_keys = atoi(buf);
	if (store_pragma(st, "PRAGMA busy_timeout", buf, sizeof buf, cause) != 0)
		return -1;
	info->busy_timeout = atoi(buf);
	if ((info->schema_version = migrate_version(st->db, cause)) < 0)
		return -1;
	return 0;
}

/* Start a write transaction, taking the write lock now (waits up to the busy timeout). */
int
store_begin(struct store *st, char **cause)
{
	if (!sqlite3_get_autocommit(st->db)) {
		*cause = xstrdup("database: a transaction is already open");
		return -1;
	}
	return store_exec(st, "BEGIN IMMEDIATE", cause);
}

/* Commit the open transaction; on failure it is rolled back. */
int
store_commit(struct store *st, char **cause)
{
	if (store_exec(st, "COMMIT", cause) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* Roll back the open transaction, if any. */
void
store_rollback(struct store *st)
{
	char	*ignored = NULL;

	if (!sqlite3_get_autocommit(st->db))
		store_exec(st, "ROLLBACK", &ignored);
	free(ignored);
}
