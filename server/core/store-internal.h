/* store-internal.h: what the store*.c files share: the handle and small SQLite helpers. */
#ifndef MOTCUA_STORE_INTERNAL_H
#define MOTCUA_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_CACHED	96	/* prepared statements kept for reuse */

/* A prepared statement kept for reuse, keyed by the address of its SQL text. */
struct store_cached {
	const char	*sql;
	sqlite3_stmt	*stmt;
	bool		 busy;	/* handed out and not yet released */
};

struct store {
	sqlite3			*db;
	char			*path;
	int			 version;
	char			*error;	/* message of a write undone by store_step_write */
	struct store_cached	 cached[STORE_CACHED];
	size_t			 ncached;
};

sqlite3_stmt	*store_prepare(struct store *, const char *sql, char **cause);
void		 store_release(struct store *, sqlite3_stmt *);
int		 store_exec(struct store *, const char *sql, char **cause);
int		 store_fail(struct store *, const char *what, char **cause);
int		 store_step_done(struct store *, sqlite3_stmt *, const char *what,
		     char **cause);
int		 store_step_write(struct store *, sqlite3_stmt *);
int		 store_write_done(struct store *, sqlite3_stmt *, const char *what,
		     char **cause);
void		 store_bind_text(sqlite3_stmt *, int, const char *);
void		 store_bind_time(sqlite3_stmt *, int, int64_t);
char		*store_column_text(sqlite3_stmt *, int);
int64_t		 store_column_time(sqlite3_stmt *, int);

#endif
