/*
 * cmd-interface.c: the officers' interface as a command, in two forms.
 *
 * `motcuad interface` is internal and hidden from --help: it is what an SSH session executes
 * on the slave side of its pty (tty.c), as a fresh program, so that the process an officer
 * drives holds nothing of the session (libssh state, the host key, session keys). That
 * program is motcua-interface (motcua-interface.c): this file, the interface and the core,
 * without libssh or a cryptographic library, so that an idle officer's process stays small
 * (motcuad accepts the command too). It expects the pty on descriptors 0 to 2 and, on
 * descriptor 3, a memfd of TTY_BACKLOG_SIZE bytes whose first uint32_t the session keeps
 * current with the bytes of output not yet sent to the client (mapped read-only and shared
 * here; the interface skips frames while it is high). It closes every other descriptor, sets
 * a private umask, loads the catalog itself, opens the store through the service for --user
 * with a small page cache and runs the interface. When the officer starts new work that reads
 * the catalog (a new intake, a search for a procedure), the interface looks at DATA/run/
 * motcuad.state (one stat while it is unchanged) and, if the listener has reloaded the
 * catalog since, loads the new copy and switches the service to it; every catalog loaded stays
 * until the session ends, since an intake begun under one keeps it until it is done. A copy
 * that does not load (pruned meanwhile) changes nothing, silently: standard error is the
 * officer's screen. The session gives it a clean environment
 * (TERM, LANG, LC_ALL, TZ, NCURSES_NO_UTF8_ACS, HOME, PATH, MOTCUA_NOW) and the settings as
 * options:
 *
 *   --data DIR --catalog DIR (--user LOGIN | --public) --idle-timeout N --idle-warning N
 *   --alert-interval N --alerts-outside-office-hours yes|no --backlog-limit N
 *
 * With --public it runs the public login's interface on the public service instead, which
 * can look a dossier up and show the public board and nothing else; it then also holds the
 * server's log on descriptor 4 (TTY_LOG_FD), made its standard error, for the line of each
 * missed lookup.
 *
 * `motcuad tui` runs the same interface on the local terminal, without SSH, for trying
 * screens: no backlog, no idle timeout.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "cmd-interface.h"
#include "log.h"
#include "service.h"
#include "store.h"
#include "tty.h"
#include "tui.h"
#include "xmalloc.h"

#define CMD_INTERFACE_USAGE \
	"usage: motcuad interface --data DIR --catalog DIR (--user LOGIN | --public) " \
	"--idle-timeout N --idle-warning N --alert-interval N " \
	"--alerts-outside-office-hours yes|no --backlog-limit N " \
	"(internal: started by an SSH session)\n"
#define CMD_INTERFACE_TUI_USAGE \
	"usage: motcuad tui --data DIR (--user LOGIN | --public) [--catalog DIR]\n"

/*
 * The catalogs an officer's interface has loaded, the current one last, and what it last saw
 * of the listener's state file, so that an unchanged file costs one stat.
 */
struct cmd_interface_catalogs {
	struct service	 *service;
	char		 *run_dir;
	char		 *state_path;
	char		 *copy;		/* where the current catalog was loaded from */
	struct catalog	**list;
	size_t		  n;
	bool		  seen;		/* the state file was read: the fields below are set */
	dev_t		  dev;
	ino_t		  ino;
	off_t		  size;
	struct timespec	  mtime;
};

/*
 * If the listener serves another copy of the catalog than the current one, load it and
 * switch the service to it (the tui_options' catalog_refresh); true if it did.
 */
static bool
cmd_interface_refresh(void *arg)
{
	struct cmd_interface_catalogs	*c = arg;
	struct catalog_problems		 problems = { 0 };
	struct cli_state		 state;
	struct catalog			*cat = NULL;
	struct stat			 sb;
	char				*cause = NULL;
	bool				 switched = false;

	if (stat(c->state_path, &sb) != 0)
		return false;
	if (c->seen && sb.st_dev == c->dev && sb.st_ino == c->ino && sb.st_size == c->size &&
	    sb.st_mtim.tv_sec == c->mtime.tv_sec && sb.st_mtim.tv_nsec == c->mtime.tv_nsec)
		return false;
	/* A changed file is read once, whether or not its catalog loads. */
	c->seen = true;
	c->dev = sb.st_dev;
	c->ino = sb.st_ino;
	c->size = sb.st_size;
	c->mtime = sb.st_mtim;
	if (cli_state_read(c->run_dir, &state, &cause) != 0) {
		free(cause);
		return false;
	}
	if (state.catalog_copy == NULL || strcmp(state.catalog_copy, c->copy) == 0)
		goto out;
	if ((cat = catalog_load(state.catalog_copy, &problems)) == NULL)
		goto out;
	if (service_set_catalog(c->service, cat, &cause) != 0) {
		free(cause);
		catalog_free(cat);
		goto out;
	}
	c->list = xreallocarray(c->list, c->n + 1, sizeof *c->list);
	c->list[c->n++] = cat;
	free(c->copy);
	c->copy = xstrdup(state.catalog_copy);
	switched = true;
out:
	catalog_problems_free(&problems);
	cli_state_clear(&state);
	return switched;
}

