/* service.c: the officers' service, in-process, on the store, the rules and the catalog. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "public.h"
#include "report.h"
#include "service.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define S(x)	(1u << STATE_##x)

/*
 * The scope of a service: monitors read every unit of the catalog; everyone else their own
 * unit, and department officers only their department within it (queues and dashboard).
 */
struct service {
	struct store		*st;
	const struct catalog	*cat;
	const struct catalog	*intake_cat;	/* an intake's own catalog, or NULL */
	struct service_user	 me;
	struct actor		 actor;
	const char		**units;
	size_t			 nunits;
	const char		*department;	/* the department filter, or NULL */
};

/* How each queue is read. */
static const struct {
	const char		*label;
	unsigned int		 states;
	enum store_filter	 filter;
	enum store_order	 order;
} service_queues[QUEUE_COUNT] = {
	[QUEUE_NEW] = { "Mới tiếp nhận", S(RECEIVED), STORE_FILTER_NONE,
	    STORE_ORDER_DUE },
	[QUEUE_UNASSIGNED] = { "Chờ phân công", S(RECEIVED) | S(PROCESSING),
	    STORE_FILTER_UNASSIGNED, STORE_ORDER_DUE },
	[QUEUE_IN_PROGRESS] = { "Đang xử lý", S(RECEIVED) | S(PROCESSING), STORE_FILTER_NONE,
	    STORE_ORDER_DUE },
	[QUEUE_WAITING] = { "Chờ công dân bổ sung, nộp nghĩa vụ tài chính",
	    S(SUPPLEMENT) | S(FINANCIAL), STORE_FILTER_NONE, STORE_ORDER_DUE },
	[QUEUE_DUE_SOON] = { "Sắp đến hạn", 0, STORE_FILTER_DUE_WINDOW, STORE_ORDER_DUE },
	[QUEUE_STEP_LATE] = { "Chậm tiến độ", 0, STORE_FILTER_STEP_LATE,
	    STORE_ORDER_STEP_DUE },
	[QUEUE_OVERDUE] = { "Quá hạn", 0, STORE_FILTER_OVERDUE, STORE_ORDER_DUE },
	[QUEUE_READY] = { "Chờ trả kết quả", S(RESOLVED), STORE_FILTER_NONE,
	    STORE_ORDER_DUE },
	[QUEUE_RETURNED] = { "Đã trả kết quả", S(RETURNED), STORE_FILTER_NONE,
	    STORE_ORDER_RETURNED }
};

/* Set *cause to an error of the store or the calendar behind a Vietnamese lead; return -1. */
static int
service_fail(char **cause, const char *lead, const char *detail)
{
	char	*safe;

	safe = text_sanitise(detail == NULL ? "" : detail);
	*cause = xasprintf("%s: %s", lead, safe);
	free(safe);
	return -1;
}

/* Set *cause to a message of the core, which is already for the officer, and return -1. */
static int
service_pass(char **cause, const char *why)
{
	*cause = text_sanitise(why == NULL ? "" : why);
	return -1;
}

/* Free the strings of a user (not the structure). */
static void
service_user_clear(struct service_user *u)
{
	free(u->login);
	free(u->full_name);
	free(u->unit);
	free(u->unit_name);
	free(u->department);
	free(u->department_name);
	memset(u, 0, sizeof *u);
}

/* Fill a service user from a stored user, with the catalog's names. */
static void
service_user_fill(const struct catalog *cat, const struct store_user *su,
    struct service_user *u)
{
	const struct catalog_unit	*cu;
	const struct catalog_department	*cd = NULL;

	memset(u, 0, sizeof *u);
	u->id = su->id;
	u->login = xstrdup(su->login);
	u->full_name = xstrdup(su->full_name);
	u->role = su->role;
	if (su->unit == NULL) {
		u->unit_name = xstrdup(cat->province_name);
		u->department_name = xstrdup("");
		return;
	}
	u->unit = xstrdup(su->unit);
	cu = catalog_unit(cat, su->unit);
	u->unit_name = xstrdup(cu != NULL ? cu->name : su->unit);
	if (su->department != NULL) {
		u->department = xstrdup(su->department);
		if (cu != NULL)
			cd = catalog_department(cu, su->department);
		u->department_name = xstrdup(cd != NULL ? cd->name : su->department);
	} else
		u->department_name = xstrdup("");
}

