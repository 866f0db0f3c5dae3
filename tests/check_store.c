/* check_store.c: tests of the store: users and keys, drafts, dossier codes, queries. */
#include "config.h"

#include <sys/wait.h>

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "dossier.h"
#include "fixture.h"
#include "store.h"
#include "xmalloc.h"

static char			 tmpdir[64];
static char			 dbpath[128];
static struct store		*st;
static struct catalog_procedure	 proc;
static struct catalog_variant	 variant;
static struct catalog_step	 steps[2];
static int64_t			 receiver;

/* Make a private database with one user and fill a small procedure by hand. */
static void
setup(void)
{
	struct store_user	 u = { 0 };
	char			*cause = NULL;

	fixture_dir("check_store", tmpdir, sizeof tmpdir, dbpath, sizeof dbpath);
	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);

	u.login = (char *)"tiepnhan";
	u.full_name = (char *)"Lò Thị Tiếp";
	u.role = ROLE_ONE_STOP;
	u.unit = (char *)"TPSL";
	u.department = (char *)"mot-cua";
	ck_assert_int_eq(store_user_add(st, &u, 1000, &receiver, &cause), 0);

	memset(&proc, 0, sizeof proc);
	steps[0] = (struct catalog_step){ (char *)"mot-cua", (char *)"Tiếp nhận", 50, false };
	steps[1] = (struct catalog_step){ (char *)"mot-cua", (char *)"Trả kết quả", 0, false };
	variant.steps = steps;
	variant.nsteps = 2;
	proc.code = (char *)"2.000815";
	proc.name = (char *)"Chứng thực bản sao";
	proc.field = (char *)"chung-thuc";
	proc.canonical = (char *)"{}";
	proc.variants = &variant;
	proc.nvariants = 1;
	snprintf(proc.version, sizeof proc.version, "0123456789abcdef");
}

/* Close the store and remove its files. */
static void
teardown(void)
{
	store_close(st);
	st = NULL;
	fixture_dir_remove(tmpdir, dbpath);
}

/* Count the rows of a table through a separate connection. */
static long long
count_rows(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	long long	 n;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

/*
 * Store a dossier through the raw layer in its own transaction, allocating its code for the
 * unit and day; returns the sequence number, or -1 with *cause set.
 */
static int
add_dossier(struct store *s, const char *unit, const char *day, int state, int64_t due,
    int64_t step_due, const char *key, char **cause)
{
	struct dossier	d;
	int		seq;

	memset(&d, 0, sizeof d);
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_procedure_ensure(s, &proc, 1000, &d.procedure_version, cause) != 0 ||
	    store_code_next(s, unit, day, &seq, cause) != 0)
		goto fail;
	d.code = xasprintf("%s-%s-%04d", unit, day, seq);
	d.procedure_code = proc.code;
	d.unit = (char *)unit;
	d.field = proc.field;
	d.applicant_name = (char *)"Cầm Văn Xuân";
	d.applicant_id = (char *)"040123456789";
	d.channel = CHANNEL_COUNTER;
	d.state = (enum dossier_state)state;
	d.department = (char *)"mot-cua";
	d.received_by = receiver;
	d.received_at = 2000;
	d.due_at = due;
	d.step_due_at = step_due;
	d.idempotency_key = (char *)key;
	d.sets = 1;
	if (store_dossier_insert(s, &d, cause) != 0) {
		free(d.code);
		goto fail;
	}
	free(d.code);
	if (store_commit(s, cause) != 0)
		return -1;
	return seq;

fail:
	store_rollback(s);
	return -1;
}

