/* tui.c: the interface's run loop: the terminal, the stack of screens, pacing, alerts and idle. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>
#include <unistd.h>

#include "service.h"
#include "text.h"
#include "tui-internal.h"
#include "xmalloc.h"

#define TUI_MIN_LINES		24
#define TUI_MIN_COLS		80
#define TUI_PACE_MS		50	/* how often a held-back frame is retried */
#define TUI_TICK_MS		1000	/* the longest wait for a key */
#define TUI_ALERT_DEFAULT	30	/* seconds between alert checks if none is set */
#define TUI_TRIM_QUIET		1000	/* ms of quiet before free memory is returned */

/* Full-screen repaints, for benchmarks (MOTCUA_TUI_STATS). */
static unsigned long	tui_repaints;

/* Set by SIGHUP (the link dropped) or SIGTERM (the server stops): save the draft and end. */
static volatile sig_atomic_t	tui_hangup;

/* The monotonic clock in milliseconds. */
int64_t
tui_clock_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Have the top screen's tick called at at_ms (on the monotonic clock), or earlier. */
void
tui_wake(struct tui *t, int64_t at_ms)
{
	if (t->wake_ms == 0 || at_ms < t->wake_ms)
		t->wake_ms = at_ms;
}

/* Return true for a plausible terminal name (letters, digits and . _ + -). */
static bool
tui_term_name_ok(const char *name)
{
	size_t	i;

	if (name == NULL || *name == '\0' || strlen(name) > 64)
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-",
		    name[i]) == NULL)
			return false;
	}
	return true;
}

/* Start curses on stdin/stdout with TERM, or the first known of the fallbacks. */
static SCREEN *
tui_terminal(void)
{
	const char	*names[4];
	SCREEN		*sp;
	size_t		 i;
	int		 err;

	names[0] = getenv("TERM");
	names[1] = "xterm-256color";
	names[2] = "xterm";
	names[3] = "vt100";
	for (i = 0; i < 4; i++) {
		if (!tui_term_name_ok(names[i]))
			continue;
		if (setupterm(names[i], STDOUT_FILENO, &err) != OK)
			continue;
		del_curterm(cur_term);
		sp = newterm(names[i], stdout, stdin);
		if (sp != NULL) {
			if (i != 0)
				setenv("TERM", names[i], 1);
			return sp;
		}
	}
	return NULL;
}

/* Make a screen object. */
struct screen *
tui_screen_new(const struct screen_ops *ops, const char *title, void *data)
{
	struct screen	*s;

	s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->title = xstrdup(title);
	s->data = data;
	return s;
}

/* Free a screen object. */
static void
tui_screen_free(struct screen *s)
{
	if (s == NULL)
		return;
	if (s->ops->free != NULL)
		s->ops->free(s);
	free(s->title);
	free(s);
}

/* Clear the status line's message. */
void
tui_status_clear(struct tui *t)
{
	free(t->status);
	t->status = NULL;
	t->status_error = false;
}

/* Put a screen on top of the stack (refused, and freed, if the stack is full). */
void
tui_push(struct tui *t, struct screen *s)
{
	if (t->depth == sizeof t->stack / sizeof t->stack[0]) {
		tui_screen_free(s);
		tui_error(t, "Đã mở quá nhiều màn hình; hãy quay lại (F9) trước");
		return;
	}
	t->stack[t->depth++] = s;
}

/* Close the top screen; the one below it is told it is on top again. */
void
tui_pop(struct tui *t)
{
	struct screen	*s;

	if (t->depth == 0)
		return;
	tui_screen_free(t->stack[--t->depth]);
	tui_status_clear(t);
	if (t->depth > 0) {
		s = t->stack[t->depth - 1];
		if (s->ops->resume != NULL)
			s->ops->resume(s, t);
	}
}

/* Replace the top screen with another. */
void
tui_replace(struct tui *t, struct screen *s)
{
	if (t->depth > 0)
		tui_screen_free(t->stack[--t->depth]);
	tui_push(t, s);
}

static void	tui_status_set(struct tui *, bool, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/* Set the status line's message (cleaned and kept until replaced or the screen changes). */
static void
tui_status_set(struct tui *t, bool error, const char *fmt, va_list ap)
{
	char	*msg;

	msg = xvasprintf(fmt, ap);
	free(t->status);
	t->status = text_sanitise(msg);
	t->status_error = error;
	free(msg);
}

/* Show an information message on the status line. */
void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tui_status_set(t, false, fmt, ap);
	va_end(ap);
}

