/* seed.c: the dossiers of Thành phố Sơn La in the first half of 2015, made through dossier.c. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog.h"
#include "demo.h"
#include "dossier.h"
#include "seed.h"
#include "store.h"
#include "xmalloc.h"

#define SEED_RNG	0x20150630c0ffeeULL
#define SEED_HOUR	3600
#define SEED_MAX_DAYS	200
#define SEED_ALL	(SEED_TOTAL + SEED_REFUSED_AT_INTAKE)

/* The received dossiers by procedure: the parts of the province's figures. */
const struct seed_procedure seed_procedures[] = {
	/* Land, 2,749: transfer, gift or new certificate 1,567; secured transactions 1,182. */
	{ "1.004227", "dat-dai", 1096 },	/* transfer, inheritance, gift */
	{ "1.004203", "dat-dai", 318 },		/* first certificate */
	{ "1.004177", "dat-dai", 92 },		/* change of land use */
	{ "1.004221", "dat-dai", 61 },		/* re-issue of a lost certificate */
	{ "1.003596", "dat-dai", 1182 },	/* mortgage registration */
	/* Construction, 190. */
	{ "1.013225", "xay-dung", 141 },
	{ "1.013226", "xay-dung", 21 },
	{ "1.013227", "xay-dung", 17 },
	{ "1.013228", "xay-dung", 11 },
	/* Business, 462. */
	{ "1.001612", "kinh-doanh", 248 },
	{ "2.000720", "kinh-doanh", 104 },
	{ "1.001570", "kinh-doanh", 47 },
	{ "1.001266", "kinh-doanh", 39 },
	{ "2.000575", "kinh-doanh", 24 },
	/* Justice, 1,703: civil status 19, certification 1,684. */
	{ "2.000528", "ho-tich", 6 },
	{ "2.000806", "ho-tich", 5 },
	{ "2.000748", "ho-tich", 4 },
	{ "2.000635", "ho-tich", 3 },
	{ "2.000522", "ho-tich", 1 },
	{ "2.000815", "chung-thuc", 1012 },
	{ "2.000884", "chung-thuc", 389 },
	{ "2.001035", "chung-thuc", 164 },
	{ "2.000843", "chung-thuc", 37 },
	{ "2.001019", "chung-thuc", 29 },
	{ "2.000913", "chung-thuc", 22 },
	{ "2.000992", "chung-thuc", 18 },
	{ "2.001008", "chung-thuc", 13 }
};
const size_t seed_nprocedures = sizeof seed_procedures / sizeof seed_procedures[0];

/* The seed's users: one per department of the city, and its leader. */
static const struct {
	const char	*login;
	const char	*full_name;
	enum role	 role;
	const char	*department;
} seed_users[] = {
	{ "seed.tiepnhan", "Lò Thị Hoa", ROLE_ONE_STOP, "mot-cua" },
	{ "seed.tuphap", "Nguyễn Thị Thu Hằng", ROLE_OFFICER, "tu-phap" },
	{ "seed.tnmt", "Đinh Công Thành", ROLE_OFFICER, "tnmt" },
	{ "seed.vpdk", "Lường Thị Mai", ROLE_OFFICER, "vpdk" },
	{ "seed.xaydung", "Phạm Minh Tuấn", ROLE_OFFICER, "xay-dung" },
	{ "seed.tckh", "Vì Thị Lan", ROLE_OFFICER, "tckh" },
	{ "seed.thue", "Bạc Cầm Khiêm", ROLE_OFFICER, "thue" },
	{ "seed.capxa", "Tòng Văn Sơn", ROLE_OFFICER, "cap-xa" },
	{ "seed.lanhdao", "Trần Quốc Hưng", ROLE_LEADER, "lanh-dao" }
};
#define SEED_NUSERS	(sizeof seed_users / sizeof seed_users[0])
#define SEED_COUNTER	0	/* index of the one-stop officer */
#define SEED_LEADER	(SEED_NUSERS - 1)

static const char *seed_family[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Cầm", "Quàng", "Lường", "Tòng", "Vì",
	"Hà", "Đinh", "Bạc", "Sa", "Điêu", "Mùa", "Giàng", "Vũ", "Đặng", "Bùi"
};
static const char *seed_middle[] = { "Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang" };
static const char *seed_given[] = {
	"An", "Bình", "Cường", "Dũng", "Hải", "Nam", "Sơn", "Tuấn", "Hoa", "Hương", "Lan",
	"Mai", "Tâm", "Yến", "Thảo", "Nhung"
};
static const char *seed_communes[] = {
	"Phường Chiềng Lề", "Phường Tô Hiệu", "Phường Quyết Thắng", "Phường Quyết Tâm",
	"Phường Chiềng Sinh", "Phường Chiềng An", "Phường Chiềng Cơi", "Xã Chiềng Ngần",
	"Xã Hua La", "Xã Chiềng Cọ", "Xã Chiềng Đen"
};

