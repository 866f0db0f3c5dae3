/* check_service.c: tests of the officers' service: scope, dashboard, queues, alerts, demo. */
#include "config.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "demo.h"
#include "dossier.h"
#include "fixture.h"
#include "report.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

static char		 tmpdir[64];
static char		 dbpath[128];
static struct catalog	*cat;

/* The dossiers of the fixture, by letter (see build). */
enum { A, B, C, D, E, F, G, H, R, NDOSSIERS };
static char		*codes[NDOSSIERS];

static const struct fixture_user users[] = {
	{ "os1", "Lò Thị Hoa", ROLE_ONE_STOP, "TPSL", "mot-cua", false },
	{ "tp1", "Nguyễn Thị Thu Hằng", ROLE_OFFICER, "TPSL", "tu-phap", false },
	{ "tp2", "Quàng Văn Duy", ROLE_OFFICER, "TPSL", "tu-phap", false },
	{ "lead", "Trần Quốc Hưng", ROLE_LEADER, "TPSL", "lanh-dao", false },
	{ "mcos", "Hà Thị Nhung", ROLE_ONE_STOP, "MCH", "mot-cua", false },
	{ "mctp", "Sa Thị Hương", ROLE_OFFICER, "MCH", "tu-phap", false },
	{ "mon", "Lê Thanh Bình", ROLE_MONITOR, NULL, NULL, false },
	{ "adm", "Quản trị", ROLE_ADMIN, NULL, NULL, false },
	{ "dis", "Đã nghỉ", ROLE_OFFICER, "TPSL", "tu-phap", true }
};

/* A local time of the catalog's calendar. */
static int64_t
at(const char *local)
{
	return fixture_at(cat, local);
}

/* Open the service for a login, failing the test if it cannot. */
static struct service *
open_as(const char *login)
{
	return fixture_open_as(dbpath, cat, login);
}

/* Check that a call failed with exactly this message, and forget the message. */
#define check_cause(ret, cause, want)	check_cause_at(__LINE__, (ret), (cause), (want))
static void
check_cause_at(int line, int ret, char **cause, const char *want)
{
	ck_assert_msg(ret == -1, "line %d: returned %d, not -1", line, ret);
	ck_assert_msg(*cause != NULL, "line %d: no message", line);
	ck_assert_msg(strcmp(*cause, want) == 0, "line %d: \"%s\", not \"%s\"", line,
	    *cause, want);
	free(*cause);
	*cause = NULL;
}

