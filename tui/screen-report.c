/*
 * screen-report.c: the figures of a period for the officer's scope, with bar charts drawn in
 * plain characters by field, by unit and by month, every bar followed by its number.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "report.h"
#include "service.h"
#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

#define SCREEN_REPORT_NPERIODS	5	/* this month, last month, this quarter, this year, typed */
#define SCREEN_REPORT_TYPED	4
#define SCREEN_REPORT_NCHARTS	3
#define SCREEN_REPORT_HEAD	7	/* rows above the bars */
#define SCREEN_REPORT_LABEL	26	/* columns of a bar's label */
#define SCREEN_REPORT_NUMBERS	24	/* columns of the figures right of the bars */

enum {
	SCREEN_REPORT_PERIOD = CMD_SCREEN,	/* + 0 … 4 */
	SCREEN_REPORT_CHART = CMD_SCREEN + 10,	/* + 0 … 2 */
	SCREEN_REPORT_NEXT_CHART = CMD_SCREEN + 20,
	SCREEN_REPORT_REFRESH
};

/* The periods to choose from, and the charts. */
static const char *const screen_report_periods[SCREEN_REPORT_NPERIODS] = {
	"Tháng này", "Tháng trước", "Quý này", "Năm nay", "Kỳ khác…"
};
static const struct {
	const char		*label;		/* in the chooser */
	const char		*column;	/* over the bars' labels */
	char			 key;
	enum report_group	 group;
} screen_report_charts[SCREEN_REPORT_NCHARTS] = {
	{ "Theo lĩnh vực", "Lĩnh vực", 'l', REPORT_BY_FIELD },
	{ "Theo đơn vị", "Đơn vị", 'd', REPORT_BY_UNIT },
	{ "Theo tháng", "Tháng", 't', REPORT_BY_MONTH }
};

static const struct tui_binding screen_report_bindings[] = {
	TUI_BINDINGS_GLOBAL,
	{ SCREEN_REPORT_REFRESH, { KEYS_F(5), 'r', 0 }, "F5, r", "Làm mới số liệu",
	    "F5 Làm mới" },
	{ SCREEN_REPORT_PERIOD + 0, { '1', 0 }, "1", "Kỳ: tháng này", NULL },
	{ SCREEN_REPORT_PERIOD + 1, { '2', 0 }, "2", "Kỳ: tháng trước", NULL },
	{ SCREEN_REPORT_PERIOD + 2, { '3', 0 }, "3", "Kỳ: quý này", NULL },
	{ SCREEN_REPORT_PERIOD + 3, { '4', 0 }, "4", "Kỳ: năm nay", NULL },
	{ SCREEN_REPORT_PERIOD + 4, { '5', 'p', 0 }, "5, p",
	    "Kỳ khác, gõ vào: 2015-06, 2015-Q2, 2015-H1, 2015…", NULL },
	{ SCREEN_REPORT_CHART + 0, { 'l', 0 }, "l", "Biểu đồ theo lĩnh vực", NULL },
	{ SCREEN_REPORT_CHART + 1, { 'd', 0 }, "d", "Biểu đồ theo đơn vị (trong phạm vi được xem)",
	    NULL },
	{ SCREEN_REPORT_CHART + 2, { 't', 0 }, "t", "Biểu đồ theo tháng", NULL },
	{ SCREEN_REPORT_NEXT_CHART, { KEYS_CTRL('i'), KEYS_FN | 0405, ']', 0 }, "Tab, →, ]",
	    "Biểu đồ tiếp theo", NULL },
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, 'k', 'j' }, "↑, ↓, k, j",
	    "Cuộn biểu đồ khi không đủ chỗ", NULL },
	{ CMD_NONE, { 0 }, "Thanh ###", "Hồ sơ mới tiếp nhận trong kỳ, số ở cuối thanh", NULL },
	{ CMD_NONE, { 0 }, "Đã GQ", "Hồ sơ đã giải quyết (có kết quả) trong kỳ", NULL },
	{ CMD_NONE, { 0 }, "Đúng hạn", "(Trước hạn + đúng hạn) / đã giải quyết", NULL },
	{ CMD_NONE, { 0 }, "Q.hạn", "Hồ sơ đang giải quyết đã quá hạn khi hết kỳ", NULL },
};

