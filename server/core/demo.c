/* demo.c: the demo province: its users and dossiers made through the real lifecycle. */
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
#include "store.h"
#include "xmalloc.h"

#define DEMO_SEED		0x5f3759df2015ULL
#define DEMO_DAYS		30	/* working days of history before now */
#define DEMO_HOUR		3600
#define DEMO_MAX_USERS		32

/* The demo users. */
static const struct {
	const char	*login;
	const char	*full_name;
	enum role	 role;
	const char	*unit;
	const char	*department;
} demo_users[] = {
	{ "tiepnhan.tpsl", "Lò Thị Hoa", ROLE_ONE_STOP, "TPSL", "mot-cua" },
	{ "tuphap.tpsl", "Nguyễn Thị Thu Hằng", ROLE_OFFICER, "TPSL", "tu-phap" },
	{ "tuphap2.tpsl", "Quàng Văn Duy", ROLE_OFFICER, "TPSL", "tu-phap" },
	{ "lanhdao.tpsl", "Trần Quốc Hưng", ROLE_LEADER, "TPSL", "lanh-dao" },
	{ "tnmt.tpsl", "Đinh Công Thành", ROLE_OFFICER, "TPSL", "tnmt" },
	{ "vpdk.tpsl", "Lường Thị Mai", ROLE_OFFICER, "TPSL", "vpdk" },
	{ "xaydung.tpsl", "Phạm Minh Tuấn", ROLE_OFFICER, "TPSL", "xay-dung" },
	{ "tckh.tpsl", "Vì Thị Lan", ROLE_OFFICER, "TPSL", "tckh" },
	{ "thue.tpsl", "Bạc Cầm Khiêm", ROLE_OFFICER, "TPSL", "thue" },
	{ "capxa.tpsl", "Tòng Văn Sơn", ROLE_OFFICER, "TPSL", "cap-xa" },
	{ "tiepnhan.mch", "Hà Thị Nhung", ROLE_ONE_STOP, "MCH", "mot-cua" },
	{ "tuphap.mch", "Sa Thị Hương", ROLE_OFFICER, "MCH", "tu-phap" },
	{ "lanhdao.mch", "Đỗ Văn Bình", ROLE_LEADER, "MCH", "lanh-dao" },
	{ "tinh", "Lê Thanh Bình", ROLE_MONITOR, NULL, NULL },
	{ "admin", "Quản trị hệ thống", ROLE_ADMIN, NULL, NULL }
};
#define DEMO_NUSERS	(sizeof demo_users / sizeof demo_users[0])

/* The units filled with dossiers, and their places. */
struct demo_place {
	const char	*commune;
	bool		 urban;		/* addresses by tổ / tiểu khu rather than bản */
};
static const struct demo_place demo_tpsl_places[] = {
	{ "Phường Chiềng Lề", true }, { "Phường Tô Hiệu", true },
	{ "Phường Quyết Thắng", true }, { "Phường Quyết Tâm", true },
	{ "Phường Chiềng Sinh", true }, { "Phường Chiềng An", true },
	{ "Phường Chiềng Cơi", true }, { "Xã Chiềng Ngần", false }, { "Xã Hua La", false },
	{ "Xã Chiềng Cọ", false }, { "Xã Chiềng Đen", false }
};
static const struct demo_place demo_mch_places[] = {
	{ "Thị trấn Mộc Châu", true }, { "Thị trấn Nông trường Mộc Châu", true },
	{ "Xã Chiềng Sơn", false }, { "Xã Đông Sang", false }, { "Xã Mường Sang", false },
	{ "Xã Phiêng Luông", false }
};
static const struct {
	const char			*unit;
	const char			*city;
	int				 count;
	const struct demo_place		*places;
	size_t				 nplaces;
} demo_units[] = {
	{ "TPSL", "thành phố Sơn La", 300, demo_tpsl_places,
	    sizeof demo_tpsl_places / sizeof demo_tpsl_places[0] },
	{ "MCH", "huyện Mộc Châu", 60, demo_mch_places,
	    sizeof demo_mch_places / sizeof demo_mch_places[0] }
};

