/* screen-menu.c: a choice from a short list (an officer to assign, an action, yes or no). */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "tui-internal.h"
#include "xmalloc.h"

enum {
	SCREEN_MENU_OK = CMD_SCREEN
};

static const struct tui_binding screen_menu_bindings[] = {
	{ SCREEN_MENU_OK, { '\r', '\n', KEYS_F(5), KEYS_FN | 0527 }, "Enter, F5",
	    "Chọn dòng đang đánh dấu", "Enter Chọn" },
	{ CMD_NONE, { 0 }, "1–9", "Chọn dòng theo số thứ tự", NULL },
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, 'k', 'j' }, "↑, ↓, k, j",
	    "Di chuyển", NULL },
	{ CMD_HELP, { KEYS_F(1), 'h', '?', 0 }, "F1, h, ?", "Trợ giúp", "F1 Trợ giúp" },
	{ CMD_BACK, { KEYS_F(9), 'b', KEYS_ESC, 0 }, "F9, b, Esc", "Thôi, quay lại",
	    "F9 Quay lại" },
	{ CMD_QUIT, { KEYS_F(10), 'x', 0 }, "F10, x", "Thoát (đăng xuất)", "F10 Thoát" }
};

/* What a menu holds. */
struct screen_menu {
	char		 *question;
	char		**items;
	size_t		  n;
	size_t		  sel;
	size_t		  top;
	screen_menu_cb	  done;
	void		 *arg;
	void		(*arg_free)(void *);
};

/* Draw the question and the items, the chosen one marked. */
static void
screen_menu_draw(struct screen *s, struct tui *t)
{
	struct screen_menu	*m = s->data;
	int			 y = tui_body_top(t) + 1, rows = tui_body_rows(t) - 3, r;
	size_t			 i;
	char			*line;

	tui_text(y, 2, t->width - 4, m->question, A_BOLD);
	if (rows < 1)
		return;
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + (size_t)rows)
		m->top = m->sel - (size_t)rows + 1;
	for (r = 0, i = m->top; i < m->n && r < rows; i++, r++) {
		line = xasprintf("%c %zu. %s", i == m->sel ? '>' : ' ', i + 1, m->items[i]);
		tui_text(y + 2 + r, 2, t->width - 4, line, i == m->sel ? A_REVERSE : 0);
		free(line);
	}
}

/* The menu's keys. */
static const struct tui_binding *
screen_menu_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_menu_bindings / sizeof screen_menu_bindings[0];
	return screen_menu_bindings;
}

/* Close the menu, then hand the index chosen to its callback. */
static enum tui_redraw
screen_menu_choose(struct tui *t, struct screen_menu *m, size_t index)
{
	screen_menu_cb	 done = m->done;
	void		*arg = m->arg;
	void		(*arg_free)(void *) = m->arg_free;

	m->arg = NULL;
	m->arg_free = NULL;
	tui_pop(t);
	done(t, arg, index);
	if (arg_free != NULL)
		arg_free(arg);
	return TUI_REDRAW_SCREEN;
}

/* Choose the marked item. */
static enum tui_redraw
screen_menu_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_menu	*m = s->data;

	if (cmd != SCREEN_MENU_OK)
		return TUI_REDRAW_PASS;
	if (m->n == 0)
		return TUI_REDRAW_NONE;
	return screen_menu_choose(t, m, m->sel);
}

/* Move, or choose by number. */
static enum tui_redraw
screen_menu_key(struct screen *s, struct tui *t, int key)
{
	struct screen_menu	*m = s->data;

	if (key >= '1' && key <= '9' && (size_t)(key - '1') < m->n)
		return screen_menu_choose(t, m, (size_t)(key - '1'));
	if ((key == (KEYS_FN | KEY_UP) || key == 'k') && m->sel > 0) {
		m->sel--;
		return TUI_REDRAW_SCREEN;
	}
	if ((key == (KEYS_FN | KEY_DOWN) || key == 'j') && m->sel + 1 < m->n) {
		m->sel++;
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_NONE;
}

/* Free the menu (and its callback's argument if nothing was chosen). */
static void
screen_menu_free(struct screen *s)
{
	struct screen_menu	*m = s->data;
	size_t			 i;

	if (m->arg_free != NULL)
		m->arg_free(m->arg);
	for (i = 0; i < m->n; i++)
		free(m->items[i]);
	free(m->items);
	free(m->question);
	free(m);
}

static const struct screen_ops screen_menu_ops = {
	.draw = screen_menu_draw,
	.bindings = screen_menu_bindings_get,
	.command = screen_menu_command,
	.key = screen_menu_key,
	.free = screen_menu_free,
};

/* Offer a choice; items (each and the array) are taken over. */
struct screen *
screen_menu_new(const char *title, const char *question, char **items, size_t n,
    screen_menu_cb done, void *arg, void (*arg_free)(void *))
{
	struct screen_menu	*m;
	size_t			 i;

	m = xcalloc(1, sizeof *m);
	m->question = xstrdup(question);
	m->items = xreallocarray(NULL, n == 0 ? 1 : n, sizeof *m->items);
	for (i = 0; i < n; i++)
		m->items[i] = items[i];
	m->n = n;
	m->done = done;
	m->arg = arg;
	m->arg_free = arg_free;
	return tui_screen_new(&screen_menu_ops, title, m);
}
