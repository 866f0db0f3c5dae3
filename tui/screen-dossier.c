/* screen-dossier.c: one dossier: its details, documents and control slip, and the actions allowed now. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "slip.h"
#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

enum {
	SCREEN_DOSSIER_MENU = CMD_SCREEN,
	SCREEN_DOSSIER_CONTROL,
	SCREEN_DOSSIER_RECEIPT,
	SCREEN_DOSSIER_REFRESH,
	SCREEN_DOSSIER_ACTION = CMD_SCREEN + 100	/* + the action */
};

/* The plain key of each action. */
static const struct {
	enum dossier_action	 action;
	int			 key;
	const char		*name;
} screen_dossier_keys[] = {
	{ ACTION_HANDOVER, 'c', "c" },
	{ ACTION_ASSIGN, 'g', "g" },
	{ ACTION_REQUEST_SUPPLEMENT, 'y', "y" },
	{ ACTION_RECEIVE_SUPPLEMENT, 's', "s" },
	{ ACTION_PAUSE_FINANCIAL, 't', "t" },
	{ ACTION_RESUME_FINANCIAL, 'u', "u" },
	{ ACTION_RESOLVE, 'e', "e" },
	{ ACTION_RETURN, 'a', "a" },
	{ ACTION_WITHDRAW, 'w', "w" },
	{ ACTION_STOP, 'd', "d" },
	{ ACTION_REFUSE, 'f', "f" },
	{ ACTION_APOLOGIZE, 'l', "l" },
};
#define SCREEN_DOSSIER_NKEYS (sizeof screen_dossier_keys / sizeof screen_dossier_keys[0])

static const struct tui_binding screen_dossier_fixed[] = {
	TUI_BINDING_HELP,
	{ CMD_INTAKE, { KEYS_F(2), 'n', 0 }, "F2, n", "Tiếp nhận hồ sơ mới", NULL },
	{ CMD_QUEUES, { KEYS_F(3), 'q', 0 }, "F3, q", "Hàng đợi hồ sơ", NULL },
	TUI_BINDING_OPEN, TUI_BINDING_BACK, TUI_BINDING_QUIT,
	{ SCREEN_DOSSIER_MENU, { KEYS_F(5), '\r', '\n', KEYS_FN | 0527 }, "F5, Enter",
	    "Chọn thao tác trên hồ sơ", "F5 Thao tác" },
	{ SCREEN_DOSSIER_CONTROL, { KEYS_F(6), 'm', 0 }, "F6, m",
	    "Xem, in phiếu kiểm soát quá trình (Mẫu 05)", "F6 Mẫu 05" },
	{ SCREEN_DOSSIER_RECEIPT, { KEYS_F(7), 'v', 0 }, "F7, v",
	    "Xem, in giấy tiếp nhận và hẹn trả (Mẫu 01)", "F7 Mẫu 01" },
	{ SCREEN_DOSSIER_REFRESH, { KEYS_F(8), 'r', 0 }, "F8, r", "Đọc lại hồ sơ", NULL },
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, KEYS_FN | 0523, KEYS_FN | 0522 },
	    "↑, ↓, PgUp, PgDn", "Cuộn", NULL },
};
#define SCREEN_DOSSIER_NFIXED (sizeof screen_dossier_fixed / sizeof screen_dossier_fixed[0])

/* What a dossier screen holds. */
struct screen_dossier {
	char			*code;
	struct dossier		*d;
	struct dossier_event	*events;
	size_t			 nevents;
	unsigned int		 allowed;
	struct list_view	 view;
	int			 wrap;		/* columns of the details */
	struct tui_binding	 bindings[SCREEN_DOSSIER_NFIXED + SCREEN_DOSSIER_NKEYS];
	size_t			 nbindings;
};

/* An action waiting for its note, officer or date. */
struct screen_dossier_pending {
	struct screen		*s;
	enum dossier_action	 action;
	char			*note;
	int64_t			 seen;		/* the dossier's newest event when it began */
	int64_t			*officers;
	size_t			 nofficers;
};

