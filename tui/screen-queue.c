/* screen-queue.c: the queues of dossiers, one page at a time, with a search by code, name or ID. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

enum {
	SCREEN_QUEUE_CHOOSE = CMD_SCREEN,	/* + 0 … 8 */
	SCREEN_QUEUE_SEARCH = CMD_SCREEN + 10,
	SCREEN_QUEUE_OPEN,
	SCREEN_QUEUE_PREV_PAGE,
	SCREEN_QUEUE_NEXT_PAGE,
	SCREEN_QUEUE_PREV_QUEUE,
	SCREEN_QUEUE_NEXT_QUEUE,
	SCREEN_QUEUE_REFRESH
};

static const struct tui_binding screen_queue_bindings[] = {
	TUI_BINDING_HELP, TUI_BINDING_INTAKE, TUI_BINDING_QUEUES,
	{ SCREEN_QUEUE_SEARCH, { KEYS_F(4), '/', 's', 0 }, "F4, /, s",
	    "Tìm trong hàng đợi theo mã, tên người nộp hoặc số CMND/CCCD (để trống: bỏ lọc)",
	    "F4 Tìm" },
	TUI_BINDING_BACK, TUI_BINDING_QUIT,
	{ SCREEN_QUEUE_REFRESH, { KEYS_F(5), 'r', 0 }, "F5, r", "Làm mới", "F5 Làm mới" },
	{ SCREEN_QUEUE_OPEN, { '\r', '\n', KEYS_FN | 0527, 'o' }, "Enter, o",
	    "Mở hồ sơ đang chọn", "Enter Mở" },
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, 'k', 'j' }, "↑, ↓, k, j",
	    "Chọn hồ sơ", NULL },
	{ SCREEN_QUEUE_PREV_PAGE, { KEYS_FN | 0523, '-', 0 }, "PgUp, -", "Trang trước", NULL },
	{ SCREEN_QUEUE_NEXT_PAGE, { KEYS_FN | 0522, '+', ' ', 0 }, "PgDn, +, dấu cách",
	    "Trang sau", NULL },
	{ SCREEN_QUEUE_PREV_QUEUE, { KEYS_FN | 0404, '[', 0 }, "←, [", "Hàng đợi trước", NULL },
	{ SCREEN_QUEUE_NEXT_QUEUE, { KEYS_FN | 0405, ']', KEYS_CTRL('i'), 0 }, "→, ], Tab",
	    "Hàng đợi sau", NULL },
	{ SCREEN_QUEUE_CHOOSE + 0, { '1', 0 }, "1", "Hàng đợi: mới tiếp nhận", NULL },
	{ SCREEN_QUEUE_CHOOSE + 1, { '2', 0 }, "2", "Hàng đợi: chờ phân công", NULL },
	{ SCREEN_QUEUE_CHOOSE + 2, { '3', 0 }, "3", "Hàng đợi: đang xử lý", NULL },
	{ SCREEN_QUEUE_CHOOSE + 3, { '4', 0 }, "4", "Hàng đợi: chờ công dân", NULL },
	{ SCREEN_QUEUE_CHOOSE + 4, { '5', 0 }, "5", "Hàng đợi: sắp đến hạn", NULL },
	{ SCREEN_QUEUE_CHOOSE + 5, { '6', 0 }, "6", "Hàng đợi: chậm tiến độ", NULL },
	{ SCREEN_QUEUE_CHOOSE + 6, { '7', 0 }, "7", "Hàng đợi: quá hạn", NULL },
	{ SCREEN_QUEUE_CHOOSE + 7, { '8', 0 }, "8", "Hàng đợi: chờ trả kết quả", NULL },
	{ SCREEN_QUEUE_CHOOSE + 8, { '9', 0 }, "9", "Hàng đợi: đã trả kết quả", NULL },
};

