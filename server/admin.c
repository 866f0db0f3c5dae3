/*
 * admin.c: the table of administrators' commands, the splitting of an exec request into
 * words, lookup by the longest name, `help`, and the tables every listing prints as text, CSV
 * or TSV.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "text.h"
#include "xmalloc.h"

/* Every command, grouped by its first word, in the order `help` lists them. */
const struct admin_command *const admin_commands[] = {
	&admin_cmd_help,
	&admin_cmd_user_add,
	&admin_cmd_user_list,
	&admin_cmd_user_show,
	&admin_cmd_user_disable,
	&admin_cmd_user_enable,
	&admin_cmd_user_passwd,
	&admin_cmd_user_role,
	&admin_cmd_user_key_add,
	&admin_cmd_user_key_list,
	&admin_cmd_user_key_remove,
	&admin_cmd_unit_list,
	&admin_cmd_sessions,
	&admin_cmd_catalog_status,
	&admin_cmd_catalog_check,
	&admin_cmd_catalog_reload,
	&admin_cmd_calendar_due,
	&admin_cmd_calendar_show,
	&admin_cmd_dossier_show,
	&admin_cmd_backup,
	&admin_cmd_audit_verify,
	&admin_cmd_report,
	&admin_cmd_report_book,
	&admin_cmd_report_apology,
	&admin_cmd_report_slip,
};
const size_t admin_ncommands = sizeof admin_commands / sizeof admin_commands[0];

struct admin_table {
	size_t	  ncolumns;
	char	**headers;
	bool	 *right;
	char	***rows;
	size_t	  nrows;
};

/* Add one word to the vector being built. */
static int
admin_split_add(char ***argv, int *argc, const char *word, size_t len, char **cause)
{
	if (*argc == ADMIN_MAX_WORDS) {
		*cause = xasprintf("too many words (at most %d)", ADMIN_MAX_WORDS);
		return -1;
	}
	*argv = xreallocarray(*argv, (size_t)*argc + 2, sizeof **argv);
	(*argv)[(*argc)++] = xstrndup(word, len);
	(*argv)[*argc] = NULL;
	return 0;
}

/* Check that a request is text: valid UTF-8, no control character but TAB (a blank). */
static int
admin_split_check(const char *command, char **cause)
{
	const char	*p = command;
	unsigned int	 cp;
	size_t		 len = strlen(command), bad;
	long		 at;

	if (len > ADMIN_MAX_COMMAND) {
		*cause = xasprintf("the command is too long (at most %d bytes)",
		    ADMIN_MAX_COMMAND);
		return -1;
	}
	if (!text_utf8_valid(command, len, &bad)) {
		*cause = xasprintf("invalid UTF-8 at byte %zu of the command", bad);
		return -1;
	}
	while ((at = text_find_control(p, &cp)) != -1) {
		if (cp != '\t') {
			*cause = xasprintf("control character U+%04X at byte %ld of the "
			    "command", cp, (long)(p - command) + at);
			return -1;
		}
		p += at + 1;
	}
	return 0;
}

/* Split an exec request into words, shell-like but expanding nothing. */
int
admin_split(const char *command, int *argc, char ***argv, char **cause)
{
	char		*word;
	const char	*p;
	size_t		 len = 0;
	char		 quote = '\0';
	bool		 in_word = false;

	*argc = 0;
	*argv = xcalloc(1, sizeof **argv);
	if (admin_split_check(command, cause) != 0)
		goto fail;
	word = xmalloc(strlen(command) + 1);
	for (p = command; *p != '\0'; p++) {
		if (quote == '\'') {
			if (*p == '\'')
				quote = '\0';
			else
				word[len++] = *p;
			continue;
		}
		if (*p == '\\') {
			if (p[1] == '\0') {
				*cause = xstrdup("a backslash ends the command");
				free(word);
				goto fail;
			}
			word[len++] = *++p;
			in_word = true;
			continue;
		}
		if (quote == '"') {
			if (*p == '"')
				quote = '\0';
			else
				word[len++] = *p;
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			if (in_word && admin_split_add(argv, argc, word, len, cause) != 0) {
				free(word);
				goto fail;
			}
			in_word = false;
			len = 0;
			continue;
		}
		if (*p == '\'' || *p == '"')
			quote = *p;
		else
			word[len++] = *p;
		in_word = true;
	}
	if (quote != '\0') {
		*cause = xasprintf("unterminated %s quote", quote == '"' ? "double" : "single");
		free(word);
		goto fail;
	}
	if (in_word && admin_split_add(argv, argc, word, len, cause) != 0) {
		free(word);
		goto fail;
	}
	free(word);
	return 0;

fail:
	admin_free_words(*argv);
	*argv = NULL;
	*argc = 0;
	return -1;
}