/* Free a pending action. */
static void
screen_dossier_pending_free(void *arg)
{
	struct screen_dossier_pending	*p = arg;

	free(p->note);
	free(p->officers);
	free(p);
}

/* A label for an action (Vietnamese, from the transition table). */
static const char *
screen_dossier_label(enum dossier_action a)
{
	const struct dossier_transition	*tr = dossier_transition(a);

	return tr != NULL ? tr->label : "?";
}

/* Add a formatted line to the view. */
static void __attribute__((format(printf, 2, 3)))
screen_dossier_line(struct screen_dossier *sd, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	list_view_add_wrapped(&sd->view, text, sd->wrap);
	free(text);
}

/*
 * The lateness after the state, as the lists mark it (tui_late_marker): " — QUÁ HẠN" past
 * the legal due time, with the new appointment if an apology (Mẫu 04) gave one, " — CHẬM
 * TIẾN ĐỘ" past the step's deadline, or "". The caller frees it.
 */
static char *
screen_dossier_late(struct tui *t, const struct dossier *d, int64_t now)
{
	char	when[32];

	if (d->state != STATE_RECEIVED && d->state != STATE_PROCESSING)
		return xstrdup("");
	if (d->due_at != 0 && now > d->due_at) {
		if (d->appointment_at == 0)
			return xstrdup(" — QUÁ HẠN");
		tui_time(t, d->appointment_at, when, sizeof when);
		return xasprintf(" — QUÁ HẠN (đã hẹn lại: %s)", when);
	}
	if (d->step_due_at != 0 && now > d->step_due_at)
		return xstrdup(" — CHẬM TIẾN ĐỘ");
	return xstrdup("");
}

/* Build the lines of the details, the documents and the control slip. */
static void
screen_dossier_lines(struct screen_dossier *sd, struct tui *t)
{
	const struct catalog		*cat = service_catalog(t->svc);
	const struct catalog_unit	*unit;
	const struct catalog_department	*dept;
	struct dossier			*d = sd->d;
	char			 a[32], b[32], *slip, *late;
	int64_t			 now = service_now(t->svc);
	size_t			 i;

	list_view_free(&sd->view);
	sd->wrap = t->width - 2;
	late = screen_dossier_late(t, d, now);
	screen_dossier_line(sd, "Mã hồ sơ: %s    Trạng thái: %s%s", d->code,
	    dossier_state_label(d->state), late);
	free(late);
	screen_dossier_line(sd, "Thủ tục: %s — %s", d->procedure_code, d->procedure_name);
	screen_dossier_line(sd, "Người nộp: %s    CMND/CCCD: %s    Điện thoại: %s",
	    d->applicant_name, d->applicant_id, *d->applicant_phone != '\0' ?
	    d->applicant_phone : "—");
	screen_dossier_line(sd, "Địa chỉ: %s%s%s", d->applicant_address,
	    *d->applicant_commune != '\0' ? ", " : "", d->applicant_commune);
	if (d->owner_name != NULL && *d->owner_name != '\0')
		screen_dossier_line(sd, "Chủ hồ sơ: %s    CMND/CCCD: %s    Địa chỉ: %s",
		    d->owner_name, d->owner_id != NULL ? d->owner_id : "",
		    d->owner_address != NULL ? d->owner_address : "");
	screen_dossier_line(sd, "Nội dung yêu cầu: %s    Số bộ: %d", d->request, d->sets);
	tui_time(t, d->received_at, a, sizeof a);
	tui_time(t, d->appointment_at != 0 ? d->appointment_at : d->due_at, b, sizeof b);
	screen_dossier_line(sd, "Tiếp nhận: %s (%s)    Hẹn trả: %s", a,
	    d->received_by_name != NULL ? d->received_by_name : "", b);
	tui_time(t, d->step_due_at, a, sizeof a);
	unit = catalog_unit(cat, d->unit);
	dept = unit != NULL && d->department != NULL ?
	    catalog_department(unit, d->department) : NULL;
	if (d->step >= 0 && (size_t)d->step < d->nsteps)
		screen_dossier_line(sd, "Bước %d/%zu: %s — %s — hạn bước %s — cán bộ: %s",
		    d->step + 1, d->nsteps, d->steps[d->step].name, dept != NULL ? dept->name :
		    (d->department != NULL ? d->department : ""), a,
		    d->officer_name != NULL ? d->officer_name : "chưa phân công");
	screen_dossier_line(sd, "%s", "");
	screen_dossier_line(sd, "%s", "Thành phần hồ sơ:");
	for (i = 0; i < d->ndocuments; i++)
		screen_dossier_line(sd, "  %zu. %s — bản chính: %d, bản sao: %d", i + 1,
		    d->documents[i].name, d->documents[i].originals, d->documents[i].copies);
	screen_dossier_line(sd, "%s", "");
	slip = slip_control(cat, d, sd->events, sd->nevents);
	if (slip != NULL) {
		char	*p, *nl;

		for (p = slip; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (nl == NULL) {
				list_view_add(&sd->view, xstrdup(p));
				break;
			}
			list_view_add(&sd->view, xstrndup(p, (size_t)(nl - p)));
		}
		free(slip);
	}
}

