/*
 * tui-internal.h: what the interface's files share: the run loop's state, screens as small
 * objects (init / draw / key / free), key tables that drive both dispatch and help, the text
 * field editor and drawing helpers. Nothing here is seen outside tui/.
 */
#ifndef MOTCUA_TUI_INTERNAL_H
#define MOTCUA_TUI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui.h"

struct service;
struct service_public;
struct dossier;
struct dossier_summary;

/*
 * A key: a character (its code point) or, with KEYS_FN set, a curses key code (KEY_F(2),
 * KEY_UP…). Vietnamese letters such as U+0103 would collide with curses codes otherwise.
 */
#define KEYS_FN			0x1000000
#define KEYS_CTRL(c)		((c) & 0x1f)
#define KEYS_ESC		27
#define KEYS_NONE		(-1)
#define KEYS_F(n)		(KEYS_FN | (0410 + (n)))	/* KEY_F(n) without curses.h */

/* What a key handler asks the run loop to redraw. */
enum tui_redraw {
	TUI_REDRAW_PASS = -1,	/* a command the screen leaves to the run loop */
	TUI_REDRAW_NONE,	/* nothing changed on screen */
	TUI_REDRAW_LINE,	/* only the screen's current line (and the status line) */
	TUI_REDRAW_SCREEN	/* the whole screen */
};

/* Commands every screen shares; a screen's own commands start at CMD_SCREEN. */
enum tui_command {
	CMD_NONE,
	CMD_HELP,
	CMD_BACK,
	CMD_QUIT,
	CMD_INTAKE,
	CMD_QUEUES,
	CMD_OPEN_CODE,
	CMD_SCREEN = 100
};

/* One row of a screen's key table: dispatch, the bottom bar and the help all come from it. */
struct tui_binding {
	int		 cmd;
	int		 keys[4];	/* KEYS_NONE or 0 ends the list */
	const char	*names;		/* "F2, n" */
	const char	*label;		/* "Tiếp nhận hồ sơ mới" */
	const char	*bar;		/* "F2 Tiếp nhận" in the bottom bar, or NULL */
};

struct tui;
struct screen;

/* The operations of a screen; draw and key are required, the others may be NULL. */
struct screen_ops {
	/* Paint the body (rows tui_body_top .. tui_body_bottom) from the screen's state. */
	void	(*draw)(struct screen *, struct tui *);
	/* Repaint only the current line (the field being typed in); draw is used if NULL. */
	void	(*draw_line)(struct screen *, struct tui *);
	/* The key table for the screen's current mode. */
	const struct tui_binding *(*bindings)(struct screen *, size_t *);
	/* Run a command of the key table; return CMD_NONE's redraw or handle globals. */
	enum tui_redraw	(*command)(struct screen *, struct tui *, int cmd);
	/* A key that is in no binding (typing, arrows of a list…). */
	enum tui_redraw	(*key)(struct screen *, struct tui *, int key);
	/*
	 * Called about every 50 ms to a second while the screen is on top, and at the time it
	 * asked for with tui_wake (debounced saves and searches); returns what to redraw.
	 */
	enum tui_redraw	(*tick)(struct screen *, struct tui *, int64_t now);
	/* The screen is on top again after the one above it closed. */
	enum tui_redraw	(*resume)(struct screen *, struct tui *);
	/* Save whatever must survive (drafts) before the session ends. */
	void	(*save)(struct screen *, struct tui *);
	/* Where the cursor goes after drawing (*y < 0: hidden). */
	void	(*cursor)(struct screen *, struct tui *, int *y, int *x);
	void	(*free)(struct screen *);
};

/* A screen on the stack. */
struct screen {
	const struct screen_ops	*ops;
	char			*title;
	void			*data;
};

