/* check_report.c: tests of the period report, its periods, scope, the book and the seed. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "report.h"
#include "seed.h"
#include "store.h"
#include "xmalloc.h"

static struct catalog	*cat;
static struct store	*st;
static char		 tmpdir[64];
static char		 dbpath[128];

/* The seed store, built once for its test case. */
static char		 seed_dir[64];
static char		 seed_path[128];
static struct seed_tally seed_tally;

/* The users of the hand-made cases, by index. */
enum { OS, TP, VPDK, LEAD, MOS, MTP, MON, NUSERS };
static const struct {
	const char	*login;
	enum role	 role;
	const char	*unit;
	const char	*department;
} users[NUSERS] = {
	[OS] = { "os", ROLE_ONE_STOP, "TPSL", "mot-cua" },
	[TP] = { "tp", ROLE_OFFICER, "TPSL", "tu-phap" },
	[VPDK] = { "vpdk", ROLE_OFFICER, "TPSL", "vpdk" },
	[LEAD] = { "lead", ROLE_LEADER, "TPSL", "lanh-dao" },
	[MOS] = { "mos", ROLE_ONE_STOP, "MCH", "mot-cua" },
	[MTP] = { "mtp", ROLE_OFFICER, "MCH", "tu-phap" },
	[MON] = { "mon", ROLE_MONITOR, NULL, NULL }
};
static struct actor	actors[NUSERS];

/* A local time of the catalog's calendar. */
static int64_t
at(const char *local)
{
	int64_t	 t;
	char	*cause = NULL;

	if (calendar_parse_local(cat->calendar, local, &t, &cause) != 0)
		ck_abort_msg("%s: %s", local, cause);
	return t;
}

/* Load the bundled catalog. */
static void
load_catalog(void)
{
	struct catalog_problems	problems = { 0 };

	cat = catalog_load(TEST_CATALOG, &problems);
	if (cat == NULL)
		ck_abort_msg("catalog: %s", problems.n > 0 ? problems.items[0] : "?");
}

/* Receive a dossier as a one-stop officer; returns its code (caller frees). */
static char *
receive(int who, const char *procedure, const char *when, enum dossier_channel channel)
{
	struct dossier_intake	 in;
	char			*code = NULL, *cause = NULL, key[32];
	bool			 replay;
	static int		 n;

	memset(&in, 0, sizeof in);
	in.procedure = procedure;
	in.applicant_name = "Nguyễn Văn An";
	in.applicant_id = "012345678901";
	in.channel = channel;
	snprintf(key, sizeof key, "k-%d", ++n);
	in.idempotency_key = key;
	if (dossier_receive(st, cat, &actors[who], &in, at(when), &code, &replay, &cause) != 0)
		ck_abort_msg("receive %s at %s: %s", procedure, when, cause);
	return code;
}

/* Take an action at a local time, failing the test if it is refused. */
static void
act(int who, const char *code, enum dossier_action action, const char *when)
{
	struct dossier_args	 args;
	char			*cause = NULL;

	memset(&args, 0, sizeof args);
	args.note = "Lý do";
	if (dossier_act(st, cat->calendar, &actors[who], code, action, &args, at(when),
	    &cause) != 0)
		ck_abort_msg("%s %s at %s: %s", code, dossier_action_name(action), when, cause);
}

/* Take a dossier of 2.000913 (4 steps) to its last processing step and resolve it. */
static void
resolve4(const char *code, const char *when)
{
	act(OS, code, ACTION_HANDOVER, when);
	act(TP, code, ACTION_HANDOVER, when);
	act(TP, code, ACTION_RESOLVE, when);
}

/* Resolve a dossier of three steps whose middle one belongs to the officer who. */
static void
resolve3(int counter, int who, const char *code, const char *when)
{
	act(counter, code, ACTION_HANDOVER, when);
	act(who, code, ACTION_RESOLVE, when);
}

/*
 * The hand-made cases (TPSL unless said; 2.000913 takes 2 working days, 2.000815 and
 * 1.003596 the same day):
 *   A 27/05 resolved 28/05 (early, before June)   B 28/05 resolved 01/06 on time, returned
 *   C 29/05 resolved 03/06 late                   M 15/04 open, overdue since 17/04
 *   D 01/06 resolved 02/06 early                  E 02/06 post, same day, on time
 *   F 03/06 online, withdrawn                     G 04/06 refused by the leader
 *   H 05/06 supplement, back, supplement again (paused before its due date)
 *   I 10/06 open, overdue                         J 29/06 open, within time
 *   K 11/06 refused at intake (not received)      N 15/06 15:30 same day, resolved early
 *   O 16/06 stopped                               P 17/06 mortgage, on time
 *   R 01/06 06:45 (30/05 in UTC) withdrawn        Q 01/07 06:30 (30/06 in UTC), open
 *   L MCH 01/06, resolved on time
 */
