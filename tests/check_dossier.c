/* check_dossier.c: tests of the dossier lifecycle rules, intake and transitions. */
#include "config.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "fixture.h"
#include "store.h"
#include "xmalloc.h"

static char		 tmpdir[64];
static char		 dbpath[128];
static struct store	*st;
static struct catalog	*cat;

/* The users of the tests, created in this order (ids 1..). */
enum {
	OS1 = 1, OS2, OFF1, OFF2, OFFTP, LEAD, OFFDIS, MCOS, MCLEAD, MCOFF, MONITOR, ADMIN,
	NUSERS = ADMIN
};
static const struct {
	const char	*login;
	enum role	 role;
	const char	*unit;
	const char	*department;
	bool		 disabled;
} users[NUSERS + 1] = {
	[OS1] = { "os1", ROLE_ONE_STOP, "TPSL", "mot-cua", false },
	[OS2] = { "os2", ROLE_ONE_STOP, "TPSL", "mot-cua", false },
	[OFF1] = { "off1", ROLE_OFFICER, "TPSL", "tnmt", false },
	[OFF2] = { "off2", ROLE_OFFICER, "TPSL", "tnmt", false },
	[OFFTP] = { "offtp", ROLE_OFFICER, "TPSL", "tu-phap", false },
	[LEAD] = { "lead", ROLE_LEADER, "TPSL", "lanh-dao", false },
	[OFFDIS] = { "offdis", ROLE_OFFICER, "TPSL", "tnmt", true },
	[MCOS] = { "mcos", ROLE_ONE_STOP, "MOCHAU", "mot-cua", false },
	[MCLEAD] = { "mclead", ROLE_LEADER, "MOCHAU", "lanh-dao", false },
	[MCOFF] = { "mcoff", ROLE_OFFICER, "MOCHAU", "tnmt", false },
	[MONITOR] = { "monitor", ROLE_MONITOR, NULL, NULL, false },
	[ADMIN] = { "admin", ROLE_ADMIN, NULL, NULL, false },
};

/* The actor of a test user. */
static struct actor
who(int id)
{
	struct actor	a;

	a.user_id = id;
	a.role = users[id].role;
	a.unit = users[id].unit;
	a.department = users[id].department;
	return a;
}

/* A local time in the test calendar. */
static int64_t
at(const char *local)
{
	int64_t	 t;
	char	*cause = NULL;

	ck_assert_int_eq(calendar_parse_local(cat->calendar, local, &t, &cause), 0);
	return t;
}

/* Fill a department. */
static void
set_department(struct catalog_department *d, const char *code)
{
	d->code = xstrdup(code);
	d->name = xstrdup(code);
}

/* Fill a unit with the given departments. */
static void
set_unit(struct catalog_unit *u, const char *code, const char **depts, size_t n)
{
	size_t	i;

	u->code = xstrdup(code);
	u->name = xstrdup(code);
	u->departments = xcalloc(n, sizeof *u->departments);
	u->ndepartments = n;
	for (i = 0; i < n; i++)
		set_department(&u->departments[i], depts[i]);
}

/* Fill a variant: steps as "dept:centidays[:p]" (p = pause for the citizen). */
static void
set_variant(struct catalog_variant *v, const char *name, int centidays, bool same_day,
    const char **spec, size_t nsteps)
{
	char	dept[32];
	int	cd;
	size_t	i;

	v->name = name == NULL ? NULL : xstrdup(name);
	v->duration.centidays = centidays;
	v->duration.same_day = same_day;
	v->documents = xcalloc(2, sizeof *v->documents);
	v->ndocuments = 2;
	v->documents[0].name = xstrdup("Đơn đề nghị");
	v->documents[0].originals = 1;
	v->documents[1].name = xstrdup("Giấy chứng nhận");
	v->documents[1].originals = 1;
	v->documents[1].copies = 2;
	v->steps = xcalloc(nsteps, sizeof *v->steps);
	v->nsteps = nsteps;
	for (i = 0; i < nsteps; i++) {
		ck_assert_int_eq(sscanf(spec[i], "%31[^:]:%d", dept, &cd), 2);
		v->steps[i].dept = xstrdup(dept);
		v->steps[i].name = xasprintf("Bước %zu", i + 1);
		v->steps[i].centidays = cd;
		v->steps[i].pause_citizen = strstr(spec[i], ":p") != NULL;
	}
}

/* Fill a procedure with its base variant (and a second one if v2 is set). */
static void
set_procedure(struct catalog_procedure *p, const char *code, const char *version,
    int centidays, bool same_day, bool no_deadline, const char **spec, size_t nsteps,
    bool v2)
{
	p->code = xstrdup(code);
	p->name = xasprintf("Thủ tục %s", code);
	p->field = xstrdup("dat-dai");
	p->level = xstrdup("huyen");
	p->no_deadline = no_deadline;
	p->result = xstrdup("Kết quả");
	p->canonical = xasprintf("{\"code\":\"%s\"}", code);
	snprintf(p->version, sizeof p->version, "%s", version);
	p->nvariants = v2 ? 2 : 1;
	p->variants = xcalloc(p->nvariants, sizeof *p->variants);
	set_variant(&p->variants[0], NULL, centidays, same_day, spec, nsteps);
	if (v2)
		set_variant(&p->variants[1], "Tặng cho", centidays * 2, same_day, spec, nsteps);
}

/* Build the test catalog by hand: two units, three procedures, the 2015 calendar. */
static struct catalog *
make_catalog(void)
{
	static const char	*tpsl[] = { "mot-cua", "tnmt", "tu-phap", "lanh-dao" };
	static const char	*mc[] = { "mot-cua", "tnmt", "lanh-dao" };
	static const char	*land[] = { "mot-cua:50", "tnmt:200:p", "lanh-dao:150",
				    "mot-cua:100" };
	static const char	*quick[] = { "mot-cua:0", "tu-phap:0", "mot-cua:0" };
	static const char	*off[] = { "2015-01-01", "2015-01-02", "2015-02-16",
				    "2015-02-17", "2015-02-18", "2015-02-19", "2015-02-20",
				    "2015-02-23", "2015-04-28", "2015-04-29", "2015-04-30",
				    "2015-05-01", "2015-09-02" };
	static const char	*work[] = { "2015-02-14", "2015-04-25" };
	static const int	 hours[2][2] = { { 420, 690 }, { 810, 1020 } };
	struct catalog		*c;
	struct calendar_date	 date;
	char			*cause = NULL;
	size_t			 i;

	c = xcalloc(1, sizeof *c);
	c->province_code = xstrdup("14");
	c->province_name = xstrdup("Tỉnh Sơn La");
	c->utc_offset = 7 * 3600;
	c->same_day_cutoff = 900;
	c->due_soon_hours = 8;
	c->nunits = 2;
	c->units = xcalloc(2, sizeof *c->units);
	set_unit(&c->units[0], "TPSL", tpsl, 4);
	set_unit(&c->units[1], "MOCHAU", mc, 3);
	c->nprocedures = 3;
	c->procedures = xcalloc(3, sizeof *c->procedures);
	set_procedure(&c->procedures[0], "1.000001", "00000000000000a1", 500, false, false,
	    land, 4, true);
	set_procedure(&c->procedures[1], "1.000002", "00000000000000a2", 0, false, true,
	    quick, 3, false);
	set_procedure(&c->procedures[2], "2.000815", "00000000000000a3", 0, true, false,
	    quick, 3, false);

	c->calendar = calendar_new(7 * 3600);
	ck_assert_int_eq(calendar_set_hours(c->calendar, hours, 2, 900, &cause), 0);
	calendar_add_year(c->calendar, 2015);
	calendar_add_year(c->calendar, 2016);
	for (i = 0; i < sizeof off / sizeof off[0]; i++) {
		ck_assert_int_eq(calendar_parse_date(off[i], &date), 0);
		ck_assert_int_eq(calendar_set_day(c->calendar, date, false, &cause), 0);
	}
	for (i = 0; i < sizeof work / sizeof work[0]; i++) {
		ck_assert_int_eq(calendar_parse_date(work[i], &date), 0);
		ck_assert_int_eq(calendar_set_day(c->calendar, date, true, &cause), 0);
	}
	c->first_year = 2015;
	c->last_year = 2016;
	return c;
}

/* A private database with the test users, and the test catalog. */
static void
setup(void)
{
	struct store_user	u;
	int64_t			id;
	char			*cause = NULL;
	int			i;

	fixture_dir("check_dossier", tmpdir, sizeof tmpdir, dbpath, sizeof dbpath);
	st = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(st);
	for (i = 1; i <= NUSERS; i++) {
		memset(&u, 0, sizeof u);
		u.login = (char *)users[i].login;
		u.full_name = xasprintf("Người dùng %s", users[i].login);
		u.role = users[i].role;
		u.unit = (char *)users[i].unit;
		u.department = (char *)users[i].department;
		u.disabled = users[i].disabled;
		ck_assert_int_eq(store_user_add(st, &u, 1, &id, &cause), 0);
		ck_assert_int_eq(id, i);
		free(u.full_name);
	}
	cat = make_catalog();
}