/* What the report screen holds: the period, the chart, and the reports read so far. */
struct screen_report {
	int		 period;
	char		*typed;				/* the period typed, or NULL */
	char		*text;				/* as report_period_parse reads it */
	int64_t		 from;
	int64_t		 to;
	bool		 valid;				/* from and to are set */
	int		 chart;
	struct report	*reports[SCREEN_REPORT_NCHARTS];	/* per chart, read when shown */
	size_t		 top;				/* first bar shown */
};

/* Forget the reports read (the period changed or a refresh was asked). */
static void
screen_report_forget(struct screen_report *sr)
{
	int	i;

	for (i = 0; i < SCREEN_REPORT_NCHARTS; i++) {
		report_free(sr->reports[i]);
		sr->reports[i] = NULL;
	}
	sr->top = 0;
}

/* Set the period to one of the choices; the typed one must already be in sr->typed. */
static void
screen_report_set_period(struct screen_report *sr, struct tui *t, int period)
{
	struct calendar_date	 d;
	char			 text[32], *cause = NULL;
	int			 y, m;

	d = calendar_local_date(service_catalog(t->svc)->calendar, service_now(t->svc), NULL);
	y = d.year;
	m = d.month;
	switch (period) {
	case 0:
		snprintf(text, sizeof text, "%04d-%02d", y, m);
		break;
	case 1:
		if (--m == 0) {
			m = 12;
			y--;
		}
		snprintf(text, sizeof text, "%04d-%02d", y, m);
		break;
	case 2:
		snprintf(text, sizeof text, "%04d-Q%d", y, (m - 1) / 3 + 1);
		break;
	case 3:
		snprintf(text, sizeof text, "%04d", y);
		break;
	default:
		snprintf(text, sizeof text, "%s", sr->typed != NULL ? sr->typed : "");
		break;
	}
	screen_report_forget(sr);
	free(sr->text);
	sr->text = xstrdup(text);
	sr->period = period;
	sr->valid = service_report_period(t->svc, text, &sr->from, &sr->to, &cause) == 0;
	if (!sr->valid) {
		tui_error(t, "%s", cause);
		free(cause);
	}
}

/* The report of the current chart, read if it is not yet; NULL if it cannot be. */
static struct report *
screen_report_get(struct screen_report *sr, struct tui *t)
{
	char	*cause = NULL;

	if (!sr->valid)
		return NULL;
	if (sr->reports[sr->chart] == NULL) {
		if (service_report(t->svc, NULL, sr->from, sr->to,
		    screen_report_charts[sr->chart].group, &sr->reports[sr->chart],
		    &cause) != 0) {
			tui_error(t, "%s", cause);
			free(cause);
			return NULL;
		}
	}
	return sr->reports[sr->chart];
}

/* A count with thousands separated by dots, as Vietnamese writes them ("5.104"). */
static void
screen_report_count(int64_t n, char *buf, size_t len)
{
	report_format_count(n, '.', buf, len);
}

/* The on-time rate with a decimal comma ("93,3%"), or "—" when nothing was resolved. */
static void
screen_report_rate(const struct report_figures *f, char *buf, size_t len)
{
	double	rate = report_on_time_rate(f);
	char	*comma;

	if (rate < 0) {
		snprintf(buf, len, "—");
		return;
	}
	snprintf(buf, len, "%.1f%%", rate * 100.0);
	if ((comma = strchr(buf, '.')) != NULL)
		*comma = ',';
}

/* Draw a label in cols columns, cut with "…" when it is longer. */
static void
screen_report_label(int y, int x, int cols, const char *label, int attr)
{
	char	*safe, *cut;
	size_t	 fit;

	safe = text_sanitise(label);
	if (text_width(safe) <= cols) {
		tui_text(y, x, cols, safe, attr);
		free(safe);
		return;
	}
	fit = text_fit(safe, cols - 1);
	cut = xasprintf("%.*s…", (int)fit, safe);
	tui_text(y, x, cols, cut, attr);
	free(cut);
	free(safe);
}

