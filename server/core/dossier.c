/* dossier.c: the lifecycle rules of a dossier and the operations that apply them. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define S(x)		(1u << STATE_##x)
#define R(x)		(1u << ROLE_##x)
#define WORKING		(S(RECEIVED) | S(PROCESSING))
#define OPEN		(WORKING | S(SUPPLEMENT) | S(FINANCIAL))
#define WORKERS		(R(ONE_STOP) | R(OFFICER) | R(LEADER))

#define DOSSIER_MAX_NAME	200	/* bytes */
#define DOSSIER_MAX_ADDRESS	500
#define DOSSIER_MAX_REQUEST	1000
#define DOSSIER_MAX_NOTE	4000
#define DOSSIER_MAX_KEY		128
#define DOSSIER_MAX_COUNT	99

/* The transitions: for each action, where it may start, where it leads and who may take it. */
static const struct dossier_transition dossier_transitions[ACTION_COUNT] = {
	[ACTION_RECEIVE] = {
		.action = ACTION_RECEIVE, .name = "receive", .label = "Tiếp nhận hồ sơ",
		.from = 0, .to = STATE_RECEIVED, .roles = R(ONE_STOP),
		.flags = DOSSIER_INTAKE | DOSSIER_HOLDER
	},
	[ACTION_GUIDE] = {
		.action = ACTION_GUIDE, .name = "guide", .label = "Hướng dẫn bổ sung hồ sơ",
		.from = 0, .to = 0, .roles = R(ONE_STOP),
		.flags = DOSSIER_INTAKE | DOSSIER_NOTE
	},
	[ACTION_REFUSE_INTAKE] = {
		.action = ACTION_REFUSE_INTAKE, .name = "refuse_intake",
		.label = "Từ chối tiếp nhận hồ sơ",
		.from = 0, .to = STATE_REFUSED, .roles = R(ONE_STOP),
		.flags = DOSSIER_INTAKE | DOSSIER_HOLDER | DOSSIER_NOTE | DOSSIER_CLOSES
	},
	[ACTION_HANDOVER] = {
		.action = ACTION_HANDOVER, .name = "handover", .label = "Chuyển bước tiếp theo",
		.from = WORKING, .to = STATE_PROCESSING, .roles = WORKERS,
		.flags = DOSSIER_HOLDER
	},
	[ACTION_ASSIGN] = {
		.action = ACTION_ASSIGN, .name = "assign", .label = "Phân công xử lý",
		.from = WORKING, .to = 0, .roles = WORKERS,
		.flags = DOSSIER_HOLDER
	},
	[ACTION_REQUEST_SUPPLEMENT] = {
		.action = ACTION_REQUEST_SUPPLEMENT, .name = "request_supplement",
		.label = "Yêu cầu bổ sung hồ sơ",
		.from = WORKING, .to = STATE_SUPPLEMENT, .roles = WORKERS,
		.flags = DOSSIER_HOLDER | DOSSIER_NOTE
	},
	[ACTION_RECEIVE_SUPPLEMENT] = {
		.action = ACTION_RECEIVE_SUPPLEMENT, .name = "receive_supplement",
		.label = "Nhận hồ sơ bổ sung",
		.from = S(SUPPLEMENT), .to = STATE_PROCESSING, .roles = WORKERS,
		.flags = DOSSIER_HOLDER | DOSSIER_COUNTER
	},
	[ACTION_PAUSE_FINANCIAL] = {
		.action = ACTION_PAUSE_FINANCIAL, .name = "pause_financial",
		.label = "Chờ thực hiện nghĩa vụ tài chính",
		.from = S(PROCESSING), .to = STATE_FINANCIAL, .roles = WORKERS,
		.flags = DOSSIER_HOLDER
	},
	[ACTION_RESUME_FINANCIAL] = {
		.action = ACTION_RESUME_FINANCIAL, .name = "resume_financial",
		.label = "Đã thực hiện nghĩa vụ tài chính",
		.from = S(FINANCIAL), .to = STATE_PROCESSING, .roles = WORKERS,
		.flags = DOSSIER_HOLDER
	},
	[ACTION_RESOLVE] = {
		.action = ACTION_RESOLVE, .name = "resolve", .label = "Hoàn thành, chuyển trả kết quả",
		.from = WORKING, .to = STATE_RESOLVED, .roles = WORKERS,
		.flags = DOSSIER_HOLDER
	},
	[ACTION_RETURN] = {
		.action = ACTION_RETURN, .name = "return", .label = "Trả kết quả",
		.from = S(RESOLVED), .to = STATE_RETURNED, .roles = R(ONE_STOP) | R(LEADER),
		.flags = DOSSIER_HOLDER | DOSSIER_CLOSES
	},
	[ACTION_WITHDRAW] = {
		.action = ACTION_WITHDRAW, .name = "withdraw", .label = "Rút hồ sơ",
		.from = OPEN, .to = STATE_WITHDRAWN, .roles = R(ONE_STOP) | R(LEADER),
		.flags = DOSSIER_COUNTER | DOSSIER_CLOSES
	},
	[ACTION_STOP] = {
		.action = ACTION_STOP, .name = "stop", .label = "Dừng xử lý",
		.from = OPEN, .to = STATE_STOPPED, .roles = R(LEADER),
		.flags = DOSSIER_NOTE | DOSSIER_CLOSES
	},
	[ACTION_REFUSE] = {
		.action = ACTION_REFUSE, .name = "refuse", .label = "Từ chối giải quyết",
		.from = OPEN, .to = STATE_REFUSED, .roles = R(LEADER),
		.flags = DOSSIER_NOTE | DOSSIER_CLOSES
	},
	[ACTION_APOLOGIZE] = {
		.action = ACTION_APOLOGIZE, .name = "apologize",
		.label = "Xin lỗi và hẹn lại ngày trả kết quả",
		.from = OPEN, .to = 0, .roles = WORKERS,
		.flags = DOSSIER_HOLDER | DOSSIER_NOTE
	}
};

