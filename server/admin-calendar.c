/*
 * admin-calendar.c: `calendar due` (when work received at a given time is due, by the served
 * catalog's calendar) and `calendar show YEAR` (a year's working calendar: office hours, the
 * weekdays off and the weekend days worked, with their names from the calendar file).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "calendar.h"
#include "catalog.h"
#include "cli.h"
#include "text.h"
#include "xmalloc.h"
#include "ydoc.h"

static const char *const admin_calendar_weekdays[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};

/* What a calendar file says beyond the dates: their names, whether it is provisional. */
struct admin_calendar_file {
	struct ydoc	*doc;
	bool		 provisional;
	const char	*note;
};

/*
 * If argv[*i] is the option ("--from X" or "--from=X"), set *value, step over it and return
 * 1; return 0 if it is another word, -1 if its value is missing.
 */
static int
admin_calendar_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t	len = strlen(name);

	if (strncmp(argv[*i], name, len) != 0)
		return 0;
	if (argv[*i][len] == '=') {
		*value = argv[*i] + len + 1;
		return 1;
	}
	if (argv[*i][len] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

/* calendar due: the due time of work received at --from, by the served calendar. */
static int
admin_calendar_due_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	const struct catalog_procedure	*procedure;
	const struct catalog		*catalog = ctx->catalog;
	const char			*from_text = NULL, *days_text = NULL, *code = NULL;
	char				*cause = NULL, due_text[32];
	bool				 same_day = false;
	int64_t				 from, due;
	int				 i, rc, centidays = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--same-day") == 0) {
			same_day = true;
			continue;
		}
		if ((rc = admin_calendar_option(argc, argv, &i, "--from", &from_text)) == 0 &&
		    (rc = admin_calendar_option(argc, argv, &i, "--days", &days_text)) == 0)
			rc = admin_calendar_option(argc, argv, &i, "--procedure", &code);
		if (rc != 1)
			return admin_usage(ctx, &admin_cmd_calendar_due);
	}
	if (from_text == NULL || (days_text != NULL) + same_day + (code != NULL) != 1)
		return admin_usage(ctx, &admin_cmd_calendar_due);
	if (days_text != NULL && cli_parse_days(days_text, &centidays) != 0) {
		admin_fail(ctx, "--days: expected working days such as 5 or 0.5");
		return ADMIN_EXIT_USAGE;
	}
	if (code != NULL) {
		if ((procedure = catalog_procedure(catalog, code)) == NULL) {
			cause = text_sanitise(code);
			admin_fail(ctx, "no procedure %s in the served catalog", cause);
			free(cause);
			return ADMIN_EXIT_FAILURE;
		}
		if (procedure->no_deadline)
			return admin_fail(ctx, "procedure %s has no legal time limit", code);
		centidays = procedure->variants[0].duration.centidays;
		same_day = procedure->variants[0].duration.same_day;
	}
	if (calendar_parse_local(catalog->calendar, from_text, &from, &cause) != 0 ||
	    calendar_due(catalog->calendar, from, centidays, same_day, &due, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		free(cause);
		return ADMIN_EXIT_FAILURE;
	}
	calendar_format_local(catalog->calendar, due, due_text, sizeof due_text);
	fprintf(ctx->out, "%s\n", due_text);
	return ADMIN_EXIT_OK;
}

/* Read calendar/YEAR.yaml of the catalog for the names of its dates; never fails. */
static void
admin_calendar_read(const struct catalog *catalog, int year, struct admin_calendar_file *cf)
{
	const struct ydoc_node	*v;
	char			*path;

	memset(cf, 0, sizeof *cf);
	path = xasprintf("%s/calendar/%d.yaml", catalog->dir, year);
	cf->doc = ydoc_read(path, CATALOG_MAX_FILE, CATALOG_MAX_DEPTH);
	free(path);
	if (cf->doc->root == NULL || cf->doc->root->kind != YDOC_MAPPING)
		return;
	v = ydoc_get(cf->doc->root, "provisional");
	cf->provisional = v != NULL && v->kind == YDOC_SCALAR && strcmp(v->value, "true") == 0;
	v = ydoc_get(cf->doc->root, "note");
	if (v != NULL && v->kind == YDOC_SCALAR)
		cf->note = v->value;
}

/* The name a calendar file gives a date in its "off" or "work" list, or NULL. */
static const char *
admin_calendar_name(const struct admin_calendar_file *cf, const char *list, const char *date)
{
	const struct ydoc_node	*items, *d, *name;
	size_t			 i;

	if (cf->doc->root == NULL || cf->doc->root->kind != YDOC_MAPPING)
		return NULL;
	if ((items = ydoc_get(cf->doc->root, list)) == NULL || items->kind != YDOC_SEQUENCE)
		return NULL;
	for (i = 0; i < items->n; i++) {
		if (items->items[i]->kind != YDOC_MAPPING)
			continue;
		d = ydoc_get(items->items[i], "date");
		name = ydoc_get(items->items[i], "name");
		if (d != NULL && d->kind == YDOC_SCALAR && strcmp(d->value, date) == 0)
			return name != NULL && name->kind == YDOC_SCALAR ? name->value : NULL;
	}
	return NULL;
}