/* Close everything and remove the files. */
static void
teardown(void)
{
	store_close(st);
	st = NULL;
	catalog_free(cat);
	cat = NULL;
	fixture_dir_remove(tmpdir, dbpath);
}

/* One value from the database through a separate connection. */
static long long
sql_int(const char *sql, const char *arg)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	long long	 n = -1;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

/* A complete intake form for a procedure. */
static struct dossier_intake
form(const char *procedure, const char *key)
{
	struct dossier_intake	in;

	memset(&in, 0, sizeof in);
	in.procedure = procedure;
	in.applicant_name = "  Cầm   Văn Xuân ";
	in.applicant_id = "040123456789";
	in.applicant_phone = "0912345678";
	in.applicant_address = "Tổ 3, phường Chiềng Lề";
	in.applicant_commune = "Chiềng Lề";
	in.request = "Chuyển nhượng quyền sử dụng đất";
	in.channel = CHANNEL_COUNTER;
	in.sets = 1;
	in.idempotency_key = key;
	return in;
}

/* Receive a dossier by os1 at a local time and return its code (caller frees). */
static char *
receive(const char *procedure, const char *key, const char *when)
{
	struct actor		a = who(OS1);
	struct dossier_intake	in = form(procedure, key);
	char			*code = NULL, *cause = NULL;
	bool			 replay;

	if (dossier_receive(st, cat, &a, &in, at(when), &code, &replay, &cause) != 0)
		ck_abort_msg("receive: %s", cause);
	ck_assert(!replay);
	return code;
}

/* Take an action; returns 0, or -1 with the message copied into msg. */
static int
act(int user, const char *code, enum dossier_action action, const char *note,
    int64_t officer, int64_t appointment, int64_t now, char *msg, size_t len)
{
	struct actor		a = who(user);
	struct dossier_args	args = { note, officer, appointment, 0 };
	char			*cause = NULL;
	int			 rc;

	if (msg != NULL)
		msg[0] = '\0';
	rc = dossier_act(st, cat->calendar, &a, code, action, &args, now, &cause);
	if (rc != 0) {
		ck_assert_ptr_nonnull(cause);
		if (msg != NULL)
			snprintf(msg, len, "%s", cause);
		free(cause);
	}
	return rc;
}

/* Act and require success. */
static void
act_ok(int user, const char *code, enum dossier_action action, const char *note,
    int64_t officer, int64_t now)
{
	char	msg[512];

	if (act(user, code, action, note, officer, 0, now, msg, sizeof msg) != 0)
		ck_abort_msg("%s by %s: %s", dossier_action_name(action), users[user].login,
		    msg);
}

/* Read a dossier as the unit's leader. */
static struct dossier *
get(const char *code)
{
	struct actor	 a = who(LEAD);
	struct dossier	*d;
	char		*cause = NULL;

	d = dossier_get(st, &a, code, &cause);
	if (d == NULL)
		ck_abort_msg("get %s: %s", code, cause);
	return d;
}

START_TEST(test_names)
{
	const struct dossier_transition	*t;
	enum dossier_action		 action;
	enum dossier_channel		 channel;
	enum role			 role;
	int				 i, j;

	ck_assert_str_eq(dossier_role_name(ROLE_ONE_STOP), "one_stop");
	ck_assert_str_eq(dossier_role_name(ROLE_ADMIN), "admin");
	ck_assert_str_eq(dossier_role_name((enum role)9), "?");
	for (i = 0; i < ROLE_COUNT; i++) {
		ck_assert_int_eq(dossier_role_from_name(dossier_role_name((enum role)i),
		    &role), 0);
		ck_assert_int_eq(role, i);
	}
	ck_assert_int_eq(dossier_role_from_name("boss", &role), -1);

	ck_assert_str_eq(dossier_state_name(STATE_RECEIVED), "received");
	ck_assert_str_eq(dossier_state_label(STATE_RECEIVED), "Đã tiếp nhận");
	ck_assert_str_eq(dossier_state_label(STATE_RETURNED), "Đã trả kết quả");
	ck_assert_str_eq(dossier_state_name(0), "?");
	ck_assert_str_eq(dossier_state_name(11), "?");
	ck_assert_int_eq(STATE_SUBMITTED, 1);
	ck_assert_int_eq(STATE_FINANCIAL, 6);
	ck_assert_int_eq(STATE_RETURNED, 10);
	for (i = STATE_MIN; i <= STATE_MAX; i++) {
		ck_assert_str_ne(dossier_state_name(i), "?");
		ck_assert_str_ne(dossier_state_label(i), "?");
	}

	for (i = 0; i < ACTION_COUNT; i++) {
		t = dossier_transition((enum dossier_action)i);
		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->action, i);
		ck_assert_ptr_nonnull(t->label);
		ck_assert_int_eq(dossier_action_from_name(t->name, &action), 0);
		ck_assert_int_eq(action, i);
		ck_assert_uint_eq(t->roles & ((1u << ROLE_MONITOR) | (1u << ROLE_ADMIN)), 0);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(dossier_transition((enum dossier_action)j)->name,
			    t->name);
	}
	ck_assert_ptr_null(dossier_transition((enum dossier_action)ACTION_COUNT));
	ck_assert_int_eq(dossier_action_from_name("fly", &action), -1);

	ck_assert_str_eq(dossier_channel_name(CHANNEL_POST), "post");
	ck_assert_int_eq(dossier_channel_from_name("online", &channel), 0);
	ck_assert_int_eq(channel, CHANNEL_ONLINE);
	ck_assert_int_eq(dossier_channel_from_name("fax", &channel), -1);
}
END_TEST

/* The specification, written out independently of the transition table. */
#define SS(x)	(1u << STATE_##x)
#define RR(x)	(1u << ROLE_##x)
#define SPEC_WORK	(SS(RECEIVED) | SS(PROCESSING))
#define SPEC_OPEN	(SPEC_WORK | SS(SUPPLEMENT) | SS(FINANCIAL))
#define SPEC_ALL	(RR(ONE_STOP) | RR(OFFICER) | RR(LEADER))
static const struct {
	unsigned int	from;
	unsigned int	roles;
	int		step;		/* a step where the step rules allow it */
} spec[ACTION_COUNT] = {
	[ACTION_HANDOVER] = { SPEC_WORK, SPEC_ALL, 1 },
	[ACTION_ASSIGN] = { SPEC_WORK, SPEC_ALL, 1 },
	[ACTION_REQUEST_SUPPLEMENT] = { SPEC_WORK, SPEC_ALL, 1 },
	[ACTION_RECEIVE_SUPPLEMENT] = { SS(SUPPLEMENT), SPEC_ALL, 1 },
	[ACTION_PAUSE_FINANCIAL] = { SS(PROCESSING), SPEC_ALL, 1 },
	[ACTION_RESUME_FINANCIAL] = { SS(FINANCIAL), SPEC_ALL, 1 },
	[ACTION_RESOLVE] = { SPEC_WORK, SPEC_ALL, 2 },
	[ACTION_RETURN] = { SS(RESOLVED), RR(ONE_STOP) | RR(LEADER), 3 },
	[ACTION_WITHDRAW] = { SPEC_OPEN, RR(ONE_STOP) | RR(LEADER), 1 },
	[ACTION_STOP] = { SPEC_OPEN, RR(LEADER), 1 },
	[ACTION_REFUSE] = { SPEC_OPEN, RR(LEADER), 1 },
	[ACTION_APOLOGIZE] = { SPEC_OPEN, SPEC_ALL, 1 },
};

/* A dossier in memory, with the four steps of the land procedure. */
static struct dossier *
fake_dossier(const char *unit, const char *department, int state, int step)
{
	static const char	*depts[] = { "mot-cua", "tnmt", "lanh-dao", "mot-cua" };
	struct dossier		*d;
	int			 i;

	d = xcalloc(1, sizeof *d);
	d->code = xstrdup("TPSL-150826-0001");
	d->unit = xstrdup(unit);
	d->department = xstrdup(department);
	d->state = (enum dossier_state)state;
	d->step = step;
	d->due_at = 1440000000;
	d->nsteps = 4;
	d->steps = xcalloc(4, sizeof *d->steps);
	for (i = 0; i < 4; i++) {
		d->steps[i].dept = xstrdup(depts[i]);
		d->steps[i].name = xasprintf("Bước %d", i + 1);
		d->steps[i].centidays = 100;
	}
	d->steps[1].pause_citizen = true;
	return d;
}