/* Build the key table: the fixed keys, then one per action allowed now. */
static void
screen_dossier_keys_build(struct screen_dossier *sd)
{
	struct tui_binding	*b;
	size_t			 i;

	memcpy(sd->bindings, screen_dossier_fixed, sizeof screen_dossier_fixed);
	sd->nbindings = SCREEN_DOSSIER_NFIXED;
	for (i = 0; i < SCREEN_DOSSIER_NKEYS; i++) {
		if ((sd->allowed & (1u << screen_dossier_keys[i].action)) == 0)
			continue;
		b = &sd->bindings[sd->nbindings++];
		memset(b, 0, sizeof *b);
		b->cmd = SCREEN_DOSSIER_ACTION + (int)screen_dossier_keys[i].action;
		b->keys[0] = screen_dossier_keys[i].key;
		b->names = screen_dossier_keys[i].name;
		b->label = screen_dossier_label(screen_dossier_keys[i].action);
		b->bar = NULL;
	}
}

/* Read the dossier, its history and what may be done now; 0, or -1 with *cause. */
static int
screen_dossier_load(struct screen_dossier *sd, struct tui *t, char **cause)
{
	struct dossier		*d;
	struct dossier_event	*ev = NULL;
	size_t			 nev = 0;

	d = service_dossier(t->svc, sd->code, cause);
	if (d == NULL)
		return -1;
	if (service_events(t->svc, sd->code, &ev, &nev, cause) != 0) {
		dossier_free(d);
		return -1;
	}
	dossier_free(sd->d);
	dossier_events_free(sd->events, sd->nevents);
	sd->d = d;
	sd->events = ev;
	sd->nevents = nev;
	sd->allowed = service_allowed(t->svc, d);
	screen_dossier_lines(sd, t);
	screen_dossier_keys_build(sd);
	return 0;
}

/* Read again, keeping the scroll position; errors go to the status line. */
static void
screen_dossier_reload(struct screen_dossier *sd, struct tui *t)
{
	char	*cause = NULL;
	size_t	 top = sd->view.top;

	if (screen_dossier_load(sd, t, &cause) != 0) {
		tui_error(t, "%s", cause);
		free(cause);
		return;
	}
	sd->view.top = top;
}

