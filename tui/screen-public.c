/*
 * screen-public.c: the one screen of the public login: a citizen looks up a dossier by its code
 * and the last four digits of the phone given at intake, or reads the public board of every
 * unit's figures for this month and this year. It calls only the public service, which can
 * do nothing else. Typing repaints only the field's line; the board is drawn once per change.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossier.h"
#include "public.h"
#include "service.h"
#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

#define SCREEN_PUBLIC_OVER_MS	4000	/* the last message shows this long before the end */
#define SCREEN_PUBLIC_LABEL	24	/* columns of the labels of the form and the answer */

enum {
	SCREEN_PUBLIC_LOOKUP = CMD_SCREEN,
	SCREEN_PUBLIC_NEXT,
	SCREEN_PUBLIC_PREV,
	SCREEN_PUBLIC_CLEAR,
	SCREEN_PUBLIC_BOARD,
	SCREEN_PUBLIC_FORM,
	SCREEN_PUBLIC_PERIOD
};

/* The keys while the form is shown: letters are typed, so F-keys and Ctrl keys only. */
static const struct tui_binding screen_public_form_bindings[] = {
	{ CMD_HELP, { KEYS_F(1), KEYS_CTRL('o'), 0 }, "F1, Ctrl-O",
	    "Trợ giúp: các phím của màn hình này", "F1 Trợ giúp" },
	{ SCREEN_PUBLIC_LOOKUP, { '\r', '\n', KEYS_F(5), KEYS_FN | KEY_ENTER }, "Enter, F5",
	    "Tra cứu hồ sơ theo mã và 4 số cuối điện thoại", "Enter Tra cứu" },
	{ SCREEN_PUBLIC_NEXT, { '\t', KEYS_FN | KEY_DOWN, 0 }, "Tab, ↓", "Sang ô sau", NULL },
	{ SCREEN_PUBLIC_PREV, { KEYS_FN | KEY_BTAB, KEYS_FN | KEY_UP, 0 }, "Shift-Tab, ↑",
	    "Về ô trước", NULL },
	{ SCREEN_PUBLIC_CLEAR, { KEYS_F(2), KEYS_CTRL('n'), 0 }, "F2, Ctrl-N",
	    "Xoá để tra cứu hồ sơ khác", "F2 Tra cứu mới" },
	{ SCREEN_PUBLIC_BOARD, { KEYS_F(3), KEYS_CTRL('t'), 0 }, "F3, Ctrl-T",
	    "Bảng công khai kết quả giải quyết hồ sơ của các đơn vị", "F3 Bảng công khai" },
	{ CMD_QUIT, { KEYS_F(10), KEYS_CTRL('x'), 0 }, "F10, Ctrl-X", "Thoát", "F10 Thoát" }
};

/* The keys while the board is shown. */
static const struct tui_binding screen_public_board_bindings[] = {
	{ CMD_HELP, { KEYS_F(1), 'h', '?', 0 }, "F1, h, ?", "Trợ giúp: các phím của màn hình này",
	    "F1 Trợ giúp" },
	{ SCREEN_PUBLIC_FORM, { KEYS_F(2), KEYS_F(9), 't', KEYS_ESC }, "F2, F9, t, Esc",
	    "Tra cứu hồ sơ", "F2 Tra cứu" },
	{ SCREEN_PUBLIC_PERIOD, { KEYS_F(5), '\t', 'n', 0 }, "F5, Tab, n",
	    "Xem tháng này hoặc năm nay", "F5 Tháng/Năm" },
	{ CMD_QUIT, { KEYS_F(10), 'x', 0 }, "F10, x", "Thoát", "F10 Thoát" },
	TUI_BINDINGS_SCROLL
};

/* What the screen holds. */
struct screen_public {
	bool				 board_mode;
	bool				 year;		/* the board's period: the year */
	size_t				 top;		/* the board's first unit shown */
	const struct public_board	*board;		/* the service's; fetched on entry */

