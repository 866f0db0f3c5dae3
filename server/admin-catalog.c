/*
 * admin-catalog.c: `catalog status`, `catalog check [DIR]` and `catalog reload`: what the
 * server serves, whether a catalog directory is valid, and switching the server to the
 * maintainers' catalog without stopping it.
 *
 * A reload is checked here first, in full: a catalog with problems is refused with every
 * problem listed and nothing changes. A good one is announced to the listener by SIGHUP (its
 * pid is the holder of the lock of DATA/run/motcuad.pid); the listener copies and loads it as
 * the next generation and rewrites DATA/run/motcuad.state, which is polled for the outcome.
 * New sessions get the new catalog; open ones take it when the officer next starts new work.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "calendar.h"
#include "catalog.h"
#include "cli.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"
#include "ydoc.h"

#define ADMIN_CATALOG_WAIT_MS	30000	/* for the listener to answer a reload */
#define ADMIN_CATALOG_POLL_MS	50

/* Print text (lines ending in newlines) to f, each line sanitised. */
static void
admin_catalog_print_clean(FILE *f, const char *text)
{
	const char	*p = text, *nl;
	char		*line, *safe;

	while (*p != '\0') {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		line = xstrndup(p, (size_t)(nl - p));
		safe = text_sanitise(line);
		fprintf(f, "%s\n", safe);
		free(safe);
		free(line);
		p = *nl == '\n' ? nl + 1 : nl;
	}
}

/*
 * Check the catalog in dir with cli_check_catalog, printing its summary to ctx->out and its
 * problems to ctx->err, sanitised. Returns what cli_check_catalog returns.
 */
static int
admin_catalog_check_dir(struct admin_ctx *ctx, const char *dir)
{
	FILE	*out, *err;
	char	*out_text = NULL, *err_text = NULL;
	size_t	 out_len = 0, err_len = 0;
	int	 status;

	out = open_memstream(&out_text, &out_len);
	err = open_memstream(&err_text, &err_len);
	if (out == NULL || err == NULL) {
		if (out != NULL)
			fclose(out);
		if (err != NULL)
			fclose(err);
		free(out_text);
		free(err_text);
		admin_fail(ctx, "out of memory");
		return 1;
	}
	status = cli_check_catalog(dir, out, err);
	fclose(out);
	fclose(err);
	admin_catalog_print_clean(ctx->err, err_text);
	admin_catalog_print_clean(ctx->out, out_text);
	free(out_text);
	free(err_text);
	return status;
}

/*
 * Count the years of a catalog's calendar files that say "provisional: true" and list them
 * in *years (caller frees); a file that cannot be read counts as not provisional.
 */
static int
admin_catalog_provisional(const struct catalog *catalog, char **years)
{
	const struct ydoc_node	*v;
	struct ydoc		*doc;
	char			*path, *list = NULL, *next;
	int			 year, n = 0;

	for (year = catalog->first_year; year <= catalog->last_year && year != 0; year++) {
		if (!calendar_has_year(catalog->calendar, year))
			continue;
		path = xasprintf("%s/calendar/%d.yaml", catalog->dir, year);
		doc = ydoc_read(path, CATALOG_MAX_FILE, CATALOG_MAX_DEPTH);
		free(path);
		if (doc->root != NULL && doc->root->kind == YDOC_MAPPING &&
		    (v = ydoc_get(doc->root, "provisional")) != NULL &&
		    v->kind == YDOC_SCALAR && strcmp(v->value, "true") == 0) {
			next = xasprintf("%s%s%d", list != NULL ? list : "",
			    list != NULL ? ", " : "", year);
			free(list);
			list = next;
			n++;
		}
		ydoc_free(doc);
	}
	*years = list;
	return n;
}

/* Format an instant as the province's local time, "YYYY-MM-DD HH:MM". */
static void
admin_catalog_time(const struct catalog *catalog, int64_t t, char *buf, size_t len)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		calendar_format_local(catalog->calendar, t, buf, len);
}

