/* screen-slip.c: a printed form shown as text, scrollable, sent to the local printer with P. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "tui-internal.h"
#include "xmalloc.h"

enum {
	SCREEN_SLIP_PRINT = CMD_SCREEN
};

static const struct tui_binding screen_slip_bindings[] = {
	TUI_BINDINGS_GLOBAL,
	{ SCREEN_SLIP_PRINT, { KEYS_F(6), 'p', 0 }, "F6, p",
	    "In phiếu ra máy in của máy trạm (chuyển tiếp qua terminal)", "F6 In" },
	TUI_BINDINGS_SCROLL
};

/* What a slip screen holds. */
struct screen_slip {
	struct list_view	 view;
	char			*text;
};

/* Draw the slip. */
static void
screen_slip_draw(struct screen *s, struct tui *t)
{
	struct screen_slip	*sl = s->data;

	list_view_draw(&sl->view, tui_body_top(t), tui_body_rows(t), t->width);
}

/* The slip's keys. */
static const struct tui_binding *
screen_slip_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_slip_bindings / sizeof screen_slip_bindings[0];
	return screen_slip_bindings;
}

/* Print the slip. */
static enum tui_redraw
screen_slip_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_slip	*sl = s->data;

	if (cmd != SCREEN_SLIP_PRINT)
		return TUI_REDRAW_PASS;
	if (tui_print(t, sl->text) != 0)
		tui_error(t, "Terminal không hỗ trợ in chuyển tiếp (mc5/mc4)");
	else
		tui_message(t, "Đã gửi phiếu tới máy in");
	return TUI_REDRAW_LINE;
}

/* Scroll. */
static enum tui_redraw
screen_slip_key(struct screen *s, struct tui *t, int key)
{
	struct screen_slip	*sl = s->data;

	if (list_view_key(&sl->view, key, tui_body_rows(t)))
		return TUI_REDRAW_SCREEN;
	return TUI_REDRAW_NONE;
}

/* Free the slip. */
static void
screen_slip_free(struct screen *s)
{
	struct screen_slip	*sl = s->data;

	list_view_free(&sl->view);
	free(sl->text);
	free(sl);
}

static const struct screen_ops screen_slip_ops = {
	.draw = screen_slip_draw,
	.bindings = screen_slip_bindings_get,
	.command = screen_slip_command,
	.key = screen_slip_key,
	.free = screen_slip_free,
};

/* Show a slip's text (taken over). */
struct screen *
screen_slip_new(const char *title, char *text)
{
	struct screen_slip	*sl;

	sl = xcalloc(1, sizeof *sl);
	sl->text = text;
	list_view_set_text(&sl->view, text);
	return tui_screen_new(&screen_slip_ops, title, sl);
}
