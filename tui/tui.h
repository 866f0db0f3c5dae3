/*
 * tui.h: the officers' full-screen interface (ncursesw), run in a process whose standard input
 * and output are a terminal. It talks to the core only through service.h.
 */
#ifndef MOTCUA_TUI_H
#define MOTCUA_TUI_H

#include <stdbool.h>
#include <stdint.h>

struct service;
struct service_public;

struct tui_options {
	/*
	 * Bytes written by the interface that have not yet left for the client, kept current by
	 * the SSH session in memory shared with the interface; NULL on a local terminal. While it
	 * is above backlog_limit the interface draws nothing and sends the latest state once the
	 * link has caught up, so a slow link never queues stale screens.
	 */
	const volatile uint32_t	*backlog;
	uint32_t		 backlog_limit;
	int			 idle_timeout;		/* seconds without a key; 0: never */
	int			 idle_warning;		/* seconds of warning before it */
	int			 alert_interval;	/* seconds between alert checks */
	bool			 alerts_outside_office_hours;
	/*
	 * Called with catalog_arg when the officer starts work that reads the catalog (a new
	 * intake, a search for a procedure): if the server serves a newer catalog, switch the
	 * service to it (service_set_catalog) and return true; else change nothing and return
	 * false. It must be cheap when nothing changed. NULL: the catalog never changes.
	 */
	bool			(*catalog_refresh)(void *);
	void			*catalog_arg;
};

/*
 * Run the interface for the officer the service was opened for until they log out, the idle
 * timeout passes or the terminal goes away. TERM is validated first, falling back to
 * xterm-256color, xterm, then vt100. Returns 0, or 1 if the terminal could not be used.
 */
int	tui_run(struct service *, const struct tui_options *);

/*
 * Run the interface of the public login: its one screen (a citizen's lookup and the public
 * board) and nothing else; no draft, no alerts. Returns as tui_run.
 */
int	tui_run_public(struct service_public *, const struct tui_options *);

#endif