static const char *demo_family[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Cầm", "Quàng", "Lường", "Tòng", "Vì",
	"Hà", "Đinh", "Bạc", "Sa", "Điêu", "Mùa", "Giàng", "Sùng", "Vũ", "Đặng", "Bùi"
};
static const char *demo_middle_m[] = { "Văn", "Đức", "Minh", "Quang", "Hữu", "Công" };
static const char *demo_middle_f[] = { "Thị", "Thu", "Ngọc", "Hồng", "Thanh", "Kim" };
static const char *demo_given_m[] = {
	"An", "Bình", "Cường", "Dũng", "Hải", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Tuấn",
	"Chiến", "Khánh", "Long", "Pánh", "Xuân"
};
static const char *demo_given_f[] = {
	"Hoa", "Hương", "Lan", "Mai", "Tâm", "Yến", "Thảo", "Nhung", "Phương", "Hạnh", "Ánh",
	"Ngân", "Xuyến", "Oanh"
};
static const char *demo_villages[] = {
	"Bản Hẹo", "Bản Mòn", "Bản Hài", "Bản Bó", "Bản Nà Viền", "Bản Phiêng Ngần", "Bản Lay",
	"Bản Cọ", "Bản Pát", "Bản Muông"
};
static const char *demo_missing[] = {
	"Bản sao Giấy chứng nhận quyền sử dụng đất có chứng thực",
	"Sơ đồ vị trí thửa đất có xác nhận của UBND cấp xã",
	"Tờ khai lệ phí trước bạ có chữ ký của người nộp",
	"Giấy ủy quyền có chứng thực",
	"Bản vẽ thiết kế mặt bằng công trình"
};

/* How a dossier's story ends. */
enum demo_fate {
	FATE_NORMAL,
	FATE_REFUSE_INTAKE,
	FATE_WITHDRAW,
	FATE_STOP,
	FATE_REFUSE,
	FATE_SUPPLEMENT,
	FATE_NEVER_COLLECT
};

/* The state of a fill. */
struct demo {
	struct store		*st;
	const struct catalog	*cat;
	int64_t			 now;
	uint64_t		 rng;
	int64_t			 ids[DEMO_MAX_USERS];	/* by index of demo_users */
	int64_t			 days[DEMO_DAYS + 1];	/* openings of the working days */
	int			 ndays;
	char			*cause;
};

/* One dossier to make. */
struct demo_dossier {
	int64_t	received;
	int	index;
};

/* A pseudo-random integer in [lo, hi] (splitmix64): the same for the same state. */
int64_t
demo_random(uint64_t *state, int64_t lo, int64_t hi)
{
	uint64_t	z;

	if (hi <= lo)
		return lo;
	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return lo + (int64_t)(z % (uint64_t)(hi - lo + 1));
}

/* A pseudo-random integer in [lo, hi] from the fill's sequence. */
static int64_t
demo_range(struct demo *dm, int64_t lo, int64_t hi)
{
	return demo_random(&dm->rng, lo, hi);
}

/* Return true with a probability of percent / 100. */
static bool
demo_chance(struct demo *dm, int percent)
{
	return demo_range(dm, 0, 99) < percent;
}

/* Pick an element of a static array of strings. */
#define DEMO_PICK(dm, a) \
	((a)[demo_range((dm), 0, (int64_t)(sizeof (a) / sizeof (a)[0]) - 1)])

/* Add working seconds to an instant; INT64_MAX if the calendar cannot tell. */
int64_t
demo_working_add(const struct calendar *cal, int64_t t, int64_t seconds)
{
	int64_t	 out;
	char	*why = NULL;

	if (calendar_add(cal, t, seconds, &out, &why) != 0) {
		free(why);
		return INT64_MAX;
	}
	return out;
}

/* Add working seconds to an instant by the fill's calendar. */
static int64_t
demo_add(struct demo *dm, int64_t t, int64_t seconds)
{
	return demo_working_add(dm->cat->calendar, t, seconds);
}

