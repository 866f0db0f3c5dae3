/* check_public.c: tests of the public lookup, its bound on misses and the public board. */
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
#include "public.h"
#include "report.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

static char		 tmpdir[64];
static char		 dbpath[128];
static struct catalog	*cat;

/* The dossiers of the fixture (see build). */
enum { A, E, F, G, N, Y, H, R, NDOSSIERS };
static char		*codes[NDOSSIERS];

static const struct fixture_user users[] = {
	{ "os1", "Lò Thị Hoa", ROLE_ONE_STOP, "TPSL", "mot-cua", false },
	{ "tp1", "Nguyễn Thị Thu Hằng", ROLE_OFFICER, "TPSL", "tu-phap", false },
	{ "lead", "Trần Quốc Hưng", ROLE_LEADER, "TPSL", "lanh-dao", false },
	{ "mcos", "Hà Thị Nhung", ROLE_ONE_STOP, "MCH", "mot-cua", false }
};

/* The lines a public service logged, joined. */
static char	logged[4096];
static int	nlogged;

/* A local time of the catalog's calendar. */
static int64_t
at(const char *local)
{
	return fixture_at(cat, local);
}

/* Open the officers' service for a login. */
static struct service *
open_as(const char *login)
{
	return fixture_open_as(dbpath, cat, login);
}

/* Carry a dossier of 2.000913 to resolved: hand over, assign, hand over, resolve. */
static void
resolve(struct service *os1, struct service *lead, struct service *tp1, const char *code,
    const char *day, const char *next_day)
{
	char	when[32];

	snprintf(when, sizeof when, "%s 09:30", day);
	fixture_act(os1, when, code, ACTION_HANDOVER, 0, NULL);
	snprintf(when, sizeof when, "%s 10:00", day);
	fixture_act(lead, when, code, ACTION_ASSIGN, 2, NULL);
	snprintf(when, sizeof when, "%s 14:00", day);
	fixture_act(tp1, when, code, ACTION_HANDOVER, 0, NULL);
	snprintf(when, sizeof when, "%s 08:00", next_day);
	fixture_act(tp1, when, code, ACTION_RESOLVE, 0, NULL);
}

/* Build the store once: dossiers in known states, with and without phones. */
static void
build(void)
{
	struct service	*os1, *tp1, *lead, *mcos;

	cat = fixture_catalog();
	fixture_dir("check_public", tmpdir, sizeof tmpdir, dbpath, sizeof dbpath);
	fixture_users(dbpath, users, sizeof users / sizeof users[0],
	    at("2015-01-01 08:00"));

	os1 = open_as("os1");
	tp1 = open_as("tp1");
	lead = open_as("lead");
	mcos = open_as("mcos");
	/* Y: January, resolved late (due 07/01 08:00, resolved 08/01). */
	codes[Y] = fixture_receive(os1, "2015-01-05 08:00", "2.000913", "Lường Văn Yên",
	    "014085000010", "0900000010", false);
	resolve(os1, lead, tp1, codes[Y], "2015-01-05", "2015-01-08");
	/* A: March, handed over to tu-phap, overdue on 10/03. */
	codes[A] = fixture_receive(os1, "2015-03-02 08:00", "2.000913", "Nguyễn Văn Đức",
	    "014085000001", "0912345678", false);
	fixture_act(os1, "2015-03-02 10:00", codes[A], ACTION_HANDOVER, 0, NULL);
	/* E: waiting for a supplement. */
	codes[E] = fixture_receive(os1, "2015-03-05 09:00", "2.000913", "Phạm Văn Bình",
	    "014080000005", "0987654321", false);
	fixture_act(os1, "2015-03-05 10:00", codes[E], ACTION_HANDOVER, 0, NULL);
	fixture_act(tp1, "2015-03-05 11:00", codes[E], ACTION_ASSIGN, 0, NULL);
	fixture_act(tp1, "2015-03-05 14:00", codes[E], ACTION_REQUEST_SUPPLEMENT, 0,
	    "Thiếu bản chính hợp đồng");
	/* F: resolved early; G: resolved early and returned. */
	codes[F] = fixture_receive(os1, "2015-03-02 09:00", "2.000913", "Quàng Thị Mai",
	    "014175000006", "0911110000", false);
	resolve(os1, lead, tp1, codes[F], "2015-03-02", "2015-03-03");
	codes[G] = fixture_receive(os1, "2015-03-02 09:10", "2.000913", "Hà Văn Sơn",
	    "014070000007", "0911112222", false);
	resolve(os1, lead, tp1, codes[G], "2015-03-02", "2015-03-03");
	fixture_act(os1, "2015-03-04 08:00", codes[G], ACTION_RETURN, 0, NULL);
	/* N: no phone. */
	codes[N] = fixture_receive(os1, "2015-03-09 14:00", "2.000913", "Lò Thị Hương",
	    "014185000002", "", false);
	/* H: Mộc Châu. */
	codes[H] = fixture_receive(mcos, "2015-03-10 08:30", "2.000815", "Cầm Thị Giang",
	    "014085000008", "0977000008", false);
	/* R: refused at intake (not received). */
	codes[R] = fixture_receive(os1, "2015-03-10 08:15", "2.000913", "Điêu Chính Tâm",
	    "014085000009", "0977000009", true);
	service_close(os1);
	service_close(tp1);
	service_close(lead);
	service_close(mcos);
	fixture_now("2015-03-10 09:00");
}

