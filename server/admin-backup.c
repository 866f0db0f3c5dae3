/*
 * admin-backup.c: `backup`, a consistent online copy of the store written to stdout
 * (`ssh admin@province backup > motcua-2015-08-25.db`), with its progress on stderr.
 *
 * The copy is made first into DATA/run/backup-PID.tmp (store_backup: one read snapshot, the
 * server keeps working), which is then opened, unlinked at once (nothing is left behind if
 * the transfer dies) and sent with sendfile. The run directory therefore needs free space
 * for one copy of the store. The backup is recorded in the audit chain before the snapshot
 * is taken, so the copy holds its own record.
 */
#include "config.h"

#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "store.h"
#include "xmalloc.h"

#define ADMIN_BACKUP_PREFIX	"backup-"
#define ADMIN_BACKUP_SUFFIX	".tmp"
#define ADMIN_BACKUP_CHUNK	(8 * 1024 * 1024)	/* bytes per sendfile call */
#define ADMIN_BACKUP_EVERY_MS	1000			/* between progress lines */

/* The progress shown on stderr: at most one line a second per phase, and the last. */
struct admin_backup_progress {
	struct admin_ctx	*ctx;
	const char		*phase;		/* "snapshot", "sending" */
	int			 last_percent;
	double			 last_ms;
	double			 start_ms;
};

/* Milliseconds on the monotonic clock. */
static double
admin_backup_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Report progress: a line when a second has passed or the phase is complete. */
static void
admin_backup_report(int64_t done, int64_t total, void *arg)
{
	struct admin_backup_progress	*p = arg;
	double				 now = admin_backup_ms();
	int				 percent;

	percent = total <= 0 ? 100 : (int)(done * 100 / total);
	if (percent == p->last_percent)
		return;
	if (percent != 100 && now - p->last_ms < ADMIN_BACKUP_EVERY_MS)
		return;
	fprintf(p->ctx->err, "backup: %s %d%%\n", p->phase, percent);
	fflush(p->ctx->err);
	p->last_percent = percent;
	p->last_ms = now;
}

/* Start a phase of the progress. */
static void
admin_backup_phase(struct admin_backup_progress *p, const char *phase)
{
	p->phase = phase;
	p->last_percent = -1;
	p->last_ms = p->start_ms = admin_backup_ms();
}