/* Fill an actor from the demo user at index i. */
static void
demo_actor_at(struct demo *dm, size_t i, struct actor *a)
{
	memset(a, 0, sizeof *a);
	if (i >= DEMO_NUSERS)
		return;
	a->user_id = dm->ids[i];
	a->role = demo_users[i].role;
	a->unit = demo_users[i].unit;
	a->department = demo_users[i].department;
}

/* The actor of a user by id. */
static void
demo_actor_id(struct demo *dm, int64_t id, struct actor *a)
{
	size_t	i;

	for (i = 0; i < DEMO_NUSERS; i++) {
		if (dm->ids[i] == id)
			break;
	}
	demo_actor_at(dm, i, a);
}

/*
 * The actor for a department of a unit: one of its users (picked at random if several), or
 * the unit's leader if it has none or if leader is set.
 */
static void
demo_actor(struct demo *dm, const char *unit, const char *department, bool leader,
    struct actor *a)
{
	size_t	i, match[DEMO_MAX_USERS], n = 0, lead = DEMO_NUSERS;

	for (i = 0; i < DEMO_NUSERS; i++) {
		if (demo_users[i].unit == NULL || strcmp(demo_users[i].unit, unit) != 0)
			continue;
		if (demo_users[i].role == ROLE_LEADER && lead == DEMO_NUSERS)
			lead = i;
		if (!leader && department != NULL &&
		    strcmp(demo_users[i].department, department) == 0)
			match[n++] = i;
	}
	if (n == 0)
		demo_actor_at(dm, lead, a);
	else
		demo_actor_at(dm, match[n == 1 ? 0 : demo_range(dm, 0, (int64_t)n - 1)], a);
}

/* Create the demo users. */
static int
demo_add_users(struct demo *dm, const char *password_hash)
{
	struct store_user	u;
	size_t			i;

	for (i = 0; i < DEMO_NUSERS && i < DEMO_MAX_USERS; i++) {
		memset(&u, 0, sizeof u);
		u.login = (char *)demo_users[i].login;
		u.full_name = (char *)demo_users[i].full_name;
		u.role = demo_users[i].role;
		u.unit = (char *)demo_users[i].unit;
		u.department = (char *)demo_users[i].department;
		u.password_hash = (char *)password_hash;
		if (store_user_add(dm->st, &u, dm->now, &dm->ids[i], &dm->cause) != 0)
			return -1;
	}
	return 0;
}

/* Find the openings of the last DEMO_DAYS working days up to now (today included). */
static int
demo_find_days(struct demo *dm)
{
	struct calendar_date	 day;
	int64_t			 n, open;
	int			 k, working;
	char			*why = NULL;

	day = calendar_local_date(dm->cat->calendar, dm->now, NULL);
	n = calendar_days_from_date(day);
	dm->ndays = 0;
	for (k = 0; k < 200 && dm->ndays < DEMO_DAYS; k++) {
		day = calendar_date_from_days(n - k);
		working = calendar_is_working_day(dm->cat->calendar, day, &why);
		if (working < 0) {
			dm->cause = xasprintf("demo: %s", why);
			free(why);
			return -1;
		}
		if (working == 0)
			continue;
		open = (n - k) * 86400 - dm->cat->utc_offset +
		    (int64_t)dm->cat->office_hours[0].start * 60;
		if (open >= dm->now)
			continue;
		dm->days[dm->ndays++] = open;
	}
	if (dm->ndays == 0) {
		dm->cause = xstrdup("demo: no working day before now");
		return -1;
	}
	return 0;
}

/* Order dossiers by their receipt. */
static int
demo_cmp(const void *a, const void *b)
{
	const struct demo_dossier	*x = a, *y = b;

	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return x->index - y->index;
}

