/*
 * fixture.h: what several Check suites build the same way: a store in a private directory,
 * its users, the services' fixed clock, and intakes and actions through the officers' service.
 * Every function fails the running test (ck_abort) when it cannot do its work.
 */
#ifndef MOTCUA_FIXTURE_H
#define MOTCUA_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dossier.h"

struct catalog;
struct service;

/* One user of a fixture's store. */
struct fixture_user {
	const char	*login;
	const char	*name;
	enum role	 role;
	const char	*unit;
	const char	*department;
	bool		 disabled;
};

/*
 * Make a private directory /tmp/NAME.XXXXXX into dir (dirsize bytes) and the path of the
 * store in it, DIR/motcua.db, into db (dbsize bytes); the store itself is not created.
 */
void		 fixture_dir(const char *name, char *dir, size_t dirsize, char *db,
		     size_t dbsize);
/* Remove the store db, with its -wal and -shm files, and then the directory dir. */
void		 fixture_dir_remove(const char *dir, const char *db);

/* Load the bundled catalog (TEST_CATALOG). */
struct catalog	*fixture_catalog(void);

/* Add users to the store at db (creating it), all created at the instant created. */
void		 fixture_users(const char *db, const struct fixture_user *, size_t n,
		     int64_t created);

/* Fix the clock of the services (MOTCUA_NOW) at a local time "YYYY-MM-DD HH:MM". */
void		 fixture_now(const char *local);

/* The instant of a local time of the catalog's calendar. */
int64_t		 fixture_at(const struct catalog *, const char *local);

/* Open the officers' service on the store at db as login. */
struct service	*fixture_open_as(const char *db, const struct catalog *, const char *login);

/*
 * Receive a dossier of procedure at the local time when, as the service's user, with a fresh
 * idempotency key (never a replay); refused at intake instead if refuse. The caller frees the
 * code it returns.
 */
char		*fixture_receive(struct service *, const char *when, const char *procedure,
		     const char *name, const char *id, const char *phone, bool refuse);

/* Take an action at the local time when, as the service's user. */
void		 fixture_act(struct service *, const char *when, const char *code,
		     enum dossier_action, int64_t officer, const char *note);

#endif
