/* fixture.c: the stores, users, clock and officers' actions several Check suites share. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "fixture.h"
#include "service.h"
#include "store.h"

/* Make a private directory and the path of a store in it. */
void
fixture_dir(const char *name, char *dir, size_t dirsize, char *db, size_t dbsize)
{
	snprintf(dir, dirsize, "/tmp/%s.XXXXXX", name);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, dbsize, "%s/motcua.db", dir);
}

/* Remove a store's files and its directory. */
void
fixture_dir_remove(const char *dir, const char *db)
{
	char	path[192];

	unlink(db);
	snprintf(path, sizeof path, "%s-wal", db);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", db);
	unlink(path);
	rmdir(dir);
}

/* Load the bundled catalog. */
struct catalog *
fixture_catalog(void)
{
	struct catalog_problems	 pr;
	struct catalog		*cat;

	memset(&pr, 0, sizeof pr);
	cat = catalog_load(TEST_CATALOG, &pr);
	ck_assert_ptr_nonnull(cat);
	return cat;
}

/* Add users to a store. */
void
fixture_users(const char *db, const struct fixture_user *users, size_t n, int64_t created)
{
	struct store		*st;
	struct store_user	 u;
	char			*cause = NULL;
	size_t			 i;

	st = store_open(db, &cause);
	ck_assert_ptr_nonnull(st);
	for (i = 0; i < n; i++) {
		memset(&u, 0, sizeof u);
		u.login = (char *)users[i].login;
		u.full_name = (char *)users[i].name;
		u.role = users[i].role;
		u.unit = (char *)users[i].unit;
		u.department = (char *)users[i].department;
		u.disabled = users[i].disabled;
		ck_assert_int_eq(store_user_add(st, &u, created, NULL, &cause), 0);
	}
	store_close(st);
}

/* Fix the services' clock. */
void
fixture_now(const char *local)
{
	ck_assert_int_eq(setenv("MOTCUA_NOW", local, 1), 0);
}

/* A local time of the catalog's calendar. */
int64_t
fixture_at(const struct catalog *cat, const char *local)
{
	int64_t	 t;
	char	*cause = NULL;

	ck_assert_int_eq(calendar_parse_local(cat->calendar, local, &t, &cause), 0);
	return t;
}

/* Open the officers' service for a login. */
struct service *
fixture_open_as(const char *db, const struct catalog *cat, const char *login)
{
	struct service	*svc;
	char		*cause = NULL;

	if ((svc = service_open(db, cat, login, &cause)) == NULL)
		ck_abort_msg("service_open %s: %s", login, cause);
	return svc;
}

/* Receive (or refuse at intake) a dossier at a time; returns its code. */
char *
fixture_receive(struct service *svc, const char *when, const char *procedure,
    const char *name, const char *id, const char *phone, bool refuse)
{
	struct dossier_intake	 in;
	char			*code = NULL, *cause = NULL, key[64];
	bool			 replay;
	static int		 n;

	fixture_now(when);
	memset(&in, 0, sizeof in);
	in.procedure = procedure;
	in.applicant_name = name;
	in.applicant_id = id;
	in.applicant_phone = phone;
	in.applicant_address = "Tổ 2";
	in.applicant_commune = "Phường Chiềng Lề";
	snprintf(key, sizeof key, "key-%d", ++n);
	in.idempotency_key = key;
	in.note = refuse ? "Không thuộc thẩm quyền" : NULL;
	if ((refuse ? service_refuse_intake(svc, &in, &code, &replay, &cause) :
	    service_receive(svc, &in, &code, &replay, &cause)) != 0)
		ck_abort_msg("receive %s: %s", name, cause);
	ck_assert(!replay);
	return code;
}

/* Take an action at a time. */
void
fixture_act(struct service *svc, const char *when, const char *code,
    enum dossier_action action, int64_t officer, const char *note)
{
	struct dossier_args	 args;
	char			*cause = NULL;

	fixture_now(when);
	memset(&args, 0, sizeof args);
	args.officer = officer;
	args.note = note;
	if (service_act(svc, code, action, &args, &cause) != 0)
		ck_abort_msg("%s %s: %s", dossier_action_name(action), code, cause);
}