static void
setup(void)
{
	struct store_user	 u;
	struct dossier_intake	 in;
	char			*cause = NULL, *code;
	bool			 replay;
	size_t			 i;
	int64_t			 id;

	load_catalog();
	snprintf(tmpdir, sizeof tmpdir, "/tmp/check_report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/motcua.db", tmpdir);
	if ((st = store_open(dbpath, &cause)) == NULL)
		ck_abort_msg("store_open: %s", cause);
	for (i = 0; i < NUSERS; i++) {
		memset(&u, 0, sizeof u);
		u.login = (char *)users[i].login;
		u.full_name = (char *)"Cán bộ";
		u.role = users[i].role;
		u.unit = (char *)users[i].unit;
		u.department = (char *)users[i].department;
		if (store_user_add(st, &u, at("2015-01-05 08:00"), &id, &cause) != 0)
			ck_abort_msg("user: %s", cause);
		actors[i].user_id = id;
		actors[i].role = users[i].role;
		actors[i].unit = users[i].unit;
		actors[i].department = users[i].department;
	}

	code = receive(OS, "2.000913", "2015-04-15 08:00", CHANNEL_COUNTER);	/* M */
	act(OS, code, ACTION_HANDOVER, "2015-04-15 09:00");
	free(code);
	code = receive(OS, "2.000913", "2015-05-27 08:00", CHANNEL_COUNTER);	/* A */
	resolve4(code, "2015-05-28 10:00");
	free(code);
	code = receive(OS, "2.000913", "2015-05-28 09:00", CHANNEL_COUNTER);	/* B */
	resolve4(code, "2015-06-01 08:30");
	act(OS, code, ACTION_RETURN, "2015-06-01 15:00");
	free(code);
	code = receive(OS, "2.000913", "2015-05-29 10:00", CHANNEL_COUNTER);	/* C */
	resolve4(code, "2015-06-03 09:00");
	free(code);
	code = receive(OS, "2.000815", "2015-06-01 06:45", CHANNEL_COUNTER);	/* R */
	act(OS, code, ACTION_WITHDRAW, "2015-06-01 08:00");
	free(code);
	code = receive(OS, "2.000913", "2015-06-01 08:00", CHANNEL_COUNTER);	/* D */
	resolve4(code, "2015-06-02 14:00");
	free(code);
	code = receive(MOS, "2.000815", "2015-06-01 09:00", CHANNEL_COUNTER);	/* L */
	resolve3(MOS, MTP, code, "2015-06-01 11:00");
	free(code);
	code = receive(OS, "2.000815", "2015-06-02 08:00", CHANNEL_POST);	/* E */
	resolve3(OS, TP, code, "2015-06-02 10:00");
	free(code);
	code = receive(OS, "2.000913", "2015-06-03 08:00", CHANNEL_ONLINE);	/* F */
	act(OS, code, ACTION_WITHDRAW, "2015-06-03 10:00");
	free(code);
	code = receive(OS, "2.000913", "2015-06-04 08:00", CHANNEL_COUNTER);	/* G */
	act(LEAD, code, ACTION_REFUSE, "2015-06-04 10:00");
	free(code);
	code = receive(OS, "2.000913", "2015-06-05 08:00", CHANNEL_COUNTER);	/* H */
	act(OS, code, ACTION_HANDOVER, "2015-06-05 09:00");
	act(TP, code, ACTION_REQUEST_SUPPLEMENT, "2015-06-05 10:00");
	act(OS, code, ACTION_RECEIVE_SUPPLEMENT, "2015-06-08 08:00");
	act(TP, code, ACTION_REQUEST_SUPPLEMENT, "2015-06-08 09:00");
	free(code);
	code = receive(OS, "2.000913", "2015-06-10 08:00", CHANNEL_COUNTER);	/* I */
	act(OS, code, ACTION_HANDOVER, "2015-06-10 09:00");
	free(code);

	memset(&in, 0, sizeof in);						/* K */
	in.procedure = "2.000913";
	in.applicant_name = "Trần Thị Bình";
	in.applicant_id = "012345678902";
	in.idempotency_key = "k-refused";
	in.note = "Không thuộc thẩm quyền";
	if (dossier_refuse_intake(st, cat, &actors[OS], &in, at("2015-06-11 08:00"), &code,
	    &replay, &cause) != 0)
		ck_abort_msg("refuse at intake: %s", cause);
	free(code);

	code = receive(OS, "2.000815", "2015-06-15 15:30", CHANNEL_COUNTER);	/* N */
	resolve3(OS, TP, code, "2015-06-15 16:30");
	free(code);
	code = receive(OS, "2.000913", "2015-06-16 08:00", CHANNEL_COUNTER);	/* O */
	act(LEAD, code, ACTION_STOP, "2015-06-16 10:00");
	free(code);
	code = receive(OS, "1.003596", "2015-06-17 08:00", CHANNEL_COUNTER);	/* P */
	resolve3(OS, VPDK, code, "2015-06-17 16:00");
	free(code);
	code = receive(OS, "2.000913", "2015-06-29 08:00", CHANNEL_COUNTER);	/* J */
	free(code);
	code = receive(OS, "2.000913", "2015-07-01 06:30", CHANNEL_COUNTER);	/* Q */
	free(code);
}

