/* list.c: a scrollable view of lines of text (help, slips, a dossier's details). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

/* Split text into the view's lines (tabs and other controls are made safe when drawn). */
void
list_view_set_text(struct list_view *v, const char *text)
{
	const char	*p, *nl;

	list_view_free(v);
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		list_view_add(v, xstrndup(p, (size_t)(nl - p)));
		if (*nl == '\0')
			break;
	}
}

/* Append a line (taken over) to a view. */
void
list_view_add(struct list_view *v, char *line)
{
	if (v->n == v->size) {
		v->size = v->size == 0 ? 32 : v->size * 2;
		v->items = xreallocarray(v->items, v->size, sizeof *v->items);
	}
	v->items[v->n++] = line;
}

/* Append text cut into lines of at most cols columns, at spaces where possible. */
void
list_view_add_wrapped(struct list_view *v, const char *text, int cols)
{
	const char	*p = text;
	size_t		 fit, cut;
	int		 w;

	if (cols < 20)
		cols = 20;
	do {
		w = p == text ? cols : cols - 4;	/* continuation lines are indented */
		fit = text_fit(p, w);
		cut = fit;
		if (p[fit] != '\0') {
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = fit;
		}
		if (cut == 0)
			break;
		list_view_add(v, xasprintf("%s%.*s", p == text ? "" : "    ", (int)cut, p));
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p != '\0');
	if (p == text)
		list_view_add(v, xstrdup(""));
}

/* Free the lines of a view; it is empty afterwards. */
void
list_view_free(struct list_view *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->n = v->size = 0;
	v->top = 0;
}

/* Draw rows lines of the view from row y. */
void
list_view_draw(struct list_view *v, int y, int rows, int cols)
{
	size_t	i;
	int	r;

	if (v->n > 0 && v->top >= v->n)
		v->top = v->n - 1;
	for (r = 0, i = v->top; r < rows && i < v->n; r++, i++)
		tui_text(y + r, 1, cols - 2, v->items[i], 0);
	if (v->n > (size_t)rows && rows > 0) {
		char	buf[32];

		snprintf(buf, sizeof buf, "[%zu–%zu/%zu]", v->top + 1,
		    v->top + (size_t)r, v->n);
		tui_text_right(y + rows - 1, 0, cols, buf, A_BOLD);
	}
}

/* Scroll the view for a key (arrows, pages, Home/End, j/k, space, -); true if it was one. */
bool
list_view_key(struct list_view *v, int key, int rows)
{
	size_t	page = rows > 1 ? (size_t)rows - 1 : 1, last;

	last = v->n > (size_t)rows ? v->n - (size_t)rows : 0;
	switch (key) {
	case KEYS_FN | KEY_UP:
	case 'k':
		if (v->top > 0)
			v->top--;
		return true;
	case KEYS_FN | KEY_DOWN:
	case 'j':
		if (v->top < last)
			v->top++;
		return true;
	case KEYS_FN | KEY_PPAGE:
	case '-':
		v->top = v->top > page ? v->top - page : 0;
		return true;
	case KEYS_FN | KEY_NPAGE:
	case ' ':
	case '+':
		v->top = v->top + page < last ? v->top + page : last;
		return true;
	case KEYS_FN | KEY_HOME:
		v->top = 0;
		return true;
	case KEYS_FN | KEY_END:
		v->top = last;
		return true;
	}
	return false;
}