/* Set the units of the service's scope: every unit of its catalog for monitors, else theirs. */
static void
service_scope_units(struct service *svc)
{
	const struct catalog	*cat = svc->cat;
	size_t			 i;

	free(svc->units);
	if (svc->me.role == ROLE_MONITOR) {
		svc->nunits = cat->nunits;
		svc->units = xcalloc(cat->nunits == 0 ? 1 : cat->nunits, sizeof *svc->units);
		for (i = 0; i < cat->nunits; i++)
			svc->units[i] = cat->units[i].code;
	} else {
		svc->nunits = 1;
		svc->units = xcalloc(1, sizeof *svc->units);
		svc->units[0] = svc->me.unit;
	}
}

/* Open the service for a user. */
struct service *
service_open(const char *db_path, const struct catalog *cat, const char *login,
    char **cause)
{
	struct service		*svc;
	struct store_user	*u = NULL;
	char			*why = NULL, *safe;

	svc = xcalloc(1, sizeof *svc);
	svc->cat = cat;
	if ((svc->st = store_open(db_path, &why)) == NULL) {
		service_fail(cause, "Không mở được cơ sở dữ liệu", why);
		goto fail;
	}
	if (store_user_by_login(svc->st, login == NULL ? "" : login, &u, &why) != 0) {
		service_fail(cause, "Không đọc được tài khoản", why);
		goto fail;
	}
	if (u == NULL || u->disabled) {
		safe = text_sanitise(login == NULL ? "" : login);
		*cause = xasprintf("Tài khoản %s không tồn tại hoặc đã bị khóa", safe);
		free(safe);
		goto fail;
	}
	if (u->role == ROLE_ADMIN) {
		*cause = xstrdup("Tài khoản quản trị không dùng giao diện cán bộ; hãy dùng các "
		    "lệnh quản trị");
		goto fail;
	}
	if (u->role != ROLE_MONITOR && (u->unit == NULL || u->department == NULL ||
	    catalog_unit(cat, u->unit) == NULL)) {
		safe = text_sanitise(u->unit == NULL ? "" : u->unit);
		*cause = xasprintf("Đơn vị %s của tài khoản không có trong danh mục; hãy báo "
		    "quản trị viên", safe);
		free(safe);
		goto fail;
	}

	service_user_fill(cat, u, &svc->me);
	svc->actor.user_id = svc->me.id;
	svc->actor.role = svc->me.role;
	svc->actor.unit = svc->me.unit;
	svc->actor.department = svc->me.department;
	service_scope_units(svc);
	if (svc->me.role == ROLE_OFFICER)
		svc->department = svc->me.department;
	store_user_free(u);
	return svc;

fail:
	free(why);
	store_user_free(u);
	service_close(svc);
	return NULL;
}

/* Close the service; NULL is fine. */
void
service_close(struct service *svc)
{
	if (svc == NULL)
		return;
	store_close(svc->st);
	service_user_clear(&svc->me);
	free(svc->units);
	free(svc);
}

/* The officer the service acts for. */
const struct service_user *
service_me(struct service *svc)
{
	return &svc->me;
}

/* The catalog the service works with: the one it was opened with, or set since. */
const struct catalog *
service_catalog(struct service *svc)
{
	return svc->cat;
}

/* Switch to another catalog for new work; the unit's names and a monitor's scope follow. */
int
service_set_catalog(struct service *svc, const struct catalog *cat, char **cause)
{
	const struct catalog_unit	*cu = NULL;
	const struct catalog_department	*cd = NULL;
	char				*safe;

	if (svc->me.unit != NULL && (cu = catalog_unit(cat, svc->me.unit)) == NULL) {
		safe = text_sanitise(svc->me.unit);
		*cause = xasprintf("Đơn vị %s của tài khoản không có trong danh mục mới", safe);
		free(safe);
		return -1;
	}
	svc->cat = cat;
	if (cu != NULL) {
		free(svc->me.unit_name);
		svc->me.unit_name = xstrdup(cu->name);
		if (svc->me.department != NULL &&
		    (cd = catalog_department(cu, svc->me.department)) != NULL) {
			free(svc->me.department_name);
			svc->me.department_name = xstrdup(cd->name);
		}
	} else {
		free(svc->me.unit_name);
		svc->me.unit_name = xstrdup(cat->province_name);
	}
	service_scope_units(svc);
	return 0;
}