START_TEST(test_rules_by_role_and_state)
{
	static const int	 actors[] = { OS1, OFF1, LEAD, MONITOR, ADMIN };
	struct actor		 a;
	struct dossier		*d;
	unsigned int		 mask;
	int			 action, state, i, expect;
	char			*cause;

	for (action = 0; action < ACTION_COUNT; action++) {
		for (state = STATE_MIN; state <= STATE_MAX; state++) {
			for (i = 0; i < 5; i++) {
				a = who(actors[i]);
				/* The holder: the dossier is at the actor's department. */
				d = fake_dossier("TPSL", a.department != NULL ?
				    a.department : "tnmt", state, spec[action].step);
				expect = (spec[action].from & (1u << state)) &&
				    (spec[action].roles & (1u << a.role));
				cause = NULL;
				if (dossier_may(&a, d, (enum dossier_action)action, &cause) ==
				    0) {
					if (!expect)
						ck_abort_msg("%s by %s in state %d allowed",
						    dossier_action_name(action),
						    dossier_role_name(a.role), state);
				} else {
					ck_assert_ptr_nonnull(cause);
					if (expect)
						ck_abort_msg("%s by %s in state %d refused: %s",
						    dossier_action_name(action),
						    dossier_role_name(a.role), state, cause);
				}
				free(cause);
				mask = dossier_allowed(&a, d);
				ck_assert_int_eq((mask >> action) & 1, expect);
				dossier_free(d);
			}
		}
	}

	/* Intake actions are never actions on a dossier. */
	a = who(OS1);
	d = fake_dossier("TPSL", "mot-cua", STATE_RECEIVED, 0);
	for (action = ACTION_RECEIVE; action <= ACTION_REFUSE_INTAKE; action++) {
		cause = NULL;
		ck_assert_int_eq(dossier_may(&a, d, (enum dossier_action)action, &cause), -1);
		free(cause);
	}
	/* Monitors and administrators: nothing. */
	a = who(MONITOR);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	a = who(ADMIN);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	dossier_free(d);
}
END_TEST

START_TEST(test_rules_by_unit_and_holder)
{
	struct actor	 a;
	struct dossier	*d;
	unsigned int	 mask;
	char		*cause = NULL;
	int		 action;

	/* Another unit's people can do nothing and are told the dossier does not exist. */
	d = fake_dossier("TPSL", "tnmt", STATE_PROCESSING, 1);
	for (action = 0; action < ACTION_COUNT; action++) {
		if (dossier_transition((enum dossier_action)action)->flags & DOSSIER_INTAKE)
			continue;
		a = who(MCLEAD);
		ck_assert_int_eq(dossier_may(&a, d, (enum dossier_action)action, &cause), -1);
		ck_assert_str_eq(cause, "Không có hồ sơ TPSL-150826-0001");
		free(cause);
		a = who(MCOFF);
		ck_assert_int_eq(dossier_may(&a, d, (enum dossier_action)action, &cause), -1);
		ck_assert_str_eq(cause, "Không có hồ sơ TPSL-150826-0001");
		free(cause);
	}
	a = who(MCLEAD);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	ck_assert(!dossier_can_read_unit(&a, "TPSL"));
	a = who(MONITOR);
	ck_assert(dossier_can_read_unit(&a, "TPSL"));

	/* An officer of another department of the same unit is not the holder. */
	a = who(OFFTP);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	ck_assert_int_eq(dossier_may(&a, d, ACTION_HANDOVER, &cause), -1);
	ck_assert_str_eq(cause, "Hồ sơ TPSL-150826-0001 đang do bộ phận tnmt xử lý");
	free(cause);

	/* The department's officers may act while nobody is assigned... */
	a = who(OFF2);
	mask = dossier_allowed(&a, d);
	ck_assert_uint_eq(mask, (1u << ACTION_HANDOVER) | (1u << ACTION_ASSIGN) |
	    (1u << ACTION_REQUEST_SUPPLEMENT) | (1u << ACTION_PAUSE_FINANCIAL) |
	    (1u << ACTION_APOLOGIZE));
	/* ...but once one is, only that one. */
	d->officer = OFF1;
	d->officer_name = xstrdup("Người dùng off1");
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	ck_assert_int_eq(dossier_may(&a, d, ACTION_HANDOVER, &cause), -1);
	ck_assert_str_eq(cause, "Hồ sơ TPSL-150826-0001 đã được phân công cho Người dùng off1");
	free(cause);
	a = who(OFF1);
	ck_assert_uint_eq(dossier_allowed(&a, d), mask);
	/* A leader acts on anything of the unit, whoever holds it. */
	a = who(LEAD);
	ck_assert_uint_eq(dossier_allowed(&a, d) & mask, mask);

	/* The one-stop counter: not the holder, but may take the supplement and a withdrawal. */
	a = who(OS1);
	ck_assert_uint_eq(dossier_allowed(&a, d), 1u << ACTION_WITHDRAW);
	d->state = STATE_SUPPLEMENT;
	ck_assert_uint_eq(dossier_allowed(&a, d),
	    (1u << ACTION_RECEIVE_SUPPLEMENT) | (1u << ACTION_WITHDRAW));
	a = who(OFF2);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	dossier_free(d);
}
END_TEST

START_TEST(test_rules_by_step)
{
	struct actor	 a = who(LEAD);
	struct dossier	*d;
	char		*cause = NULL;
	int		 step;

	/* Hand over while the next step is not the last; resolve at the second-to-last. */
	for (step = 0; step < 4; step++) {
		d = fake_dossier("TPSL", "tnmt", STATE_PROCESSING, step);
		ck_assert_int_eq(dossier_may(&a, d, ACTION_HANDOVER, &cause) == 0, step < 2);
		free(cause);
		cause = NULL;
		ck_assert_int_eq(dossier_may(&a, d, ACTION_RESOLVE, &cause) == 0, step == 2);
		free(cause);
		cause = NULL;
		ck_assert_int_eq(dossier_may(&a, d, ACTION_PAUSE_FINANCIAL, &cause) == 0,
		    step == 1);
		free(cause);
		cause = NULL;
		dossier_free(d);
	}
	d = fake_dossier("TPSL", "tnmt", STATE_PROCESSING, 0);
	ck_assert_int_eq(dossier_may(&a, d, ACTION_RESOLVE, &cause), -1);
	ck_assert_str_eq(cause, "Hồ sơ TPSL-150826-0001 chỉ được hoàn thành ở bước 3 "
	    "(Bước 3); hiện đang ở bước 1");
	free(cause);
	ck_assert_int_eq(dossier_may(&a, d, ACTION_PAUSE_FINANCIAL, &cause), -1);
	ck_assert_str_eq(cause, "Bước 1 (Bước 1) của hồ sơ TPSL-150826-0001 không phải bước "
	    "chờ nghĩa vụ tài chính");
	free(cause);

	/* The apology: once, and only with a deadline. */
	d->apology_at = 5;
	ck_assert_int_eq(dossier_may(&a, d, ACTION_APOLOGIZE, &cause), -1);
	free(cause);
	d->apology_at = 0;
	d->due_at = 0;
	ck_assert_int_eq(dossier_may(&a, d, ACTION_APOLOGIZE, &cause), -1);
	ck_assert_str_eq(cause, "Hồ sơ TPSL-150826-0001 không có thời hạn giải quyết");
	free(cause);
	dossier_free(d);
}
END_TEST

