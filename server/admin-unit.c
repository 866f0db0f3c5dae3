/* admin-unit.c: `unit list`, the units of the served catalog with their departments and users. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "catalog.h"
#include "store.h"
#include "xmalloc.h"

/* Count the enabled and all users of a unit. */
static void
admin_unit_count(struct store_user **users, size_t nusers, const char *unit, size_t *active,
    size_t *total)
{
	size_t	i;

	*active = *total = 0;
	for (i = 0; i < nusers; i++) {
		if (users[i]->unit == NULL || strcmp(users[i]->unit, unit) != 0)
			continue;
		(*total)++;
		if (!users[i]->disabled)
			(*active)++;
	}
}

/* unit list: one row per unit of the served catalog. */
static int
admin_unit_list_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const	 headers[] = {
		"UNIT", "NAME", "DEPARTMENTS>", "USERS>", "ENABLED>"
	};
	struct admin_table		*table;
	struct store_user		**users = NULL;
	const struct catalog_unit	*unit;
	size_t				 nusers = 0, i, active, total;
	char				*cause = NULL;

	(void)argv;
	if (argc != 1)
		return admin_usage(ctx, &admin_cmd_unit_list);
	if (store_user_list(ctx->store, &users, &nusers, &cause) != 0) {
		admin_fail(ctx, "%s", cause);
		free(cause);
		return ADMIN_EXIT_FAILURE;
	}
	table = admin_table_new(5, headers);
	for (i = 0; i < ctx->catalog->nunits; i++) {
		unit = &ctx->catalog->units[i];
		admin_unit_count(users, nusers, unit->code, &active, &total);
		admin_table_addf(table, "%s\t%s\t%zu\t%zu\t%zu", unit->code, unit->name,
		    unit->ndepartments, total, active);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);
	store_user_list_free(users, nusers);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_unit_list = {
	.name = "unit list",
	.usage = "",
	.summary = "list the units of the served catalog",
	.help = "One row per unit of the catalog being served: its code, its name, how many\n"
	    "departments it has, and how many users belong to it (all, and enabled).",
	.tabular = true,
	.exec = admin_unit_list_exec,
};
