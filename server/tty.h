/*
 * tty.h: the interface process of a session: a pseudo-terminal, and on its slave side a fresh
 * program (motcua-interface, see cmd-interface.c) that inherits nothing of the session but
 * the terminal and the page of shared memory through which the session tells it how much
 * output is still waiting for the link.
 */
#ifndef MOTCUA_TTY_H
#define MOTCUA_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TTY_BACKLOG_FD		3	/* the interface's descriptor of the shared page */
#define TTY_BACKLOG_SIZE	4096	/* its size; the backlog is the uint32_t at offset 0 */
#define TTY_LOG_FD		4	/* the public interface's descriptor of the server's log */

/*
 * The program, argument and environment vectors of a program the server starts afresh (the
 * interface, an administrator's command), built before the fork. Each string is the vectors'
 * own; tty_exec_free frees them.
 */
struct tty_exec {
	char	*path;
	char	*argv[24];
	int	 argc;
	char	*envp[12];
	int	 envc;
};
void		 tty_exec_arg(struct tty_exec *, char *arg);
void		 tty_exec_env(struct tty_exec *, char *var);
/*
 * The environment every such program gets, whatever the server's: the locale C.UTF-8, TZ of
 * the catalog's offset, HOME, PATH, and MOTCUA_NOW if set (a fixed clock for tests and demos).
 */
void		 tty_exec_base_env(struct tty_exec *, int utc_offset);
void		 tty_exec_free(struct tty_exec *);

/* What the interface process is started with. */
struct tty_spawn {
	const char	*term;		/* the client's TERM (sanitised here) */
	int		 cols;
	int		 rows;
	const char	*data_dir;	/* --data */
	const char	*catalog_dir;	/* --catalog */
	int		 utc_offset;	/* seconds east: the interface's TZ */
	const char	*login;
	bool		 public;	/* the public login: its interface, and the log on fd 4 */
	uint32_t	 backlog_limit;
	int		 idle_timeout;
	int		 idle_warning;
	int		 alert_interval;
	bool		 alerts_outside_office_hours;
};

struct tty_child {
	pid_t			 pid;
	int			 master;	/* non-blocking, close-on-exec */
	volatile uint32_t	*backlog;	/* shared with the interface */
};

/*
 * Open a pty of the given size and start the interface on it: fork, make the pty the child's
 * controlling terminal and its descriptors 0 to 2, the shared page descriptor 3, close every
 * other, and exec motcua-interface (beside the running binary, else in MOTCUA_LIBEXECDIR) as
 * `motcuad interface` with a fresh environment (TERM, the
 * locale C.UTF-8, TZ, NCURSES_NO_UTF8_ACS, HOME, PATH and MOTCUA_NOW if set), so that nothing
 * of the session's memory (libssh state, host key, session keys) reaches the interface.
 * Returns NULL with *cause set on failure.
 */
struct tty_child	*tty_start(const struct tty_spawn *, char **cause);

/* Tell the interface the terminal's new size (it receives SIGWINCH). */
void			 tty_resize(struct tty_child *, int cols, int rows);

/* Publish how many bytes of output have not yet left for the client. */
void			 tty_set_backlog(struct tty_child *, uint32_t);

/*
 * Wait up to timeout_ms for the interface to exit (after SIGHUP if hangup); then kill its
 * process group. *status receives the exit status (128 + signal if killed). Returns 0 once
 * reaped.
 */
int			 tty_reap(struct tty_child *, bool hangup, int timeout_ms, int *status);

/* Close the master and unmap the shared page; NULL is fine. */
void			 tty_free(struct tty_child *);

/* Sanitise TERM to [A-Za-z0-9._+-]{1,64} into buf; "vt100" if nothing usable remains. */
void			 tty_clean_term(const char *term, char *buf, size_t size);

/* The POSIX TZ for a UTC offset in seconds east ("<+07>-7"). */
void			 tty_tz(int utc_offset, char *buf, size_t size);

#endif