/* Remove the store. */
static void
unbuild(void)
{
	size_t	i;

	for (i = 0; i < NDOSSIERS; i++)
		free(codes[i]);
	fixture_dir_remove(tmpdir, dbpath);
	catalog_free(cat);
}

/* Each test starts at the same instant with nothing logged. */
static void
at_nine(void)
{
	fixture_now("2015-03-10 09:00");
	logged[0] = '\0';
	nlogged = 0;
}

/* Look up with the core, failing the test on a store error. */
static struct public_dossier *
lookup(const char *code, const char *digits, int want)
{
	struct store		*st;
	struct public_dossier	*p = NULL;
	char			*cause = NULL;
	int			 ret;

	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	ret = public_lookup(st, cat, code, digits, &p, &cause);
	ck_assert_msg(ret == want, "lookup %s %s: %d, not %d", code, digits, ret, want);
	if (ret == 0)
		ck_assert_ptr_null(p);
	else
		ck_assert_ptr_nonnull(p);
	store_close(st);
	return p;
}

/* Format an instant as on a receipt. */
static const char *
receipt(int64_t t)
{
	static char	buf[32];

	calendar_format_receipt(cat->calendar, t, buf, sizeof buf);
	return buf;
}

START_TEST(test_lookup_found)
{
	struct public_dossier	*p;
	char			*lower, *c;

	p = lookup(codes[A], "5678", 1);
	ck_assert_str_eq(p->code, codes[A]);
	ck_assert_str_eq(p->procedure_code, "2.000913");
	ck_assert_str_eq(p->procedure_name,
	    "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch");
	ck_assert_str_eq(p->unit_name, "Thành phố Sơn La");
	ck_assert_int_eq(p->state, STATE_PROCESSING);
	ck_assert_str_eq(dossier_state_label(p->state), "Đang xử lý");
	ck_assert_str_eq(receipt(p->received_at), "08:00 02/03/2015");
	ck_assert_str_eq(receipt(p->appointment_at), "08:00 04/03/2015");
	ck_assert_int_eq(p->finished_at, 0);
	ck_assert_str_eq(p->step_name, "Kiểm tra hồ sơ, các bên ký văn bản, ghi lời chứng");
	ck_assert_str_eq(p->department_name, "Phòng Tư pháp");
	public_dossier_free(p);

	/* Any case, blanks around. */
	lower = xasprintf("  %s ", codes[A]);
	for (c = lower; *c != '\0'; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = *c - 'A' + 'a';
	}
	p = lookup(lower, "5678", 1);
	ck_assert_str_eq(p->code, codes[A]);
	public_dossier_free(p);
	free(lower);

	/* Waiting for a supplement: still at its step, with the hint for the citizen. */
	p = lookup(codes[E], "4321", 1);
	ck_assert_int_eq(p->state, STATE_SUPPLEMENT);
	ck_assert_str_eq(p->department_name, "Phòng Tư pháp");
	ck_assert_str_eq(public_state_hint(p->state),
	    "Hồ sơ cần bổ sung giấy tờ; xin liên hệ Bộ phận Một cửa");
	public_dossier_free(p);

	/* Resolved: waiting at the one-stop for the citizen; returned: finished, no step. */
	p = lookup(codes[F], "0000", 1);
	ck_assert_int_eq(p->state, STATE_RESOLVED);
	ck_assert_str_eq(receipt(p->finished_at), "08:00 03/03/2015");
	ck_assert_str_eq(p->step_name, "Thu lệ phí, trả kết quả");
	ck_assert_str_eq(p->department_name,
	    "Bộ phận Tiếp nhận và Trả kết quả UBND thành phố Sơn La");
	public_dossier_free(p);
	p = lookup(codes[G], "2222", 1);
	ck_assert_int_eq(p->state, STATE_RETURNED);
	ck_assert_str_eq(receipt(p->finished_at), "08:00 04/03/2015");
	ck_assert_ptr_null(p->step_name);
	ck_assert_ptr_null(p->department_name);
	public_dossier_free(p);

	/* Refused at intake: a code the citizen holds (Mẫu 03). */
	p = lookup(codes[R], "0009", 1);
	ck_assert_int_eq(p->state, STATE_REFUSED);
	ck_assert_ptr_null(p->step_name);
	public_dossier_free(p);
	p = lookup(codes[H], "0008", 1);
	ck_assert_str_eq(p->unit_name, "Huyện Mộc Châu");
	public_dossier_free(p);
	ck_assert_str_eq(public_state_hint(0), "");
	ck_assert_str_eq(public_state_hint(STATE_MAX + 1), "");
}
END_TEST

