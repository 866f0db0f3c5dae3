/*
 * tty.c: the interface process of an SSH session. The session opens a pty with the size the
 * client asked for and forks; the child makes the pty its controlling terminal, closes every
 * other descriptor, resets its signals, sets a clean environment with the locale and time
 * zone the server chooses, opens its own store through the service and runs the interface.
 * No shell and no exec, ever.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "tty.h"
#include "service.h"
#include "tui.h"
#include "xmalloc.h"

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

/* In the child: become the interface on the pty's slave; never returns. */
static void
tty_child_main(const struct tty_spawn *spawn, int slave, volatile uint32_t *backlog)
{
	struct service		*service;
	struct tui_options	 options;
	char			 term[80], tz[32], *cause = NULL, *now;
	int			 sig, status;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	{
		sigset_t	set;

		sigemptyset(&set);
		sigprocmask(SIG_SETMASK, &set, NULL);
	}
	if (setsid() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1)
		_exit(127);
	if (dup2(slave, 0) == -1 || dup2(slave, 1) == -1 || dup2(slave, 2) == -1)
		_exit(127);
	close_range(3, ~0U, 0);

	tty_clean_term(spawn->term, term, sizeof term);
	tty_tz(spawn->catalog->utc_offset, tz, sizeof tz);
	/* A fixed clock for tests and demos is the only setting kept from the server. */
	if ((now = getenv("MOTCUA_NOW")) != NULL)
		now = xstrdup(now);
	clearenv();
	setenv("TERM", term, 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TZ", tz, 1);
	setenv("NCURSES_NO_UTF8_ACS", "1", 1);
	setenv("HOME", "/nonexistent", 1);
	setenv("PATH", "/usr/bin:/bin", 1);
	if (now != NULL)
		setenv("MOTCUA_NOW", now, 1);
	tzset();

	if ((service = service_open(spawn->db_path, spawn->catalog, spawn->login,
	    &cause)) == NULL) {
		printf("motcua: %s\r\n", cause != NULL ? cause : "cannot open the service");
		fflush(stdout);
		free(cause);
		_exit(1);
	}
	options = spawn->tui;
	options.backlog = backlog;
	status = tui_run(service, &options);
	service_close(service);
	fflush(stdout);
	_exit(status);
}

/* Open the pty and fork the interface. */
struct tty_child *
tty_start(const struct tty_spawn *spawn, char **cause)
{
	struct tty_child	*child;
	struct winsize		 ws;
	void			*page;
	int			 master, slave, flags;
	pid_t			 pid;

	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)spawn->cols;
	ws.ws_row = (unsigned short)spawn->rows;
	if (openpty(&master, &slave, NULL, NULL, &ws) == -1) {
		*cause = xasprintf("cannot open a pty: %s", strerror(errno));
		return NULL;
	}
	page = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		*cause = xasprintf("cannot map the shared page: %s", strerror(errno));
		close(master);
		close(slave);
		return NULL;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		*cause = xasprintf("cannot fork the interface: %s", strerror(errno));
		munmap(page, (size_t)sysconf(_SC_PAGESIZE));
		close(master);
		close(slave);
		return NULL;
	}
	if (pid == 0) {
		close(master);
		tty_child_main(spawn, slave, page);
	}
	close(slave);
	flags = fcntl(master, F_GETFL);
	fcntl(master, F_SETFL, flags | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);

	child = xcalloc(1, sizeof *child);
	child->pid = pid;
	child->master = master;
	child->backlog = page;
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
	munmap((void *)child->backlog, (size_t)sysconf(_SC_PAGESIZE));
	free(child);
}