/* How a received dossier's story goes. */
enum seed_fate {
	SEED_NORMAL,
	SEED_SUPPLEMENT,
	SEED_WITHDRAW,
	SEED_STOP,
	SEED_REFUSE
};

/* The state of a fill. */
struct seed {
	struct store		*st;
	const struct catalog	*cat;
	struct seed_tally	*tally;
	uint64_t		 rng;
	int64_t			 end;
	int64_t			 ids[SEED_NUSERS];
	char			*cause;
};

/* One intake to make. */
struct seed_intake {
	int64_t	at;
	int	procedure;	/* index into seed_procedures */
	bool	refuse;		/* refused at the counter */
};

/* A pseudo-random integer in [lo, hi] from the fill's sequence. */
static int64_t
seed_range(struct seed *s, int64_t lo, int64_t hi)
{
	return demo_random(&s->rng, lo, hi);
}

/* Return true with a probability of permille / 1000. */
static bool
seed_chance(struct seed *s, int permille)
{
	return seed_range(s, 0, 999) < permille;
}

#define SEED_PICK(s, a) \
	((a)[seed_range((s), 0, (int64_t)(sizeof (a) / sizeof (a)[0]) - 1)])

/* Add working seconds to an instant; INT64_MAX if the calendar cannot tell. */
static int64_t
seed_add(struct seed *s, int64_t t, int64_t seconds)
{
	return demo_working_add(s->cat->calendar, t, seconds);
}

/* The actor of the seed user at index i. */
static void
seed_actor_at(struct seed *s, size_t i, struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->user_id = s->ids[i];
	a->role = seed_users[i].role;
	a->unit = SEED_UNIT;
	a->department = seed_users[i].department;
}

/* The actor who holds a department's work: its officer, or the leader. */
static void
seed_actor(struct seed *s, const char *department, struct actor *a)
{
	size_t	i;

	for (i = 0; i < SEED_NUSERS; i++) {
		if (strcmp(seed_users[i].department, department) == 0) {
			seed_actor_at(s, i, a);
			return;
		}
	}
	seed_actor_at(s, SEED_LEADER, a);
}

/* Take an action; on failure keep the cause and return -1. */
static int
seed_act(struct seed *s, const struct actor *a, const char *code, enum dossier_action action,
    const struct dossier_args *args, int64_t at)
{
	char	*why = NULL;

	if (dossier_act(s->st, s->cat->calendar, a, code, action, args, at, &why) != 0) {
		s->cause = xasprintf("seed: %s: %s: %s", code, dossier_action_name(action), why);
		free(why);
		return -1;
	}
	return 0;
}

/* Working seconds a step takes in a dossier's story. */
static int64_t
seed_step_time(struct seed *s, const struct dossier_step *step, int speed)
{
	int64_t	budget, used;

	budget = (int64_t)step->centidays * calendar_day_seconds(s->cat->calendar) / 100;
	if (budget == 0)
		budget = 45 * 60;	/* a same-day step: the certification itself */
	used = budget * speed / 100;
	return used < 600 ? 600 : used;
}

/* Fill an intake form with a made-up applicant. */
static void
seed_form(struct seed *s, const struct catalog_procedure *p, int n, struct dossier_intake *in,
    char *name, char *id, char *phone, char *address, char *key, size_t size)
{
	snprintf(name, size, "%s %s %s", SEED_PICK(s, seed_family), SEED_PICK(s, seed_middle),
	    SEED_PICK(s, seed_given));
	snprintf(id, size, "0140%02d%06d", (int)seed_range(s, 40, 99),
	    (int)seed_range(s, 0, 999999));
	snprintf(phone, size, "0%c%08d", "389"[seed_range(s, 0, 2)],
	    (int)seed_range(s, 0, 99999999));
	snprintf(address, size, "Tổ %d", (int)seed_range(s, 1, 12));
	snprintf(key, size, "seed-%05d", n);

	memset(in, 0, sizeof *in);
	in->procedure = p->code;
	in->variant = (int)seed_range(s, 0, (int64_t)p->nvariants - 1);
	in->applicant_name = name;
	in->applicant_id = id;
	in->applicant_phone = seed_chance(s, 900) ? phone : "";
	in->applicant_address = address;
	in->applicant_commune = SEED_PICK(s, seed_communes);
	if (p->online && seed_chance(s, 80))
		in->channel = CHANNEL_ONLINE;
	else if (seed_chance(s, 30))
		in->channel = CHANNEL_POST;
	else
		in->channel = CHANNEL_COUNTER;
	in->idempotency_key = key;
}

