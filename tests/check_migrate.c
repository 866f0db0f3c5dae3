/* check_migrate.c: tests of the schema migrations and of the settings the store opens with. */
#include "config.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "fixture.h"
#include "migrate.h"
#include "store.h"
#include "xmalloc.h"

static char	tmpdir[64];
static char	dbpath[128];

/* Make a private directory for the database of one test. */
static void
setup(void)
{
	fixture_dir("check_migrate", tmpdir, sizeof tmpdir, dbpath, sizeof dbpath);
}

/* Remove the database and its WAL files, then the directory. */
static void
teardown(void)
{
	fixture_dir_remove(tmpdir, dbpath);
}

/* Open the test database without the store, with the hash function migrations use. */
static sqlite3 *
raw_open(void)
{
	sqlite3	*db = NULL;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(store_audit_register(db), SQLITE_OK);
	return db;
}

/* Return the first column of a query as an integer. */
static long long
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt;
	long long	 v;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Run SQL and return the SQLite result code; *msg receives the error message if any. */
static int
raw_exec(sqlite3 *db, const char *sql, char **msg)
{
	char	*err = NULL;
	int	 rc;

	rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (msg != NULL)
		*msg = err != NULL ? xstrdup(err) : NULL;
	sqlite3_free(err);
	return rc;
}

START_TEST(test_latest)
{
	ck_assert_uint_ge(nmigrations, 1);
	ck_assert_uint_ge(nmigrations, 2);
	ck_assert_int_eq(migrations[0].version, 1);
	ck_assert_str_eq(migrations[0].name, "0001-initial");
	ck_assert_int_eq(migrations[1].version, 2);
	ck_assert_str_eq(migrations[1].name, "0002-audit");
	ck_assert_int_eq(migrate_latest(), migrations[nmigrations - 1].version);
}
END_TEST

START_TEST(test_from_empty)
{
	sqlite3		*db = raw_open();
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	ck_assert_int_eq(migrate_version(db, &cause), 0);
	ck_assert_int_eq(migrate_apply(db, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(migrate_version(db, &cause), migrate_latest());

	/* Every table of the schema is there. */
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
	    "AND name IN ('users', 'user_keys', 'procedure_versions', 'procedure_steps', "
	    "'dossiers', 'dossier_documents', 'events', 'pauses', 'drafts', 'guidances', "
	    "'code_sequences', 'schema_migrations')"), 12);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = "
	    "'trigger' AND tbl_name = 'events'"), 2);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = "
	    "'index' AND tbl_name = 'events' AND name IN ('events_dossier', 'events_at')"), 2);
	/* Schema 2: the events carry a subject and a hash; no table is left over. */
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM pragma_table_info('events') "
	    "WHERE name IN ('subject', 'hash')"), 2);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'events_chained'"), 0);

	/* The version table records each migration with its name and time. */
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM schema_migrations"),
	    (long long)nmigrations);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT version, name, applied_at FROM "
	    "schema_migrations ORDER BY version", -1, &stmt, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(stmt, 0), 1);
	ck_assert_str_eq((const char *)sqlite3_column_text(stmt, 1), "0001-initial");
	ck_assert_int_gt(sqlite3_column_int64(stmt, 2), 1400000000);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(stmt, 0), 2);
	ck_assert_str_eq((const char *)sqlite3_column_text(stmt, 1), "0002-audit");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_rerun_noop)
{
	sqlite3		*db = raw_open();
	char		*cause = NULL;
	long long	 applied, objects;

	ck_assert_int_eq(migrate_apply(db, &cause), 0);
	applied = raw_int(db, "SELECT sum(applied_at) FROM schema_migrations");
	objects = raw_int(db, "SELECT count(*) FROM sqlite_master");
	ck_assert_int_eq(raw_exec(db, "UPDATE schema_migrations SET applied_at = 1", NULL),
	    SQLITE_OK);

	ck_assert_int_eq(migrate_apply(db, &cause), 0);
	ck_assert_int_eq(migrate_apply(db, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM schema_migrations"),
	    (long long)nmigrations);
	ck_assert_int_eq(raw_int(db, "SELECT sum(applied_at) FROM schema_migrations"),
	    (long long)nmigrations);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master"), objects);
	ck_assert_int_gt(applied, 0);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_newer_refused)
{
	sqlite3		*db = raw_open();
	struct store	*st;
	char		*cause = NULL, *expect, sql[128];
	int		 newer = migrate_latest() + 2;

	ck_assert_int_eq(migrate_apply(db, &cause), 0);
	snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, 'future', 1)",
	    newer);
	ck_assert_int_eq(raw_exec(db, sql, NULL), SQLITE_OK);

	expect = xasprintf("database schema version %d is newer than this motcuad (knows up "
	    "to %d); upgrade motcuad", newer, migrate_latest());
	ck_assert_int_eq(migrate_apply(db, &cause), -1);
	ck_assert_str_eq(cause, expect);
	free(cause);
	cause = NULL;
	sqlite3_close(db);

	st = store_open(dbpath, &cause);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(cause, expect));
	free(cause);
	free(expect);
}
END_TEST