/* Draw the details and the actions allowed now (on two lines at most). */
static void
screen_dossier_draw(struct screen *s, struct tui *t)
{
	struct screen_dossier	*sd = s->data;
	int			 y = tui_body_top(t), rows = tui_body_rows(t), x = 11, w;
	int			 line = y + rows - 2;
	size_t			 i;
	char			*item;

	list_view_draw(&sd->view, y, rows - 3, t->width);
	move(y + rows - 3, 0);
	hline(ACS_HLINE, t->width);
	tui_text(line, 1, 10, "Thao tác:", A_BOLD);
	if (sd->allowed == 0)
		tui_text(line, x, t->width - x - 1, "(không có thao tác nào lúc này)", 0);
	for (i = 0; i < SCREEN_DOSSIER_NKEYS; i++) {
		if ((sd->allowed & (1u << screen_dossier_keys[i].action)) == 0)
			continue;
		item = xasprintf("[%s] %s", screen_dossier_keys[i].name,
		    screen_dossier_label(screen_dossier_keys[i].action));
		w = text_width(item);
		if (x + w >= t->width) {
			if (line == y + rows - 1) {
				free(item);
				tui_text(line, t->width - 2, 1, "…", 0);
				break;
			}
			line++;
			x = 11;
		}
		tui_text(line, x, w, item, 0);
		x += w + 2;
		free(item);
	}
}

/* The dossier's keys. */
static const struct tui_binding *
screen_dossier_bindings_get(struct screen *s, size_t *n)
{
	struct screen_dossier	*sd = s->data;

	*n = sd->nbindings;
	return sd->bindings;
}

/* Take the action, read the dossier again, and show the slip the action produces. */
static void
screen_dossier_do(struct tui *t, struct screen *s, enum dossier_action a, const char *note,
    int64_t officer, int64_t appointment, int64_t seen)
{
	struct screen_dossier	*sd = s->data;
	struct dossier_args	 args;
	char			*cause = NULL, *slip = NULL, *title;

	memset(&args, 0, sizeof args);
	args.note = note != NULL && *note != '\0' ? note : NULL;
	args.officer = officer;
	args.appointment = appointment;
	args.seen_event = seen;
	if (service_act(t->svc, sd->code, a, &args, &cause) != 0) {
		screen_dossier_reload(sd, t);
		tui_error(t, "%s", cause);
		free(cause);
		return;
	}
	screen_dossier_reload(sd, t);
	tui_message(t, "Đã thực hiện: %s — hồ sơ %s", screen_dossier_label(a), sd->code);
	if (a == ACTION_REFUSE)
		slip = slip_refusal(service_catalog(t->svc), sd->d, note);
	else if (a == ACTION_APOLOGIZE)
		slip = slip_apology(service_catalog(t->svc), sd->d, note);
	if (slip != NULL) {
		title = xasprintf("%s — %s", a == ACTION_REFUSE ? "Phiếu từ chối (Mẫu 03)" :
		    "Phiếu xin lỗi và hẹn lại (Mẫu 04)", sd->code);
		tui_push(t, screen_slip_new(title, slip));
		free(title);
	}
}

/* The officer to assign was chosen. */
static void
screen_dossier_assign_done(struct tui *t, void *arg, size_t index)
{
	struct screen_dossier_pending	*p = arg;

	if (index < p->nofficers)
		screen_dossier_do(t, p->s, ACTION_ASSIGN, NULL, p->officers[index], 0, p->seen);
}

/* The apology's new appointment was typed. */
static void
screen_dossier_date_done(struct tui *t, void *arg, const char *answer)
{
	struct screen_dossier_pending	*p = arg;
	int64_t				 at;

	if (tui_parse_time(t, answer, &at) != 0) {
		tui_error(t, "Ngày hẹn không hợp lệ: \"%s\" (dạng 16:30 28/08/2015)", answer);
		return;
	}
	screen_dossier_do(t, p->s, ACTION_APOLOGIZE, p->note, 0, at, p->seen);
}

