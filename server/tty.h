/*
 * tty.h: the interface process of a session: a pseudo-terminal, a fork that becomes the
 * officer's full-screen interface on its slave side, and the page of shared memory through
 * which the session tells the interface how much output is still waiting for the link.
 */
#ifndef MOTCUA_TTY_H
#define MOTCUA_TTY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "tui.h"

struct catalog;

/* What the interface process is started with. */
struct tty_spawn {
	const char		*term;		/* the client's TERM (sanitised here) */
	int			 cols;
	int			 rows;
	const char		*db_path;
	const struct catalog	*catalog;
	const char		*login;
	struct tui_options	 tui;		/* backlog is filled in by tty_start */
};

struct tty_child {
	pid_t			 pid;
	int			 master;	/* non-blocking, close-on-exec */
	volatile uint32_t	*backlog;	/* shared with the interface */
};

/*
 * Open a pty of the given size and fork the interface on it. The child never returns: it
 * runs the interface and exits with its status. Returns NULL with *cause set on failure.
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