/* Free the catalogs a session loaded after the first. */
static void
cmd_interface_catalogs_free(struct cmd_interface_catalogs *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		catalog_free(c->list[i]);
	free(c->list);
	free(c->copy);
	free(c->state_path);
	free(c->run_dir);
}

/* Write a line of the public service (a missed lookup) to the server's log. */
static void
cmd_interface_log(void *arg, const char *line)
{
	(void)arg;
	log_info("%s", line);
}

/*
 * Load the catalog, open the service for login (or the public service, logging its misses
 * if log is set) and run the interface; its exit status. With follow, an officer's interface
 * takes the newer catalogs the listener serves (see above).
 */
static int
cmd_interface_run(const char *data, const char *catalog_dir, const char *login,
    bool public, bool log, bool follow, const struct tui_options *options)
{
	struct cmd_interface_catalogs	 catalogs;
	struct tui_options		 opt = *options;
	struct service			*service = NULL;
	struct service_public		*pub = NULL;
	struct catalog			*catalog;
	char				*db_path, *cause = NULL;
	int				 status = 1;

	memset(&catalogs, 0, sizeof catalogs);

	db_path = xasprintf("%s/motcua.db", data);
	/* An officer's interface is idle most of the time: keep its page cache small. */
	store_use_small_cache();
	if ((catalog = cli_load_catalog(catalog_dir)) == NULL)
		goto out;
	if (public) {
		if ((pub = service_open_public(db_path, catalog, &cause)) == NULL) {
			fprintf(stderr, "motcua: %s\n", cause);
			goto out;
		}
		if (log)
			service_public_set_log(pub, cmd_interface_log, NULL);
		status = tui_run_public(pub, options);
		goto out;
	}
	if ((service = service_open(db_path, catalog, login, &cause)) == NULL) {
		fprintf(stderr, "motcua: %s\n", cause);
		goto out;
	}
	if (follow) {
		catalogs.service = service;
		catalogs.run_dir = xasprintf("%s/run", data);
		catalogs.state_path = xasprintf("%s/" CLI_STATE_FILE, catalogs.run_dir);
		catalogs.copy = xstrdup(catalog_dir);
		opt.catalog_refresh = cmd_interface_refresh;
		opt.catalog_arg = &catalogs;
	}
	status = tui_run(service, &opt);
out:
	service_close(service);
	service_close_public(pub);
	cmd_interface_catalogs_free(&catalogs);
	catalog_free(catalog);
	free(db_path);
	free(cause);
	fflush(NULL);
	return status;
}

/* Parse a whole number from min to max for an option; -1 if it is not one. */
static int
cmd_interface_number(const char *option, const char *text, long min, long max, long *value)
{
	char	*end;

	errno = 0;
	*value = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || errno != 0 || *value < min || *value > max) {
		fprintf(stderr, "motcuad: --%s %s: expected a whole number from %ld to %ld\n",
		    option, text, min, max);
		return -1;
	}
	return 0;
}

/* Map the shared backlog page on TTY_BACKLOG_FD read-only; NULL with a message if absent. */
static const volatile uint32_t *
cmd_interface_backlog(void)
{
	struct stat	 sb;
	void		*page;

	if (fstat(TTY_BACKLOG_FD, &sb) == -1 || sb.st_size < TTY_BACKLOG_SIZE) {
		fprintf(stderr, "motcuad: interface: descriptor %d is not the shared backlog page "
		    "(this command is started by an SSH session)\n", TTY_BACKLOG_FD);
		return NULL;
	}
	page = mmap(NULL, TTY_BACKLOG_SIZE, PROT_READ, MAP_SHARED, TTY_BACKLOG_FD, 0);
	close(TTY_BACKLOG_FD);
	if (page == MAP_FAILED) {
		fprintf(stderr, "motcuad: interface: cannot map the backlog page: %s\n",
		    strerror(errno));
		return NULL;
	}
	return page;
}