/* What a queue screen holds. */
struct screen_queue {
	int			 queue;
	char			*search;	/* NULL: none */
	size_t			 offset;
	size_t			 page;		/* rows per page when loaded */
	struct dossier_list	 list;
	size_t			 total;
	size_t			 sel;
	bool			 stale;
	int64_t			 now;
};

/* Rows of dossiers a page holds on this window. */
static size_t
screen_queue_page(struct tui *t)
{
	int	rows = tui_body_rows(t) - 4;

	return rows < 1 ? 1 : (size_t)rows;
}

/* Read the current page. */
static void
screen_queue_load(struct screen_queue *q, struct tui *t)
{
	char	*cause = NULL;

	dossier_list_free(&q->list);
	memset(&q->list, 0, sizeof q->list);
	q->total = 0;
	q->page = screen_queue_page(t);
	q->now = service_now(t->svc);
	q->stale = false;
	if (service_queue(t->svc, q->queue, q->search, q->offset, q->page, &q->list, &q->total,
	    &cause) != 0) {
		tui_error(t, "%s", cause);
		free(cause);
		return;
	}
	if (q->offset > 0 && q->list.n == 0 && q->total > 0) {
		q->offset = 0;
		screen_queue_load(q, t);
		return;
	}
	if (q->sel >= q->list.n)
		q->sel = q->list.n > 0 ? q->list.n - 1 : 0;
}

/* Draw the chooser of queues, the search and page line, and the page. */
static void
screen_queue_draw(struct screen *s, struct tui *t)
{
	struct screen_queue	*q = s->data;
	int			 y = tui_body_top(t), x = 1, w, i;
	char			*label, *line;
	size_t			 r, pages;

	if (q->stale || q->page != screen_queue_page(t))
		screen_queue_load(q, t);
	for (i = 0; i < QUEUE_COUNT; i++) {
		if (i == q->queue)
			label = xasprintf("[%d %s]", i + 1, service_queue_label(i));
		else
			label = xasprintf(" %d %s ", i + 1, service_queue_label(i));
		w = text_width(label);
		if (i == q->queue || x + w < t->width) {
			if (x + w >= t->width)
				x = t->width - w - 1;
			tui_text(y, x, w, label, i == q->queue ? A_REVERSE | A_BOLD : 0);
			x += w;
		}
		free(label);
	}
	pages = q->total == 0 ? 1 : (q->total + q->page - 1) / q->page;
	line = xasprintf("%s — trang %zu/%zu, %zu hồ sơ%s%s%s", service_queue_label(q->queue),
	    q->offset / q->page + 1, pages, q->total, q->search != NULL ? " — tìm: \"" : "",
	    q->search != NULL ? q->search : "", q->search != NULL ? "\"" : "");
	tui_text(y + 1, 2, t->width - 4, line, A_BOLD);
	free(line);
	if (q->list.n == 0) {
		tui_text(y + 3, 4, t->width - 6, "(không có hồ sơ)", 0);
		return;
	}
	tui_summary_header(t, y + 2);
	for (r = 0; r < q->list.n; r++)
		tui_summary_row(t, y + 3 + (int)r, &q->list.items[r], r == q->sel, q->now);
}

/* The queue's keys. */
static const struct tui_binding *
screen_queue_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_queue_bindings / sizeof screen_queue_bindings[0];
	return screen_queue_bindings;
}

/* Apply a search typed in the prompt to the queue on top. */
static void
screen_queue_search_done(struct tui *t, void *arg, const char *answer)
{
	struct screen_queue	*q = arg;

	free(q->search);
	q->search = *answer != '\0' ? xstrdup(answer) : NULL;
	q->offset = 0;
	q->sel = 0;
	q->stale = true;
}

/* Switch to another queue, from its first page. */
static void
screen_queue_switch(struct screen *s, struct screen_queue *q, int queue)
{
	q->queue = queue;
	q->offset = 0;
	q->sel = 0;
	q->stale = true;
	free(s->title);
	s->title = xasprintf("Hàng đợi: %s", service_queue_label(queue));
}