/* Pick a procedure: weighted by field as the province's figures suggest. */
static const struct catalog_procedure *
demo_procedure(struct demo *dm)
{
	static const struct {
		const char	*field;
		int		 weight;
	} weights[] = {
		{ "chung-thuc", 35 }, { "dat-dai", 30 }, { "kinh-doanh", 15 },
		{ "ho-tich", 10 }, { "xay-dung", 10 }
	};
	const struct catalog_procedure	*p;
	int				 r, i, w;
	size_t				 tries, j, pick, n;
	const char			*field = NULL;

	r = (int)demo_range(dm, 0, 99);
	for (i = 0, w = 0; i < (int)(sizeof weights / sizeof weights[0]); i++) {
		w += weights[i].weight;
		if (r < w) {
			field = weights[i].field;
			break;
		}
	}
	for (tries = 0; tries < 2; tries++) {
		n = 0;
		for (j = 0; j < dm->cat->nprocedures; j++) {
			if (field == NULL || strcmp(dm->cat->procedures[j].field, field) == 0)
				n++;
		}
		if (n > 0) {
			pick = (size_t)demo_range(dm, 0, (int64_t)n - 1);
			for (j = 0; j < dm->cat->nprocedures; j++) {
				p = &dm->cat->procedures[j];
				if (field == NULL || strcmp(p->field, field) == 0) {
					if (pick-- == 0)
						return p;
				}
			}
		}
		field = NULL;	/* a catalog without that field: any procedure */
	}
	return NULL;
}

/* Take an action; on failure keep the cause and return -1. */
static int
demo_act(struct demo *dm, const struct actor *a, const char *code, enum dossier_action action,
    const struct dossier_args *args, int64_t at)
{
	char	*why = NULL;

	if (dossier_act(dm->st, dm->cat->calendar, a, code, action, args, at, &why) != 0) {
		dm->cause = xasprintf("demo: %s: %s: %s", code, dossier_action_name(action), why);
		free(why);
		return -1;
	}
	return 0;
}

/* Return true if instant a falls on the local day of instant b or before it. */
bool
demo_same_day_or_before(const struct calendar *cal, int64_t a, int64_t b)
{
	return calendar_days_from_date(calendar_local_date(cal, a, NULL)) <=
	    calendar_days_from_date(calendar_local_date(cal, b, NULL));
}

/* Working seconds a step takes in this dossier's story. */
static int64_t
demo_step_time(struct demo *dm, const struct dossier_step *s, int speed)
{
	int64_t	budget, used;

	budget = (int64_t)s->centidays * calendar_day_seconds(dm->cat->calendar) / 100;
	if (budget == 0)
		budget = 2 * DEMO_HOUR;
	used = budget * speed / 100;
	return used < 600 ? 600 : used;
}