static const char *const dossier_role_names[ROLE_COUNT] = {
	[ROLE_ONE_STOP] = "one_stop",
	[ROLE_OFFICER] = "officer",
	[ROLE_LEADER] = "leader",
	[ROLE_MONITOR] = "monitor",
	[ROLE_ADMIN] = "admin"
};

static const char *const dossier_role_labels[ROLE_COUNT] = {
	[ROLE_ONE_STOP] = "cán bộ tiếp nhận",
	[ROLE_OFFICER] = "chuyên viên",
	[ROLE_LEADER] = "lãnh đạo",
	[ROLE_MONITOR] = "giám sát",
	[ROLE_ADMIN] = "quản trị"
};

/* Each state's English name (logs, exec output) and Vietnamese label (screens). */
static const struct {
	const char	*name;
	const char	*label;
} dossier_states[STATE_MAX + 1] = {
	[STATE_SUBMITTED] = { "submitted online", "Nộp trực tuyến" },
	[STATE_RECEIVED] = { "received", "Đã tiếp nhận" },
	[STATE_REFUSED] = { "refused", "Từ chối" },
	[STATE_PROCESSING] = { "in processing", "Đang xử lý" },
	[STATE_SUPPLEMENT] = { "waiting for a supplement", "Chờ bổ sung" },
	[STATE_FINANCIAL] = { "waiting for the financial obligation",
	    "Chờ thực hiện nghĩa vụ tài chính" },
	[STATE_WITHDRAWN] = { "withdrawn", "Đã rút" },
	[STATE_STOPPED] = { "stopped", "Dừng xử lý" },
	[STATE_RESOLVED] = { "resolved", "Đã giải quyết" },
	[STATE_RETURNED] = { "returned", "Đã trả kết quả" }
};

static const char *const dossier_channel_names[] = {
	[CHANNEL_COUNTER] = "counter",
	[CHANNEL_POST] = "post",
	[CHANNEL_ONLINE] = "online"
};
#define DOSSIER_NCHANNELS (sizeof dossier_channel_names / sizeof dossier_channel_names[0])

/* The name of a role: "one_stop", "officer", "leader", "monitor", "admin". */
const char *
dossier_role_name(enum role role)
{
	if ((unsigned int)role >= ROLE_COUNT)
		return "?";
	return dossier_role_names[role];
}

/* The Vietnamese name of a role, for messages. */
static const char *
dossier_role_label(enum role role)
{
	if ((unsigned int)role >= ROLE_COUNT)
		return "?";
	return dossier_role_labels[role];
}

