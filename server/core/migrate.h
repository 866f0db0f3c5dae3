/* migrate.h: the numbered schema migrations and how they are applied to a database. */
#ifndef MOTCUA_MIGRATE_H
#define MOTCUA_MIGRATE_H

#include <stddef.h>

struct sqlite3;

/* One migration: version N comes from migrations/NNNN-name.sql. */
struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

/* The migrations this binary was built with, in ascending order (migrations-sql.c). */
extern const struct migration	migrations[];
extern const size_t		nmigrations;

/* The newest schema version this binary knows. */
int	migrate_latest(void);

/*
 * Bring the database up to migrate_latest(): each pending migration runs in its own
 * transaction and is recorded in schema_migrations. Re-running is a no-op. A database whose
 * version is newer than this binary is refused. Returns 0, or -1 with *cause set.
 */
int	migrate_apply(struct sqlite3 *, char **cause);

/* The database's current schema version (0 for an empty database), or -1 with *cause set. */
int	migrate_version(struct sqlite3 *, char **cause);

#endif