/* Close the store and remove the temporary directory. */
static void
teardown(void)
{
	char	*command;

	store_close(st);
	st = NULL;
	catalog_free(cat);
	cat = NULL;
	command = xasprintf("rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(command), 0);
	free(command);
}

/* Build a report or fail the test. */
static struct report *
build(int who, const char *period, enum report_group group, const char *const *units,
    size_t nunits, const char *field, const char *procedure)
{
	struct report_query	 q;
	struct report		*r = NULL;
	char			*cause = NULL;

	memset(&q, 0, sizeof q);
	if (report_period_parse(cat, period, &q.from, &q.to, &cause) != 0)
		ck_abort_msg("period %s: %s", period, cause);
	q.group = group;
	q.units = units;
	q.nunits = nunits;
	q.field = field;
	q.procedure = procedure;
	if (report_build(st, cat, &actors[who], &q, &r, &cause) != 0)
		ck_abort_msg("report: %s", cause);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->from, q.from);
	ck_assert_int_eq(r->to, q.to);
	return r;
}

/* Check that a report is refused with exactly this message. */
static void
refused(int who, const char *const *units, size_t nunits, const char *field,
    const char *procedure, const char *want)
{
	struct report_query	 q;
	struct report		*r = NULL;
	char			*cause = NULL;

	memset(&q, 0, sizeof q);
	q.from = at("2015-06-01 00:00");
	q.to = at("2015-07-01 00:00");
	q.group = REPORT_BY_UNIT;
	q.units = units;
	q.nunits = nunits;
	q.field = field;
	q.procedure = procedure;
	ck_assert_int_eq(report_build(st, cat, &actors[who], &q, &r, &cause), -1);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, want);
	free(cause);
}

/* The figures in the order of a report's columns, to compare in one line. */
#define FIG(f) \
	(f).carried, (f).new_total, (f).new_counter, (f).new_post, (f).new_online, \
	(f).resolved_early, (f).resolved_on_time, (f).resolved_late, (f).open_within, \
	(f).open_overdue, (f).supplement, (f).withdrawn, (f).refused
#define figures_eq(f, ...)	figures_eq_at(__LINE__, &(f), __VA_ARGS__)

/* Compare all thirteen figures with the expected ones. */
static void
figures_eq_at(int line, const struct report_figures *f, int64_t carried, int64_t new_total,
    int64_t counter, int64_t post, int64_t online, int64_t early, int64_t on_time,
    int64_t late, int64_t within, int64_t overdue, int64_t supplement, int64_t withdrawn,
    int64_t refusals)
{
	int64_t	got[13] = { FIG(*f) };
	int64_t	want[13] = { carried, new_total, counter, post, online, early, on_time, late,
		    within, overdue, supplement, withdrawn, refusals };
	char	gs[256], ws[256];
	int	i, g = 0, w = 0;

	for (i = 0; i < 13; i++) {
		g += snprintf(gs + g, sizeof gs - (size_t)g, " %lld", (long long)got[i]);
		w += snprintf(ws + w, sizeof ws - (size_t)w, " %lld", (long long)want[i]);
	}
	ck_assert_msg(strcmp(gs, ws) == 0, "line %d: figures%s, expected%s", line, gs, ws);
}

/* The row of a report with a key; fails the test if there is none. */
static const struct report_row *
row(const struct report *r, const char *key)
{
	size_t	i;

	for (i = 0; i < r->nrows; i++) {
		if (strcmp(r->rows[i].key, key) == 0)
			return &r->rows[i];
	}
	ck_abort_msg("no row %s", key);
	return NULL;
}