/* Make one dossier and play its story up to now. */
static int
demo_dossier(struct demo *dm, const char *unit, size_t u, int seq, int64_t received)
{
	const struct catalog_procedure	*p;
	const struct demo_place		*place;
	struct dossier_intake		 in;
	struct dossier_args		 args;
	struct actor			 counter, leader, holder;
	struct dossier			*d = NULL;
	enum demo_fate			 fate;
	char				 name[128], owner[128], id[16], owner_id[16], phone[16];
	char				 address[128], key[64], note[256], *code = NULL, *why = NULL;
	bool				 female, replay, side_done = false, paused_done = false;
	int64_t				 t, ta, tnext, back, start;
	int				 r, speed, step = -1, ret = -1;

	if ((p = demo_procedure(dm)) == NULL) {
		dm->cause = xstrdup("demo: the catalog has no procedures");
		return -1;
	}
	demo_actor(dm, unit, "mot-cua", false, &counter);
	demo_actor(dm, unit, NULL, true, &leader);

	/* The applicant. */
	female = demo_chance(dm, 50);
	snprintf(name, sizeof name, "%s %s %s", DEMO_PICK(dm, demo_family),
	    female ? DEMO_PICK(dm, demo_middle_f) : DEMO_PICK(dm, demo_middle_m),
	    female ? DEMO_PICK(dm, demo_given_f) : DEMO_PICK(dm, demo_given_m));
	snprintf(id, sizeof id, "014%d%02d%06d", female ? 1 : 0, (int)demo_range(dm, 50, 99),
	    (int)demo_range(dm, 0, 999999));
	snprintf(phone, sizeof phone, "0%c%08d", "389"[demo_range(dm, 0, 2)],
	    (int)demo_range(dm, 0, 99999999));
	place = &demo_units[u].places[demo_range(dm, 0, (int64_t)demo_units[u].nplaces - 1)];
	if (place->urban)
		snprintf(address, sizeof address, "%s %d",
		    strncmp(place->commune, "Thị trấn", 8) == 0 ? "Tiểu khu" : "Tổ",
		    (int)demo_range(dm, 1, 12));
	else
		snprintf(address, sizeof address, "%s", DEMO_PICK(dm, demo_villages));
	snprintf(key, sizeof key, "demo-%s-%04d", unit, seq);

	memset(&in, 0, sizeof in);
	in.procedure = p->code;
	in.variant = (int)demo_range(dm, 0, (int64_t)p->nvariants - 1);
	in.applicant_name = name;
	in.applicant_id = id;
	in.applicant_phone = demo_chance(dm, 85) ? phone : "";
	in.applicant_address = address;
	in.applicant_commune = place->commune;
	if (strcmp(p->field, "dat-dai") == 0 && demo_chance(dm, 15)) {
		snprintf(owner, sizeof owner, "%s Văn %s", DEMO_PICK(dm, demo_family),
		    DEMO_PICK(dm, demo_given_m));
		snprintf(owner_id, sizeof owner_id, "014%d%02d%06d", 0,
		    (int)demo_range(dm, 40, 90), (int)demo_range(dm, 0, 999999));
		in.owner_name = owner;
		in.owner_id = owner_id;
		in.owner_address = address;
	}
	in.channel = demo_chance(dm, 5) ? CHANNEL_POST : CHANNEL_COUNTER;
	in.sets = demo_chance(dm, 10) ? 2 : 1;
	in.idempotency_key = key;

	r = (int)demo_range(dm, 0, 99);
	if (r < 3)
		fate = FATE_REFUSE_INTAKE;
	else if (r < 5)
		fate = FATE_WITHDRAW;
	else if (r < 7)
		fate = FATE_STOP;
	else if (r < 9)
		fate = FATE_REFUSE;
	else if (r < 19)
		fate = FATE_SUPPLEMENT;
	else if (r < 24)
		fate = FATE_NEVER_COLLECT;
	else
		fate = FATE_NORMAL;
	r = (int)demo_range(dm, 0, 99);
	if (r < 60)
		speed = (int)demo_range(dm, 25, 85);
	else if (r < 78)
		speed = (int)demo_range(dm, 85, 115);
	else
		speed = (int)demo_range(dm, 140, 300);

	if (fate == FATE_REFUSE_INTAKE) {
		in.note = "Thủ tục không thuộc thẩm quyền giải quyết của UBND cấp huyện";
		if (dossier_refuse_intake(dm->st, dm->cat, &counter, &in, received, &code,
		    &replay, &why) != 0)
			goto fail;
		ret = 0;
		goto out;
	}
	if (dossier_receive(dm->st, dm->cat, &counter, &in, received, &code, &replay,
	    &why) != 0)
		goto fail;

	t = start = received;
	for (;;) {
		dossier_free(d);
		if ((d = dossier_get(dm->st, &counter, code, &why)) == NULL)
			goto fail;
		if (d->closed_at != 0)
			break;
		if (d->step != step) {
			step = d->step;
			start = t;
		}
		if (d->state == STATE_RESOLVED) {
			/* The citizen comes for the result, unless they have not yet. */
			ta = demo_add(dm, t, demo_range(dm, DEMO_HOUR / 2, 3 * 8 * DEMO_HOUR));
			if (fate != FATE_NEVER_COLLECT && ta <= dm->now &&
			    demo_act(dm, &counter, code, ACTION_RETURN, NULL, ta) != 0)
				goto out;
			break;
		}
		if (d->officer != 0 && d->step > 0)
			demo_actor_id(dm, d->officer, &holder);
		else
			demo_actor(dm, unit, d->department,
			    strcmp(d->department, "lanh-dao") == 0, &holder);

		/* A department's officer is assigned when the dossier arrives. */
		if (d->step > 0 && holder.role == ROLE_OFFICER && d->officer == 0) {
			ta = demo_add(dm, t, demo_range(dm, 300, 2 * DEMO_HOUR));
			if (ta > dm->now)
				break;
			memset(&args, 0, sizeof args);
			if (demo_chance(dm, 70)) {
				args.officer = holder.user_id;
				if (demo_act(dm, &leader, code, ACTION_ASSIGN, &args, ta) != 0)
					goto out;
			} else if (demo_act(dm, &holder, code, ACTION_ASSIGN, &args, ta) != 0)
				goto out;
			t = ta;
			continue;
		}

		/* The side paths happen at the first processing step. */
		if (d->step == 1 && !side_done && fate != FATE_NORMAL &&
		    fate != FATE_NEVER_COLLECT) {
			side_done = true;
			ta = demo_add(dm, t, demo_range(dm, DEMO_HOUR, 6 * DEMO_HOUR));
			if (ta > dm->now)
				break;
			memset(&args, 0, sizeof args);
			switch (fate) {
			case FATE_WITHDRAW:
				args.note = "Người nộp đề nghị rút hồ sơ";
				ret = demo_act(dm, &counter, code, ACTION_WITHDRAW, &args, ta);
				goto out;
			case FATE_STOP:
				args.note = "Đất đang có tranh chấp, chờ giải quyết của Tòa án";
				ret = demo_act(dm, &leader, code, ACTION_STOP, &args, ta);
				goto out;
			case FATE_REFUSE:
				args.note = "Hồ sơ không đủ điều kiện theo quy định";
				ret = demo_act(dm, &leader, code, ACTION_REFUSE, &args, ta);
				goto out;
			case FATE_SUPPLEMENT:
				snprintf(note, sizeof note, "Bổ sung: %s",
				    DEMO_PICK(dm, demo_missing));
				args.note = note;
				if (demo_act(dm, &holder, code, ACTION_REQUEST_SUPPLEMENT, &args,
				    ta) != 0)
					goto out;
				back = demo_add(dm, ta, demo_range(dm, 4 * DEMO_HOUR,
				    5 * 8 * DEMO_HOUR));
				if (demo_chance(dm, 30) || back > dm->now) {
					ret = 0;
					goto out;
				}
				if (demo_act(dm, &counter, code, ACTION_RECEIVE_SUPPLEMENT, NULL,
				    back) != 0)
					goto out;
				t = start = back;
				continue;
			default:
				break;
			}
		}

		/* Waiting for the citizen's financial obligation. */
		if (d->steps[d->step].pause_citizen && d->state == STATE_PROCESSING &&
		    !paused_done) {
			paused_done = true;
			ta = demo_add(dm, t, demo_range(dm, DEMO_HOUR / 2, 2 * DEMO_HOUR));
			if (ta > dm->now)
				break;
			if (demo_act(dm, &holder, code, ACTION_PAUSE_FINANCIAL, NULL, ta) != 0)
				goto out;
			back = demo_add(dm, ta, demo_range(dm, 8 * DEMO_HOUR, 6 * 8 * DEMO_HOUR));
			if (demo_chance(dm, 25) || back > dm->now)
				break;
			if (demo_act(dm, &holder, code, ACTION_RESUME_FINANCIAL, NULL, back) != 0)
				goto out;
			t = start = back;
			continue;
		}

		/* The step's work, and an apology when it will end after the appointment. */
		/* The step's clock runs from its start, assignment included. */
		tnext = demo_add(dm, start, demo_step_time(dm, &d->steps[d->step], speed));
		if (tnext < t + 600)
			tnext = demo_add(dm, t, 600);
		if (d->due_at != 0 && d->apology_at == 0 && tnext > d->due_at &&
		    demo_chance(dm, 60)) {
			ta = d->due_at - DEMO_HOUR > t + 600 ? d->due_at - DEMO_HOUR : t + 600;
			if (ta <= dm->now &&
			    demo_same_day_or_before(dm->cat->calendar, ta, d->due_at)) {
				memset(&args, 0, sizeof args);
				args.note = "Phải xác minh thêm thực địa, lấy ý kiến cơ quan liên "
				    "quan";
				args.appointment = demo_add(dm, ta > d->due_at ? ta : d->due_at,
				    3 * 8 * DEMO_HOUR);
				if (demo_act(dm, &holder, code, ACTION_APOLOGIZE, &args, ta) != 0)
					goto out;
				t = ta;
				continue;
			}
		}
		if (tnext > dm->now)
			break;
		if (demo_act(dm, &holder, code, (size_t)d->step + 2 < d->nsteps ?
		    ACTION_HANDOVER : ACTION_RESOLVE, NULL, tnext) != 0)
			goto out;
		t = tnext;
	}
	ret = 0;
	goto out;

fail:
	dm->cause = xasprintf("demo: %s: %s", code != NULL ? code : key, why);
out:
	free(why);
	free(code);
	dossier_free(d);
	return ret;
}