/* The interface's state for one session. */
struct tui {
	struct service		*svc;		/* NULL for the public login */
	struct service_public	*pub;		/* the public login's service, else NULL */
	const struct tui_options *opt;
	struct screen		*stack[16];
	size_t			 depth;
	bool			 quit;
	char			*status;	/* message of the status line, or NULL */
	bool			 status_error;
	char			*idle_note;	/* the idle warning, or NULL */
	int64_t			 alert_since;	/* newest event seen by the alerts */
	int64_t			 alert_due_soon;
	int64_t			 alert_overdue;
	int			 alert_count;	/* shown on the title line */
	bool			 alert_started;
	int64_t			 wake_ms;	/* tick the top screen then (tui_wake), or 0 */
	int			 height;	/* of the window */
	int			 width;
};

/* tui.c: the stack, messages, drawing helpers shared by the screens. */
int64_t		 tui_clock_ms(void);
void		 tui_wake(struct tui *, int64_t at_ms);
void		 tui_push(struct tui *, struct screen *);
void		 tui_pop(struct tui *);
void		 tui_replace(struct tui *, struct screen *);
struct screen	*tui_screen_new(const struct screen_ops *, const char *title, void *data);
void		 tui_message(struct tui *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 tui_error(struct tui *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 tui_status_clear(struct tui *);
int		 tui_body_top(struct tui *);
int		 tui_body_rows(struct tui *);
void		 tui_text(int y, int x, int cols, const char *s, int attr);
void		 tui_text_right(int y, int x, int cols, const char *s, int attr);
void		 tui_time(struct tui *, int64_t t, char *buf, size_t len);
int		 tui_parse_time(struct tui *, const char *text, int64_t *out);
const char	*tui_late_marker(struct tui *, const struct dossier_summary *, int64_t now);
void		 tui_summary_row(struct tui *, int y, const struct dossier_summary *, bool selected,
		     int64_t now);
void		 tui_summary_header(struct tui *, int y);
void		 tui_open_dossier(struct tui *, const char *code);
int		 tui_print(struct tui *, const char *text);
void		 tui_alerts_seen(struct tui *);
bool		 tui_catalog_refresh(struct tui *);

/* keys.c: reading keys and matching them against key tables. */
void		 keys_init(void);
int		 keys_read(int timeout_ms);
const struct tui_binding *keys_find(const struct tui_binding *, size_t, int key);
bool		 keys_is_text(int key);
bool		 keys_is_backspace(int key);

/* form.c: a one-line text field of bounded length. */
#define FORM_PAD	'_'		/* what shows the free columns of a field */
struct form_field {
	char		*text;		/* UTF-8, NUL-terminated */
	size_t		 len;
	size_t		 max;		/* bytes */
	size_t		 cursor;	/* byte offset */
	bool		 digits;	/* digits only */
	char		 pad;		/* fills the columns after the text (FORM_PAD) */
};
void		 form_field_init(struct form_field *, size_t max, bool digits);
void		 form_field_set(struct form_field *, const char *);
void		 form_field_free(struct form_field *);
bool		 form_field_key(struct form_field *, int key, bool *changed);
void		 form_field_clean(struct form_field *);
void		 form_field_draw(const struct form_field *, int y, int x, int cols, bool focus,
		     int *cursor_x);

/* list.c: a scrollable view of lines. */
struct list_view {
	char	**items;
	size_t	  n;
	size_t	  size;
	size_t	  top;
};
void		 list_view_set_text(struct list_view *, const char *);
void		 list_view_add(struct list_view *, char *);
void		 list_view_add_wrapped(struct list_view *, const char *, int cols);
void		 list_view_free(struct list_view *);
void		 list_view_draw(struct list_view *, int y, int rows, int cols);
bool		 list_view_key(struct list_view *, int key, int rows);

/* The bindings of scrolling, for the key tables of views. */
#define TUI_BINDINGS_SCROLL \
	{ CMD_NONE, { KEYS_FN | 0403, KEYS_FN | 0402, 'k', 'j' }, "↑, ↓, k, j", \
	    "Cuộn từng dòng", NULL }, \
	{ CMD_NONE, { KEYS_FN | 0523, KEYS_FN | 0522, '-', ' ' }, "PgUp, PgDn, -, dấu cách", \
	    "Cuộn từng trang", NULL }

/* The screens. */
struct screen	*screen_dashboard_new(struct tui *);
struct screen	*screen_intake_new(struct tui *, const char *draft_key, const char *draft);
struct screen	*screen_queue_new(struct tui *, int queue, const char *search);
struct screen	*screen_dossier_new(struct tui *, const char *code, char **cause);
struct screen	*screen_slip_new(const char *title, char *text);
struct screen	*screen_help_new(const char *title, const struct tui_binding *, size_t);
struct screen	*screen_report_new(struct tui *);
struct screen	*screen_public_new(struct tui *);

/* A question on one line; done is called with the cleaned answer, or not at all on cancel. */
typedef void	 (*screen_prompt_cb)(struct tui *, void *arg, const char *answer);
struct screen	*screen_prompt_new(const char *title, const char *question, const char *initial,
		     size_t max, screen_prompt_cb done, void *arg, void (*arg_free)(void *));

/* A choice from a list; done is called with the index chosen, or not at all on cancel. */
typedef void	 (*screen_menu_cb)(struct tui *, void *arg, size_t index);
struct screen	*screen_menu_new(const char *title, const char *question, char **items,
		     size_t n, screen_menu_cb done, void *arg, void (*arg_free)(void *));

/* The global part of every key table, to start a screen's own table with. */
#define TUI_BINDING_HELP \
	{ CMD_HELP, { KEYS_F(1), 'h', '?', 0 }, "F1, h, ?", "Trợ giúp: các phím của màn hình này", \
	    "F1 Trợ giúp" }
#define TUI_BINDING_INTAKE \
	{ CMD_INTAKE, { KEYS_F(2), 'n', 0 }, "F2, n", "Tiếp nhận hồ sơ mới", "F2 Tiếp nhận" }
#define TUI_BINDING_QUEUES \
	{ CMD_QUEUES, { KEYS_F(3), 'q', 0 }, "F3, q", "Hàng đợi hồ sơ", "F3 Hàng đợi" }
#define TUI_BINDING_OPEN \
	{ CMD_OPEN_CODE, { KEYS_F(4), '/', 0 }, "F4, /", "Tìm và mở hồ sơ theo mã", "F4 Tìm" }
#define TUI_BINDING_BACK \
	{ CMD_BACK, { KEYS_F(9), 'b', KEYS_ESC, 0 }, "F9, b, Esc", "Quay lại màn hình trước", \
	    "F9 Quay lại" }
#define TUI_BINDING_QUIT \
	{ CMD_QUIT, { KEYS_F(10), 'x', 0 }, "F10, x", "Thoát (đăng xuất)", "F10 Thoát" }
#define TUI_BINDINGS_GLOBAL \
	TUI_BINDING_HELP, TUI_BINDING_INTAKE, TUI_BINDING_QUEUES, TUI_BINDING_OPEN, \
	TUI_BINDING_BACK, TUI_BINDING_QUIT

/* The same inside text fields, where letters are typed: F-keys and Ctrl keys only. */
#define TUI_BINDINGS_FIELD \
	{ CMD_HELP, { KEYS_F(1), KEYS_CTRL('o'), 0 }, "F1, Ctrl-O", \
	    "Trợ giúp: các phím của màn hình này", "F1 Trợ giúp" }, \
	{ CMD_BACK, { KEYS_F(9), KEYS_CTRL('b'), KEYS_ESC, 0 }, "F9, Ctrl-B, Esc", \
	    "Quay lại (bản nháp được giữ)", "F9 Quay lại" }, \
	{ CMD_QUIT, { KEYS_F(10), KEYS_CTRL('x'), 0 }, "F10, Ctrl-X", "Thoát (đăng xuất)", \
	    "F10 Thoát" }

#endif