/* Free a vector from admin_split. */
void
admin_free_words(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Return how many words of argv a command's name takes, or 0 if it does not name it. */
static int
admin_match(const struct admin_command *command, int argc, char **argv)
{
	const char	*name = command->name, *space;
	size_t		 len;
	int		 words = 0;

	for (;;) {
		space = strchr(name, ' ');
		len = space != NULL ? (size_t)(space - name) : strlen(name);
		if (words == argc || strlen(argv[words]) != len ||
		    strncmp(argv[words], name, len) != 0)
			return 0;
		words++;
		if (space == NULL)
			return words;
		name = space + 1;
	}
}

/* Find a command by the longest name at the start of argv. */
const struct admin_command *
admin_find(int argc, char **argv, int *consumed)
{
	const struct admin_command	*best = NULL;
	size_t				 i;
	int				 words, most = 0;

	for (i = 0; i < admin_ncommands; i++) {
		words = admin_match(admin_commands[i], argc, argv);
		if (words > most) {
			most = words;
			best = admin_commands[i];
		}
	}
	if (consumed != NULL)
		*consumed = most;
	return best;
}

/* Return true if word is the first word of some command's name. */
static bool
admin_is_group(const char *word)
{
	size_t	i, len = strlen(word);

	for (i = 0; i < admin_ncommands; i++) {
		if (strncmp(admin_commands[i]->name, word, len) == 0 &&
		    admin_commands[i]->name[len] == ' ')
			return true;
	}
	return false;
}

static void	admin_vmessage(struct admin_ctx *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Print a message with the "motcua: " prefix, sanitised, on ctx->err. */
static void
admin_vmessage(struct admin_ctx *ctx, const char *fmt, va_list ap)
{
	char	*text, *clean;
	size_t	 len;

	text = xvasprintf(fmt, ap);
	len = strlen(text);
	while (len != 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	clean = text_sanitise(text);
	fprintf(ctx->err, "motcua: %s\n", clean);
	free(clean);
	free(text);
}

/* Print a failure and return ADMIN_EXIT_FAILURE. */
int
admin_fail(struct admin_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	admin_vmessage(ctx, fmt, ap);
	va_end(ap);
	return ADMIN_EXIT_FAILURE;
}

/* Print a command's usage line on ctx->err and return ADMIN_EXIT_USAGE. */
int
admin_usage(struct admin_ctx *ctx, const struct admin_command *command)
{
	fprintf(ctx->err, "usage: %s%s%s%s\n", command->name,
	    command->usage[0] != '\0' ? " " : "", command->usage,
	    command->tabular ? " [--format text|csv|tsv]" : "");
	return ADMIN_EXIT_USAGE;
}

/* Print a command's usage, summary and help paragraph to f. */
static void
admin_help_one(FILE *f, const struct admin_command *command)
{
	fprintf(f, "usage: %s%s%s%s\n\n%s.\n", command->name,
	    command->usage[0] != '\0' ? " " : "", command->usage,
	    command->tabular ? " [--format text|csv|tsv]" : "", command->summary);
	if (command->help != NULL && command->help[0] != '\0')
		fprintf(f, "\n%s%s", command->help,
		    command->help[strlen(command->help) - 1] == '\n' ? "" : "\n");
	if (command->tabular) {
		fprintf(f, "\n--format text prints aligned columns (the default); csv prints "
		    "RFC 4180 CSV\nin UTF-8; tsv prints one line per row, cells separated by tabs.\n");
	}
}

/* Return the length of the first word of a command's name. */
static size_t
admin_group_len(const struct admin_command *command)
{
	const char	*space = strchr(command->name, ' ');

	return space != NULL ? (size_t)(space - command->name) : strlen(command->name);
}

/* Print every command, a blank line between groups, to f. */
static void
admin_help_all(FILE *f)
{
	const struct admin_command	*command, *previous = NULL;
	size_t				 i, width = 0, len;

	for (i = 0; i < admin_ncommands; i++) {
		if ((len = strlen(admin_commands[i]->name)) > width)
			width = len;
	}
	fprintf(f, "usage: COMMAND [ARGS]; 'help COMMAND' or 'COMMAND --help' explains "
	    "one.\n");
	for (i = 0; i < admin_ncommands; i++) {
		command = admin_commands[i];
		len = admin_group_len(command);
		if (previous == NULL || admin_group_len(previous) != len ||
		    strncmp(previous->name, command->name, len) != 0)
			fputc('\n', f);
		fprintf(f, "  %-*s  %s\n", (int)width, command->name, command->summary);
		previous = command;
	}
	fprintf(f, "\nExit status: 0 success, 1 failure (the message says why), "
	    "2 wrong usage.\n");
}

/* help [COMMAND]: list the commands, or explain one. */
static int
admin_help_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	const struct admin_command	*command;
	char				*clean;
	int				 consumed;

	if (argc == 1) {
		admin_help_all(ctx->out);
		return ADMIN_EXIT_OK;
	}
	command = admin_find(argc - 1, argv + 1, &consumed);
	if (command == NULL || consumed != argc - 1) {
		clean = text_sanitise(argv[1]);
		fprintf(ctx->err, "motcua: no command '%s'; run 'help' for the list\n", clean);
		free(clean);
		return ADMIN_EXIT_USAGE;
	}
	admin_help_one(ctx->out, command);
	return ADMIN_EXIT_OK;
}

const struct admin_command admin_cmd_help = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "list the commands, or explain one",
	.help = "Without an argument, lists every command with one line about it. With a\n"
	    "command's name (\"help user add\"), prints its usage and what it does.",
	.exec = admin_help_exec,
};

/*
 * Take --format F (or --format=F) out of argv, setting ctx->format. Returns 0, or -1 if the
 * value is missing or unknown.
 */
static int
admin_take_format(struct admin_ctx *ctx, int *argc, char **argv)
{
	const char	*value;
	int		 i, j, skip;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--format") == 0) {
			if (i + 1 >= *argc)
				return -1;
			value = argv[i + 1];
			skip = 2;
		} else if (strncmp(argv[i], "--format=", 9) == 0) {
			value = argv[i] + 9;
			skip = 1;
		} else
			continue;
		if (strcmp(value, "text") == 0)
			ctx->format = ADMIN_FORMAT_TEXT;
		else if (strcmp(value, "csv") == 0)
			ctx->format = ADMIN_FORMAT_CSV;
		else if (strcmp(value, "tsv") == 0)
			ctx->format = ADMIN_FORMAT_TSV;
		else
			return -1;
		for (j = i; j + skip <= *argc; j++)
			argv[j] = argv[j + skip];
		*argc -= skip;
		i--;
	}
	return 0;
}