START_TEST(test_lookup_miss)
{
	char	*other;

	/* Wrong digits, the digits of another dossier, and a code that does not exist. */
	lookup(codes[A], "5679", 0);
	lookup(codes[A], "4321", 0);
	lookup(codes[A], "1234", 0);
	other = xstrdup(codes[A]);
	other[strlen(other) - 1] = other[strlen(other) - 1] == '9' ? '8' : '9';
	lookup(other, "5678", 0);
	free(other);
	lookup("TPSL-991231-0001", "5678", 0);
	/* Digits of the wrong form, and codes that cannot be codes. */
	lookup(codes[A], "567", 0);
	lookup(codes[A], "45678", 0);
	lookup(codes[A], "56a8", 0);
	lookup(codes[A], "", 0);
	lookup(codes[A], NULL, 0);
	lookup("", "5678", 0);
	lookup(NULL, "5678", 0);
	lookup("TPSL-150302-0001' OR 1=1 --", "5678", 0);
	lookup("TPSL-150302-00011111111111111111111111111111", "5678", 0);
	/* A dossier without a phone is never found this way. */
	lookup(codes[N], "", 0);
	lookup(codes[N], "0000", 0);
}
END_TEST

START_TEST(test_limit)
{
	struct public_limit	l;
	int			i, want[] = { 2, 4, 8, 16, 32, 60, 60, 60 };

	memset(&l, 0, sizeof l);
	for (i = 0; i < PUBLIC_MISSES_FREE; i++) {
		ck_assert_int_eq(public_limit_wait(&l, 1000), 0);
		public_limit_miss(&l, 1000);
	}
	/* After five misses each attempt waits longer after the last miss. */
	for (i = 0; i < 8; i++) {
		ck_assert_int_eq(public_limit_wait(&l, l.last_miss), want[i]);
		ck_assert_int_eq(public_limit_wait(&l, l.last_miss + 1), want[i]);
		ck_assert_int_eq(public_limit_wait(&l, l.last_miss + want[i] * 1000 - 1), 1);
		ck_assert_int_eq(public_limit_wait(&l, l.last_miss + want[i] * 1000), 0);
		public_limit_miss(&l, l.last_miss + want[i] * 1000);
	}
	ck_assert_int_eq(l.misses, 13);
	while (l.misses < PUBLIC_MISSES_MAX - 1)
		public_limit_miss(&l, l.last_miss + 60000);
	ck_assert_int_eq(public_limit_wait(&l, l.last_miss + 60000), 0);
	public_limit_miss(&l, l.last_miss + 60000);
	/* The twentieth miss ends it, however long one waits. */
	ck_assert_int_eq(public_limit_wait(&l, l.last_miss + 3600000), -1);
	public_limit_miss(&l, l.last_miss + 1);
	ck_assert_int_eq(l.misses, PUBLIC_MISSES_MAX);
}
END_TEST

/* Keep what the public service logs. */
static void
keep_log(void *arg, const char *line)
{
	ck_assert_ptr_eq(arg, logged);
	strncat(logged, line, sizeof logged - strlen(logged) - 2);
	strcat(logged, "\n");
	nlogged++;
}