	struct form_field		 code;
	struct form_field		 digits;
	int				 focus;		/* 0: the code, 1: the digits */
	struct public_dossier		*found;
	bool				 missed;
	int64_t				 over_ms;	/* no attempt left since, or 0 */

	int				 field_y[2];
	int				 cursor_x;
};

/* Draw a label and its value at row y; the value wraps onto at most lines rows. */
static int
screen_public_pair(struct tui *t, int y, const char *label, const char *value, int attr,
    int lines)
{
	const char	*p;
	char		*safe;
	size_t		 fit, back;
	int		 cols = t->width - 2 - SCREEN_PUBLIC_LABEL, n = 0;

	tui_text(y, 2, SCREEN_PUBLIC_LABEL, label, 0);
	safe = text_sanitise(value);
	p = safe;
	while (*p != '\0' && n < lines) {
		fit = text_fit(p, cols);
		if (p[fit] != '\0' && n + 1 < lines) {
			/* Break after the last space that fits, if there is one. */
			for (back = fit; back > 0 && p[back] != ' '; back--)
				continue;
			if (back > 0)
				fit = back;
		}
		if (attr != 0)
			attron(attr);
		mvaddnstr(y + n, 2 + SCREEN_PUBLIC_LABEL, p, (int)fit);
		if (attr != 0)
			attroff(attr);
		p += fit;
		while (*p == ' ')
			p++;
		n++;
	}
	free(safe);
	return n == 0 ? 1 : n;
}

/* Draw the answer of a lookup from row y. */
static void
screen_public_draw_found(struct tui *t, const struct public_dossier *d, int y)
{
	char	 when[32], *line;
	int	 state_attr = A_BOLD;

	line = xasprintf("Hồ sơ %s", d->code);
	tui_text(y++, 2, t->width - 4, line, A_BOLD);
	free(line);
	y++;
	y += screen_public_pair(t, y, "Đơn vị:", d->unit_name, 0, 1);
	line = xasprintf("%s — %s", d->procedure_code, d->procedure_name);
	y += screen_public_pair(t, y, "Thủ tục:", line, 0, 2);
	free(line);
	y += screen_public_pair(t, y, "Trạng thái:", dossier_state_label(d->state), state_attr, 1);
	if (*public_state_hint(d->state) != '\0')
		y += screen_public_pair(t, y, "", public_state_hint(d->state), 0, 2);
	tui_time(t, d->received_at, when, sizeof when);
	y += screen_public_pair(t, y, "Tiếp nhận lúc:", when, 0, 1);
	if (d->appointment_at != 0)
		tui_time(t, d->appointment_at, when, sizeof when);
	else
		snprintf(when, sizeof when, "Không có thời hạn");
	y += screen_public_pair(t, y, "Hẹn trả kết quả:", when, 0, 1);
	if (d->finished_at != 0) {
		tui_time(t, d->finished_at, when, sizeof when);
		y += screen_public_pair(t, y, d->state == STATE_RESOLVED ||
		    d->state == STATE_RETURNED ? "Có kết quả lúc:" : "Kết thúc lúc:", when, 0, 1);
	}
	if (d->step_name != NULL) {
		y += screen_public_pair(t, y, "Đang ở bước:", d->step_name, 0, 2);
		screen_public_pair(t, y, "Bộ phận xử lý:", d->department_name, 0, 1);
	}
}