/* motcuad interface: the interface of an SSH session, executed fresh on its pty. */
int
cmd_interface_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "public", no_argument, NULL, 'p' },
		{ "idle-timeout", required_argument, NULL, 't' },
		{ "idle-warning", required_argument, NULL, 'w' },
		{ "alert-interval", required_argument, NULL, 'a' },
		{ "alerts-outside-office-hours", required_argument, NULL, 'o' },
		{ "backlog-limit", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct tui_options	 tui;
	const char		*data = NULL, *catalog_dir = NULL, *login = NULL;
	long			 n;
	int			 opt, seen = 0;
	bool			 public = false, log = false;

	umask(077);
	if (cli_close_from(TTY_LOG_FD + 1) != 0) {
		fprintf(stderr, "motcuad: interface: cannot close inherited descriptors: %s\n",
		    strerror(errno));
		return 1;
	}
	memset(&tui, 0, sizeof tui);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'c': catalog_dir = optarg; break;
		case 'u': login = optarg; break;
		case 'p': public = true; continue;
		case 't':
			if (cmd_interface_number("idle-timeout", optarg, 0, INT_MAX, &n) != 0)
				return 2;
			tui.idle_timeout = (int)n;
			break;
		case 'w':
			if (cmd_interface_number("idle-warning", optarg, 0, INT_MAX, &n) != 0)
				return 2;
			tui.idle_warning = (int)n;
			break;
		case 'a':
			if (cmd_interface_number("alert-interval", optarg, 1, INT_MAX, &n) != 0)
				return 2;
			tui.alert_interval = (int)n;
			break;
		case 'o':
			if (strcmp(optarg, "yes") != 0 && strcmp(optarg, "no") != 0) {
				fputs(CMD_INTERFACE_USAGE, stderr);
				return 2;
			}
			tui.alerts_outside_office_hours = strcmp(optarg, "yes") == 0;
			break;
		case 'b':
			if (cmd_interface_number("backlog-limit", optarg, 1, INT32_MAX, &n) != 0)
				return 2;
			tui.backlog_limit = (uint32_t)n;
			break;
		default:
			fputs(CMD_INTERFACE_USAGE, stderr);
			return 2;
		}
		seen |= 1 << (strchr("dcutwaob", opt) - "dcutwaob");
	}
	/* Every option is required: the session states every setting (--public for --user). */
	if (optind != argc || seen != (public ? 0xff & ~(1 << 2) : 0xff)) {
		fputs(CMD_INTERFACE_USAGE, stderr);
		return 2;
	}
	/* The public interface writes to the server's log; no other keeps a descriptor of it. */
	if (public && fcntl(TTY_LOG_FD, F_GETFD) != -1 &&
	    dup2(TTY_LOG_FD, STDERR_FILENO) != -1)
		log = true;
	close(TTY_LOG_FD);
	if ((tui.backlog = cmd_interface_backlog()) == NULL)
		return 1;
	return cmd_interface_run(data, catalog_dir, login, public, log, !public, &tui);
}

/* motcuad tui: run the interface on the current terminal for a user of the store. */
int
cmd_interface_tui_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "public", no_argument, NULL, 'p' },
		{ "catalog", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct tui_options	 tui;
	const char		*data = NULL, *login = NULL, *catalog_dir = NULL;
	char			*path = NULL;
	int			 opt, status;
	bool			 public = false;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'u': login = optarg; break;
		case 'p': public = true; break;
		case 'c': catalog_dir = optarg; break;
		default: fputs(CMD_INTERFACE_TUI_USAGE, stderr); return 2;
		}
	}
	if (optind != argc || data == NULL || (login == NULL) == !public) {
		fputs(CMD_INTERFACE_TUI_USAGE, stderr);
		return 2;
	}
	umask(077);
	if (catalog_dir == NULL)
		catalog_dir = path = cli_catalog_dir(data);
	memset(&tui, 0, sizeof tui);
	tui.idle_timeout = 0;
	tui.alert_interval = 30;
	tui.alerts_outside_office_hours = true;
	status = cmd_interface_run(data, catalog_dir, login, public, false, false, &tui);
	if (status != 0)
		fprintf(stderr, "motcuad: the interface could not start on this terminal\n");
	free(path);
	return status;
}
