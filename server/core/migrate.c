/* migrate.c: applies the numbered schema migrations, each in its own transaction. */
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migrate.h"
#include "xmalloc.h"

/* Return the newest schema version this binary knows. */
int
migrate_latest(void)
{
	int	latest = 0;
	size_t	i;

	for (i = 0; i < nmigrations; i++) {
		if (migrations[i].version > latest)
			latest = migrations[i].version;
	}
	return latest;
}

/* Run every statement of a script of fixed SQL text; returns 0, or -1 with *cause set. */
static int
migrate_script(sqlite3 *db, const char *what, const char *sql, char **cause)
{
	sqlite3_stmt	*stmt;
	const char	*tail = sql;
	int		 rc;

	while (*tail != '\0') {
		stmt = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &stmt, &tail) != SQLITE_OK) {
			*cause = xasprintf("%s: %s", what, sqlite3_errmsg(db));
			return -1;
		}
		if (stmt == NULL)	/* only white space or comments were left */
			break;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE) {
			*cause = xasprintf("%s: %s", what, sqlite3_errmsg(db));
			sqlite3_finalize(stmt);
			return -1;
		}
		sqlite3_finalize(stmt);
	}
	return 0;
}

/* Roll back whatever transaction is open, ignoring errors (used on failure paths). */
static void
migrate_rollback(sqlite3 *db)
{
	char	*ignored = NULL;

	if (!sqlite3_get_autocommit(db))
		migrate_script(db, "rollback", "ROLLBACK", &ignored);
	free(ignored);
}

/* Return the database's current schema version (0 for an empty database), or -1. */
int
migrate_version(sqlite3 *db, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	int		 version = -1, rc;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name = 'schema_migrations'", -1, &stmt,
	    NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		goto fail;
	if (sqlite3_column_int(stmt, 0) == 0) {
		version = 0;
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM schema_migrations",
	    -1, &stmt, NULL) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		goto fail;
	version = sqlite3_column_int(stmt, 0);
	goto out;

fail:
	*cause = xasprintf("cannot read the schema version: %s", sqlite3_errmsg(db));
	version = -1;
out:
	sqlite3_finalize(stmt);
	return version;
}

/* Record that a migration was applied, inside the open transaction. */
static int
migrate_record(sqlite3 *db, const struct migration *m, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	int		 ret = -1;

	if (sqlite3_prepare_v2(db, "INSERT INTO schema_migrations(version, name, applied_at) "
	    "VALUES (?1, ?2, ?3)", -1, &stmt, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int(stmt, 1, m->version);
	sqlite3_bind_text(stmt, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)time(NULL));
	if (sqlite3_step(stmt) != SQLITE_DONE)
		goto fail;
	ret = 0;
	goto out;

fail:
	*cause = xasprintf("migration %s: cannot record it: %s", m->name, sqlite3_errmsg(db));
out:
	sqlite3_finalize(stmt);
	return ret;
}

/* Bring the database up to migrate_latest(); returns 0, or -1 with *cause set. */
int
migrate_apply(sqlite3 *db, char **cause)
{
	const struct migration	*m;
	int			 latest = migrate_latest(), version;
	size_t			 i;
	char			*what;

	for (i = 0; i < nmigrations; i++) {
		m = &migrations[i];
		if (i > 0 && m->version <= migrations[i - 1].version) {
			*cause = xasprintf("migration %s is out of order", m->name);
			return -1;
		}

		/* Take the write lock first, then look: another process may be migrating too. */
		if (migrate_script(db, "migrate", "BEGIN IMMEDIATE", cause) != 0)
			return -1;
		if (migrate_script(db, "migrate", "CREATE TABLE IF NOT EXISTS schema_migrations ("
		    "version INTEGER PRIMARY KEY CHECK (version >= 1), "
		    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)", cause) != 0)
			goto fail;
		if ((version = migrate_version(db, cause)) < 0)
			goto fail;
		if (version > latest) {
			*cause = xasprintf("database schema version %d is newer than this motcuad "
			    "(knows up to %d); upgrade motcuad", version, latest);
			goto fail;
		}
		if (version >= m->version) {
			if (migrate_script(db, "migrate", "COMMIT", cause) != 0)
				goto fail;
			continue;
		}

		what = xasprintf("migration %s", m->name);
		if (migrate_script(db, what, m->sql, cause) != 0) {
			free(what);
			goto fail;
		}
		free(what);
		if (migrate_record(db, m, cause) != 0)
			goto fail;
		if (migrate_script(db, "migrate", "COMMIT", cause) != 0)
			goto fail;
	}

	/* With no pending migration, still refuse a database from a newer binary. */
	if ((version = migrate_version(db, cause)) < 0)
		return -1;
	if (version > latest) {
		*cause = xasprintf("database schema version %d is newer than this motcuad "
		    "(knows up to %d); upgrade motcuad", version, latest);
		return -1;
	}
	return 0;

fail:
	migrate_rollback(db);
	return -1;
}