/* Print a labelled line, its value sanitised. */
static void
admin_catalog_line(struct admin_ctx *ctx, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
admin_catalog_line(struct admin_ctx *ctx, const char *label, const char *fmt, ...)
{
	va_list	 ap;
	char	*value, *safe;

	va_start(ap, fmt);
	value = xvasprintf(fmt, ap);
	va_end(ap);
	safe = text_sanitise(value);
	fprintf(ctx->out, "%-22s %s\n", label, safe);
	free(safe);
	free(value);
}

/* catalog status: what the server serves, or what it would load if none runs. */
static int
admin_catalog_status_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct catalog_problems	 problems = { 0 };
	struct cli_state	 state;
	struct catalog		*loaded = NULL;
	const struct catalog	*catalog = ctx->catalog;
	char			 version[CLI_VERSION_LEN + 1], when[32], *cause = NULL;
	char			*provisional = NULL;
	pid_t			 pid;
	int			 year, nyears = 0, nprovisional, rc = 1;

	(void)argv;
	if (argc != 1)
		return admin_usage(ctx, &admin_cmd_catalog_status);
	memset(&state, 0, sizeof state);
	if ((pid = cli_server_pid(ctx->run_dir)) != 0 &&
	    (rc = cli_state_read(ctx->run_dir, &state, &cause)) == -1) {
		admin_fail(ctx, "%s", cause);
		free(cause);
		return ADMIN_EXIT_FAILURE;
	}
	if (pid != 0 && rc == 0 && state.catalog_copy != NULL &&
	    (ctx->catalog_copy == NULL || strcmp(ctx->catalog_copy, state.catalog_copy) != 0)) {
		/* This process started with another generation: count the one served. */
		if ((loaded = catalog_load(state.catalog_copy, &problems)) != NULL)
			catalog = loaded;
		catalog_problems_free(&problems);
	}
	if (catalog == NULL) {
		cli_state_clear(&state);
		return admin_fail(ctx, "no catalog is loaded");
	}

	if (pid == 0) {
		admin_catalog_line(ctx, "server:", "not running (no server holds %s/%s)",
		    ctx->run_dir, CLI_PID_FILE);
		admin_catalog_line(ctx, "catalog:", "%s (what a server would load)",
		    ctx->catalog_dir);
	} else if (rc != 0) {
		admin_catalog_line(ctx, "server:", "pid %ld (it has not said what it serves)",
		    (long)pid);
	} else {
		admin_catalog_line(ctx, "server:", "pid %ld", (long)pid);
		admin_catalog_line(ctx, "generation:", "%u (%s)", state.generation,
		    state.catalog_copy != NULL ? state.catalog_copy : "?");
		admin_catalog_time(catalog, state.loaded_at, when, sizeof when);
		admin_catalog_line(ctx, "loaded:", "%s", when);
		admin_catalog_time(catalog, state.attempt_at, when, sizeof when);
		if (state.attempt_ok) {
			admin_catalog_line(ctx, "last load:", "%s, ok", when);
		} else {
			admin_catalog_line(ctx, "last load:", "%s, REFUSED (%zu problems; the "
			    "server kept generation %u)", when, state.attempt_problems,
			    state.generation);
		}
	}
	cli_catalog_version(catalog, version);
	admin_catalog_line(ctx, "version:", "%s", version);
	admin_catalog_line(ctx, "province:", "%s (%s)", catalog->province_name,
	    catalog->province_code);
	admin_catalog_line(ctx, "units:", "%zu", catalog->nunits);
	admin_catalog_line(ctx, "fields:", "%zu", catalog->nfields);
	admin_catalog_line(ctx, "procedures:", "%zu", catalog->nprocedures);
	for (year = catalog->first_year; year <= catalog->last_year && year != 0; year++)
		nyears += calendar_has_year(catalog->calendar, year);
	admin_catalog_line(ctx, "calendar years:", "%d (%d–%d)", nyears, catalog->first_year,
	    catalog->last_year);
	nprovisional = admin_catalog_provisional(catalog, &provisional);
	admin_catalog_line(ctx, "provisional years:", "%d%s%s%s", nprovisional,
	    provisional != NULL ? " (" : "", provisional != NULL ? provisional : "",
	    provisional != NULL ? ")" : "");
	admin_catalog_line(ctx, "maintainers' catalog:", "%s",
	    state.catalog_dir != NULL ? state.catalog_dir : ctx->catalog_dir);
	free(provisional);
	catalog_free(loaded);
	cli_state_clear(&state);
	return ADMIN_EXIT_OK;
}

