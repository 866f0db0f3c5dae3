/* demo.h: the demo province: its users and a few hundred dossiers in every state. */
#ifndef MOTCUA_DEMO_H
#define MOTCUA_DEMO_H

#include <stdint.h>

struct catalog;

/*
 * Fill an empty store at db_path with the demo users (all with password_hash, a hash of
 * "demo") and a few hundred dossiers in every state around now, some overdue, made through
 * the real lifecycle rules so that their histories are complete. A store that already has
 * users is left alone. Returns 0, or -1 with *cause set.
 */
int	demo_populate(const char *db_path, const struct catalog *, const char *password_hash,
	    int64_t now, char **cause);

#endif
