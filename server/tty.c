/*
 * tty.c: the interface process of an SSH session. The session opens a pty with the size the
 * client asked for and a page of shared memory (a memfd) for the backlog, and forks; the child
 * makes the pty its controlling terminal, puts the page on descriptor 3, closes every other
 * descriptor, resets its signals and executes the interface program, motcua-interface, afresh
 * (its command line reads `motcuad interface ...`) with a clean environment holding the locale
 * and time zone the server chooses. The exec matters: a forked copy of the session would carry
 * libssh's state, the host key and the session keys into the process that runs the officers'
 * interface. No shell, ever. The program is the one beside the running motcuad (the build
 * tree) or else the installed one in MOTCUA_LIBEXECDIR; it links neither libssh nor a
 * cryptographic library, so an idle interface costs little memory.
 * The catalog it is told to load is the listener's copy, DATA/run/catalog.N (see server.h),
 * never the maintainers' directory, which may be half edited.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tty.h"
#include "xmalloc.h"

#define TTY_PROGRAM	"motcua-interface"	/* the interface program's file name */

/* Sanitise TERM. */
void
tty_clean_term(const char *term, char *buf, size_t size)
{
	size_t	n;

	for (n = 0; term != NULL && term[n] != '\0' && n + 1 < size && n < 64; n++) {
		if (!((term[n] >= 'a' && term[n] <= 'z') || (term[n] >= 'A' && term[n] <= 'Z') ||
		    (term[n] >= '0' && term[n] <= '9') || strchr("._+-", term[n]) != NULL))
			break;
		buf[n] = term[n];
	}
	if (n == 0 || term[n] != '\0')
		snprintf(buf, size, "vt100");
	else
		buf[n] = '\0';
}

/* Format the POSIX TZ of a fixed offset: east of UTC is negative in TZ. */
void
tty_tz(int utc_offset, char *buf, size_t size)
{
	int	a = utc_offset < 0 ? -utc_offset : utc_offset;
	int	h = a / 3600, m = (a % 3600) / 60;
	char	sign = utc_offset < 0 ? '-' : '+';

	if (m == 0)
		snprintf(buf, size, "<%c%02d>%s%d", sign, h, utc_offset > 0 ? "-" : "", h);
	else {
		snprintf(buf, size, "<%c%02d%02d>%s%d:%02d", sign, h, m,
		    utc_offset > 0 ? "-" : "", h, m);
	}
}

/* Add an argument. */
void
tty_exec_arg(struct tty_exec *e, char *arg)
{
	e->argv[e->argc++] = arg;
	e->argv[e->argc] = NULL;
}

/* Add an environment variable. */
void
tty_exec_env(struct tty_exec *e, char *var)
{
	e->envp[e->envc++] = var;
	e->envp[e->envc] = NULL;
}

/* Add the environment every program the server starts gets. */
void
tty_exec_base_env(struct tty_exec *e, int utc_offset)
{
	const char	*now;
	char		 tz[32];

	tty_tz(utc_offset, tz, sizeof tz);
	tty_exec_env(e, xstrdup("LANG=C.UTF-8"));
	tty_exec_env(e, xstrdup("LC_ALL=C.UTF-8"));
	tty_exec_env(e, xasprintf("TZ=%s", tz));
	tty_exec_env(e, xstrdup("HOME=/nonexistent"));
	tty_exec_env(e, xstrdup("PATH=/usr/bin:/bin"));
	/* A fixed clock for tests and demos is the only setting kept from the server. */
	if ((now = getenv("MOTCUA_NOW")) != NULL)
		tty_exec_env(e, xasprintf("MOTCUA_NOW=%s", now));
}

/* Free the vectors. */
void
tty_exec_free(struct tty_exec *e)
{
	int	i;

	free(e->path);
	for (i = 0; i < e->argc; i++)
		free(e->argv[i]);
	for (i = 0; i < e->envc; i++)
		free(e->envp[i]);
}

/* The interface program: beside the running binary if there, else the installed one. */
static char *
tty_program(char **cause)
{
	char	 self[PATH_MAX], *slash, *path;
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0 && (size_t)n < sizeof self - 1) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			path = xasprintf("%s/%s", self, TTY_PROGRAM);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	path = xasprintf("%s/%s", MOTCUA_LIBEXECDIR, TTY_PROGRAM);
	if (access(path, X_OK) == 0)
		return path;
	*cause = xasprintf("cannot run the interface program %s: %s", path, strerror(errno));
	free(path);
	return NULL;
}

/* Build the command line and environment of `motcuad interface` for a spawn. */
static void
tty_exec_build(struct tty_exec *e, const struct tty_spawn *spawn)
{
	char	term[80];

	tty_exec_arg(e, xstrdup("motcuad"));
	tty_exec_arg(e, xstrdup("interface"));
	tty_exec_arg(e, xstrdup("--data"));
	tty_exec_arg(e, xstrdup(spawn->data_dir));
	tty_exec_arg(e, xstrdup("--catalog"));
	tty_exec_arg(e, xstrdup(spawn->catalog_dir));
	if (spawn->public)
		tty_exec_arg(e, xstrdup("--public"));
	else {
		tty_exec_arg(e, xstrdup("--user"));
		tty_exec_arg(e, xstrdup(spawn->login));
	}
	tty_exec_arg(e, xstrdup("--idle-timeout"));
	tty_exec_arg(e, xasprintf("%d", spawn->idle_timeout));
	tty_exec_arg(e, xstrdup("--idle-warning"));
	tty_exec_arg(e, xasprintf("%d", spawn->idle_warning));
	tty_exec_arg(e, xstrdup("--alert-interval"));
	tty_exec_arg(e, xasprintf("%d", spawn->alert_interval));
	tty_exec_arg(e, xstrdup("--alerts-outside-office-hours"));
	tty_exec_arg(e, xstrdup(spawn->alerts_outside_office_hours ? "yes" : "no"));
	tty_exec_arg(e, xstrdup("--backlog-limit"));
	tty_exec_arg(e, xasprintf("%u", (unsigned int)spawn->backlog_limit));

	tty_clean_term(spawn->term, term, sizeof term);
	tty_exec_env(e, xasprintf("TERM=%s", term));
	tty_exec_env(e, xstrdup("NCURSES_NO_UTF8_ACS=1"));
	tty_exec_base_env(e, spawn->utc_offset);
}

