/*
 * conf.h: the settings of `motcuad serve`, read from a file of `key = value` lines. Every
 * key and its protective default is documented in the table in conf.c and printed by
 * `motcuad serve --help`.
 */
#ifndef MOTCUA_CONF_H
#define MOTCUA_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "log.h"

struct conf {
	char		*listen;			/* "ADDR:PORT" */
	enum log_level	 log_level;
	int		 kex_timeout;			/* seconds */
	int		 login_grace;			/* seconds */
	int		 max_auth_tries;
	int		 penalty_failures;		/* per source and login */
	int		 penalty_source_failures;	/* per source */
	int		 penalty_window;		/* seconds */
	int		 penalty_seconds;
	int		 max_unauthenticated;
	int		 max_unauthenticated_per_source;
	int		 max_sessions;
	int		 max_sessions_per_user;
	int		 max_public_sessions;
	int		 idle_timeout;			/* seconds; 0: never */
	int		 idle_warning;			/* seconds */
	int		 keepalive_interval;		/* seconds */
	int		 keepalive_count;
	int		 alert_interval;		/* seconds */
	bool		 alerts_outside_office_hours;
	int		 auth_concurrency;
	char		*public_login;			/* "" : no public login */
};

/* A configuration with every default. Free with conf_free. */
struct conf	*conf_new(void);
void		 conf_free(struct conf *);

/* Set one key from its text value; -1 with *cause ("unknown key", "expected …") on error. */
int		 conf_set(struct conf *, const char *key, const char *value,
		     char **cause);

/*
 * Read a file of `key = value` lines (# starts a comment) into the configuration. Returns
 * 0, or -1 with *cause set to "file:line: message" for the first problem.
 */
int		 conf_load(struct conf *, const char *path, char **cause);

/*
 * Check the settings against each other (idle_warning below a non-zero idle_timeout). Returns
 * 0, or -1 with *cause set.
 */
int		 conf_check(const struct conf *, char **cause);

/*
 * Split "ADDR:PORT" ("127.0.0.1:2222", "[::1]:2222") into its parts (*addr is the caller's).
 * Returns 0, or -1 with *cause set.
 */
int		 conf_split_listen(const char *listen, char **addr, int *port,
		     char **cause);

/* Print every key with its default and meaning. */
void		 conf_help(FILE *);

#endif