/* Run a command line. */
int
admin_run(struct admin_ctx *ctx, int argc, char **argv)
{
	const struct admin_command	 *command;
	char				**args, *clean, *safe;
	int				  consumed, nargs, i, status;

	if (argc == 0) {
		admin_help_all(ctx->err);
		return ADMIN_EXIT_USAGE;
	}
	if ((command = admin_find(argc, argv, &consumed)) == NULL) {
		if (argc > 1 && admin_is_group(argv[0]))
			clean = xasprintf("%s %s", argv[0], argv[1]);
		else
			clean = xstrdup(argv[0]);
		safe = text_sanitise(clean);
		fprintf(ctx->err, "motcua: unknown command '%s'; run 'help' for the list\n",
		    safe);
		free(safe);
		free(clean);
		return ADMIN_EXIT_USAGE;
	}
	/* The command sees the last word of its name as argv[0], then its arguments. */
	nargs = argc - consumed + 1;
	args = xcalloc((size_t)nargs + 1, sizeof *args);
	for (i = 0; i < nargs; i++)
		args[i] = argv[consumed - 1 + i];
	for (i = 1; i < nargs; i++) {
		if (strcmp(args[i], "--") == 0)
			break;
		if (strcmp(args[i], "--help") == 0) {
			admin_help_one(ctx->out, command);
			free(args);
			return ADMIN_EXIT_OK;
		}
	}
	ctx->format = ADMIN_FORMAT_TEXT;
	if (command->tabular && admin_take_format(ctx, &nargs, args) != 0) {
		fprintf(ctx->err, "motcua: --format takes text, csv or tsv\n");
		status = admin_usage(ctx, command);
	} else
		status = command->exec(ctx, nargs, args);
	free(args);
	fflush(ctx->out);
	fflush(ctx->err);
	return status;
}

/* Make a cell safe: tabs and line breaks become spaces, other controls '?'. */
static char *
admin_table_cell(const char *s)
{
	char	*copy, *p, *clean;

	if (s == NULL)
		return xstrdup("");
	copy = xstrdup(s);
	for (p = copy; *p != '\0'; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	}
	clean = text_sanitise(copy);
	free(copy);
	return clean;
}

/* Create a table with the given column headers. */
struct admin_table *
admin_table_new(size_t ncolumns, const char *const *headers)
{
	struct admin_table	*t;
	size_t			 i, len;

	t = xcalloc(1, sizeof *t);
	t->ncolumns = ncolumns;
	t->headers = xcalloc(ncolumns, sizeof *t->headers);
	t->right = xcalloc(ncolumns, sizeof *t->right);
	for (i = 0; i < ncolumns; i++) {
		len = strlen(headers[i]);
		if (len != 0 && headers[i][len - 1] == '>') {
			t->right[i] = true;
			t->headers[i] = xstrndup(headers[i], len - 1);
		} else
			t->headers[i] = xstrdup(headers[i]);
	}
	return t;
}