/* Remove the copies that backups which died left in the run directory. */
static void
admin_backup_clean(const char *run_dir)
{
	struct dirent	*entry;
	DIR		*dir;
	char		*path, *end;
	long		 pid;
	size_t		 len;

	if ((dir = opendir(run_dir)) == NULL)
		return;
	while ((entry = readdir(dir)) != NULL) {
		if (strncmp(entry->d_name, ADMIN_BACKUP_PREFIX,
		    strlen(ADMIN_BACKUP_PREFIX)) != 0)
			continue;
		len = strlen(entry->d_name);
		if (len <= strlen(ADMIN_BACKUP_SUFFIX) || strcmp(entry->d_name + len -
		    strlen(ADMIN_BACKUP_SUFFIX), ADMIN_BACKUP_SUFFIX) != 0)
			continue;
		errno = 0;
		pid = strtol(entry->d_name + strlen(ADMIN_BACKUP_PREFIX), &end, 10);
		if (errno != 0 || pid <= 0 || pid > INT_MAX || strcmp(end, ADMIN_BACKUP_SUFFIX) != 0)
			continue;
		/* Its process is gone (or it is this one, reusing a dead one's pid). */
		if (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		path = xasprintf("%s/%s", run_dir, entry->d_name);
		unlink(path);
		free(path);
	}
	closedir(dir);
}

/* Copy from fd to out with stdio (when out has no descriptor of its own). */
static int
admin_backup_copy(int fd, FILE *out, int64_t size, struct admin_backup_progress *p)
{
	char	*buf;
	ssize_t	 n;
	int64_t	 sent = 0;
	int	 ret = -1;

	buf = xmalloc(65536);
	while ((n = read(fd, buf, 65536)) > 0) {
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			goto out;
		sent += n;
		admin_backup_report(sent, size, p);
	}
	if (n == 0 && fflush(out) == 0 && sent == size)
		ret = 0;
out:
	free(buf);
	return ret;
}

/* Write all of buf to fd; returns 0, or -1 with errno set. */
static int
admin_backup_write(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send size bytes of fd to the descriptor out_fd; returns 0, or -1 with errno set. */
static int
admin_backup_send(int fd, int out_fd, int64_t size, struct admin_backup_progress *p)
{
	char	*buf = NULL;
	ssize_t	 n;
	int64_t	 sent = 0;
	size_t	 chunk;
	bool	 plain = false;

	while (sent < size) {
		chunk = size - sent > ADMIN_BACKUP_CHUNK ? ADMIN_BACKUP_CHUNK :
		    (size_t)(size - sent);
		if (!plain) {
			n = sendfile(out_fd, fd, NULL, chunk);
			if (n == -1 && (errno == EINVAL || errno == ENOSYS) && sent == 0) {
				plain = true;	/* an output sendfile cannot write to */
				buf = xmalloc(65536);
				continue;
			}
		} else if ((n = read(fd, buf, chunk < 65536 ? chunk : 65536)) > 0 &&
		    admin_backup_write(out_fd, buf, (size_t)n) != 0)
			n = -1;
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;	/* the file cannot shrink: something is wrong */
			free(buf);
			return -1;
		}
		sent += n;
		admin_backup_report(sent, size, p);
	}
	free(buf);
	return 0;
}

/* backup: a consistent copy of the store to stdout. */
static int
admin_backup_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct admin_backup_progress	 p;
	struct sigaction		 ignore, saved;
	struct stat			 sb;
	char				*path = NULL, *cause = NULL, *note = NULL;
	int64_t				 bytes = 0;
	double				 start, seconds;
	int				 fd = -1, out_fd, rc, status = ADMIN_EXIT_FAILURE;

	(void)argv;
	if (argc != 1)
		return admin_usage(ctx, &admin_cmd_backup);
	out_fd = fileno(ctx->out);
	if (out_fd != -1 && isatty(out_fd)) {
		return admin_fail(ctx, "refusing to write the database to a terminal; "
		    "redirect it to a file: backup > motcua-backup.db");
	}
	if (mkdir(ctx->run_dir, 0700) == -1 && errno != EEXIST)
		return admin_fail(ctx, "%s: %s", ctx->run_dir, strerror(errno));
	admin_backup_clean(ctx->run_dir);

	memset(&p, 0, sizeof p);
	p.ctx = ctx;
	start = admin_backup_ms();

	note = xasprintf("to %s%s", ctx->login, ctx->remote ? " over SSH" : " on the host");
	if (store_admin_event(ctx->store, ctx->actor, "backup", ctx->db_path, note, ctx->now,
	    &cause) != 0) {
		admin_fail(ctx, "cannot record the backup in the audit chain: %s", cause);
		goto out;
	}

	path = xasprintf("%s/" ADMIN_BACKUP_PREFIX "%ld" ADMIN_BACKUP_SUFFIX, ctx->run_dir,
	    (long)getpid());
	admin_backup_phase(&p, "snapshot");
	if (store_backup(ctx->store, path, admin_backup_report, &p, &bytes, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	rc = errno;
	unlink(path);
	if (fd == -1 || fstat(fd, &sb) == -1) {
		admin_fail(ctx, "%s: %s", path, strerror(fd == -1 ? rc : errno));
		goto out;
	}
	bytes = (int64_t)sb.st_size;

	/* A reader that goes away is an error to report, not a signal that kills. */
	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &saved);
	admin_backup_phase(&p, "sending");
	if (fflush(ctx->out) != 0)
		rc = -1;
	else if (out_fd != -1)
		rc = admin_backup_send(fd, out_fd, bytes, &p);
	else
		rc = admin_backup_copy(fd, ctx->out, bytes, &p);
	sigaction(SIGPIPE, &saved, NULL);
	if (rc != 0) {
		admin_fail(ctx, "writing the backup: %s", strerror(errno));
		goto out;
	}
	seconds = (admin_backup_ms() - start) / 1e3;
	fprintf(ctx->err, "backup: %lld bytes in %.1f s (%.1f MB/s)\n", (long long)bytes,
	    seconds, seconds > 0 ? (double)bytes / 1e6 / seconds : 0.0);
	status = ADMIN_EXIT_OK;
out:
	if (fd != -1)
		close(fd);
	free(note);
	free(path);
	free(cause);
	return status;
}

const struct admin_command admin_cmd_backup = {
	.name = "backup",
	.usage = "",
	.summary = "write a consistent copy of the database to stdout",
	.help = "Write a consistent copy of the database to stdout while the server keeps\n"
	    "working, for example: ssh admin@province backup > motcua-2015-08-25.db\n"
	    "Progress goes to stderr. A terminal is refused as the output. The copy is made in\n"
	    "DATA/run first (it needs free space for one copy of the database) and removed as\n"
	    "it is sent. Every backup is recorded in the audit chain.\n"
	    "To restore: stop the server, check the copy (sqlite3 FILE 'PRAGMA integrity_check'\n"
	    "prints ok), move DATA/motcua.db, DATA/motcua.db-wal and DATA/motcua.db-shm aside,\n"
	    "put the copy in place as DATA/motcua.db (mode 0600) and start the server.",
	.exec = admin_backup_exec,
};