/* Have the intake calls use the catalog an intake began with (NULL: the current one). */
void
service_intake_catalog(struct service *svc, const struct catalog *cat)
{
	svc->intake_cat = cat;
}

/* The catalog of the intake calls. */
static const struct catalog *
service_intake_cat(struct service *svc)
{
	return svc->intake_cat != NULL ? svc->intake_cat : svc->cat;
}

/* The current instant for a catalog's calendar, or the one MOTCUA_NOW fixes. */
int64_t
service_clock(const struct catalog *cat)
{
	const char	*fixed;
	char		*why = NULL;
	int64_t		 t;

	fixed = getenv("MOTCUA_NOW");
	if (fixed != NULL && *fixed != '\0') {
		if (calendar_parse_local(cat->calendar, fixed, &t, &why) == 0)
			return t;
		free(why);
	}
	return (int64_t)time(NULL);
}

/* The current instant, or the one MOTCUA_NOW fixes. */
int64_t
service_now(struct service *svc)
{
	return service_clock(svc->cat);
}

/* Return true if the instant is inside office hours of a working day. */
bool
service_office_hours(struct service *svc, int64_t t)
{
	struct calendar_date	 day;
	char			*why = NULL;
	int			 minutes, i;

	day = calendar_local_date(svc->cat->calendar, t, &minutes);
	if (calendar_is_working_day(svc->cat->calendar, day, &why) != 1) {
		free(why);
		return false;
	}
	for (i = 0; i < svc->cat->noffice_hours; i++) {
		if (minutes >= svc->cat->office_hours[i].start &&
		    minutes < svc->cat->office_hours[i].end)
			return true;
	}
	return false;
}

/* The end of the "due soon" window that starts now. */
static int64_t
service_soon(struct service *svc, int64_t now)
{
	int64_t	 until;
	char	*why = NULL;

	if (calendar_add(svc->cat->calendar, now, (int64_t)svc->cat->due_soon_hours * 3600,
	    &until, &why) != 0) {
		/* A year without a calendar: count plain hours rather than fail the screen. */
		free(why);
		until = now + (int64_t)svc->cat->due_soon_hours * 3600;
	}
	return until;
}

/* Local midnight of the day of an instant. */
static int64_t
service_midnight(struct service *svc, int64_t t)
{
	struct calendar_date	day;

	day = calendar_local_date(svc->cat->calendar, t, NULL);
	return calendar_days_from_date(day) * 86400 - svc->cat->utc_offset;
}

/* Fill a store search with the service's scope and a queue's filter. */
static void
service_search_init(struct service *svc, enum service_queue q, int64_t now,
    struct store_search *s)
{
	memset(s, 0, sizeof *s);
	s->units = svc->units;
	s->nunits = svc->nunits;
	s->department = svc->department;
	s->states = service_queues[q].states;
	s->filter = service_queues[q].filter;
	s->order = service_queues[q].order;
	s->now = now;
	s->until = service_soon(svc, now);
}

/* Counts and the top of the overdue list for the officer's scope. */
int
service_dashboard(struct service *svc, size_t top, struct service_dashboard *db,
    char **cause)
{
	struct store_counts	 c;
	struct store_search	 s;
	int64_t			 now, midnight, until;
	char			*why = NULL;
	size_t			 i;

	memset(db, 0, sizeof *db);
	now = service_now(svc);
	midnight = service_midnight(svc, now);
	until = service_soon(svc, now);
	for (i = 0; i < svc->nunits; i++) {
		if (store_dashboard_counts(svc->st, &svc->actor, svc->units[i], svc->department,
		    midnight, now, until, &c, &why) != 0)
			goto fail;
		db->received_today += c.received_today;
		db->in_progress += c.in_progress;
		db->due_soon += c.due_soon;
		db->step_late += c.step_late;
		db->overdue += c.overdue;
		db->waiting_citizen += c.waiting;
		db->ready_to_return += c.ready;
	}
	if (top > 0) {
		service_search_init(svc, QUEUE_OVERDUE, now, &s);
		s.limit = top;
		if (store_search(svc->st, &svc->actor, &s, &db->overdue_top, NULL, &why) != 0)
			goto fail;
	}
	return 0;

fail:
	service_fail(cause, "Không đọc được số liệu", why);
	free(why);
	service_dashboard_free(db);
	return -1;
}

