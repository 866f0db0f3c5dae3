/*
 * conf.c: the settings of `motcuad serve` and their file format.
 *
 * The file holds `key = value` lines; blank lines and lines starting with # are ignored. An
 * unknown key or a bad value stops the server with "file:line: message". Every key, its range,
 * its default (chosen to protect a province server reached over slow district links) and its
 * meaning is in the table conf_keys below, the one place they are written down; `motcuad
 * serve --help` prints it. Checks between keys are in conf_check.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "xmalloc.h"

enum conf_type {
	CONF_INT,
	CONF_BOOL,
	CONF_LISTEN,
	CONF_LEVEL,
	CONF_LOGIN
};

struct conf_key {
	const char		*name;
	enum conf_type	 type;
	size_t			 offset;
	int			 min;
	int			 max;
	const char		*fallback;	/* the default, as text */
	const char		*help;
};

#define CONF_INT_KEY(n, lo, hi, d, h) \
	{ #n, CONF_INT, offsetof(struct conf, n), lo, hi, d, h }

static const struct conf_key conf_keys[] = {
	{ "listen", CONF_LISTEN, offsetof(struct conf, listen), 0, 0, "127.0.0.1:2222",
	    "address and port to accept SSH connections on" },
	{ "log_level", CONF_LEVEL, offsetof(struct conf, log_level), 0, 0, "info",
	    "error, warn, info or debug" },
	CONF_INT_KEY(kex_timeout, 1, 600, "20",
	    "seconds a client has to finish the key exchange"),
	CONF_INT_KEY(login_grace, 1, 3600, "60",
	    "seconds a connection has to authenticate"),
	CONF_INT_KEY(max_auth_tries, 1, 100, "3",
	    "failed attempts per connection before it is closed"),
	CONF_INT_KEY(penalty_failures, 1, 100000, "5",
	    "failed logins for one login name from one source within penalty_window after "
	    "which that login is refused from that source for penalty_seconds (the client is "
	    "told why); a source is an IPv4 address or an IPv6 /64"),
	CONF_INT_KEY(penalty_source_failures, 1, 100000, "30",
	    "failed logins from one source, whatever the login, within penalty_window after "
	    "which every new connection from it is closed before SSH starts (logged as "
	    "'refused ADDRESS:PORT: source penalised'); kept high so that one office behind NAT is "
	    "not locked out by one officer; a connection that ends without trying to log in "
	    "(key exchange timeout, login grace expired, disconnect) counts as one failure"),
	CONF_INT_KEY(penalty_window, 1, 86400, "300",
	    "seconds over which failures are counted"),
	CONF_INT_KEY(penalty_seconds, 0, 86400, "300",
	    "seconds a penalty lasts (0: no penalties)"),
	CONF_INT_KEY(max_unauthenticated, 1, 10000, "20",
	    "connections still authenticating at once; more are closed at once"),
	CONF_INT_KEY(max_unauthenticated_per_source, 1, 10000, "4",
	    "connections from one source still authenticating at once; more are closed at once"),
	CONF_INT_KEY(max_sessions, 1, 100000, "300",
	    "authenticated sessions on the server"),
	CONF_INT_KEY(max_sessions_per_user, 1, 1000, "3",
	    "authenticated sessions of one user"),
	CONF_INT_KEY(max_public_sessions, 1, 100000, "30",
	    "sessions of the public login at once (every citizen's; keeps room for officers)"),
	CONF_INT_KEY(idle_timeout, 0, 7 * 86400, "1800",
	    "seconds without a key before a session ends (0: never)"),
	CONF_INT_KEY(idle_warning, 0, 86400, "120",
	    "seconds of warning before the idle timeout (less than idle_timeout)"),
	CONF_INT_KEY(keepalive_interval, 1, 3600, "15",
	    "seconds between keepalive probes"),
	CONF_INT_KEY(keepalive_count, 1, 100, "4",
	    "unanswered probes after which the link is taken for dead"),
	CONF_INT_KEY(alert_interval, 5, 3600, "30",
	    "seconds between checks for new alerts"),
	{ "alerts_outside_office_hours", CONF_BOOL,
	    offsetof(struct conf, alerts_outside_office_hours), 0, 0, "no",
	    "yes: alerts ring outside office hours too" },
	CONF_INT_KEY(auth_concurrency, 1, 64, "2",
	    "password verifications running at once across all sessions"),
	{ "public_login", CONF_LOGIN, offsetof(struct conf, public_login), 0, 0, "tracuu",
	    "the public read-only login: no password, only the citizens' lookup of a dossier "
	    "and the public board; its sessions count against max_sessions and "
	    "max_public_sessions; empty: none" },
};
#define CONF_NKEYS (sizeof conf_keys / sizeof conf_keys[0])

/* Return a configuration holding every default. */
struct conf *
conf_new(void)
{
	struct conf	*cfg;
	char		*cause = NULL;
	size_t		 i;

	cfg = xcalloc(1, sizeof *cfg);
	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_set(cfg, conf_keys[i].name, conf_keys[i].fallback, &cause) != 0)
			abort();	/* the table's defaults are valid */
	}
	return cfg;
}

/* Free a configuration; NULL is fine. */
void
conf_free(struct conf *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->listen);
	free(cfg->public_login);
	free(cfg);
}