/* Run a statement on the test store directly (to change a user behind the service). */
static void
sql_exec(const char *sql)
{
	sqlite3	*db;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Receive a dossier as the service's officer at a time; returns its code. */
static char *
receive(struct service *svc, const char *when, const char *procedure, const char *name,
    const char *id, bool refuse)
{
	return fixture_receive(svc, when, procedure, name, id, "0912345678", refuse);
}

/* Build the store of the tests once: users and dossiers in known states at known times. */
static void
build(void)
{
	struct service	*os1, *tp1, *lead, *mcos;
	size_t		 i;

	cat = fixture_catalog();
	fixture_dir("check_service", tmpdir, sizeof tmpdir, dbpath, sizeof dbpath);
	fixture_users(dbpath, users, sizeof users / sizeof users[0],
	    at("2015-03-01 08:00"));

	os1 = open_as("os1");
	tp1 = open_as("tp1");
	lead = open_as("lead");
	mcos = open_as("mcos");
	/* A: overdue and step late at tu-phap. */
	codes[A] = receive(os1, "2015-03-02 08:00", "2.000913", "Nguyễn Văn Đức",
	    "014085000001", false);
	fixture_act(os1, "2015-03-02 10:00", codes[A], ACTION_HANDOVER, 0, NULL);
	/* B: new, step late. */
	codes[B] = receive(os1, "2015-03-09 14:00", "2.000913", "Lò Thị Hương",
	    "014185000002", false);
	/* C: at tu-phap, due soon. */
	codes[C] = receive(os1, "2015-03-06 15:00", "2.000913", "Trần Đức Anh",
	    "014090000003", false);
	fixture_act(os1, "2015-03-09 16:00", codes[C], ACTION_HANDOVER, 0, NULL);
	/* D: received today, same day, due soon. */
	codes[D] = receive(os1, "2015-03-10 08:00", "2.000815", "Cầm Thị Hương Giang",
	    "014192000004", false);
	/* E: waiting for a supplement. */
	codes[E] = receive(os1, "2015-03-05 09:00", "2.000913", "Phạm Văn Bình",
	    "014080000005", false);
	fixture_act(os1, "2015-03-05 10:00", codes[E], ACTION_HANDOVER, 0, NULL);
	fixture_act(tp1, "2015-03-05 11:00", codes[E], ACTION_ASSIGN, 0, NULL);
	fixture_act(tp1, "2015-03-05 14:00", codes[E], ACTION_REQUEST_SUPPLEMENT, 0,
	    "Thiếu bản chính hợp đồng");
	/* F: resolved, ready to return; G: returned. */
	codes[F] = receive(os1, "2015-03-02 09:00", "2.000913", "Quàng Thị Mai",
	    "014175000006", false);
	codes[G] = receive(os1, "2015-03-02 09:10", "2.000913", "Hà Văn Sơn",
	    "014070000007", false);
	for (i = F; i <= G; i++) {
		fixture_act(os1, "2015-03-02 09:30", codes[i], ACTION_HANDOVER, 0, NULL);
		fixture_act(lead, "2015-03-02 10:00", codes[i], ACTION_ASSIGN, 2, NULL);
		fixture_act(tp1, "2015-03-02 14:00", codes[i], ACTION_HANDOVER, 0, NULL);
		fixture_act(tp1, "2015-03-03 08:00", codes[i], ACTION_RESOLVE, 0, NULL);
	}
	fixture_act(os1, "2015-03-04 08:00", codes[G], ACTION_RETURN, 0, NULL);
	/* H: Mộc Châu, received today, with the same name as A. */
	codes[H] = receive(mcos, "2015-03-10 08:30", "2.000815", "Nguyễn Văn Đức",
	    "014085000008", false);
	/* R: refused at intake today. */
	codes[R] = receive(os1, "2015-03-10 08:15", "2.000913", "Điêu Chính Tâm",
	    "014085000009", true);
	service_close(os1);
	service_close(tp1);
	service_close(lead);
	service_close(mcos);
	fixture_now("2015-03-10 09:00");
}

/* Remove the store of the tests. */
static void
unbuild(void)
{
	size_t	i;

	for (i = 0; i < NDOSSIERS; i++)
		free(codes[i]);
	fixture_dir_remove(tmpdir, dbpath);
	catalog_free(cat);
}

/* Each test runs at the same instant unless it says otherwise. */
static void
at_nine(void)
{
	fixture_now("2015-03-10 09:00");
}

START_TEST(test_open)
{
	struct service			*svc;
	const struct service_user	*me;
	char				*cause = NULL;

	ck_assert_ptr_null(service_open(dbpath, cat, "nobody", &cause));
	ck_assert_str_eq(cause, "Tài khoản nobody không tồn tại hoặc đã bị khóa");
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(service_open(dbpath, cat, "dis", &cause));
	ck_assert_str_eq(cause, "Tài khoản dis không tồn tại hoặc đã bị khóa");
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(service_open(dbpath, cat, "adm", &cause));
	ck_assert_ptr_nonnull(strstr(cause, "lệnh quản trị"));
	free(cause);

	svc = open_as("tp1");
	me = service_me(svc);
	ck_assert_str_eq(me->full_name, "Nguyễn Thị Thu Hằng");
	ck_assert_int_eq(me->role, ROLE_OFFICER);
	ck_assert_str_eq(me->unit_name, "Thành phố Sơn La");
	ck_assert_str_eq(me->department_name, "Phòng Tư pháp");
	ck_assert_ptr_eq(service_catalog(svc), cat);
	service_close(svc);
	svc = open_as("mon");
	me = service_me(svc);
	ck_assert_ptr_null(me->unit);
	ck_assert_str_eq(me->unit_name, "Tỉnh Sơn La");
	service_close(svc);
}
END_TEST

START_TEST(test_now)
{
	struct service	*svc;
	int64_t		 t;

	svc = open_as("os1");
	ck_assert_int_eq(service_now(svc), at("2015-03-10 09:00"));
	ck_assert(service_office_hours(svc, at("2015-03-10 09:00")));
	ck_assert(!service_office_hours(svc, at("2015-03-10 12:00")));
	ck_assert(!service_office_hours(svc, at("2015-03-07 09:00")));	/* a Saturday */
	ck_assert(service_office_hours(svc, at("2015-02-14 09:00")));	/* a worked one */
	ck_assert(!service_office_hours(svc, at("2015-02-17 09:00")));	/* Tết */
	ck_assert_int_eq(unsetenv("MOTCUA_NOW"), 0);
	t = service_now(svc);
	ck_assert(t >= (int64_t)time(NULL) - 5 && t <= (int64_t)time(NULL));
	fixture_now("garbage");
	t = service_now(svc);
	ck_assert(t >= (int64_t)time(NULL) - 5 && t <= (int64_t)time(NULL));
	service_close(svc);
}
END_TEST

/* Check a dashboard's counts. */
static void
check_dashboard(const char *login, int64_t today, int64_t progress, int64_t soon,
    int64_t step_late, int64_t overdue, int64_t waiting, int64_t ready)
{
	struct service		*svc;
	struct service_dashboard db;
	char			*cause = NULL;

	svc = open_as(login);
	if (service_dashboard(svc, 5, &db, &cause) != 0)
		ck_abort_msg("%s: %s", login, cause);
	ck_assert_int_eq(db.received_today, today);
	ck_assert_int_eq(db.in_progress, progress);
	ck_assert_int_eq(db.due_soon, soon);
	ck_assert_int_eq(db.step_late, step_late);
	ck_assert_int_eq(db.overdue, overdue);
	ck_assert_int_eq(db.waiting_citizen, waiting);
	ck_assert_int_eq(db.ready_to_return, ready);
	ck_assert_int_eq(db.overdue_top.n, (size_t)overdue);
	if (overdue > 0)
		ck_assert_str_eq(db.overdue_top.items[0].code, codes[A]);
	service_dashboard_free(&db);
	service_close(svc);
}

START_TEST(test_dashboard)
{
	check_dashboard("os1", 1, 4, 2, 2, 1, 1, 1);
	check_dashboard("lead", 1, 4, 2, 2, 1, 1, 1);
	check_dashboard("tp1", 0, 2, 1, 1, 1, 1, 0);
	check_dashboard("mcos", 1, 1, 1, 0, 0, 0, 0);
	check_dashboard("mctp", 0, 0, 0, 0, 0, 0, 0);
	check_dashboard("mon", 2, 5, 3, 2, 1, 1, 1);
	/* Tomorrow at 09:00, B and C are overdue too; D is closed at 17:00 (overdue). */
	fixture_now("2015-03-11 15:00");
	check_dashboard("os1", 0, 4, 0, 4, 4, 1, 1);
}
END_TEST

/* The codes of a queue page, joined by spaces. */
static char *
queue_codes(struct service *svc, enum service_queue q, const char *search, size_t offset,
    size_t limit, size_t *total)
{
	struct dossier_list	 l;
	char			*cause = NULL, *s, *t;
	size_t			 i;

	if (service_queue(svc, q, search, offset, limit, &l, total, &cause) != 0)
		ck_abort_msg("queue %d: %s", q, cause);
	s = xstrdup("");
	for (i = 0; i < l.n; i++) {
		t = xasprintf("%s%s%s", s, i == 0 ? "" : " ", l.items[i].code);
		free(s);
		s = t;
	}
	dossier_list_free(&l);
	return s;
}

/* Check a queue page: its codes (by letter) and total. */
static void
check_queue(struct service *svc, enum service_queue q, const char *search, size_t offset,
    size_t limit, const char *letters, size_t total)
{
	char	*got, *want, *t;
	size_t	 n, i;

	want = xstrdup("");
	for (i = 0; letters[i] != '\0'; i++) {
		t = xasprintf("%s%s%s", want, i == 0 ? "" : " ",
		    letters[i] == 'R' ? codes[R] : codes[letters[i] - 'A']);
		free(want);
		want = t;
	}
	got = queue_codes(svc, q, search, offset, limit, &n);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(n, total);
	free(got);
	free(want);
}

START_TEST(test_queues)
{
	struct service	*svc;

	svc = open_as("os1");
	check_queue(svc, QUEUE_NEW, NULL, 0, 50, "DB", 2);
	check_queue(svc, QUEUE_IN_PROGRESS, NULL, 0, 50, "ACDB", 4);
	check_queue(svc, QUEUE_IN_PROGRESS, NULL, 0, 3, "ACD", 4);
	check_queue(svc, QUEUE_IN_PROGRESS, NULL, 3, 3, "B", 4);
	check_queue(svc, QUEUE_IN_PROGRESS, NULL, 4, 3, "", 4);
	check_queue(svc, QUEUE_UNASSIGNED, NULL, 0, 50, "AC", 2);
	check_queue(svc, QUEUE_WAITING, NULL, 0, 50, "E", 1);
	check_queue(svc, QUEUE_DUE_SOON, NULL, 0, 50, "CD", 2);
	check_queue(svc, QUEUE_STEP_LATE, NULL, 0, 50, "AB", 2);
	check_queue(svc, QUEUE_OVERDUE, NULL, 0, 50, "A", 1);
	check_queue(svc, QUEUE_READY, NULL, 0, 50, "F", 1);
	check_queue(svc, QUEUE_RETURNED, NULL, 0, 50, "G", 1);
	ck_assert_str_eq(service_queue_label(QUEUE_OVERDUE), "Quá hạn");
	ck_assert_str_eq(service_queue_label(QUEUE_COUNT), "?");
	service_close(svc);

	svc = open_as("tp1");
	check_queue(svc, QUEUE_IN_PROGRESS, NULL, 0, 50, "AC", 2);
	check_queue(svc, QUEUE_NEW, NULL, 0, 50, "", 0);
	check_queue(svc, QUEUE_WAITING, NULL, 0, 50, "E", 1);
	check_queue(svc, QUEUE_READY, NULL, 0, 50, "", 0);
	service_close(svc);

	svc = open_as("mon");
	check_queue(svc, QUEUE_NEW, NULL, 0, 50, "HDB", 3);
	service_close(svc);
}
END_TEST

START_TEST(test_search)
{
	struct service	*svc;
	char		*lower, *p;

	svc = open_as("os1");
	check_queue(svc, QUEUE_IN_PROGRESS, "duc", 0, 50, "AC", 2);
	check_queue(svc, QUEUE_IN_PROGRESS, "  NGUYỄN   đức ", 0, 50, "A", 1);
	check_queue(svc, QUEUE_IN_PROGRESS, "huong", 0, 50, "DB", 2);
	check_queue(svc, QUEUE_IN_PROGRESS, "Hương gi", 0, 50, "D", 1);
	check_queue(svc, QUEUE_IN_PROGRESS, "uong", 0, 50, "", 0);
	check_queue(svc, QUEUE_IN_PROGRESS, "huong", 1, 50, "B", 2);
	check_queue(svc, QUEUE_IN_PROGRESS, "014090000003", 0, 50, "C", 1);
	check_queue(svc, QUEUE_IN_PROGRESS, "0140850", 0, 50, "A", 1);
	check_queue(svc, QUEUE_IN_PROGRESS, "014", 0, 50, "ACDB", 4);
	check_queue(svc, QUEUE_IN_PROGRESS, "0140", 0, 50, "AC", 2);
	check_queue(svc, QUEUE_IN_PROGRESS, "%", 0, 50, "", 0);
	check_queue(svc, QUEUE_IN_PROGRESS, "_", 0, 50, "", 0);
	lower = xstrdup(codes[A]);
	for (p = lower; *p != '\0'; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	check_queue(svc, QUEUE_IN_PROGRESS, lower, 0, 50, "A", 1);
	lower[strlen(lower) - 5] = '\0';	/* "tpsl-150302" */
	check_queue(svc, QUEUE_IN_PROGRESS, lower, 0, 50, "A", 1);
	check_queue(svc, QUEUE_READY, lower, 0, 50, "F", 1);
	free(lower);
	check_queue(svc, QUEUE_RETURNED, "ha van son", 0, 50, "G", 1);
	service_close(svc);
}
END_TEST

START_TEST(test_scope)
{
	struct service			*svc;
	struct service_dashboard	 db;
	struct dossier_list		 l;
	struct dossier_event		*ev = NULL;
	struct service_user		*us = NULL;
	struct dossier			*d;
	struct dossier_args		 args;
	char				*cause = NULL, *missing, *other, *code = NULL, *want;
	size_t				 total, i, n;
	int				 q;
	int64_t				 when;

	svc = open_as("mcos");
	/* Nothing of TPSL through any queue, searched or not. */
	for (q = 0; q < QUEUE_COUNT; q++) {
		ck_assert_int_eq(service_queue(svc, (enum service_queue)q, NULL, 0, 1000, &l,
		    &total, &cause), 0);
		for (i = 0; i < l.n; i++)
			ck_assert_str_eq(l.items[i].code, codes[H]);
		ck_assert_uint_eq(total, l.n);
		dossier_list_free(&l);
		ck_assert_int_eq(service_queue(svc, (enum service_queue)q, "duc", 0, 1000, &l,
		    &total, &cause), 0);
		for (i = 0; i < l.n; i++)
			ck_assert_str_eq(l.items[i].code, codes[H]);
		dossier_list_free(&l);
		ck_assert_int_eq(service_queue(svc, (enum service_queue)q, "TPSL", 0, 1000,
		    &l, &total, &cause), 0);
		ck_assert_uint_eq(l.n, 0);
		ck_assert_uint_eq(total, 0);
		dossier_list_free(&l);
	}
	check_queue(svc, QUEUE_IN_PROGRESS, "duc", 0, 50, "H", 1);
	ck_assert_int_eq(service_dashboard(svc, 10, &db, &cause), 0);
	ck_assert_uint_eq(db.overdue_top.n, 0);
	service_dashboard_free(&db);

	/* Another unit's dossier is reported exactly like a code that does not exist. */
	ck_assert_ptr_null(service_dossier(svc, codes[A], &cause));
	other = cause;
	cause = NULL;
	ck_assert_ptr_null(service_dossier(svc, "TPSL-150302-9999", &cause));
	missing = cause;
	cause = NULL;
	ck_assert_str_eq(missing, "Không có hồ sơ TPSL-150302-9999");
	want = xasprintf("Không có hồ sơ %s", codes[A]);
	ck_assert_str_eq(other, want);
	free(missing);
	free(other);
	check_cause(service_events(svc, codes[A], &ev, &n, &cause), &cause, want);
	/* An action's arguments are checked alike for a missing code and another unit's. */
	check_cause(service_act(svc, codes[A], ACTION_APOLOGIZE, NULL, &cause), &cause,
	    "Cần nhập lý do");
	check_cause(service_act(svc, "TPSL-150302-9999", ACTION_APOLOGIZE, NULL, &cause),
	    &cause, "Cần nhập lý do");
	memset(&args, 0, sizeof args);
	args.note = "x";
	check_cause(service_act(svc, codes[A], ACTION_APOLOGIZE, &args, &cause), &cause,
	    want);
	free(want);
	want = xasprintf("Không có hồ sơ %s", codes[F]);
	check_cause(service_act(svc, codes[F], ACTION_RETURN, NULL, &cause), &cause, want);
	free(want);
	check_cause(service_act(svc, "TPSL-150302-9999", ACTION_RETURN, NULL, &cause),
	    &cause, "Không có hồ sơ TPSL-150302-9999");
	ck_assert_int_eq(service_last_received(svc, &code, &when, &cause), 0);
	ck_assert_str_eq(code, codes[H]);
	free(code);

	/* Its own dossier is readable; assignees of another unit's never. */
	d = service_dossier(svc, codes[H], &cause);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(service_events(svc, codes[H], &ev, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	dossier_events_free(ev, n);
	dossier_free(d);
	service_close(svc);

	svc = open_as("lead");
	d = service_dossier(svc, codes[A], &cause);
	ck_assert_ptr_nonnull(d);
	service_close(svc);
	svc = open_as("mctp");
	ck_assert_int_eq(service_assignees(svc, d, &us, &n, &cause), 0);
	ck_assert_uint_eq(n, 0);
	service_close(svc);
	dossier_free(d);
}
END_TEST

/* The figures of one row of a report, found by its key; fails the test if it is missing. */
static const struct report_figures *
report_row_figures(const struct report *r, const char *key)
{
	size_t	i;

	for (i = 0; i < r->nrows; i++) {
		if (strcmp(r->rows[i].key, key) == 0)
			return &r->rows[i].f;
	}
	ck_abort_msg("no row %s in the report", key);
	return NULL;
}

/* Check the total of new dossiers a login's report of March 2015 shows, and its rows. */
static void
check_report_new(const char *login, const char *unit, enum report_group group,
    int64_t want, size_t want_rows)
{
	struct service	*svc;
	struct report	*r = NULL;
	char		*cause = NULL;

	svc = open_as(login);
	if (service_report(svc, unit, at("2015-03-01 00:00"), at("2015-04-01 00:00"), group,
	    &r, &cause) != 0)
		ck_abort_msg("report of %s: %s", login, cause);
	ck_assert_msg(r->total.new_total == want, "%s: %lld new, not %lld", login,
	    (long long)r->total.new_total, (long long)want);
	ck_assert_uint_eq(r->nrows, want_rows);
	report_free(r);
	service_close(svc);
}

START_TEST(test_report)
{
	const struct report_figures	*f;
	struct service			*svc;
	struct report			*r = NULL;
	char				*cause = NULL;
	int64_t				 from, to;

	/* Periods as typed by the officer. */
	svc = open_as("lead");
	ck_assert_int_eq(service_report_period(svc, " 2015-03 ", &from, &to, &cause), 0);
	ck_assert_int_eq(from, at("2015-03-01 00:00"));
	ck_assert_int_eq(to, at("2015-04-01 00:00"));
	ck_assert_int_eq(service_report_period(svc, "2015-Q1", &from, &to, &cause), 0);
	ck_assert_int_eq(from, at("2015-01-01 00:00"));
	ck_assert_int_eq(to, at("2015-04-01 00:00"));
	check_cause(service_report_period(svc, "2015-13", &from, &to, &cause), &cause,
	    "Kỳ báo cáo \"2015-13\" không hợp lệ; hãy nhập như 2015-06, 2015-Q2, 2015-H1, "
	    "2015 hoặc 2015-01-01..2015-06-30");

	/* The leader's unit: seven received (the refusal at intake is not), one unit. */
	ck_assert_int_eq(service_report(svc, NULL, at("2015-03-01 00:00"),
	    at("2015-04-01 00:00"), REPORT_BY_UNIT, &r, &cause), 0);
	ck_assert_uint_eq(r->nrows, 1);
	ck_assert_str_eq(r->rows[0].key, "TPSL");
	ck_assert_str_eq(r->rows[0].label, "Thành phố Sơn La");
	f = &r->rows[0].f;
	ck_assert_int_eq(f->new_total, 7);
	ck_assert_int_eq(f->new_counter, 7);
	ck_assert_int_eq(f->carried, 0);
	ck_assert_int_eq(f->resolved_early + f->resolved_on_time + f->resolved_late, 2);
	ck_assert_int_eq(f->open_within + f->open_overdue, 5);
	ck_assert_int_eq(f->supplement, 1);
	ck_assert_int_eq(f->refused, 0);
	ck_assert_int_eq(r->total.new_total, 7);
	report_free(r);
	r = NULL;
	/* Every dossier of the fixture is a certification. */
	ck_assert_int_eq(service_report(svc, "TPSL", at("2015-03-01 00:00"),
	    at("2015-04-01 00:00"), REPORT_BY_FIELD, &r, &cause), 0);
	ck_assert_uint_eq(r->nrows, cat->nfields);
	ck_assert_int_eq(report_row_figures(r, "chung-thuc")->new_total, 7);
	ck_assert_int_eq(report_row_figures(r, "dat-dai")->new_total, 0);
	report_free(r);
	r = NULL;
	/* By month over the year: all in March. */
	ck_assert_int_eq(service_report(svc, NULL, at("2015-01-01 00:00"),
	    at("2016-01-01 00:00"), REPORT_BY_MONTH, &r, &cause), 0);
	ck_assert_uint_eq(r->nrows, 12);
	ck_assert_str_eq(r->rows[2].key, "2015-03");
	ck_assert_int_eq(r->rows[2].f.new_total, 7);
	ck_assert_int_eq(r->rows[1].f.new_total, 0);
	ck_assert_int_eq(r->total.new_total, 7);
	report_free(r);
	r = NULL;

	/* Another unit is refused exactly like one that does not exist. */
	check_cause(service_report(svc, "MCH", at("2015-03-01 00:00"), at("2015-04-01 00:00"),
	    REPORT_BY_UNIT, &r, &cause), &cause, "Không có đơn vị MCH");
	ck_assert_ptr_null(r);
	check_cause(service_report(svc, "XYZ", at("2015-03-01 00:00"), at("2015-04-01 00:00"),
	    REPORT_BY_UNIT, &r, &cause), &cause, "Không có đơn vị XYZ");
	service_close(svc);
	svc = open_as("mcos");
	check_cause(service_report(svc, "TPSL", at("2015-03-01 00:00"),
	    at("2015-04-01 00:00"), REPORT_BY_FIELD, &r, &cause), &cause,
	    "Không có đơn vị TPSL");
	service_close(svc);

	/* A department officer sees the whole unit; Mộc Châu only its own dossier. */
	check_report_new("tp1", NULL, REPORT_BY_UNIT, 7, 1);
	check_report_new("os1", NULL, REPORT_BY_UNIT, 7, 1);
	check_report_new("mcos", NULL, REPORT_BY_UNIT, 1, 1);
	check_report_new("mctp", "MCH", REPORT_BY_FIELD, 1, cat->nfields);

	/* The monitor reads every unit, or one of them. */
	check_report_new("mon", NULL, REPORT_BY_UNIT, 8, cat->nunits);
	check_report_new("mon", "TPSL", REPORT_BY_UNIT, 7, 1);
	svc = open_as("mon");
	ck_assert_int_eq(service_report(svc, NULL, at("2015-03-01 00:00"),
	    at("2015-04-01 00:00"), REPORT_BY_UNIT, &r, &cause), 0);
	ck_assert_int_eq(report_row_figures(r, "TPSL")->new_total, 7);
	ck_assert_int_eq(report_row_figures(r, "MCH")->new_total, 1);
	report_free(r);
	service_close(svc);
}
END_TEST

START_TEST(test_dossier_actions)
{
	struct service		*svc;
	struct service_user	*us = NULL;
	struct dossier		*d;
	struct dossier_args	 args;
	char			*cause = NULL, *lower, *want;
	size_t			 n;

	svc = open_as("tp1");
	/* B is at the one-stop: the officer may not touch it; the core says why. */
	want = xasprintf("Hồ sơ %s đang do bộ phận mot-cua xử lý", codes[B]);
	check_cause(service_act(svc, codes[B], ACTION_HANDOVER, NULL, &cause), &cause, want);
	free(want);
	lower = xstrdup(codes[A]);
	lower[0] = 't';
	d = service_dossier(svc, lower, &cause);	/* codes are found in any case */
	free(lower);
	ck_assert_ptr_nonnull(d);
	ck_assert(service_allowed(svc, d) & (1u << ACTION_ASSIGN));
	ck_assert(!(service_allowed(svc, d) & (1u << ACTION_RETURN)));
	ck_assert_int_eq(service_assignees(svc, d, &us, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(us[0].login, "tp1");
	service_users_free(us, n);
	/* A note is required to request a supplement. */
	check_cause(service_act(svc, codes[A], ACTION_REQUEST_SUPPLEMENT, NULL, &cause),
	    &cause, "Cần nhập lý do");
	memset(&args, 0, sizeof args);
	args.note = " \t ";
	check_cause(service_act(svc, codes[A], ACTION_REQUEST_SUPPLEMENT, &args, &cause),
	    &cause, "Cần nhập lý do");
	/* An officer takes a dossier himself; only a leader assigns it to someone else. */
	memset(&args, 0, sizeof args);
	args.officer = 3;	/* tp2 */
	check_cause(service_act(svc, codes[A], ACTION_ASSIGN, &args, &cause), &cause,
	    "Chỉ được tự nhận xử lý hồ sơ; phân công cho người khác do lãnh đạo thực hiện");
	/* Resolving is only at the second-to-last step. */
	want = xasprintf("Hồ sơ %s chỉ được hoàn thành ở bước 3 (Trưởng phòng Tư pháp ký "
	    "chứng thực, đóng dấu); hiện đang ở bước 2", codes[A]);
	check_cause(service_act(svc, codes[A], ACTION_RESOLVE, NULL, &cause), &cause, want);
	free(want);
	/* A dossier changed since it was opened is not acted on. */
	memset(&args, 0, sizeof args);
	args.seen_event = d->last_event - 1;
	want = xasprintf("Hồ sơ %s đã thay đổi kể từ lúc mở; hãy xem lại hồ sơ", codes[A]);
	check_cause(service_act(svc, codes[A], ACTION_ASSIGN, &args, &cause), &cause, want);
	free(want);
	/* The apology letter: at the latest on the due date, with a later appointment. */
	memset(&args, 0, sizeof args);
	args.note = "Chờ xác minh";
	args.appointment = at("2015-03-20 09:00");
	check_cause(service_act(svc, codes[A], ACTION_APOLOGIZE, &args, &cause), &cause,
	    "Phiếu xin lỗi và hẹn lại phải lập chậm nhất trong ngày hẹn trả kết quả");
	args.appointment = at("2015-03-10 08:00");
	check_cause(service_act(svc, codes[C], ACTION_APOLOGIZE, &args, &cause), &cause,
	    "Ngày hẹn mới phải sau hạn hiện tại và sau thời điểm này");
	/* An action out of the table, and one of intake, are refused. */
	check_cause(service_act(svc, codes[A], ACTION_COUNT, NULL, &cause), &cause,
	    "Thao tác này không áp dụng cho hồ sơ đã tiếp nhận");
	check_cause(service_act(svc, codes[A], ACTION_RECEIVE, NULL, &cause), &cause,
	    "Thao tác này không áp dụng cho hồ sơ đã tiếp nhận");
	/* An account disabled during the session stops acting at once. */
	sql_exec("UPDATE users SET disabled = 1 WHERE login = 'tp1'");
	check_cause(service_act(svc, codes[A], ACTION_ASSIGN, NULL, &cause), &cause,
	    "Tài khoản đã bị khóa hoặc thay đổi; hãy đăng nhập lại");
	sql_exec("UPDATE users SET disabled = 0 WHERE login = 'tp1'");
	service_close(svc);

	svc = open_as("lead");
	ck_assert_int_eq(service_assignees(svc, d, &us, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);	/* the disabled officer is not offered */
	ck_assert_str_eq(us[0].login, "tp1");
	ck_assert_str_eq(us[1].login, "tp2");
	ck_assert_str_eq(us[1].department_name, "Phòng Tư pháp");
	service_users_free(us, n);
	ck_assert_uint_eq(service_allowed(svc, d) & (1u << ACTION_STOP), 1u << ACTION_STOP);
	want = xasprintf("Hồ sơ %s đang ở trạng thái “Đang xử lý”, không thể “Trả kết quả”",
	    codes[A]);
	check_cause(service_act(svc, codes[A], ACTION_RETURN, NULL, &cause), &cause, want);
	free(want);
	/* A leader assigns only to an active officer of the department holding the dossier. */
	memset(&args, 0, sizeof args);
	args.officer = 5;	/* mcos, of Mộc Châu */
	check_cause(service_act(svc, codes[A], ACTION_ASSIGN, &args, &cause), &cause,
	    "Không có người dùng số 5 đang hoạt động trong đơn vị TPSL");
	args.officer = 1;	/* os1, of the one-stop */
	want = xasprintf("Lò Thị Hoa không thuộc bộ phận tu-phap, nơi đang giữ hồ sơ %s",
	    codes[A]);
	check_cause(service_act(svc, codes[A], ACTION_ASSIGN, &args, &cause), &cause, want);
	free(want);
	service_close(svc);

	svc = open_as("mon");
	ck_assert_uint_eq(service_allowed(svc, d), 0);
	memset(&args, 0, sizeof args);
	args.note = "Sai thẩm quyền";
	check_cause(service_act(svc, codes[A], ACTION_STOP, &args, &cause), &cause,
	    "Vai trò giám sát không được phép “Dừng xử lý”");
	service_close(svc);
	dossier_free(d);
}
END_TEST

START_TEST(test_intake)
{
	struct service			*svc;
	const struct catalog_procedure	*found[4];
	struct dossier_intake		 in;
	char				*cause = NULL, *code = NULL, *want;
	bool				 replay;
	int64_t				 due;

	svc = open_as("os1");
	ck_assert_uint_ge(service_search_procedures(svc, "chung thuc ban sao", found, 4), 1);
	ck_assert_str_eq(found[0]->code, "2.000815");
	fixture_now("2015-02-13 10:00");
	ck_assert_int_eq(service_intake_due(svc, "2.000522", 0, &due, &cause), 0);
	ck_assert_int_eq(due, at("2015-02-27 10:00"));
	check_cause(service_intake_due(svc, "9.999999", 0, &due, &cause), &cause,
	    "Không có thủ tục 9.999999 trong danh mục");
	check_cause(service_intake_due(svc, "2.000522", 7, &due, &cause), &cause,
	    "Thủ tục 2.000522 không có trường hợp 8");

	/* What was typed is checked by the core, and its message reaches the officer. */
	memset(&in, 0, sizeof in);
	in.procedure = "2.000815";
	in.applicant_name = "  ";
	in.applicant_id = "12345";
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Mã chống gửi trùng của biểu mẫu phải dài từ 1 đến 128 byte");
	in.idempotency_key = "k-intake";
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Cần nhập họ tên người nộp hồ sơ");
	in.applicant_name = "Vì Văn Pánh";
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Số CMND/CCCD phải gồm 9 hoặc 12 chữ số");
	in.applicant_id = "014085000010";
	in.applicant_phone = "12345";
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0");
	in.procedure = "9.999999";
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Không có thủ tục này trong danh mục");
	in.procedure = "2.000815";
	check_cause(service_refuse_intake(svc, &in, &code, &replay, &cause), &cause,
	    "Cần nhập lý do");
	ck_assert_ptr_null(code);

	/* A form sent before: a retry answers its code; another outcome is refused. */
	in.idempotency_key = "key-1";
	ck_assert_int_eq(service_receive(svc, &in, &code, &replay, &cause), 0);
	ck_assert(replay);
	ck_assert_str_eq(code, codes[A]);
	free(code);
	code = NULL;
	in.note = "Không thuộc thẩm quyền";
	want = xasprintf("Biểu mẫu này đã được gửi thành hồ sơ %s (Tiếp nhận hồ sơ); hãy mở "
	    "biểu mẫu mới", codes[A]);
	check_cause(service_refuse_intake(svc, &in, &code, &replay, &cause), &cause, want);
	free(want);
	in.note = NULL;

	/* Guidance (Mẫu 02). */
	ck_assert_int_eq(service_guide(svc, "2.000815", "Vì Văn Pánh", "Bản chính", &cause), 0);
	check_cause(service_guide(svc, "2.000815", "Vì Văn Pánh", " ", &cause), &cause,
	    "Cần nhập danh sách nội dung còn thiếu");
	check_cause(service_guide(svc, "9.999999", "Vì Văn Pánh", "Bản chính", &cause), &cause,
	    "Không có thủ tục này trong danh mục");
	service_close(svc);

	/* Another one-stop officer's form key is not this one's to retry. */
	svc = open_as("mcos");
	in.applicant_phone = "";
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Mã chống gửi trùng này thuộc một lần tiếp nhận khác; hãy mở biểu mẫu mới");
	ck_assert_ptr_null(code);
	service_close(svc);

	/* Only one-stop officers take in. */
	in.idempotency_key = "k-intake";
	svc = open_as("tp1");
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Vai trò chuyên viên không được phép “Tiếp nhận hồ sơ”");
	check_cause(service_guide(svc, "2.000815", "Vì Văn Pánh", "Bản chính", &cause), &cause,
	    "Vai trò chuyên viên không được phép “Hướng dẫn bổ sung hồ sơ”");
	service_close(svc);
	svc = open_as("mon");
	check_cause(service_receive(svc, &in, &code, &replay, &cause), &cause,
	    "Vai trò giám sát không được phép “Tiếp nhận hồ sơ”");
	service_close(svc);
}
END_TEST

START_TEST(test_drafts_and_last)
{
	struct service	*svc;
	char		*cause = NULL, *key = NULL, *content = NULL, *code = NULL;
	int64_t		 updated, when;

	svc = open_as("os1");
	ck_assert_int_eq(service_draft_load(svc, &key, &content, &updated, &cause), 0);
	ck_assert_ptr_null(content);
	fixture_now("2015-03-10 09:05");
	ck_assert_int_eq(service_draft_save(svc, "form-1", "name=Lò Văn Tú\nid=01408",
	    &cause), 0);
	service_close(svc);
	svc = open_as("os1");
	ck_assert_int_eq(service_draft_load(svc, &key, &content, &updated, &cause), 0);
	ck_assert_str_eq(key, "form-1");
	ck_assert_str_eq(content, "name=Lò Văn Tú\nid=01408");
	ck_assert_int_eq(updated, at("2015-03-10 09:05"));
	free(key);
	free(content);
	content = NULL;
	ck_assert_int_eq(service_draft_clear(svc, &cause), 0);
	ck_assert_int_eq(service_draft_load(svc, &key, &content, &updated, &cause), 0);
	ck_assert_ptr_null(content);

	/* The last intake of this officer: the refusal at 08:15. */
	ck_assert_int_eq(service_last_received(svc, &code, &when, &cause), 0);
	ck_assert_str_eq(code, codes[R]);
	ck_assert_int_eq(when, at("2015-03-10 08:15"));
	free(code);
	service_close(svc);
	svc = open_as("tp1");
	ck_assert_int_eq(service_last_received(svc, &code, &when, &cause), 0);
	ck_assert_ptr_null(code);
	service_close(svc);
	svc = open_as("mon");
	ck_assert_int_eq(service_last_received(svc, &code, &when, &cause), 0);
	ck_assert_ptr_null(code);
	service_close(svc);
}
END_TEST

START_TEST(test_alerts)
{
	struct service		*tp1, *tp2, *lead;
	struct service_alerts	 al, al2;
	char			*cause = NULL;
	int64_t			 since;

	tp1 = open_as("tp1");
	tp2 = open_as("tp2");
	lead = open_as("lead");
	ck_assert_int_eq(service_alerts(tp2, 0, &al, &cause), 0);
	ck_assert_int_eq(al.assigned_new, 0);
	ck_assert_int_eq(al.due_soon, 0);
	ck_assert_int_gt(al.latest_event, 0);
	since = al.latest_event;

	/* The leader assigns C (due soon) to tp2. */
	fixture_act(lead, "2015-03-10 09:00", codes[C], ACTION_ASSIGN, 3, NULL);
	ck_assert_int_eq(service_alerts(tp2, since, &al, &cause), 0);
	ck_assert_int_eq(al.assigned_new, 1);
	ck_assert_int_eq(al.due_soon, 1);
	ck_assert_int_eq(al.overdue, 0);
	ck_assert_int_eq(al.latest_event, since + 1);
	ck_assert_int_eq(service_alerts(tp2, al.latest_event, &al2, &cause), 0);
	ck_assert_int_eq(al2.assigned_new, 0);
	ck_assert_int_eq(service_alerts(tp1, since, &al2, &cause), 0);
	ck_assert_int_eq(al2.assigned_new, 0);

	/* Taking a dossier oneself is no news; its deadline is. */
	fixture_act(tp1, "2015-03-10 09:00", codes[A], ACTION_ASSIGN, 0, NULL);
	ck_assert_int_eq(service_alerts(tp1, since, &al2, &cause), 0);
	ck_assert_int_eq(al2.assigned_new, 0);
	ck_assert_int_eq(al2.overdue, 1);
	ck_assert_int_eq(al2.latest_event, since + 2);
	service_close(tp1);
	service_close(tp2);
	service_close(lead);
}
END_TEST

/* Run a query with one integer result on a database. */
static int64_t
sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	int64_t		 v = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

START_TEST(test_demo)
{
	struct service			*svc;
	struct service_dashboard	 db;
	struct timespec			 t0, t1;
	char				 path[192], sql[256], *cause = NULL;
	int64_t				 now, total;

	snprintf(path, sizeof path, "%s/demo.db", tmpdir);
	now = at("2026-03-18 10:30");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (demo_populate(path, cat, "$y$demo", now, &cause) != 0)
		ck_abort_msg("demo: %s", cause);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "demo fill: %.2f s\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);

	ck_assert_int_eq(sql_int(path, "SELECT count(DISTINCT state) FROM dossiers "
	    "WHERE state BETWEEN 2 AND 10"), 9);
	total = sql_int(path, "SELECT count(*) FROM dossiers");
	ck_assert_int_ge(total, 300);
	ck_assert_int_eq(sql_int(path, "SELECT count(*) FROM dossiers WHERE unit = 'MCH'"), 60);
	snprintf(sql, sizeof sql, "SELECT max(at) <= %lld FROM events", (long long)now);
	ck_assert_int_eq(sql_int(path, sql), 1);
	ck_assert_int_eq(sql_int(path, "SELECT count(*) FROM events WHERE action IN "
	    "('receive', 'refuse_intake')"), total);
	ck_assert_int_eq(sql_int(path, "SELECT count(*) FROM users"), 15);
	ck_assert_int_eq(sql_int(path, "SELECT count(*) FROM dossiers WHERE applicant_id "
	    "NOT GLOB '014[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"), 0);
	ck_assert_int_gt(sql_int(path, "SELECT count(*) FROM dossiers "
	    "WHERE apology_at IS NOT NULL"), 0);
	ck_assert_int_gt(sql_int(path, "SELECT count(*) FROM events WHERE action = "
	    "'pause_financial'"), 0);

	/* The figures through the service, as the monitor and the demo users see them. */
	fixture_now("2026-03-18 10:30");
	svc = service_open(path, cat, "tinh", &cause);
	ck_assert_ptr_nonnull(svc);
	ck_assert_int_eq(service_dashboard(svc, 5, &db, &cause), 0);
	ck_assert_int_gt(db.overdue, 0);
	ck_assert_int_gt(db.step_late, 0);
	ck_assert_int_gt(db.in_progress, 0);
	ck_assert_int_gt(db.waiting_citizen, 0);
	ck_assert_int_gt(db.ready_to_return, 0);
	ck_assert_uint_gt(db.overdue_top.n, 0);
	service_dashboard_free(&db);
	service_close(svc);
	svc = service_open(path, cat, "tuphap.tpsl", &cause);
	ck_assert_ptr_nonnull(svc);
	ck_assert_str_eq(service_me(svc)->department_name, "Phòng Tư pháp");
	service_close(svc);
	ck_assert_ptr_nonnull(svc = service_open(path, cat, "tiepnhan.tpsl", &cause));
	service_close(svc);
	ck_assert_ptr_nonnull(svc = service_open(path, cat, "lanhdao.tpsl", &cause));
	service_close(svc);
	ck_assert_ptr_nonnull(svc = service_open(path, cat, "tiepnhan.mch", &cause));
	service_close(svc);
	ck_assert_ptr_null(service_open(path, cat, "admin", &cause));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(sql_int(path, "SELECT count(*) FROM users WHERE login = 'admin' AND "
	    "role = 'admin' AND password_hash = '$y$demo'"), 1);

	/* A second run leaves a store with users alone. */
	ck_assert_int_eq(demo_populate(path, cat, "$y$demo", now, &cause), 0);
	ck_assert_int_eq(sql_int(path, "SELECT count(*) FROM dossiers"), total);
	ck_assert_int_eq(sql_int(path, "PRAGMA synchronous"), 2);

	unlink(path);
	snprintf(sql, sizeof sql, "%s-wal", path);
	unlink(sql);
	snprintf(sql, sizeof sql, "%s-shm", path);
	unlink(sql);
}
END_TEST

/*
 * A newer catalog for new work: the service switches to it (names and a monitor's scope
 * follow), an intake begun under the old one still ends under its procedure version, and a
 * catalog without the officer's unit is refused.
 */
START_TEST(test_switch)
{
	struct catalog_problems		 pr;
	struct service_dashboard	 db;
	struct service			*svc, *mon, *mc;
	struct catalog			*cat2, *min;
	const struct catalog_procedure	*p1, *p2, *found[4];
	struct dossier			*d;
	char				*cause = NULL, *cmd, *dir, *old_code, *new_code;
	int64_t				 before, due;

	/* cat2: a new fee for 2.000815 (a new version), a department renamed. */
	dir = xasprintf("%s/catalog2", tmpdir);
	cmd = xasprintf("cp -R '%s' '%s' && sed -i 's/^fee: .*/fee: \"3.000 đ\\/trang\"/' "
	    "'%s/procedures/chung-thuc/2.000815.yaml' && sed -i 's/Bộ phận Tiếp nhận và Trả "
	    "kết quả UBND thành phố Sơn La/Bộ phận Một cửa thành phố Sơn La/' '%s/units.yaml'",
	    TEST_CATALOG, dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	memset(&pr, 0, sizeof pr);
	cat2 = catalog_load(dir, &pr);
	ck_assert_msg(cat2 != NULL, "%s", pr.n > 0 ? pr.items[0] : "?");
	min = catalog_load(TEST_DATA "/catalog-min", &pr);
	ck_assert_ptr_nonnull(min);
	p1 = catalog_procedure(cat, "2.000815");
	p2 = catalog_procedure(cat2, "2.000815");
	ck_assert_str_ne(p1->version, p2->version);

	svc = open_as("os1");
	ck_assert_str_eq(service_me(svc)->department_name,
	    "Bộ phận Tiếp nhận và Trả kết quả UBND thành phố Sơn La");
	ck_assert_int_eq(service_set_catalog(svc, cat2, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_eq(service_catalog(svc), cat2);
	ck_assert_str_eq(service_me(svc)->department_name, "Bộ phận Một cửa thành phố Sơn La");
	ck_assert_str_eq(service_me(svc)->unit_name, "Thành phố Sơn La");

	/* An intake begun before the switch: its calls use its catalog. */
	service_intake_catalog(svc, cat);
	ck_assert_uint_eq(service_search_procedures(svc, "2.000815", found, 4), 1);
	ck_assert_ptr_eq(found[0], p1);
	fixture_now("2015-03-11 08:00");
	ck_assert_int_eq(service_intake_due(svc, "2.000815", 0, &due, &cause), 0);
	old_code = receive(svc, "2015-03-11 08:00", "2.000815", "Lường Văn Cũ", "014085000020",
	    false);
	/* New work: the current catalog. */
	service_intake_catalog(svc, NULL);
	ck_assert_uint_eq(service_search_procedures(svc, "2.000815", found, 4), 1);
	ck_assert_ptr_eq(found[0], p2);
	new_code = receive(svc, "2015-03-11 08:05", "2.000815", "Lường Văn Mới", "014085000021",
	    false);
	d = service_dossier(svc, old_code, &cause);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->procedure_hash, p1->version);
	dossier_free(d);
	d = service_dossier(svc, new_code, &cause);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->procedure_hash, p2->version);
	dossier_free(d);
	free(old_code);
	free(new_code);

	/* A catalog without the officer's unit is refused; the service keeps its own. */
	mc = open_as("mcos");
	check_cause(service_set_catalog(mc, min, &cause), &cause,
	    "Đơn vị MCH của tài khoản không có trong danh mục mới");
	ck_assert_ptr_eq(service_catalog(mc), cat);
	service_close(mc);

	/* A monitor's scope is the units of the new catalog (catalog-min: no Mộc Châu). */
	fixture_now("2015-03-10 09:00");
	mon = open_as("mon");
	ck_assert_int_eq(service_dashboard(mon, 0, &db, &cause), 0);
	before = db.received_today;
	service_dashboard_free(&db);
	ck_assert_int_eq(service_set_catalog(mon, min, &cause), 0);
	ck_assert_str_eq(service_me(mon)->unit_name, "Tỉnh Sơn La");
	ck_assert_int_eq(service_dashboard(mon, 0, &db, &cause), 0);
	ck_assert_int_eq(db.received_today, before - 1);	/* H, received at Mộc Châu */
	service_dashboard_free(&db);
	service_close(mon);

	service_close(svc);
	catalog_free(min);
	catalog_free(cat2);
	cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}
END_TEST

/* The suite. */
static Suite *
service_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("service");
	tc = tcase_create("service");
	tcase_add_unchecked_fixture(tc, build, unbuild);
	tcase_add_checked_fixture(tc, at_nine, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_now);
	tcase_add_test(tc, test_dashboard);
	tcase_add_test(tc, test_queues);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_dossier_actions);
	tcase_add_test(tc, test_intake);
	tcase_add_test(tc, test_drafts_and_last);
	tcase_add_test(tc, test_alerts);
	tcase_add_test(tc, test_demo);
	tcase_add_test(tc, test_switch);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(service_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
