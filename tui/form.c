/* form.c: a one-line text field of bounded length that only ever holds printable text. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

/* Prepare an empty field of at most max bytes. */
void
form_field_init(struct form_field *f, size_t max, bool digits)
{
	f->max = max;
	f->text = xcalloc(1, max + 1);
	f->len = 0;
	f->cursor = 0;
	f->digits = digits;
	f->pad = FORM_PAD;
}

/* Replace the text of a field (cleaned and cut to its length), cursor at the end. */
void
form_field_set(struct form_field *f, const char *s)
{
	char	*clean;
	size_t	 n;

	clean = text_clean(s == NULL ? "" : s);
	n = strlen(clean);
	if (n > f->max) {
		n = f->max;
		while (n > 0 && (clean[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(f->text, clean, n);
	f->text[n] = '\0';
	f->len = f->cursor = n;
	free(clean);
}

/* Free the text of a field. */
void
form_field_free(struct form_field *f)
{
	free(f->text);
	f->text = NULL;
}

/* Clean the field's text as a person's input (NFC, spaces, no controls). */
void
form_field_clean(struct form_field *f)
{
	char	*copy;

	copy = xstrdup(f->text);
	form_field_set(f, copy);
	free(copy);
}

/* Encode a code point as UTF-8 into buf (4 bytes); return its length. */
static size_t
form_utf8(int c, char *buf)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		buf[0] = (char)(0xc0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		buf[0] = (char)(0xe0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (c >> 18));
	buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* The byte offset of the character before off. */
static size_t
form_prev(const char *s, size_t off)
{
	if (off == 0)
		return 0;
	off--;
	while (off > 0 && (s[off] & 0xc0) == 0x80)
		off--;
	return off;
}

/* The byte offset of the character after off. */
static size_t
form_next(const char *s, size_t len, size_t off)
{
	if (off >= len)
		return len;
	off++;
	while (off < len && (s[off] & 0xc0) == 0x80)
		off++;
	return off;
}

/*
 * Apply an editing key to a field: printable characters (digits only if so), backspace (8,
 * 127), Delete, Left, Right, Home/End (and Ctrl-A, Ctrl-E), Ctrl-U to empty it. Return true
 * if the key was an editing key; *changed tells whether the text changed.
 */
bool
form_field_key(struct form_field *f, int key, bool *changed)
{
	char	buf[4];
	size_t	n, p;

	*changed = false;
	if (keys_is_text(key)) {
		if (f->digits && (key < '0' || key > '9'))
			return true;
		n = form_utf8(key, buf);
		if (f->len + n > f->max) {
			beep();
			return true;
		}
		memmove(f->text + f->cursor + n, f->text + f->cursor, f->len - f->cursor + 1);
		memcpy(f->text + f->cursor, buf, n);
		f->len += n;
		f->cursor += n;
		*changed = true;
		return true;
	}
	if (keys_is_backspace(key)) {
		if (f->cursor == 0)
			return true;
		p = form_prev(f->text, f->cursor);
		memmove(f->text + p, f->text + f->cursor, f->len - f->cursor + 1);
		f->len -= f->cursor - p;
		f->cursor = p;
		*changed = true;
		return true;
	}
	switch (key) {
	case KEYS_FN | KEY_DC:
		if (f->cursor < f->len) {
			p = form_next(f->text, f->len, f->cursor);
			memmove(f->text + f->cursor, f->text + p, f->len - p + 1);
			f->len -= p - f->cursor;
			*changed = true;
		}
		return true;
	case KEYS_FN | KEY_LEFT:
		f->cursor = form_prev(f->text, f->cursor);
		return true;
	case KEYS_FN | KEY_RIGHT:
		f->cursor = form_next(f->text, f->len, f->cursor);
		return true;
	case KEYS_FN | KEY_HOME:
	case KEYS_CTRL('a'):
		f->cursor = 0;
		return true;
	case KEYS_FN | KEY_END:
	case KEYS_CTRL('e'):
		f->cursor = f->len;
		return true;
	case KEYS_CTRL('u'):
		f->text[0] = '\0';
		f->len = f->cursor = 0;
		*changed = true;
		return true;
	}
	return false;
}

/* The columns taken by the bytes [from, to) of s. */
static int
form_span_width(const char *s, size_t from, size_t to)
{
	char	*part;
	int	 w;

	part = xstrndup(s + from, to - from);
	w = text_width(part);
	free(part);
	return w;
}

/*
 * Draw a field in cols columns at (y, x), scrolled so that the cursor shows; *cursor_x (may be
 * NULL) receives the cursor's column. The text has no attributes and the columns after it
 * hold the field's pad character: a character typed overwrites one pad on the terminal, so
 * that its echo costs the character itself and not an attribute change around it.
 */
void
form_field_draw(const struct form_field *f, int y, int x, int cols, bool focus, int *cursor_x)
{
	size_t	start = 0, fit;
	int	w;

	if (cols < 2)
		return;
	if (focus) {
		while (start < f->cursor &&
		    form_span_width(f->text, start, f->cursor) > cols - 1)
			start = form_next(f->text, f->len, start);
	}
	fit = text_fit(f->text + start, cols);
	mvaddnstr(y, x, f->text + start, (int)fit);
	w = form_span_width(f->text, start, start + fit);
	if (w < cols)
		hline((chtype)(unsigned char)f->pad, cols - w);
	if (cursor_x != NULL)
		*cursor_x = x + form_span_width(f->text, start, f->cursor);
}
