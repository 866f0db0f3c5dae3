/*
 * admin-report.c: the report commands: the period report of DOMAIN.md "Statistics" as a table,
 * the tracking book (Mẫu 06) of a unit, and a dossier's apology letter (Mẫu 04) and control
 * slip (Mẫu 05) as printable text.
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
#include "dossier.h"
#include "report.h"
#include "slip.h"
#include "text.h"
#include "xmalloc.h"

#define ADMIN_REPORT_MAX_UNITS	64

/* The options of `report` and `report book`. */
struct admin_report_args {
	const char	*period;
	const char	*by;
	const char	*units[ADMIN_REPORT_MAX_UNITS];
	size_t		 nunits;
	const char	*field;
	const char	*procedure;
};

/* The names of the groupings, as --by takes them, in enum report_group order. */
static const char *const admin_report_groups[] = {
	[REPORT_BY_UNIT] = "unit",
	[REPORT_BY_FIELD] = "field",
	[REPORT_BY_PROCEDURE] = "procedure",
	[REPORT_BY_MONTH] = "month"
};

/* The core's view of the administrator: reads every unit, writes nothing. */
static void
admin_report_actor(const struct admin_ctx *ctx, struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->user_id = ctx->actor;
	a->role = ROLE_ADMIN;
}

/*
 * If argv[*i] is the option name ("--period P" or "--period=P"), set *value, step over it and
 * return 1; return 0 if it is another word, -1 if the value is missing.
 */