/*
 * In the child: set up the terminal and descriptors and exec the interface; never returns.
 * With keep_log, the session's standard error (the server's log) goes along on TTY_LOG_FD.
 */
static void
tty_child_main(const struct tty_exec *e, int slave, int page, bool keep_log)
{
	sigset_t	set;
	int		sig, log = -1;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	/* Out of the way of 0 to 3 first, whatever numbers they were given. */
	if ((slave = fcntl(slave, F_DUPFD, 10)) == -1 || (page = fcntl(page, F_DUPFD, 10)) == -1)
		_exit(127);
	if (keep_log && (log = fcntl(STDERR_FILENO, F_DUPFD, 10)) == -1)
		_exit(127);
	if (setsid() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1)
		_exit(127);
	if (dup2(slave, 0) == -1 || dup2(slave, 1) == -1 || dup2(slave, 2) == -1 ||
	    dup2(page, TTY_BACKLOG_FD) == -1)
		_exit(127);
	if (log != -1 && dup2(log, TTY_LOG_FD) == -1)
		_exit(127);
	if (cli_close_from(log != -1 ? TTY_LOG_FD + 1 : TTY_BACKLOG_FD + 1) != 0)
		_exit(127);
	execve(e->path, e->argv, e->envp);
	_exit(127);
}

/* Open the pty and the shared page, and start the interface. */
struct tty_child *
tty_start(const struct tty_spawn *spawn, char **cause)
{
	struct tty_child	*child = NULL;
	struct tty_exec		 e;
	struct winsize		 ws;
	void			*page = MAP_FAILED;
	int			 master = -1, slave = -1, memfd = -1, flags;
	pid_t			 pid;

	memset(&e, 0, sizeof e);
	if ((e.path = tty_program(cause)) == NULL)
		goto out;
	tty_exec_build(&e, spawn);
	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)spawn->cols;
	ws.ws_row = (unsigned short)spawn->rows;
	if (openpty(&master, &slave, NULL, NULL, &ws) == -1) {
		*cause = xasprintf("cannot open a pty: %s", strerror(errno));
		goto out;
	}
	if ((memfd = memfd_create("motcua-backlog", MFD_CLOEXEC)) == -1 ||
	    ftruncate(memfd, TTY_BACKLOG_SIZE) == -1) {
		*cause = xasprintf("cannot make the shared page: %s", strerror(errno));
		goto out;
	}
	page = mmap(NULL, TTY_BACKLOG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (page == MAP_FAILED) {
		*cause = xasprintf("cannot map the shared page: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		*cause = xasprintf("cannot fork the interface: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		tty_child_main(&e, slave, memfd, spawn->public);
	flags = fcntl(master, F_GETFL);
	fcntl(master, F_SETFL, flags | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);

	child = xcalloc(1, sizeof *child);
	child->pid = pid;
	child->master = master;
	child->backlog = page;
	master = -1;
	page = MAP_FAILED;
out:
	if (page != MAP_FAILED)
		munmap(page, TTY_BACKLOG_SIZE);
	if (memfd != -1)
		close(memfd);
	if (slave != -1)
		close(slave);
	if (master != -1)
		close(master);
	tty_exec_free(&e);
	return child;
}

/* Resize the terminal. */
void
tty_resize(struct tty_child *child, int cols, int rows)
{
	struct winsize	ws;

	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	if (child->master != -1)
		ioctl(child->master, TIOCSWINSZ, &ws);
}

/* Publish the backlog. */
void
tty_set_backlog(struct tty_child *child, uint32_t bytes)
{
	*child->backlog = bytes;
}

/* Wait for the interface to exit, hanging it up or killing it if need be. */
int
tty_reap(struct tty_child *child, bool hangup, int timeout_ms, int *status)
{
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };
	int		 waited = 0, st;
	pid_t		 pid;

	if (child->pid == -1)
		return 0;
	if (hangup)
		kill(-child->pid, SIGHUP);
	for (;;) {
		pid = waitpid(child->pid, &st, WNOHANG);
		if (pid == child->pid)
			break;
		if (pid == -1 && errno != EINTR) {
			child->pid = -1;
			*status = 1;
			return 0;
		}
		if (waited >= timeout_ms) {
			kill(-child->pid, SIGKILL);
			kill(child->pid, SIGKILL);
			if (waitpid(child->pid, &st, 0) != child->pid) {
				child->pid = -1;
				*status = 1;
				return 0;
			}
			break;
		}
		nanosleep(&pause, NULL);
		waited += 10;
	}
	child->pid = -1;
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else
		*status = 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}

/* Free the handle. */
void
tty_free(struct tty_child *child)
{
	if (child == NULL)
		return;
	if (child->master != -1)
		close(child->master);
	munmap((void *)child->backlog, TTY_BACKLOG_SIZE);
	free(child);
}
