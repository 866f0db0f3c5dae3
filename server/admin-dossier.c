/*
 * admin-dossier.c: `dossier show CODE`: everything stored about one dossier of any unit: its
 * details, the procedure version it was received under, its documents, and its events with
 * whether each hand-over came early, on time or late against the step's deadline.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/* Print a labelled line, its value sanitised; a NULL or empty value prints nothing. */
static void
admin_dossier_line(struct admin_ctx *ctx, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
admin_dossier_line(struct admin_ctx *ctx, const char *label, const char *fmt, ...)
{
	va_list	 ap;
	char	*value, *safe;

	va_start(ap, fmt);
	value = xvasprintf(fmt, ap);
	va_end(ap);
	if (*value != '\0') {
		safe = text_sanitise(value);
		fprintf(ctx->out, "  %-18s %s\n", label, safe);
		free(safe);
	}
	free(value);
}

/* An instant as local "YYYY-MM-DD HH:MM", or "" if not set. */
static void
admin_dossier_time(const struct catalog *catalog, int64_t t, char *buf, size_t len)
{
	if (t == 0)
		*buf = '\0';
	else
		calendar_format_local(catalog->calendar, t, buf, len);
}

/* A step's department by name if the unit has it, else its code. */
static const char *
admin_dossier_department(const struct catalog *catalog, const char *unit, const char *code)
{
	const struct catalog_unit	*u;
	const struct catalog_department	*d;

	if (code == NULL)
		return "";
	if ((u = catalog_unit(catalog, unit)) == NULL ||
	    (d = catalog_department(u, code)) == NULL)
		return code;
	return d->name;
}

/* Working days from hundredths: "5", "0.5". */
static void
admin_dossier_days(int centidays, char *buf, size_t len)
{
	if (centidays % 100 == 0)
		snprintf(buf, len, "%d", centidays / 100);
	else if (centidays % 10 == 0)
		snprintf(buf, len, "%d.%d", centidays / 100, (centidays % 100) / 10);
	else
		snprintf(buf, len, "%d.%02d", centidays / 100, centidays % 100);
}

/* Return true if an event passes the dossier from one holder to the next. */
static bool
admin_dossier_is_handover(enum dossier_action a)
{
	return a == ACTION_RECEIVE || a == ACTION_HANDOVER || a == ACTION_RESOLVE ||
	    a == ACTION_RETURN;
}

/* How a hand-over came against the deadline of the step it ended, "" if none applies. */
static const char *
admin_dossier_punctuality(const struct catalog *catalog, int64_t done, int64_t due)
{
	if (due == 0)
		return "";
	switch (calendar_punctuality(catalog->calendar, done, due)) {
	case CALENDAR_EARLY:
		return "early";
	case CALENDAR_ON_TIME:
		return "on time";
	case CALENDAR_LATE:
		return "late";
	}
	return "";
}

/* Print the details of a dossier. */
static void
admin_dossier_details(struct admin_ctx *ctx, const struct dossier *d)
{
	const struct catalog		*catalog = ctx->catalog;
	const struct catalog_unit	*unit = catalog_unit(catalog, d->unit);
	const struct catalog_field	*field = catalog_field(catalog, d->field);
	char				 t[32], days[16];

	fprintf(ctx->out, "Dossier %s\n", d->code);
	admin_dossier_line(ctx, "state:", "%d %s (%s)", (int)d->state,
	    dossier_state_name((int)d->state), dossier_state_label((int)d->state));
	admin_dossier_line(ctx, "unit:", "%s%s%s", d->unit, unit != NULL ? " " : "",
	    unit != NULL ? unit->name : "");
	admin_dossier_line(ctx, "field:", "%s%s%s", d->field, field != NULL ? " " : "",
	    field != NULL ? field->name : "");
	admin_dossier_line(ctx, "procedure:", "%s %s", d->procedure_code,
	    d->procedure_name != NULL ? d->procedure_name : "");
	admin_dossier_line(ctx, "version:", "%s (variant %d)", d->procedure_hash != NULL ?
	    d->procedure_hash : "?", d->variant);
	admin_dossier_line(ctx, "applicant:", "%s, ID %s", d->applicant_name,
	    d->applicant_id);
	admin_dossier_line(ctx, "phone:", "%s", d->applicant_phone != NULL ?
	    d->applicant_phone : "");
	admin_dossier_line(ctx, "address:", "%s%s%s", d->applicant_address != NULL ?
	    d->applicant_address : "", d->applicant_commune != NULL &&
	    *d->applicant_commune != '\0' ? ", " : "", d->applicant_commune != NULL ?
	    d->applicant_commune : "");
	if (d->owner_name != NULL) {
		admin_dossier_line(ctx, "owner:", "%s%s%s%s%s", d->owner_name,
		    d->owner_id != NULL ? ", ID " : "", d->owner_id != NULL ? d->owner_id : "",
		    d->owner_address != NULL ? ", " : "",
		    d->owner_address != NULL ? d->owner_address : "");
	}
	admin_dossier_line(ctx, "request:", "%s", d->request != NULL ? d->request : "");
	admin_dossier_line(ctx, "channel:", "%s, %d set%s", dossier_channel_name(d->channel),
	    d->sets, d->sets == 1 ? "" : "s");
	admin_dossier_time(catalog, d->received_at, t, sizeof t);
	admin_dossier_line(ctx, "received:", "%s by %s", t, d->received_by_name != NULL ?
	    d->received_by_name : "?");
	admin_dossier_time(catalog, d->due_at, t, sizeof t);
	admin_dossier_line(ctx, "due:", "%s", d->due_at != 0 ? t : "no deadline");
	if (d->appointment_at != 0) {
		admin_dossier_time(catalog, d->appointment_at, t, sizeof t);
		admin_dossier_line(ctx, "new appointment:", "%s", t);
		admin_dossier_time(catalog, d->apology_at, t, sizeof t);
		admin_dossier_line(ctx, "apology:", "%s", t);
	}
	if (d->nsteps > 0 && d->step >= 0 && (size_t)d->step < d->nsteps) {
		admin_dossier_days(d->steps[d->step].centidays, days, sizeof days);
		admin_dossier_line(ctx, "step:", "%d of %zu, %s (%s), %s working days",
		    d->step + 1, d->nsteps, d->steps[d->step].name,
		    admin_dossier_department(catalog, d->unit, d->department), days);
	}
	admin_dossier_line(ctx, "officer:", "%s", d->officer_name != NULL ?
	    d->officer_name : "");
	admin_dossier_time(catalog, d->step_due_at, t, sizeof t);
	admin_dossier_line(ctx, "step due:", "%s", t);
	admin_dossier_time(catalog, d->paused_at, t, sizeof t);
	admin_dossier_line(ctx, "paused since:", "%s", t);
	admin_dossier_time(catalog, d->resolved_at, t, sizeof t);
	admin_dossier_line(ctx, "resolved:", "%s", t);
	admin_dossier_time(catalog, d->returned_at, t, sizeof t);
	admin_dossier_line(ctx, "returned:", "%s", t);
	admin_dossier_time(catalog, d->closed_at, t, sizeof t);
	admin_dossier_line(ctx, "closed:", "%s", t);
}

/* dossier show CODE: the details, steps, documents and events of one dossier. */
static int
admin_dossier_show_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const	 step_headers[] = { "STEP>", "DEPARTMENT", "NAME",
					     "DAYS>" };
	static const char *const	 doc_headers[] = { "DOCUMENT", "ORIGINALS>",
					     "COPIES>" };
	static const char *const	 event_headers[] = { "AT", "ACTION", "STATE",
					     "STEP>", "DEPARTMENT", "BY", "STEP DUE",
					     "HAND-OVER", "NOTE" };
	struct actor			 admin;
	struct admin_table		*table;
	struct dossier			*d = NULL;
	struct dossier_event		*ev = NULL;
	const struct dossier_event	*e;
	char				*cause = NULL, *safe, at[32], due[32], days[16];
	char				 state[16];
	size_t				 nev = 0, i;
	int64_t				 prev_due;
	int				 status = ADMIN_EXIT_FAILURE;

	if (argc != 2 || argv[1][0] == '-')
		return admin_usage(ctx, &admin_cmd_dossier_show);
	/* An administrator reads every unit: the raw row, not a unit's scoped view. */
	if (store_dossier_load(ctx->store, argv[1], &d, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		goto out;
	}
	if (d == NULL) {
		safe = text_sanitise(argv[1]);
		admin_fail(ctx, "no dossier %s (a code looks like TPSL-150826-0007)", safe);
		free(safe);
		goto out;
	}
	memset(&admin, 0, sizeof admin);
	admin.user_id = ctx->actor;
	admin.role = ROLE_ADMIN;
	if (dossier_events(ctx->store, &admin, d->code, &ev, &nev, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		goto out;
	}

	admin_dossier_details(ctx, d);

	fprintf(ctx->out, "\nSteps of the procedure version:\n");
	table = admin_table_new(4, step_headers);
	for (i = 0; i < d->nsteps; i++) {
		admin_dossier_days(d->steps[i].centidays, days, sizeof days);
		admin_table_addf(table, "%zu%s\t%s\t%s%s\t%s", i + 1,
		    (int)i == d->step ? "*" : "",
		    admin_dossier_department(ctx->catalog, d->unit, d->steps[i].dept),
		    d->steps[i].name, d->steps[i].pause_citizen ? " (pause: citizen)" : "",
		    days);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);

	fprintf(ctx->out, "\nDocuments:\n");
	table = admin_table_new(3, doc_headers);
	for (i = 0; i < d->ndocuments; i++) {
		admin_table_addf(table, "%s\t%d\t%d", d->documents[i].name,
		    d->documents[i].originals, d->documents[i].copies);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);

	fprintf(ctx->out, "\nEvents:\n");
	table = admin_table_new(9, event_headers);
	for (i = 0; i < nev; i++) {
		e = &ev[i];
		admin_dossier_time(ctx->catalog, e->at, at, sizeof at);
		admin_dossier_time(ctx->catalog, e->step_due_at, due, sizeof due);
		if (e->from_state != 0 && e->from_state != e->to_state)
			snprintf(state, sizeof state, "%d→%d", e->from_state, e->to_state);
		else
			snprintf(state, sizeof state, "%d", e->to_state);
		/* A hand-over ends the step entered by the event before it (as Mẫu 05). */
		prev_due = i > 0 && e->action != ACTION_RECEIVE ? ev[i - 1].step_due_at : 0;
		admin_table_addf(table, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s", at,
		    dossier_action_name(e->action), state, e->step + 1,
		    admin_dossier_department(ctx->catalog, d->unit, e->department),
		    e->actor_name != NULL ? e->actor_name : "", due,
		    admin_dossier_is_handover(e->action) ?
		    admin_dossier_punctuality(ctx->catalog, e->at, prev_due) : "",
		    e->note != NULL ? e->note : "");
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);
	status = ADMIN_EXIT_OK;
out:
	free(cause);
	dossier_events_free(ev, nev);
	dossier_free(d);
	return status;
}

const struct admin_command admin_cmd_dossier_show = {
	.name = "dossier show",
	.usage = "CODE",
	.summary = "show everything about one dossier",
	.help = "Everything stored about the dossier CODE, of any unit: its state, procedure and\n"
	    "the version it was received under, applicant, dates, current step and officer; the\n"
	    "steps of that procedure version (* marks the current one); the documents received;\n"
	    "and every event, oldest first, with whether each hand-over came early, on time or\n"
	    "late against the deadline of the step it ended. Exit status 1 if there is no such\n"
	    "dossier.",
	.exec = admin_dossier_show_exec,
};
