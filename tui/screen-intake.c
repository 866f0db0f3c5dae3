/* screen-intake.c: intake at the counter: find the procedure, fill the form, receive, guide or refuse. */
#include "config.h"

#include <sys/random.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "slip.h"
#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

#define SCREEN_INTAKE_RESULTS	32	/* procedures listed while searching */
#define SCREEN_INTAKE_SAVE_MS	1000	/* at most one draft save a second */
#define SCREEN_INTAKE_LABEL	28	/* columns of the labels */
#define SCREEN_INTAKE_DRAFT_MAX	16384	/* bytes of a draft read back */
#define SCREEN_INTAKE_LIST_ROWS	10	/* procedures shown at once */
#define SCREEN_INTAKE_PAUSE_MS	300	/* typing pause that updates the procedures found */
#define SCREEN_INTAKE_PAUSE_MAX	1500	/* the longest pause, on the slowest typing */
#define SCREEN_INTAKE_GAP_MAX	2000	/* a longer gap between keys is a pause, not typing */

enum screen_intake_stage {
	SCREEN_INTAKE_SEARCH,
	SCREEN_INTAKE_FORM
};

enum {
	SCREEN_INTAKE_CHOOSE = CMD_SCREEN,
	SCREEN_INTAKE_RECEIVE,
	SCREEN_INTAKE_GUIDE,
	SCREEN_INTAKE_REFUSE,
	SCREEN_INTAKE_PROCEDURE
};

/* The fields of the form, in order. */
enum {
	FIELD_NAME,
	FIELD_ID,
	FIELD_PHONE,
	FIELD_ADDRESS,
	FIELD_COMMUNE,
	FIELD_OWNER_NAME,
	FIELD_OWNER_ID,
	FIELD_OWNER_ADDRESS,
	FIELD_REQUEST,
	FIELD_SETS,
	FIELD_COUNT
};

static const struct {
	const char	*label;
	const char	*key;		/* in the draft */
	size_t		 max;		/* bytes */
	bool		 digits;
} screen_intake_fields[FIELD_COUNT] = {
	{ "Họ tên người nộp", "name", 200, false },
	{ "Số CMND/CCCD", "id", 12, true },
	{ "Điện thoại (không bắt buộc)", "phone", 10, true },
	{ "Địa chỉ", "address", 300, false },
	{ "Xã, phường, thị trấn", "commune", 100, false },
	{ "Chủ hồ sơ (nếu khác)", "owner_name", 200, false },
	{ "CMND/CCCD chủ hồ sơ", "owner_id", 12, true },
	{ "Địa chỉ chủ hồ sơ", "owner_address", 300, false },
	{ "Nội dung yêu cầu", "request", 500, false },
	{ "Số bộ hồ sơ", "sets", 2, true },
};

static const struct tui_binding screen_intake_search_bindings[] = {
	{ SCREEN_INTAKE_CHOOSE, { '\r', '\n', KEYS_FN | 0527, KEYS_F(5) }, "Enter, F5",
	    "Chọn thủ tục đang đánh dấu", "Enter Chọn" },
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, 0 }, "↑, ↓",
	    "Đánh dấu thủ tục trong danh sách", NULL },
	{ CMD_NONE, { 0 }, "chữ, số",
	    "Gõ mã (2.000815) hoặc tên thủ tục, có dấu hay không dấu", NULL },
	TUI_BINDINGS_FIELD
};

static const struct tui_binding screen_intake_form_bindings[] = {
	{ SCREEN_INTAKE_RECEIVE, { KEYS_F(5), KEYS_CTRL('t'), 0 }, "F5, Ctrl-T",
	    "Tiếp nhận hồ sơ: cấp mã và in giấy tiếp nhận (Mẫu 01)", "F5 Tiếp nhận" },
	{ SCREEN_INTAKE_GUIDE, { KEYS_F(6), KEYS_CTRL('g'), 0 }, "F6, Ctrl-G",
	    "Hướng dẫn bổ sung (Mẫu 02): ghi giấy tờ còn thiếu, không tiếp nhận",
	    "F6 Hướng dẫn" },
	{ SCREEN_INTAKE_REFUSE, { KEYS_F(7), KEYS_CTRL('r'), 0 }, "F7, Ctrl-R",
	    "Từ chối tiếp nhận (Mẫu 03) với lý do", "F7 Từ chối" },
	{ SCREEN_INTAKE_PROCEDURE, { KEYS_F(8), KEYS_CTRL('p'), 0 }, "F8, Ctrl-P",
	    "Chọn lại thủ tục", "F8 Thủ tục" },
	{ CMD_NONE, { '\t', KEYS_FN | 0402, '\r', 0 }, "Tab, ↓, Enter", "Sang ô sau", NULL },
	{ CMD_NONE, { KEYS_FN | 0541, KEYS_FN | 0403, 0 }, "Shift-Tab, ↑", "Về ô trước", NULL },
	{ CMD_NONE, { ' ', 0 }, "Dấu cách (ô số bản)",
	    "Đánh dấu có / không có giấy tờ (số bản theo quy định ↔ 0)", NULL },
	TUI_BINDINGS_FIELD
};

/*
 * What the intake screen holds. cat is the catalog the intake works under: the service's when
 * it opened, and a newer one the server serves as long as no procedure has been chosen; from
 * then on it stays, so the dossier is received under the procedure version the officer began
 * with, whatever the service switched to meanwhile.
 */
struct screen_intake {
	enum screen_intake_stage	 stage;
	char				*key;		/* idempotency key of this form */
	bool				 finished;	/* submitted: nothing to save */
	const struct catalog		*cat;

	struct form_field		 query;
	const struct catalog_procedure	*results[SCREEN_INTAKE_RESULTS];
	size_t				 nresults;
	size_t				 sel;
	size_t				 list_top;	/* first procedure shown */
	int64_t				 search_due;	/* when to search again, 0: done */
	int64_t				 last_key;	/* ms: the last key typed in the query */
	int64_t				 key_gap;	/* ms: the usual gap between its keys */