START_TEST(test_users)
{
	struct store_user	 u = { 0 }, *got = NULL, **list;
	int64_t			 id, id2;
	size_t			 n;
	char			*cause = NULL;

	u.login = (char *)"chuyenvien";
	u.full_name = (char *)"Quàng Văn Minh";
	u.role = ROLE_OFFICER;
	u.unit = (char *)"TPSL";
	u.department = (char *)"tnmt";
	u.password_hash = (char *)"$6$salt$hash";
	ck_assert_int_eq(store_user_add(st, &u, 1234, &id, &cause), 0);

	ck_assert_int_eq(store_user_get(st, id, &got, &cause), 0);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got->login, "chuyenvien");
	ck_assert_str_eq(got->full_name, "Quàng Văn Minh");
	ck_assert_int_eq(got->role, ROLE_OFFICER);
	ck_assert_str_eq(got->unit, "TPSL");
	ck_assert_str_eq(got->department, "tnmt");
	ck_assert_str_eq(got->password_hash, "$6$salt$hash");
	ck_assert(!got->disabled);
	ck_assert_int_eq(got->created_at, 1234);
	store_user_free(got);

	/* A login is unique. */
	ck_assert_int_eq(store_user_add(st, &u, 1234, NULL, &cause), -1);
	ck_assert_str_eq(cause, "login chuyenvien is already in use");
	free(cause);
	cause = NULL;

	/* A name that every officer's screen will show carries no escape sequence. */
	u.login = (char *)"thoat";
	u.full_name = (char *)"Lò \033[2J Văn";
	ck_assert_int_eq(store_user_add(st, &u, 1234, NULL, &cause), -1);
	ck_assert_str_eq(cause, "user thoat: full name: control character U+001B at byte 4");
	free(cause);
	cause = NULL;
	u.login = (char *)"chuyenvien";
	u.full_name = (char *)"Quàng Văn Minh";

	/* Role and unit agree: a monitor has no unit, an officer needs one. */
	u.login = (char *)"giamsat";
	u.role = ROLE_MONITOR;
	ck_assert_int_eq(store_user_add(st, &u, 1, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	u.unit = u.department = NULL;
	u.password_hash = NULL;
	ck_assert_int_eq(store_user_add(st, &u, 1, &id2, &cause), 0);
	u.login = (char *)"x";
	u.role = ROLE_LEADER;
	ck_assert_int_eq(store_user_add(st, &u, 1, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	u.login = (char *)"Bad Login";
	u.role = ROLE_ADMIN;
	ck_assert_int_eq(store_user_add(st, &u, 1, NULL, &cause), -1);
	free(cause);
	cause = NULL;

	/* Lookups by login, a miss, the list in login order. */
	ck_assert_int_eq(store_user_by_login(st, "giamsat", &got, &cause), 0);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(got->id, id2);
	ck_assert_int_eq(got->role, ROLE_MONITOR);
	ck_assert_ptr_null(got->unit);
	ck_assert_ptr_null(got->password_hash);
	store_user_free(got);
	ck_assert_int_eq(store_user_by_login(st, "nobody", &got, &cause), 0);
	ck_assert_ptr_null(got);
	ck_assert_int_eq(store_user_list(st, &list, &n, &cause), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(list[0]->login, "chuyenvien");
	ck_assert_str_eq(list[1]->login, "giamsat");
	ck_assert_str_eq(list[2]->login, "tiepnhan");
	store_user_list_free(list, n);

	/* Update, password, disable. */
	u.id = id;
	u.login = (char *)"chuyenvien";
	u.full_name = (char *)"Quàng Văn Minh (lãnh đạo)";
	u.role = ROLE_LEADER;
	u.unit = (char *)"TPSL";
	u.department = (char *)"lanh-dao";
	ck_assert_int_eq(store_user_update(st, &u, &cause), 0);
	ck_assert_int_eq(store_user_set_password(st, id, "$6$new", &cause), 0);
	ck_assert_int_eq(store_user_set_disabled(st, id, true, &cause), 0);
	ck_assert_int_eq(store_user_get(st, id, &got, &cause), 0);
	ck_assert_int_eq(got->role, ROLE_LEADER);
	ck_assert_str_eq(got->department, "lanh-dao");
	ck_assert_str_eq(got->password_hash, "$6$new");
	ck_assert(got->disabled);
	store_user_free(got);
	ck_assert_int_eq(store_user_set_disabled(st, 999, true, &cause), -1);
	ck_assert_str_eq(cause, "no user 999");
	free(cause);
	cause = NULL;

	/* A user without history can be deleted; one with history cannot. */
	ck_assert_int_eq(store_user_delete(st, id2, &cause), 0);
	ck_assert_int_eq(store_user_get(st, id2, &got, &cause), 0);
	ck_assert_ptr_null(got);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 0, 0, "k1", &cause), 1);
	ck_assert_int_eq(store_user_delete(st, receiver, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "disable it instead"));
	free(cause);
}
END_TEST

START_TEST(test_actor)
{
	struct store_user	*u = NULL;
	struct actor		 a;
	char			*cause = NULL;

	ck_assert_int_eq(store_user_get(st, receiver, &u, &cause), 0);
	store_user_actor(u, &a);
	ck_assert_int_eq(a.user_id, receiver);
	ck_assert_int_eq(a.role, ROLE_ONE_STOP);
	ck_assert_str_eq(a.unit, "TPSL");
	ck_assert_str_eq(a.department, "mot-cua");
	store_user_free(u);
}
END_TEST

START_TEST(test_keys)
{
	struct store_key	*keys;
	size_t			 n;
	int64_t			 k1, k2;
	char			*cause = NULL;

	ck_assert_int_eq(store_key_add(st, receiver, "ssh-ed25519", "AAAAC3Nza1", "laptop",
	    &k1, &cause), 0);
	ck_assert_int_eq(store_key_add(st, receiver, "ssh-ed25519", "AAAAC3Nza2", NULL, &k2,
	    &cause), 0);
	ck_assert_int_eq(store_key_add(st, receiver, "ssh-ed25519", "AAAAC3Nza1", "again",
	    NULL, &cause), -1);
	ck_assert_str_eq(cause, "the user already has this key");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(store_key_add(st, 999, "ssh-ed25519", "AAAA", NULL, NULL, &cause),
	    -1);
	ck_assert_str_eq(cause, "no user 999");
	free(cause);
	cause = NULL;

	ck_assert_int_eq(store_key_match(st, receiver, "ssh-ed25519", "AAAAC3Nza1", &cause),
	    1);
	ck_assert_int_eq(store_key_match(st, receiver, "ssh-rsa", "AAAAC3Nza1", &cause), 0);
	ck_assert_int_eq(store_key_match(st, receiver + 1, "ssh-ed25519", "AAAAC3Nza1",
	    &cause), 0);

	ck_assert_int_eq(store_key_list(st, receiver, &keys, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(keys[0].id, k1);
	ck_assert_str_eq(keys[0].comment, "laptop");
	ck_assert_str_eq(keys[1].blob, "AAAAC3Nza2");
	ck_assert_str_eq(keys[1].comment, "");
	store_key_list_free(keys, n);

	ck_assert_int_eq(store_key_remove(st, receiver, k1, &cause), 0);
	ck_assert_int_eq(store_key_remove(st, receiver, k1, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(store_key_match(st, receiver, "ssh-ed25519", "AAAAC3Nza1", &cause),
	    0);
	ck_assert_int_eq(store_key_list(st, receiver, &keys, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(keys[0].id, k2);
	store_key_list_free(keys, n);
}
END_TEST

START_TEST(test_drafts)
{
	char	*key, *content, *cause = NULL;
	int64_t	 at;

	ck_assert_int_eq(store_draft_load(st, receiver, &key, &content, &at, &cause), 0);
	ck_assert_ptr_null(content);
	ck_assert_int_eq(store_draft_save(st, receiver, "k1", "{\"name\":\"A\"}", 50, &cause),
	    0);
	ck_assert_int_eq(store_draft_save(st, receiver, "k2", "{\"name\":\"B\"}", 60, &cause),
	    0);
	ck_assert_int_eq(store_draft_load(st, receiver, &key, &content, &at, &cause), 0);
	ck_assert_str_eq(key, "k2");
	ck_assert_str_eq(content, "{\"name\":\"B\"}");
	ck_assert_int_eq(at, 60);
	free(key);
	free(content);

	/* Consuming with another key leaves the draft; with its key removes it. */
	ck_assert_int_eq(store_draft_consume(st, receiver, "k1", &cause), 0);
	ck_assert_int_eq(count_rows("SELECT count(*) FROM drafts"), 1);
	ck_assert_int_eq(store_draft_consume(st, receiver, "k2", &cause), 0);
	ck_assert_int_eq(count_rows("SELECT count(*) FROM drafts"), 0);
	ck_assert_int_eq(store_draft_save(st, receiver, "k3", "x", 70, &cause), 0);
	ck_assert_int_eq(store_draft_delete(st, receiver, &cause), 0);
	ck_assert_int_eq(store_draft_load(st, receiver, &key, &content, &at, &cause), 0);
	ck_assert_ptr_null(content);
}
END_TEST

START_TEST(test_codes)
{
	char	*cause = NULL, *code;
	int	 seq;
	int64_t	 by;

	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 0, 0, "a", &cause), 1);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 0, 0, "b", &cause), 2);
	ck_assert_int_eq(add_dossier(st, "MOCHAU", "150826", 2, 0, 0, "c", &cause), 1);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150827", 2, 0, 0, "d", &cause), 1);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 0, 0, "e", &cause), 3);

	ck_assert_int_eq(store_dossier_by_key(st, "e", &code, &by, &cause), 0);
	ck_assert_str_eq(code, "TPSL-150826-0003");
	ck_assert_int_eq(by, receiver);
	free(code);
	ck_assert_int_eq(store_dossier_by_key(st, "zz", &code, &by, &cause), 0);
	ck_assert_ptr_null(code);

	/* A failed insert (a reused idempotency key) rolls its sequence number back. */
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 0, 0, "a", &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 0, 0, "f", &cause), 4);

	/* So does an explicit rollback. */
	ck_assert_int_eq(store_begin(st, &cause), 0);
	ck_assert_int_eq(store_code_next(st, "TPSL", "150826", &seq, &cause), 0);
	ck_assert_int_eq(seq, 5);
	store_rollback(st);
	ck_assert_int_eq(store_begin(st, &cause), 0);
	ck_assert_int_eq(store_code_next(st, "TPSL", "150826", &seq, &cause), 0);
	ck_assert_int_eq(seq, 5);
	store_rollback(st);

	ck_assert_int_eq(count_rows("SELECT count(*) FROM dossiers WHERE code IN "
	    "('TPSL-150826-0001', 'TPSL-150826-0002', 'TPSL-150826-0003', 'TPSL-150826-0004', "
	    "'MOCHAU-150826-0001', 'TPSL-150827-0001')"), 6);
}
END_TEST

#define RACE_EACH	40

/* A child: open the store itself and allocate codes on two days, alternating. */
static void
race_child(int which)
{
	struct store	*s;
	char		*cause = NULL, key[32];
	int		 i;

	if ((s = store_open(dbpath, &cause)) == NULL)
		_exit(2);
	for (i = 0; i < RACE_EACH; i++) {
		snprintf(key, sizeof key, "race-%d-%d", which, i);
		if (add_dossier(s, "TPSL", i % 2 == 0 ? "150901" : "150902", 2, 0, 0, key,
		    &cause) < 1) {
			fprintf(stderr, "child %d: %s\n", which, cause);
			_exit(3);
		}
	}
	store_close(s);
	_exit(0);
}

START_TEST(test_two_processes)
{
	struct actor		 monitor = { 77, ROLE_MONITOR, NULL, NULL };
	struct store_queue	 q = { 0 };
	struct dossier_list	 l;
	pid_t			 pid[2];
	int			 i, status, seen[2][RACE_EACH + 1], day, seq;
	size_t			 j, total;
	char			*cause = NULL;

	/* Open the store in each process after fork, never before. */
	store_close(st);
	st = NULL;
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0)
			race_child(i);
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}

	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	q.unit = "TPSL";
	q.states = 1u << STATE_RECEIVED;
	q.limit = 1000;
	ck_assert_int_eq(store_queue_list(st, &monitor, &q, &l, &total, &cause), 0);
	ck_assert_uint_eq(total, 2 * RACE_EACH);
	ck_assert_uint_eq(l.n, 2 * RACE_EACH);
	memset(seen, 0, sizeof seen);
	for (j = 0; j < l.n; j++) {
		ck_assert_int_eq(strncmp(l.items[j].code, "TPSL-15090", 10), 0);
		day = l.items[j].code[10] - '1';
		ck_assert(day == 0 || day == 1);
		ck_assert_int_eq(l.items[j].code[11], '-');
		seq = atoi(l.items[j].code + 12);
		ck_assert(seq >= 1 && seq <= RACE_EACH);
		ck_assert_int_eq(seen[day][seq], 0);	/* no duplicate */
		seen[day][seq] = 1;
	}
	/* No gap: each day holds exactly 1..RACE_EACH. */
	for (day = 0; day < 2; day++) {
		for (seq = 1; seq <= RACE_EACH; seq++)
			ck_assert_int_eq(seen[day][seq], 1);
	}
	dossier_list_free(&l);
}
END_TEST