/* The index of name in a table of n names, or -1 if it is not there. */
static int
dossier_name_index(const char *const *names, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (names[i] != NULL && strcmp(name, names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* Parse a role name; returns 0, or -1 if unknown. */
int
dossier_role_from_name(const char *name, enum role *role)
{
	int	i;

	if ((i = dossier_name_index(dossier_role_names, ROLE_COUNT, name)) == -1)
		return -1;
	*role = (enum role)i;
	return 0;
}

/* The English name of a state. */
const char *
dossier_state_name(int state)
{
	if (state < STATE_MIN || state > STATE_MAX)
		return "?";
	return dossier_states[state].name;
}

/* The Vietnamese name of a state, as officers see it. */
const char *
dossier_state_label(int state)
{
	if (state < STATE_MIN || state > STATE_MAX)
		return "?";
	return dossier_states[state].label;
}

/* The name of an action, as stored in events. */
const char *
dossier_action_name(enum dossier_action action)
{
	if ((unsigned int)action >= ACTION_COUNT)
		return "?";
	return dossier_transitions[action].name;
}

/* The Vietnamese name of an action, for messages. */
static const char *
dossier_action_label(enum dossier_action action)
{
	if ((unsigned int)action >= ACTION_COUNT)
		return "?";
	return dossier_transitions[action].label;
}

/* Parse an action name; returns 0, or -1 if unknown. */
int
dossier_action_from_name(const char *name, enum dossier_action *action)
{
	int	i;

	for (i = 0; i < ACTION_COUNT; i++) {
		if (strcmp(name, dossier_transitions[i].name) == 0) {
			*action = (enum dossier_action)i;
			return 0;
		}
	}
	return -1;
}

/* The name of a channel: "counter", "post", "online". */
const char *
dossier_channel_name(enum dossier_channel channel)
{
	if ((unsigned int)channel >= DOSSIER_NCHANNELS)
		return "?";
	return dossier_channel_names[channel];
}

/* Parse a channel name; returns 0, or -1 if unknown. */
int
dossier_channel_from_name(const char *name, enum dossier_channel *channel)
{
	int	i;

	if ((i = dossier_name_index(dossier_channel_names, DOSSIER_NCHANNELS, name)) == -1)
		return -1;
	*channel = (enum dossier_channel)i;
	return 0;
}

/* The transition table's row for an action. */
const struct dossier_transition *
dossier_transition(enum dossier_action action)
{
	if ((unsigned int)action >= ACTION_COUNT)
		return NULL;
	return &dossier_transitions[action];
}

/* Return true if the actor may read dossiers of the unit. */
bool
dossier_can_read_unit(const struct actor *a, const char *unit)
{
	if (a == NULL || unit == NULL)
		return false;
	switch (a->role) {
	case ROLE_MONITOR:
	case ROLE_ADMIN:
		return true;
	case ROLE_ONE_STOP:
	case ROLE_OFFICER:
	case ROLE_LEADER:
		return a->unit != NULL && strcmp(a->unit, unit) == 0;
	}
	return false;
}

/* The message for a dossier the actor may not see or that does not exist. */
static int
dossier_no_such(const char *code, char **cause)
{
	char	*safe;

	safe = text_sanitise(code == NULL ? "" : code);
	*cause = xasprintf("Không có hồ sơ %s", safe);
	free(safe);
	return -1;
}

/* The step at which a dossier may be resolved: the second-to-last (or the only one). */
static int
dossier_resolve_step(const struct dossier *d)
{
	return d->nsteps >= 2 ? (int)d->nsteps - 2 : 0;
}

/* Decide whether the actor may take the action on the dossier now. */
int
dossier_may(const struct actor *a, const struct dossier *d, enum dossier_action action,
    char **cause)
{
	const struct dossier_transition	*t;
	bool				 holder;

	if ((t = dossier_transition(action)) == NULL) {
		*cause = xstrdup("Không có thao tác này");
		return -1;
	}
	if (!dossier_can_read_unit(a, d->unit))
		return dossier_no_such(d->code, cause);
	if (t->flags & DOSSIER_INTAKE) {
		*cause = xasprintf("Thao tác “%s” không áp dụng cho hồ sơ đã tiếp nhận",
		    t->label);
		return -1;
	}
	if ((t->roles & (1u << a->role)) == 0) {
		*cause = xasprintf("Vai trò %s không được phép “%s”",
		    dossier_role_label(a->role), t->label);
		return -1;
	}
	if ((unsigned int)d->state > STATE_MAX || (t->from & (1u << d->state)) == 0) {
		*cause = xasprintf("Hồ sơ %s đang ở trạng thái “%s”, không thể “%s”", d->code,
		    dossier_state_label(d->state), t->label);
		return -1;
	}

	holder = (t->flags & DOSSIER_HOLDER) &&
	    (a->role == ROLE_ONE_STOP || a->role == ROLE_OFFICER) &&
	    !((t->flags & DOSSIER_COUNTER) && a->role == ROLE_ONE_STOP);
	if (holder) {
		if (a->department == NULL || strcmp(a->department, d->department) != 0) {
			*cause = xasprintf("Hồ sơ %s đang do bộ phận %s xử lý", d->code,
			    d->department);
			return -1;
		}
		if (a->role == ROLE_OFFICER && d->officer != 0 && d->officer != a->user_id) {
			*cause = xasprintf("Hồ sơ %s đã được phân công cho %s", d->code,
			    d->officer_name != NULL ? d->officer_name : "cán bộ khác");
			return -1;
		}
	}

	if (d->step < 0 || (size_t)d->step >= d->nsteps) {
		*cause = xasprintf("Hồ sơ %s đang ở bước không xác định", d->code);
		return -1;
	}
	switch (action) {
	case ACTION_HANDOVER:
		if ((size_t)d->step + 2 >= d->nsteps) {
			*cause = xasprintf("Hồ sơ %s đang ở bước xử lý cuối: hãy hoàn thành, "
			    "không chuyển bước", d->code);
			return -1;
		}
		break;
	case ACTION_RESOLVE:
		if (d->step != dossier_resolve_step(d)) {
			*cause = xasprintf("Hồ sơ %s chỉ được hoàn thành ở bước %d (%s); hiện "
			    "đang ở bước %d", d->code, dossier_resolve_step(d) + 1,
			    d->steps[dossier_resolve_step(d)].name, d->step + 1);
			return -1;
		}
		break;
	case ACTION_PAUSE_FINANCIAL:
		if (!d->steps[d->step].pause_citizen) {
			*cause = xasprintf("Bước %d (%s) của hồ sơ %s không phải bước chờ "
			    "nghĩa vụ tài chính", d->step + 1,
			    d->steps[d->step].name, d->code);
			return -1;
		}
		break;
	case ACTION_APOLOGIZE:
		if (d->apology_at != 0) {
			*cause = xasprintf("Hồ sơ %s đã có phiếu xin lỗi và hẹn lại ngày trả "
			    "kết quả", d->code);
			return -1;
		}
		if (d->due_at == 0) {
			*cause = xasprintf("Hồ sơ %s không có thời hạn giải quyết", d->code);
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

/* The actions the actor may take on the dossier now, as a mask of 1u << action. */
unsigned int
dossier_allowed(const struct actor *a, const struct dossier *d)
{
	unsigned int	 mask = 0;
	char		*cause;
	int		 i;

	for (i = 0; i < ACTION_COUNT; i++) {
		if (dossier_transitions[i].flags & DOSSIER_INTAKE)
			continue;
		cause = NULL;
		if (dossier_may(a, d, (enum dossier_action)i, &cause) == 0)
			mask |= 1u << i;
		free(cause);
	}
	return mask;
}

/* Check an ID number: 9 (old card) or 12 (citizen identity card) digits. */
int
dossier_check_id(const char *id, char **cause)
{
	size_t	len, i;

	len = id == NULL ? 0 : strlen(id);
	if (len != 9 && len != 12) {
		*cause = xstrdup("Số CMND/CCCD phải gồm 9 hoặc 12 chữ số");
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (id[i] < '0' || id[i] > '9') {
			*cause = xstrdup("Số CMND/CCCD chỉ được gồm chữ số");
			return -1;
		}
	}
	return 0;
}

/* Check a phone number: empty, or 10 digits starting with 0. */
int
dossier_check_phone(const char *phone, char **cause)
{
	size_t	i;

	if (phone == NULL || *phone == '\0')
		return 0;
	if (strlen(phone) != 10 || phone[0] != '0') {
		*cause = xstrdup("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0");
		return -1;
	}
	for (i = 0; i < 10; i++) {
		if (phone[i] < '0' || phone[i] > '9') {
			*cause = xstrdup("Số điện thoại chỉ được gồm chữ số");
			return -1;
		}
	}
	return 0;
}

/* Clean a typed text into *out (caller frees); check required and the length in bytes. */
static int
dossier_clean(const char *s, const char *what, bool required, size_t max, char **out,
    char **cause)
{
	*out = text_clean(s == NULL ? "" : s);
	if (required && **out == '\0') {
		*cause = xasprintf("Cần nhập %s", what);
		goto fail;
	}
	if (strlen(*out) > max) {
		*cause = xasprintf("Mục %s quá dài (tối đa %zu byte)", what, max);
		goto fail;
	}
	return 0;

fail:
	free(*out);
	*out = NULL;
	return -1;
}

/* The deadline of the dossier's current step, started now; 0 for a dossier without one. */
static int
dossier_step_due(const struct calendar *cal, const struct dossier *d, int64_t now,
    int64_t *out, char **cause)
{
	const struct dossier_step	*s = &d->steps[d->step];

	*out = 0;
	if (d->due_at == 0)
		return 0;
	/* A step of no days is to be done the same day (the cut-off rule). */
	if (calendar_due(cal, now, s->centidays, s->centidays == 0, out, cause) != 0)
		return -1;
	/* No step may end after the dossier itself is due. */
	if (*out > d->due_at)
		*out = d->due_at;
	return 0;
}

/* Free a dossier; NULL is fine. */
void
dossier_free(struct dossier *d)
{
	size_t	i;

	if (d == NULL)
		return;
	free(d->code);
	free(d->procedure_code);
	free(d->procedure_hash);
	free(d->procedure_name);
	free(d->unit);
	free(d->field);
	free(d->applicant_name);
	free(d->applicant_id);
	free(d->applicant_phone);
	free(d->applicant_address);
	free(d->applicant_commune);
	free(d->owner_name);
	free(d->owner_id);
	free(d->owner_address);
	free(d->request);
	free(d->department);
	free(d->officer_name);
	free(d->received_by_name);
	free(d->idempotency_key);
	for (i = 0; i < d->nsteps; i++) {
		free(d->steps[i].dept);
		free(d->steps[i].name);
	}
	free(d->steps);
	for (i = 0; i < d->ndocuments; i++)
		free(d->documents[i].name);
	free(d->documents);
	free(d);
}

/* Free a list of events. */
void
dossier_events_free(struct dossier_event *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].actor_name);
		free(list[i].department);
		free(list[i].note);
	}
	free(list);
}

/* Free the items of a list and empty it. */
void
dossier_list_free(struct dossier_list *l)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->items[i].code);
		free(l->items[i].procedure_code);
		free(l->items[i].applicant_name);
		free(l->items[i].department);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* Check the actor may do an intake action, and return its transition. */
static const struct dossier_transition *
dossier_intake_actor(const struct actor *a, enum dossier_action action, char **cause)
{
	const struct dossier_transition	*t = &dossier_transitions[action];

	if ((t->roles & (1u << a->role)) == 0) {
		*cause = xasprintf("Vai trò %s không được phép “%s”",
		    dossier_role_label(a->role), t->label);
		return NULL;
	}
	if (a->unit == NULL || a->department == NULL) {
		*cause = xstrdup("Tài khoản chưa được gán đơn vị và bộ phận");
		return NULL;
	}
	return t;
}

/* Check an idempotency key: present, short, plain text. */
static int
dossier_check_key(const char *key, char **cause)
{
	char	*why = NULL;

	if (key == NULL || *key == '\0' || strlen(key) > DOSSIER_MAX_KEY) {
		*cause = xasprintf("Mã chống gửi trùng của biểu mẫu phải dài từ 1 đến %d "
		    "byte", DOSSIER_MAX_KEY);
		return -1;
	}
	if (text_check(key, strlen(key), &why) != 0) {
		*cause = xasprintf("Mã chống gửi trùng: %s", why);
		free(why);
		return -1;
	}
	return 0;
}

/*
 * Look for an earlier intake with the same key: 1 with *code set if it is this actor's
 * (a replay), 0 if there is none, -1 with *cause set if the key belongs to someone else.
 */
static int
dossier_replay(struct store *st, const struct actor *a, const char *key,
    enum dossier_action action, char **code, char **cause)
{
	struct dossier_event	*events = NULL;
	struct dossier		*d = NULL;
	size_t			 n = 0;
	int64_t			 by;
	int			 ret = -1;

	*code = NULL;
	if (store_dossier_by_key(st, key, code, &by, cause) != 0)
		return -1;
	if (*code == NULL)
		return 0;
	if (by != a->user_id) {
		*cause = xstrdup("Mã chống gửi trùng này thuộc một lần tiếp nhận khác; hãy mở "
		    "biểu mẫu mới");
		goto out;
	}
	/* The form was submitted before: with the same outcome it is a retry, else a mistake. */
	if (store_dossier_load(st, *code, &d, cause) != 0 || d == NULL ||
	    store_event_list(st, d->id, &events, &n, cause) != 0)
		goto out;
	if (n == 0 || events[0].action != action) {
		*cause = xasprintf("Biểu mẫu này đã được gửi thành hồ sơ %s (%s); hãy mở "
		    "biểu mẫu mới", *code, n == 0 ? "?" :
		    dossier_action_label(events[0].action));
		goto out;
	}
	ret = 1;
out:
	if (ret != 1) {
		free(*code);
		*code = NULL;
	}
	dossier_events_free(events, n);
	dossier_free(d);
	return ret;
}

/*
 * Check, inside the transaction, that the actor still is what it was at login: an account
 * disabled or moved during a long session stops acting at once.
 */
static int
dossier_actor_current(struct store *st, const struct actor *a, char **cause)
{
	struct store_user	*u = NULL;
	int			 ret = -1;

	if (store_user_get(st, a->user_id, &u, cause) != 0)
		return -1;
	if (u == NULL || u->disabled || u->role != a->role ||
	    (u->unit == NULL) != (a->unit == NULL) ||
	    (u->unit != NULL && strcmp(u->unit, a->unit) != 0) ||
	    (u->department == NULL) != (a->department == NULL) ||
	    (u->department != NULL && strcmp(u->department, a->department) != 0)) {
		*cause = xstrdup("Tài khoản đã bị khóa hoặc thay đổi; hãy đăng nhập lại");
		goto out;
	}
	ret = 0;
out:
	store_user_free(u);
	return ret;
}

/* Check that the actor's unit offers the procedure and that the actor may receive it. */
static int
dossier_intake_unit(const struct catalog *cat, const struct actor *a,
    const struct catalog_procedure *p, const struct catalog_variant *v, char **cause)
{
	const struct catalog_unit	*u;
	size_t				 i;

	if ((u = catalog_unit(cat, a->unit)) == NULL) {
		*cause = xasprintf("Đơn vị %s không có trong danh mục", a->unit);
		return -1;
	}
	if (v->nsteps == 0) {
		*cause = xasprintf("Thủ tục %s chưa có bước xử lý nào", p->code);
		return -1;
	}
	for (i = 0; i < v->nsteps; i++) {
		if (catalog_department(u, v->steps[i].dept) == NULL) {
			*cause = xasprintf("Đơn vị %s không có bộ phận %s (thủ tục %s cần bộ "
			    "phận này)", u->code, v->steps[i].dept, p->code);
			return -1;
		}
	}
	if (strcmp(a->department, v->steps[0].dept) != 0) {
		*cause = xasprintf("Thủ tục %s do bộ phận %s tiếp nhận", p->code,
		    v->steps[0].dept);
		return -1;
	}
	return 0;
}

/* Validate and clean an intake into a new dossier (not yet stored). */
static int
dossier_intake_build(const struct catalog *cat, const struct actor *a,
    const struct dossier_intake *in, const struct dossier_transition *t, int64_t now,
    struct dossier **out, const struct catalog_procedure **proc, char **cause)
{
	const struct catalog_procedure	*p;
	const struct catalog_variant	*v;
	struct dossier			*d;
	size_t				 i;

	*out = NULL;
	if (in->procedure == NULL || (p = catalog_procedure(cat, in->procedure)) == NULL) {
		*cause = xstrdup("Không có thủ tục này trong danh mục");
		return -1;
	}
	if (in->variant < 0 || (size_t)in->variant >= p->nvariants) {
		*cause = xasprintf("Thủ tục %s không có trường hợp %d", p->code, in->variant);
		return -1;
	}
	v = &p->variants[in->variant];
	if (dossier_intake_unit(cat, a, p, v, cause) != 0)
		return -1;

	d = xcalloc(1, sizeof *d);
	d->procedure_code = xstrdup(p->code);
	d->procedure_hash = xstrdup(p->version);
	d->procedure_name = xstrdup(p->name);
	d->variant = in->variant;
	d->unit = xstrdup(a->unit);
	d->field = xstrdup(p->field);

	if (dossier_clean(in->applicant_name, "họ tên người nộp hồ sơ", true, DOSSIER_MAX_NAME,
	    &d->applicant_name, cause) != 0)
		goto fail;
	if (dossier_clean(in->applicant_id, "số CMND/CCCD của người nộp", true, 12,
	    &d->applicant_id, cause) != 0 || dossier_check_id(d->applicant_id, cause) != 0)
		goto fail;
	if (dossier_clean(in->applicant_phone, "số điện thoại", false, 10,
	    &d->applicant_phone, cause) != 0 ||
	    dossier_check_phone(d->applicant_phone, cause) != 0)
		goto fail;
	if (dossier_clean(in->applicant_address, "địa chỉ của người nộp", false,
	    DOSSIER_MAX_ADDRESS, &d->applicant_address, cause) != 0)
		goto fail;
	if (dossier_clean(in->applicant_commune, "xã/phường/thị trấn", false, DOSSIER_MAX_NAME,
	    &d->applicant_commune, cause) != 0)
		goto fail;
	if (dossier_clean(in->owner_name, "họ tên chủ hồ sơ", false, DOSSIER_MAX_NAME,
	    &d->owner_name, cause) != 0)
		goto fail;
	if (*d->owner_name == '\0') {
		free(d->owner_name);
		d->owner_name = NULL;
	} else {
		if (dossier_clean(in->owner_id, "số CMND/CCCD của chủ hồ sơ", false, 12,
		    &d->owner_id, cause) != 0)
			goto fail;
		if (*d->owner_id == '\0') {
			free(d->owner_id);
			d->owner_id = NULL;
		} else if (dossier_check_id(d->owner_id, cause) != 0) {
			free(*cause);
			*cause = xstrdup("Số CMND/CCCD của chủ hồ sơ phải gồm 9 hoặc 12 chữ "
			    "số");
			goto fail;
		}
		if (dossier_clean(in->owner_address, "địa chỉ của chủ hồ sơ", false,
		    DOSSIER_MAX_ADDRESS, &d->owner_address, cause) != 0)
			goto fail;
	}
	if (dossier_clean(in->request, "nội dung yêu cầu", false, DOSSIER_MAX_REQUEST,
	    &d->request, cause) != 0)
		goto fail;
	if ((unsigned int)in->channel >= DOSSIER_NCHANNELS) {
		*cause = xstrdup("Hình thức nộp hồ sơ không hợp lệ");
		goto fail;
	}
	d->channel = in->channel;
	d->sets = in->sets == 0 ? 1 : in->sets;
	if (d->sets < 1 || d->sets > DOSSIER_MAX_COUNT) {
		*cause = xasprintf("Số bộ hồ sơ phải từ 1 đến %d", DOSSIER_MAX_COUNT);
		goto fail;
	}

	if (in->documents != NULL && in->ndocuments != v->ndocuments) {
		*cause = xasprintf("Thủ tục %s có %zu thành phần hồ sơ, không phải %zu",
		    p->code, v->ndocuments, in->ndocuments);
		goto fail;
	}
	d->ndocuments = v->ndocuments;
	d->documents = xcalloc(d->ndocuments == 0 ? 1 : d->ndocuments, sizeof *d->documents);
	for (i = 0; i < v->ndocuments; i++) {
		d->documents[i].name = xstrdup(v->documents[i].name);
		if (in->documents != NULL) {
			d->documents[i].originals = in->documents[i].originals;
			d->documents[i].copies = in->documents[i].copies;
		} else {
			d->documents[i].originals = v->documents[i].originals;
			d->documents[i].copies = v->documents[i].copies;
		}
		if (d->documents[i].originals < 0 ||
		    d->documents[i].originals > DOSSIER_MAX_COUNT ||
		    d->documents[i].copies < 0 || d->documents[i].copies > DOSSIER_MAX_COUNT) {
			*cause = xasprintf("Giấy tờ thứ %zu: số bản chính, bản sao phải từ 0 "
			    "đến %d", i + 1, DOSSIER_MAX_COUNT);
			goto fail;
		}
	}

	d->nsteps = v->nsteps;
	d->steps = xcalloc(d->nsteps, sizeof *d->steps);
	for (i = 0; i < v->nsteps; i++) {
		d->steps[i].dept = xstrdup(v->steps[i].dept);
		d->steps[i].name = xstrdup(v->steps[i].name == NULL ? "" : v->steps[i].name);
		d->steps[i].centidays = v->steps[i].centidays;
		d->steps[i].pause_citizen = v->steps[i].pause_citizen;
	}

	d->state = (enum dossier_state)t->to;
	d->step = 0;
	d->department = xstrdup(v->steps[0].dept);
	d->officer = a->user_id;
	d->received_by = a->user_id;
	d->received_at = now;
	d->idempotency_key = xstrdup(in->idempotency_key);
	if (t->action == ACTION_RECEIVE) {
		if (!p->no_deadline && calendar_due(cat->calendar, now, v->duration.centidays,
		    v->duration.same_day, &d->due_at, cause) != 0)
			goto fail;
		if (dossier_step_due(cat->calendar, d, now, &d->step_due_at, cause) != 0)
			goto fail;
	}
	if (t->flags & DOSSIER_CLOSES)
		d->closed_at = now;
	*out = d;
	*proc = p;
	return 0;

fail:
	dossier_free(d);
	return -1;
}

/* Receive or refuse a dossier at intake (the two share everything but the outcome). */
static int
dossier_intake(struct store *st, const struct catalog *cat, const struct actor *a,
    const struct dossier_intake *in, enum dossier_action action, int64_t now, char **code,
    bool *replay, char **cause)
{
	const struct dossier_transition	*t;
	const struct catalog_procedure	*p;
	struct dossier			*d = NULL;
	struct dossier_event		 e;
	struct calendar_date		 day;
	char				*note = NULL, yymmdd[16];
	int				 seq, found, ret = -1;

	*code = NULL;
	*replay = false;
	if ((t = dossier_intake_actor(a, action, cause)) == NULL)
		return -1;
	if (dossier_check_key(in->idempotency_key, cause) != 0)
		return -1;

	/* A retry of an intake already stored answers with its code, whatever else changed. */
	found = dossier_replay(st, a, in->idempotency_key, action, code, cause);
	if (found != 0) {
		*replay = found == 1;
		return found == 1 ? 0 : -1;
	}

	if (dossier_clean(in->note, "lý do", (t->flags & DOSSIER_NOTE) != 0,
	    DOSSIER_MAX_NOTE, &note, cause) != 0)
		return -1;
	if (dossier_intake_build(cat, a, in, t, now, &d, &p, cause) != 0)
		goto out;
	day = calendar_local_date(cat->calendar, now, NULL);
	snprintf(yymmdd, sizeof yymmdd, "%02d%02d%02d", day.year % 100, day.month, day.day);

	if (store_begin(st, cause) != 0)
		goto out;
	if (dossier_actor_current(st, a, cause) != 0)
		goto fail;
	found = dossier_replay(st, a, in->idempotency_key, action, code, cause);
	if (found != 0) {
		store_rollback(st);
		*replay = found == 1;
		ret = found == 1 ? 0 : -1;
		goto out;
	}
	if (store_procedure_ensure(st, p, now, &d->procedure_version, cause) != 0)
		goto fail;
	if (store_code_next(st, d->unit, yymmdd, &seq, cause) != 0)
		goto fail;
	d->code = xasprintf("%s-%s-%04d", d->unit, yymmdd, seq);
	if (store_dossier_insert(st, d, cause) != 0)
		goto fail;

	memset(&e, 0, sizeof e);
	e.dossier = d->id;
	e.at = now;
	e.actor = a->user_id;
	e.action = action;
	e.from_state = 0;
	e.to_state = d->state;
	e.step = d->step;
	e.department = d->department;
	e.officer = d->officer;
	e.step_due_at = d->step_due_at;
	e.note = *note == '\0' ? NULL : note;
	if (store_event_add(st, &e, cause) != 0)
		goto fail;
	if (store_draft_consume(st, a->user_id, in->idempotency_key, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		goto out;

	*code = d->code;
	d->code = NULL;
	ret = 0;
	goto out;

fail:
	store_rollback(st);
out:
	free(note);
	dossier_free(d);
	return ret;
}

/* Receive a dossier at the counter. */
int
dossier_receive(struct store *st, const struct catalog *cat, const struct actor *a,
    const struct dossier_intake *in, int64_t now, char **code, bool *replay, char **cause)
{
	return dossier_intake(st, cat, a, in, ACTION_RECEIVE, now, code, replay, cause);
}

/* Refuse a dossier at intake, with the reason in in->note. */
int
dossier_refuse_intake(struct store *st, const struct catalog *cat, const struct actor *a,
    const struct dossier_intake *in, int64_t now, char **code, bool *replay, char **cause)
{
	return dossier_intake(st, cat, a, in, ACTION_REFUSE_INTAKE, now, code, replay, cause);
}

/* Record an intake guidance (Mẫu 02). */
int
dossier_guide(struct store *st, const struct catalog *cat, const struct actor *a,
    const char *procedure, const char *applicant_name, const char *missing, int64_t now,
    int64_t *id, char **cause)
{
	const struct catalog_procedure	*p;
	char				*name = NULL, *what = NULL;
	int				 ret = -1;

	if (dossier_intake_actor(a, ACTION_GUIDE, cause) == NULL)
		return -1;
	if (procedure == NULL || (p = catalog_procedure(cat, procedure)) == NULL) {
		*cause = xstrdup("Không có thủ tục này trong danh mục");
		return -1;
	}
	if (dossier_clean(applicant_name, "họ tên người nộp hồ sơ", true, DOSSIER_MAX_NAME,
	    &name, cause) != 0)
		goto out;
	if (dossier_clean(missing, "danh sách nội dung còn thiếu", true, DOSSIER_MAX_NOTE,
	    &what, cause) != 0)
		goto out;
	if (store_begin(st, cause) != 0)
		goto out;
	if (store_guidance_add(st, a->unit, p->code, name, what, now, a->user_id, id,
	    cause) != 0) {
		store_rollback(st);
		goto out;
	}
	if (store_commit(st, cause) != 0)
		goto out;
	ret = 0;
out:
	free(name);
	free(what);
	return ret;
}

/* Move a deadline by a pause's working seconds; 0 stays 0 ("none"). */
static int
dossier_shift(const struct calendar *cal, int64_t *t, int64_t seconds, char **cause)
{
	if (*t == 0 || seconds <= 0)
		return 0;
	return calendar_add(cal, *t, seconds, t, cause);
}

/*
 * End the dossier's pause now: record it and move its deadlines by the paused working time;
 * when the dossier is being closed, only record it.
 */
static int
dossier_unpause(struct store *st, const struct calendar *cal, const struct actor *a,
    struct dossier *d, int64_t now, bool closing, char **cause)
{
	int64_t	seconds = 0;
	char	*why = NULL;

	if (d->paused_at == 0)
		return 0;
	if (closing) {
		/*
		 * A dossier being closed keeps no deadline, so its pause ends even where the
		 * paused time cannot be counted (a year without a calendar); it is then 0.
		 */
		if (now > d->paused_at &&
		    calendar_between(cal, d->paused_at, now, &seconds, &why) != 0)
			seconds = 0;
		free(why);
		if (store_pause_end(st, d->id, now, a->user_id, seconds < 0 ? 0 : seconds,
		    cause) != 0)
			return -1;
		d->paused_at = 0;
		return 0;
	}
	if (now > d->paused_at &&
	    calendar_between(cal, d->paused_at, now, &seconds, cause) != 0)
		return -1;
	if (seconds < 0)
		seconds = 0;
	if (dossier_shift(cal, &d->due_at, seconds, cause) != 0 ||
	    dossier_shift(cal, &d->step_due_at, seconds, cause) != 0 ||
	    dossier_shift(cal, &d->appointment_at, seconds, cause) != 0)
		return -1;
	if (store_pause_end(st, d->id, now, a->user_id, seconds, cause) != 0)
		return -1;
	d->paused_at = 0;
	return 0;
}

/* Return true if instant a falls on a later local day than instant b. */
static bool
dossier_day_after(const struct calendar *cal, int64_t a, int64_t b)
{
	struct calendar_date	da = calendar_local_date(cal, a, NULL);
	struct calendar_date	db = calendar_local_date(cal, b, NULL);

	return calendar_days_from_date(da) > calendar_days_from_date(db);
}

/* Check the officer a dossier is assigned to and apply the assignment. */
static int
dossier_assign(struct store *st, const struct actor *a, struct dossier *d, int64_t target,
    char **cause)
{
	struct store_user	*u = NULL;
	int			 ret = -1;

	if (target == 0)
		target = a->user_id;
	if (a->role != ROLE_LEADER && target != a->user_id) {
		*cause = xstrdup("Chỉ được tự nhận xử lý hồ sơ; phân công cho người khác do "
		    "lãnh đạo thực hiện");
		return -1;
	}
	if (store_user_get(st, target, &u, cause) != 0)
		return -1;
	if (u == NULL || u->disabled || u->unit == NULL || strcmp(u->unit, d->unit) != 0) {
		*cause = xasprintf("Không có người dùng số %lld đang hoạt động trong đơn vị %s",
		    (long long)target, d->unit);
		goto out;
	}
	if (u->department == NULL || strcmp(u->department, d->department) != 0) {
		*cause = xasprintf("%s không thuộc bộ phận %s, nơi đang giữ hồ sơ %s",
		    u->full_name, d->department, d->code);
		goto out;
	}
	d->officer = target;
	ret = 0;
out:
	store_user_free(u);
	return ret;
}

/* Apply an action to a loaded dossier (rules already checked); the event is written after. */
static int
dossier_apply(struct store *st, const struct calendar *cal, const struct actor *a,
    struct dossier *d, enum dossier_action action, const struct dossier_args *args,
    const char *note, int64_t now, char **cause)
{
	switch (action) {
	case ACTION_HANDOVER:
		d->step++;
		free(d->department);
		d->department = xstrdup(d->steps[d->step].dept);
		d->officer = 0;
		return dossier_step_due(cal, d, now, &d->step_due_at, cause);
	case ACTION_ASSIGN:
		return dossier_assign(st, a, d, args->officer, cause);
	case ACTION_REQUEST_SUPPLEMENT:
	case ACTION_PAUSE_FINANCIAL:
		d->paused_at = now;
		return store_pause_start(st, d->id, action == ACTION_PAUSE_FINANCIAL ?
		    "financial" : "supplement", now, a->user_id, note, cause);
	case ACTION_RECEIVE_SUPPLEMENT:
	case ACTION_RESUME_FINANCIAL:
		return dossier_unpause(st, cal, a, d, now, false, cause);
	case ACTION_RESOLVE:
		d->step = (int)d->nsteps - 1;
		free(d->department);
		d->department = xstrdup(d->steps[d->step].dept);
		d->officer = 0;
		d->resolved_at = now;
		return dossier_step_due(cal, d, now, &d->step_due_at, cause);
	case ACTION_RETURN:
		d->returned_at = now;
		return 0;
	case ACTION_WITHDRAW:
	case ACTION_STOP:
	case ACTION_REFUSE:
		return dossier_unpause(st, cal, a, d, now, true, cause);
	case ACTION_APOLOGIZE:
		/* The letter goes out at the latest on the due date (Mẫu 04). */
		if (d->due_at != 0 && dossier_day_after(cal, now, d->due_at)) {
			*cause = xstrdup("Phiếu xin lỗi và hẹn lại phải lập chậm nhất trong "
			    "ngày hẹn trả kết quả");
			return -1;
		}
		if (args->appointment <= d->due_at || args->appointment <= now) {
			*cause = xstrdup("Ngày hẹn mới phải sau hạn hiện tại và sau thời điểm "
			    "này");
			return -1;
		}
		d->apology_at = now;
		d->appointment_at = args->appointment;
		return 0;
	default:
		*cause = xasprintf("Thao tác “%s” không áp dụng cho hồ sơ đã tiếp nhận",
		    dossier_action_label(action));
		return -1;
	}
}

/* Take an action on a dossier, in one write transaction with its event. */
int
dossier_act(struct store *st, const struct calendar *cal, const struct actor *a,
    const char *code, enum dossier_action action, const struct dossier_args *args,
    int64_t now, char **cause)
{
	static const struct dossier_args	 none;
	const struct dossier_transition		*t;
	struct dossier				*d = NULL;
	struct dossier_event			 e;
	char					*note = NULL;
	int					 from, ret = -1;

	if (args == NULL)
		args = &none;
	if ((t = dossier_transition(action)) == NULL || (t->flags & DOSSIER_INTAKE)) {
		*cause = xstrdup("Thao tác này không áp dụng cho hồ sơ đã tiếp nhận");
		return -1;
	}
	if (dossier_clean(args->note, "lý do", (t->flags & DOSSIER_NOTE) != 0,
	    DOSSIER_MAX_NOTE, &note, cause) != 0)
		return -1;

	if (store_begin(st, cause) != 0)
		goto out;
	if (dossier_actor_current(st, a, cause) != 0)
		goto fail;
	if (store_dossier_load(st, code, &d, cause) != 0)
		goto fail;
	if (d == NULL || !dossier_can_read_unit(a, d->unit)) {
		dossier_no_such(code, cause);
		goto fail;
	}
	if (args->seen_event != 0 && d->last_event != args->seen_event) {
		*cause = xasprintf("Hồ sơ %s đã thay đổi kể từ lúc mở; hãy xem lại hồ sơ",
		    d->code);
		goto fail;
	}
	if (dossier_may(a, d, action, cause) != 0)
		goto fail;

	from = d->state;
	if (dossier_apply(st, cal, a, d, action, args, note, now, cause) != 0)
		goto fail;
	if (t->to != 0)
		d->state = (enum dossier_state)t->to;
	if (t->flags & DOSSIER_CLOSES)
		d->closed_at = now;
	if (store_dossier_update(st, d, cause) != 0)
		goto fail;

	memset(&e, 0, sizeof e);
	e.dossier = d->id;
	e.at = now;
	e.actor = a->user_id;
	e.action = action;
	e.from_state = from;
	e.to_state = d->state;
	e.step = d->step;
	e.department = d->department;
	e.officer = d->officer;
	e.step_due_at = d->step_due_at;
	e.note = *note == '\0' ? NULL : note;
	if (store_event_add(st, &e, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		goto out;
	ret = 0;
	goto out;

fail:
	store_rollback(st);
out:
	free(note);
	dossier_free(d);
	return ret;
}

/* Read a dossier the actor may see. */
struct dossier *
dossier_get(struct store *st, const struct actor *a, const char *code, char **cause)
{
	struct dossier	*d;

	if (code == NULL || store_dossier_load(st, code, &d, cause) != 0) {
		if (code == NULL)
			dossier_no_such(code, cause);
		return NULL;
	}
	if (d == NULL || !dossier_can_read_unit(a, d->unit)) {
		dossier_free(d);
		dossier_no_such(code, cause);
		return NULL;
	}
	return d;
}

/* Read a dossier's history, oldest first. */
int
dossier_events(struct store *st, const struct actor *a, const char *code,
    struct dossier_event **events, size_t *n, char **cause)
{
	struct dossier	*d;
	int		 ret;

	*events = NULL;
	*n = 0;
	if ((d = dossier_get(st, a, code, cause)) == NULL)
		return -1;
	ret = store_event_list(st, d->id, events, n, cause);
	dossier_free(d);
	return ret;
}