/* Draw a line of choices, the chosen one in brackets (and reverse video). */
static void
screen_report_choices(struct tui *t, int y, const char *const *labels, const char *keys,
    int n, int chosen)
{
	char	*label;
	int	 i, x = 1, w;

	for (i = 0; i < n; i++) {
		label = xasprintf(i == chosen ? "[%c %s]" : " %c %s ", keys[i], labels[i]);
		w = text_width(label);
		if (x + w < t->width)
			tui_text(y, x, w, label, i == chosen ? A_REVERSE | A_BOLD : 0);
		x += w + 1;
		free(label);
	}
}

/* Draw the figures of one row at the right: resolved, on-time rate, overdue. */
static void
screen_report_numbers(struct tui *t, int y, const struct report_figures *f)
{
	char	buf[32];
	int	x = t->width - SCREEN_REPORT_NUMBERS;

	screen_report_count(report_resolved(f), buf, sizeof buf);
	tui_text_right(y, x, 7, buf, 0);
	screen_report_rate(f, buf, sizeof buf);
	tui_text_right(y, x + 8, 8, buf, 0);
	screen_report_count(f->open_overdue, buf, sizeof buf);
	tui_text_right(y, x + 17, 6, buf, 0);
}

/* Draw the period's totals on three lines. */
static void
screen_report_totals(struct tui *t, int y, const struct report_figures *f)
{
	char	c[6][32], rate[32], *line;

	screen_report_count(f->carried, c[0], sizeof c[0]);
	screen_report_count(f->new_total, c[1], sizeof c[1]);
	screen_report_count(f->open_within + f->open_overdue, c[2], sizeof c[2]);
	screen_report_count(f->open_overdue, c[3], sizeof c[3]);
	line = xasprintf("Tồn kỳ trước %s · Mới tiếp nhận %s · Đang giải quyết %s, quá hạn %s",
	    c[0], c[1], c[2], c[3]);
	tui_text(y, 2, t->width - 3, line, 0);
	free(line);
	screen_report_count(report_resolved(f), c[0], sizeof c[0]);
	screen_report_count(f->resolved_early, c[1], sizeof c[1]);
	screen_report_count(f->resolved_on_time, c[2], sizeof c[2]);
	screen_report_count(f->resolved_late, c[3], sizeof c[3]);
	line = xasprintf("Đã giải quyết %s: trước hạn %s, đúng hạn %s, quá hạn %s", c[0], c[1],
	    c[2], c[3]);
	tui_text(y + 1, 2, t->width - 3, line, 0);
	free(line);
	screen_report_rate(f, rate, sizeof rate);
	screen_report_count(f->supplement, c[0], sizeof c[0]);
	screen_report_count(f->withdrawn, c[1], sizeof c[1]);
	screen_report_count(f->refused, c[2], sizeof c[2]);
	line = xasprintf("Tỉ lệ đúng hạn %s · Trả để bổ sung %s · Rút %s · Từ chối %s", rate,
	    c[0], c[1], c[2]);
	tui_text(y + 2, 2, t->width - 3, line, 0);
	free(line);
}

/* The number of bars the window has room for (the total row under them). */
static size_t
screen_report_room(struct tui *t)
{
	int	rows = tui_body_rows(t) - SCREEN_REPORT_HEAD - 1;

	return rows < 1 ? 1 : (size_t)rows;
}