/* Draw the lookup form and its answer. */
static void
screen_public_draw_form(struct screen_public *p, struct tui *t)
{
	int	y = tui_body_top(t) + 1, x = 2 + SCREEN_PUBLIC_LABEL;

	tui_text(y++, 2, t->width - 4, "TRA CỨU TÌNH TRẠNG GIẢI QUYẾT HỒ SƠ", A_BOLD);
	tui_text(y++, 2, t->width - 4, "Nhập mã hồ sơ ghi trên Giấy tiếp nhận hồ sơ và hẹn trả "
	    "kết quả,", 0);
	tui_text(y++, 2, t->width - 4, "và 4 số cuối của số điện thoại đã khai khi nộp hồ sơ.",
	    0);
	y++;
	p->field_y[0] = y;
	tui_text(y, 2, SCREEN_PUBLIC_LABEL, "Mã hồ sơ:", 0);
	form_field_draw(&p->code, y++, x, PUBLIC_CODE_MAX, p->focus == 0,
	    p->focus == 0 ? &p->cursor_x : NULL);
	p->field_y[1] = y;
	tui_text(y, 2, SCREEN_PUBLIC_LABEL, "4 số cuối điện thoại:", 0);
	form_field_draw(&p->digits, y++, x, PUBLIC_DIGITS + 1, p->focus == 1,
	    p->focus == 1 ? &p->cursor_x : NULL);
	y++;
	if (p->over_ms != 0) {
		tui_text(y++, 2, t->width - 4, "Đã nhập sai quá nhiều lần: phiên tra cứu kết "
		    "thúc.", A_BOLD);
		tui_text(y, 2, t->width - 4, "Xin kiểm tra lại giấy hẹn hoặc liên hệ Bộ phận "
		    "Một cửa.", 0);
	} else if (p->found != NULL)
		screen_public_draw_found(t, p->found, y);
	else if (p->missed) {
		tui_text(y++, 2, t->width - 4, "Không tìm thấy hồ sơ có mã và 4 số điện thoại "
		    "như đã nhập.", A_BOLD);
		tui_text(y, 2, t->width - 4, "Xin kiểm tra lại mã trên giấy hẹn; nếu cần, liên "
		    "hệ Bộ phận Một cửa.", 0);
	} else
		tui_text(y, 2, t->width - 4, "Nhấn Enter để tra cứu; F3 để xem bảng công khai "
		    "kết quả giải quyết hồ sơ.", 0);
}

/* Write a count right-aligned in cols columns at (y, x). */
static void
screen_public_number(int y, int x, int cols, int64_t n, int attr)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)n);
	tui_text_right(y, x, cols, buf, attr);
}

/* The columns of the board: a name, then six figures of these widths. */
static const struct {
	const char	*head;
	int		 cols;
} screen_public_columns[] = {
	{ "Tiếp nhận", 10 }, { "Đúng hạn", 9 }, { "Trễ hạn", 8 }, { "Quá hạn", 8 },
	{ "Bổ sung", 8 }, { "% đúng hạn", 11 }
};
#define SCREEN_PUBLIC_NCOLUMNS \
	(sizeof screen_public_columns / sizeof screen_public_columns[0])

/* Draw one line of the board: a name and its figures. */
static void
screen_public_row(struct tui *t, int y, const char *name, const struct public_figures *f,
    int attr)
{
	int64_t	 values[5];
	char	 rate[16];
	int	 x, name_cols = t->width - 2, r;
	size_t	 i;

	for (i = 0; i < SCREEN_PUBLIC_NCOLUMNS; i++)
		name_cols -= screen_public_columns[i].cols;
	tui_text(y, 1, name_cols, name, attr);
	values[0] = f->received;
	values[1] = f->on_time;
	values[2] = f->late;
	values[3] = f->overdue;
	values[4] = f->supplement;
	x = 1 + name_cols;
	for (i = 0; i < 5; i++) {
		screen_public_number(y, x, screen_public_columns[i].cols, values[i], attr);
		x += screen_public_columns[i].cols;
	}
	if ((r = public_rate(f)) < 0)
		snprintf(rate, sizeof rate, "—");
	else
		snprintf(rate, sizeof rate, "%d,%d%%", r / 10, r % 10);
	tui_text_right(y, x, screen_public_columns[5].cols, rate, attr);
}

