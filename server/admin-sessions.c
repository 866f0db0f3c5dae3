/*
 * admin-sessions.c: the session registry under RUN/sessions (one small file per session
 * process, written by the session itself) and `sessions`, which reads it: who is connected,
 * from where, since when, idle for how long. The listener is not involved; files of processes
 * that are gone are removed by the reader.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "calendar.h"
#include "catalog.h"
#include "xmalloc.h"

#define ADMIN_SESSIONS_DIR	"sessions"
#define ADMIN_SESSIONS_MAX	4096	/* bytes of one registry file */

/* One registered session. */
struct admin_session {
	long	 pid;
	char	*login;
	char	*peer;
	char	*kind;
	int64_t	 started;
	int64_t	 input;		/* the file's mtime: the last input */
};

/* Write the registry file of this process. */
char *
admin_sessions_register(const char *run_dir, const char *login, const char *peer,
    const char *kind, int64_t started, char **cause)
{
	char	*dir, *path = NULL, *tmp = NULL, *text = NULL;
	size_t	 len;
	int	 fd = -1;

	dir = xasprintf("%s/%s", run_dir, ADMIN_SESSIONS_DIR);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		*cause = xasprintf("cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	path = xasprintf("%s/%ld", dir, (long)getpid());
	tmp = xasprintf("%s/.%ld.tmp", dir, (long)getpid());
	text = xasprintf("login %s\npeer %s\nstarted %lld\nkind %s\n", login, peer,
	    (long long)started, kind);
	len = strlen(text);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
	    write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
		*cause = xasprintf("cannot write %s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		unlink(tmp);
		free(path);
		path = NULL;
		goto out;
	}
	if (rename(tmp, path) == -1) {
		*cause = xasprintf("cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		free(path);
		path = NULL;
	}
out:
	free(text);
	free(tmp);
	free(dir);
	return path;
}

/* Mark the registry file with the time of the last input. */
void
admin_sessions_touch(const char *path)
{
	if (path != NULL)
		utimensat(AT_FDCWD, path, NULL, 0);
}

/* Remove the registry file. */
void
admin_sessions_unregister(const char *path)
{
	if (path != NULL)
		unlink(path);
}

/* Free a registered session. */
static void
admin_session_free(struct admin_session *s)
{
	free(s->login);
	free(s->peer);
	free(s->kind);
}

/* Parse a pid from a file name of digits only; -1 if it is not one. */
static long
admin_sessions_pid(const char *name)
{
	long	pid = 0;

	if (*name == '\0')
		return -1;
	for (; *name != '\0'; name++) {
		if (*name < '0' || *name > '9' || pid > 100000000)
			return -1;
		pid = pid * 10 + (*name - '0');
	}
	return pid > 0 ? pid : -1;
}

/* Read one registry file; 0, or -1 if it is unreadable or malformed. */
static int
admin_sessions_read(int dfd, const char *name, long pid, struct admin_session *s)
{
	struct stat	 st;
	char		 buf[ADMIN_SESSIONS_MAX + 1], *line, *next, *space;
	ssize_t		 n;
	int		 fd;

	memset(s, 0, sizeof *s);
	s->pid = pid;
	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || (n = read(fd, buf, ADMIN_SESSIONS_MAX)) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	s->input = (int64_t)st.st_mtim.tv_sec;
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((space = strchr(line, ' ')) == NULL)
			continue;
		*space++ = '\0';
		if (strcmp(line, "login") == 0 && s->login == NULL)
			s->login = xstrdup(space);
		else if (strcmp(line, "peer") == 0 && s->peer == NULL)
			s->peer = xstrdup(space);
		else if (strcmp(line, "kind") == 0 && s->kind == NULL)
			s->kind = xstrdup(space);
		else if (strcmp(line, "started") == 0)
			s->started = strtoll(space, NULL, 10);
	}
	if (s->login == NULL || s->peer == NULL || s->kind == NULL) {
		admin_session_free(s);
		return -1;
	}
	return 0;
}

/* Order sessions by start time, then pid. */
static int
admin_sessions_compare(const void *a, const void *b)
{
	const struct admin_session	*sa = a, *sb = b;

	if (sa->started != sb->started)
		return sa->started < sb->started ? -1 : 1;
	return sa->pid < sb->pid ? -1 : sa->pid > sb->pid;
}

/* Format a duration in seconds as H:MM:SS (hours may exceed 24). */
static void
admin_sessions_duration(int64_t seconds, char *buf, size_t size)
{
	if (seconds < 0)
		seconds = 0;
	snprintf(buf, size, "%lld:%02d:%02d", (long long)(seconds / 3600),
	    (int)(seconds / 60 % 60), (int)(seconds % 60));
}

/* Format an instant in the catalog's local time, or UTC without a catalog. */
static void
admin_sessions_time(const struct admin_ctx *ctx, int64_t t, char *buf, size_t size)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (ctx->catalog != NULL) {
		calendar_format_local(ctx->catalog->calendar, t, buf, size);
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

/* sessions: list the registered sessions that are still running. */
static int
admin_sessions_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const	 headers[] = {
		"PID>", "LOGIN", "FROM", "KIND", "SINCE", "IDLE>"
	};
	struct admin_table		*table;
	struct admin_session		*list = NULL, s;
	struct dirent			*de;
	DIR				*dir;
	size_t				 n = 0, i;
	char				*path, since[32], idle[32];
	long				 pid;
	int64_t				 now = (int64_t)time(NULL);

	(void)argv;
	if (argc != 1)
		return admin_usage(ctx, &admin_cmd_sessions);
	path = xasprintf("%s/%s", ctx->run_dir, ADMIN_SESSIONS_DIR);
	if ((dir = opendir(path)) == NULL && errno != ENOENT) {
		admin_fail(ctx, "cannot read %s: %s", path, strerror(errno));
		free(path);
		return ADMIN_EXIT_FAILURE;
	}
	free(path);
	while (dir != NULL && (de = readdir(dir)) != NULL) {
		if ((pid = admin_sessions_pid(de->d_name)) == -1)
			continue;
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH) {
			unlinkat(dirfd(dir), de->d_name, 0);
			continue;
		}
		if (admin_sessions_read(dirfd(dir), de->d_name, pid, &s) != 0)
			continue;
		list = xreallocarray(list, n + 1, sizeof *list);
		list[n++] = s;
	}
	if (dir != NULL)
		closedir(dir);
	if (n != 0)
		qsort(list, n, sizeof *list, admin_sessions_compare);

	table = admin_table_new(6, headers);
	for (i = 0; i < n; i++) {
		admin_sessions_time(ctx, list[i].started, since, sizeof since);
		admin_sessions_duration(now - list[i].input, idle, sizeof idle);
		admin_table_addf(table, "%ld\t%s\t%s\t%s\t%s\t%s", list[i].pid, list[i].login,
		    list[i].peer, list[i].kind, since, idle);
		admin_session_free(&list[i]);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);
	free(list);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_sessions = {
	.name = "sessions",
	.usage = "",
	.summary = "list who is connected, from where, since when and idle for how long",
	.help = "One row per SSH session running now, the oldest first: the session's process\n"
	    "id, the login, the client's address and port, the kind (interface for the\n"
	    "officers' interface, exec for a command like this one), when it started (local\n"
	    "time of the catalog) and how long since the client last sent input (H:MM:SS,\n"
	    "updated at most every 30 seconds).",
	.tabular = true,
	.exec = admin_sessions_exec,
};