/* Add a row of cells. */
void
admin_table_add(struct admin_table *t, const char *const *cells)
{
	char	**row;
	size_t	  i;

	row = xcalloc(t->ncolumns, sizeof *row);
	for (i = 0; i < t->ncolumns; i++)
		row[i] = admin_table_cell(cells[i]);
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	t->rows[t->nrows++] = row;
}

/* Add a row formatted as cells separated by tabs. */
void
admin_table_addf(struct admin_table *t, const char *fmt, ...)
{
	va_list		  ap;
	char		 *text, *p, *tab;
	const char	**cells;
	size_t		  i;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	cells = xcalloc(t->ncolumns, sizeof *cells);
	p = text;
	for (i = 0; i < t->ncolumns && p != NULL; i++) {
		cells[i] = p;
		if ((tab = strchr(p, '\t')) != NULL && i + 1 < t->ncolumns) {
			*tab = '\0';
			p = tab + 1;
		} else
			p = NULL;
	}
	admin_table_add(t, cells);
	free(cells);
	free(text);
}

/* Print one CSV cell, quoted when it must be. */
static void
admin_table_csv_cell(FILE *f, const char *cell)
{
	const char	*p;
	size_t		 len = strlen(cell);

	if (strpbrk(cell, ",\"\r\n") == NULL &&
	    (len == 0 || (cell[0] != ' ' && cell[len - 1] != ' '))) {
		fputs(cell, f);
		return;
	}
	fputc('"', f);
	for (p = cell; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* Print one row (the headers if row is the headers) in the table's format. */
static void
admin_table_print_row(FILE *f, const struct admin_table *t, char *const *row,
    enum admin_format format, const int *widths)
{
	size_t	i;
	int	pad, last = (int)t->ncolumns - 1;

	/* In text, nothing is printed after the last non-empty cell: no trailing blanks. */
	while (format == ADMIN_FORMAT_TEXT && last > 0 && row[last][0] == '\0')
		last--;
	for (i = 0; i < t->ncolumns; i++) {
		if (format == ADMIN_FORMAT_TEXT && (int)i > last)
			break;
		switch (format) {
		case ADMIN_FORMAT_CSV:
			if (i != 0)
				fputc(',', f);
			admin_table_csv_cell(f, row[i]);
			break;
		case ADMIN_FORMAT_TSV:
			if (i != 0)
				fputc('\t', f);
			fputs(row[i], f);
			break;
		case ADMIN_FORMAT_TEXT:
			if (i != 0)
				fputs("  ", f);
			pad = widths[i] - text_width(row[i]);
			if (pad < 0)
				pad = 0;
			if (t->right[i])
				fprintf(f, "%*s%s", pad, "", row[i]);
			else if ((int)i == last)
				fputs(row[i], f);
			else
				fprintf(f, "%s%*s", row[i], pad, "");
			break;
		}
	}
	fputs(format == ADMIN_FORMAT_CSV ? "\r\n" : "\n", f);
}

/* Print a table in ctx->format on ctx->out. */
void
admin_table_print(struct admin_ctx *ctx, const struct admin_table *t, bool bom)
{
	int	*widths, w;
	size_t	 i, j;

	widths = xcalloc(t->ncolumns, sizeof *widths);
	for (i = 0; i < t->ncolumns; i++) {
		widths[i] = text_width(t->headers[i]);
		for (j = 0; j < t->nrows; j++) {
			if ((w = text_width(t->rows[j][i])) > widths[i])
				widths[i] = w;
		}
	}
	if (bom && ctx->format == ADMIN_FORMAT_CSV)
		fputs("\xef\xbb\xbf", ctx->out);
	admin_table_print_row(ctx->out, t, t->headers, ctx->format, widths);
	for (j = 0; j < t->nrows; j++)
		admin_table_print_row(ctx->out, t, t->rows[j], ctx->format, widths);
	free(widths);
}

/* Free a table. */
void
admin_table_free(struct admin_table *t)
{
	size_t	i, j;

	if (t == NULL)
		return;
	for (j = 0; j < t->nrows; j++) {
		for (i = 0; i < t->ncolumns; i++)
			free(t->rows[j][i]);
		free(t->rows[j]);
	}
	free(t->rows);
	for (i = 0; i < t->ncolumns; i++)
		free(t->headers[i]);
	free(t->headers);
	free(t->right);
	free(t);
}