/* Format minutes after midnight as HH:MM. */
static void
admin_calendar_hhmm(int minutes, char *buf, size_t len)
{
	snprintf(buf, len, "%02d:%02d", minutes / 60, minutes % 60);
}

/* calendar show YEAR: the year's office hours and its exceptions, as a table. */
static int
admin_calendar_show_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const	 headers[] = { "DATE", "WEEKDAY", "KIND", "NAME" };
	const struct catalog		*catalog = ctx->catalog;
	struct admin_calendar_file	 cf;
	struct admin_table		*table;
	struct calendar_date		 date;
	const char			*name;
	char				 text[16], start[32], end[32], *hours = NULL, *next;
	char				*cause = NULL, *safe;
	int64_t				 day, first, last;
	int				 year, wd, working, i, nworking = 0, noff = 0, nwork = 0;

	if (argc != 2)
		return admin_usage(ctx, &admin_cmd_calendar_show);
	if (strlen(argv[1]) != 4 || strspn(argv[1], "0123456789") != 4) {
		admin_fail(ctx, "YEAR is four digits, like 2015");
		return ADMIN_EXIT_USAGE;
	}
	year = atoi(argv[1]);
	if (!calendar_has_year(catalog->calendar, year)) {
		return admin_fail(ctx, "the served catalog has no working calendar for %d "
		    "(it has %d–%d); add calendar/%d.yaml and reload", year, catalog->first_year,
		    catalog->last_year, year);
	}
	admin_calendar_read(catalog, year, &cf);
	table = admin_table_new(4, headers);
	first = calendar_days_from_date((struct calendar_date){ year, 1, 1 });
	last = calendar_days_from_date((struct calendar_date){ year, 12, 31 });
	for (day = first; day <= last; day++) {
		date = calendar_date_from_days(day);
		if ((working = calendar_is_working_day(catalog->calendar, date, &cause)) == -1) {
			admin_fail(ctx, "%s", cause);
			free(cause);
			admin_table_free(table);
			ydoc_free(cf.doc);
			return ADMIN_EXIT_FAILURE;
		}
		nworking += working;
		wd = calendar_weekday(date);
		snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
		if (working && (wd == 0 || wd == 6)) {
			name = admin_calendar_name(&cf, "work", text);
			admin_table_addf(table, "%s\t%s\t%s\t%s", text, admin_calendar_weekdays[wd],
			    "worked", name != NULL ? name : "");
			nwork++;
		} else if (!working && wd != 0 && wd != 6) {
			name = admin_calendar_name(&cf, "off", text);
			admin_table_addf(table, "%s\t%s\t%s\t%s", text, admin_calendar_weekdays[wd],
			    "day off", name != NULL ? name : "");
			noff++;
		}
	}

	if (ctx->format == ADMIN_FORMAT_TEXT) {
		for (i = 0; i < catalog->noffice_hours; i++) {
			admin_calendar_hhmm(catalog->office_hours[i].start, start, sizeof start);
			admin_calendar_hhmm(catalog->office_hours[i].end, end, sizeof end);
			next = xasprintf("%s%s%s–%s", hours != NULL ? hours : "",
			    hours != NULL ? ", " : "", start, end);
			free(hours);
			hours = next;
		}
		admin_calendar_hhmm(catalog->same_day_cutoff, start, sizeof start);
		fprintf(ctx->out, "Working calendar %d%s\n", year,
		    cf.provisional ? " (PROVISIONAL: dates may still change)" : "");
		fprintf(ctx->out, "office hours: %s on working days; same-day cut-off %s\n",
		    hours != NULL ? hours : "none", start);
		fprintf(ctx->out, "working days: %d; weekdays off: %d; weekend days worked: %d\n",
		    nworking, noff, nwork);
		if (cf.note != NULL) {
			safe = text_sanitise(cf.note);
			fprintf(ctx->out, "note: %s\n", safe);
			free(safe);
		}
		fprintf(ctx->out, "\n");
		free(hours);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);
	ydoc_free(cf.doc);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_calendar_due = {
	.name = "calendar due",
	.usage = "--from \"YYYY-MM-DD HH:MM\" (--days N | --same-day | --procedure CODE)",
	.summary = "print when work received at a given time is due",
	.help = "The due time, in the province's local time, of work received at --from and\n"
	    "lasting N working days (fractions such as 0.5 allowed), under the same-day rule, or\n"
	    "as long as procedure CODE takes, counted with the served catalog's calendar and\n"
	    "office hours, as `motcuad calendar due` does.",
	.exec = admin_calendar_due_exec,
};

const struct admin_command admin_cmd_calendar_show = {
	.name = "calendar show",
	.usage = "YEAR",
	.summary = "show a year's working calendar",
	.help = "The working calendar of YEAR in the served catalog: office hours, the number of\n"
	    "working days, and one row per exception: a weekday off or a weekend day worked,\n"
	    "with the name the calendar file gives it. A provisional year is marked so.",
	.tabular = true,
	.exec = admin_calendar_show_exec,
};