/* Fill one unit with dossiers received over the last working days. */
static int
demo_unit(struct demo *dm, size_t u)
{
	struct demo_dossier	*list;
	int			 i, tries, n = demo_units[u].count, ret = 0;
	int64_t			 day, offset, t = 0;

	if (catalog_unit(dm->cat, demo_units[u].unit) == NULL)
		return 0;
	list = xcalloc((size_t)n, sizeof *list);
	for (i = 0; i < n; i++) {
		/* More recent days are busier: half the dossiers come in the last ten days. */
		for (tries = 0; tries < 20; tries++) {
			if (demo_chance(dm, 50))
				day = dm->days[demo_range(dm, 0, dm->ndays < 10 ? dm->ndays - 1 :
				    9)];
			else
				day = dm->days[demo_range(dm, 0, dm->ndays - 1)];
			offset = demo_range(dm, 0, calendar_day_seconds(dm->cat->calendar) - 600);
			if ((t = demo_add(dm, day, offset)) < dm->now)
				break;
		}
		if (t >= dm->now)
			t = dm->days[dm->ndays - 1];
		list[i].received = t - t % 60;
		list[i].index = i;
	}
	qsort(list, (size_t)n, sizeof *list, demo_cmp);
	for (i = 0; i < n && ret == 0; i++)
		ret = demo_dossier(dm, demo_units[u].unit, u, i + 1, list[i].received);
	free(list);
	return ret;
}

