/* screen-prompt.c: one question answered on one line (a reason, a note, a date, a code). */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "tui-internal.h"
#include "xmalloc.h"

enum {
	SCREEN_PROMPT_OK = CMD_SCREEN
};

static const struct tui_binding screen_prompt_bindings[] = {
	{ SCREEN_PROMPT_OK, { '\r', '\n', KEYS_F(5), KEYS_FN | 0527 }, "Enter, F5",
	    "Xác nhận", "Enter Xác nhận" },
	TUI_BINDINGS_FIELD
};

/* What a prompt holds. */
struct screen_prompt {
	char			*question;
	struct form_field	 field;
	screen_prompt_cb	 done;
	void			*arg;
	void			(*arg_free)(void *);
	int			 cursor_y;
	int			 cursor_x;
};

/* Draw the question and the answer's field. */
static void
screen_prompt_draw(struct screen *s, struct tui *t)
{
	struct screen_prompt	*p = s->data;
	int			 y = tui_body_top(t) + 1;

	tui_text(y, 2, t->width - 4, p->question, A_BOLD);
	form_field_draw(&p->field, y + 2, 2, t->width - 4, true, &p->cursor_x);
	p->cursor_y = y + 2;
	tui_text(y + 4, 2, t->width - 4, "Enter (F5): xác nhận    F9 (Esc, Ctrl-B): thôi", 0);
}

/* Redraw only the field. */
static void
screen_prompt_draw_line(struct screen *s, struct tui *t)
{
	struct screen_prompt	*p = s->data;

	form_field_draw(&p->field, p->cursor_y, 2, t->width - 4, true, &p->cursor_x);
}

/* The prompt's keys. */
static const struct tui_binding *
screen_prompt_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_prompt_bindings / sizeof screen_prompt_bindings[0];
	return screen_prompt_bindings;
}

/* Answer: close the prompt, then hand the cleaned answer to its callback. */
static enum tui_redraw
screen_prompt_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_prompt	*p = s->data;
	screen_prompt_cb	 done = p->done;
	void			*arg = p->arg;
	void			(*arg_free)(void *) = p->arg_free;
	char			*answer;

	if (cmd != SCREEN_PROMPT_OK)
		return TUI_REDRAW_PASS;
	form_field_clean(&p->field);
	answer = xstrdup(p->field.text);
	p->arg = NULL;
	p->arg_free = NULL;
	tui_pop(t);
	done(t, arg, answer);
	free(answer);
	if (arg_free != NULL)
		arg_free(arg);
	return TUI_REDRAW_SCREEN;
}

/* Type into the field. */
static enum tui_redraw
screen_prompt_key(struct screen *s, struct tui *t, int key)
{
	struct screen_prompt	*p = s->data;
	bool			 changed;

	(void)t;
	if (form_field_key(&p->field, key, &changed))
		return TUI_REDRAW_LINE;
	return TUI_REDRAW_NONE;
}

/* The cursor is in the field. */
static void
screen_prompt_cursor(struct screen *s, struct tui *t, int *y, int *x)
{
	struct screen_prompt	*p = s->data;

	(void)t;
	*y = p->cursor_y;
	*x = p->cursor_x;
}

/* Free the prompt (and its callback's argument if it was never answered). */
static void
screen_prompt_free(struct screen *s)
{
	struct screen_prompt	*p = s->data;

	if (p->arg_free != NULL)
		p->arg_free(p->arg);
	form_field_free(&p->field);
	free(p->question);
	free(p);
}

static const struct screen_ops screen_prompt_ops = {
	.draw = screen_prompt_draw,
	.draw_line = screen_prompt_draw_line,
	.bindings = screen_prompt_bindings_get,
	.command = screen_prompt_command,
	.key = screen_prompt_key,
	.cursor = screen_prompt_cursor,
	.free = screen_prompt_free,
};

/* Ask a question; done gets the answer, arg is freed with arg_free (may be NULL) either way. */
struct screen *
screen_prompt_new(const char *title, const char *question, const char *initial, size_t max,
    screen_prompt_cb done, void *arg, void (*arg_free)(void *))
{
	struct screen_prompt	*p;

	p = xcalloc(1, sizeof *p);
	p->question = xstrdup(question);
	form_field_init(&p->field, max, false);
	form_field_set(&p->field, initial);
	p->done = done;
	p->arg = arg;
	p->arg_free = arg_free;
	p->cursor_y = -1;
	return tui_screen_new(&screen_prompt_ops, title, p);
}