/* Free the list inside a dashboard. */
void
service_dashboard_free(struct service_dashboard *db)
{
	if (db != NULL)
		dossier_list_free(&db->overdue_top);
}

/* ---- intake ---------------------------------------------------------------------------- */

/* Procedures by code prefix or accent-insensitive name. */
size_t
service_search_procedures(struct service *svc, const char *query,
    const struct catalog_procedure **out, size_t max)
{
	return catalog_search(service_intake_cat(svc), query == NULL ? "" : query, out, max);
}

/* The procedure and variant of an intake, or -1 with a Vietnamese *cause. */
static int
service_variant(struct service *svc, const char *procedure, int variant,
    const struct catalog_procedure **p, const struct catalog_variant **v, char **cause)
{
	char	*safe;

	if (procedure == NULL ||
	    (*p = catalog_procedure(service_intake_cat(svc), procedure)) == NULL) {
		safe = text_sanitise(procedure == NULL ? "" : procedure);
		*cause = xasprintf("Không có thủ tục %s trong danh mục", safe);
		free(safe);
		return -1;
	}
	if (variant < 0 || (size_t)variant >= (*p)->nvariants) {
		*cause = xasprintf("Thủ tục %s không có trường hợp %d", (*p)->code, variant + 1);
		return -1;
	}
	*v = &(*p)->variants[variant];
	return 0;
}

/* The appointment a dossier received now would get. */
int
service_intake_due(struct service *svc, const char *procedure, int variant, int64_t *due,
    char **cause)
{
	const struct catalog_procedure	*p;
	const struct catalog_variant	*v;
	char				*why = NULL;

	*due = 0;
	if (service_variant(svc, procedure, variant, &p, &v, cause) != 0)
		return -1;
	if (p->no_deadline)
		return 0;
	if (calendar_due(service_intake_cat(svc)->calendar, service_now(svc),
	    v->duration.centidays, v->duration.same_day, due, &why) != 0) {
		service_fail(cause, "Không tính được ngày hẹn trả", why);
		free(why);
		return -1;
	}
	return 0;
}

/* Receive (Mẫu 01) or refuse (Mẫu 03) at the counter: the core checks everything. */
static int
service_intake(struct service *svc, const struct dossier_intake *in, bool refusal,
    char **code, bool *replay, char **cause)
{
	char	*why = NULL;
	int	 ret;

	if (refusal)
		ret = dossier_refuse_intake(svc->st, service_intake_cat(svc), &svc->actor, in,
		    service_now(svc), code, replay, &why);
	else
		ret = dossier_receive(svc->st, service_intake_cat(svc), &svc->actor, in,
		    service_now(svc), code, replay, &why);
	if (ret != 0)
		service_pass(cause, why);
	free(why);
	return ret;
}

/* Receive a dossier (Mẫu 01). */
int
service_receive(struct service *svc, const struct dossier_intake *in, char **code,
    bool *replay, char **cause)
{
	return service_intake(svc, in, false, code, replay, cause);
}

/* Refuse a dossier at intake (Mẫu 03). */
int
service_refuse_intake(struct service *svc, const struct dossier_intake *in, char **code,
    bool *replay, char **cause)
{
	return service_intake(svc, in, true, code, replay, cause);
}

/* Record a guidance of what is missing (Mẫu 02). */
int
service_guide(struct service *svc, const char *procedure, const char *applicant_name,
    const char *missing, char **cause)
{
	char	*why = NULL;

	if (dossier_guide(svc->st, service_intake_cat(svc), &svc->actor, procedure,
	    applicant_name, missing, service_now(svc), NULL, &why) != 0) {
		service_pass(cause, why);
		free(why);
		return -1;
	}
	return 0;
}

/* Keep the intake being typed. */
int
service_draft_save(struct service *svc, const char *key, const char *content, char **cause)
{
	char	*why = NULL;

	if (key == NULL || *key == '\0' || content == NULL) {
		*cause = xstrdup("Bản nháp thiếu mã biểu mẫu hoặc nội dung");
		return -1;
	}
	if (store_draft_save(svc->st, svc->me.id, key, content, service_now(svc),
	    &why) != 0) {
		service_fail(cause, "Không lưu được bản nháp", why);
		free(why);
		return -1;
	}
	return 0;
}