	const struct catalog_procedure	*proc;
	int				 variant;
	struct form_field		 fields[FIELD_COUNT];
	struct form_field		*docs;		/* originals, copies of each document */
	size_t				 ndocs;		/* documents (fields: twice as many) */
	size_t				 focus;		/* a field, then FIELD_COUNT + doc field */
	size_t				 top;		/* first row of the form shown */
	int64_t				 due;
	char				*due_error;

	bool				 dirty;
	int64_t				 saved_ms;
	int				 cursor_y;
	int				 cursor_x;

	/* What a redraw of the line (not the screen) must paint since the last drawing. */
	bool				 touched;	/* items touched_lo … touched_hi */
	size_t				 touched_lo;
	size_t				 touched_hi;
	bool				 results_dirty;	/* the procedures found */
	int				 form_y;	/* the form's first row on screen */
	int				 form_rows;	/* its rows shown (0: not drawn) */
};

/* The field that has the focus. */
static struct form_field *
screen_intake_focused(struct screen_intake *si)
{
	if (si->stage == SCREEN_INTAKE_SEARCH)
		return &si->query;
	if (si->focus < FIELD_COUNT)
		return &si->fields[si->focus];
	return &si->docs[si->focus - FIELD_COUNT];
}

/* Make a new random idempotency key. */
static char *
screen_intake_new_key(void)
{
	unsigned char	 raw[16];
	char		*key;
	size_t		 i, got = 0;
	ssize_t		 n;

	while (got < sizeof raw) {
		n = getrandom(raw + got, sizeof raw - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof raw) {
		/* Never happens on Linux ≥ 3.17; fall back to something still unique enough. */
		for (i = got; i < sizeof raw; i++)
			raw[i] = (unsigned char)(rand() ^ (int)(i * 131));
	}
	key = xmalloc(sizeof raw * 2 + 1);
	for (i = 0; i < sizeof raw; i++)
		snprintf(key + i * 2, 3, "%02x", raw[i]);
	return key;
}

/* Append a value to a draft, escaping backslash and newline. */
static void
screen_intake_put(char **buf, size_t *len, const char *key, const char *value)
{
	char	*line, *esc, *p;
	size_t	 n;

	esc = xmalloc(strlen(value) * 2 + 1);
	for (p = esc; *value != '\0'; value++) {
		if (*value == '\\') {
			*p++ = '\\';
			*p++ = '\\';
		} else if (*value == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else
			*p++ = *value;
	}
	*p = '\0';
	line = xasprintf("%s=%s\n", key, esc);
	n = strlen(line);
	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, line, n + 1);
	*len += n;
	free(line);
	free(esc);
}

/* Write the form as a draft: "key=value" lines. */
static char *
screen_intake_serialise(struct screen_intake *si)
{
	char	*buf = xstrdup(""), num[32], name[32];
	size_t	 len = 0, i;

	screen_intake_put(&buf, &len, "v", "1");
	screen_intake_put(&buf, &len, "procedure", si->proc->code);
	snprintf(num, sizeof num, "%d", si->variant);
	screen_intake_put(&buf, &len, "variant", num);
	for (i = 0; i < FIELD_COUNT; i++)
		screen_intake_put(&buf, &len, screen_intake_fields[i].key, si->fields[i].text);
	for (i = 0; i < si->ndocs; i++) {
		snprintf(name, sizeof name, "doc%zu", i);
		snprintf(num, sizeof num, "%s,%s", si->docs[2 * i].text, si->docs[2 * i + 1].text);
		screen_intake_put(&buf, &len, name, num);
	}
	snprintf(num, sizeof num, "%zu", si->focus);
	screen_intake_put(&buf, &len, "focus", num);
	return buf;
}

/* Point the service's intake calls at this intake's catalog, or back (NULL) after them. */
static void
screen_intake_catalog(struct screen_intake *si, struct tui *t, bool on)
{
	service_intake_catalog(t->svc, on ? si->cat : NULL);
}

/* Save the draft now (errors only reach the status line). */
static void
screen_intake_save_now(struct screen_intake *si, struct tui *t, int64_t now_ms)
{
	char	*text, *cause = NULL;

	if (si->stage != SCREEN_INTAKE_FORM || si->finished || si->proc == NULL)
		return;
	text = screen_intake_serialise(si);
	if (service_draft_save(t->svc, si->key, text, &cause) != 0) {
		tui_error(t, "Không lưu được bản nháp: %s", cause);
		free(cause);
	}
	free(text);
	si->dirty = false;
	si->saved_ms = now_ms;
}

/* Free the form's document fields. */
static void
screen_intake_docs_free(struct screen_intake *si)
{
	size_t	i;

	for (i = 0; i < si->ndocs * 2; i++)
		form_field_free(&si->docs[i]);
	free(si->docs);
	si->docs = NULL;
	si->ndocs = 0;
}

/* Enter the form for a procedure and variant; documents start at the counts required. */
static void
screen_intake_start_form(struct screen_intake *si, struct tui *t,
    const struct catalog_procedure *p, int variant)
{
	const struct catalog_variant	*v = &p->variants[variant];
	char				 num[16], *cause = NULL;
	size_t				 i;

	screen_intake_docs_free(si);
	si->proc = p;
	si->variant = variant;
	si->ndocs = v->ndocuments;
	si->docs = xcalloc(si->ndocs * 2 + 1, sizeof *si->docs);
	for (i = 0; i < si->ndocs; i++) {
		/* Counts of one or two digits: their column is plain enough without pads. */
		form_field_init(&si->docs[2 * i], 2, true);
		form_field_init(&si->docs[2 * i + 1], 2, true);
		si->docs[2 * i].pad = si->docs[2 * i + 1].pad = ' ';
		snprintf(num, sizeof num, "%d", v->documents[i].originals);
		form_field_set(&si->docs[2 * i], num);
		snprintf(num, sizeof num, "%d", v->documents[i].copies);
		form_field_set(&si->docs[2 * i + 1], num);
	}
	if (si->fields[FIELD_SETS].len == 0)
		form_field_set(&si->fields[FIELD_SETS], "1");
	free(si->due_error);
	si->due_error = NULL;
	si->due = 0;
	screen_intake_catalog(si, t, true);
	if (service_intake_due(t->svc, p->code, variant, &si->due, &cause) != 0)
		si->due_error = cause;
	screen_intake_catalog(si, t, false);
	si->stage = SCREEN_INTAKE_FORM;
	si->focus = 0;
	si->top = 0;
	si->dirty = true;
}

/* Return the message for an invalid field, or NULL if it is acceptable. */
static const char *
screen_intake_check(struct screen_intake *si, size_t field)
{
	const char	*s = si->fields[field].text;
	char		*cause = NULL;
	int		 sets;

	switch (field) {
	case FIELD_NAME:
		if (*s == '\0')
			return "Chưa nhập họ tên người nộp";
		break;
	case FIELD_ID:
		if (dossier_check_id(s, &cause) != 0) {
			free(cause);
			return "Số CMND/CCCD phải gồm 9 hoặc 12 chữ số";
		}
		break;
	case FIELD_PHONE:
		if (dossier_check_phone(s, &cause) != 0) {
			free(cause);
			return "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (hoặc để trống)";
		}
		break;
	case FIELD_OWNER_ID:
		if (*s != '\0' && dossier_check_id(s, &cause) != 0) {
			free(cause);
			return "Số CMND/CCCD của chủ hồ sơ phải gồm 9 hoặc 12 chữ số";
		}
		break;
	case FIELD_SETS:
		sets = atoi(s);
		if (sets < 1 || sets > 99)
			return "Số bộ hồ sơ phải từ 1 đến 99";
		break;
	}
	return NULL;
}

/* Leave the focused item: clean it, check it, save the draft. */
static void
screen_intake_leave(struct screen_intake *si, struct tui *t)
{
	struct form_field	*f = screen_intake_focused(si);
	const char		*msg;

	form_field_clean(f);
	if (si->focus < FIELD_COUNT) {
		msg = screen_intake_check(si, si->focus);
		if (msg != NULL)
			tui_error(t, "%s", msg);
		else if (t->status != NULL && t->status_error)
			tui_status_clear(t);
	} else if (f->len == 0)
		form_field_set(f, "0");
	screen_intake_save_now(si, t, tui_clock_ms());
}

/* Rows of the form: the fields, a heading, one per document. */
static size_t
screen_intake_row(struct screen_intake *si, size_t item)
{
	if (item < FIELD_COUNT)
		return item;
	return FIELD_COUNT + 1 + (item - FIELD_COUNT) / 2;
}

/*
 * Draw one item of the form (a field, or a document's count) at its row y, without the
 * focus marker (screen_intake_draw_row draws it, once for the row).
 */
static void
screen_intake_draw_item(struct screen_intake *si, struct tui *t, size_t item, int y)
{
	bool	focus = item == si->focus;
	int	cx, x, cols;

	if (item < FIELD_COUNT) {
		x = 3 + SCREEN_INTAKE_LABEL;
		/* A field of digits shows as many columns as it holds, and one for the cursor. */
		if (screen_intake_fields[item].digits)
			cols = (int)screen_intake_fields[item].max + 1;
		else
			cols = t->width - x - 2;
		form_field_draw(&si->fields[item], y, x, cols, focus, &cx);
	} else {
		x = (item - FIELD_COUNT) % 2 == 0 ? 3 : 9;
		form_field_draw(&si->docs[item - FIELD_COUNT], y, x, 3, focus, &cx);
	}
	if (focus) {
		si->cursor_y = y;
		si->cursor_x = cx;
	}
}

/* Note that an item of the form must be drawn again by the next redraw of the line. */
static void
screen_intake_touch(struct screen_intake *si, size_t item)
{
	if (!si->touched || item < si->touched_lo)
		si->touched_lo = item;
	if (!si->touched || item > si->touched_hi)
		si->touched_hi = item;
	si->touched = true;
}

/* The rows of the procedures found: at most SCREEN_INTAKE_LIST_ROWS, and a line for the count. */
static int
screen_intake_list_rows(struct tui *t)
{
	int	rows = tui_body_rows(t) - 5;

	if (rows < 0)
		return 0;
	return rows > SCREEN_INTAKE_LIST_ROWS ? SCREEN_INTAKE_LIST_ROWS : rows;
}

/* Scroll the procedures found so that the marked one shows. */
static void
screen_intake_list_scroll(struct screen_intake *si, struct tui *t)
{
	size_t	rows = (size_t)screen_intake_list_rows(t);

	if (rows == 0)
		return;
	if (si->sel < si->list_top)
		si->list_top = si->sel;
	if (si->sel >= si->list_top + rows)
		si->list_top = si->sel - rows + 1;
	if (si->list_top + rows > si->nresults)
		si->list_top = si->nresults > rows ? si->nresults - rows : 0;
}

/*
 * Draw the procedures found (rows under the search field), clearing the rows they leave. The
 * marked one has ">" in front and no attribute, so that moving the mark rewrites two cells.
 */
static void
screen_intake_draw_results(struct screen_intake *si, struct tui *t)
{
	int	y = tui_body_top(t) + 4, rows = screen_intake_list_rows(t), r;
	size_t	i;
	char	*line, count[48];

	screen_intake_list_scroll(si, t);
	for (r = 0; r <= rows; r++) {
		move(y + r, 0);
		clrtoeol();
	}
	if (si->query.len > 0 && si->nresults == 0)
		tui_text(y, 3, t->width - 4, "(không tìm thấy thủ tục nào)", 0);
	for (r = 0, i = si->list_top; r < rows && i < si->nresults; r++, i++) {
		if (i == si->sel)
			mvaddstr(y + r, 1, ">");
		line = xasprintf("%s %s", si->results[i]->code, si->results[i]->name);
		tui_text(y + r, 3, t->width - 4, line, 0);
		free(line);
	}
	if (rows > 0 && si->nresults > (size_t)rows) {
		snprintf(count, sizeof count, "[%zu–%zu/%zu] ↑↓", si->list_top + 1,
		    si->list_top + (size_t)r, si->nresults);
		tui_text(y + rows, 3, t->width - 4, count, 0);
	}
	si->results_dirty = false;
}

/* Draw the search for a procedure and its results. */
static void
screen_intake_draw_search(struct screen_intake *si, struct tui *t)
{
	int	y = tui_body_top(t), cx;

	tui_text(y + 1, 2, t->width - 4, "Tìm thủ tục (mã hoặc tên, gõ có dấu hay không dấu):",
	    A_BOLD);
	form_field_draw(&si->query, y + 2, 2, t->width - 4, true, &cx);
	si->cursor_y = y + 2;
	si->cursor_x = cx;
	screen_intake_draw_results(si, t);
}

/* Draw one row of the form at y: a field and its label, the heading, or a document. */
static void
screen_intake_draw_row(struct screen_intake *si, struct tui *t, size_t row, int y)
{
	const struct catalog_variant	*v = &si->proc->variants[si->variant];
	const char			*shortfall;
	char				*line;
	size_t				 item, d;

	move(y, 0);
	clrtoeol();
	if (row != FIELD_COUNT && screen_intake_row(si, si->focus) == row)
		mvaddstr(y, 1, ">");
	if (row < FIELD_COUNT) {
		tui_text(y, 3, SCREEN_INTAKE_LABEL - 1, screen_intake_fields[row].label, 0);
		screen_intake_draw_item(si, t, row, y);
	} else if (row == FIELD_COUNT) {
		tui_text(y, 1, t->width - 2,
		    "Thành phần hồ sơ: bản chính │ bản sao │ giấy tờ (quy định)", A_BOLD);
	} else {
		d = row - FIELD_COUNT - 1;
		item = FIELD_COUNT + 2 * d;
		screen_intake_draw_item(si, t, item, y);
		screen_intake_draw_item(si, t, item + 1, y);
		shortfall = atoi(si->docs[2 * d].text) < v->documents[d].originals ||
		    atoi(si->docs[2 * d + 1].text) < v->documents[d].copies ? "THIẾU " : "";
		line = xasprintf("%s%s (%d chính, %d sao)", shortfall, v->documents[d].name,
		    v->documents[d].originals, v->documents[d].copies);
		tui_text(y, 14, t->width - 15, line, 0);
		free(line);
	}
}

/* Return true if the row of an item is on screen as last drawn (no scrolling needed). */
static bool
screen_intake_visible(struct screen_intake *si, size_t item)
{
	size_t	row = screen_intake_row(si, item);

	return si->form_rows > 0 && row >= si->top && row < si->top + (size_t)si->form_rows;
}

/* Draw the form: the procedure, the appointment, the fields and the documents. */
static void
screen_intake_draw_form(struct screen_intake *si, struct tui *t)
{
	const struct catalog_variant	*v = &si->proc->variants[si->variant];
	int				 y = tui_body_top(t), rows = tui_body_rows(t) - 3, r;
	size_t				 row, nrows;
	char				*line, when[32];

	line = xasprintf("Thủ tục: %s — %s", si->proc->code, si->proc->name);
	tui_text(y, 1, t->width - 2, line, A_BOLD);
	free(line);
	if (si->due_error != NULL)
		line = xasprintf("Hẹn trả: không tính được (%s)", si->due_error);
	else if (si->due == 0)
		line = xasprintf("%s%sHẹn trả: không có thời hạn giải quyết",
		    v->name != NULL ? v->name : "", v->name != NULL ? " — " : "");
	else {
		tui_time(t, si->due, when, sizeof when);
		line = xasprintf("%s%sHẹn trả kết quả nếu tiếp nhận bây giờ: %s",
		    v->name != NULL ? v->name : "", v->name != NULL ? " — " : "", when);
	}
	tui_text(y + 1, 1, t->width - 2, line, 0);
	free(line);

	nrows = FIELD_COUNT + 1 + si->ndocs;
	row = screen_intake_row(si, si->focus);
	if (row < si->top)
		si->top = row;
	if (rows > 0 && row >= si->top + (size_t)rows)
		si->top = row - (size_t)rows + 1;
	y += 3;
	si->form_y = y;
	si->form_rows = rows > 0 ? rows : 0;
	for (r = 0; r < rows && si->top + (size_t)r < nrows; r++)
		screen_intake_draw_row(si, t, si->top + (size_t)r, y + r);
}

/* Draw the stage the intake is in. */
static void
screen_intake_draw(struct screen *s, struct tui *t)
{
	struct screen_intake	*si = s->data;

	si->cursor_y = -1;
	si->touched = false;
	si->form_rows = 0;
	if (si->stage == SCREEN_INTAKE_SEARCH)
		screen_intake_draw_search(si, t);
	else
		screen_intake_draw_form(si, t);
}

/*
 * Redraw only what a key changed: the search field (and the procedures found if they
 * changed), or the rows of the form's items touched since the last drawing (the focused
 * field, the one left, a document's row with its "THIẾU" marker).
 */
static void
screen_intake_draw_line(struct screen *s, struct tui *t)
{
	struct screen_intake	*si = s->data;
	size_t			 row, lo, hi;
	int			 cx;

	if (si->cursor_y < 0 || (si->stage == SCREEN_INTAKE_FORM && si->form_rows == 0)) {
		erase();
		screen_intake_draw(s, t);
		return;
	}
	if (si->stage == SCREEN_INTAKE_SEARCH) {
		form_field_draw(&si->query, si->cursor_y, 2, t->width - 4, true, &cx);
		si->cursor_x = cx;
		if (si->results_dirty)
			screen_intake_draw_results(si, t);
		return;
	}
	screen_intake_touch(si, si->focus);
	lo = screen_intake_row(si, si->touched_lo);
	hi = screen_intake_row(si, si->touched_hi);
	for (row = lo; row <= hi; row++) {
		if (row >= si->top && row < si->top + (size_t)si->form_rows)
			screen_intake_draw_row(si, t, row, si->form_y + (int)(row - si->top));
	}
	si->touched = false;
}

/* The keys of the stage. */
static const struct tui_binding *
screen_intake_bindings_get(struct screen *s, size_t *n)
{
	struct screen_intake	*si = s->data;

	if (si->stage == SCREEN_INTAKE_SEARCH) {
		*n = sizeof screen_intake_search_bindings / sizeof screen_intake_search_bindings[0];
		return screen_intake_search_bindings;
	}
	*n = sizeof screen_intake_form_bindings / sizeof screen_intake_form_bindings[0];
	return screen_intake_form_bindings;
}

/* A variant was chosen. */
static void
screen_intake_variant_done(struct tui *t, void *arg, size_t index)
{
	struct screen		*s = arg;
	struct screen_intake	*si = s->data;

	if (si->sel < si->nresults && index < si->results[si->sel]->nvariants)
		screen_intake_start_form(si, t, si->results[si->sel], (int)index);
}

/* Choose the marked procedure: ask for the variant if it has several. */
static void
screen_intake_choose(struct screen *s, struct tui *t)
{
	struct screen_intake		*si = s->data;
	const struct catalog_procedure	*p;
	char				**items, *question;
	size_t				 i;

	if (si->sel >= si->nresults) {
		tui_error(t, "Gõ mã hoặc tên thủ tục rồi chọn trong danh sách");
		return;
	}
	p = si->results[si->sel];
	if (p->nvariants <= 1) {
		screen_intake_start_form(si, t, p, 0);
		return;
	}
	items = xreallocarray(NULL, p->nvariants, sizeof *items);
	for (i = 0; i < p->nvariants; i++)
		items[i] = xstrdup(p->variants[i].name != NULL ? p->variants[i].name :
		    "Trường hợp chung");
	question = xasprintf("%s — chọn trường hợp:", p->code);
	tui_push(t, screen_menu_new("Trường hợp", question, items, p->nvariants,
	    screen_intake_variant_done, s, NULL));
	free(question);
	free(items);
}

/* Clean every field and check them all; focus the first bad one. Returns 0 if all are good. */
static int
screen_intake_check_all(struct screen_intake *si, struct tui *t)
{
	const char	*msg;
	size_t		 i;

	for (i = 0; i < FIELD_COUNT; i++) {
		form_field_clean(&si->fields[i]);
		msg = screen_intake_check(si, i);
		if (msg != NULL) {
			si->focus = i;
			tui_error(t, "%s", msg);
			return -1;
		}
	}
	return 0;
}

/* Fill an intake from the form; counts (ndocs entries) is filled too. */
static void
screen_intake_fill(struct screen_intake *si, struct dossier_intake *in,
    struct dossier_count *counts)
{
	size_t	i;

	memset(in, 0, sizeof *in);
	in->procedure = si->proc->code;
	in->variant = si->variant;
	in->applicant_name = si->fields[FIELD_NAME].text;
	in->applicant_id = si->fields[FIELD_ID].text;
	in->applicant_phone = si->fields[FIELD_PHONE].text;
	in->applicant_address = si->fields[FIELD_ADDRESS].text;
	in->applicant_commune = si->fields[FIELD_COMMUNE].text;
	in->owner_name = si->fields[FIELD_OWNER_NAME].text;
	in->owner_id = si->fields[FIELD_OWNER_ID].text;
	in->owner_address = si->fields[FIELD_OWNER_ADDRESS].text;
	in->request = si->fields[FIELD_REQUEST].text;
	in->channel = CHANNEL_COUNTER;
	in->sets = atoi(si->fields[FIELD_SETS].text);
	for (i = 0; i < si->ndocs; i++) {
		counts[i].originals = atoi(si->docs[2 * i].text);
		counts[i].copies = atoi(si->docs[2 * i + 1].text);
	}
	in->documents = counts;
	in->ndocuments = si->ndocs;
	in->idempotency_key = si->key;
}

/*
 * A short slip for when the dossier cannot be read back: "what code." and, if label is not
 * NULL, "label: value" on a second line. The code and the value are made safe (no control
 * character) first, since slips go to the printer through the terminal.
 */
static char *
screen_intake_fallback_slip(const char *what, const char *code, const char *label,
    const char *value)
{
	char	*safe_code, *safe_value, *slip;

	safe_code = text_sanitise(code);
	if (label == NULL)
		slip = xasprintf("%s %s.\n", what, safe_code);
	else {
		safe_value = text_sanitise(value);
		slip = xasprintf("%s %s.\n%s: %s\n", what, safe_code, label, safe_value);
		free(safe_value);
	}
	free(safe_code);
	return slip;
}

/* The form is done: forget the draft and show the slip in its place. */
static void
screen_intake_finish(struct screen *s, struct tui *t, const char *title, char *slip)
{
	struct screen_intake	*si = s->data;
	char			*cause = NULL;

	si->finished = true;
	if (service_draft_clear(t->svc, &cause) != 0)
		free(cause);
	tui_replace(t, screen_slip_new(title, slip));
}

/* Receive the dossier (Mẫu 01). */
static void
screen_intake_receive(struct screen *s, struct tui *t)
{
	struct screen_intake	*si = s->data;
	struct dossier_intake	 in;
	struct dossier_count	*counts;
	struct dossier		*d;
	char			*code = NULL, *cause = NULL, *title, *slip, when[32];
	bool			 replay = false;
	int			 rc;

	screen_intake_leave(si, t);
	if (screen_intake_check_all(si, t) != 0)
		return;
	counts = xcalloc(si->ndocs + 1, sizeof *counts);
	screen_intake_fill(si, &in, counts);
	screen_intake_catalog(si, t, true);
	rc = service_receive(t->svc, &in, &code, &replay, &cause);
	screen_intake_catalog(si, t, false);
	if (rc != 0) {
		free(counts);
		tui_error(t, "Chưa tiếp nhận được: %s", cause);
		free(cause);
		screen_intake_save_now(si, t, tui_clock_ms());
		return;
	}
	free(counts);
	d = service_dossier(t->svc, code, &cause);
	if (d == NULL) {
		tui_message(t, "Đã tiếp nhận hồ sơ %s (chưa đọc lại được: %s)", code, cause);
		free(cause);
		slip = screen_intake_fallback_slip("Đã tiếp nhận hồ sơ", code, NULL, NULL);
	} else {
		slip = slip_receipt(si->cat, d);
		tui_time(t, d->due_at, when, sizeof when);
		if (replay)
			tui_message(t, "Hồ sơ này đã được tiếp nhận trước đó: mã %s", code);
		else
			tui_message(t, "Đã tiếp nhận hồ sơ %s — hẹn trả %s — F6 In", code, when);
		dossier_free(d);
	}
	title = xasprintf("Giấy tiếp nhận và hẹn trả (Mẫu 01) — %s", code);
	screen_intake_finish(s, t, title, slip);
	free(title);
	free(code);
}

/* What is missing, from the documents' counts below what the procedure requires. */
static char *
screen_intake_missing(struct screen_intake *si)
{
	const struct catalog_variant	*v = &si->proc->variants[si->variant];
	char				*out = xstrdup(""), *next;
	int				 o, c;
	size_t				 i;

	for (i = 0; i < si->ndocs; i++) {
		o = v->documents[i].originals - atoi(si->docs[2 * i].text);
		c = v->documents[i].copies - atoi(si->docs[2 * i + 1].text);
		if (o <= 0 && c <= 0)
			continue;
		if (o > 0 && c > 0)
			next = xasprintf("%s%s%s (%d bản chính, %d bản sao)", out,
			    *out != '\0' ? "; " : "", v->documents[i].name, o, c);
		else
			next = xasprintf("%s%s%s (%d %s)", out, *out != '\0' ? "; " : "",
			    v->documents[i].name, o > 0 ? o : c, o > 0 ? "bản chính" : "bản sao");
		free(out);
		out = next;
	}
	return out;
}

/* The guidance's list of what is missing was confirmed: record it and show Mẫu 02. */
static void
screen_intake_guide_done(struct tui *t, void *arg, const char *answer)
{
	struct screen			*s = arg;
	struct screen_intake		*si = s->data;
	const struct service_user	*me = service_me(t->svc);
	char				*cause = NULL, *slip, *title;
	int				 rc;

	if (*answer == '\0') {
		tui_error(t, "Cần ghi rõ giấy tờ còn thiếu");
		return;
	}
	screen_intake_catalog(si, t, true);
	rc = service_guide(t->svc, si->proc->code, si->fields[FIELD_NAME].text, answer, &cause);
	screen_intake_catalog(si, t, false);
	if (rc != 0) {
		tui_error(t, "Chưa ghi được hướng dẫn: %s", cause);
		free(cause);
		return;
	}
	slip = slip_guidance(si->cat, me->unit, me->full_name, si->proc,
	    si->fields[FIELD_NAME].text, answer, service_now(t->svc));
	tui_message(t, "Đã ghi hướng dẫn bổ sung (không tiếp nhận hồ sơ) — F6 In");
	title = xasprintf("Phiếu hướng dẫn bổ sung (Mẫu 02) — %s", si->fields[FIELD_NAME].text);
	screen_intake_finish(s, t, title, slip);
	free(title);
}

/* Guide for a supplement: ask what is missing (prefilled from the counts). */
static void
screen_intake_guide(struct screen *s, struct tui *t)
{
	struct screen_intake	*si = s->data;
	char			*missing;

	screen_intake_leave(si, t);
	form_field_clean(&si->fields[FIELD_NAME]);
	if (screen_intake_check(si, FIELD_NAME) != NULL) {
		si->focus = FIELD_NAME;
		tui_error(t, "%s", screen_intake_check(si, FIELD_NAME));
		return;
	}
	missing = screen_intake_missing(si);
	tui_push(t, screen_prompt_new("Hướng dẫn bổ sung (Mẫu 02)",
	    "Giấy tờ còn thiếu (đánh 0 ở ô số bản để đưa vào đây; sửa nếu cần):", missing, 1000,
	    screen_intake_guide_done, s, NULL));
	free(missing);
}

/* The reason of a refusal was typed: record it and show Mẫu 03. */
static void
screen_intake_refuse_done(struct tui *t, void *arg, const char *answer)
{
	struct screen		*s = arg;
	struct screen_intake	*si = s->data;
	struct dossier_intake	 in;
	struct dossier_count	*counts;
	struct dossier		*d;
	char			*code = NULL, *cause = NULL, *slip, *title;
	bool			 replay = false;
	int			 rc;

	if (*answer == '\0') {
		tui_error(t, "Cần ghi lý do từ chối");
		return;
	}
	counts = xcalloc(si->ndocs + 1, sizeof *counts);
	screen_intake_fill(si, &in, counts);
	in.note = answer;
	screen_intake_catalog(si, t, true);
	rc = service_refuse_intake(t->svc, &in, &code, &replay, &cause);
	screen_intake_catalog(si, t, false);
	if (rc != 0) {
		free(counts);
		tui_error(t, "Chưa ghi được việc từ chối: %s", cause);
		free(cause);
		return;
	}
	free(counts);
	d = service_dossier(t->svc, code, &cause);
	if (d == NULL) {
		free(cause);
		slip = screen_intake_fallback_slip("Đã từ chối tiếp nhận, mã", code, "Lý do",
		    answer);
	} else {
		slip = slip_refusal(si->cat, d, answer);
		dossier_free(d);
	}
	tui_message(t, "Đã từ chối tiếp nhận — mã %s — F6 In", code);
	title = xasprintf("Phiếu từ chối tiếp nhận (Mẫu 03) — %s", code);
	screen_intake_finish(s, t, title, slip);
	free(title);
	free(code);
}

/* Refuse at intake: ask the reason. */
static void
screen_intake_refuse(struct screen *s, struct tui *t)
{
	struct screen_intake	*si = s->data;
	const char		*msg;

	screen_intake_leave(si, t);
	form_field_clean(&si->fields[FIELD_NAME]);
	msg = screen_intake_check(si, FIELD_NAME);
	if (msg == NULL) {
		form_field_clean(&si->fields[FIELD_ID]);
		msg = screen_intake_check(si, FIELD_ID);
		if (msg != NULL)
			si->focus = FIELD_ID;
	} else
		si->focus = FIELD_NAME;
	if (msg != NULL) {
		tui_error(t, "%s", msg);
		return;
	}
	tui_push(t, screen_prompt_new("Từ chối tiếp nhận (Mẫu 03)", "Lý do từ chối tiếp nhận:",
	    "", 1000, screen_intake_refuse_done, s, NULL));
}

/*
 * Search again after the query changed; true if the list changed. Until a procedure is
 * chosen, a search is new work: it takes a newer catalog the server serves first.
 */
static bool
screen_intake_search(struct screen_intake *si, struct tui *t)
{
	const struct catalog_procedure	*found[SCREEN_INTAKE_RESULTS];
	size_t				 n = 0;
	char				*q;

	si->search_due = 0;
	if (si->proc == NULL) {
		tui_catalog_refresh(t);
		si->cat = service_catalog(t->svc);
	}
	q = text_clean(si->query.text);
	screen_intake_catalog(si, t, true);
	if (*q != '\0')
		n = service_search_procedures(t->svc, q, found, SCREEN_INTAKE_RESULTS);
	screen_intake_catalog(si, t, false);
	free(q);
	if (n == si->nresults && memcmp(found, si->results, n * sizeof found[0]) == 0)
		return false;
	memcpy(si->results, found, n * sizeof found[0]);
	si->nresults = n;
	si->sel = 0;
	si->list_top = 0;
	return true;
}

/*
 * Run the search the query is waiting for (typing paused, or a key needs the list now); the
 * list is drawn again if it changed, or if it is empty (the "nothing found" line depends on
 * the query too).
 */
static void
screen_intake_search_pending(struct screen_intake *si, struct tui *t)
{
	if (si->search_due == 0)
		return;
	if (screen_intake_search(si, t) || si->nresults == 0)
		si->results_dirty = true;
}

/* Run a command of the intake. */
static enum tui_redraw
screen_intake_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_intake	*si = s->data;

	switch (cmd) {
	case SCREEN_INTAKE_CHOOSE:
		/* Enter right after typing chooses from the list for what was typed. */
		screen_intake_search_pending(si, t);
		screen_intake_choose(s, t);
		return TUI_REDRAW_SCREEN;
	case SCREEN_INTAKE_RECEIVE:
		screen_intake_receive(s, t);
		return TUI_REDRAW_SCREEN;
	case SCREEN_INTAKE_GUIDE:
		screen_intake_guide(s, t);
		return TUI_REDRAW_SCREEN;
	case SCREEN_INTAKE_REFUSE:
		screen_intake_refuse(s, t);
		return TUI_REDRAW_SCREEN;
	case SCREEN_INTAKE_PROCEDURE:
		screen_intake_leave(si, t);
		si->stage = SCREEN_INTAKE_SEARCH;
		return TUI_REDRAW_SCREEN;
	case CMD_BACK:
	case CMD_QUIT:
		if (si->stage == SCREEN_INTAKE_FORM && !si->finished) {
			screen_intake_leave(si, t);
			if (cmd == CMD_BACK) {
				tui_pop(t);
				tui_message(t, "Bản nháp được giữ: F2 để tiếp tục nhập");
				return TUI_REDRAW_SCREEN;
			}
		}
		return TUI_REDRAW_PASS;
	}
	return TUI_REDRAW_PASS;
}