START_TEST(test_intake)
{
	struct actor		 a = who(OS1);
	struct dossier_event	*ev;
	struct dossier		*d;
	size_t			 n;
	char			*code;

	code = receive("1.000001", "k-1", "2015-08-26 09:00");
	ck_assert_str_eq(code, "TPSL-150826-0001");
	d = get(code);
	ck_assert_str_eq(d->procedure_code, "1.000001");
	ck_assert_str_eq(d->procedure_hash, "00000000000000a1");
	ck_assert_str_eq(d->procedure_name, "Thủ tục 1.000001");
	ck_assert_int_eq(d->variant, 0);
	ck_assert_str_eq(d->unit, "TPSL");
	ck_assert_str_eq(d->field, "dat-dai");
	ck_assert_str_eq(d->applicant_name, "Cầm Văn Xuân");	/* cleaned */
	ck_assert_str_eq(d->applicant_id, "040123456789");
	ck_assert_str_eq(d->applicant_phone, "0912345678");
	ck_assert_str_eq(d->applicant_commune, "Chiềng Lề");
	ck_assert_ptr_null(d->owner_name);
	ck_assert_int_eq(d->channel, CHANNEL_COUNTER);
	ck_assert_int_eq(d->sets, 1);
	ck_assert_int_eq(d->state, STATE_RECEIVED);
	ck_assert_int_eq(d->step, 0);
	ck_assert_str_eq(d->department, "mot-cua");
	ck_assert_int_eq(d->officer, OS1);
	ck_assert_int_eq(d->received_by, OS1);
	ck_assert_str_eq(d->received_by_name, "Người dùng os1");
	ck_assert_int_eq(d->received_at, at("2015-08-26 09:00"));
	/* 5 working days: 27, 28, 31 Aug, 1 Sep, (2 Sep off), 3 Sep at 09:00. */
	ck_assert_int_eq(d->due_at, at("2015-09-03 09:00"));
	/* Step 1, half a day: 09:00–11:30 and 13:30–15:00. */
	ck_assert_int_eq(d->step_due_at, at("2015-08-26 15:00"));
	ck_assert_int_eq(d->closed_at, 0);
	ck_assert_uint_eq(d->nsteps, 4);
	ck_assert_str_eq(d->steps[1].dept, "tnmt");
	ck_assert(d->steps[1].pause_citizen);
	ck_assert_int_eq(d->steps[2].centidays, 150);
	/* Documents default to what the catalog requires. */
	ck_assert_uint_eq(d->ndocuments, 2);
	ck_assert_str_eq(d->documents[1].name, "Giấy chứng nhận");
	ck_assert_int_eq(d->documents[1].originals, 1);
	ck_assert_int_eq(d->documents[1].copies, 2);
	ck_assert_int_ne(d->last_event, 0);
	ck_assert_uint_eq(dossier_allowed(&a, d), (1u << ACTION_HANDOVER) |
	    (1u << ACTION_ASSIGN) | (1u << ACTION_REQUEST_SUPPLEMENT) |
	    (1u << ACTION_WITHDRAW) | (1u << ACTION_APOLOGIZE));
	dossier_free(d);

	ck_assert_int_eq(dossier_events(st, &a, code, &ev, &n, NULL), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ev[0].action, ACTION_RECEIVE);
	ck_assert_int_eq(ev[0].from_state, 0);
	ck_assert_int_eq(ev[0].to_state, STATE_RECEIVED);
	ck_assert_int_eq(ev[0].actor, OS1);
	ck_assert_int_eq(ev[0].officer, OS1);
	ck_assert_int_eq(ev[0].at, at("2015-08-26 09:00"));
	ck_assert_str_eq(ev[0].department, "mot-cua");
	ck_assert_ptr_null(ev[0].note);
	dossier_events_free(ev, n);
	free(code);

	/* The sequence continues within the day and restarts the next day. */
	code = receive("1.000001", "k-2", "2015-08-26 16:59");
	ck_assert_str_eq(code, "TPSL-150826-0002");
	free(code);
	code = receive("1.000001", "k-3", "2015-08-27 07:00");
	ck_assert_str_eq(code, "TPSL-150827-0001");
	free(code);
	/* The local date counts: 00:30 on the 28th is still the 27th in UTC. */
	code = receive("1.000001", "k-4", "2015-08-28 00:30");
	ck_assert_str_eq(code, "TPSL-150828-0001");
	d = get(code);
	/* Received at night: counting starts at the next opening, 07:00. */
	ck_assert_int_eq(d->step_due_at, at("2015-08-28 11:00"));
	dossier_free(d);
	free(code);
	/* The procedure version and its steps were stored once. */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM procedure_versions", NULL), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM procedure_steps", NULL), 8);
}
END_TEST

START_TEST(test_intake_kinds)
{
	struct actor		 a = who(OS1);
	struct dossier_intake	 in;
	struct dossier_count	 counts[2] = { { 1, 0 }, { 0, 3 } };
	struct dossier		*d;
	char			*code, *cause = NULL;
	bool			 replay;

	/* No deadline: no due dates at all. */
	code = receive("1.000002", "n-1", "2015-08-26 09:00");
	d = get(code);
	ck_assert_int_eq(d->due_at, 0);
	ck_assert_int_eq(d->step_due_at, 0);
	dossier_free(d);
	free(code);

	/* Same day: before the cut-off, by the close of the day; after, of the next day. */
	code = receive("2.000815", "s-1", "2015-08-26 14:59");
	d = get(code);
	ck_assert_int_eq(d->due_at, at("2015-08-26 17:00"));
	ck_assert_int_eq(d->step_due_at, at("2015-08-26 17:00"));
	dossier_free(d);
	free(code);
	code = receive("2.000815", "s-2", "2015-08-26 15:01");
	d = get(code);
	ck_assert_int_eq(d->due_at, at("2015-08-27 17:00"));
	dossier_free(d);
	free(code);

	/* The second case of a procedure, an owner, counts and sets as given. */
	in = form("1.000001", "v-1");
	in.variant = 1;
	in.owner_name = "Lò Văn Chủ";
	in.owner_id = "123456789";
	in.documents = counts;
	in.ndocuments = 2;
	in.sets = 2;
	in.channel = CHANNEL_POST;
	in.applicant_phone = "";
	ck_assert_int_eq(dossier_receive(st, cat, &a, &in, at("2015-08-26 09:00"), &code,
	    &replay, &cause), 0);
	d = get(code);
	ck_assert_int_eq(d->variant, 1);
	/* 10 working days from Wed 26 Aug 09:00, 2 Sep off: Thu 10 Sep 09:00. */
	ck_assert_int_eq(d->due_at, at("2015-09-10 09:00"));
	ck_assert_str_eq(d->owner_name, "Lò Văn Chủ");
	ck_assert_str_eq(d->owner_id, "123456789");
	ck_assert_int_eq(d->documents[1].copies, 3);
	ck_assert_int_eq(d->documents[0].originals, 1);
	ck_assert_int_eq(d->sets, 2);
	ck_assert_int_eq(d->channel, CHANNEL_POST);
	ck_assert_str_eq(d->applicant_phone, "");
	dossier_free(d);
	free(code);
}
END_TEST

/* Expect an intake by user to fail with exactly msg. */
static void
intake_fails(int user, const struct dossier_intake *in, const char *msg)
{
	struct actor	 a = who(user);
	char		*code = NULL, *cause = NULL;
	bool		 replay;

	ck_assert_int_eq(dossier_receive(st, cat, &a, in, at("2015-08-26 09:00"), &code,
	    &replay, &cause), -1);
	ck_assert_ptr_null(code);
	ck_assert_str_eq(cause, msg);
	free(cause);
}

START_TEST(test_intake_invalid)
{
	struct dossier_intake	in;
	struct dossier_count	counts[1] = { { 1, 0 } };

	in = form("1.000001", "bad");
	in.applicant_name = " \t ";
	intake_fails(OS1, &in, "Cần nhập họ tên người nộp hồ sơ");
	in = form("1.000001", "bad");
	in.applicant_id = "0401234567";
	intake_fails(OS1, &in, "Số CMND/CCCD phải gồm 9 hoặc 12 chữ số");
	in.applicant_id = "04012345678x";
	intake_fails(OS1, &in, "Số CMND/CCCD chỉ được gồm chữ số");
	in = form("1.000001", "bad");
	in.applicant_phone = "912345678";
	intake_fails(OS1, &in, "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0");
	in.applicant_phone = "1912345678";
	intake_fails(OS1, &in, "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0");
	in = form("1.000001", "bad");
	in.owner_name = "Chủ";
	in.owner_id = "12";
	intake_fails(OS1, &in, "Số CMND/CCCD của chủ hồ sơ phải gồm 9 hoặc 12 chữ số");
	in = form("9.999999", "bad");
	intake_fails(OS1, &in, "Không có thủ tục này trong danh mục");
	in = form("1.000001", "bad");
	in.variant = 2;
	intake_fails(OS1, &in, "Thủ tục 1.000001 không có trường hợp 2");
	in = form("1.000001", "bad");
	in.documents = counts;
	in.ndocuments = 1;
	intake_fails(OS1, &in, "Thủ tục 1.000001 có 2 thành phần hồ sơ, không phải 1");
	in = form("1.000001", "bad");
	in.sets = 100;
	intake_fails(OS1, &in, "Số bộ hồ sơ phải từ 1 đến 99");
	in = form("1.000001", "");
	intake_fails(OS1, &in, "Mã chống gửi trùng của biểu mẫu phải dài từ 1 đến 128 byte");

	/* Who may receive: the one-stop of the unit, at the procedure's first department. */
	in = form("1.000001", "bad");
	intake_fails(OFF1, &in, "Vai trò chuyên viên không được phép “Tiếp nhận hồ sơ”");
	intake_fails(LEAD, &in, "Vai trò lãnh đạo không được phép “Tiếp nhận hồ sơ”");
	intake_fails(MONITOR, &in, "Vai trò giám sát không được phép “Tiếp nhận hồ sơ”");
	intake_fails(ADMIN, &in, "Vai trò quản trị không được phép “Tiếp nhận hồ sơ”");
	in = form("1.000002", "bad");
	intake_fails(MCOS, &in, "Đơn vị MOCHAU không có bộ phận tu-phap (thủ tục 1.000002 cần "
	    "bộ phận này)");

	/* Nothing was written. */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM dossiers", NULL), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM code_sequences", NULL), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM events", NULL), 0);
}
END_TEST