START_TEST(test_events_append_only)
{
	struct store	*st;
	sqlite3		*db;
	char		*cause = NULL, *msg = NULL;

	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	store_close(st);

	db = raw_open();
	ck_assert_int_eq(raw_exec(db, "PRAGMA foreign_keys = ON; "
	    "INSERT INTO users(id, login, full_name, role, unit, department, created_at) "
	    "VALUES (1, 'a', 'A', 'one_stop', 'TPSL', 'mot-cua', 1); "
	    "INSERT INTO procedure_versions(id, code, version, name, field, canonical, "
	    "first_seen) VALUES (1, '1.1', '0123456789abcdef', 'P', 'f', '{}', 1); "
	    "INSERT INTO dossiers(id, code, procedure_version, procedure_code, variant, unit, "
	    "field, applicant_name, applicant_id, channel, state, step, department, "
	    "received_by, received_at, idempotency_key) VALUES (1, 'TPSL-150826-0001', 1, "
	    "'1.1', 0, 'TPSL', 'f', 'X', '123456789', 'counter', 2, 0, 'mot-cua', 1, 1, 'k'); "
	    "INSERT INTO events(dossier, at, actor, action, to_state, step, department, hash) "
	    "VALUES (1, 1, 1, 'receive', 2, 0, 'mot-cua', lower(hex(randomblob(32))));",
	    &msg), SQLITE_OK);
	ck_assert_ptr_null(msg);

	/* Every row has a well-formed hash. */
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(dossier, at, actor, action, "
	    "to_state, step, department) VALUES (1, 1, 1, 'handover', 2, 1, 'tu-phap')",
	    &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "NOT NULL constraint failed: events.hash"));
	free(msg);
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(dossier, at, actor, action, "
	    "to_state, step, department, hash) VALUES (1, 1, 1, 'handover', 2, 1, 'tu-phap', "
	    "upper(hex(randomblob(32))))", NULL), SQLITE_OK);
	/* An administrator's event has no dossier, may have no actor, and has its own actions. */
	ck_assert_int_eq(raw_exec(db, "INSERT INTO events(at, action, subject, hash) VALUES "
	    "(2, 'user_add', 'a', lower(hex(randomblob(32))))", &msg), SQLITE_OK);
	ck_assert_ptr_null(msg);
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(dossier, at, actor, action, "
	    "to_state, step, department, hash) VALUES (1, 1, 1, 'user_add', 2, 1, 'tu-phap', "
	    "lower(hex(randomblob(32))))", NULL), SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(at, action, hash) VALUES "
	    "(2, 'handover', lower(hex(randomblob(32))))", NULL), SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(at, action, to_state, hash) VALUES "
	    "(2, 'backup', 2, lower(hex(randomblob(32))))", NULL), SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(at, action, hash) VALUES "
	    "(2, 'format_disk', lower(hex(randomblob(32))))", NULL), SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "INSERT INTO events(at, actor, action, hash) VALUES "
	    "(2, 99, 'backup', lower(hex(randomblob(32))))", NULL), SQLITE_OK);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM events"), 2);

	ck_assert_int_ne(raw_exec(db, "UPDATE events SET note = 'x'", &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "append-only"));
	free(msg);
	ck_assert_int_ne(raw_exec(db, "DELETE FROM events", &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "append-only"));
	free(msg);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM events WHERE note IS NULL"), 2);

	/* The schema's CHECK constraints hold too. */
	ck_assert_int_ne(raw_exec(db, "UPDATE dossiers SET state = 11", NULL), SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "UPDATE users SET role = 'boss'", NULL), SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "UPDATE dossiers SET applicant_id = '12345'", NULL),
	    SQLITE_OK);
	ck_assert_int_ne(raw_exec(db, "UPDATE dossiers SET received_by = 99", NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}
END_TEST

/* Read the stored hash of an event into out. */
static void
raw_hash(sqlite3 *db, long long id, char out[AUDIT_HASH_LEN + 1])
{
	sqlite3_stmt	*stmt;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE id = ?1", -1,
	    &stmt, NULL), SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, id);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_bytes(stmt, 0), AUDIT_HASH_LEN);
	memcpy(out, sqlite3_column_text(stmt, 0), AUDIT_HASH_LEN + 1);
	sqlite3_finalize(stmt);
}