/* The rows of the board that fit under its heading and above its legend. */
static int
screen_public_board_rows(struct tui *t)
{
	int	rows = tui_body_rows(t) - 6;

	return rows < 1 ? 1 : rows;
}

/* Draw the board. */
static void
screen_public_draw_board(struct screen_public *p, struct tui *t)
{
	const struct public_board	*b = p->board;
	char				 from[32], to[32], *title;
	int				 y = tui_body_top(t), x, name_cols = t->width - 2;
	int				 rows = screen_public_board_rows(t), i;
	size_t				 k, r;

	if (b == NULL) {
		tui_text(y + 1, 2, t->width - 4, "Chưa có số liệu.", 0);
		return;
	}
	tui_time(t, p->year ? b->year_from : b->month_from, from, sizeof from);
	tui_time(t, b->as_of, to, sizeof to);
	if (p->year)
		title = xasprintf("KẾT QUẢ GIẢI QUYẾT HỒ SƠ NĂM %d (từ %s đến %s)", b->year,
		    from + 6, to);
	else
		title = xasprintf("KẾT QUẢ GIẢI QUYẾT HỒ SƠ THÁNG %02d/%d (từ %s đến %s)",
		    b->month, b->year, from + 6, to);
	tui_text(y++, 1, t->width - 2, title, A_BOLD);
	free(title);
	y++;
	for (k = 0; k < SCREEN_PUBLIC_NCOLUMNS; k++)
		name_cols -= screen_public_columns[k].cols;
	attron(A_BOLD);
	move(y, 1);
	hline(' ', t->width - 2);
	tui_text(y, 1, name_cols, "Đơn vị", 0);
	x = 1 + name_cols;
	for (k = 0; k < SCREEN_PUBLIC_NCOLUMNS; k++) {
		tui_text_right(y, x, screen_public_columns[k].cols, screen_public_columns[k].head,
		    0);
		x += screen_public_columns[k].cols;
	}
	attroff(A_BOLD);
	y++;
	for (i = 0, r = p->top; i < rows - 1 && r < b->nrows; i++, r++) {
		screen_public_row(t, y++, b->rows[r].unit_name,
		    p->year ? &b->rows[r].year : &b->rows[r].month, 0);
	}
	screen_public_row(t, y++, "Toàn tỉnh", p->year ? &b->year_total : &b->month_total,
	    A_BOLD);
	y++;
	tui_text(y++, 1, t->width - 2, "Đúng hạn, Trễ hạn: đã giải quyết trong kỳ. Quá hạn: "
	    "đang giải quyết, đã quá ngày hẹn.", 0);
	tui_text(y, 1, t->width - 2, "Bổ sung: hồ sơ trả lại để bổ sung giấy tờ trong kỳ. "
	    "% đúng hạn: trên số đã giải quyết.", 0);
}

/* Draw the screen. */
static void
screen_public_draw(struct screen *s, struct tui *t)
{
	struct screen_public	*p = s->data;

	if (p->board_mode)
		screen_public_draw_board(p, t);
	else
		screen_public_draw_form(p, t);
}

/* Redraw only the field being typed in. */
static void
screen_public_draw_line(struct screen *s, struct tui *t)
{
	struct screen_public	*p = s->data;
	int			 x = 2 + SCREEN_PUBLIC_LABEL;

	/* On the board nothing but the status line changes: it is drawn by the run loop. */
	if (p->board_mode)
		return;
	if (p->focus == 0)
		form_field_draw(&p->code, p->field_y[0], x, PUBLIC_CODE_MAX, true, &p->cursor_x);
	else
		form_field_draw(&p->digits, p->field_y[1], x, PUBLIC_DIGITS + 1, true,
		    &p->cursor_x);
}