START_TEST(test_intake_replay)
{
	struct actor		 a = who(OS1), b = who(OS2);
	struct dossier_intake	 in = form("1.000001", "same-key");
	char			*code, *again, *cause = NULL, *key, *content, want[256];
	bool			 replay;
	int64_t			 saved;

	ck_assert_int_eq(store_draft_save(st, OS1, "same-key", "{}", 5, &cause), 0);
	ck_assert_int_eq(dossier_receive(st, cat, &a, &in, at("2015-08-26 09:00"), &code,
	    &replay, &cause), 0);
	ck_assert(!replay);
	/* The draft of that form is gone with the intake. */
	ck_assert_int_eq(store_draft_load(st, OS1, &key, &content, &saved, &cause), 0);
	ck_assert_ptr_null(content);

	/* The acknowledgement was lost; the retry gets the same code and writes nothing. */
	in.applicant_name = "Tên khác";
	ck_assert_int_eq(dossier_receive(st, cat, &a, &in, at("2015-08-26 09:05"), &again,
	    &replay, &cause), 0);
	ck_assert(replay);
	ck_assert_str_eq(again, code);
	free(again);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM dossiers", NULL), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM events", NULL), 1);
	ck_assert_int_eq(sql_int("SELECT last FROM code_sequences", NULL), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM dossiers WHERE applicant_name = "
	    "'Cầm Văn Xuân'", NULL), 1);

	/* A refusal with the key of a received form is refused, never taken for a retry. */
	in.note = "x";
	ck_assert_int_eq(dossier_refuse_intake(st, cat, &a, &in, at("2015-08-26 09:06"),
	    &again, &replay, &cause), -1);
	ck_assert_ptr_null(again);
	ck_assert(!replay);
	snprintf(want, sizeof want, "Biểu mẫu này đã được gửi thành hồ sơ %s (Tiếp nhận hồ "
	    "sơ); hãy mở biểu mẫu mới", code);
	ck_assert_str_eq(cause, want);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(sql_int("SELECT count(*) FROM dossiers", NULL), 1);

	/* Another officer's key collision is refused, not answered with the code. */
	ck_assert_int_eq(dossier_receive(st, cat, &b, &in, at("2015-08-26 09:05"), &again,
	    &replay, &cause), -1);
	ck_assert_ptr_null(again);
	ck_assert_str_eq(cause, "Mã chống gửi trùng này thuộc một lần tiếp nhận khác; hãy mở "
	    "biểu mẫu mới");
	free(cause);
	free(code);
}
END_TEST

START_TEST(test_refuse_intake_and_guide)
{
	struct actor		 a = who(OS1), off = who(OFF1);
	struct dossier_intake	 in = form("1.000001", "r-1");
	struct dossier_event	*ev;
	struct dossier		*d;
	size_t			 n;
	char			*code, *cause = NULL;
	bool			 replay;
	int64_t			 id;

	/* A refusal needs its reason, and gets a code like any dossier. */
	ck_assert_int_eq(dossier_refuse_intake(st, cat, &a, &in, at("2015-08-26 09:00"), &code,
	    &replay, &cause), -1);
	ck_assert_str_eq(cause, "Cần nhập lý do");
	free(cause);
	in.note = "Không thuộc thẩm quyền";
	ck_assert_int_eq(dossier_refuse_intake(st, cat, &a, &in, at("2015-08-26 09:00"), &code,
	    &replay, &cause), 0);
	ck_assert_str_eq(code, "TPSL-150826-0001");
	d = get(code);
	ck_assert_int_eq(d->state, STATE_REFUSED);
	ck_assert_int_eq(d->closed_at, at("2015-08-26 09:00"));
	ck_assert_int_eq(d->due_at, 0);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	dossier_free(d);
	ck_assert_int_eq(dossier_events(st, &a, code, &ev, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ev[0].action, ACTION_REFUSE_INTAKE);
	ck_assert_int_eq(ev[0].to_state, STATE_REFUSED);
	ck_assert_str_eq(ev[0].note, "Không thuộc thẩm quyền");
	dossier_events_free(ev, n);
	free(code);

	/* A guidance records what is missing; nothing is received, no code is used. */
	ck_assert_int_eq(dossier_guide(st, cat, &a, "1.000001", "Lò Văn A", "", 1, &id,
	    &cause), -1);
	ck_assert_str_eq(cause, "Cần nhập danh sách nội dung còn thiếu");
	free(cause);
	ck_assert_int_eq(dossier_guide(st, cat, &off, "1.000001", "Lò Văn A", "Bản sao", 1, &id,
	    &cause), -1);
	ck_assert_str_eq(cause, "Vai trò chuyên viên không được phép “Hướng dẫn bổ sung hồ sơ”");
	free(cause);
	ck_assert_int_eq(dossier_guide(st, cat, &a, "1.000001", "Lò Văn A",
	    "Thiếu bản sao sổ hộ khẩu", at("2015-08-26 10:00"), &id, &cause), 0);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM guidances WHERE missing = "
	    "'Thiếu bản sao sổ hộ khẩu'", NULL), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM dossiers", NULL), 1);
	ck_assert_int_eq(sql_int("SELECT last FROM code_sequences", NULL), 1);
}
END_TEST

/* Count the events of a dossier. */
static long long
events_of(const char *code)
{
	return sql_int("SELECT count(*) FROM events WHERE dossier = (SELECT id FROM dossiers "
	    "WHERE code = ?1)", code);
}