/* Read the intake being typed, if any. */
int
service_draft_load(struct service *svc, char **key, char **content, int64_t *updated_at,
    char **cause)
{
	char	*why = NULL;

	if (store_draft_load(svc->st, svc->me.id, key, content, updated_at, &why) != 0) {
		service_fail(cause, "Không đọc được bản nháp", why);
		free(why);
		return -1;
	}
	return 0;
}

/* Forget the intake being typed. */
int
service_draft_clear(struct service *svc, char **cause)
{
	char	*why = NULL;

	if (store_draft_delete(svc->st, svc->me.id, &why) != 0) {
		service_fail(cause, "Không xóa được bản nháp", why);
		free(why);
		return -1;
	}
	return 0;
}

/* The code and time of the last dossier this officer took in. */
int
service_last_received(struct service *svc, char **code, int64_t *at, char **cause)
{
	char	*why = NULL;

	*code = NULL;
	*at = 0;
	if (svc->me.unit == NULL)
		return 0;
	if (store_last_received(svc->st, svc->me.id, svc->me.unit, code, at, &why) != 0) {
		service_fail(cause, "Không đọc được hồ sơ tiếp nhận gần nhất", why);
		free(why);
		return -1;
	}
	return 0;
}

/* ---- queues ---------------------------------------------------------------------------- */

/* The Vietnamese name of a queue. */
const char *
service_queue_label(enum service_queue q)
{
	if ((unsigned int)q >= QUEUE_COUNT)
		return "?";
	return service_queues[q].label;
}

/* One page of a queue for the officer's scope. */
int
service_queue(struct service *svc, enum service_queue q, const char *search, size_t offset,
    size_t limit, struct dossier_list *out, size_t *total, char **cause)
{
	struct store_search	 s;
	char			*why = NULL;

	out->items = NULL;
	out->n = 0;
	if (total != NULL)
		*total = 0;
	if ((unsigned int)q >= QUEUE_COUNT) {
		*cause = xstrdup("Không có danh sách này");
		return -1;
	}
	service_search_init(svc, q, service_now(svc), &s);
	s.text = search;
	s.offset = offset;
	s.limit = limit;
	if (store_search(svc->st, &svc->actor, &s, out, total, &why) != 0) {
		service_fail(cause, "Không đọc được danh sách hồ sơ", why);
		free(why);
		return -1;
	}
	return 0;
}

/* ---- a dossier -------------------------------------------------------------------------- */

/* A dossier code as typed, cleaned and in upper case. */
static char *
service_code(const char *code)
{
	char	*c, *p;

	c = text_clean(code == NULL ? "" : code);
	for (p = c; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = *p - 'a' + 'A';
	}
	return c;
}

/* A dossier the officer may read. */
struct dossier *
service_dossier(struct service *svc, const char *code, char **cause)
{
	struct dossier	*d;
	char		*c, *why = NULL;

	c = service_code(code);
	if ((d = dossier_get(svc->st, &svc->actor, c, &why)) == NULL)
		service_pass(cause, why);
	free(why);
	free(c);
	return d;
}

/* The history of a dossier the officer may read. */
int
service_events(struct service *svc, const char *code, struct dossier_event **events,
    size_t *n, char **cause)
{
	char	*c, *why = NULL;
	int	 ret;

	c = service_code(code);
	if ((ret = dossier_events(svc->st, &svc->actor, c, events, n, &why)) != 0)
		service_pass(cause, why);
	free(why);
	free(c);
	return ret;
}

/* The actions the officer may take on the dossier now. */
unsigned int
service_allowed(struct service *svc, const struct dossier *d)
{
	return dossier_allowed(&svc->actor, d);
}

/* Take an action on a dossier: the core checks the rules and the arguments. */
int
service_act(struct service *svc, const char *code, enum dossier_action action,
    const struct dossier_args *args, char **cause)
{
	char	*c, *why = NULL;
	int	 ret;

	c = service_code(code);
	if ((ret = dossier_act(svc->st, svc->cat->calendar, &svc->actor, c, action, args,
	    service_now(svc), &why)) != 0)
		service_pass(cause, why);
	free(why);
	free(c);
	return ret;
}