START_TEST(test_upgrade_chains)
{
	sqlite3			*db = raw_open();
	struct store		*st;
	struct audit_value	 f[AUDIT_NFIELDS];
	struct audit_report	 report;
	char			*cause = NULL, *msg = NULL, *sql;
	char			 h1[AUDIT_HASH_LEN + 1], h2[AUDIT_HASH_LEN + 1];
	char			 h3[AUDIT_HASH_LEN + 1], got[AUDIT_HASH_LEN + 1];
	int			 i;

	/* A database at schema 1, as released, with three events. */
	sql = xasprintf("BEGIN; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY "
	    "CHECK (version >= 1), name TEXT NOT NULL, applied_at INTEGER NOT NULL); %s "
	    "INSERT INTO schema_migrations VALUES (1, '0001-initial', 1); COMMIT;",
	    migrations[0].sql);
	ck_assert_int_eq(raw_exec(db, sql, &msg), SQLITE_OK);
	ck_assert_ptr_null(msg);
	free(sql);
	ck_assert_int_eq(migrate_version(db, &cause), 1);
	ck_assert_int_eq(raw_exec(db, "PRAGMA foreign_keys = ON; "
	    "INSERT INTO users(id, login, full_name, role, unit, department, created_at) "
	    "VALUES (1, 'a', 'A', 'one_stop', 'TPSL', 'mot-cua', 1), "
	    "(2, 'b', 'B', 'officer', 'TPSL', 'tu-phap', 1); "
	    "INSERT INTO procedure_versions(id, code, version, name, field, canonical, "
	    "first_seen) VALUES (1, '1.1', '0123456789abcdef', 'P', 'f', '{}', 1); "
	    "INSERT INTO dossiers(id, code, procedure_version, procedure_code, variant, unit, "
	    "field, applicant_name, applicant_id, channel, state, step, department, "
	    "received_by, received_at, idempotency_key) VALUES (1, 'TPSL-150826-0001', 1, "
	    "'1.1', 0, 'TPSL', 'f', 'X', '123456789', 'counter', 4, 1, 'tu-phap', 1, 100, 'k'); "
	    "INSERT INTO events(dossier, at, actor, action, to_state, step, department) "
	    "VALUES (1, 100, 1, 'receive', 2, 0, 'mot-cua'); "
	    "INSERT INTO events(dossier, at, actor, action, from_state, to_state, step, "
	    "department, officer, step_due_at, note) VALUES (1, 200, 1, 'handover', 2, 2, 1, "
	    "'tu-phap', 2, 90000, 'Chuyển hồ sơ'); "
	    "INSERT INTO events(dossier, at, actor, action, from_state, to_state, step, "
	    "department, officer) VALUES (1, 300, 2, 'request_supplement', 2, 4, 1, "
	    "'tu-phap', 2);", &msg), SQLITE_OK);
	ck_assert_ptr_null(msg);

	ck_assert_int_eq(migrate_apply(db, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(migrate_version(db, &cause), migrate_latest());
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM events"), 3);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM events WHERE note = 'Chuyển hồ sơ' "
	    "AND officer = 2 AND step_due_at = 90000 AND subject IS NULL AND id = 2"), 1);

	/* The migration chained the rows exactly as the code hashes them. */
	for (i = 0; i < AUDIT_NFIELDS; i++)
		audit_set_null(&f[i]);
	audit_set_int(&f[AUDIT_ID], 1);
	audit_set_int(&f[AUDIT_AT], 100);
	audit_set_int(&f[AUDIT_DOSSIER], 1);
	audit_set_int(&f[AUDIT_ACTOR], 1);
	audit_set_text(&f[AUDIT_ACTION], "receive");
	audit_set_int(&f[AUDIT_TO_STATE], 2);
	audit_set_int(&f[AUDIT_STEP], 0);
	audit_set_text(&f[AUDIT_DEPARTMENT], "mot-cua");
	audit_hash(audit_genesis, f, h1);
	audit_set_int(&f[AUDIT_ID], 2);
	audit_set_int(&f[AUDIT_AT], 200);
	audit_set_text(&f[AUDIT_ACTION], "handover");
	audit_set_int(&f[AUDIT_FROM_STATE], 2);
	audit_set_int(&f[AUDIT_STEP], 1);
	audit_set_text(&f[AUDIT_DEPARTMENT], "tu-phap");
	audit_set_int(&f[AUDIT_OFFICER], 2);
	audit_set_int(&f[AUDIT_STEP_DUE_AT], 90000);
	audit_set_text(&f[AUDIT_NOTE], "Chuyển hồ sơ");
	audit_hash(h1, f, h2);
	audit_set_int(&f[AUDIT_ID], 3);
	audit_set_int(&f[AUDIT_AT], 300);
	audit_set_int(&f[AUDIT_ACTOR], 2);
	audit_set_text(&f[AUDIT_ACTION], "request_supplement");
	audit_set_int(&f[AUDIT_TO_STATE], 4);
	audit_set_null(&f[AUDIT_STEP_DUE_AT]);
	audit_set_null(&f[AUDIT_NOTE]);
	audit_hash(h2, f, h3);
	raw_hash(db, 1, got);
	ck_assert_str_eq(got, h1);
	raw_hash(db, 2, got);
	ck_assert_str_eq(got, h2);
	raw_hash(db, 3, got);
	ck_assert_str_eq(got, h3);
	ck_assert_str_ne(h1, h2);
	sqlite3_close(db);

	/* The store opens it, verifies it and appends after it. */
	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(audit_verify(st, 0, &report, &cause), 0);
	ck_assert(report.intact);
	ck_assert_int_eq(report.events, 3);
	ck_assert_str_eq(report.last_hash, h3);
	audit_report_clear(&report);
	ck_assert_int_eq(store_admin_event(st, 0, "backup", "x.db", NULL, 400, &cause), 0);
	ck_assert_int_eq(audit_verify(st, 0, &report, &cause), 0);
	ck_assert(report.intact);
	ck_assert_int_eq(report.events, 4);
	audit_report_clear(&report);
	store_close(st);
}
END_TEST