/* Show an error (a validation message, a refusal of the core) on the status line. */
void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tui_status_set(t, true, fmt, ap);
	va_end(ap);
}

/* The first row of the body (under the title line). */
int
tui_body_top(struct tui *t)
{
	(void)t;
	return 1;
}

/* The number of rows of the body (between the title line and the status line). */
int
tui_body_rows(struct tui *t)
{
	return t->height - 3;
}

/* Draw text from the store or a person at (y, x) in at most cols columns, made safe first. */
void
tui_text(int y, int x, int cols, const char *s, int attr)
{
	char	*safe;
	size_t	 fit;

	if (cols <= 0 || s == NULL)
		return;
	safe = text_sanitise(s);
	fit = text_fit(safe, cols);
	if (attr != 0)
		attron(attr);
	mvaddnstr(y, x, safe, (int)fit);
	if (attr != 0)
		attroff(attr);
	free(safe);
}

/* Draw text ending at column x + cols (right-aligned in cols columns). */
void
tui_text_right(int y, int x, int cols, const char *s, int attr)
{
	char	*safe;
	size_t	 fit;
	int	 w;

	if (cols <= 0 || s == NULL)
		return;
	safe = text_sanitise(s);
	fit = text_fit(safe, cols);
	safe[fit] = '\0';
	w = text_width(safe);
	if (attr != 0)
		attron(attr);
	mvaddnstr(y, x + cols - w, safe, (int)fit);
	if (attr != 0)
		attroff(attr);
	free(safe);
}

/* Write an instant as "HH:MM dd/mm/yyyy" in the province's time, or "—" if not set. */
void
tui_time(struct tui *t, int64_t ts, char *buf, size_t len)
{
	if (ts == 0) {
		snprintf(buf, len, "—");
		return;
	}
	calendar_format_receipt((t->svc != NULL ? service_catalog(t->svc) :
	    service_public_catalog(t->pub))->calendar, ts, buf, len);
}

/*
 * Parse "HH:MM dd/mm/yyyy", "dd/mm/yyyy HH:MM" or "dd/mm/yyyy" (17:00) in the province's
 * time. Returns 0, or -1 if the text is not such a time.
 */