START_TEST(test_service_lookup)
{
	struct service_public	*pub;
	struct public_dossier	*p;
	char			*cause = NULL;
	int			 wait, i;

	ck_assert_ptr_null(service_open_public("/nonexistent/dir/motcua.db", cat, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "Không mở được cơ sở dữ liệu"));
	free(cause);
	cause = NULL;

	pub = service_open_public(dbpath, cat, &cause);
	ck_assert_ptr_nonnull(pub);
	ck_assert_ptr_eq(service_public_catalog(pub), cat);
	service_public_set_log(pub, keep_log, logged);
	ck_assert_int_eq(service_public_lookup(pub, codes[A], "5678", &p, &wait, &cause),
	    SERVICE_LOOKUP_FOUND);
	ck_assert_str_eq(p->code, codes[A]);
	public_dossier_free(p);
	ck_assert_int_eq(nlogged, 0);
	/* Four misses of both kinds get the same answer; a hit still works after them. */
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(service_public_lookup(pub, i % 2 ? codes[A] : "TPSL-991231-0001",
		    "9999", &p, &wait, &cause), SERVICE_LOOKUP_MISS);
		ck_assert_ptr_null(p);
		ck_assert_int_eq(wait, 0);
	}
	ck_assert_int_eq(service_public_lookup(pub, codes[E], "4321", &p, &wait, &cause),
	    SERVICE_LOOKUP_FOUND);
	public_dossier_free(p);
	ck_assert_int_eq(service_public_lookup(pub, codes[E], "4320", &p, &wait, &cause),
	    SERVICE_LOOKUP_MISS);
	/* The sixth attempt waits, right code and digits or not, and is not a miss. */
	ck_assert_int_eq(service_public_lookup(pub, codes[A], "5678", &p, &wait, &cause),
	    SERVICE_LOOKUP_WAIT);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(wait, 2);
	ck_assert_int_eq(nlogged, 5);
	ck_assert_ptr_nonnull(strstr(logged, "public lookup: miss 1 of 20 for code "
	    "\"TPSL-991231-0001\"\n"));
	ck_assert_ptr_nonnull(strstr(logged, "miss 5 of 20"));
	/* Never the digits. */
	ck_assert_ptr_null(strstr(logged, "9999"));
	ck_assert_ptr_null(strstr(logged, "4320"));
	service_close_public(pub);
	service_close_public(NULL);
}
END_TEST

/* Check the board's figures of one period. */
static void
check_figures(const struct public_figures *f, int64_t received, int64_t on_time,
    int64_t late, int64_t overdue, int64_t supplement)
{
	ck_assert_int_eq(f->received, received);
	ck_assert_int_eq(f->on_time, on_time);
	ck_assert_int_eq(f->late, late);
	ck_assert_int_eq(f->overdue, overdue);
	ck_assert_int_eq(f->supplement, supplement);
}

/* The report by unit of [from, to) for a reader of every unit. */
static struct report *
report_of(int64_t from, int64_t to)
{
	struct report_query	 q;
	struct actor		 reader;
	struct store		*st;
	struct report		*r = NULL;
	char			*cause = NULL;

	memset(&reader, 0, sizeof reader);
	reader.role = ROLE_MONITOR;
	memset(&q, 0, sizeof q);
	q.from = from;
	q.to = to;
	q.group = REPORT_BY_UNIT;
	st = store_open(dbpath, &cause);
	if (report_build(st, cat, &reader, &q, &r, &cause) != 0)
		ck_abort_msg("report: %s", cause);
	store_close(st);
	return r;
}

/* The board's figures of a unit equal the report's. */
static void
check_against(const struct public_figures *f, const struct report *r, const char *unit)
{
	const struct report_figures	*rf = &r->total;
	size_t				 i;

	for (i = 0; unit != NULL && i < r->nrows; i++) {
		if (strcmp(r->rows[i].key, unit) == 0)
			rf = &r->rows[i].f;
	}
	ck_assert_int_eq(f->received, rf->new_total);
	ck_assert_int_eq(f->on_time, rf->resolved_early + rf->resolved_on_time);
	ck_assert_int_eq(f->late, rf->resolved_late);
	ck_assert_int_eq(f->overdue, rf->open_overdue);
	ck_assert_int_eq(f->supplement, rf->supplement);
}