/* Copy a stored user into a new service user at the end of an array. */
static void
service_users_add(struct service *svc, struct service_user **out, size_t *n,
    const struct store_user *su)
{
	*out = xreallocarray(*out, *n + 1, sizeof **out);
	service_user_fill(svc->cat, su, &(*out)[*n]);
	(*n)++;
}

/* The users a dossier may be assigned to by this officer. */
int
service_assignees(struct service *svc, const struct dossier *d, struct service_user **out,
    size_t *n, char **cause)
{
	struct store_user	**list = NULL, self;
	size_t			  count = 0, i;
	char			 *why = NULL;

	*out = NULL;
	*n = 0;
	if (svc->me.unit == NULL || d->unit == NULL || strcmp(svc->me.unit, d->unit) != 0)
		return 0;
	if (svc->me.role == ROLE_LEADER) {
		if (store_user_department(svc->st, d->unit, d->department, &list, &count,
		    &why) != 0) {
			service_fail(cause, "Không đọc được danh sách cán bộ", why);
			free(why);
			return -1;
		}
		for (i = 0; i < count; i++)
			service_users_add(svc, out, n, list[i]);
		store_user_list_free(list, count);
		return 0;
	}
	if (svc->me.department != NULL && strcmp(svc->me.department, d->department) == 0) {
		memset(&self, 0, sizeof self);
		self.id = svc->me.id;
		self.login = svc->me.login;
		self.full_name = svc->me.full_name;
		self.role = svc->me.role;
		self.unit = svc->me.unit;
		self.department = svc->me.department;
		service_users_add(svc, out, n, &self);
	}
	return 0;
}

/* Free an array of users. */
void
service_users_free(struct service_user *users, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		service_user_clear(&users[i]);
	free(users);
}

/* ---- alerts ---------------------------------------------------------------------------- */

/* What needs the officer's attention. */
int
service_alerts(struct service *svc, int64_t since, struct service_alerts *al, char **cause)
{
	struct store_alerts	 s;
	int64_t			 now;
	char			*why = NULL;

	memset(al, 0, sizeof *al);
	now = service_now(svc);
	if (store_alert_counts(svc->st, svc->me.id, since, now, service_soon(svc, now), &s,
	    &why) != 0) {
		service_fail(cause, "Không đọc được thông báo", why);
		free(why);
		return -1;
	}
	al->assigned_new = s.assigned_new;
	al->due_soon = s.due_soon;
	al->overdue = s.overdue;
	al->latest_event = s.latest_event;
	return 0;
}

/* ---- reports --------------------------------------------------------------------------- */

/* A period typed by the officer, in the province's time. */
int
service_report_period(struct service *svc, const char *text, int64_t *from, int64_t *to,
    char **cause)
{
	char	*why = NULL, *c, *safe;

	c = text_clean(text == NULL ? "" : text);
	if (report_period_parse(svc->cat, c, from, to, &why) != 0) {
		safe = text_sanitise(c);
		*cause = xasprintf("Kỳ báo cáo \"%s\" không hợp lệ; hãy nhập như 2015-06, 2015-Q2, "
		    "2015-H1, 2015 hoặc 2015-01-01..2015-06-30", safe);
		free(safe);
		free(why);
		free(c);
		return -1;
	}
	free(c);
	return 0;
}

/* The period report of the officer's scope, or of one unit within it. */
int
service_report(struct service *svc, const char *unit, int64_t from, int64_t to,
    int group, struct report **out, char **cause)
{
	struct report_query	 q;
	const char		*one[1];
	char			*why = NULL, *safe;
	size_t			 i;

	*out = NULL;
	memset(&q, 0, sizeof q);
	q.units = svc->units;
	q.nunits = svc->nunits;
	if (unit != NULL) {
		for (i = 0; i < svc->nunits; i++) {
			if (strcmp(svc->units[i], unit) == 0)
				break;
		}
		if (i == svc->nunits) {
			safe = text_sanitise(unit);
			*cause = xasprintf("Không có đơn vị %s", safe);
			free(safe);
			return -1;
		}
		one[0] = svc->units[i];
		q.units = one;
		q.nunits = 1;
	}
	q.from = from;
	q.to = to;
	q.group = (enum report_group)group;
	if (report_build(svc->st, svc->cat, &svc->actor, &q, out, &why) != 0) {
		*out = NULL;
		service_fail(cause, "Không lập được báo cáo", why);
		free(why);
		return -1;
	}
	return 0;
}

