/* screen-help.c: the keys of the screen below, generated from its own key table. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

static const struct tui_binding screen_help_bindings[] = {
	{ CMD_BACK, { KEYS_F(9), 'b', KEYS_ESC, KEYS_F(1) }, "F9, b, Esc, F1",
	    "Đóng trợ giúp", "F9 Quay lại" },
	{ CMD_QUIT, { KEYS_F(10), 'x', 0 }, "F10, x", "Thoát (đăng xuất)", "F10 Thoát" },
	TUI_BINDINGS_SCROLL
};

/* Draw the list of keys. */
static void
screen_help_draw(struct screen *s, struct tui *t)
{
	list_view_draw(s->data, tui_body_top(t), tui_body_rows(t), t->width);
}

/* The help's own keys. */
static const struct tui_binding *
screen_help_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_help_bindings / sizeof screen_help_bindings[0];
	return screen_help_bindings;
}

/* Scroll. */
static enum tui_redraw
screen_help_key(struct screen *s, struct tui *t, int key)
{
	if (list_view_key(s->data, key, tui_body_rows(t)))
		return TUI_REDRAW_SCREEN;
	return TUI_REDRAW_NONE;
}

/* Free the lines. */
static void
screen_help_free(struct screen *s)
{
	list_view_free(s->data);
	free(s->data);
}

static const struct screen_ops screen_help_ops = {
	.draw = screen_help_draw,
	.bindings = screen_help_bindings_get,
	.key = screen_help_key,
	.free = screen_help_free,
};

/* Make the help of a key table: one line per binding, its keys and what it does. */
struct screen *
screen_help_new(const char *title, const struct tui_binding *table, size_t n)
{
	struct list_view	*v;
	size_t			 i;
	int			 pad;

	v = xcalloc(1, sizeof *v);
	list_view_add(v, xstrdup("Phím                       Tác dụng"));
	for (i = 0; i < n; i++) {
		pad = 26 - text_width(table[i].names);
		if (pad < 1)
			pad = 1;
		list_view_add(v, xasprintf("%s%*s %s", table[i].names, pad, "", table[i].label));
	}
	list_view_add(v, xstrdup(""));
	list_view_add(v, xstrdup("Trong ô nhập: ←/→ di chuyển, Home/End (Ctrl-A/Ctrl-E) đầu/cuối, "
	    "Backspace xoá, Ctrl-U xoá cả ô."));
	return tui_screen_new(&screen_help_ops, title, v);
}