/* Draw the bars of a report: label, bar of new dossiers, its number, and the other figures. */
static void
screen_report_bars(struct screen_report *sr, struct tui *t, int y, const struct report *r)
{
	const struct report_row	*row;
	int64_t			 most = 0;
	int			 barw, len, x;
	size_t			 i, room = screen_report_room(t);
	char			 num[32], *bar, *line;

	barw = t->width - 1 - SCREEN_REPORT_LABEL - 1 - SCREEN_REPORT_NUMBERS - 1 - 6;
	if (barw < 4)
		barw = 4;
	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].f.new_total > most)
			most = r->rows[i].f.new_total;
	}
	if (sr->top + room > r->nrows)
		sr->top = r->nrows > room ? r->nrows - room : 0;

	line = xasprintf("%s%s", screen_report_charts[sr->chart].column,
	    r->nrows > room ? " (↑↓ cuộn)" : "");
	tui_text(y, 1, SCREEN_REPORT_LABEL, line, A_BOLD);
	free(line);
	tui_text(y, 1 + SCREEN_REPORT_LABEL + 1, barw + 6, "Hồ sơ mới tiếp nhận", A_BOLD);
	x = t->width - SCREEN_REPORT_NUMBERS;
	tui_text_right(y, x, 7, "Đã GQ", A_BOLD);
	tui_text_right(y, x + 8, 8, "Đúng hạn", A_BOLD);
	tui_text_right(y, x + 17, 6, "Q.hạn", A_BOLD);
	if (r->nrows == 0) {
		tui_text(y + 1, 2, t->width - 4, "(không có số liệu)", 0);
		return;
	}

	bar = xmalloc((size_t)barw + 1);
	for (i = sr->top; i < r->nrows && i < sr->top + room; i++) {
		row = &r->rows[i];
		y++;
		screen_report_label(y, 1, SCREEN_REPORT_LABEL,
		    row->label != NULL ? row->label : row->key, 0);
		len = most == 0 ? 0 : (int)((row->f.new_total * barw + most / 2) / most);
		if (len == 0 && row->f.new_total > 0)
			len = 1;
		memset(bar, '#', (size_t)len);
		bar[len] = '\0';
		screen_report_count(row->f.new_total, num, sizeof num);
		line = xasprintf("%s%s%s", bar, len > 0 ? " " : "", num);
		tui_text(y, 1 + SCREEN_REPORT_LABEL + 1, barw + 6 + 1, line, 0);
		free(line);
		screen_report_numbers(t, y, &row->f);
	}
	free(bar);
	tui_text(y + 1, 1, SCREEN_REPORT_LABEL, "Tổng cộng", A_BOLD);
	screen_report_count(r->total.new_total, num, sizeof num);
	tui_text(y + 1, 1 + SCREEN_REPORT_LABEL + 1, barw + 6 + 1, num, 0);
	screen_report_numbers(t, y + 1, &r->total);
}

/* Draw the choices, the scope and period, the totals and the chart. */
static void
screen_report_draw(struct screen *s, struct tui *t)
{
	const struct service_user	*me = service_me(t->svc);
	struct screen_report		*sr = s->data;
	const struct report		*r;
	const char			*chart_labels[SCREEN_REPORT_NCHARTS];
	char				 chart_keys[SCREEN_REPORT_NCHARTS], *line;
	struct calendar_date		 first, last;
	int				 y = tui_body_top(t), i;

	screen_report_choices(t, y, screen_report_periods, "12345", SCREEN_REPORT_NPERIODS,
	    sr->period);
	for (i = 0; i < SCREEN_REPORT_NCHARTS; i++) {
		chart_labels[i] = screen_report_charts[i].label;
		chart_keys[i] = screen_report_charts[i].key;
	}
	screen_report_choices(t, y + 1, chart_labels, chart_keys, SCREEN_REPORT_NCHARTS,
	    sr->chart);
	if (!sr->valid)
		return;
	first = calendar_local_date(service_catalog(t->svc)->calendar, sr->from, NULL);
	last = calendar_local_date(service_catalog(t->svc)->calendar, sr->to - 1, NULL);
	line = xasprintf("%s — kỳ %s: từ %02d/%02d/%04d đến %02d/%02d/%04d",
	    me->role == ROLE_MONITOR ? "Toàn tỉnh" : me->unit_name, sr->text, first.day,
	    first.month, first.year, last.day, last.month, last.year);
	tui_text(y + 2, 1, t->width - 2, line, A_BOLD);
	free(line);
	if ((r = screen_report_get(sr, t)) == NULL)
		return;
	screen_report_totals(t, y + 3, &r->total);
	screen_report_bars(sr, t, y + SCREEN_REPORT_HEAD - 1, r);
}

/* The report's keys. */
static const struct tui_binding *
screen_report_bindings_get(struct screen *s, size_t *n)
{
	(void)s;
	*n = sizeof screen_report_bindings / sizeof screen_report_bindings[0];
	return screen_report_bindings;
}