/* The keys of the current mode. */
static const struct tui_binding *
screen_public_bindings_get(struct screen *s, size_t *n)
{
	struct screen_public	*p = s->data;

	if (p->board_mode) {
		*n = sizeof screen_public_board_bindings / sizeof screen_public_board_bindings[0];
		return screen_public_board_bindings;
	}
	*n = sizeof screen_public_form_bindings / sizeof screen_public_form_bindings[0];
	return screen_public_form_bindings;
}

/* Set the screen's title for its mode. */
static void
screen_public_title(struct screen *s, const char *title)
{
	free(s->title);
	s->title = xstrdup(title);
}

/* Look the dossier up and keep the answer. */
static enum tui_redraw
screen_public_lookup(struct screen_public *p, struct tui *t)
{
	enum service_lookup	 r;
	char			*cause = NULL;
	int			 wait = 0;

	form_field_clean(&p->code);
	if (p->focus == 0 && *p->code.text != '\0' && p->digits.len == 0) {
		p->focus = 1;
		return TUI_REDRAW_SCREEN;
	}
	if (*p->code.text == '\0') {
		p->focus = 0;
		tui_error(t, "Hãy nhập mã hồ sơ (ví dụ TPSL-150826-0007)");
		return TUI_REDRAW_SCREEN;
	}
	if (p->digits.len != PUBLIC_DIGITS) {
		p->focus = 1;
		tui_error(t, "Hãy nhập đủ 4 số cuối của số điện thoại");
		return TUI_REDRAW_SCREEN;
	}
	public_dossier_free(p->found);
	p->found = NULL;
	p->missed = false;
	r = service_public_lookup(t->pub, p->code.text, p->digits.text, &p->found, &wait,
	    &cause);
	switch (r) {
	case SERVICE_LOOKUP_FOUND:
		break;
	case SERVICE_LOOKUP_MISS:
		p->missed = true;
		break;
	case SERVICE_LOOKUP_WAIT:
		tui_error(t, "Đã nhập sai nhiều lần; xin thử lại sau %d giây", wait);
		break;
	case SERVICE_LOOKUP_OVER:
		p->over_ms = tui_clock_ms();
		tui_wake(t, p->over_ms + SCREEN_PUBLIC_OVER_MS);
		break;
	case SERVICE_LOOKUP_ERROR:
		tui_error(t, "%s", cause);
		free(cause);
		break;
	}
	/* The digits are typed again for each lookup (F2 clears the code too). */
	form_field_set(&p->digits, "");
	p->focus = 1;
	return TUI_REDRAW_SCREEN;
}

/* Show the board, fetched from the service (built at most once a minute). */
static enum tui_redraw
screen_public_show_board(struct screen *s, struct screen_public *p, struct tui *t)
{
	char	*cause = NULL;

	if (service_public_board(t->pub, &p->board, &cause) != 0) {
		tui_error(t, "%s", cause);
		free(cause);
		return TUI_REDRAW_LINE;
	}
	p->board_mode = true;
	p->top = 0;
	screen_public_title(s, "Bảng công khai kết quả giải quyết hồ sơ");
	return TUI_REDRAW_SCREEN;
}

/* Run a command of the key table. */
static enum tui_redraw
screen_public_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_public	*p = s->data;

	if (p->over_ms != 0 && cmd != CMD_QUIT)
		return TUI_REDRAW_NONE;
	switch (cmd) {
	case SCREEN_PUBLIC_LOOKUP:
		return screen_public_lookup(p, t);
	case SCREEN_PUBLIC_NEXT:
	case SCREEN_PUBLIC_PREV:
		p->focus = !p->focus;
		return TUI_REDRAW_SCREEN;
	case SCREEN_PUBLIC_CLEAR:
		form_field_set(&p->code, "");
		form_field_set(&p->digits, "");
		public_dossier_free(p->found);
		p->found = NULL;
		p->missed = false;
		p->focus = 0;
		return TUI_REDRAW_SCREEN;
	case SCREEN_PUBLIC_BOARD:
		return screen_public_show_board(s, p, t);
	case SCREEN_PUBLIC_FORM:
		p->board_mode = false;
		screen_public_title(s, "Tra cứu hồ sơ");
		return TUI_REDRAW_SCREEN;
	case SCREEN_PUBLIC_PERIOD:
		p->year = !p->year;
		return TUI_REDRAW_SCREEN;
	default:
		return TUI_REDRAW_PASS;
	}
}

