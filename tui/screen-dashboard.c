/* screen-dashboard.c: the first screen: the counts of the officer's scope and the most overdue. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "tui-internal.h"
#include "xmalloc.h"

#define SCREEN_DASHBOARD_TOP	20	/* overdue dossiers asked for */

enum {
	SCREEN_DASHBOARD_QUEUE = CMD_SCREEN,	/* + 0 … 6 */
	SCREEN_DASHBOARD_OPEN = CMD_SCREEN + 10,
	SCREEN_DASHBOARD_REFRESH,
	SCREEN_DASHBOARD_REPORT
};

/* The counts, each with the queue that lists them. */
static const struct {
	const char		*label;
	enum service_queue	 queue;
} screen_dashboard_rows[] = {
	{ "Tiếp nhận hôm nay", QUEUE_NEW },
	{ "Đang xử lý", QUEUE_IN_PROGRESS },
	{ "Sắp đến hạn", QUEUE_DUE_SOON },
	{ "Chậm tiến độ (quá hạn bước)", QUEUE_STEP_LATE },
	{ "Quá hạn", QUEUE_OVERDUE },
	{ "Chờ công dân (bổ sung, nghĩa vụ tài chính)", QUEUE_WAITING },
	{ "Chờ trả kết quả", QUEUE_READY },
};
#define SCREEN_DASHBOARD_NROWS \
	(sizeof screen_dashboard_rows / sizeof screen_dashboard_rows[0])

static const struct tui_binding screen_dashboard_bindings[] = {
	TUI_BINDINGS_GLOBAL,
	{ SCREEN_DASHBOARD_REFRESH, { KEYS_F(5), 'r', 0 }, "F5, r", "Làm mới số liệu",
	    "F5 Làm mới" },
	{ SCREEN_DASHBOARD_REPORT, { KEYS_F(6), 't', 0 }, "F6, t",
	    "Báo cáo, thống kê theo kỳ, có biểu đồ", NULL },
	{ SCREEN_DASHBOARD_OPEN, { '\r', '\n', KEYS_FN | 0527, 'o' }, "Enter, o",
	    "Mở hồ sơ quá hạn đang chọn", NULL },
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, 'k', 'j' }, "↑, ↓, k, j",
	    "Chọn hồ sơ trong danh sách quá hạn", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 0, { '1', 0 }, "1", "Hàng đợi: tiếp nhận hôm nay", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 1, { '2', 0 }, "2", "Hàng đợi: đang xử lý", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 2, { '3', 0 }, "3", "Hàng đợi: sắp đến hạn", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 3, { '4', 0 }, "4", "Hàng đợi: chậm tiến độ", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 4, { '5', 0 }, "5", "Hàng đợi: quá hạn", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 5, { '6', 0 }, "6", "Hàng đợi: chờ công dân", NULL },
	{ SCREEN_DASHBOARD_QUEUE + 6, { '7', 0 }, "7", "Hàng đợi: chờ trả kết quả", NULL },
};

/* What the dashboard holds. */
struct screen_dashboard {
	struct service_dashboard	 d;
	bool				 loaded;
	size_t				 sel;
	int64_t				 now;
};

/* Read the counts again. */
static void
screen_dashboard_load(struct screen_dashboard *sd, struct tui *t)
{
	char	*cause = NULL;

	if (sd->loaded)
		service_dashboard_free(&sd->d);
	memset(&sd->d, 0, sizeof sd->d);
	sd->loaded = false;
	sd->now = service_now(t->svc);
	if (service_dashboard(t->svc, SCREEN_DASHBOARD_TOP, &sd->d, &cause) != 0) {
		tui_error(t, "%s", cause);
		free(cause);
		return;
	}
	sd->loaded = true;
	if (sd->sel >= sd->d.overdue_top.n)
		sd->sel = 0;
	tui_alerts_seen(t);
}

