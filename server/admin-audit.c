/* admin-audit.c: `audit verify`, checking the hash chain of every event in the store. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "admin.h"
#include "audit.h"
#include "catalog.h"
#include "store.h"
#include "text.h"

/* audit verify: walk the chain; exit 0 if intact, 1 naming the first broken row. */
static int
admin_audit_verify_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct audit_report	 report;
	char			*cause = NULL, *s;
	int			 offset;

	(void)argv;
	if (argc != 1)
		return admin_usage(ctx, &admin_cmd_audit_verify);
	offset = ctx->catalog != NULL ? ctx->catalog->utc_offset : 0;
	if (audit_verify(ctx->store, offset, &report, &cause) != 0) {
		admin_fail(ctx, "audit: %s", cause);
		free(cause);
		return ADMIN_EXIT_FAILURE;
	}
	if (!report.intact) {
		/* The message quotes stored text: sanitise it for the terminal. */
		s = text_sanitise(report.problem);
		admin_fail(ctx, "audit: %s (the %" PRId64 " events before it are intact)", s,
		    report.events);
		free(s);
		audit_report_clear(&report);
		return ADMIN_EXIT_FAILURE;
	}
	if (report.events == 0)
		fprintf(ctx->out, "audit: 0 events, chain intact\n");
	else {
		fprintf(ctx->out, "audit: %" PRId64 " events, chain intact (last hash %s)\n",
		    report.events, report.last_hash);
	}
	audit_report_clear(&report);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_audit_verify = {
	.name = "audit verify",
	.usage = "",
	.summary = "check the hash chain of every event",
	.help = "Every event (a dossier's step or an administrator's action) holds the hash of\n"
	    "its content chained to the hash of the event before it. This recomputes the\n"
	    "whole chain in order and exits 0, printing the number of events and the last\n"
	    "hash, or exits 1 naming the first event that does not follow: changed, with a\n"
	    "malformed hash, or after missing (deleted) events. Record the last hash\n"
	    "elsewhere from time to time: removing the newest events can only be seen by\n"
	    "comparing it.",
	.tabular = false,
	.exec = admin_audit_verify_exec,
};