/* Type into the field with the focus, or scroll the board. */
static enum tui_redraw
screen_public_key(struct screen *s, struct tui *t, int key)
{
	struct screen_public	*p = s->data;
	bool			 changed;
	size_t			 rows, n;

	if (p->over_ms != 0)
		return TUI_REDRAW_NONE;
	if (p->board_mode) {
		if (p->board == NULL)
			return TUI_REDRAW_NONE;
		rows = (size_t)screen_public_board_rows(t) - 1;
		n = p->board->nrows;
		if ((key == (KEYS_FN | KEY_DOWN) || key == 'j' || key == ' ' ||
		    key == (KEYS_FN | KEY_NPAGE)) && p->top + rows < n) {
			p->top += key == (KEYS_FN | KEY_DOWN) || key == 'j' ? 1 : rows;
			if (p->top + rows > n)
				p->top = n - rows;
			return TUI_REDRAW_SCREEN;
		}
		if ((key == (KEYS_FN | KEY_UP) || key == 'k' || key == '-' ||
		    key == (KEYS_FN | KEY_PPAGE)) && p->top > 0) {
			n = key == (KEYS_FN | KEY_UP) || key == 'k' ? 1 : rows;
			p->top = p->top > n ? p->top - n : 0;
			return TUI_REDRAW_SCREEN;
		}
		return TUI_REDRAW_NONE;
	}
	if (form_field_key(p->focus == 0 ? &p->code : &p->digits, key, &changed))
		return TUI_REDRAW_LINE;
	return TUI_REDRAW_NONE;
}

/* End the session a moment after the last attempt was refused. */
static enum tui_redraw
screen_public_tick(struct screen *s, struct tui *t, int64_t now)
{
	struct screen_public	*p = s->data;

	if (p->over_ms != 0 && now >= p->over_ms + SCREEN_PUBLIC_OVER_MS)
		t->quit = true;
	else if (p->over_ms != 0)
		tui_wake(t, p->over_ms + SCREEN_PUBLIC_OVER_MS);
	return TUI_REDRAW_NONE;
}

/* The cursor is in the field with the focus; hidden on the board. */
static void
screen_public_cursor(struct screen *s, struct tui *t, int *y, int *x)
{
	struct screen_public	*p = s->data;

	(void)t;
	if (p->board_mode || p->over_ms != 0) {
		*y = -1;
		return;
	}
	*y = p->field_y[p->focus];
	*x = p->cursor_x;
}

/* Free the screen. */
static void
screen_public_free(struct screen *s)
{
	struct screen_public	*p = s->data;

	form_field_free(&p->code);
	form_field_free(&p->digits);
	public_dossier_free(p->found);
	free(p);
}

static const struct screen_ops screen_public_ops = {
	.draw = screen_public_draw,
	.draw_line = screen_public_draw_line,
	.bindings = screen_public_bindings_get,
	.command = screen_public_command,
	.key = screen_public_key,
	.tick = screen_public_tick,
	.cursor = screen_public_cursor,
	.free = screen_public_free,
};

/* Make the public login's screen, on the lookup form. */
struct screen *
screen_public_new(struct tui *t)
{
	struct screen_public	*p;

	(void)t;
	p = xcalloc(1, sizeof *p);
	form_field_init(&p->code, PUBLIC_CODE_MAX, false);
	form_field_init(&p->digits, PUBLIC_DIGITS, true);
	p->field_y[0] = p->field_y[1] = -1;
	return tui_screen_new(&screen_public_ops, "Tra cứu hồ sơ", p);
}