/* Count a resolution against the dossier's appointment. */
static void
seed_count_resolved(struct seed *s, const char *code, int64_t at)
{
	struct actor	 a;
	struct dossier	*d;
	char		*why = NULL;

	seed_actor_at(s, SEED_LEADER, &a);
	if ((d = dossier_get(s->st, &a, code, &why)) == NULL) {
		free(why);
		return;
	}
	if (d->due_at == 0)
		s->tally->resolved_on_time++;
	else {
		switch (calendar_punctuality(s->cat->calendar, at, d->due_at)) {
		case CALENDAR_EARLY:
			s->tally->resolved_early++;
			break;
		case CALENDAR_ON_TIME:
			s->tally->resolved_on_time++;
			break;
		case CALENDAR_LATE:
			s->tally->resolved_late++;
			break;
		}
	}
	dossier_free(d);
}

/* Play a received dossier's story up to the end of the period. */
static int
seed_story(struct seed *s, const char *code, int64_t received, bool same_day)
{
	struct dossier_args	 args;
	struct actor		 counter, leader, holder;
	struct dossier		*d = NULL;
	enum seed_fate		 fate = SEED_NORMAL;
	int64_t			 t, ta, tnext, back, start;
	int			 r, speed, step = -1, ret = -1;
	bool			 side_done = false, paused_done = false, finished = false;
	char			*why = NULL;

	seed_actor_at(s, SEED_COUNTER, &counter);
	seed_actor_at(s, SEED_LEADER, &leader);
	r = (int)seed_range(s, 0, 999);
	if (r < 12)
		fate = SEED_WITHDRAW;
	else if (r < 19)
		fate = SEED_REFUSE;
	else if (r < 22)
		fate = SEED_STOP;
	else if (r < 92 && !same_day)
		fate = SEED_SUPPLEMENT;
	r = (int)seed_range(s, 0, 999);
	if (r < 620)
		speed = (int)seed_range(s, 20, 85);
	else if (r < 900)
		speed = (int)seed_range(s, 85, 100);
	else
		speed = (int)seed_range(s, 110, 260);

	t = start = received;
	for (;;) {
		dossier_free(d);
		if ((d = dossier_get(s->st, &leader, code, &why)) == NULL) {
			s->cause = xasprintf("seed: %s: %s", code, why);
			goto out;
		}
		if (d->closed_at != 0) {
			finished = true;
			break;
		}
		if (d->step != step) {
			step = d->step;
			start = t;
		}
		if (d->state == STATE_RESOLVED) {
			finished = true;
			/* The citizen comes for the result, unless not yet. */
			ta = seed_add(s, t, seed_range(s, SEED_HOUR / 2, 3 * 8 * SEED_HOUR));
			if (ta < s->end && !seed_chance(s, 50)) {
				if (seed_act(s, strcmp(d->department, "mot-cua") == 0 ? &counter :
				    &leader, code, ACTION_RETURN, NULL, ta) != 0)
					goto out;
				s->tally->returned++;
			}
			break;
		}
		seed_actor(s, d->department, &holder);

		/* The side paths happen at the first department after the counter. */
		if (d->step == 1 && !side_done && fate != SEED_NORMAL) {
			side_done = true;
			ta = seed_add(s, t, seed_range(s, SEED_HOUR, 6 * SEED_HOUR));
			if (ta >= s->end)
				break;
			memset(&args, 0, sizeof args);
			switch (fate) {
			case SEED_WITHDRAW:
				args.note = "Người nộp đề nghị rút hồ sơ";
				if (seed_act(s, &counter, code, ACTION_WITHDRAW, &args, ta) != 0)
					goto out;
				s->tally->withdrawn++;
				continue;
			case SEED_STOP:
				args.note = "Đất đang có tranh chấp, chờ giải quyết của Tòa án";
				if (seed_act(s, &leader, code, ACTION_STOP, &args, ta) != 0)
					goto out;
				s->tally->stopped++;
				continue;
			case SEED_REFUSE:
				args.note = "Hồ sơ không đủ điều kiện theo quy định";
				if (seed_act(s, &leader, code, ACTION_REFUSE, &args, ta) != 0)
					goto out;
				s->tally->refused++;
				continue;
			case SEED_SUPPLEMENT:
				args.note = "Bổ sung bản sao giấy tờ tùy thân có chứng thực";
				if (seed_act(s, &holder, code, ACTION_REQUEST_SUPPLEMENT, &args,
				    ta) != 0)
					goto out;
				s->tally->supplement++;
				back = seed_add(s, ta, seed_range(s, 4 * SEED_HOUR,
				    5 * 8 * SEED_HOUR));
				if (seed_chance(s, 150) || back >= s->end)
					goto open;
				if (seed_act(s, &counter, code, ACTION_RECEIVE_SUPPLEMENT, NULL,
				    back) != 0)
					goto out;
				t = start = back;
				continue;
			default:
				break;
			}
		}

		/* Waiting for the land tax. */
		if (d->steps[d->step].pause_citizen && d->state == STATE_PROCESSING &&
		    !paused_done) {
			paused_done = true;
			ta = seed_add(s, t, seed_range(s, SEED_HOUR / 2, 2 * SEED_HOUR));
			if (ta >= s->end)
				break;
			if (seed_act(s, &holder, code, ACTION_PAUSE_FINANCIAL, NULL, ta) != 0)
				goto out;
			s->tally->financial++;
			back = seed_add(s, ta, seed_range(s, 8 * SEED_HOUR, 6 * 8 * SEED_HOUR));
			if (seed_chance(s, 80) || back >= s->end)
				goto open;
			if (seed_act(s, &holder, code, ACTION_RESUME_FINANCIAL, NULL, back) != 0)
				goto out;
			t = start = back;
			continue;
		}

		/* The step's work, and an apology when it will end after the appointment. */
		tnext = seed_add(s, start, seed_step_time(s, &d->steps[d->step], speed));
		if (tnext < t + 600)
			tnext = seed_add(s, t, 600);
		if (d->due_at != 0 && d->apology_at == 0 && tnext > d->due_at &&
		    seed_chance(s, 500)) {
			ta = d->due_at - SEED_HOUR > t + 600 ? d->due_at - SEED_HOUR : t + 600;
			if (ta < s->end &&
			    demo_same_day_or_before(s->cat->calendar, ta, d->due_at)) {
				memset(&args, 0, sizeof args);
				args.note = "Phải xác minh thêm thực địa, lấy ý kiến cơ quan liên "
				    "quan";
				args.appointment = seed_add(s, ta > d->due_at ? ta : d->due_at,
				    3 * 8 * SEED_HOUR);
				if (seed_act(s, &holder, code, ACTION_APOLOGIZE, &args, ta) != 0)
					goto out;
				s->tally->apologies++;
				t = ta;
				continue;
			}
		}
		if (tnext >= s->end)
			break;
		if ((size_t)d->step + 2 < d->nsteps) {
			if (seed_act(s, &holder, code, ACTION_HANDOVER, NULL, tnext) != 0)
				goto out;
		} else {
			if (seed_act(s, &holder, code, ACTION_RESOLVE, NULL, tnext) != 0)
				goto out;
			seed_count_resolved(s, code, tnext);
		}
		t = tnext;
	}
open:
	if (!finished)
		s->tally->open++;
	ret = 0;
out:
	dossier_free(d);
	return ret;
}

