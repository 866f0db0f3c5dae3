/*
 * store-backup.c: a consistent online copy of the store, made with SQLite's backup API under
 * one read transaction, so that writers in other processes go on while it runs (WAL) and the
 * copy is the store exactly as it was when the copy began.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "store-internal.h"
#include "xmalloc.h"

#define STORE_BACKUP_PAGES	2048	/* pages copied per step, between progress reports */
#define STORE_BACKUP_RETRIES	100	/* steps that found a lock, 10 ms apart */

/* Run one statement on a connection that is not the store's; 0, or -1 with *cause. */
static int
store_backup_exec(sqlite3 *db, const char *sql, const char *what, char **cause)
{
	char	*error = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", what, error != NULL ? error : sqlite3_errmsg(db));
		sqlite3_free(error);
		return -1;
	}
	return 0;
}

/* Copy a snapshot of the store into a new database file at path. */
int
store_backup(struct store *st, const char *path,
    void (*progress)(int64_t done, int64_t total, void *arg), void *arg, int64_t *bytes,
    char **cause)
{
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };
	sqlite3_backup	*backup = NULL;
	sqlite3		*dest = NULL;
	struct stat	 sb;
	bool		 reading = false;
	int		 fd, rc, retries = 0, total, ret = -1;

	*bytes = 0;
	if (sqlite3_get_autocommit(st->db) == 0) {
		*cause = xasprintf("backup: a transaction is open on the store");
		return -1;
	}
	/* Made here, private and new: SQLite would create it with the umask's mode. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, dest != NULL ? sqlite3_errmsg(dest) :
		    "cannot open");
		goto out;
	}
	/* A scratch file streamed once: no journal, no syncs, no other reader. */
	if (store_backup_exec(dest, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
	    "PRAGMA locking_mode = EXCLUSIVE", path, cause) != 0)
		goto out;

	/* One read transaction on the store: the snapshot every step copies from. */
	if (store_exec(st, "BEGIN DEFERRED", cause) != 0)
		goto out;
	reading = true;
	if (store_exec(st, "SELECT count(*) FROM sqlite_schema", cause) != 0)
		goto out;

	if ((backup = sqlite3_backup_init(dest, "main", st->db, "main")) == NULL) {
		*cause = xasprintf("backup: %s", sqlite3_errmsg(dest));
		goto out;
	}
	for (;;) {
		rc = sqlite3_backup_step(backup, STORE_BACKUP_PAGES);
		total = sqlite3_backup_pagecount(backup);
		if (progress != NULL)
			progress(total - sqlite3_backup_remaining(backup), total, arg);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_OK)
			continue;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    retries++ < STORE_BACKUP_RETRIES) {
			nanosleep(&pause, NULL);
			continue;
		}
		*cause = xasprintf("backup: %s", sqlite3_errstr(rc));
		goto out;
	}
	rc = sqlite3_backup_finish(backup);
	backup = NULL;
	if (rc != SQLITE_OK) {
		*cause = xasprintf("backup: %s", sqlite3_errstr(rc));
		goto out;
	}
	if (sqlite3_close(dest) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, sqlite3_errmsg(dest));
		goto out;
	}
	dest = NULL;
	if (stat(path, &sb) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	*bytes = (int64_t)sb.st_size;
	ret = 0;
out:
	if (backup != NULL)
		sqlite3_backup_finish(backup);
	if (dest != NULL)
		sqlite3_close(dest);
	if (reading)
		store_rollback(st);
	if (ret != 0)
		unlink(path);
	return ret;
}