/* Split "ADDR:PORT" or "[ADDR]:PORT". */
int
conf_split_listen(const char *listen, char **addr, int *port, char **cause)
{
	const char	*colon, *start, *end;
	char		*rest;
	long		 value;

	if (listen[0] == '[') {
		start = listen + 1;
		if ((end = strchr(start, ']')) == NULL || end[1] != ':')
			goto bad;
		colon = end + 1;
	} else {
		start = listen;
		if ((colon = strrchr(listen, ':')) == NULL)
			goto bad;
		end = colon;
	}
	if (end == start)
		goto bad;
	errno = 0;
	value = strtol(colon + 1, &rest, 10);
	if (colon[1] == '\0' || *rest != '\0' || errno != 0 || value < 1 || value > 65535)
		goto bad;
	*addr = xstrndup(start, (size_t)(end - start));
	*port = (int)value;
	return 0;
bad:
	*cause = xasprintf("'%s': expected ADDRESS:PORT such as 127.0.0.1:2222", listen);
	return -1;
}

/* Set one key from its text. */
int
conf_set(struct conf *cfg, const char *name, const char *value, char **cause)
{
	const struct conf_key	*key = NULL;
	char			*rest, *addr;
	long			 number;
	size_t			 i;
	int			 port;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcmp(conf_keys[i].name, name) == 0)
			key = &conf_keys[i];
	}
	if (key == NULL) {
		*cause = xasprintf("unknown key '%s' (`motcuad serve --help` lists them)", name);
		return -1;
	}
	switch (key->type) {
	case CONF_INT:
		errno = 0;
		number = strtol(value, &rest, 10);
		if (*value == '\0' || *rest != '\0' || errno != 0 || number < key->min ||
		    number > key->max) {
			*cause = xasprintf("%s: '%s': expected a whole number from %d to %d",
			    name, value, key->min, key->max);
			return -1;
		}
		*(int *)((char *)cfg + key->offset) = (int)number;
		break;
	case CONF_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
			*(bool *)((char *)cfg + key->offset) = true;
		else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
			*(bool *)((char *)cfg + key->offset) = false;
		else {
			*cause = xasprintf("%s: '%s': expected yes or no", name, value);
			return -1;
		}
		break;
	case CONF_LISTEN:
		if (conf_split_listen(value, &addr, &port, cause) != 0) {
			rest = *cause;
			*cause = xasprintf("%s: %s", name, rest);
			free(rest);
			return -1;
		}
		free(addr);
		free(cfg->listen);
		cfg->listen = xstrdup(value);
		break;
	case CONF_LEVEL:
		if (log_level_parse(value, &cfg->log_level) != 0) {
			*cause = xasprintf("%s: '%s': expected error, warn, info or debug", name,
			    value);
			return -1;
		}
		break;
	case CONF_LOGIN:
		if (strlen(value) > 64 || strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789._-")
		    != strlen(value)) {
			*cause = xasprintf("%s: '%s': expected a login of a-z, 0-9, '.', '_', '-' "
			    "(at most 64), or nothing", name, value);
			return -1;
		}
		free(*(char **)((char *)cfg + key->offset));
		*(char **)((char *)cfg + key->offset) = xstrdup(value);
		break;
	}
	return 0;
}

/* Check what no single key can: the settings against each other. */
int
conf_check(const struct conf *cfg, char **cause)
{
	if (cfg->idle_timeout != 0 && cfg->idle_warning >= cfg->idle_timeout) {
		*cause = xasprintf("idle_warning (%d s) must be less than idle_timeout (%d s)",
		    cfg->idle_warning, cfg->idle_timeout);
		return -1;
	}
	return 0;
}

/* Strip leading and trailing blanks in place; returns the start. */
static char *
conf_trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
	    end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* Read a configuration file. */
int
conf_load(struct conf *cfg, const char *path, char **cause)
{
	FILE	*f;
	char	*line = NULL, *text, *eq, *key, *value, *why = NULL;
	size_t	 size = 0;
	int	 number = 0, status = -1;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &size, f) != -1) {
		number++;
		text = conf_trim(line);
		if (*text == '\0' || *text == '#')
			continue;
		if ((eq = strchr(text, '=')) == NULL) {
			*cause = xasprintf("%s:%d: expected 'key = value'", path, number);
			goto out;
		}
		*eq = '\0';
		key = conf_trim(text);
		value = conf_trim(eq + 1);
		if (conf_set(cfg, key, value, &why) != 0) {
			*cause = xasprintf("%s:%d: %s", path, number, why);
			free(why);
			goto out;
		}
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	status = 0;
out:
	free(line);
	fclose(f);
	return status;
}

/* Print every key, its default and its meaning, wrapping the meaning under itself. */
void
conf_help(FILE *f)
{
	const char	*help, *space;
	size_t		 i, col, word;

	fprintf(f, "configuration keys (`key = value` lines, # comments) and their defaults:\n");
	for (i = 0; i < CONF_NKEYS; i++) {
		fprintf(f, "  %-30s %-15s", conf_keys[i].name, conf_keys[i].fallback);
		col = 48;
		for (help = conf_keys[i].help; *help != '\0'; help += word) {
			while (*help == ' ')
				help++;
			space = strchr(help, ' ');
			word = space != NULL ? (size_t)(space - help) : strlen(help);
			if (col + 1 + word > 100 && col > 48) {
				fprintf(f, "\n%48s", "");
				col = 48;
			}
			fprintf(f, " %.*s", (int)word, help);
			col += 1 + word;
		}
		fputc('\n', f);
	}
}