/* The June figures of Thành phố Sơn La, as the leader and the officer see them. */
START_TEST(test_unit_june)
{
	static const char *const tpsl[] = { "TPSL" };
	struct report		*r;
	int			 who;

	for (who = TP; who <= LEAD; who++) {
		if (who == VPDK)
			continue;
		r = build(who, "2015-06", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
		ck_assert_int_eq(r->nrows, 1);
		ck_assert_str_eq(r->rows[0].key, "TPSL");
		ck_assert_str_eq(r->rows[0].label, "Thành phố Sơn La");
		figures_eq(r->rows[0].f, 3, 11, 9, 1, 1, 2, 3, 1, 2, 2, 1, 2, 1);
		figures_eq(r->total, 3, 11, 9, 1, 1, 2, 3, 1, 2, 2, 1, 2, 1);
		ck_assert_int_eq(r->group, REPORT_BY_UNIT);
		report_free(r);
	}
	r = build(LEAD, "2015-06", REPORT_BY_UNIT, tpsl, 1, NULL, NULL);
	figures_eq(r->total, 3, 11, 9, 1, 1, 2, 3, 1, 2, 2, 1, 2, 1);
	ck_assert_msg(report_on_time_rate(&r->total) > 5.0 / 6 - 1e-9 &&
	    report_on_time_rate(&r->total) < 5.0 / 6 + 1e-9, "rate %f",
	    report_on_time_rate(&r->total));
	report_free(r);

	/*
	 * Local months: Q (06:30 on 1 July, still 30 June in UTC) belongs to July; J is
	 * overdue by the end of July, H is not (paused before its due date).
	 */
	r = build(LEAD, "2015-07", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	figures_eq(r->total, 4, 1, 1, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0);
	report_free(r);
	/* A single day: 1 June, R received at 06:45 and withdrawn, D received. */
	r = build(LEAD, "2015-06-01", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	figures_eq(r->total, 3, 2, 2, 0, 0, 0, 1, 0, 2, 1, 0, 1, 0);
	report_free(r);
}
END_TEST

/* The monitor sees every unit, in catalog order, and the total adds them up. */
START_TEST(test_monitor_units)
{
	static const char *const two[] = { "MCH", "TPSL", "MCH" };
	struct report		*r;
	double			 rate;

	r = build(MON, "2015-06", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, 12);
	ck_assert_str_eq(r->rows[0].key, "TPSL");
	ck_assert_str_eq(r->rows[6].key, "MCH");
	ck_assert_str_eq(r->rows[11].key, "VH");
	figures_eq(r->rows[0].f, 3, 11, 9, 1, 1, 2, 3, 1, 2, 2, 1, 2, 1);
	figures_eq(r->rows[6].f, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	figures_eq(r->rows[1].f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	figures_eq(r->total, 3, 12, 10, 1, 1, 2, 4, 1, 2, 2, 1, 2, 1);
	rate = report_on_time_rate(&r->rows[6].f);
	ck_assert_msg(rate > 0.999999 && rate < 1.000001, "MCH rate %f", rate);
	ck_assert_msg(report_on_time_rate(&r->rows[1].f) == -1, "no resolution gives -1");
	report_free(r);

	/* Chosen units come in catalog order, each once. */
	r = build(MON, "2015-06", REPORT_BY_UNIT, two, 3, NULL, NULL);
	ck_assert_int_eq(r->nrows, 2);
	ck_assert_str_eq(r->rows[0].key, "TPSL");
	ck_assert_str_eq(r->rows[1].key, "MCH");
	figures_eq(r->total, 3, 12, 10, 1, 1, 2, 4, 1, 2, 2, 1, 2, 1);
	report_free(r);
}
END_TEST

/* By field and by procedure; and the filters. */
START_TEST(test_field_procedure)
{
	struct report	*r;

	r = build(LEAD, "2015-06", REPORT_BY_FIELD, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, cat->nfields);
	ck_assert_str_eq(r->rows[0].key, "dat-dai");
	ck_assert_str_eq(r->rows[0].label, "Đất đai");
	figures_eq(row(r, "dat-dai")->f, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	figures_eq(row(r, "chung-thuc")->f, 3, 10, 8, 1, 1, 2, 2, 1, 2, 2, 1, 2, 1);
	figures_eq(row(r, "xay-dung")->f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	figures_eq(r->total, 3, 11, 9, 1, 1, 2, 3, 1, 2, 2, 1, 2, 1);
	report_free(r);

	r = build(LEAD, "2015-06", REPORT_BY_PROCEDURE, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, cat->nprocedures);
	figures_eq(row(r, "1.003596")->f, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	figures_eq(row(r, "2.000815")->f, 0, 3, 2, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0);
	figures_eq(row(r, "2.000913")->f, 3, 7, 6, 0, 1, 1, 1, 1, 2, 2, 1, 1, 1);
	ck_assert_str_eq(row(r, "2.000913")->label,
	    "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch");
	report_free(r);

	/* A field keeps its own rows and dossiers. */
	r = build(LEAD, "2015-06", REPORT_BY_PROCEDURE, NULL, 0, "dat-dai", NULL);
	ck_assert_int_eq(r->nrows, 5);
	figures_eq(r->total, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	report_free(r);
	r = build(MON, "2015-06", REPORT_BY_FIELD, NULL, 0, NULL, "2.000815");
	ck_assert_int_eq(r->nrows, 1);
	ck_assert_str_eq(r->rows[0].key, "chung-thuc");
	figures_eq(r->total, 0, 4, 3, 1, 0, 1, 2, 0, 0, 0, 0, 1, 0);
	report_free(r);
}
END_TEST

/* By month in local time: each month is a period of its own; the total is the quarter. */
START_TEST(test_months)
{
	struct report	*r;

	r = build(OS, "2015-Q2", REPORT_BY_MONTH, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, 3);
	ck_assert_str_eq(r->rows[0].key, "2015-04");
	ck_assert_str_eq(r->rows[0].label, "04/2015");
	ck_assert_str_eq(r->rows[2].key, "2015-06");
	figures_eq(r->rows[0].f, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
	figures_eq(r->rows[1].f, 1, 3, 3, 0, 0, 1, 0, 0, 2, 1, 0, 0, 0);
	figures_eq(r->rows[2].f, 3, 11, 9, 1, 1, 2, 3, 1, 2, 2, 1, 2, 1);
	figures_eq(r->total, 0, 15, 13, 1, 1, 3, 3, 1, 2, 2, 1, 2, 1);
	report_free(r);

	/* A range cut inside months: 20 May to 10 June. */
	r = build(OS, "2015-05-20..2015-06-10", REPORT_BY_MONTH, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, 2);
	ck_assert_int_eq(r->rows[1].f.carried, 3);
	figures_eq(r->rows[0].f, 1, 3, 3, 0, 0, 1, 0, 0, 2, 1, 0, 0, 0);
	figures_eq(r->rows[1].f, 3, 7, 5, 1, 1, 1, 2, 1, 2, 1, 1, 2, 1);
	figures_eq(r->total, 1, 10, 8, 1, 1, 2, 2, 1, 2, 1, 1, 2, 1);
	report_free(r);
}
END_TEST

/* Scope: another unit is refused exactly like one that does not exist. */
START_TEST(test_scope)
{
	static const char *const mch[] = { "MCH" };
	static const char *const xyz[] = { "XYZ" };
	static const char *const both[] = { "TPSL", "MCH" };
	struct report		*r;

	refused(TP, mch, 1, NULL, NULL, "no unit MCH");
	refused(LEAD, mch, 1, NULL, NULL, "no unit MCH");
	refused(LEAD, xyz, 1, NULL, NULL, "no unit XYZ");
	refused(LEAD, both, 2, NULL, NULL, "no unit MCH");
	refused(MON, xyz, 1, NULL, NULL, "no unit XYZ");
	refused(MON, NULL, 0, "no-such", NULL, "no field no-such");
	refused(MON, NULL, 0, NULL, "9.999999", "no procedure 9.999999");

	r = build(MOS, "2015-06", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, 1);
	ck_assert_str_eq(r->rows[0].key, "MCH");
	figures_eq(r->total, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	report_free(r);
	r = build(MON, "2015-06", REPORT_BY_UNIT, mch, 1, NULL, NULL);
	figures_eq(r->total, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	report_free(r);
}
END_TEST

/* An empty or reversed period is refused. */
START_TEST(test_empty_period)
{
	struct report_query	 q;
	struct report		*r = NULL;
	char			*cause = NULL;

	memset(&q, 0, sizeof q);
	q.from = q.to = at("2015-06-01 00:00");
	ck_assert_int_eq(report_build(st, cat, &actors[MON], &q, &r, &cause), -1);
	ck_assert_str_eq(cause, "the period of the report is empty");
	free(cause);
	ck_assert_ptr_null(r);
	report_free(NULL);
}
END_TEST

/* Check one period's instants. */
#define period_eq(text, from, to)	period_eq_at(__LINE__, (text), (from), (to))
static void
period_eq_at(int line, const char *text, const char *from, const char *to)
{
	int64_t	 f = 0, t = 0;
	char	*cause = NULL;

	if (report_period_parse(cat, text, &f, &t, &cause) != 0)
		ck_abort_msg("line %d: %s: %s", line, text, cause);
	ck_assert_msg(f == at(from) && t == at(to), "line %d: %s gives %lld..%lld", line, text,
	    (long long)f, (long long)t);
}

/* Check that a period is refused. */
static void
period_bad(const char *text)
{
	int64_t	 f = 7, t = 9;
	char	*cause = NULL;

	ck_assert_msg(report_period_parse(cat, text, &f, &t, &cause) == -1, "%s accepted",
	    text);
	ck_assert_ptr_nonnull(cause);
	ck_assert_int_eq(f, 7);
	free(cause);
}

/* Periods: years, months, quarters, halves, days, ranges and errors, in local time. */
START_TEST(test_periods)
{
	int64_t	 f, t;
	char	*cause = NULL;

	load_catalog();
	ck_assert_int_eq(report_period_parse(cat, "2015", &f, &t, &cause), 0);
	ck_assert_int_eq(f, 1420045200);	/* 2014-12-31 17:00 UTC */
	ck_assert_int_eq(t, 1451581200);
	period_eq("2015", "2015-01-01 00:00", "2016-01-01 00:00");
	period_eq("2015-06", "2015-06-01 00:00", "2015-07-01 00:00");
	period_eq("2015-02", "2015-02-01 00:00", "2015-03-01 00:00");
	period_eq("2015-12", "2015-12-01 00:00", "2016-01-01 00:00");
	period_eq("2015-Q1", "2015-01-01 00:00", "2015-04-01 00:00");
	period_eq("2015-Q2", "2015-04-01 00:00", "2015-07-01 00:00");
	period_eq("2015-q3", "2015-07-01 00:00", "2015-10-01 00:00");
	period_eq("2015-Q4", "2015-10-01 00:00", "2016-01-01 00:00");
	period_eq("2015-H1", "2015-01-01 00:00", "2015-07-01 00:00");
	period_eq("2015-H2", "2015-07-01 00:00", "2016-01-01 00:00");
	period_eq("2015-06-15", "2015-06-15 00:00", "2015-06-16 00:00");
	period_eq("2016-02-29", "2016-02-29 00:00", "2016-03-01 00:00");
	period_eq("2015-01-01..2015-06-30", "2015-01-01 00:00", "2015-07-01 00:00");
	period_eq("2015-06-15..2015-06-15", "2015-06-15 00:00", "2015-06-16 00:00");
	period_eq("2015-01..2015-03", "2015-01-01 00:00", "2015-04-01 00:00");
	period_eq("2014..2015-H1", "2014-01-01 00:00", "2015-07-01 00:00");
	period_bad("");
	period_bad("15");
	period_bad("2015-6");
	period_bad("2015-00");
	period_bad("2015-13");
	period_bad("2015-Q0");
	period_bad("2015-Q5");
	period_bad("2015-H0");
	period_bad("2015-H3");
	period_bad("2015-02-29");
	period_bad("2015-06-31");
	period_bad("2015-06-15 ");
	period_bad(" 2015");
	period_bad("abcd");
	period_bad("1969");
	period_bad("2200");
	period_bad("2015..");
	period_bad("..2015");
	period_bad("2015-06-30..2015-06-01");
	period_bad("2015-06-01...2015-06-02");
	ck_assert_int_eq(report_period_parse(cat, "2015-06-30..2015-06-01", &f, &t, &cause),
	    -1);
	ck_assert_str_eq(cause, "period \"2015-06-30..2015-06-01\" ends before it starts");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(report_period_parse(cat, "2015-\x1b[2J", &f, &t, &cause), -1);
	ck_assert_ptr_null(strchr(cause, '\x1b'));
	free(cause);
	catalog_free(cat);
	cat = NULL;
}
END_TEST

/* Counts with grouped thousands, cut to the buffer; the resolved sum and the on-time rate. */
START_TEST(test_format_count)
{
	struct report_figures	f = { 0 };
	char			buf[32], small[4];

	report_format_count(0, ',', buf, sizeof buf);
	ck_assert_str_eq(buf, "0");
	report_format_count(999, ',', buf, sizeof buf);
	ck_assert_str_eq(buf, "999");
	report_format_count(5104, ',', buf, sizeof buf);
	ck_assert_str_eq(buf, "5,104");
	report_format_count(-1234567, '.', buf, sizeof buf);
	ck_assert_str_eq(buf, "-1.234.567");
	report_format_count(100000, '.', buf, sizeof buf);
	ck_assert_str_eq(buf, "100.000");
	report_format_count(5104, ',', small, sizeof small);
	ck_assert_str_eq(small, "5,1");
	ck_assert_int_eq(report_resolved(&f), 0);
	ck_assert(report_on_time_rate(&f) < 0);
	f.resolved_early = 2;
	f.resolved_on_time = 1;
	f.resolved_late = 1;
	ck_assert_int_eq(report_resolved(&f), 4);
	ck_assert(report_on_time_rate(&f) == 0.75);
}
END_TEST

/* The tracking book: the dossiers received in the period, in order, refusals excepted. */
START_TEST(test_book)
{
	struct report_book	*b = NULL;
	char			*cause = NULL;

	ck_assert_int_eq(report_book_build(st, &actors[LEAD], "TPSL", at("2015-06-01 00:00"),
	    at("2015-07-01 00:00"), 0, &b, &cause), 0);
	ck_assert_int_eq(b->nlines, 11);
	ck_assert_str_eq(b->lines[0].code, "TPSL-150601-0001");
	ck_assert_str_eq(b->lines[0].procedure_code, "2.000815");
	ck_assert_int_eq(b->lines[0].state, STATE_WITHDRAWN);
	ck_assert_int_eq(b->lines[0].received_at, at("2015-06-01 06:45"));
	ck_assert_str_eq(b->lines[1].code, "TPSL-150601-0002");
	ck_assert_int_eq(b->lines[1].due_at, at("2015-06-03 08:00"));
	ck_assert_int_eq(b->lines[1].resolved_at, at("2015-06-02 14:00"));
	ck_assert_int_eq(b->lines[1].returned_at, 0);
	ck_assert_str_eq(b->lines[1].applicant_name, "Nguyễn Văn An");
	ck_assert_str_eq(b->lines[1].unit, "TPSL");
	ck_assert_str_eq(b->lines[10].code, "TPSL-150629-0001");
	report_book_free(b);
	b = NULL;

	/* B, received in May, was returned on 1 June. */
	ck_assert_int_eq(report_book_build(st, &actors[LEAD], "TPSL", at("2015-05-28 00:00"),
	    at("2015-05-29 00:00"), 0, &b, &cause), 0);
	ck_assert_int_eq(b->nlines, 1);
	ck_assert_int_eq(b->lines[0].state, STATE_RETURNED);
	ck_assert_int_eq(b->lines[0].returned_at, at("2015-06-01 15:00"));
	report_book_free(b);
	b = NULL;

	ck_assert_int_eq(report_book_build(st, &actors[MON], "TPSL", at("2015-06-01 00:00"),
	    at("2015-07-01 00:00"), 3, &b, &cause), 0);
	ck_assert_int_eq(b->nlines, 3);
	report_book_free(b);
	b = NULL;

	ck_assert_int_eq(report_book_build(st, &actors[TP], "MCH", at("2015-06-01 00:00"),
	    at("2015-07-01 00:00"), 0, &b, &cause), -1);
	ck_assert_str_eq(cause, "no unit MCH");
	ck_assert_ptr_null(b);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(report_book_build(st, &actors[MON], "TPSL", at("2015-06-01 00:00"),
	    at("2015-06-01 00:00"), 0, &b, &cause), -1);
	free(cause);
	report_book_free(NULL);
}
END_TEST

/* Build the seed store once for its test case. */
static void
seed_setup(void)
{
	char	*cause = NULL;

	load_catalog();
	snprintf(seed_dir, sizeof seed_dir, "/tmp/check_report_seed.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(seed_dir));
	snprintf(seed_path, sizeof seed_path, "%s/seed.db", seed_dir);
	if ((st = store_open(seed_path, &cause)) == NULL)
		ck_abort_msg("store_open: %s", cause);
	if (store_set_bulk(st, true, &cause) != 0 ||
	    seed_fill(st, cat, &seed_tally, &cause) != 0 ||
	    store_set_bulk(st, false, &cause) != 0)
		ck_abort_msg("seed: %s", cause);
	actors[MON].user_id = 1;
	actors[MON].role = ROLE_MONITOR;
	actors[MON].unit = actors[MON].department = NULL;
	actors[LEAD].user_id = 1;
	actors[LEAD].role = ROLE_LEADER;
	actors[LEAD].unit = "TPSL";
	actors[LEAD].department = "lanh-dao";
	actors[MOS].user_id = 1;
	actors[MOS].role = ROLE_LEADER;
	actors[MOS].unit = "MCH";
	actors[MOS].department = "lanh-dao";
}

/* Remove the seed store. */
static void
seed_teardown(void)
{
	char	*command;

	store_close(st);
	st = NULL;
	catalog_free(cat);
	cat = NULL;
	command = xasprintf("rm -rf '%s'", seed_dir);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", seed_dir);
	free(command);
}

/* The seed's breakdown, exactly as the province printed it. */
START_TEST(test_seed_breakdown)
{
	static const char *const fields[] = { "dat-dai", "xay-dung", "kinh-doanh", "ho-tich",
	    "chung-thuc" };
	static const int64_t	 field_new[] = { 2749, 190, 462, 19, 1684 };
	const struct report_figures *t;
	struct report		*r;
	size_t			 i;
	int64_t			 land_transfer = 0;

	ck_assert_int_eq(seed_tally.received, SEED_TOTAL);
	ck_assert_int_eq(seed_tally.refused_at_intake, SEED_REFUSED_AT_INTAKE);

	r = build(LEAD, "2015-H1", REPORT_BY_FIELD, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->total.new_total, 5104);
	ck_assert_int_eq(r->nrows, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(r->rows[i].key, fields[i]);
		ck_assert_int_eq(r->rows[i].f.new_total, field_new[i]);
	}
	/* Justice: civil status and certification together. */
	ck_assert_int_eq(row(r, "ho-tich")->f.new_total + row(r, "chung-thuc")->f.new_total,
	    1703);
	report_free(r);

	r = build(LEAD, "2015-H1", REPORT_BY_PROCEDURE, NULL, 0, NULL, NULL);
	for (i = 0; i < seed_nprocedures; i++)
		ck_assert_int_eq(row(r, seed_procedures[i].code)->f.new_total,
		    seed_procedures[i].count);
	for (i = 0; i < r->nrows; i++) {
		if (strcmp(r->rows[i].key, "1.003596") != 0 &&
		    strncmp(r->rows[i].key, "1.004", 5) == 0)
			land_transfer += r->rows[i].f.new_total;
	}
	ck_assert_int_eq(land_transfer, 1567);
	ck_assert_int_eq(row(r, "1.003596")->f.new_total, 1182);
	report_free(r);

	/* Every figure agrees with what the generator did. */
	r = build(MON, "2015-H1", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, 12);
	t = &row(r, "TPSL")->f;
	ck_assert_int_eq(t->carried, 0);
	ck_assert_int_eq(t->new_total, SEED_TOTAL);
	ck_assert_int_eq(t->new_counter, seed_tally.counter);
	ck_assert_int_eq(t->new_post, seed_tally.post);
	ck_assert_int_eq(t->new_online, seed_tally.online);
	ck_assert_int_eq(t->resolved_early, seed_tally.resolved_early);
	ck_assert_int_eq(t->resolved_on_time, seed_tally.resolved_on_time);
	ck_assert_int_eq(t->resolved_late, seed_tally.resolved_late);
	ck_assert_int_eq(t->open_within + t->open_overdue, seed_tally.open);
	ck_assert_int_eq(t->supplement, seed_tally.supplement);
	ck_assert_int_eq(t->withdrawn, seed_tally.withdrawn);
	ck_assert_int_eq(t->refused, seed_tally.refused);
	ck_assert_int_eq(t->new_total, t->resolved_early + t->resolved_on_time +
	    t->resolved_late + t->open_within + t->open_overdue + t->withdrawn + t->refused +
	    seed_tally.stopped);
	/* A realistic mix: every outcome happens. */
	ck_assert_int_gt(t->resolved_early, 0);
	ck_assert_int_gt(t->resolved_on_time, 0);
	ck_assert_int_gt(t->resolved_late, 0);
	ck_assert_int_gt(t->open_within, 0);
	ck_assert_int_gt(t->open_overdue, 0);
	ck_assert_int_gt(t->supplement, 0);
	ck_assert_int_gt(t->withdrawn, 0);
	ck_assert_int_gt(t->refused, 0);
	ck_assert_int_gt(t->new_post, 0);
	ck_assert_int_gt(t->new_online, 0);
	ck_assert_int_gt(seed_tally.returned, 0);
	ck_assert_int_gt(seed_tally.financial, 0);
	ck_assert_int_gt(seed_tally.apologies, 0);
	figures_eq(row(r, "MCH")->f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	figures_eq(r->total, FIG(*t));
	report_free(r);
}
END_TEST

/* The seed by month: six local months that chain into each other and add up to the half. */
START_TEST(test_seed_months)
{
	struct report	*r, *h;
	int64_t		 sum_new = 0, sum_resolved = 0;
	size_t		 i;

	h = build(LEAD, "2015-H1", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	r = build(LEAD, "2015-H1", REPORT_BY_MONTH, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->nrows, 6);
	ck_assert_str_eq(r->rows[0].key, "2015-01");
	ck_assert_str_eq(r->rows[5].key, "2015-06");
	ck_assert_int_eq(r->rows[0].f.carried, 0);
	for (i = 0; i < r->nrows; i++) {
		sum_new += r->rows[i].f.new_total;
		sum_resolved += r->rows[i].f.resolved_early + r->rows[i].f.resolved_on_time +
		    r->rows[i].f.resolved_late;
		ck_assert_int_gt(r->rows[i].f.new_total, 500);
		if (i > 0)
			ck_assert_int_eq(r->rows[i].f.carried, r->rows[i - 1].f.open_within +
			    r->rows[i - 1].f.open_overdue);
	}
	ck_assert_int_eq(sum_new, 5104);
	ck_assert_int_eq(sum_resolved, h->total.resolved_early + h->total.resolved_on_time +
	    h->total.resolved_late);
	ck_assert_int_eq(r->rows[5].f.open_within, h->total.open_within);
	ck_assert_int_eq(r->rows[5].f.open_overdue, h->total.open_overdue);
	figures_eq(r->total, FIG(h->total));
	report_free(r);

	/* The year holds nothing more; another unit's leader sees nothing of it. */
	r = build(LEAD, "2015", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->total.new_total, 5104);
	report_free(r);
	r = build(MOS, "2015", REPORT_BY_UNIT, NULL, 0, NULL, NULL);
	ck_assert_int_eq(r->total.new_total, 0);
	report_free(r);
	report_free(h);
}
END_TEST

/* The report suite. */
static Suite *
report_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("report");
	tc = tcase_create("figures");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_unit_june);
	tcase_add_test(tc, test_monitor_units);
	tcase_add_test(tc, test_field_procedure);
	tcase_add_test(tc, test_months);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_empty_period);
	tcase_add_test(tc, test_book);
	suite_add_tcase(s, tc);

	tc = tcase_create("periods");
	tcase_add_test(tc, test_periods);
	tcase_add_test(tc, test_format_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("seed");
	tcase_add_unchecked_fixture(tc, seed_setup, seed_teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_seed_breakdown);
	tcase_add_test(tc, test_seed_months);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; non-zero on failure. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
