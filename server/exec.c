/*
 * exec.c: the process of an administrator's command run over SSH exec. The session forks and
 * the child executes the running binary afresh (/proc/self/exe, `motcuad exec ...`), so that
 * nothing of the session's memory (libssh state, host key, session keys) reaches the
 * command, with its standard descriptors on pipes, every other descriptor closed and a clean
 * environment. The request is passed as one argument and split by the command itself; there
 * is no shell anywhere.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "exec.h"
#include "tty.h"
#include "xmalloc.h"

#define EXEC_PROGRAM	"/proc/self/exe"

/* Build the command line and environment of `motcuad exec`. */
static void
exec_build(struct tty_exec *e, const struct exec_spawn *spawn)
{
	tty_exec_arg(e, xstrdup("motcuad"));
	tty_exec_arg(e, xstrdup("exec"));
	tty_exec_arg(e, xstrdup("--data"));
	tty_exec_arg(e, xstrdup(spawn->data_dir));
	tty_exec_arg(e, xstrdup("--catalog"));
	tty_exec_arg(e, xstrdup(spawn->catalog_dir));
	tty_exec_arg(e, xstrdup("--copy"));
	tty_exec_arg(e, xstrdup(spawn->catalog_copy));
	tty_exec_arg(e, xstrdup("--user"));
	tty_exec_arg(e, xstrdup(spawn->login));
	tty_exec_arg(e, xstrdup("--command"));
	tty_exec_arg(e, xstrdup(spawn->command));
	tty_exec_base_env(e, spawn->utc_offset);
}

/* In the child: put the pipes on 0 to 2 and exec the command; never returns. */
static void
exec_child_main(const struct tty_exec *e, int in, int out, int err)
{
	sigset_t	set;
	int		sig;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (setsid() == -1)
		_exit(127);
	/* Out of the way of 0 to 2 first, whatever numbers they were given. */
	if ((in = fcntl(in, F_DUPFD, 10)) == -1 || (out = fcntl(out, F_DUPFD, 10)) == -1 ||
	    (err = fcntl(err, F_DUPFD, 10)) == -1)
		_exit(127);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(127);
	if (cli_close_from(3) != 0)
		_exit(127);
	execve(EXEC_PROGRAM, e->argv, e->envp);
	_exit(127);
}

/* Make a descriptor of the session's end non-blocking and close-on-exec. */
static void
exec_parent_fd(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Close a descriptor if open. */
void
exec_close(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/* Start the command. */
struct exec_child *
exec_start(const struct exec_spawn *spawn, char **cause)
{
	struct exec_child	*child = NULL;
	struct tty_exec		 e;
	int			 in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	pid_t			 pid;

	memset(&e, 0, sizeof e);
	exec_build(&e, spawn);
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1 ||
	    pipe2(err, O_CLOEXEC) == -1) {
		*cause = xasprintf("cannot make pipes: %s", strerror(errno));
		goto out;
	}
	/* Big reads need a big pipe; a failure only costs speed. */
	fcntl(out[1], F_SETPIPE_SZ, 1024 * 1024);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		*cause = xasprintf("cannot fork the command: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		exec_child_main(&e, in[0], out[1], err[1]);
	exec_parent_fd(in[1]);
	exec_parent_fd(out[0]);
	exec_parent_fd(err[0]);
	child = xcalloc(1, sizeof *child);
	child->pid = pid;
	child->in = in[1];
	child->out = out[0];
	child->err = err[0];
	in[1] = out[0] = err[0] = -1;
out:
	exec_close(&in[0]);
	exec_close(&in[1]);
	exec_close(&out[0]);
	exec_close(&out[1]);
	exec_close(&err[0]);
	exec_close(&err[1]);
	tty_exec_free(&e);
	return child;
}

/* Wait for the command, terminating or killing its process group if need be. */
void
exec_reap(struct exec_child *child, bool terminate, int timeout_ms, int *status)
{
	struct timespec	 pause = { 0, 5 * 1000 * 1000 };
	int		 waited = 0, st;
	pid_t		 pid;

	*status = 1;
	if (child->pid == -1)
		return;
	if (terminate)
		kill(-child->pid, SIGTERM);
	for (;;) {
		pid = waitpid(child->pid, &st, WNOHANG);
		if (pid == child->pid)
			break;
		if (pid == -1 && errno != EINTR) {
			child->pid = -1;
			return;
		}
		if (waited >= timeout_ms) {
			kill(-child->pid, SIGKILL);
			kill(child->pid, SIGKILL);
			if (waitpid(child->pid, &st, 0) != child->pid) {
				child->pid = -1;
				return;
			}
			break;
		}
		nanosleep(&pause, NULL);
		waited += 5;
	}
	child->pid = -1;
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else
		*status = 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Close the pipes and free the handle. */
void
exec_free(struct exec_child *child)
{
	if (child == NULL)
		return;
	exec_close(&child->in);
	exec_close(&child->out);
	exec_close(&child->err);
	free(child);
}