START_TEST(test_board)
{
	struct public_board		*b = NULL;
	const struct public_board	*sb, *again;
	struct service_public		*pub;
	struct report			*month, *year;
	struct store			*st;
	char				*cause = NULL;
	int64_t				 now = at("2015-03-10 09:00");
	size_t				 i;

	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	if (public_board_build(st, cat, now, &b, &cause) != 0)
		ck_abort_msg("board: %s", cause);
	ck_assert_int_eq(b->as_of, now);
	ck_assert_int_eq(b->year, 2015);
	ck_assert_int_eq(b->month, 3);
	ck_assert_int_eq(b->month_from, at("2015-03-01 00:00"));
	ck_assert_int_eq(b->year_from, at("2015-01-01 00:00"));
	/* Every unit, in catalog order. */
	ck_assert_uint_eq(b->nrows, cat->nunits);
	ck_assert_uint_eq(b->nrows, 12);
	for (i = 0; i < b->nrows; i++)
		ck_assert_str_eq(b->rows[i].unit, cat->units[i].code);
	ck_assert_str_eq(b->rows[0].unit, "TPSL");
	ck_assert_str_eq(b->rows[0].unit_name, "Thành phố Sơn La");

	/*
	 * Sơn La: A E F G N in March (R was refused at intake), Y in January too; A is
	 * overdue, E was paused before its appointment.
	 */
	check_figures(&b->rows[0].month, 5, 2, 0, 1, 1);
	check_figures(&b->rows[0].year, 6, 2, 1, 1, 1);
	ck_assert_int_eq(public_rate(&b->rows[0].month), 1000);
	ck_assert_int_eq(public_rate(&b->rows[0].year), 667);
	for (i = 0; i < b->nrows; i++) {
		if (strcmp(b->rows[i].unit, "MCH") == 0) {
			check_figures(&b->rows[i].month, 1, 0, 0, 0, 0);
			ck_assert_int_eq(public_rate(&b->rows[i].month), -1);
		} else if (i != 0) {
			check_figures(&b->rows[i].month, 0, 0, 0, 0, 0);
			check_figures(&b->rows[i].year, 0, 0, 0, 0, 0);
		}
	}
	check_figures(&b->month_total, 6, 2, 0, 1, 1);
	check_figures(&b->year_total, 7, 2, 1, 1, 1);

	/* The same figures as the period report. */
	month = report_of(at("2015-03-01 00:00"), now);
	year = report_of(at("2015-01-01 00:00"), now);
	for (i = 0; i < b->nrows; i++) {
		check_against(&b->rows[i].month, month, b->rows[i].unit);
		check_against(&b->rows[i].year, year, b->rows[i].unit);
	}
	check_against(&b->month_total, month, NULL);
	check_against(&b->year_total, year, NULL);
	report_free(month);
	report_free(year);
	public_board_free(b);

	/* As of midnight on 1 April the month is still March. */
	if (public_board_build(st, cat, at("2015-04-01 00:00"), &b, &cause) != 0)
		ck_abort_msg("board: %s", cause);
	ck_assert_int_eq(b->month, 3);
	ck_assert_int_eq(b->month_from, at("2015-03-01 00:00"));
	public_board_free(b);
	if (public_board_build(st, cat, at("2015-04-01 00:01"), &b, &cause) != 0)
		ck_abort_msg("board: %s", cause);
	ck_assert_int_eq(b->month, 4);
	check_figures(&b->month_total, 0, 0, 0, 3, 0);	/* A, N and the Mộc Châu one */
	public_board_free(b);
	public_board_free(NULL);
	store_close(st);

	/* The public service's board is the board as of its clock, kept between calls. */
	pub = service_open_public(dbpath, cat, &cause);
	ck_assert_ptr_nonnull(pub);
	ck_assert_int_eq(service_public_board(pub, &sb, &cause), 0);
	ck_assert_int_eq(sb->as_of, now);
	check_figures(&sb->rows[0].month, 5, 2, 0, 1, 1);
	fixture_now("2015-03-11 09:00");
	ck_assert_int_eq(service_public_board(pub, &again, &cause), 0);
	ck_assert_ptr_eq(again, sb);
	ck_assert_int_eq(again->as_of, now);
	service_close_public(pub);
}
END_TEST

/* The suite. */
static Suite *
public_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("public");
	tc = tcase_create("public");
	tcase_add_unchecked_fixture(tc, build, unbuild);
	tcase_add_checked_fixture(tc, at_nine, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_lookup_found);
	tcase_add_test(tc, test_lookup_miss);
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_service_lookup);
	tcase_add_test(tc, test_board);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(public_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