/*
 * How long typing must pause before the procedures found are shown again: a little longer
 * than the usual gap between the officer's keys. On a slow link each key waits for its echo,
 * so the gaps are as long as the round trip; a fixed pause shorter than that would redraw the
 * list after every key and send it over the link each time.
 */
static int64_t
screen_intake_pause(struct screen_intake *si, int64_t now)
{
	int64_t	gap = now - si->last_key, pause;

	if (si->last_key != 0 && gap < SCREEN_INTAKE_GAP_MAX)
		si->key_gap = si->key_gap == 0 ? gap : (3 * si->key_gap + gap) / 4;
	si->last_key = now;
	pause = si->key_gap + SCREEN_INTAKE_PAUSE_MS / 2;
	if (pause < SCREEN_INTAKE_PAUSE_MS)
		pause = SCREEN_INTAKE_PAUSE_MS;
	return pause > SCREEN_INTAKE_PAUSE_MAX ? SCREEN_INTAKE_PAUSE_MAX : pause;
}
/* Typing and moving between fields. */
static enum tui_redraw
screen_intake_key(struct screen *s, struct tui *t, int key)
{
	struct screen_intake	*si = s->data;
	struct form_field	*f;
	const struct catalog_variant *v;
	size_t			 nitems, d;
	bool			 changed;
	char			 num[16];
	int64_t			 now;

	if (si->stage == SCREEN_INTAKE_SEARCH) {
		if (key == (KEYS_FN | KEY_UP)) {
			screen_intake_search_pending(si, t);
			if (si->sel > 0)
				si->sel--;
			si->results_dirty = true;
			return TUI_REDRAW_LINE;
		}
		if (key == (KEYS_FN | KEY_DOWN)) {
			screen_intake_search_pending(si, t);
			if (si->sel + 1 < si->nresults)
				si->sel++;
			si->results_dirty = true;
			return TUI_REDRAW_LINE;
		}
		if (!form_field_key(&si->query, key, &changed) || !changed)
			return TUI_REDRAW_LINE;
		/*
		 * Only the field is drawn now; the list follows when typing pauses, so that a
		 * burst of keys costs one list and not one per key.
		 */
		now = tui_clock_ms();
		si->search_due = now + screen_intake_pause(si, now);
		tui_wake(t, si->search_due);
		return TUI_REDRAW_LINE;
	}

	nitems = FIELD_COUNT + 2 * si->ndocs;
	switch (key) {
	case '\t':
	case '\r':
	case '\n':
	case KEYS_FN | KEY_DOWN:
	case KEYS_FN | KEY_ENTER:
		screen_intake_leave(si, t);
		screen_intake_touch(si, si->focus);
		if (si->focus + 1 < nitems)
			si->focus++;
		return screen_intake_visible(si, si->focus) ? TUI_REDRAW_LINE : TUI_REDRAW_SCREEN;
	case KEYS_FN | KEY_BTAB:
	case KEYS_FN | KEY_UP:
		screen_intake_leave(si, t);
		screen_intake_touch(si, si->focus);
		if (si->focus > 0)
			si->focus--;
		return screen_intake_visible(si, si->focus) ? TUI_REDRAW_LINE : TUI_REDRAW_SCREEN;
	}
	f = screen_intake_focused(si);
	if (key == ' ' && si->focus >= FIELD_COUNT) {
		v = &si->proc->variants[si->variant];
		d = (si->focus - FIELD_COUNT) / 2;
		if (atoi(f->text) != 0)
			snprintf(num, sizeof num, "0");
		else {
			snprintf(num, sizeof num, "%d", (si->focus - FIELD_COUNT) % 2 == 0 ?
			    v->documents[d].originals : v->documents[d].copies);
			if (strcmp(num, "0") == 0)
				snprintf(num, sizeof num, "1");
		}
		form_field_set(f, num);
		si->dirty = true;
		screen_intake_touch(si, si->focus);
		return TUI_REDRAW_LINE;		/* the row, with its "THIẾU" marker */
	}
	if (!form_field_key(f, key, &changed))
		return TUI_REDRAW_NONE;
	if (changed)
		si->dirty = true;
	screen_intake_touch(si, si->focus);
	return TUI_REDRAW_LINE;
}