/* Order intakes by time. */
static int
seed_cmp(const void *a, const void *b)
{
	const struct seed_intake	*x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->procedure - y->procedure;
}

/* The openings of the working days of the period, and how many there are. */
static int
seed_days(struct seed *s, int64_t from, int64_t *days, size_t *ndays)
{
	struct calendar_date	 d;
	int64_t			 n, open;
	int			 working;
	char			*why = NULL;

	*ndays = 0;
	d = calendar_local_date(s->cat->calendar, from, NULL);
	for (n = calendar_days_from_date(d);; n++) {
		open = n * 86400 - s->cat->utc_offset +
		    (int64_t)s->cat->office_hours[0].start * 60;
		if (open >= s->end)
			break;
		working = calendar_is_working_day(s->cat->calendar,
		    calendar_date_from_days(n), &why);
		if (working < 0) {
			s->cause = xasprintf("seed: %s", why);
			free(why);
			return -1;
		}
		if (working == 1 && *ndays < SEED_MAX_DAYS)
			days[(*ndays)++] = open;
	}
	return 0;
}

/* Create the seed's users. */
static int
seed_add_users(struct seed *s, int64_t now)
{
	struct store_user	u;
	size_t			i;

	for (i = 0; i < SEED_NUSERS; i++) {
		memset(&u, 0, sizeof u);
		u.login = (char *)seed_users[i].login;
		u.full_name = (char *)seed_users[i].full_name;
		u.role = seed_users[i].role;
		u.unit = (char *)SEED_UNIT;
		u.department = (char *)seed_users[i].department;
		if (store_user_add(s->st, &u, now, &s->ids[i], &s->cause) != 0)
			return -1;
	}
	return 0;
}