/* The note of an action was typed: act, or for an apology ask the new date. */
static void
screen_dossier_note_done(struct tui *t, void *arg, const char *answer)
{
	struct screen_dossier_pending	*p = arg, *next;
	const struct dossier_transition	*tr = dossier_transition(p->action);

	if (tr != NULL && (tr->flags & DOSSIER_NOTE) && *answer == '\0') {
		tui_error(t, "Cần ghi lý do để %s", tr->label);
		return;
	}
	if (p->action != ACTION_APOLOGIZE) {
		screen_dossier_do(t, p->s, p->action, answer, 0, 0, p->seen);
		return;
	}
	next = xcalloc(1, sizeof *next);
	next->s = p->s;
	next->action = p->action;
	next->seen = p->seen;
	next->note = xstrdup(answer);
	tui_push(t, screen_prompt_new("Xin lỗi và hẹn lại",
	    "Ngày hẹn trả kết quả mới (giờ:phút ngày/tháng/năm, ví dụ 16:30 28/08/2015):", "",
	    32, screen_dossier_date_done, next, screen_dossier_pending_free));
}

/* Start an action: choose the officer, or ask for the note. */
static void
screen_dossier_start(struct tui *t, struct screen *s, enum dossier_action a)
{
	struct screen_dossier		*sd = s->data;
	const struct dossier_transition	*tr = dossier_transition(a);
	struct screen_dossier_pending	*p;
	struct service_user		*users = NULL;
	char				*cause = NULL, *question, **items;
	size_t				 n = 0, i;

	if ((sd->allowed & (1u << a)) == 0) {
		tui_error(t, "Không thể %s hồ sơ này lúc này", screen_dossier_label(a));
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->s = s;
	p->action = a;
	p->seen = sd->d->last_event;
	if (a == ACTION_ASSIGN) {
		if (service_assignees(t->svc, sd->d, &users, &n, &cause) != 0) {
			tui_error(t, "%s", cause);
			free(cause);
			screen_dossier_pending_free(p);
			return;
		}
		if (n == 0) {
			tui_error(t, "Không có cán bộ nào để phân công");
			screen_dossier_pending_free(p);
			return;
		}
		items = xreallocarray(NULL, n, sizeof *items);
		p->officers = xreallocarray(NULL, n, sizeof *p->officers);
		p->nofficers = n;
		for (i = 0; i < n; i++) {
			p->officers[i] = users[i].id;
			items[i] = xasprintf("%s (%s) — %s", users[i].full_name, users[i].login,
			    users[i].department_name != NULL ? users[i].department_name : "");
		}
		service_users_free(users, n);
		question = xasprintf("Phân công xử lý hồ sơ %s cho:", sd->code);
		tui_push(t, screen_menu_new("Phân công", question, items, n,
		    screen_dossier_assign_done, p, screen_dossier_pending_free));
		free(items);
		free(question);
		return;
	}
	question = xasprintf("%s hồ sơ %s — %s:", tr != NULL ? tr->label : "?", sd->code,
	    tr != NULL && (tr->flags & DOSSIER_NOTE) ? "lý do (bắt buộc)" :
	    "ghi chú (không bắt buộc), Enter để xác nhận");
	tui_push(t, screen_prompt_new(screen_dossier_label(a), question, "", 500,
	    screen_dossier_note_done, p, screen_dossier_pending_free));
	free(question);
}

/* An action was chosen from the menu. */
static void
screen_dossier_menu_done(struct tui *t, void *arg, size_t index)
{
	struct screen_dossier_pending	*p = arg;
	struct screen_dossier		*sd = p->s->data;
	size_t				 i, k = 0;

	for (i = 0; i < SCREEN_DOSSIER_NKEYS; i++) {
		if ((sd->allowed & (1u << screen_dossier_keys[i].action)) == 0)
			continue;
		if (k++ == index) {
			screen_dossier_start(t, p->s, screen_dossier_keys[i].action);
			return;
		}
	}
}

/* Show a slip of the dossier. */
static void
screen_dossier_slip(struct tui *t, struct screen_dossier *sd, bool control)
{
	char	*text, *title;

	if (control) {
		text = slip_control(service_catalog(t->svc), sd->d, sd->events, sd->nevents);
		title = xasprintf("Phiếu kiểm soát (Mẫu 05) — %s", sd->code);
	} else {
		text = slip_receipt(service_catalog(t->svc), sd->d);
		title = xasprintf("Giấy tiếp nhận và hẹn trả (Mẫu 01) — %s", sd->code);
	}
	tui_push(t, screen_slip_new(title, text));
	free(title);
}

/* Run a command of the dossier's table. */
static enum tui_redraw
screen_dossier_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_dossier		*sd = s->data;
	struct screen_dossier_pending	*p;
	char				**items;
	size_t				 i, n = 0;

	if (cmd >= SCREEN_DOSSIER_ACTION && cmd < SCREEN_DOSSIER_ACTION + ACTION_COUNT) {
		screen_dossier_start(t, s, (enum dossier_action)(cmd - SCREEN_DOSSIER_ACTION));
		return TUI_REDRAW_SCREEN;
	}
	switch (cmd) {
	case SCREEN_DOSSIER_MENU:
		if (sd->allowed == 0) {
			tui_error(t, "Không có thao tác nào trên hồ sơ này lúc này");
			return TUI_REDRAW_LINE;
		}
		items = xreallocarray(NULL, SCREEN_DOSSIER_NKEYS, sizeof *items);
		for (i = 0; i < SCREEN_DOSSIER_NKEYS; i++) {
			if ((sd->allowed & (1u << screen_dossier_keys[i].action)) == 0)
				continue;
			items[n++] = xasprintf("%s  (phím %s)",
			    screen_dossier_label(screen_dossier_keys[i].action),
			    screen_dossier_keys[i].name);
		}
		p = xcalloc(1, sizeof *p);
		p->s = s;
		tui_push(t, screen_menu_new("Thao tác", sd->code, items, n,
		    screen_dossier_menu_done, p, screen_dossier_pending_free));
		free(items);
		return TUI_REDRAW_SCREEN;
	case SCREEN_DOSSIER_CONTROL:
		screen_dossier_slip(t, sd, true);
		return TUI_REDRAW_SCREEN;
	case SCREEN_DOSSIER_RECEIPT:
		screen_dossier_slip(t, sd, false);
		return TUI_REDRAW_SCREEN;
	case SCREEN_DOSSIER_REFRESH:
		screen_dossier_reload(sd, t);
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_PASS;
}

/* Scroll. */
static enum tui_redraw
screen_dossier_key(struct screen *s, struct tui *t, int key)
{
	struct screen_dossier	*sd = s->data;

	if (key == 'j' || key == 'k')
		return TUI_REDRAW_NONE;
	if (list_view_key(&sd->view, key, tui_body_rows(t) - 3))
		return TUI_REDRAW_SCREEN;
	return TUI_REDRAW_NONE;
}

/* Back on top: read the dossier again. */
static enum tui_redraw
screen_dossier_resume(struct screen *s, struct tui *t)
{
	screen_dossier_reload(s->data, t);
	return TUI_REDRAW_SCREEN;
}

/* Free the dossier. */
static void
screen_dossier_free(struct screen *s)
{
	struct screen_dossier	*sd = s->data;

	dossier_free(sd->d);
	dossier_events_free(sd->events, sd->nevents);
	list_view_free(&sd->view);
	free(sd->code);
	free(sd);
}

static const struct screen_ops screen_dossier_ops = {
	.draw = screen_dossier_draw,
	.bindings = screen_dossier_bindings_get,
	.command = screen_dossier_command,
	.key = screen_dossier_key,
	.resume = screen_dossier_resume,
	.free = screen_dossier_free,
};

/* Open a dossier by code, or return NULL with *cause (no such dossier, or not the officer's). */
struct screen *
screen_dossier_new(struct tui *t, const char *code, char **cause)
{
	struct screen_dossier	*sd;
	char			*title;
	struct screen		*s;

	sd = xcalloc(1, sizeof *sd);
	sd->code = xstrdup(code);
	if (screen_dossier_load(sd, t, cause) != 0) {
		free(sd->code);
		free(sd);
		return NULL;
	}
	title = xasprintf("Hồ sơ %s", sd->d->code);
	s = tui_screen_new(&screen_dossier_ops, title, sd);
	free(title);
	return s;
}