/* Update the procedures found once typing pauses; save the draft at most once a second. */
static enum tui_redraw
screen_intake_tick(struct screen *s, struct tui *t, int64_t now)
{
	struct screen_intake	*si = s->data;

	if (si->stage == SCREEN_INTAKE_SEARCH && si->search_due != 0) {
		if (now < si->search_due) {
			tui_wake(t, si->search_due);
			return TUI_REDRAW_NONE;
		}
		screen_intake_search_pending(si, t);
		return si->results_dirty ? TUI_REDRAW_LINE : TUI_REDRAW_NONE;
	}
	if (si->dirty && now - si->saved_ms >= SCREEN_INTAKE_SAVE_MS)
		screen_intake_save_now(si, t, now);
	return TUI_REDRAW_NONE;
}

/* The session ends: save the draft. */
static void
screen_intake_save(struct screen *s, struct tui *t)
{
	struct screen_intake	*si = s->data;

	if (si->stage == SCREEN_INTAKE_FORM && !si->finished) {
		form_field_clean(screen_intake_focused(si));
		screen_intake_save_now(si, t, tui_clock_ms());
	}
}

/* The cursor is in the focused field. */
static void
screen_intake_cursor(struct screen *s, struct tui *t, int *y, int *x)
{
	struct screen_intake	*si = s->data;

	(void)t;
	*y = si->cursor_y;
	*x = si->cursor_x;
}