START_TEST(test_queries)
{
	struct actor		 leader = { receiver, ROLE_LEADER, "TPSL", "lanh-dao" };
	struct actor		 other = { receiver, ROLE_OFFICER, "MOCHAU", "tnmt" };
	struct actor		 monitor = { receiver, ROLE_MONITOR, NULL, NULL };
	struct store_queue	 q = { 0 };
	struct dossier_list	 l;
	int64_t			 counts[STATE_MAX + 1];
	size_t			 total;
	char			*cause = NULL;

	/* due_at, step_due_at by code number: 1..6 open, 7 closed, 8 no deadline. */
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 5000, 4000, "1", &cause), 1);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 4, 3000, 9000, "2", &cause), 2);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 4, 12000, 2000, "3", &cause), 3);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 5, 1000, 1000, "4", &cause), 4);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 2, 10500, 10200, "5", &cause), 5);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 4, 20000, 20000, "6", &cause), 6);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 10, 1000, 1000, "7", &cause), 7);
	ck_assert_int_eq(add_dossier(st, "TPSL", "150826", 4, 0, 0, "8", &cause), 8);
	ck_assert_int_eq(add_dossier(st, "MOCHAU", "150826", 4, 1000, 1000, "9", &cause), 1);

	ck_assert_int_eq(store_count_by_state(st, &leader, "TPSL", counts, &cause), 0);
	ck_assert_int_eq(counts[0], 8);
	ck_assert_int_eq(counts[STATE_RECEIVED], 2);
	ck_assert_int_eq(counts[STATE_PROCESSING], 4);
	ck_assert_int_eq(counts[STATE_SUPPLEMENT], 1);
	ck_assert_int_eq(counts[STATE_RETURNED], 1);
	ck_assert_int_eq(counts[STATE_REFUSED], 0);

	/* Overdue at 10000: 2 (3000) then 1 (5000); 4 is paused, 7 closed, 8 has no deadline. */
	ck_assert_int_eq(store_overdue(st, &leader, "TPSL", 10000, 10, &l, &cause), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0002");
	ck_assert_int_eq(l.items[0].due_at, 3000);
	ck_assert_str_eq(l.items[1].code, "TPSL-150826-0001");
	ck_assert_str_eq(l.items[1].applicant_name, "Cầm Văn Xuân");
	ck_assert_int_eq(l.items[1].state, STATE_RECEIVED);
	dossier_list_free(&l);
	ck_assert_int_eq(store_overdue(st, &leader, "TPSL", 10000, 1, &l, &cause), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0002");
	dossier_list_free(&l);

	/* Step late at 10000: 3 (2000), 1 (4000), 2 (9000). */
	ck_assert_int_eq(store_step_late(st, &leader, "TPSL", 10000, 10, &l, &cause), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0003");
	ck_assert_str_eq(l.items[1].code, "TPSL-150826-0001");
	ck_assert_str_eq(l.items[2].code, "TPSL-150826-0002");
	dossier_list_free(&l);

	/* Due soon in [10000, 12000]: 5 (10500), 3 (12000). */
	ck_assert_int_eq(store_due_soon(st, &leader, "TPSL", 10000, 12000, 10, &l, &cause),
	    0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0005");
	ck_assert_str_eq(l.items[1].code, "TPSL-150826-0003");
	dossier_list_free(&l);

	/* The open queue by due date (no deadline last), in pages of three. */
	q.unit = "TPSL";
	q.limit = 3;
	ck_assert_int_eq(store_queue_list(st, &leader, &q, &l, &total, &cause), 0);
	ck_assert_uint_eq(total, 7);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0004");
	ck_assert_str_eq(l.items[1].code, "TPSL-150826-0002");
	ck_assert_str_eq(l.items[2].code, "TPSL-150826-0001");
	dossier_list_free(&l);
	q.offset = 6;
	ck_assert_int_eq(store_queue_list(st, &leader, &q, &l, NULL, &cause), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0008");
	ck_assert_int_eq(l.items[0].due_at, 0);
	dossier_list_free(&l);

	/* Filters: a department, an officer, states. */
	q.offset = 0;
	q.limit = 100;
	q.department = "tnmt";
	ck_assert_int_eq(store_queue_list(st, &leader, &q, &l, &total, &cause), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_uint_eq(total, 0);
	q.department = "mot-cua";
	q.states = 1u << STATE_RETURNED;
	ck_assert_int_eq(store_queue_list(st, &leader, &q, &l, &total, &cause), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].code, "TPSL-150826-0007");
	dossier_list_free(&l);
	q.department = NULL;
	q.states = 0;
	q.officer = receiver;
	ck_assert_int_eq(store_queue_list(st, &leader, &q, &l, &total, &cause), 0);
	ck_assert_uint_eq(l.n, 0);

	/* Scope: another unit's officer sees nothing of TPSL; a monitor sees every unit. */
	ck_assert_int_eq(store_count_by_state(st, &other, "TPSL", counts, &cause), -1);
	ck_assert_str_eq(cause, "no unit TPSL");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(store_overdue(st, &other, "TPSL", 10000, 10, &l, &cause), -1);
	free(cause);
	cause = NULL;
	q.officer = 0;
	ck_assert_int_eq(store_queue_list(st, &other, &q, &l, &total, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(store_count_by_state(st, &monitor, "MOCHAU", counts, &cause), 0);
	ck_assert_int_eq(counts[0], 1);
	ck_assert_int_eq(store_overdue(st, &other, "MOCHAU", 10000, 10, &l, &cause), 0);
	ck_assert_uint_eq(l.n, 1);
	dossier_list_free(&l);
}
END_TEST

/* The schema keeps the index that makes the dashboard's counts an index-only scan. */
START_TEST(test_query_plans)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	const char	*detail;
	int		 found = 0;

	/* The same query as store_count_by_state reads only the (unit, state) index. */
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT state, count(*) "
	    "FROM dossiers WHERE unit = ?1 GROUP BY state", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		detail = (const char *)sqlite3_column_text(stmt, 3);
		if (strstr(detail, "COVERING INDEX dossiers_unit_state") != NULL)
			found = 1;
		ck_assert_ptr_null(strstr(detail, "TEMP B-TREE"));
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	ck_assert_int_eq(found, 1);
}
END_TEST

/* The suite. */
static Suite *
store_suite(void)
{
	Suite	*s = suite_create("store");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_users);
	tcase_add_test(tc, test_actor);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_drafts);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_two_processes);
	tcase_add_test(tc, test_queries);
	tcase_add_test(tc, test_query_plans);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(store_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