/* Take the period typed in the prompt, if it is one. */
static void
screen_report_typed_done(struct tui *t, void *arg, const char *answer)
{
	struct screen_report	*sr = arg;
	int64_t			 from, to;
	char			*cause = NULL;

	if (*answer == '\0')
		return;
	if (service_report_period(t->svc, answer, &from, &to, &cause) != 0) {
		tui_error(t, "%s", cause);
		free(cause);
		return;
	}
	free(sr->typed);
	sr->typed = xstrdup(answer);
	screen_report_set_period(sr, t, SCREEN_REPORT_TYPED);
}

/* Choose a period or a chart, or read the figures again. */
static enum tui_redraw
screen_report_command(struct screen *s, struct tui *t, int cmd)
{
	struct screen_report	*sr = s->data;
	int			 i;

	if (cmd >= SCREEN_REPORT_PERIOD && cmd < SCREEN_REPORT_PERIOD + SCREEN_REPORT_TYPED) {
		i = cmd - SCREEN_REPORT_PERIOD;
		if (i == sr->period && sr->valid)
			return TUI_REDRAW_NONE;
		screen_report_set_period(sr, t, i);
		return TUI_REDRAW_SCREEN;
	}
	if (cmd == SCREEN_REPORT_PERIOD + SCREEN_REPORT_TYPED) {
		tui_push(t, screen_prompt_new("Kỳ báo cáo",
		    "Kỳ (2015-06, 2015-Q2, 2015-H1, 2015, 2015-06-15 hoặc 2015-01-01..2015-06-30):",
		    sr->typed != NULL ? sr->typed : "", 40, screen_report_typed_done, sr, NULL));
		return TUI_REDRAW_SCREEN;
	}
	if (cmd >= SCREEN_REPORT_CHART && cmd < SCREEN_REPORT_CHART + SCREEN_REPORT_NCHARTS) {
		i = cmd - SCREEN_REPORT_CHART;
		if (i == sr->chart)
			return TUI_REDRAW_NONE;
		sr->chart = i;
		sr->top = 0;
		return TUI_REDRAW_SCREEN;
	}
	switch (cmd) {
	case SCREEN_REPORT_NEXT_CHART:
		sr->chart = (sr->chart + 1) % SCREEN_REPORT_NCHARTS;
		sr->top = 0;
		return TUI_REDRAW_SCREEN;
	case SCREEN_REPORT_REFRESH:
		screen_report_set_period(sr, t, sr->period);
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_PASS;
}

/* Scroll the bars when they do not fit. */
static enum tui_redraw
screen_report_key(struct screen *s, struct tui *t, int key)
{
	struct screen_report	*sr = s->data;
	struct report		*r;

	if (!sr->valid || (r = sr->reports[sr->chart]) == NULL)
		return TUI_REDRAW_NONE;
	if ((key == (KEYS_FN | KEY_UP) || key == 'k') && sr->top > 0) {
		sr->top--;
		return TUI_REDRAW_SCREEN;
	}
	if ((key == (KEYS_FN | KEY_DOWN) || key == 'j') &&
	    sr->top + screen_report_room(t) < r->nrows) {
		sr->top++;
		return TUI_REDRAW_SCREEN;
	}
	return TUI_REDRAW_NONE;
}

/* Free the reports. */
static void
screen_report_free(struct screen *s)
{
	struct screen_report	*sr = s->data;

	screen_report_forget(sr);
	free(sr->typed);
	free(sr->text);
	free(sr);
}

static const struct screen_ops screen_report_ops = {
	.draw = screen_report_draw,
	.bindings = screen_report_bindings_get,
	.command = screen_report_command,
	.key = screen_report_key,
	.free = screen_report_free,
};

/* Make the report screen on this month, by field; the figures are read when drawn. */
struct screen *
screen_report_new(struct tui *t)
{
	struct screen_report	*sr;

	sr = xcalloc(1, sizeof *sr);
	screen_report_set_period(sr, t, 0);
	return tui_screen_new(&screen_report_ops, "Báo cáo, thống kê", sr);
}