/* Free the form. */
static void
screen_intake_free(struct screen *s)
{
	struct screen_intake	*si = s->data;
	size_t			 i;

	for (i = 0; i < FIELD_COUNT; i++)
		form_field_free(&si->fields[i]);
	form_field_free(&si->query);
	screen_intake_docs_free(si);
	free(si->due_error);
	free(si->key);
	free(si);
}

static const struct screen_ops screen_intake_ops = {
	.draw = screen_intake_draw,
	.draw_line = screen_intake_draw_line,
	.bindings = screen_intake_bindings_get,
	.command = screen_intake_command,
	.key = screen_intake_key,
	.tick = screen_intake_tick,
	.save = screen_intake_save,
	.cursor = screen_intake_cursor,
	.free = screen_intake_free,
};

/* Undo the escapes of a draft's value in place. */
static void
screen_intake_unescape(char *s)
{
	char	*out = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*out++ = *s == 'n' ? '\n' : *s;
		} else
			*out++ = *s;
	}
	*out = '\0';
}

/* Restore a form from a draft; unknown keys are ignored. Returns 0, or -1 if unusable. */
static int
screen_intake_restore(struct screen_intake *si, struct tui *t, const char *draft)
{
	const struct catalog_procedure	*p = NULL;
	char				*copy, *line, *next, *eq, name[32], *comma;
	int				 variant = 0;
	size_t				 i, focus = 0;

	if (strlen(draft) > SCREEN_INTAKE_DRAFT_MAX)
		return -1;
	copy = xstrdup(draft);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq++ = '\0';
		screen_intake_unescape(eq);
		if (strcmp(line, "procedure") == 0)
			p = catalog_procedure(si->cat, eq);
		else if (strcmp(line, "variant") == 0)
			variant = atoi(eq);
		else if (strcmp(line, "focus") == 0)
			focus = (size_t)strtoul(eq, NULL, 10);
		for (i = 0; i < FIELD_COUNT; i++) {
			if (strcmp(line, screen_intake_fields[i].key) == 0)
				form_field_set(&si->fields[i], eq);
		}
	}
	if (p == NULL || variant < 0 || (size_t)variant >= p->nvariants) {
		free(copy);
		return -1;
	}
	screen_intake_start_form(si, t, p, variant);
	free(copy);
	copy = xstrdup(draft);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		for (i = 0; i < si->ndocs; i++) {
			snprintf(name, sizeof name, "doc%zu=", i);
			if (strncmp(line, name, strlen(name)) != 0)
				continue;
			comma = strchr(line + strlen(name), ',');
			if (comma == NULL)
				continue;
			*comma++ = '\0';
			form_field_set(&si->docs[2 * i], line + strlen(name));
			form_field_set(&si->docs[2 * i + 1], comma);
		}
	}
	free(copy);
	if (focus < FIELD_COUNT + 2 * si->ndocs)
		si->focus = focus;
	si->dirty = false;
	return 0;
}

/* Start an intake, or resume one from its draft (key and content, both may be NULL). */
struct screen *
screen_intake_new(struct tui *t, const char *draft_key, const char *draft)
{
	struct screen_intake	*si;
	size_t			 i;

	si = xcalloc(1, sizeof *si);
	si->key = draft_key != NULL && *draft_key != '\0' ? xstrdup(draft_key) :
	    screen_intake_new_key();
	form_field_init(&si->query, 100, false);
	for (i = 0; i < FIELD_COUNT; i++)
		form_field_init(&si->fields[i], screen_intake_fields[i].max,
		    screen_intake_fields[i].digits);
	si->stage = SCREEN_INTAKE_SEARCH;
	si->cat = service_catalog(t->svc);
	si->cursor_y = -1;
	si->saved_ms = tui_clock_ms();
	if (draft != NULL) {
		if (screen_intake_restore(si, t, draft) != 0)
			tui_error(t, "Bản nháp không đọc được; bắt đầu hồ sơ mới");
		else
			tui_message(t, "Đã khôi phục hồ sơ đang nhập dở");
	}
	return tui_screen_new(&screen_intake_ops, "Tiếp nhận hồ sơ", si);
}
