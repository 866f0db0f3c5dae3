/*
 * exec.h: the process that runs one administrator's command for an SSH exec request: a fresh
 * motcuad (`motcuad exec ...`, see cmd-admin.c) with its standard input, output and error on
 * pipes to the session, and nothing else of the session's memory or descriptors.
 */
#ifndef MOTCUA_EXEC_H
#define MOTCUA_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

/* What the command's process is started with. */
struct exec_spawn {
	const char	*data_dir;	/* --data */
	const char	*catalog_dir;	/* --catalog: the maintainers' catalog */
	const char	*catalog_copy;	/* --copy: the served copy, DATA/run/catalog.N */
	int		 utc_offset;	/* seconds east: the command's TZ */
	const char	*login;		/* --user: the authenticated administrator */
	const char	*command;	/* the exec request, split by the child (admin_split) */
};

struct exec_child {
	pid_t	pid;
	int	in;	/* the command's standard input; non-blocking, close-on-exec */
	int	out;	/* its standard output */
	int	err;	/* its standard error */
};

/*
 * Start the command: three pipes, fork, and in the child a new session and process group,
 * the pipes on 0 to 2, every other descriptor closed, signals reset, and an exec of the
 * running binary (/proc/self/exe) as `motcuad exec --data D --catalog C --copy COPY --user
 * LOGIN --command CMD` with a fresh environment (LANG and LC_ALL C.UTF-8, TZ of the catalog's
 * offset, HOME, PATH, and MOTCUA_NOW if set). No shell is involved. Returns NULL with *cause
 * set on failure.
 */
struct exec_child	*exec_start(const struct exec_spawn *, char **cause);

/*
 * Wait up to timeout_ms for the command to exit (after SIGTERM to its process group if
 * terminate), then kill the group. *status receives the exit status (128 + signal if killed).
 */
void			 exec_reap(struct exec_child *, bool terminate, int timeout_ms,
			     int *status);

/* Close whatever pipe is still open; -1 afterwards. */
void			 exec_close(int *fd);

/* Close the pipes and free the handle (the process must have been reaped); NULL is fine. */
void			 exec_free(struct exec_child *);

#endif