int
tui_parse_time(struct tui *t, const char *text, int64_t *out)
{
	char	 local[32];
	char	*cause = NULL;
	int	 h = 17, mi = 0, d, mo, y, n = 0;

	if (sscanf(text, "%2d:%2d %2d/%2d/%4d%n", &h, &mi, &d, &mo, &y, &n) == 5 &&
	    text[n] == '\0')
		;
	else if (n = 0, sscanf(text, "%2d/%2d/%4d %2d:%2d%n", &d, &mo, &y, &h, &mi, &n) == 5 &&
	    text[n] == '\0')
		;
	else if (h = 17, mi = 0, n = 0, sscanf(text, "%2d/%2d/%4d%n", &d, &mo, &y, &n) == 3 &&
	    text[n] == '\0')
		;
	else
		return -1;
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || d < 1 || d > 31 || mo < 1 || mo > 12 ||
	    y < 1970 || y > 2199)
		return -1;
	snprintf(local, sizeof local, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
	if (calendar_parse_local(service_catalog(t->svc)->calendar, local, out, &cause) != 0) {
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * The late marker of a dossier line, as text: "QUÁ HẠN" past the legal due time, "HẸN LẠI"
 * when past it but before the one new appointment of an apology (Mẫu 04), "CHẬM" past the
 * step's deadline, or "".
 */
const char *
tui_late_marker(struct tui *t, const struct dossier_summary *d, int64_t now)
{
	(void)t;
	if (d->state != STATE_RECEIVED && d->state != STATE_PROCESSING)
		return "";
	if (d->due_at != 0 && now > d->due_at)
		return d->appointment_at > now ? "HẸN LẠI" : "QUÁ HẠN";
	if (d->step_due_at != 0 && now > d->step_due_at)
		return "CHẬM";
	return "";
}

/* The widths of the columns of a dossier line: the name takes what the others leave. */
struct tui_columns {
	int	name;
	int	state;
	int	due;		/* 16: "HH:MM dd/mm/yyyy", 10: the date alone */
};

/* Fit the columns of a dossier line to the window's width. */
static void
tui_summary_widths(int width, struct tui_columns *c)
{
	c->state = width >= 100 ? 16 : 14;
	c->due = width >= 100 ? 16 : 10;
	/* marker 2, code 16, procedure 9, late 7, five separators */
	c->name = width - (2 + 16 + 9 + c->state + c->due + 7 + 5);
	if (c->name < 8)
		c->name = 8;
}

/*
 * Draw the header of a list of dossiers, bold from its first column to its last, spaces
 * between the names included, so that it goes out as one run of one attribute.
 */
void
tui_summary_header(struct tui *t, int y)
{
	struct tui_columns	c;
	int			x = 2;

	tui_summary_widths(t->width, &c);
	attron(A_BOLD);
	move(y, x);
	hline(' ', 16 + c.name + 9 + c.state + c.due + 7 + 5);
	tui_text(y, x, 16, "Mã hồ sơ", 0);
	x += 17;
	tui_text(y, x, c.name, "Người nộp", 0);
	x += c.name + 1;
	tui_text(y, x, 9, "Thủ tục", 0);
	x += 10;
	tui_text(y, x, c.state, "Trạng thái", 0);
	x += c.state + 1;
	tui_text(y, x, c.due, "Hẹn trả", 0);
	x += c.due + 1;
	tui_text(y, x, 7, "Hạn", 0);
	attroff(A_BOLD);
}

/* Draw one line of a list of dossiers; the selected one is marked with ">" and reversed. */
void
tui_summary_row(struct tui *t, int y, const struct dossier_summary *d, bool selected,
    int64_t now)
{
	struct tui_columns	c;
	char			due[32];
	int			x = 2, attr = selected ? A_REVERSE : 0;

	tui_summary_widths(t->width, &c);
	if (selected) {
		move(y, 0);
		attron(A_REVERSE);
		hline(' ', t->width);
		attroff(A_REVERSE);
		mvaddstr(y, 0, ">");
	}
	tui_text(y, x, 16, d->code, attr);
	x += 17;
	tui_text(y, x, c.name, d->applicant_name, attr);
	x += c.name + 1;
	tui_text(y, x, 9, d->procedure_code, attr);
	x += 10;
	tui_text(y, x, c.state, dossier_state_label(d->state), attr);
	x += c.state + 1;
	tui_time(t, d->appointment_at != 0 ? d->appointment_at : d->due_at, due, sizeof due);
	/* "HH:MM dd/mm/yyyy": the date alone starts after the time. */
	tui_text(y, x, c.due, c.due < 16 && strlen(due) >= 16 ? due + 6 : due, attr);
	x += c.due + 1;
	tui_text(y, x, 7, tui_late_marker(t, d, now), attr | A_BOLD);
}

/* Open a dossier's screen, or say on the status line why it cannot be opened. */
void
tui_open_dossier(struct tui *t, const char *code)
{
	struct screen	*s;
	char		*cause = NULL;

	s = screen_dossier_new(t, code, &cause);
	if (s == NULL) {
		tui_error(t, "%s", cause);
		free(cause);
		return;
	}
	tui_push(t, s);
}

/* The bytes sent to the printer, gathered by tputs. */
static char	*tui_print_buf;
static size_t	 tui_print_len, tui_print_size;

/* Append one byte to the printer's buffer (the tputs callback). */
static int
tui_print_putc(int c)
{
	if (tui_print_len == tui_print_size) {
		tui_print_size = tui_print_size == 0 ? 4096 : tui_print_size * 2;
		tui_print_buf = xreallocarray(tui_print_buf, 1, tui_print_size);
	}
	tui_print_buf[tui_print_len++] = (char)c;
	return c;
}

/*
 * Send text to the officer's local printer through the terminal (mc5 … mc4), between two
 * frames so that nothing curses has queued is mixed into it. Returns 0, or -1 if the
 * terminal has no printer pass-through or the write failed.
 */
int
tui_print(struct tui *t, const char *text)
{
	char		*on, *off, *line, *safe;
	const char	*p, *nl;
	size_t		 done;
	ssize_t		 n;
	int		 rc = -1;

	(void)t;
	on = tigetstr("mc5");
	off = tigetstr("mc4");
	if (on == NULL || on == (char *)-1 || *on == '\0' ||
	    off == NULL || off == (char *)-1 || *off == '\0')
		return -1;
	doupdate();
	fflush(stdout);
	tui_print_len = 0;
	tputs(on, 1, tui_print_putc);
	/* Line by line, each made safe: no control character may end the pass-through early. */
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		line = xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		safe = text_sanitise(line);
		for (done = 0; safe[done] != '\0'; done++)
			tui_print_putc((unsigned char)safe[done]);
		free(safe);
		free(line);
		if (nl == NULL)
			break;
		tui_print_putc('\r');
		tui_print_putc('\n');
	}
	tui_print_putc('\f');
	tputs(off, 1, tui_print_putc);
	for (done = 0; done < tui_print_len; done += (size_t)n) {
		n = write(STDOUT_FILENO, tui_print_buf + done, tui_print_len - done);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			goto out;
	}
	rc = 0;
out:
	free(tui_print_buf);
	tui_print_buf = NULL;
	tui_print_len = tui_print_size = 0;
	return rc;
}

/* The officer has seen the alerts (the dashboard was shown again): clear the counter. */
void
tui_alerts_seen(struct tui *t)
{
	t->alert_count = 0;
}

/*
 * Before new work that reads the catalog: take the newer catalog the server serves, if there
 * is one, and say so once on the status line. Returns true if the service's catalog changed.
 */
bool
tui_catalog_refresh(struct tui *t)
{
	if (t->svc == NULL || t->opt->catalog_refresh == NULL ||
	    !t->opt->catalog_refresh(t->opt->catalog_arg))
		return false;
	tui_message(t, "Danh mục thủ tục đã được cập nhật");
	return true;
}

/* Return true if the window is too small to work in. */
static bool
tui_too_small(struct tui *t)
{
	return t->height < TUI_MIN_LINES || t->width < TUI_MIN_COLS;
}

/* Draw the title line: the screen's name, the alert counter, the officer and their unit. */
static void
tui_draw_title(struct tui *t, struct screen *s)
{
	const struct service_user	*me;
	char				*right;
	char				 alerts[32] = "";
	int				 w;

	if (t->alert_count > 0)
		snprintf(alerts, sizeof alerts, "[!] %d mới  ", t->alert_count);
	if (t->svc == NULL)
		right = xasprintf("%s ", service_public_catalog(t->pub)->province_name);
	else {
		me = service_me(t->svc);
		right = xasprintf("%s%s — %s ", alerts, me->full_name,
		    me->unit_name != NULL ? me->unit_name : "");
	}
	move(0, 0);
	attron(A_REVERSE);
	hline(' ', t->width);
	attroff(A_REVERSE);
	w = text_width(right);
	if (w > t->width - 20)
		w = t->width - 20;
	tui_text_right(0, 0, t->width, right, A_REVERSE);
	tui_text(0, 1, t->width - w - 2, s->title, A_REVERSE | A_BOLD);
	free(right);
}

/* Draw the status line: the message, or the idle warning. */
static void
tui_draw_status(struct tui *t)
{
	move(t->height - 2, 0);
	clrtoeol();
	if (t->status != NULL)
		tui_text(t->height - 2, 1, t->width - 2, t->status, t->status_error ? A_BOLD : 0);
	else if (t->idle_note != NULL)
		tui_text(t->height - 2, 1, t->width - 2, t->idle_note, A_BOLD);
}

/* The order of a bar label: Enter first, then by function key number. */
static int
tui_bar_order(const char *label)
{
	if (label[0] == 'F' && label[1] >= '0' && label[1] <= '9')
		return atoi(label + 1);
	return 0;
}

/*
 * Draw the function-key bar from the screen's key table, in key order. The spaces between the
 * labels are reversed too: the bar is one run of one attribute.
 */
static void
tui_draw_bar(struct tui *t, struct screen *s)
{
	const struct tui_binding	*table;
	size_t				 n, i;
	int				 x = 0, w, order, next, done = -1;

	table = s->ops->bindings(s, &n);
	move(t->height - 1, 0);
	clrtoeol();
	for (;;) {
		next = 1000;
		for (i = 0; i < n; i++) {
			if (table[i].bar == NULL)
				continue;
			order = tui_bar_order(table[i].bar);
			if (order > done && order < next)
				next = order;
		}
		if (next == 1000)
			break;
		for (i = 0; i < n; i++) {
			if (table[i].bar == NULL || tui_bar_order(table[i].bar) != next)
				continue;
			w = text_width(table[i].bar);
			if (x + w > t->width)
				return;
			if (x > 0)
				mvaddch(t->height - 1, x - 1, ' ' | A_REVERSE);
			tui_text(t->height - 1, x, w, table[i].bar, A_REVERSE);
			x += w + 1;
		}
		done = next;
	}
}

/* Draw what is pending and send it: the whole screen, or only the current line. */
static void
tui_flush(struct tui *t, enum tui_redraw what)
{
	static int	 cursor_shown = -1;
	struct screen	*s = t->stack[t->depth - 1];
	int		 y = -1, x = 0, show;

	if (tui_too_small(t)) {
		erase();
		tui_text(t->height / 2, 0, t->width,
		    "Vui lòng phóng to cửa sổ (tối thiểu 80×24)", A_BOLD);
		tui_repaints++;
	} else {
		if (what == TUI_REDRAW_SCREEN || s->ops->draw_line == NULL) {
			erase();
			s->ops->draw(s, t);
			tui_repaints++;
		} else
			s->ops->draw_line(s, t);
		tui_draw_title(t, s);
		tui_draw_status(t);
		tui_draw_bar(t, s);
		if (s->ops->cursor != NULL)
			s->ops->cursor(s, t, &y, &x);
	}
	show = y >= 0;
	if (show != cursor_shown) {
		curs_set(show ? 1 : 0);
		cursor_shown = show;
	}
	if (show)
		move(y, x);
	else
		move(t->height - 1, t->width - 1);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Return true if the link has room for a frame (or the terminal is local). */
static bool
tui_link_ready(struct tui *t)
{
	return t->opt->backlog == NULL || *t->opt->backlog <= t->opt->backlog_limit;
}

/* Tell every screen to save what must survive the session (drafts). */
static void
tui_save_all(struct tui *t)
{
	size_t	i;

	for (i = 0; i < t->depth; i++) {
		if (t->stack[i]->ops->save != NULL)
			t->stack[i]->ops->save(t->stack[i], t);
	}
}

/* Open the prompt for a dossier code (F4). */
static void
tui_open_code_done(struct tui *t, void *arg, const char *answer)
{
	(void)arg;
	if (*answer != '\0')
		tui_open_dossier(t, answer);
}

/* Run one of the commands every screen shares. */
static enum tui_redraw
tui_global(struct tui *t, struct screen *s, int cmd)
{
	const struct service_user	*me;
	const struct tui_binding	*table;
	enum service_queue		 q;
	char				*title;
	size_t				 n;

	/* The public login has help, back and quit; nothing of the officers'. */
	if (t->svc == NULL && cmd != CMD_HELP && cmd != CMD_BACK && cmd != CMD_QUIT)
		return TUI_REDRAW_NONE;
	me = t->svc != NULL ? service_me(t->svc) : NULL;
	switch (cmd) {
	case CMD_HELP:
		table = s->ops->bindings(s, &n);
		title = xasprintf("Trợ giúp — %s", s->title);
		tui_push(t, screen_help_new(title, table, n));
		free(title);
		break;
	case CMD_BACK:
		if (t->depth > 1)
			tui_pop(t);
		break;
	case CMD_QUIT:
		tui_save_all(t);
		t->quit = true;
		return TUI_REDRAW_NONE;
	case CMD_INTAKE:
		if (me->role != ROLE_ONE_STOP) {
			tui_error(t, "Chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ");
			return TUI_REDRAW_LINE;
		}
		tui_catalog_refresh(t);
		tui_push(t, screen_intake_new(t, NULL, NULL));
		break;
	case CMD_QUEUES:
		if (me->role == ROLE_ONE_STOP)
			q = QUEUE_NEW;
		else if (me->role == ROLE_LEADER)
			q = QUEUE_UNASSIGNED;
		else
			q = QUEUE_IN_PROGRESS;
		tui_push(t, screen_queue_new(t, q, NULL));
		break;
	case CMD_OPEN_CODE:
		tui_push(t, screen_prompt_new("Mở hồ sơ", "Mã hồ sơ (ví dụ TPSL-150826-0007):",
		    "", 40, tui_open_code_done, NULL, NULL));
		break;
	default:
		return TUI_REDRAW_NONE;
	}
	return TUI_REDRAW_SCREEN;
}

/* Handle one key on the top screen; return what to redraw. */
static enum tui_redraw
tui_dispatch(struct tui *t, int key)
{
	struct screen			*s = t->stack[t->depth - 1];
	const struct tui_binding	*table, *b;
	enum tui_redraw			 r = TUI_REDRAW_NONE;
	size_t				 n;

	if (key == (KEYS_FN | KEY_RESIZE)) {
		t->height = LINES;
		t->width = COLS;
		return TUI_REDRAW_SCREEN;
	}
	if (key == KEYS_CTRL('l')) {
		clearok(curscr, TRUE);
		return TUI_REDRAW_SCREEN;
	}
	if (tui_too_small(t)) {
		if (key == KEYS_F(10) || key == KEYS_CTRL('x')) {
			tui_save_all(t);
			t->quit = true;
		}
		return TUI_REDRAW_NONE;
	}
	table = s->ops->bindings(s, &n);
	b = keys_find(table, n, key);
	if (b != NULL && b->cmd != CMD_NONE) {
		tui_status_clear(t);
		r = TUI_REDRAW_PASS;
		if (s->ops->command != NULL)
			r = s->ops->command(s, t, b->cmd);
		if (r == TUI_REDRAW_PASS)
			r = tui_global(t, s, b->cmd);
	} else if (s->ops->key != NULL)
		r = s->ops->key(s, t, key);
	if (t->depth == 0)
		t->quit = true;
	return r;
}

/*
 * Take the starting point of the alerts: what is assigned, due soon and overdue now, before
 * the first screen loads its data, so that nothing that happens after it goes unnoticed.
 */
static void
tui_alerts_start(struct tui *t)
{
	struct service_alerts	 a;
	char			*cause = NULL;

	if (t->svc == NULL)
		return;
	if (service_alerts(t->svc, 0, &a, &cause) != 0) {
		free(cause);
		return;
	}
	t->alert_started = true;
	t->alert_since = a.latest_event;
	t->alert_due_soon = a.due_soon;
	t->alert_overdue = a.overdue;
}

/* Check for alerts when it is time; return true if the title line changed. */
static bool
tui_alerts(struct tui *t, int64_t now_ms, int64_t *next_ms)
{
	struct service_alerts	 a;
	char			*cause = NULL;
	int64_t			 fresh, interval;

	interval = t->opt->alert_interval > 0 ? t->opt->alert_interval : TUI_ALERT_DEFAULT;
	if (t->svc == NULL || now_ms < *next_ms)
		return false;
	*next_ms = now_ms + interval * 1000;
	if (!t->opt->alerts_outside_office_hours &&
	    !service_office_hours(t->svc, service_now(t->svc)))
		return false;
	if (service_alerts(t->svc, t->alert_since, &a, &cause) != 0) {
		free(cause);
		return false;
	}
	fresh = 0;
	if (t->alert_started) {
		fresh = a.assigned_new;
		if (a.due_soon > t->alert_due_soon)
			fresh += a.due_soon - t->alert_due_soon;
		if (a.overdue > t->alert_overdue)
			fresh += a.overdue - t->alert_overdue;
	}
	t->alert_started = true;
	t->alert_since = a.latest_event;
	t->alert_due_soon = a.due_soon;
	t->alert_overdue = a.overdue;
	if (fresh <= 0)
		return false;
	t->alert_count += (int)fresh;
	beep();
	return true;
}

/* Warn before the idle timeout and end the session at it; return true if the status changed. */
static bool
tui_idle(struct tui *t, int64_t idle_ms)
{
	int	timeout = t->opt->idle_timeout, warning = t->opt->idle_warning;

	if (timeout <= 0)
		return false;
	if (idle_ms >= (int64_t)timeout * 1000) {
		tui_save_all(t);
		t->quit = true;
		return false;
	}
	if (t->idle_note == NULL && warning > 0 && idle_ms >= (int64_t)(timeout - warning) * 1000) {
		t->idle_note = xasprintf("Không có thao tác: phiên sẽ tự kết thúc sau %d giây"
		    "%s. Nhấn một phím để tiếp tục.", warning,
		    t->svc != NULL ? " (bản nháp được lưu)" : "");
		return true;
	}
	return false;
}

/* Offer to resume the intake draft found at login. */
struct tui_resume {
	char	*key;
	char	*content;
};

/* Free what the resume question holds. */
static void
tui_resume_free(void *arg)
{
	struct tui_resume	*r = arg;

	free(r->key);
	free(r->content);
	free(r);
}

/* The answer to "continue the draft?": resume it, or throw it away. */
static void
tui_resume_done(struct tui *t, void *arg, size_t index)
{
	struct tui_resume	*r = arg;
	char			*cause = NULL;

	if (index == 0) {
		tui_push(t, screen_intake_new(t, r->key, r->content));
		return;
	}
	if (service_draft_clear(t->svc, &cause) != 0) {
		tui_error(t, "%s", cause);
		free(cause);
	} else
		tui_message(t, "Đã bỏ bản nháp");
}

/* At login: say what was saved last, and offer to resume a draft. */
static void
tui_welcome(struct tui *t)
{
	struct tui_resume	*r;
	char			*code = NULL, *key = NULL, *content = NULL, *cause = NULL;
	char			 when[32], *items[2];
	int64_t			 at = 0, updated = 0;

	if (service_last_received(t->svc, &code, &at, &cause) == 0 && code != NULL) {
		tui_time(t, at, when, sizeof when);
		tui_message(t, "Lần lưu gần nhất: %s lúc %s", code, when);
	}
	free(cause);
	cause = NULL;
	free(code);
	if (service_draft_load(t->svc, &key, &content, &updated, &cause) != 0 || content == NULL) {
		free(cause);
		free(key);
		free(content);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->key = key;
	r->content = content;
	tui_time(t, updated, when, sizeof when);
	items[0] = xstrdup("Có — tiếp tục nhập hồ sơ");
	items[1] = xstrdup("Không — bỏ bản nháp");
	code = xasprintf("Tiếp tục hồ sơ đang nhập dở? (lưu lúc %s)", when);
	tui_push(t, screen_menu_new("Hồ sơ đang nhập dở", code, items, 2, tui_resume_done, r,
	    tui_resume_free));
	free(code);
}

/* The handler of SIGHUP and SIGTERM: only note it; the run loop saves and ends. */
static void
tui_hangup_signal(int sig)
{
	tui_hangup = sig;
}

/*
 * Return true if the terminal has hung up (its other side closed) though no SIGHUP came: a
 * wait for a key then ends at once, again and again.
 */
static bool
tui_terminal_gone(void)
{
	struct pollfd	pfd;

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) < 0)
		return false;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* Write the repaint count where MOTCUA_TUI_STATS says. */
static void
tui_stats(void)
{
	const char	*path = getenv("MOTCUA_TUI_STATS");
	FILE		*f;

	if (path == NULL || *path == '\0')
		return;
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fprintf(f, "repaints %lu\n", tui_repaints);
	fclose(f);
}

/* Put back the signal dispositions tui_run found. */
static void
tui_signals_restore(const struct sigaction *old_int, const struct sigaction *old_quit,
    const struct sigaction *old_tstp, const struct sigaction *old_hup,
    const struct sigaction *old_term)
{
	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGQUIT, old_quit, NULL);
	sigaction(SIGTSTP, old_tstp, NULL);
	sigaction(SIGHUP, old_hup, NULL);
	sigaction(SIGTERM, old_term, NULL);
}

/* Run the interface for an officer's service, or the public login's; see tui.h. */
static int
tui_loop(struct service *svc, struct service_public *pub, const struct tui_options *opt)
{
	struct tui		 t;
	struct sigaction	 ign, hup, old_int, old_quit, old_tstp, old_hup, old_term;
	SCREEN			*sp;
	enum tui_redraw		 pending = TUI_REDRAW_SCREEN, r;
	struct screen		*s;
	int64_t			 now, before, last_key, next_alert, next_tick = 0, busy;
	int64_t			 alert_due;
	int			 key, wait;
	bool			 trimmed = false;

	setlocale(LC_ALL, "");
	setenv("NCURSES_NO_UTF8_ACS", "1", 1);
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigaction(SIGTSTP, &ign, &old_tstp);
	/* No SA_RESTART: a wait for a key ends at once with ERR and the loop sees the flag. */
	memset(&hup, 0, sizeof hup);
	hup.sa_handler = tui_hangup_signal;
	sigemptyset(&hup.sa_mask);
	tui_hangup = 0;
	sigaction(SIGHUP, &hup, &old_hup);
	sigaction(SIGTERM, &hup, &old_term);

	sp = tui_terminal();
	if (sp == NULL) {
		fprintf(stderr, "motcuad: no usable terminal description (TERM)\r\n");
		tui_signals_restore(&old_int, &old_quit, &old_tstp, &old_hup, &old_term);
		return 1;
	}
	/*
	 * Until the screen has been suspended once and resumed by a refresh, ncurses writes its
	 * output out after every cursor movement: a frame would leave in dozens of writes, each
	 * its own SSH packet. Suspend it before anything is drawn; the first refresh resumes it,
	 * and from then on a frame is one write.
	 */
	endwin();
	set_escdelay(100);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	meta(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	keys_init();

	memset(&t, 0, sizeof t);
	t.svc = svc;
	t.pub = pub;
	t.opt = opt;
	t.height = LINES;
	t.width = COLS;
	if (svc != NULL) {
		tui_alerts_start(&t);
		tui_push(&t, screen_dashboard_new(&t));
		tui_welcome(&t);
	} else
		tui_push(&t, screen_public_new(&t));

	now = tui_clock_ms();
	last_key = now;
	next_alert = now + (opt->alert_interval > 0 ? opt->alert_interval :
	    TUI_ALERT_DEFAULT) * 1000;
	busy = now;
	while (!t.quit && t.depth > 0 && !tui_hangup) {
		if (pending != TUI_REDRAW_NONE && tui_link_ready(&t)) {
			tui_flush(&t, pending);
			pending = TUI_REDRAW_NONE;
			busy = tui_clock_ms();
			trimmed = false;
		}
		wait = pending != TUI_REDRAW_NONE ? TUI_PACE_MS : TUI_TICK_MS;
		before = tui_clock_ms();
		if (t.wake_ms != 0 && t.wake_ms - before < wait)
			wait = t.wake_ms > before ? (int)(t.wake_ms - before) : 0;
		key = keys_read(wait);
		now = tui_clock_ms();
		if (key == KEYS_NONE && now - before < wait / 2 && tui_terminal_gone())
			tui_hangup = SIGHUP;
		if (tui_hangup)
			break;
		if (key != KEYS_NONE) {
			last_key = now;
			busy = now;
			trimmed = false;
			if (t.idle_note != NULL) {
				free(t.idle_note);
				t.idle_note = NULL;
				if (pending == TUI_REDRAW_NONE)
					pending = TUI_REDRAW_LINE;
			}
			r = tui_dispatch(&t, key);
			if (r > pending)
				pending = r;
			if (t.quit || t.depth == 0)
				break;
		}
		if (now >= next_tick || (t.wake_ms != 0 && now >= t.wake_ms)) {
			next_tick = now + TUI_PACE_MS;
			t.wake_ms = 0;
			s = t.stack[t.depth - 1];
			if (s->ops->tick != NULL) {
				r = s->ops->tick(s, &t, now);
				if (r > pending)
					pending = r;
			}
		}
		alert_due = next_alert;
		if (tui_alerts(&t, now, &next_alert) && pending == TUI_REDRAW_NONE)
			pending = TUI_REDRAW_LINE;
		if (next_alert != alert_due) {
			busy = now;
			trimmed = false;
		}
		if (tui_idle(&t, now - last_key) && pending == TUI_REDRAW_NONE)
			pending = TUI_REDRAW_LINE;
		/*
		 * Once quiet after work (a key, a frame, a look for alerts), give the free pages
		 * of the heap back: an officer's interface is idle most of the day, and what a
		 * screen or a query freed would otherwise stay resident in every session.
		 */
		if (!trimmed && pending == TUI_REDRAW_NONE && now - busy >= TUI_TRIM_QUIET) {
			malloc_trim(0);
			trimmed = true;
		}
	}

	/* Hung up: the draft is saved before anything is written to a terminal that may be gone. */
	if (tui_hangup && !t.quit)
		tui_save_all(&t);
	while (t.depth > 0)
		tui_screen_free(t.stack[--t.depth]);
	free(t.status);
	free(t.idle_note);
	if (!tui_hangup) {
		erase();
		wnoutrefresh(stdscr);
		doupdate();
	}
	endwin();
	delscreen(sp);
	tui_stats();
	tui_signals_restore(&old_int, &old_quit, &old_tstp, &old_hup, &old_term);
	return 0;
}

/* Run the interface for the service's officer; see tui.h. */
int
tui_run(struct service *svc, const struct tui_options *opt)
{
	return tui_loop(svc, NULL, opt);
}

/* Run the public login's interface; see tui.h. */
int
tui_run_public(struct service_public *pub, const struct tui_options *opt)
{
	return tui_loop(NULL, pub, opt);
}