/* Draw the counts and the most overdue dossiers. */
static void
screen_dashboard_draw(struct screen *s, struct tui *t)
{
	const struct service_user	*me = service_me(t->svc);
	struct screen_dashboard		*sd = s->data;
	int64_t				 counts[SCREEN_DASHBOARD_NROWS];
	char				*line;
	int				 y = tui_body_top(t), bottom = y + tui_body_rows(t);
	size_t				 i;

	line = xasprintf("Phạm vi: %s%s%s", me->department_name != NULL ?
	    me->department_name : "", me->department_name != NULL ? " — " : "",
	    me->unit_name != NULL ? me->unit_name : "toàn tỉnh");
	tui_text(y + 1, 2, t->width - 4, line, A_BOLD);
	free(line);
	if (!sd->loaded)
		return;
	counts[0] = sd->d.received_today;
	counts[1] = sd->d.in_progress;
	counts[2] = sd->d.due_soon;
	counts[3] = sd->d.step_late;
	counts[4] = sd->d.overdue;
	counts[5] = sd->d.waiting_citizen;
	counts[6] = sd->d.ready_to_return;
	for (i = 0; i < SCREEN_DASHBOARD_NROWS; i++) {
		line = xasprintf("%zu  %s", i + 1, screen_dashboard_rows[i].label);
		tui_text(y + 3 + (int)i, 4, 50, line, 0);
		free(line);
		/* Plain, not bold: the seven lines go out without an attribute change each. */
		line = xasprintf("%lld", (long long)counts[i]);
		tui_text_right(y + 3 + (int)i, 54, 8, line, 0);
		free(line);
	}
	y += 4 + (int)SCREEN_DASHBOARD_NROWS;
	tui_text(y, 2, t->width - 4, "Hồ sơ quá hạn lâu nhất:", A_BOLD);
	if (sd->d.overdue_top.n == 0) {
		tui_text(y + 1, 4, t->width - 6, "(không có hồ sơ quá hạn)", 0);
		return;
	}
	tui_summary_header(t, y + 1);
	for (i = 0; i < sd->d.overdue_top.n && y + 2 + (int)i < bottom; i++) {
		tui_summary_row(t, y + 2 + (int)i, &sd->d.overdue_top.items[i], i == sd->sel,
		    sd->now);
	}
}

/* The dashboard's keys. */
static const struct tui_binding *
screen_dashboard_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_dashboard_bindings / sizeof screen_dashboard_bindings[0];
	return screen_dashboard_bindings;
}

/* Open a queue, the chosen dossier, or refresh. */
static enum tui_redraw
screen_dashboard_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_dashboard	*sd = s->data;
	size_t			 i;

	if (cmd >= SCREEN_DASHBOARD_QUEUE &&
	    cmd < SCREEN_DASHBOARD_QUEUE + (int)SCREEN_DASHBOARD_NROWS) {
		i = (size_t)(cmd - SCREEN_DASHBOARD_QUEUE);
		tui_push(t, screen_queue_new(t, (int)screen_dashboard_rows[i].queue, NULL));
		return TUI_REDRAW_SCREEN;
	}
	switch (cmd) {
	case SCREEN_DASHBOARD_REFRESH:
		screen_dashboard_load(sd, t);
		return TUI_REDRAW_SCREEN;
	case SCREEN_DASHBOARD_REPORT:
		tui_push(t, screen_report_new(t));
		return TUI_REDRAW_SCREEN;
	case SCREEN_DASHBOARD_OPEN:
		if (sd->loaded && sd->sel < sd->d.overdue_top.n)
			tui_open_dossier(t, sd->d.overdue_top.items[sd->sel].code);
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_PASS;
}

/* Move in the overdue list. */
static enum tui_redraw
screen_dashboard_key(struct screen *s, struct tui *t, int key)
{
	struct screen_dashboard	*sd = s->data;

	(void)t;
	if (!sd->loaded)
		return TUI_REDRAW_NONE;
	if ((key == (KEYS_FN | KEY_UP) || key == 'k') && sd->sel > 0) {
		sd->sel--;
		return TUI_REDRAW_SCREEN;
	}
	if ((key == (KEYS_FN | KEY_DOWN) || key == 'j') && sd->sel + 1 < sd->d.overdue_top.n) {
		sd->sel++;
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_NONE;
}

/* Back on top: the figures may have moved. */
static enum tui_redraw
screen_dashboard_resume(struct screen *s, struct tui *t)
{
	screen_dashboard_load(s->data, t);
	return TUI_REDRAW_SCREEN;
}

/* Free the counts. */
static void
screen_dashboard_free(struct screen *s)
{
	struct screen_dashboard	*sd = s->data;

	if (sd->loaded)
		service_dashboard_free(&sd->d);
	free(sd);
}

static const struct screen_ops screen_dashboard_ops = {
	.draw = screen_dashboard_draw,
	.bindings = screen_dashboard_bindings_get,
	.command = screen_dashboard_command,
	.key = screen_dashboard_key,
	.resume = screen_dashboard_resume,
	.free = screen_dashboard_free,
};

/* Make the dashboard and read its counts. */
struct screen *
screen_dashboard_new(struct tui *t)
{
	struct screen_dashboard	*sd;

	sd = xcalloc(1, sizeof *sd);
	screen_dashboard_load(sd, t);
	return tui_screen_new(&screen_dashboard_ops, "Tổng quan", sd);
}