static int
admin_report_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t	len = strlen(name);

	if (strncmp(argv[*i], name, len) != 0)
		return 0;
	if (argv[*i][len] == '=') {
		*value = argv[*i] + len + 1;
		return **value == '\0' ? -1 : 1;
	}
	if (argv[*i][len] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

/* Parse the options of a report command; returns 0, or -1 on a usage error (printed). */
static int
admin_report_parse(struct admin_ctx *ctx, const struct admin_command *command, int argc,
    char **argv, bool book, struct admin_report_args *args)
{
	const char	*value;
	char		*safe;
	int		 i, r;

	memset(args, 0, sizeof *args);
	for (i = 1; i < argc; i++) {
		value = NULL;
		r = admin_report_option(argc, argv, &i, "--period", &args->period);
		if (r == 0 && (r = admin_report_option(argc, argv, &i, "--unit", &value)) == 1) {
			if (args->nunits == ADMIN_REPORT_MAX_UNITS) {
				admin_fail(ctx, "at most %d units", ADMIN_REPORT_MAX_UNITS);
				return -1;
			}
			args->units[args->nunits++] = value;
		}
		if (r == 0 && !book)
			r = admin_report_option(argc, argv, &i, "--by", &args->by);
		if (r == 0 && !book)
			r = admin_report_option(argc, argv, &i, "--field", &args->field);
		if (r == 0 && !book)
			r = admin_report_option(argc, argv, &i, "--procedure", &args->procedure);
		if (r == 1)
			continue;
		safe = text_sanitise(argv[i]);
		if (r == -1)
			admin_fail(ctx, "%s needs a value", safe);
		else
			admin_fail(ctx, "unexpected argument '%s'", safe);
		free(safe);
		admin_usage(ctx, command);
		return -1;
	}
	if (book && args->nunits != 1) {
		admin_fail(ctx, "report book needs exactly one --unit");
		admin_usage(ctx, command);
		return -1;
	}
	return 0;
}

/*
 * Resolve the period (default: the current month) and describe it in *label (if label is
 * not NULL; caller frees); 0, or -1 (printed).
 */
static int
admin_report_period(struct admin_ctx *ctx, const char *text, int64_t *from, int64_t *to,
    char **label)
{
	struct calendar_date	 first, last;
	char			*cause = NULL, month[16];

	if (text == NULL) {
		first = calendar_local_date(ctx->catalog->calendar, ctx->now, NULL);
		snprintf(month, sizeof month, "%04d-%02d", first.year, first.month);
		text = month;
	}
	if (report_period_parse(ctx->catalog, text, from, to, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		free(cause);
		return -1;
	}
	if (label == NULL)
		return 0;
	first = calendar_local_date(ctx->catalog->calendar, *from, NULL);
	last = calendar_local_date(ctx->catalog->calendar, *to - 1, NULL);
	*label = xasprintf("%s (%04d-%02d-%02d to %04d-%02d-%02d)", text, first.year,
	    first.month, first.day, last.year, last.month, last.day);
	return 0;
}

/* Check the units, field and procedure against the catalog; 0, or -1 (printed). */
static int
admin_report_check(struct admin_ctx *ctx, struct admin_report_args *args, char **units)
{
	const struct catalog	*cat = ctx->catalog;
	char			*p;
	size_t			 i;

	for (i = 0; i < args->nunits; i++) {
		units[i] = xstrdup(args->units[i]);
		for (p = units[i]; *p != '\0'; p++) {
			if (*p >= 'a' && *p <= 'z')
				*p = *p - 'a' + 'A';
		}
		if (catalog_unit(cat, units[i]) == NULL) {
			admin_fail(ctx, "no unit '%s' in the catalog ('unit list' shows them)",
			    args->units[i]);
			return -1;
		}
		args->units[i] = units[i];
	}
	if (args->field != NULL && catalog_field(cat, args->field) == NULL) {
		admin_fail(ctx, "no field '%s' in the catalog", args->field);
		return -1;
	}
	if (args->procedure != NULL && catalog_procedure(cat, args->procedure) == NULL) {
		admin_fail(ctx, "no procedure '%s' in the catalog", args->procedure);
		return -1;
	}
	return 0;
}

/* The on-time rate as a percentage with one decimal ("95.2"), or empty if none resolved. */
static void
admin_report_rate(const struct report_figures *f, char *buf, size_t len)
{
	double	rate = report_on_time_rate(f);

	if (rate < 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%.1f", rate * 100.0);
}

/* Add one row of figures to the people's table. */
static void
admin_report_text_row(struct admin_table *t, const char *key, const char *label,
    const struct report_figures *f)
{
	const int64_t	 v[] = {
		f->carried, f->new_total, report_resolved(f),
		f->resolved_early, f->resolved_on_time, f->resolved_late,
		f->open_within + f->open_overdue, f->open_overdue,
		f->supplement, f->withdrawn, f->refused
	};
	char		 cells[11][32], rate[16], percent[24];
	const char	*row[14];
	size_t		 i;

	for (i = 0; i < 11; i++)
		report_format_count(v[i], ',', cells[i], sizeof cells[i]);
	admin_report_rate(f, rate, sizeof rate);
	snprintf(percent, sizeof percent, "%s%s", rate[0] == '\0' ? "-" : rate,
	    rate[0] == '\0' ? "" : "%");
	row[0] = key;
	row[1] = label;
	for (i = 0; i < 6; i++)
		row[2 + i] = cells[i];
	row[8] = percent;
	for (i = 6; i < 11; i++)
		row[3 + i] = cells[i];
	admin_table_add(t, row);
}

/* Add one row of figures to the scripts' table (CSV or TSV). */
static void
admin_report_csv_row(struct admin_table *t, const char *key, const char *label,
    const struct report_figures *f)
{
	char	rate[16];

	admin_report_rate(f, rate, sizeof rate);
	admin_table_addf(t, "%s\t%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%s\t"
	    "%lld\t%lld\t%lld\t%lld\t%lld", key, label, (long long)f->carried,
	    (long long)f->new_total, (long long)f->new_counter, (long long)f->new_post,
	    (long long)f->new_online,
	    (long long)report_resolved(f),
	    (long long)f->resolved_early, (long long)f->resolved_on_time,
	    (long long)f->resolved_late, rate, (long long)f->open_within,
	    (long long)f->open_overdue, (long long)f->supplement, (long long)f->withdrawn,
	    (long long)f->refused);
}

/* Print a built report in ctx->format. */
static void
admin_report_print(struct admin_ctx *ctx, const struct report *r, const char *period,
    const struct admin_report_args *args)
{
	static const char *const text_headers[] = {
		NULL, "NAME", "CARRIED>", "NEW>", "RESOLVED>", "EARLY>", "ON TIME>", "LATE>",
		"ON-TIME RATE>", "IN PROGRESS>", "OVERDUE>", "SUPPLEMENT>", "WITHDRAWN>",
		"REFUSED>"
	};
	static const char *const csv_headers[] = {
		NULL, "name", "carried", "new", "new_counter", "new_post", "new_online",
		"resolved", "resolved_early", "resolved_on_time", "resolved_late",
		"on_time_rate", "in_progress_within", "in_progress_overdue", "supplement",
		"withdrawn", "refused"
	};
	static const char *const text_keys[] = {
		[REPORT_BY_UNIT] = "UNIT", [REPORT_BY_FIELD] = "FIELD",
		[REPORT_BY_PROCEDURE] = "PROCEDURE", [REPORT_BY_MONTH] = "MONTH"
	};
	const char		*headers[17];
	struct admin_table	*t;
	bool			 text = ctx->format == ADMIN_FORMAT_TEXT;
	char			*safe;
	size_t			 i, n;

	n = text ? 14 : 17;
	for (i = 0; i < n; i++)
		headers[i] = text ? text_headers[i] : csv_headers[i];
	headers[0] = text ? text_keys[r->group] : admin_report_groups[r->group];
	t = admin_table_new(n, headers);
	for (i = 0; i < r->nrows; i++) {
		if (text)
			admin_report_text_row(t, r->rows[i].key, r->rows[i].label, &r->rows[i].f);
		else
			admin_report_csv_row(t, r->rows[i].key, r->rows[i].label, &r->rows[i].f);
	}
	if (text)
		admin_report_text_row(t, "", "Total", &r->total);
	else
		admin_report_csv_row(t, "", "Total", &r->total);

	if (text) {
		safe = text_sanitise(period);
		fprintf(ctx->out, "Report for %s, by %s\n", safe, admin_report_groups[r->group]);
		free(safe);
		fprintf(ctx->out, "Units: ");
		if (args->nunits == 0)
			fprintf(ctx->out, "all\n");
		for (i = 0; i < args->nunits; i++) {
			safe = text_sanitise(args->units[i]);
			fprintf(ctx->out, "%s%s", safe, i + 1 < args->nunits ? ", " : "\n");
			free(safe);
		}
		if (args->field != NULL) {
			safe = text_sanitise(args->field);
			fprintf(ctx->out, "Field: %s\n", safe);
			free(safe);
		}
		if (args->procedure != NULL) {
			safe = text_sanitise(args->procedure);
			fprintf(ctx->out, "Procedure: %s\n", safe);
			free(safe);
		}
		fputc('\n', ctx->out);
	}
	admin_table_print(ctx, t, true);
	admin_table_free(t);
	if (text) {
		fprintf(ctx->out, "\nCARRIED: open when the period began. NEW: received in the "
		    "period. RESOLVED = EARLY +\nON TIME + LATE; ON-TIME RATE = (EARLY + ON TIME) / "
		    "RESOLVED. IN PROGRESS: open when\nthe period ended, OVERDUE of them past their "
		    "appointment. SUPPLEMENT: sent back\nfor a supplement in the period.\n");
	}
}

/* report: the period report. */
static int
admin_report_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct admin_report_args	 args;
	struct report_query		 q;
	struct report			*r = NULL;
	struct actor			 a;
	char				*units[ADMIN_REPORT_MAX_UNITS], *label = NULL;
	char				*cause = NULL;
	size_t				 i;
	int				 status = ADMIN_EXIT_FAILURE;

	memset(units, 0, sizeof units);
	if (admin_report_parse(ctx, &admin_cmd_report, argc, argv, false, &args) != 0)
		return ADMIN_EXIT_USAGE;
	memset(&q, 0, sizeof q);
	q.group = REPORT_BY_FIELD;
	if (args.by != NULL) {
		for (i = 0; i < sizeof admin_report_groups / sizeof admin_report_groups[0]; i++) {
			if (strcmp(args.by, admin_report_groups[i]) == 0)
				break;
		}
		if (i == sizeof admin_report_groups / sizeof admin_report_groups[0]) {
			admin_fail(ctx, "--by takes unit, field, procedure or month");
			return admin_usage(ctx, &admin_cmd_report);
		}
		q.group = (enum report_group)i;
	}
	if (admin_report_check(ctx, &args, units) != 0)
		goto out;
	if (admin_report_period(ctx, args.period, &q.from, &q.to, &label) != 0)
		goto out;
	q.units = args.nunits != 0 ? args.units : NULL;
	q.nunits = args.nunits;
	q.field = args.field;
	q.procedure = args.procedure;
	admin_report_actor(ctx, &a);
	if (report_build(ctx->store, ctx->catalog, &a, &q, &r, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		goto out;
	}
	admin_report_print(ctx, r, label, &args);
	status = ADMIN_EXIT_OK;

out:
	for (i = 0; i < args.nunits; i++)
		free(units[i]);
	free(cause);
	free(label);
	report_free(r);
	return status;
}

const struct admin_command admin_cmd_report = {
	.name = "report",
	.usage = "[--period P] [--by unit|field|procedure|month] [--unit U]... [--field F] "
	    "[--procedure C]",
	.summary = "the figures of a period: received, resolved early / on time / late, "
	    "overdue",
	.help = "Counts dossiers as the province publishes them (carried over, new by channel,\n"
	    "resolved early / on time / late, in progress within time / overdue, sent back for\n"
	    "a supplement, withdrawn, refused, on-time rate), one row per unit, field (the\n"
	    "default), procedure or month, and a total row.\n"
	    "\n"
	    "--period P   2015 (a year), 2015-06 (a month), 2015-Q2, 2015-H1, 2015-06-15 (a day)\n"
	    "             or 2015-01-01..2015-06-30 (both days included), in the province's\n"
	    "             time; the current month by default.\n"
	    "--unit U     only these units (repeat the option); every unit by default.\n"
	    "--field F, --procedure C   only this field or procedure.\n"
	    "\n"
	    "CSV starts with a UTF-8 byte order mark so that spreadsheets show Vietnamese\n"
	    "names; the total row has an empty first cell; on_time_rate is a percentage, empty\n"
	    "when nothing was resolved.",
	.tabular = true,
	.exec = admin_report_exec,
};

/* A time in the book: "HH:MM dd/mm/yyyy" for people, "YYYY-MM-DD HH:MM" for scripts. */
static void
admin_report_book_time(struct admin_ctx *ctx, int64_t t, char *buf, size_t len)
{
	if (t == 0)
		snprintf(buf, len, "%s", "");
	else if (ctx->format == ADMIN_FORMAT_TEXT)
		calendar_format_receipt(ctx->catalog->calendar, t, buf, len);
	else
		calendar_format_local(ctx->catalog->calendar, t, buf, len);
}

/* report book: the tracking book (Mẫu 06) of one unit for a period. */
static int
admin_report_book_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const text_headers[] = {
		"STT>", "MÃ HỒ SƠ", "THỦ TỤC", "NGƯỜI NỘP", "NHẬN LÚC", "HẸN TRẢ",
		"CÓ KẾT QUẢ", "ĐÃ TRẢ", "TRẠNG THÁI"
	};
	static const char *const csv_headers[] = {
		"n", "code", "procedure", "applicant", "received_at", "due_at", "resolved_at",
		"returned_at", "state"
	};
	struct admin_report_args	 args;
	struct report_book		*book = NULL;
	struct admin_table		*t = NULL;
	const struct catalog_unit	*cu;
	struct calendar_date		 first, last;
	struct actor			 a;
	char				*units[ADMIN_REPORT_MAX_UNITS];
	char				*cause = NULL, *safe, times[4][32], n[24], state[16];
	const char			*row[9];
	int64_t				 from, to;
	size_t				 i;
	bool				 text = ctx->format == ADMIN_FORMAT_TEXT;
	int				 status = ADMIN_EXIT_FAILURE;

	memset(units, 0, sizeof units);
	if (admin_report_parse(ctx, &admin_cmd_report_book, argc, argv, true, &args) != 0)
		return ADMIN_EXIT_USAGE;
	if (admin_report_check(ctx, &args, units) != 0)
		goto out;
	if (admin_report_period(ctx, args.period, &from, &to, NULL) != 0)
		goto out;
	admin_report_actor(ctx, &a);
	if (report_book_build(ctx->store, &a, args.units[0], from, to, 0, &book,
	    &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		goto out;
	}
	t = admin_table_new(9, text ? text_headers : csv_headers);
	for (i = 0; i < book->nlines; i++) {
		snprintf(n, sizeof n, "%zu", i + 1);
		admin_report_book_time(ctx, book->lines[i].received_at, times[0], sizeof times[0]);
		admin_report_book_time(ctx, book->lines[i].due_at, times[1], sizeof times[1]);
		admin_report_book_time(ctx, book->lines[i].resolved_at, times[2], sizeof times[2]);
		admin_report_book_time(ctx, book->lines[i].returned_at, times[3], sizeof times[3]);
		snprintf(state, sizeof state, "%d", book->lines[i].state);
		row[0] = n;
		row[1] = book->lines[i].code;
		row[2] = book->lines[i].procedure_code;
		row[3] = book->lines[i].applicant_name;
		row[4] = times[0];
		row[5] = times[1];
		row[6] = times[2];
		row[7] = times[3];
		row[8] = text ? dossier_state_label(book->lines[i].state) : state;
		admin_table_add(t, (const char *const *)row);
	}
	if (text) {
		cu = catalog_unit(ctx->catalog, args.units[0]);
		safe = text_sanitise(cu->name);
		fprintf(ctx->out, "SỔ THEO DÕI HỒ SƠ (Mẫu số 06)\n%s\n", safe);
		free(safe);
		first = calendar_local_date(ctx->catalog->calendar, from, NULL);
		last = calendar_local_date(ctx->catalog->calendar, to - 1, NULL);
		fprintf(ctx->out, "Từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d: %zu hồ sơ\n\n",
		    first.day, first.month, first.year, last.day, last.month, last.year,
		    book->nlines);
	}
	admin_table_print(ctx, t, true);
	status = ADMIN_EXIT_OK;

out:
	for (i = 0; i < args.nunits; i++)
		free(units[i]);
	admin_table_free(t);
	report_book_free(book);
	free(cause);
	return status;
}

const struct admin_command admin_cmd_report_book = {
	.name = "report book",
	.usage = "--unit U [--period P]",
	.summary = "the tracking book (Mẫu 06) of a unit: received, due and returned dates",
	.help = "Lists the dossiers the unit received in the period (the current month by\n"
	    "default; periods as for 'report'), oldest first: code, procedure, applicant,\n"
	    "received at, appointment, result ready, returned, state. In CSV and TSV the times\n"
	    "are \"YYYY-MM-DD HH:MM\" in the province's time and the state is the national\n"
	    "status code (1-10); an empty cell means not yet.",
	.tabular = true,
	.exec = admin_report_book_exec,
};

/* Read a dossier (and its history) for a printed form; NULL if it fails (printed). */
static struct dossier *
admin_report_dossier(struct admin_ctx *ctx, const struct admin_command *command, int argc,
    char **argv, struct dossier_event **events, size_t *nevents)
{
	struct dossier	*d;
	struct actor	 a;
	char		*code, *p, *cause = NULL;

	*events = NULL;
	*nevents = 0;
	if (argc != 2) {
		admin_usage(ctx, command);
		return NULL;
	}
	code = text_clean(argv[1]);
	for (p = code; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = *p - 'a' + 'A';
	}
	admin_report_actor(ctx, &a);
	if ((d = dossier_get(ctx->store, &a, code, &cause)) == NULL ||
	    dossier_events(ctx->store, &a, code, events, nevents, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		dossier_free(d);
		d = NULL;
	}
	free(cause);
	free(code);
	return d;
}

/* Print a form; its text is already made of the slip's own sanitised lines. */
static void
admin_report_form(struct admin_ctx *ctx, char *form)
{
	char	*safe, *line, *next;

	/* Sanitise line by line: the form's own line breaks must survive. */
	for (line = form; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		safe = text_sanitise(line);
		fprintf(ctx->out, "%s\n", safe);
		free(safe);
	}
	free(form);
}

/* report apology CODE: the apology letter and new appointment (Mẫu 04) of a dossier. */
static int
admin_report_apology_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct dossier_event	*ev;
	struct dossier		*d;
	const char		*reason = NULL;
	char			*holder, *late = NULL;
	size_t			 nev, i;
	bool			 found = false;

	if (argc != 2)
		return admin_usage(ctx, &admin_cmd_report_apology);
	if ((d = admin_report_dossier(ctx, &admin_cmd_report_apology, argc, argv, &ev,
	    &nev)) == NULL)
		return ADMIN_EXIT_FAILURE;
	for (i = 0; i < nev; i++) {
		if (ev[i].action == ACTION_APOLOGIZE) {
			reason = ev[i].note;
			late = ev[i].department;
			found = true;
		}
	}
	if (!found) {
		admin_fail(ctx, "dossier %s has no apology letter: none was recorded", d->code);
		dossier_events_free(ev, nev);
		dossier_free(d);
		return ADMIN_EXIT_FAILURE;
	}
	/* The letter is the department's that was late then, wherever the dossier is now. */
	holder = d->department;
	if (late != NULL)
		d->department = late;
	admin_report_form(ctx, slip_apology(ctx->catalog, d, reason));
	d->department = holder;
	dossier_events_free(ev, nev);
	dossier_free(d);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_report_apology = {
	.name = "report apology",
	.usage = "CODE",
	.summary = "print a dossier's apology letter and new appointment (Mẫu 04)",
	.help = "Prints the letter the late department sent with the reason and the one new\n"
	    "appointment, as plain text 72 columns wide, ready to print. Fails if no apology\n"
	    "was recorded for the dossier.",
	.exec = admin_report_apology_exec,
};

/* report slip CODE: the control slip (Mẫu 05) of a dossier. */
static int
admin_report_slip_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct dossier_event	*ev;
	struct dossier		*d;
	size_t			 nev;

	if (argc != 2)
		return admin_usage(ctx, &admin_cmd_report_slip);
	if ((d = admin_report_dossier(ctx, &admin_cmd_report_slip, argc, argv, &ev,
	    &nev)) == NULL)
		return ADMIN_EXIT_FAILURE;
	admin_report_form(ctx, slip_control(ctx->catalog, d, ev, nev));
	dossier_events_free(ev, nev);
	dossier_free(d);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_report_slip = {
	.name = "report slip",
	.usage = "CODE",
	.summary = "print a dossier's control slip (Mẫu 05): every hand-over and its timing",
	.help = "Prints who gave the dossier to whom and when, and whether each step was early,\n"
	    "on time or late, as plain text 72 columns wide, ready to print.",
	.exec = admin_report_slip_exec,
};