/* Page, switch queue, search, open. */
static enum tui_redraw
screen_queue_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_queue	*q = s->data;

	if (cmd >= SCREEN_QUEUE_CHOOSE && cmd < SCREEN_QUEUE_CHOOSE + QUEUE_COUNT) {
		screen_queue_switch(s, q, cmd - SCREEN_QUEUE_CHOOSE);
		return TUI_REDRAW_SCREEN;
	}
	switch (cmd) {
	case SCREEN_QUEUE_PREV_QUEUE:
		screen_queue_switch(s, q, (q->queue + QUEUE_COUNT - 1) % QUEUE_COUNT);
		return TUI_REDRAW_SCREEN;
	case SCREEN_QUEUE_NEXT_QUEUE:
		screen_queue_switch(s, q, (q->queue + 1) % QUEUE_COUNT);
		return TUI_REDRAW_SCREEN;
	case SCREEN_QUEUE_PREV_PAGE:
		if (q->offset == 0)
			return TUI_REDRAW_NONE;
		q->offset = q->offset > q->page ? q->offset - q->page : 0;
		q->stale = true;
		return TUI_REDRAW_SCREEN;
	case SCREEN_QUEUE_NEXT_PAGE:
		if (q->offset + q->page >= q->total)
			return TUI_REDRAW_NONE;
		q->offset += q->page;
		q->sel = 0;
		q->stale = true;
		return TUI_REDRAW_SCREEN;
	case SCREEN_QUEUE_REFRESH:
		q->stale = true;
		return TUI_REDRAW_SCREEN;
	case SCREEN_QUEUE_OPEN:
		if (q->sel < q->list.n)
			tui_open_dossier(t, q->list.items[q->sel].code);
		return TUI_REDRAW_SCREEN;
	case SCREEN_QUEUE_SEARCH:
		tui_push(t, screen_prompt_new("Tìm trong hàng đợi",
		    "Mã hồ sơ, tên người nộp (không cần dấu) hoặc số CMND/CCCD:",
		    q->search != NULL ? q->search : "", 100, screen_queue_search_done, q, NULL));
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_PASS;
}

/* Move the selection. */
static enum tui_redraw
screen_queue_key(struct screen *s, struct tui *t, int key)
{
	struct screen_queue	*q = s->data;

	(void)t;
	if ((key == (KEYS_FN | KEY_UP) || key == 'k') && q->sel > 0) {
		q->sel--;
		return TUI_REDRAW_SCREEN;
	}
	if ((key == (KEYS_FN | KEY_DOWN) || key == 'j') && q->sel + 1 < q->list.n) {
		q->sel++;
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_NONE;
}

/* Back on top: read the page again (a dossier may have moved on). */
static enum tui_redraw
screen_queue_resume(struct screen *s, struct tui *t)
{
	struct screen_queue	*q = s->data;

	(void)t;
	q->stale = true;
	return TUI_REDRAW_SCREEN;
}

/* Free the page. */
static void
screen_queue_free(struct screen *s)
{
	struct screen_queue	*q = s->data;

	dossier_list_free(&q->list);
	free(q->search);
	free(q);
}

static const struct screen_ops screen_queue_ops = {
	.draw = screen_queue_draw,
	.bindings = screen_queue_bindings_get,
	.command = screen_queue_command,
	.key = screen_queue_key,
	.resume = screen_queue_resume,
	.free = screen_queue_free,
};

/* Make a queue screen (search may be NULL); its first page is read when it is drawn. */
struct screen *
screen_queue_new(struct tui *t, int queue, const char *search)
{
	struct screen_queue	*q;
	struct screen		*s;

	(void)t;
	q = xcalloc(1, sizeof *q);
	q->search = search != NULL ? xstrdup(search) : NULL;
	q->stale = true;
	s = tui_screen_new(&screen_queue_ops, "Hàng đợi", q);
	screen_queue_switch(s, q, queue < 0 || queue >= QUEUE_COUNT ? 0 : queue);
	return s;
}
