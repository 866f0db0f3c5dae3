/*
 * admin.h: the administrators' commands: a fixed table, one command per admin-<name>.c file,
 * run over SSH exec (`ssh admin@province COMMAND ARGS`) or on the server host as
 * `motcuad admin COMMAND ARGS`. No shell ever: the exec request is split into words by
 * admin_split and looked up in the table; arguments are parsed by each command.
 *
 * Exit status: ADMIN_EXIT_OK, ADMIN_EXIT_FAILURE (the message on stderr says why) or
 * ADMIN_EXIT_USAGE (the command line was wrong; the usage is printed on stderr).
 * Everything user-derived is sanitised (text_sanitise) before it is printed.
 */
#ifndef MOTCUA_ADMIN_H
#define MOTCUA_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct catalog;
struct store;

#define ADMIN_EXIT_OK		0
#define ADMIN_EXIT_FAILURE	1
#define ADMIN_EXIT_USAGE	2

#define ADMIN_MAX_COMMAND	8192	/* bytes of one exec request */
#define ADMIN_MAX_WORDS		64

enum admin_format {
	ADMIN_FORMAT_TEXT,	/* aligned columns for people */
	ADMIN_FORMAT_CSV,	/* RFC 4180, UTF-8 */
	ADMIN_FORMAT_TSV	/* tabs and newlines in cells become spaces */
};

/* What a command runs with. */
struct admin_ctx {
	const char	*data_dir;
	const char	*db_path;	/* DATA/motcua.db */
	const char	*run_dir;	/* DATA/run */
	const char	*catalog_dir;	/* the maintainers' catalog (what reload reads) */
	const char	*catalog_copy;	/* the served copy, DATA/run/catalog.N (NULL locally) */
	const struct catalog *catalog;	/* the served catalog, loaded before the command runs */
	struct store	*store;		/* opened before the command runs */
	int64_t		 actor;		/* the administrator's user id; 0 on the host */
	const char	*login;		/* the administrator's login, or "local" on the host */
	bool		 remote;	/* over SSH */
	enum admin_format format;	/* from --format, for tabular commands */
	int64_t		 now;		/* service_clock(): MOTCUA_NOW fixes it in tests */
	FILE		*in;
	FILE		*out;
	FILE		*err;
};

struct admin_command {
	const char	*name;		/* "user add" */
	const char	*usage;		/* arguments after the name */
	const char	*summary;	/* one line for `help` */
	const char	*help;		/* the paragraph `help COMMAND` prints after the usage */
	bool		 tabular;	/* accepts --format text|csv|tsv */
	int		(*exec)(struct admin_ctx *, int argc, char **argv);
};

/*
 * Split an exec request into words: blanks separate words, 'single' and "double" quotes group,
 * a backslash escapes the next character outside single quotes; nothing is expanded. Invalid
 * UTF-8, control characters, more than ADMIN_MAX_COMMAND bytes or ADMIN_MAX_WORDS words, and an
 * unterminated quote are refused. Returns 0 with *argv (NULL-terminated, free with
 * admin_free_words) and *argc, or -1 with *cause set.
 */
int		 admin_split(const char *command, int *argc, char ***argv, char **cause);
void		 admin_free_words(char **argv);

/*
 * Find the command named by the first words of argv (the longest match: "user key add");
 * *consumed receives how many words the name took. NULL if none matches.
 */
const struct admin_command *admin_find(int argc, char **argv, int *consumed);

/*
 * Run argv (the command name first) and return its exit status. The command's exec sees the
 * last word of its name as argv[0] and its arguments after it (so getopt_long works with
 * optind = 0; set opterr = 0 and answer '?' with admin_usage). `--help` among the arguments
 * prints the command's help instead. For a tabular command, `--format F` / `--format=F` is
 * taken out of argv and sets ctx->format (ADMIN_FORMAT_TEXT otherwise).
 */
int		 admin_run(struct admin_ctx *, int argc, char **argv);

/* Print a command's usage line to ctx->err and return ADMIN_EXIT_USAGE. */
int		 admin_usage(struct admin_ctx *, const struct admin_command *);

/* Print "motcua: " and the message to ctx->err and return ADMIN_EXIT_FAILURE. */
int		 admin_fail(struct admin_ctx *, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));

/*
 * A table printed in ctx->format: aligned by display width for people, CSV or TSV for
 * scripts. Every cell is sanitised. Columns whose header ends in '>' are right-aligned in
 * text (the '>' is not printed).
 */
struct admin_table;
struct admin_table *admin_table_new(size_t ncolumns, const char *const *headers);
/* Add a row of ncolumns cells (NULL prints as empty). */
void		 admin_table_add(struct admin_table *, const char *const *cells);
/* Same, from printf-style cells separated by '\t' in the formatted text. */
void		 admin_table_addf(struct admin_table *, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));
/* Print to ctx->out; with bom, CSV starts with a UTF-8 byte order mark (for spreadsheets). */
void		 admin_table_print(struct admin_ctx *, const struct admin_table *, bool bom);
void		 admin_table_free(struct admin_table *);

/*
 * The session registry `sessions` reads (admin-sessions.c): one file per session process,
 * RUN/sessions/<pid>, holding its login, peer, start time and kind ("interface" or "exec");
 * its mtime is the client's last input. Readers skip (and remove) files of dead processes,
 * so the listener is never asked.
 *
 * admin_sessions_register writes the file for the calling process and returns its path (the
 * caller frees it), or NULL with *cause set. admin_sessions_touch sets its mtime to now;
 * admin_sessions_unregister removes it (NULL is fine).
 */
char		*admin_sessions_register(const char *run_dir, const char *login,
		     const char *peer, const char *kind, int64_t started, char **cause);
void		 admin_sessions_touch(const char *path);
void		 admin_sessions_unregister(const char *path);

/* The commands, each defined in its admin-<name>.c (admin.c: help). */
extern const struct admin_command admin_cmd_help;
extern const struct admin_command admin_cmd_user_add;
extern const struct admin_command admin_cmd_user_list;
extern const struct admin_command admin_cmd_user_show;
extern const struct admin_command admin_cmd_user_disable;
extern const struct admin_command admin_cmd_user_enable;
extern const struct admin_command admin_cmd_user_passwd;
extern const struct admin_command admin_cmd_user_role;
extern const struct admin_command admin_cmd_user_key_add;
extern const struct admin_command admin_cmd_user_key_list;
extern const struct admin_command admin_cmd_user_key_remove;
extern const struct admin_command admin_cmd_unit_list;
extern const struct admin_command admin_cmd_sessions;
extern const struct admin_command admin_cmd_catalog_status;
extern const struct admin_command admin_cmd_catalog_check;
extern const struct admin_command admin_cmd_catalog_reload;
extern const struct admin_command admin_cmd_calendar_due;
extern const struct admin_command admin_cmd_calendar_show;
extern const struct admin_command admin_cmd_dossier_show;
extern const struct admin_command admin_cmd_backup;
extern const struct admin_command admin_cmd_audit_verify;
extern const struct admin_command admin_cmd_report;
extern const struct admin_command admin_cmd_report_book;
extern const struct admin_command admin_cmd_report_apology;
extern const struct admin_command admin_cmd_report_slip;

/* Every command, in the order `help` lists them. */
extern const struct admin_command *const admin_commands[];
extern const size_t admin_ncommands;

#endif