/* Fill a store with the seed's users and dossiers. */
int
seed_fill(struct store *st, const struct catalog *cat, struct seed_tally *tally,
    char **cause)
{
	const struct catalog_procedure	*p;
	struct seed_intake		*list = NULL;
	struct seed_tally		 own;
	struct dossier_intake		 in;
	struct actor			 counter;
	struct seed			 s;
	int64_t				 from, days[SEED_MAX_DAYS], k, tmp;
	size_t				 ndays, i, j, n;
	char				 name[128], id[128], phone[128], address[128], key[128];
	char				*code = NULL, *why = NULL;
	bool				 replay;
	int				 ret = -1;

	memset(&s, 0, sizeof s);
	memset(&own, 0, sizeof own);
	s.st = st;
	s.cat = cat;
	s.tally = tally != NULL ? tally : &own;
	memset(s.tally, 0, sizeof *s.tally);
	s.rng = SEED_RNG;
	if (calendar_parse_local(cat->calendar, SEED_FROM, &from, cause) != 0 ||
	    calendar_parse_local(cat->calendar, SEED_END, &s.end, cause) != 0)
		return -1;
	for (i = 0; i < seed_nprocedures; i++) {
		p = catalog_procedure(cat, seed_procedures[i].code);
		if (p == NULL || strcmp(p->field, seed_procedures[i].field) != 0) {
			*cause = xasprintf("seed: the catalog has no procedure %s in %s",
			    seed_procedures[i].code, seed_procedures[i].field);
			return -1;
		}
	}
	if (seed_days(&s, from, days, &ndays) != 0 || ndays == 0)
		goto fail;

	/* Who comes for what, in a shuffled order, at times spread over the working days. */
	list = xcalloc(SEED_ALL, sizeof *list);
	for (i = 0, n = 0; i < seed_nprocedures; i++) {
		for (k = 0; k < seed_procedures[i].count; k++)
			list[n++].procedure = (int)i;
	}
	for (; n < SEED_ALL; n++) {
		list[n].procedure = (int)seed_range(&s, 0, (int64_t)seed_nprocedures - 1);
		list[n].refuse = true;
	}
	for (i = n - 1; i > 0; i--) {
		j = (size_t)seed_range(&s, 0, (int64_t)i);
		tmp = list[i].procedure;
		list[i].procedure = list[j].procedure;
		list[j].procedure = (int)tmp;
		replay = list[i].refuse;
		list[i].refuse = list[j].refuse;
		list[j].refuse = replay;
	}
	for (i = 0; i < n; i++) {
		k = seed_add(&s, days[seed_range(&s, 0, (int64_t)ndays - 1)],
		    seed_range(&s, 0, calendar_day_seconds(cat->calendar) - 300));
		list[i].at = k - k % 60;
	}
	qsort(list, n, sizeof *list, seed_cmp);

	if (seed_add_users(&s, from) != 0)
		goto fail;
	seed_actor_at(&s, SEED_COUNTER, &counter);
	for (i = 0; i < n; i++) {
		p = catalog_procedure(cat, seed_procedures[list[i].procedure].code);
		seed_form(&s, p, (int)i + 1, &in, name, id, phone, address, key, sizeof name);
		if (list[i].refuse) {
			in.note = "Thủ tục không thuộc thẩm quyền giải quyết của UBND thành phố";
			if (dossier_refuse_intake(st, cat, &counter, &in, list[i].at, &code,
			    &replay, &why) != 0)
				goto failwhy;
			s.tally->refused_at_intake++;
			free(code);
			code = NULL;
			continue;
		}
		if (dossier_receive(st, cat, &counter, &in, list[i].at, &code, &replay,
		    &why) != 0)
			goto failwhy;
		s.tally->received++;
		if (in.channel == CHANNEL_ONLINE)
			s.tally->online++;
		else if (in.channel == CHANNEL_POST)
			s.tally->post++;
		else
			s.tally->counter++;
		if (seed_story(&s, code, list[i].at,
		    p->variants[in.variant].duration.same_day) != 0)
			goto fail;
		free(code);
		code = NULL;
	}
	ret = 0;
	goto out;

failwhy:
	s.cause = xasprintf("seed: %s: %s", key, why);
fail:
	if (s.cause != NULL) {
		*cause = s.cause;
		s.cause = NULL;
	} else if (*cause == NULL)
		*cause = xstrdup("seed: failed");
out:
	free(why);
	free(code);
	free(list);
	return ret;
}
