/*
 * fuzz-admin.c: the libFuzzer target of the administrators' command line (admin.h): an exec
 * request is split into words (admin_split) and looked up in the table (admin_find).
 *
 * The input, up to its first NUL, is the request. Besides not crashing: words hold no control
 * character but TAB and are valid UTF-8; requests without quotes or backslashes split at
 * blanks; the words, quoted again two ways, split back into the same words; and admin_find
 * returns the command with the longest name at the start of the words.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "fuzz.h"
#include "text.h"
#include "xmalloc.h"

/* Return true if a word is valid UTF-8 with no control character other than TAB. */
static bool
fuzz_admin_word_ok(const char *w)
{
	unsigned int	cp;
	long		at;

	if (!text_utf8_valid(w, strlen(w), NULL))
		return false;
	while ((at = text_find_control(w, &cp)) != -1) {
		if (cp != '\t')
			return false;
		w += at + 1;
	}
	return true;
}

/*
 * Quote words: style 0 in single quotes ('\'' for a quote), style 1 with a backslash before
 * each ASCII character (never inside a multibyte one, which would no longer be UTF-8).
 */
static char *
fuzz_admin_quote(int argc, char **argv, int style)
{
	size_t	 size = 1, len = 0, i;
	char	*out;
	int	 k;

	for (k = 0; k < argc; k++)
		size += 4 * strlen(argv[k]) + 3;
	out = xmalloc(size);
	for (k = 0; k < argc; k++) {
		if (k > 0)
			out[len++] = ' ';
		if (style == 0)
			out[len++] = '\'';
		for (i = 0; argv[k][i] != '\0'; i++) {
			if (style == 0 && argv[k][i] == '\'') {
				memcpy(out + len, "'\\''", 4);
				len += 4;
				continue;
			}
			if (style == 1 && (unsigned char)argv[k][i] < 0x80)
				out[len++] = '\\';
			out[len++] = argv[k][i];
		}
		if (style == 0)
			out[len++] = '\'';
		else if (argv[k][0] == '\0') {
			out[len++] = '"';
			out[len++] = '"';
		}
	}
	out[len] = '\0';
	return out;
}

/* Check that the quoted words split back into the same words. */
static void
fuzz_admin_round_trip(int argc, char **argv, int style)
{
	char	*line, **again = NULL, *cause = NULL;
	int	 n = 0, k;

	line = fuzz_admin_quote(argc, argv, style);
	if (strlen(line) <= ADMIN_MAX_COMMAND) {
		FUZZ_CHECK(admin_split(line, &n, &again, &cause) == 0);
		FUZZ_CHECK(n == argc);
		for (k = 0; k < argc; k++)
			FUZZ_CHECK(strcmp(again[k], argv[k]) == 0);
		admin_free_words(again);
	}
	free(line);
}

/* Check the words of a request that has no quote and no backslash: split at blanks. */
static void
fuzz_admin_plain(const char *command, int argc, char **argv)
{
	const char	*p = command;
	size_t		 len;
	int		 k = 0;

	for (;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		len = strcspn(p, " \t");
		FUZZ_CHECK(k < argc && strlen(argv[k]) == len && memcmp(argv[k], p, len) == 0);
		k++;
		p += len;
	}
	FUZZ_CHECK(k == argc);
}

/* Return how many words of argv the command's name is, or 0 if argv does not start with it. */
static int
fuzz_admin_match(const char *name, int argc, char **argv)
{
	size_t	len;
	int	k = 0;

	for (;;) {
		len = strcspn(name, " ");
		if (k == argc || strlen(argv[k]) != len || strncmp(argv[k], name, len) != 0)
			return 0;
		k++;
		if (name[len] == '\0')
			return k;
		name += len + 1;
	}
}

/* Check admin_find against a scan of the whole table. */
static void
fuzz_admin_lookup(int argc, char **argv)
{
	const struct admin_command	*c;
	size_t				 i;
	int				 consumed = -1, most = 0, m;

	for (i = 0; i < admin_ncommands; i++) {
		m = fuzz_admin_match(admin_commands[i]->name, argc, argv);
		if (m > most)
			most = m;
	}
	c = admin_find(argc, argv, &consumed);
	if (most == 0) {
		FUZZ_CHECK(c == NULL && consumed == 0);
		return;
	}
	FUZZ_CHECK(c != NULL && consumed == most);
	FUZZ_CHECK(fuzz_admin_match(c->name, argc, argv) == most);
	FUZZ_CHECK(c->exec != NULL && c->usage != NULL && c->summary != NULL);
}

/* One input: an exec request, then every command name put in front of its words. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*command, **argv = NULL, **both, *cause = NULL, *name, *w;
	size_t	 i;
	int	 argc = -1, k, n;

	command = fuzz_string(data, size);
	if (admin_split(command, &argc, &argv, &cause) != 0) {
		FUZZ_CHECK(argv == NULL && argc == 0);
		FUZZ_CHECK(fuzz_plain(cause));
		free(cause);
		free(command);
		return 0;
	}
	FUZZ_CHECK(argv != NULL && argc >= 0 && argc <= ADMIN_MAX_WORDS);
	FUZZ_CHECK(argv[argc] == NULL);
	for (k = 0; k < argc; k++)
		FUZZ_CHECK(fuzz_admin_word_ok(argv[k]));
	if (strpbrk(command, "'\"\\") == NULL)
		fuzz_admin_plain(command, argc, argv);
	fuzz_admin_round_trip(argc, argv, 0);
	fuzz_admin_round_trip(argc, argv, 1);
	fuzz_admin_lookup(argc, argv);

	/* The same words after each command's name. */
	both = xcalloc((size_t)argc + 8, sizeof *both);
	for (i = 0; i < admin_ncommands; i++) {
		name = xstrdup(admin_commands[i]->name);
		n = 0;
		for (w = strtok(name, " "); w != NULL && n < 4; w = strtok(NULL, " "))
			both[n++] = w;
		for (k = 0; k < argc; k++)
			both[n + k] = argv[k];
		both[n + argc] = NULL;
		fuzz_admin_lookup(n + argc, both);
		free(name);
	}
	free(both);
	admin_free_words(argv);
	free(command);
	return 0;
}