/* ---- the public login ------------------------------------------------------------------- */

#define SERVICE_BOARD_TTL	60000	/* ms a public board is kept before it is built again */

/* The public service: a store, the catalog, the session's attempts and the last board. */
struct service_public {
	struct store		*st;
	const struct catalog	*cat;
	struct public_limit	 limit;
	struct public_board	*board;
	int64_t			 board_at;	/* ms, monotonic */
	void			(*log)(void *, const char *);
	void			*log_arg;
};

/* Milliseconds on the monotonic clock (attempt waits never follow MOTCUA_NOW). */
static int64_t
service_monotonic_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Open the public service on the store at db_path. */
struct service_public *
service_open_public(const char *db_path, const struct catalog *cat, char **cause)
{
	struct service_public	*pub;
	char			*why = NULL;

	pub = xcalloc(1, sizeof *pub);
	pub->cat = cat;
	if ((pub->st = store_open(db_path, &why)) == NULL) {
		service_fail(cause, "Không mở được cơ sở dữ liệu", why);
		free(why);
		free(pub);
		return NULL;
	}
	return pub;
}

/* Close the public service; NULL is fine. */
void
service_close_public(struct service_public *pub)
{
	if (pub == NULL)
		return;
	store_close(pub->st);
	public_board_free(pub->board);
	free(pub);
}

/* The catalog the public service was opened with. */
const struct catalog *
service_public_catalog(struct service_public *pub)
{
	return pub->cat;
}

/* Set where the line of each miss goes. */
void
service_public_set_log(struct service_public *pub, void (*log)(void *, const char *),
    void *arg)
{
	pub->log = log;
	pub->log_arg = arg;
}

/* Write the line of a miss: the code as typed (made safe, cut short), never the digits. */
static void
service_public_log_miss(struct service_public *pub, const char *code)
{
	char	*clean, *line;
	size_t	 fit;

	if (pub->log == NULL)
		return;
	clean = text_sanitise(code == NULL ? "" : code);
	fit = text_fit(clean, PUBLIC_CODE_MAX);
	clean[fit] = '\0';
	line = xasprintf("public lookup: miss %d of %d for code \"%s\"", pub->limit.misses,
	    PUBLIC_MISSES_MAX, clean);
	pub->log(pub->log_arg, line);
	free(line);
	free(clean);
}

/* A citizen's lookup, within the session's bound on misses. */
enum service_lookup
service_public_lookup(struct service_public *pub, const char *code, const char *digits,
    struct public_dossier **out, int *wait, char **cause)
{
	char	*why = NULL;
	int	 found, w;

	*out = NULL;
	*wait = 0;
	w = public_limit_wait(&pub->limit, service_monotonic_ms());
	if (w < 0)
		return SERVICE_LOOKUP_OVER;
	if (w > 0) {
		*wait = w;
		return SERVICE_LOOKUP_WAIT;
	}
	if ((found = public_lookup(pub->st, pub->cat, code, digits, out, &why)) < 0) {
		service_fail(cause, "Không tra cứu được hồ sơ", why);
		free(why);
		return SERVICE_LOOKUP_ERROR;
	}
	if (found == 1)
		return SERVICE_LOOKUP_FOUND;
	public_limit_miss(&pub->limit, service_monotonic_ms());
	service_public_log_miss(pub, code);
	if (public_limit_wait(&pub->limit, service_monotonic_ms()) < 0)
		return SERVICE_LOOKUP_OVER;
	return SERVICE_LOOKUP_MISS;
}

/* The board as of now, built again once it is a minute old. */
int
service_public_board(struct service_public *pub, const struct public_board **out,
    char **cause)
{
	struct public_board	*b;
	char			*why = NULL;
	int64_t			 now = service_monotonic_ms();

	*out = NULL;
	if (pub->board == NULL || now - pub->board_at >= SERVICE_BOARD_TTL) {
		if (public_board_build(pub->st, pub->cat, service_clock(pub->cat), &b,
		    &why) != 0) {
			service_fail(cause, "Không lập được bảng công khai", why);
			free(why);
			return -1;
		}
		public_board_free(pub->board);
		pub->board = b;
		pub->board_at = now;
	}
	*out = pub->board;
	return 0;
}