/* catalog check [DIR]: check a catalog directory, the maintainers' one by default. */
static int
admin_catalog_check_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	const char	*dir = ctx->catalog_dir;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return admin_usage(ctx, &admin_cmd_catalog_check);
	if (argc == 2)
		dir = argv[1];
	if (dir == NULL)
		return admin_fail(ctx, "no catalog directory: name one");
	return admin_catalog_check_dir(ctx, dir) == 0 ? ADMIN_EXIT_OK : ADMIN_EXIT_FAILURE;
}

/* Sleep for a number of milliseconds. */
static void
admin_catalog_sleep(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Record a reload attempt in the audit chain; a failure to record is reported. */
static int
admin_catalog_audit(struct admin_ctx *ctx, const char *version, const char *note)
{
	char	*cause = NULL;

	if (store_admin_event(ctx->store, ctx->actor, "catalog_reload", version, note,
	    ctx->now, &cause) != 0) {
		admin_fail(ctx, "cannot record the reload in the audit chain: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* catalog reload: check the maintainers' catalog, then have the server load it. */
static int
admin_catalog_reload_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct catalog_problems	 problems = { 0 };
	struct cli_state	 before, after;
	struct catalog		*catalog = NULL;
	const char		*dir;
	char			 version[CLI_VERSION_LEN + 1], *cause = NULL, *note = NULL;
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*f;
	pid_t			 pid;
	int			 waited, status = ADMIN_EXIT_FAILURE;

	(void)argv;
	if (argc != 1)
		return admin_usage(ctx, &admin_cmd_catalog_reload);
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);

	/* The directory the server reads on SIGHUP, as it says; else the configured one. */
	pid = cli_server_pid(ctx->run_dir);
	if (pid != 0 && cli_state_read(ctx->run_dir, &before, &cause) == -1) {
		admin_fail(ctx, "%s", cause);
		goto out;
	}
	dir = before.catalog_dir != NULL ? before.catalog_dir : ctx->catalog_dir;
	if (dir == NULL) {
		admin_fail(ctx, "no catalog directory is configured");
		goto out;
	}

	if ((catalog = catalog_load(dir, &problems)) == NULL) {
		if ((f = open_memstream(&text, &len)) == NULL) {
			admin_fail(ctx, "out of memory");
			goto out;
		}
		cli_fprint_problems(f, dir, &problems);
		fclose(f);
		admin_catalog_print_clean(ctx->err, text);
		if (pid != 0 && before.generation != 0) {
			fprintf(ctx->err, "motcua: catalog not reloaded: the server keeps "
			    "generation %u (version %s)\n", before.generation, before.version);
		} else
			fprintf(ctx->err, "motcua: catalog not reloaded\n");
		note = xasprintf("refused: %zu problems in %s", problems.n + problems.dropped,
		    dir);
		admin_catalog_audit(ctx, NULL, note);
		goto out;
	}
	cli_catalog_version(catalog, version);
	if (pid == 0) {
		admin_fail(ctx, "%s is valid (version %s), but no server is running on %s: "
		    "nothing to reload; `motcuad serve` loads it when it starts", dir, version,
		    ctx->data_dir);
		goto out;
	}
	if (before.generation == 0) {
		admin_fail(ctx, "the server (pid %ld) has not said what it serves yet; try "
		    "again", (long)pid);
		goto out;
	}

	if (kill(pid, SIGHUP) == -1) {
		admin_fail(ctx, "cannot signal the server (pid %ld): %s", (long)pid,
		    strerror(errno));
		goto out;
	}
	for (waited = 0; waited < ADMIN_CATALOG_WAIT_MS; waited += ADMIN_CATALOG_POLL_MS) {
		admin_catalog_sleep(ADMIN_CATALOG_POLL_MS);
		cli_state_clear(&after);
		free(cause);
		cause = NULL;
		if (cli_server_pid(ctx->run_dir) != pid) {
			admin_fail(ctx, "the server (pid %ld) stopped before it reloaded",
			    (long)pid);
			goto out;
		}
		if (cli_state_read(ctx->run_dir, &after, &cause) == 0 &&
		    after.attempts > before.attempts)
			break;
	}
	if (after.attempts <= before.attempts) {
		admin_fail(ctx, "the server (pid %ld) did not answer within %d s; see its log",
		    (long)pid, ADMIN_CATALOG_WAIT_MS / 1000);
		goto out;
	}
	if (!after.attempt_ok) {
		admin_fail(ctx, "the server refused the catalog (%zu problems; its log lists "
		    "them) and keeps generation %u (version %s)", after.attempt_problems,
		    after.generation, after.version);
		note = xasprintf("refused by the server: %zu problems in %s",
		    after.attempt_problems, dir);
		admin_catalog_audit(ctx, NULL, note);
		goto out;
	}
	fprintf(ctx->out, "catalog reloaded: generation %u, version %s, %zu procedures "
	    "(was generation %u, version %s)\n", after.generation, after.version,
	    after.procedures, before.generation, before.version);
	fprintf(ctx->out, "new sessions use it; open sessions take it at their next intake\n");
	note = xasprintf("generation %u from %s (was version %s)", after.generation, dir,
	    before.version);
	if (admin_catalog_audit(ctx, after.version, note) == 0)
		status = ADMIN_EXIT_OK;
out:
	free(note);
	free(text);
	free(cause);
	catalog_free(catalog);
	catalog_problems_free(&problems);
	cli_state_clear(&before);
	cli_state_clear(&after);
	return status;
}

const struct admin_command admin_cmd_catalog_status = {
	.name = "catalog status",
	.usage = "",
	.summary = "show the catalog served: version, when loaded, counts",
	.help = "The catalog the server serves: the server's pid, the generation (each reload\n"
	    "makes a new one, copied to DATA/run/catalog.N), when it was loaded, the outcome of\n"
	    "the last load, its version (a hash over the versions of its procedures), its\n"
	    "counts of units, fields, procedures, calendar years and provisional years, and the\n"
	    "maintainers' catalog directory that a reload reads. With no server running it\n"
	    "shows the catalog a server would load.",
	.exec = admin_catalog_status_exec,
};

const struct admin_command admin_cmd_catalog_check = {
	.name = "catalog check",
	.usage = "[DIR]",
	.summary = "check a catalog directory and list every problem",
	.help = "Check the catalog in DIR (by default the maintainers' catalog) as `motcuad\n"
	    "catalog check` does: every problem on stderr as file:line:column: message, a\n"
	    "summary on stdout. Exit status 0 if it is valid, 1 if not. Nothing changes.",
	.exec = admin_catalog_check_exec,
};

const struct admin_command admin_cmd_catalog_reload = {
	.name = "catalog reload",
	.usage = "",
	.summary = "check the maintainers' catalog and make the server serve it",
	.help = "Check the maintainers' catalog first: if it has problems, every one is listed\n"
	    "on stderr, the server keeps its catalog and the exit status is 1. Otherwise the\n"
	    "server is asked to load it (as SIGHUP does) and the outcome is awaited: the new\n"
	    "generation and version on success. New sessions use the new catalog; open ones\n"
	    "take it when the officer next starts an intake (an intake already begun keeps\n"
	    "its version), so dossiers received from then on record the new versions. Every attempt is recorded in the audit chain.",
	.exec = admin_catalog_reload_exec,
};
