/* check_audit.c: tests of the audit chain: the hash format, appending events, verification. */
#include "config.h"

#include <check.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "dossier.h"
#include "fixture.h"
#include "store.h"
#include "xmalloc.h"

#define TZ7	(7 * 3600)
/* 2015-08-26 07:00 +07:00 */
#define T0	1440547200

static char		 tmpdir[64];
static char		 dbpath[128];
static struct store	*st;

/* Make a private directory and open a store in it. */
static void
setup(void)
{
	char	*cause = NULL;

	fixture_dir("check_audit", tmpdir, sizeof tmpdir, dbpath, sizeof dbpath);
	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
}

/* Close the store and remove its files. */
static void
teardown(void)
{
	store_close(st);
	st = NULL;
	fixture_dir_remove(tmpdir, dbpath);
}

/* Run SQL on a connection of its own (as the sqlite3 tool would); returns the result code. */
static int
raw_exec(const char *sql)
{
	sqlite3	*db = NULL;
	int	 rc;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* Return the first column of a query as an integer, from a connection of its own. */
static long long
raw_int(const char *sql)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*stmt;
	long long	 v;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* Users 1 (one-stop), 2 (officer), 3 (admin) and dossier 1 to hang events on. */
static void
seed(void)
{
	ck_assert_int_eq(raw_exec("PRAGMA foreign_keys = ON; "
	    "INSERT INTO users(id, login, full_name, role, unit, department, created_at) "
	    "VALUES (1, 'a', 'A', 'one_stop', 'TPSL', 'mot-cua', 1), "
	    "(2, 'b', 'B', 'officer', 'TPSL', 'tu-phap', 1); "
	    "INSERT INTO users(id, login, full_name, role, created_at) "
	    "VALUES (3, 'root', 'R', 'admin', 1); "
	    "INSERT INTO procedure_versions(id, code, version, name, field, canonical, "
	    "first_seen) VALUES (1, '1.1', '0123456789abcdef', 'P', 'f', '{}', 1); "
	    "INSERT INTO dossiers(id, code, procedure_version, procedure_code, variant, unit, "
	    "field, applicant_name, applicant_id, channel, state, step, department, "
	    "received_by, received_at, idempotency_key) VALUES (1, 'TPSL-150826-0001', 1, "
	    "'1.1', 0, 'TPSL', 'f', 'X', '123456789', 'counter', 2, 0, 'mot-cua', 1, 1, "
	    "'k');"), SQLITE_OK);
}

/* Append a dossier event at T0 + minutes. */
static int64_t
add_event(enum dossier_action action, int minutes, const char *note)
{
	struct dossier_event	e;
	char			*cause = NULL;

	memset(&e, 0, sizeof e);
	e.dossier = 1;
	e.at = T0 + minutes * 60;
	e.actor = 1;
	e.action = action;
	e.from_state = action == ACTION_RECEIVE ? 0 : 2;
	e.to_state = 2;
	e.step = action == ACTION_RECEIVE ? 0 : 1;
	e.department = action == ACTION_RECEIVE ? "mot-cua" : "tu-phap";
	e.officer = action == ACTION_RECEIVE ? 0 : 2;
	e.step_due_at = action == ACTION_RECEIVE ? 0 : T0 + 86400;
	e.note = (char *)note;
	ck_assert_int_eq(store_event_add(st, &e, &cause), 0);
	ck_assert_ptr_null(cause);
	return e.id;
}

/* Verify and return the report (its problem is the caller's). */
static struct audit_report
verify(void)
{
	struct audit_report	r;
	char			*cause = NULL;

	ck_assert_int_eq(audit_verify(st, TZ7, &r, &cause), 0);
	ck_assert_ptr_null(cause);
	return r;
}

/* The history used by the tampering tests: 1 receive, 2 user_add, 3 handover, 4 backup. */
static void
history(void)
{
	char	*cause = NULL;

	seed();
	ck_assert_int_eq(add_event(ACTION_RECEIVE, 0, NULL), 1);
	ck_assert_int_eq(store_admin_event(st, 3, "user_add", "nguyenvana", "role officer",
	    T0 + 60, &cause), 0);
	ck_assert_int_eq(add_event(ACTION_HANDOVER, 90, "Chuyển hồ sơ"), 3);
	ck_assert_int_eq(store_admin_event(st, 0, "backup", NULL, NULL, T0 + 7200, &cause),
	    0);
}

START_TEST(test_hash_format)
{
	struct audit_value	f[AUDIT_NFIELDS];
	char			h1[AUDIT_HASH_LEN + 1], h2[AUDIT_HASH_LEN + 1];
	int			i;

	/* Vectors computed independently from the format documented in audit.h. */
	for (i = 0; i < AUDIT_NFIELDS; i++)
		audit_set_null(&f[i]);
	audit_set_int(&f[AUDIT_ID], 1);
	audit_set_int(&f[AUDIT_AT], 1440572400);
	audit_set_int(&f[AUDIT_DOSSIER], 1);
	audit_set_int(&f[AUDIT_ACTOR], 2);
	audit_set_text(&f[AUDIT_ACTION], "handover");
	audit_set_int(&f[AUDIT_FROM_STATE], 2);
	audit_set_int(&f[AUDIT_TO_STATE], 2);
	audit_set_int(&f[AUDIT_STEP], 1);
	audit_set_text(&f[AUDIT_DEPARTMENT], "tu-phap");
	audit_set_int(&f[AUDIT_OFFICER], 3);
	audit_set_int(&f[AUDIT_STEP_DUE_AT], 1440658800);
	audit_set_text(&f[AUDIT_NOTE], "Chuyển hồ sơ");
	audit_hash(audit_genesis, f, h1);
	ck_assert_str_eq(h1, "4942065cde8f6dff18acc1c704ebed1a5c97fc5cfebe69f5827baa9e00b0eba7");

	for (i = 0; i < AUDIT_NFIELDS; i++)
		audit_set_null(&f[i]);
	audit_set_int(&f[AUDIT_ID], 2);
	audit_set_int(&f[AUDIT_AT], 1440576000);
	audit_set_text(&f[AUDIT_ACTION], "user_add");
	audit_set_text(&f[AUDIT_SUBJECT], "nguyenvana");
	audit_hash(h1, f, h2);
	ck_assert_str_eq(h2, "af454e5988ae90749156943d7d7947ce8d9954b0e1393a415efba2fef5841634");

	/* Negative numbers and empty texts. */
	audit_set_int(&f[AUDIT_ID], 3);
	audit_set_int(&f[AUDIT_AT], -5);
	audit_set_text(&f[AUDIT_ACTION], "backup");
	audit_set_text(&f[AUDIT_SUBJECT], "");
	audit_set_text(&f[AUDIT_NOTE], "");
	audit_hash(audit_genesis, f, h2);
	ck_assert_str_eq(h2, "d4f2521d81c9181d25c8426c446bc634b81c83344c666222ea77bdf3dece68d4");
}
END_TEST

START_TEST(test_hash_unambiguous)
{
	struct audit_value	f[AUDIT_NFIELDS];
	char			a[AUDIT_HASH_LEN + 1], b[AUDIT_HASH_LEN + 1];
	int			i;

	for (i = 0; i < AUDIT_NFIELDS; i++)
		audit_set_null(&f[i]);
	audit_set_int(&f[AUDIT_ID], 1);
	audit_set_text(&f[AUDIT_ACTION], "backup");

	/* An integer and the text of its digits differ; so do NULL and "". */
	audit_set_int(&f[AUDIT_AT], 5);
	audit_hash(audit_genesis, f, a);
	audit_set_text(&f[AUDIT_AT], "5");
	audit_hash(audit_genesis, f, b);
	ck_assert_str_ne(a, b);
	audit_set_text(&f[AUDIT_NOTE], "");
	audit_hash(audit_genesis, f, a);
	audit_set_null(&f[AUDIT_NOTE]);
	audit_hash(audit_genesis, f, b);
	ck_assert_str_ne(a, b);

	/* Text moved from one field into the next cannot give the same encoding. */
	audit_set_text(&f[AUDIT_SUBJECT], "x\nN");
	audit_hash(audit_genesis, f, a);
	audit_set_text(&f[AUDIT_SUBJECT], "x");
	audit_set_text(&f[AUDIT_FROM_STATE], "");
	audit_hash(audit_genesis, f, b);
	ck_assert_str_ne(a, b);

	/* The previous hash is part of the input. */
	audit_hash(audit_genesis, f, a);
	audit_hash("1000000000000000000000000000000000000000000000000000000000000000", f, b);
	ck_assert_str_ne(a, b);
	/* Same input, same hash. */
	audit_hash(audit_genesis, f, b);
	ck_assert_str_eq(a, b);
}
END_TEST

START_TEST(test_empty)
{
	struct audit_report	r = verify();

	ck_assert(r.intact);
	ck_assert_int_eq(r.events, 0);
	ck_assert_str_eq(r.last_hash, "");
	ck_assert_ptr_null(r.problem);
}
END_TEST

START_TEST(test_admin_event)
{
	struct audit_report	r;
	char			*cause = NULL, *sql;

	seed();
	/* Outside a transaction: its own. */
	ck_assert_int_eq(store_admin_event(st, 0, "init", "root", NULL, T0, &cause), 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM events WHERE id = 1 AND actor IS NULL "
	    "AND dossier IS NULL AND action = 'init' AND subject = 'root' AND note IS NULL "
	    "AND at = 1440547200"), 1);

	/* Inside one: part of it, undone with it. */
	ck_assert_int_eq(store_begin(st, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_disable", "b", "left", T0 + 1,
	    &cause), 0);
	store_rollback(st);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM events"), 1);
	ck_assert_int_eq(store_begin(st, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_disable", "b", "left", T0 + 1,
	    &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_enable", "b", NULL, T0 + 2, &cause),
	    0);
	ck_assert_int_eq(store_commit(st, &cause), 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM events WHERE actor = 3"), 2);
	ck_assert_int_eq(raw_int("SELECT max(id) FROM events"), 3);

	/* Every action of the plan is accepted; anything else is refused. */
	ck_assert_int_eq(store_admin_event(st, 3, "user_add", "c", NULL, T0, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_update", "c", NULL, T0, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_passwd", "c", NULL, T0, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_key_add", "c", "ssh-ed25519 AAAA",
	    T0, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "user_key_remove", "c", "1", T0, &cause),
	    0);
	ck_assert_int_eq(store_admin_event(st, 3, "catalog_reload", "v2", NULL, T0, &cause),
	    0);
	ck_assert_int_eq(store_admin_event(st, 3, "backup", NULL, NULL, T0, &cause), 0);
	ck_assert_int_eq(store_admin_event(st, 3, "receive", "c", NULL, T0, &cause), -1);
	ck_assert_str_eq(cause, "unknown administrator action \"receive\"");
	free(cause);
	cause = NULL;
	/* An actor that does not exist breaks a foreign key: refused, nothing written. */
	ck_assert_int_eq(store_admin_event(st, 99, "backup", NULL, NULL, T0, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "FOREIGN KEY"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(raw_int("SELECT count(*) FROM events"), 10);

	r = verify();
	ck_assert(r.intact);
	ck_assert_int_eq(r.events, 10);
	sql = xasprintf("SELECT count(*) FROM events WHERE id = 10 AND hash = '%s'",
	    r.last_hash);
	ck_assert_int_eq(raw_int(sql), 1);
	free(sql);
	/* Every hash differs. */
	ck_assert_int_eq(raw_int("SELECT count(DISTINCT hash) FROM events"), 10);
	audit_report_clear(&r);
}
END_TEST

START_TEST(test_chain)
{
	struct audit_report	 r;
	struct dossier_event	*ev = NULL;
	size_t			 n;
	char			*cause = NULL, sql[160];

	history();
	r = verify();
	ck_assert(r.intact);
	ck_assert_int_eq(r.events, 4);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE id = 4 AND hash = '%s'",
	    r.last_hash);
	ck_assert_int_eq(raw_int(sql), 1);
	ck_assert_ptr_null(r.problem);

	/* The dossier's own history is unchanged by the administrators' events. */
	ck_assert_int_eq(store_event_list(st, 1, &ev, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ev[0].id, 1);
	ck_assert_int_eq(ev[1].id, 3);
	ck_assert_str_eq(ev[1].note, "Chuyển hồ sơ");
	ck_assert_int_eq(ev[1].officer, 2);
	dossier_events_free(ev, n);
}
END_TEST

START_TEST(test_tamper_note)
{
	struct audit_report	r;

	history();
	ck_assert_int_eq(raw_exec("DROP TRIGGER events_no_update; "
	    "UPDATE events SET note = 'Chuyen ho so' WHERE id = 3"), SQLITE_OK);
	r = verify();
	ck_assert(!r.intact);
	ck_assert_int_eq(r.broken_id, 3);
	ck_assert_int_eq(r.events, 2);
	ck_assert_str_eq(r.problem, "event 3 (dossier TPSL-150826-0001, handover, "
	    "2015-08-26 08:30:00 +07:00): its content does not match its hash: the row was "
	    "changed after it was written, or the rows before it were rewritten");
	audit_report_clear(&r);
}
END_TEST

START_TEST(test_tamper_time)
{
	struct audit_report	r;

	history();
	ck_assert_int_eq(raw_exec("DROP TRIGGER events_no_update; "
	    "UPDATE events SET at = at - 3600 WHERE id = 2"), SQLITE_OK);
	r = verify();
	ck_assert(!r.intact);
	ck_assert_int_eq(r.broken_id, 2);
	ck_assert_str_eq(r.problem, "event 2 (administrator action user_add nguyenvana, "
	    "2015-08-26 06:01:00 +07:00): its content does not match its hash: the row was "
	    "changed after it was written, or the rows before it were rewritten");
	audit_report_clear(&r);
}
END_TEST

START_TEST(test_tamper_rehash)
{
	struct audit_report	 r;
	struct audit_value	 f[AUDIT_NFIELDS];
	char			 h[AUDIT_HASH_LEN + 1], *sql;
	int			 i;

	/* Change row 2 and give it the hash its new content would have: row 3 breaks. */
	history();
	for (i = 0; i < AUDIT_NFIELDS; i++)
		audit_set_null(&f[i]);
	audit_set_int(&f[AUDIT_ID], 2);
	audit_set_int(&f[AUDIT_AT], T0 + 60);
	audit_set_int(&f[AUDIT_ACTOR], 3);
	audit_set_text(&f[AUDIT_ACTION], "user_add");
	audit_set_text(&f[AUDIT_SUBJECT], "intruder");
	audit_set_text(&f[AUDIT_NOTE], "role officer");
	r = verify();
	ck_assert(r.intact);
	audit_report_clear(&r);
	{
		sqlite3		*db = NULL;
		sqlite3_stmt	*stmt;

		ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
		ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE id = 1",
		    -1, &stmt, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
		audit_hash((const char *)sqlite3_column_text(stmt, 0), f, h);
		sqlite3_finalize(stmt);
		sqlite3_close(db);
	}
	sql = xasprintf("DROP TRIGGER events_no_update; UPDATE events SET subject = "
	    "'intruder', hash = '%s' WHERE id = 2", h);
	ck_assert_int_eq(raw_exec(sql), SQLITE_OK);
	free(sql);
	r = verify();
	ck_assert(!r.intact);
	ck_assert_int_eq(r.broken_id, 3);
	ck_assert_int_eq(r.events, 2);
	audit_report_clear(&r);
}
END_TEST

START_TEST(test_tamper_hash)
{
	struct audit_report	r;

	history();
	ck_assert_int_eq(raw_exec("PRAGMA ignore_check_constraints = ON; "
	    "DROP TRIGGER events_no_update; UPDATE events SET hash = 'x' WHERE id = 4"),
	    SQLITE_OK);
	r = verify();
	ck_assert(!r.intact);
	ck_assert_int_eq(r.broken_id, 4);
	ck_assert_int_eq(r.events, 3);
	ck_assert_str_eq(r.problem, "event 4 (administrator action backup, "
	    "2015-08-26 09:00:00 +07:00): its hash is missing or malformed");
	audit_report_clear(&r);
}
END_TEST

START_TEST(test_tamper_delete)
{
	struct audit_report	r;
	char			*cause = NULL;

	history();
	ck_assert_int_eq(raw_exec("DELETE FROM events WHERE id = 2"), SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec("DROP TRIGGER events_no_delete; "
	    "DELETE FROM events WHERE id = 2"), SQLITE_OK);
	r = verify();
	ck_assert(!r.intact);
	ck_assert_int_eq(r.broken_id, 3);
	ck_assert_int_eq(r.events, 1);
	ck_assert_str_eq(r.problem, "event 3 (dossier TPSL-150826-0001, handover, "
	    "2015-08-26 08:30:00 +07:00): event 2 before it is missing (deleted)");
	audit_report_clear(&r);

	/* Several rows, and the first ones. */
	ck_assert_int_eq(raw_exec("DELETE FROM events WHERE id = 3"), SQLITE_OK);
	r = verify();
	ck_assert_int_eq(r.broken_id, 4);
	ck_assert_str_eq(r.problem, "event 4 (administrator action backup, "
	    "2015-08-26 09:00:00 +07:00): events 2 to 3 before it are missing (deleted)");
	audit_report_clear(&r);
	ck_assert_int_eq(raw_exec("DELETE FROM events WHERE id = 1"), SQLITE_OK);
	r = verify();
	ck_assert_int_eq(r.broken_id, 4);
	ck_assert_int_eq(r.events, 0);
	ck_assert_str_eq(r.problem, "event 4 (administrator action backup, "
	    "2015-08-26 09:00:00 +07:00): events 1 to 3 before it are missing (deleted)");
	audit_report_clear(&r);

	/* Appending still works and chains to what is there. */
	ck_assert_int_eq(store_admin_event(st, 0, "backup", NULL, NULL, T0, &cause), 0);
	ck_assert_int_eq(raw_int("SELECT max(id) FROM events"), 5);
}
END_TEST

START_TEST(test_tamper_insert)
{
	struct audit_report	r;

	/* A row slipped in with a made-up hash breaks at that row. */
	history();
	ck_assert_int_eq(raw_exec("INSERT INTO events(at, action, subject, hash) VALUES "
	    "(1440558000, 'user_add', 'ghost', lower(hex(randomblob(32))))"), SQLITE_OK);
	r = verify();
	ck_assert(!r.intact);
	ck_assert_int_eq(r.broken_id, 5);
	ck_assert_int_eq(r.events, 4);
	ck_assert_ptr_nonnull(strstr(r.problem, "event 5 (administrator action user_add "
	    "ghost, 2015-08-26 10:00:00 +07:00): its content does not match"));
	audit_report_clear(&r);
}
END_TEST

START_TEST(test_many)
{
	struct audit_report	 r;
	struct timespec		 t0, t1, t2;
	const char		*env;
	char			*cause = NULL;
	long			 n = 5000, i;

	/* MOTCUA_AUDIT_BENCH=N times appending and verifying N events. */
	if ((env = getenv("MOTCUA_AUDIT_BENCH")) != NULL)
		n = atol(env);
	seed();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(store_set_bulk(st, true, &cause), 0);
	ck_assert_int_eq(store_begin(st, &cause), 0);
	for (i = 0; i < n; i++) {
		if (i % 2 == 0)
			add_event(ACTION_HANDOVER, (int)i, "Chuyển");
		else {
			ck_assert_int_eq(store_admin_event(st, 3, "user_update", "b", NULL,
			    T0 + i, &cause), 0);
		}
	}
	ck_assert_int_eq(store_commit(st, &cause), 0);
	ck_assert_int_eq(store_set_bulk(st, false, &cause), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r = verify();
	clock_gettime(CLOCK_MONOTONIC, &t2);
	ck_assert(r.intact);
	ck_assert_int_eq(r.events, n);
	if (env != NULL) {
		fprintf(stderr, "audit: %ld events appended in %.2f s, verified in %.2f s\n",
		    n, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		    (double)(t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9);
	}
}
END_TEST

/* The suite. */
static Suite *
audit_suite(void)
{
	Suite	*s = suite_create("audit");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, getenv("MOTCUA_AUDIT_BENCH") != NULL ? 600 : 10);
	tcase_add_test(tc, test_hash_format);
	tcase_add_test(tc, test_hash_unambiguous);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_admin_event);
	tcase_add_test(tc, test_chain);
	tcase_add_test(tc, test_tamper_note);
	tcase_add_test(tc, test_tamper_time);
	tcase_add_test(tc, test_tamper_rehash);
	tcase_add_test(tc, test_tamper_hash);
	tcase_add_test(tc, test_tamper_delete);
	tcase_add_test(tc, test_tamper_insert);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(audit_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