START_TEST(test_pragmas)
{
	struct store		*st;
	struct store_info	 info;
	char			*cause = NULL;

	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(store_info(st, &info, &cause), 0);
	ck_assert_str_eq(info.journal_mode, "wal");
	ck_assert_int_eq(info.synchronous, 2);
	ck_assert_int_eq(info.foreign_keys, 1);
	ck_assert_int_ge(info.busy_timeout, 5000);
	ck_assert_int_eq(info.schema_version, migrate_latest());
	ck_assert_int_eq(store_schema_version(st), migrate_latest());

	/* Transactions: BEGIN IMMEDIATE, and not nested. */
	ck_assert_int_eq(store_begin(st, &cause), 0);
	ck_assert_int_eq(store_begin(st, &cause), -1);
	free(cause);
	cause = NULL;
	store_rollback(st);
	ck_assert_int_eq(store_begin(st, &cause), 0);
	ck_assert_int_eq(store_commit(st, &cause), 0);
	store_close(st);

	/* Reopening an up-to-date database changes nothing. */
	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	store_close(st);
}
END_TEST

START_TEST(test_no_wal_refused)
{
	struct store	*st;
	char		*cause = NULL;

	/* An in-memory database cannot use write-ahead logging: refused, not degraded. */
	st = store_open(":memory:", &cause);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(cause, "write-ahead"));
	free(cause);
}
END_TEST

START_TEST(test_write_lock)
{
	struct store	*st;
	sqlite3		*db;
	char		*cause = NULL;

	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	/* BEGIN IMMEDIATE takes the write lock at once: another writer cannot begin. */
	ck_assert_int_eq(store_begin(st, &cause), 0);
	db = raw_open();
	ck_assert_int_eq(raw_exec(db, "BEGIN IMMEDIATE", NULL), SQLITE_BUSY);
	store_rollback(st);
	ck_assert_int_eq(raw_exec(db, "BEGIN IMMEDIATE", NULL), SQLITE_OK);
	ck_assert_int_eq(raw_exec(db, "ROLLBACK", NULL), SQLITE_OK);
	sqlite3_close(db);
	store_close(st);
}
END_TEST

/* The suite. */
static Suite *
migrate_suite(void)
{
	Suite	*s = suite_create("migrate");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_latest);
	tcase_add_test(tc, test_from_empty);
	tcase_add_test(tc, test_rerun_noop);
	tcase_add_test(tc, test_newer_refused);
	tcase_add_test(tc, test_events_append_only);
	tcase_add_test(tc, test_upgrade_chains);
	tcase_add_test(tc, test_pragmas);
	tcase_add_test(tc, test_no_wal_refused);
	tcase_add_test(tc, test_write_lock);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(migrate_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