/* Fill an empty store with the demo users and dossiers. */
int
demo_populate(const char *db_path, const struct catalog *cat, const char *password_hash,
    int64_t now, char **cause)
{
	struct demo		  dm;
	struct store_user	**users = NULL;
	size_t			  nusers = 0, u;
	char			 *ignored = NULL;
	int			  ret = -1;

	memset(&dm, 0, sizeof dm);
	dm.cat = cat;
	dm.now = now;
	dm.rng = DEMO_SEED;
	if ((dm.st = store_open(db_path, cause)) == NULL)
		return -1;
	if (store_user_list(dm.st, &users, &nusers, cause) != 0)
		goto out;
	store_user_list_free(users, nusers);
	if (nusers > 0) {
		ret = 0;
		goto out;
	}
	if (store_set_bulk(dm.st, true, cause) != 0)
		goto out;
	if (demo_add_users(&dm, password_hash) != 0 || demo_find_days(&dm) != 0)
		goto fail;
	for (u = 0; u < sizeof demo_units / sizeof demo_units[0]; u++) {
		if (demo_unit(&dm, u) != 0)
			goto fail;
	}
	ret = 0;
	goto done;

fail:
	*cause = dm.cause != NULL ? dm.cause : xstrdup("demo: failed");
	dm.cause = NULL;
done:
	if (store_set_bulk(dm.st, false, &ignored) != 0 && ret == 0) {
		*cause = ignored;
		ignored = NULL;
		ret = -1;
	}
	free(ignored);
out:
	free(dm.cause);
	store_close(dm.st);
	return ret;
}