START_TEST(test_lifecycle)
{
	struct actor		 a;
	struct dossier		*d;
	struct dossier_event	*ev;
	size_t			 n;
	char			*code, msg[512], *cause = NULL;

	code = receive("1.000001", "life", "2015-08-26 09:00");

	/* Another unit cannot read or act, even with the exact code. */
	a = who(MCLEAD);
	ck_assert_ptr_null(dossier_get(st, &a, code, &cause));
	ck_assert_str_eq(cause, "Không có hồ sơ TPSL-150826-0001");
	free(cause);
	ck_assert_int_eq(dossier_events(st, &a, code, &ev, &n, &cause), -1);
	ck_assert_str_eq(cause, "Không có hồ sơ TPSL-150826-0001");
	free(cause);
	ck_assert_int_eq(act(MCLEAD, code, ACTION_STOP, "x", 0, 0, at("2015-08-26 09:30"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Không có hồ sơ TPSL-150826-0001");
	ck_assert_int_eq(act(LEAD, "TPSL-150826-0009", ACTION_STOP, "x", 0, 0,
	    at("2015-08-26 09:30"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Không có hồ sơ TPSL-150826-0009");
	a = who(MONITOR);
	d = dossier_get(st, &a, code, &cause);
	ck_assert_ptr_nonnull(d);
	dossier_free(d);
	ck_assert_int_eq(act(MONITOR, code, ACTION_HANDOVER, NULL, 0, 0,
	    at("2015-08-26 09:30"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Vai trò giám sát không được phép “Chuyển bước tiếp theo”");
	ck_assert_int_eq(act(ADMIN, code, ACTION_WITHDRAW, NULL, 0, 0,
	    at("2015-08-26 09:30"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Vai trò quản trị không được phép “Rút hồ sơ”");

	/* One-stop hands over to the land department: state 4, step 2, nobody assigned. */
	ck_assert_int_eq(act(OFF1, code, ACTION_HANDOVER, NULL, 0, 0, at("2015-08-26 09:30"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đang do bộ phận mot-cua xử lý");
	act_ok(OS2, code, ACTION_HANDOVER, "Bàn giao", 0, at("2015-08-26 10:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_PROCESSING);
	ck_assert_int_eq(d->step, 1);
	ck_assert_str_eq(d->department, "tnmt");
	ck_assert_int_eq(d->officer, 0);
	/* Two days from 10:00 on Wed 26 Aug: Fri 28 Aug 10:00. */
	ck_assert_int_eq(d->step_due_at, at("2015-08-28 10:00"));
	ck_assert_int_eq(d->due_at, at("2015-09-03 09:00"));
	dossier_free(d);
	ck_assert_int_eq(act(OS1, code, ACTION_HANDOVER, NULL, 0, 0, at("2015-08-26 10:05"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đang do bộ phận tnmt xử lý");

	/* Assignment: an officer only to themselves; a leader to an active officer there. */
	ck_assert_int_eq(act(OFF2, code, ACTION_ASSIGN, NULL, OFF1, 0, at("2015-08-26 10:10"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Chỉ được tự nhận xử lý hồ sơ; phân công cho người "
	    "khác do lãnh đạo thực hiện");
	ck_assert_int_eq(act(LEAD, code, ACTION_ASSIGN, NULL, OFFTP, 0, at("2015-08-26 10:10"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Người dùng offtp không thuộc bộ phận tnmt, nơi đang giữ hồ sơ "
	    "TPSL-150826-0001");
	ck_assert_int_eq(act(LEAD, code, ACTION_ASSIGN, NULL, OFFDIS, 0, at("2015-08-26 10:10"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Không có người dùng số 7 đang hoạt động trong đơn vị TPSL");
	ck_assert_int_eq(act(LEAD, code, ACTION_ASSIGN, NULL, MCOFF, 0, at("2015-08-26 10:10"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Không có người dùng số 10 đang hoạt động trong đơn vị TPSL");
	ck_assert_int_eq(events_of(code), 2);
	act_ok(LEAD, code, ACTION_ASSIGN, NULL, OFF1, at("2015-08-26 10:15"));
	d = get(code);
	ck_assert_int_eq(d->officer, OFF1);
	ck_assert_str_eq(d->officer_name, "Người dùng off1");
	ck_assert_int_eq(d->state, STATE_PROCESSING);
	dossier_free(d);
	ck_assert_int_eq(act(OFF2, code, ACTION_ASSIGN, NULL, 0, 0, at("2015-08-26 10:20"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đã được phân công cho Người dùng off1");

	/* The financial pause at this step, then resumed the same morning. */
	act_ok(OFF1, code, ACTION_PAUSE_FINANCIAL, NULL, 0, at("2015-08-26 11:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_FINANCIAL);
	ck_assert_int_eq(d->paused_at, at("2015-08-26 11:00"));
	dossier_free(d);
	act_ok(OFF1, code, ACTION_RESUME_FINANCIAL, NULL, 0, at("2015-08-26 14:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_PROCESSING);
	ck_assert_int_eq(d->paused_at, 0);
	/* Paused 11:00–11:30 and 13:30–14:00: one working hour later. */
	ck_assert_int_eq(d->due_at, at("2015-09-03 10:00"));
	ck_assert_int_eq(d->step_due_at, at("2015-08-28 11:00"));
	dossier_free(d);
	ck_assert_int_eq(sql_int("SELECT seconds FROM pauses WHERE kind = 'financial'", NULL),
	    3600);

	/* Handed over to the leaders, who resolve it: it goes back to the one-stop. */
	act_ok(OFF1, code, ACTION_HANDOVER, NULL, 0, at("2015-08-27 08:00"));
	d = get(code);
	ck_assert_int_eq(d->step, 2);
	ck_assert_str_eq(d->department, "lanh-dao");
	ck_assert_int_eq(d->officer, 0);
	dossier_free(d);
	ck_assert_int_eq(act(LEAD, code, ACTION_HANDOVER, NULL, 0, 0, at("2015-08-27 09:00"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đang ở bước xử lý cuối: hãy hoàn thành, "
	    "không chuyển bước");
	ck_assert_int_eq(act(OS1, code, ACTION_RETURN, NULL, 0, 0, at("2015-08-27 09:00"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đang ở trạng thái “Đang xử lý”, không "
	    "thể “Trả kết quả”");
	act_ok(LEAD, code, ACTION_RESOLVE, NULL, 0, at("2015-08-27 09:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_RESOLVED);
	ck_assert_int_eq(d->step, 3);
	ck_assert_str_eq(d->department, "mot-cua");
	ck_assert_int_eq(d->resolved_at, at("2015-08-27 09:00"));
	ck_assert_int_eq(d->closed_at, 0);
	a = who(OS1);
	ck_assert_uint_eq(dossier_allowed(&a, d), 1u << ACTION_RETURN);
	a = who(OFF1);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	dossier_free(d);

	/* Returned to the citizen: closed, nothing more to do. */
	ck_assert_int_eq(act(OFF1, code, ACTION_RETURN, NULL, 0, 0, at("2015-08-27 10:00"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Vai trò chuyên viên không được phép “Trả kết quả”");
	act_ok(OS2, code, ACTION_RETURN, NULL, 0, at("2015-08-27 10:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_RETURNED);
	ck_assert_int_eq(d->returned_at, at("2015-08-27 10:00"));
	ck_assert_int_eq(d->closed_at, at("2015-08-27 10:00"));
	a = who(LEAD);
	ck_assert_uint_eq(dossier_allowed(&a, d), 0);
	dossier_free(d);

	/* The history, one event per transition, in order. */
	a = who(OS1);
	ck_assert_int_eq(dossier_events(st, &a, code, &ev, &n, &cause), 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(ev[1].action, ACTION_HANDOVER);
	ck_assert_int_eq(ev[1].from_state, STATE_RECEIVED);
	ck_assert_int_eq(ev[1].to_state, STATE_PROCESSING);
	ck_assert_int_eq(ev[1].step, 1);
	ck_assert_str_eq(ev[1].department, "tnmt");
	ck_assert_str_eq(ev[1].note, "Bàn giao");
	ck_assert_int_eq(ev[1].step_due_at, at("2015-08-28 10:00"));
	ck_assert_int_eq(ev[2].action, ACTION_ASSIGN);
	ck_assert_int_eq(ev[2].officer, OFF1);
	ck_assert_int_eq(ev[2].actor, LEAD);
	ck_assert_str_eq(ev[2].actor_name, "Người dùng lead");
	ck_assert_int_eq(ev[3].action, ACTION_PAUSE_FINANCIAL);
	ck_assert_int_eq(ev[4].action, ACTION_RESUME_FINANCIAL);
	ck_assert_int_eq(ev[5].action, ACTION_HANDOVER);
	ck_assert_int_eq(ev[6].action, ACTION_RESOLVE);
	ck_assert_int_eq(ev[6].to_state, STATE_RESOLVED);
	ck_assert_int_eq(ev[7].action, ACTION_RETURN);
	ck_assert_int_eq(ev[7].from_state, STATE_RESOLVED);
	ck_assert_int_eq(ev[7].to_state, STATE_RETURNED);
	dossier_events_free(ev, n);
	free(code);
}
END_TEST

START_TEST(test_pause_exact)
{
	struct dossier	*d;
	char		*code, msg[256];

	/* The worked example: Fri 13 Feb 2015 10:00 + 5 days = Fri 27 Feb 10:00. */
	code = receive("1.000001", "p", "2015-02-13 10:00");
	d = get(code);
	ck_assert_int_eq(d->due_at, at("2015-02-27 10:00"));
	dossier_free(d);
	act_ok(OS1, code, ACTION_HANDOVER, NULL, 0, at("2015-02-13 10:30"));
	d = get(code);
	/* Two days from Fri 10:30: 4.5 h that day, 8 h on Sat 14 (worked), 3.5 h on Tue 24. */
	ck_assert_int_eq(d->step_due_at, at("2015-02-24 10:30"));
	dossier_free(d);

	/* A supplement needs its note, and stops the clock. */
	ck_assert_int_eq(act(OFF1, code, ACTION_REQUEST_SUPPLEMENT, " ", 0, 0,
	    at("2015-02-13 16:00"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Cần nhập lý do");
	act_ok(OFF1, code, ACTION_REQUEST_SUPPLEMENT, "Thiếu trích lục bản đồ", 0,
	    at("2015-02-13 16:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_SUPPLEMENT);
	ck_assert_int_eq(d->paused_at, at("2015-02-13 16:00"));
	dossier_free(d);
	ck_assert_int_eq(act(OFF1, code, ACTION_HANDOVER, NULL, 0, 0, at("2015-02-13 16:30"),
	    msg, sizeof msg), -1);
	ck_assert_int_eq(act(OFF1, code, ACTION_PAUSE_FINANCIAL, NULL, 0, 0,
	    at("2015-02-13 16:30"), msg, sizeof msg), -1);

	/*
	 * The citizen brings the papers to the counter on Tue 24 Feb 08:00. Paused working time:
	 * Fri 16:00–17:00 (1 h) + Sat 14 Feb, worked (8 h) + Tue 07:00–08:00 (1 h) = 10 h, over
	 * Tết (16–20 Feb) and the compensatory Mon 23 Feb.
	 */
	act_ok(OS2, code, ACTION_RECEIVE_SUPPLEMENT, NULL, 0, at("2015-02-24 08:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_PROCESSING);
	ck_assert_int_eq(d->paused_at, 0);
	/* Fri 27 Feb 10:00 + 10 h: 5 h that day, 4.5 h on Mon 2 Mar morning, 0.5 h after. */
	ck_assert_int_eq(d->due_at, at("2015-03-02 14:00"));
	/* Tue 24 Feb 10:30 + 10 h: 4.5 h that day, 5.5 h on Wed 25 Feb. */
	ck_assert_int_eq(d->step_due_at, at("2015-02-25 14:30"));
	dossier_free(d);
	ck_assert_int_eq(sql_int("SELECT seconds FROM pauses WHERE kind = 'supplement' AND "
	    "ended_by = 2 AND started_by = 3 AND note = 'Thiếu trích lục bản đồ'", NULL), 36000);
	free(code);
}
END_TEST

START_TEST(test_apology)
{
	struct dossier	*d;
	char		*code, msg[256];
	int64_t		 due;

	code = receive("1.000001", "ap", "2015-08-26 09:00");
	act_ok(OS1, code, ACTION_HANDOVER, NULL, 0, at("2015-08-26 10:00"));
	due = at("2015-09-03 09:00");

	ck_assert_int_eq(act(OFF1, code, ACTION_APOLOGIZE, NULL, 0, at("2015-09-07 09:00"),
	    at("2015-09-03 08:00"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Cần nhập lý do");
	/* The new appointment must be after the due time... */
	ck_assert_int_eq(act(OFF1, code, ACTION_APOLOGIZE, "Chờ xác minh", 0, due,
	    at("2015-09-03 08:00"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Ngày hẹn mới phải sau hạn hiện tại và sau thời điểm này");
	/* ...and after now. */
	ck_assert_int_eq(act(OFF1, code, ACTION_APOLOGIZE, "Chờ xác minh", 0,
	    at("2015-09-04 09:00"), at("2015-09-04 10:00"), msg, sizeof msg), -1);
	ck_assert_int_eq(act(OFFTP, code, ACTION_APOLOGIZE, "Chờ xác minh", 0,
	    at("2015-09-07 09:00"), at("2015-09-03 08:00"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đang do bộ phận tnmt xử lý");
	ck_assert_int_eq(act(OFF1, code, ACTION_APOLOGIZE, "Chờ xác minh", 0,
	    at("2015-09-07 09:00"), at("2015-09-03 08:00"), msg, sizeof msg), 0);
	d = get(code);
	ck_assert_int_eq(d->apology_at, at("2015-09-03 08:00"));
	ck_assert_int_eq(d->appointment_at, at("2015-09-07 09:00"));
	ck_assert_int_eq(d->due_at, due);	/* kept for statistics */
	ck_assert_int_eq(d->state, STATE_PROCESSING);
	dossier_free(d);

	/* Exactly once. */
	ck_assert_int_eq(act(LEAD, code, ACTION_APOLOGIZE, "Lần hai", 0,
	    at("2015-09-09 09:00"), at("2015-09-03 09:00"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đã có phiếu xin lỗi và hẹn lại ngày trả "
	    "kết quả");
	ck_assert_int_eq(events_of(code), 3);

	/* A later pause moves the new appointment too. */
	act_ok(OFF1, code, ACTION_REQUEST_SUPPLEMENT, "Bổ sung", 0, at("2015-09-03 09:00"));
	act_ok(OFF1, code, ACTION_RECEIVE_SUPPLEMENT, NULL, 0, at("2015-09-03 10:00"));
	d = get(code);
	ck_assert_int_eq(d->appointment_at, at("2015-09-07 10:00"));
	ck_assert_int_eq(d->due_at, at("2015-09-03 10:00"));
	dossier_free(d);
	free(code);
}
END_TEST

/* A step never ends after the dossier is due, even when its own count would run on. */
START_TEST(test_step_due_capped)
{
	struct dossier	*d;
	char		*code;

	/* Same-day, received 14:00: due 17:00; the hand-over at 15:30 is past the cut-off. */
	code = receive("2.000815", "cap", "2015-08-26 14:00");
	act_ok(OS1, code, ACTION_HANDOVER, NULL, 0, at("2015-08-26 15:30"));
	d = get(code);
	ck_assert_int_eq(d->due_at, at("2015-08-26 17:00"));
	ck_assert_int_eq(d->step_due_at, d->due_at);
	dossier_free(d);
	free(code);
}
END_TEST

/* The apology and new appointment are given at the latest on the due date. */
START_TEST(test_apology_deadline)
{
	char	*code, msg[256];

	code = receive("1.000001", "late", "2015-08-26 09:00");	/* due 2015-09-03 09:00 */
	act_ok(OS1, code, ACTION_HANDOVER, NULL, 0, at("2015-08-26 10:00"));
	ck_assert_int_eq(act(OFF1, code, ACTION_APOLOGIZE, "Chờ xác minh", 0,
	    at("2015-09-10 09:00"), at("2015-09-04 08:00"), msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Phiếu xin lỗi và hẹn lại phải lập chậm nhất trong ngày hẹn trả "
	    "kết quả");
	/* Late on the due day itself is still in time. */
	ck_assert_int_eq(act(OFF1, code, ACTION_APOLOGIZE, "Chờ xác minh", 0,
	    at("2015-09-10 09:00"), at("2015-09-03 16:00"), msg, sizeof msg), 0);
	free(code);
}
END_TEST

/* A paused dossier can still be closed when the year has no calendar yet. */
START_TEST(test_close_without_calendar)
{
	struct dossier	*d;
	char		*code, msg[256];

	code = receive("2.000815", "ny", "2016-12-30 09:00");
	act_ok(OS1, code, ACTION_REQUEST_SUPPLEMENT, "Thiếu bản chính", 0,
	    at("2016-12-30 10:00"));
	/* 2017 has no calendar: resuming cannot count the pause... */
	ck_assert_int_eq(act(OS1, code, ACTION_RECEIVE_SUPPLEMENT, NULL, 0, 0,
	    at("2017-01-03 09:00"), msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "2017"));
	/* ...but the citizen can still withdraw the dossier. */
	act_ok(OS1, code, ACTION_WITHDRAW, NULL, 0, at("2017-01-03 09:00"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_WITHDRAWN);
	ck_assert_int_eq(d->paused_at, 0);
	dossier_free(d);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM pauses WHERE ended_at IS NULL", NULL), 0);
	free(code);
}
END_TEST

/* An account disabled during a session stops acting at once. */
START_TEST(test_disabled_during_session)
{
	char	*cause = NULL, *code, msg[256];

	code = receive("1.000001", "dis", "2015-08-26 09:00");
	ck_assert_int_eq(store_user_set_disabled(st, OS1, true, &cause), 0);
	ck_assert_int_eq(act(OS1, code, ACTION_HANDOVER, NULL, 0, 0, at("2015-08-26 10:00"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Tài khoản đã bị khóa hoặc thay đổi; hãy đăng nhập lại");
	ck_assert_int_eq(events_of(code), 1);
	free(code);
}
END_TEST

START_TEST(test_closing)
{
	struct dossier	*d;
	char		*c1, *c2, *c3, msg[256];

	c1 = receive("1.000001", "c1", "2015-08-26 09:00");
	c2 = receive("1.000001", "c2", "2015-08-26 09:00");
	c3 = receive("1.000001", "c3", "2015-08-26 09:00");

	/* Withdrawn at the counter while waiting for a supplement: the pause is closed. */
	act_ok(OS1, c1, ACTION_HANDOVER, NULL, 0, at("2015-08-26 10:00"));
	act_ok(OFF1, c1, ACTION_REQUEST_SUPPLEMENT, "Bổ sung", 0, at("2015-08-26 11:00"));
	ck_assert_int_eq(act(OFF1, c1, ACTION_WITHDRAW, NULL, 0, 0, at("2015-08-27 09:00"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Vai trò chuyên viên không được phép “Rút hồ sơ”");
	act_ok(OS2, c1, ACTION_WITHDRAW, NULL, 0, at("2015-08-27 09:00"));
	d = get(c1);
	ck_assert_int_eq(d->state, STATE_WITHDRAWN);
	ck_assert_int_eq(d->closed_at, at("2015-08-27 09:00"));
	ck_assert_int_eq(d->paused_at, 0);
	dossier_free(d);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM pauses WHERE ended_at IS NULL", NULL),
	    0);
	ck_assert_int_eq(act(OS2, c1, ACTION_WITHDRAW, NULL, 0, 0, at("2015-08-27 09:30"),
	    msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "Hồ sơ TPSL-150826-0001 đang ở trạng thái “Đã rút”, không thể "
	    "“Rút hồ sơ”");

	/* Stop and refuse: leaders only, with a reason. */
	ck_assert_int_eq(act(OS1, c2, ACTION_STOP, "x", 0, 0, at("2015-08-27 09:00"), msg,
	    sizeof msg), -1);
	ck_assert_str_eq(msg, "Vai trò cán bộ tiếp nhận không được phép “Dừng xử lý”");
	ck_assert_int_eq(act(LEAD, c2, ACTION_STOP, NULL, 0, 0, at("2015-08-27 09:00"), msg,
	    sizeof msg), -1);
	ck_assert_str_eq(msg, "Cần nhập lý do");
	act_ok(LEAD, c2, ACTION_STOP, "Theo yêu cầu của cơ quan thuế", 0,
	    at("2015-08-27 09:00"));
	d = get(c2);
	ck_assert_int_eq(d->state, STATE_STOPPED);
	ck_assert_int_eq(d->closed_at, at("2015-08-27 09:00"));
	dossier_free(d);
	ck_assert_int_eq(act(OFF1, c3, ACTION_REFUSE, "x", 0, 0, at("2015-08-27 09:00"), msg,
	    sizeof msg), -1);
	ck_assert_int_eq(act(LEAD, c3, ACTION_REFUSE, "", 0, 0, at("2015-08-27 09:00"), msg,
	    sizeof msg), -1);
	act_ok(LEAD, c3, ACTION_REFUSE, "Không đủ điều kiện", 0, at("2015-08-27 09:00"));
	d = get(c3);
	ck_assert_int_eq(d->state, STATE_REFUSED);
	dossier_free(d);
	free(c1);
	free(c2);
	free(c3);
}
END_TEST

START_TEST(test_event_same_transaction)
{
	struct dossier	*d;
	sqlite3		*db;
	char		*code, msg[256];

	code = receive("1.000001", "tx", "2015-08-26 09:00");

	/* If the event cannot be written, the transition does not happen either. */
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TRIGGER refuse_handover BEFORE INSERT ON "
	    "events WHEN NEW.action = 'handover' BEGIN SELECT RAISE(ABORT, 'event refused'); "
	    "END", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(act(OS1, code, ACTION_HANDOVER, NULL, 0, 0, at("2015-08-26 10:00"),
	    msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "event refused"));
	d = get(code);
	ck_assert_int_eq(d->state, STATE_RECEIVED);
	ck_assert_int_eq(d->step, 0);
	ck_assert_str_eq(d->department, "mot-cua");
	dossier_free(d);
	ck_assert_int_eq(events_of(code), 1);

	/* The same holds for a pause row written before the event. */
	ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER refuse_handover; CREATE TRIGGER "
	    "refuse_pause BEFORE INSERT ON events WHEN NEW.action = 'request_supplement' "
	    "BEGIN SELECT RAISE(ABORT, 'event refused'); END", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(act(OS1, code, ACTION_REQUEST_SUPPLEMENT, "x", 0, 0,
	    at("2015-08-26 10:00"), msg, sizeof msg), -1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM pauses", NULL), 0);
	d = get(code);
	ck_assert_int_eq(d->state, STATE_RECEIVED);
	ck_assert_int_eq(d->paused_at, 0);
	dossier_free(d);
	ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER refuse_pause", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	act_ok(OS1, code, ACTION_HANDOVER, NULL, 0, at("2015-08-26 10:00"));
	d = get(code);
	ck_assert_int_eq(d->last_event, sql_int("SELECT max(id) FROM events", NULL));
	dossier_free(d);
	free(code);
}
END_TEST

START_TEST(test_race)
{
	struct store		*other;
	struct actor		 a = who(LEAD), b = who(OFF1);
	struct dossier_args	 args = { NULL, 0, 0, 0 };
	struct dossier		*seen_a, *seen_b, *d;
	char			*code, *cause = NULL;

	code = receive("1.000001", "race", "2015-08-26 09:00");
	act_ok(OS1, code, ACTION_HANDOVER, NULL, 0, at("2015-08-26 10:00"));
	other = store_open(dbpath, &cause);
	ck_assert_ptr_nonnull(other);

	/* Two people open the dossier on two connections and both press "hand over". */
	seen_a = dossier_get(st, &a, code, &cause);
	seen_b = dossier_get(other, &b, code, &cause);
	ck_assert_ptr_nonnull(seen_a);
	ck_assert_ptr_nonnull(seen_b);
	args.seen_event = seen_a->last_event;
	ck_assert_int_eq(dossier_act(st, cat->calendar, &a, code, ACTION_HANDOVER, &args,
	    at("2015-08-26 11:00"), &cause), 0);
	args.seen_event = seen_b->last_event;
	ck_assert_int_eq(dossier_act(other, cat->calendar, &b, code, ACTION_HANDOVER, &args,
	    at("2015-08-26 11:00"), &cause), -1);
	ck_assert_str_eq(cause, "Hồ sơ TPSL-150826-0001 đã thay đổi kể từ lúc mở; hãy xem lại "
	    "hồ sơ");
	free(cause);
	cause = NULL;
	/* Without the guard the rules still refuse on the fresh state: not the holder. */
	ck_assert_int_eq(dossier_act(other, cat->calendar, &b, code, ACTION_HANDOVER, NULL,
	    at("2015-08-26 11:00"), &cause), -1);
	ck_assert_str_eq(cause, "Hồ sơ TPSL-150826-0001 đang do bộ phận lanh-dao xử lý");
	free(cause);
	d = get(code);
	ck_assert_int_eq(d->step, 2);
	dossier_free(d);
	ck_assert_int_eq(events_of(code), 3);
	dossier_free(seen_a);
	dossier_free(seen_b);
	store_close(other);
	free(code);
}
END_TEST

START_TEST(test_bundled_catalog)
{
	struct catalog_problems	 problems = { 0 };
	struct catalog		*real;
	const struct catalog_procedure *p = NULL;
	const struct catalog_unit *u;
	struct store_user	 su = { 0 };
	struct dossier_intake	 in;
	struct actor		 a;
	struct dossier		*d;
	int64_t			 id, now;
	char			*code = NULL, *cause = NULL;
	bool			 replay, ok;
	size_t			 i, j;

	real = catalog_load(TEST_CATALOG, &problems);
	if (real == NULL) {
		/* The bundled catalog is checked by its own suite; say so and stop here. */
		fprintf(stderr, "test_bundled_catalog: %s does not load (%zu problems)\n",
		    TEST_CATALOG, problems.n);
		catalog_problems_free(&problems);
		return;
	}
	u = &real->units[0];
	/* A procedure the first unit offers: it has every department of the steps. */
	for (i = 0; i < real->nprocedures && p == NULL; i++) {
		ok = real->procedures[i].variants[0].nsteps > 0;
		for (j = 0; j < real->procedures[i].variants[0].nsteps; j++) {
			if (catalog_department(u,
			    real->procedures[i].variants[0].steps[j].dept) == NULL)
				ok = false;
		}
		if (ok)
			p = &real->procedures[i];
	}
	ck_assert(calendar_has_year(real->calendar, 2015));
	ck_assert_ptr_nonnull(p);
	su.login = (char *)"real";
	su.full_name = (char *)"Real";
	su.role = ROLE_ONE_STOP;
	su.unit = u->code;
	su.department = p->variants[0].steps[0].dept;
	ck_assert_int_eq(store_user_add(st, &su, 1, &id, &cause), 0);
	store_user_actor(&su, &a);
	a.user_id = id;
	in = form(p->code, "real-1");
	ck_assert_int_eq(calendar_parse_local(real->calendar, "2015-08-26 09:00", &now,
	    &cause), 0);
	if (dossier_receive(st, real, &a, &in, now, &code, &replay, &cause) != 0)
		ck_abort_msg("receive %s: %s", p->code, cause);
	d = dossier_get(st, &a, code, &cause);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->procedure_hash, p->version);
	ck_assert_uint_eq(d->nsteps, p->variants[0].nsteps);
	dossier_free(d);
	free(code);
	catalog_free(real);
}
END_TEST

/* The suite. */
static Suite *
dossier_suite(void)
{
	Suite	*s = suite_create("dossier");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_rules_by_role_and_state);
	tcase_add_test(tc, test_rules_by_unit_and_holder);
	tcase_add_test(tc, test_rules_by_step);
	tcase_add_test(tc, test_intake);
	tcase_add_test(tc, test_intake_kinds);
	tcase_add_test(tc, test_intake_invalid);
	tcase_add_test(tc, test_intake_replay);
	tcase_add_test(tc, test_refuse_intake_and_guide);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_pause_exact);
	tcase_add_test(tc, test_apology);
	tcase_add_test(tc, test_closing);
	tcase_add_test(tc, test_step_due_capped);
	tcase_add_test(tc, test_apology_deadline);
	tcase_add_test(tc, test_close_without_calendar);
	tcase_add_test(tc, test_disabled_during_session);
	tcase_add_test(tc, test_event_same_transaction);
	tcase_add_test(tc, test_race);
	tcase_add_test(tc, test_bundled_catalog);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(dossier_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
