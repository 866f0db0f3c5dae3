/* motcuad.c: the motcua province server's command line: one table of subcommands and main. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "catalog.h"
#include "cli.h"
#include "cmd-admin.h"
#include "cmd-demo.h"
#include "cmd-interface.h"
#include "cmd-publish.h"
#include "cmd-serve.h"
#include "xmalloc.h"

#define MOTCUAD_EXIT_FAILURE	1	/* the work could not be done; the message says why */
#define MOTCUAD_EXIT_USAGE	2	/* the command line was wrong */

struct motcuad_command {
	const char	*name;		/* "catalog check" */
	const char	*usage;		/* arguments after the name */
	const char	*summary;
	int		(*exec)(int, char **);
	bool		 hidden;	/* internal: not listed by --help */
};

static int	motcuad_catalog_check(int, char **);
static int	motcuad_calendar_due(int, char **);

static const struct motcuad_command motcuad_commands[] = {
	{
		.name = "catalog check",
		.usage = "[DIR]",
		.summary = "check a procedure catalog and report every problem",
		.exec = motcuad_catalog_check,
	},
	{
		.name = "calendar due",
		.usage = "[--catalog DIR] --from \"YYYY-MM-DD HH:MM\" "
		    "(--days N | --same-day | --procedure CODE)",
		.summary = "print when work received at a given time is due",
		.exec = motcuad_calendar_due,
	},
	{
		.name = "serve",
		.usage = "--data DIR [--catalog DIR] [--listen ADDR:PORT] [--config FILE]",
		.summary = "serve the officers' interface over SSH (--help lists the settings)",
		.exec = cmd_serve_exec,
	},
	{
		.name = "demo",
		.usage = "[--data DIR] [--listen ADDR:PORT] [--catalog DIR]",
		.summary = "create a demo province (users, dossiers) if missing and serve it",
		.exec = cmd_demo_exec,
	},
	{
		.name = "tui",
		.usage = "--data DIR (--user LOGIN | --public) [--catalog DIR]",
		.summary = "run the officers' or the public interface on this terminal, without SSH",
		.exec = cmd_interface_tui_exec,
	},
	{
		.name = "publish",
		.usage = "--data DIR --out DIR [--catalog DIR] [--date YYYY-MM-DD]",
		.summary = "write the public board as static HTML and CSV for the web portal",
		.exec = cmd_publish_exec,
	},
	{
		.name = "init",
		.usage = "--data DIR [--catalog DIR] [--admin LOGIN] "
		    "[--key FILE | --generate-password]",
		.summary = "create a data directory and its first administrator",
		.exec = cmd_admin_init_exec,
	},
	{
		.name = "admin",
		.usage = "[--data DIR] [--catalog DIR] COMMAND [ARGS] ('admin help' lists them)",
		.summary = "run an administrators' command on this host (see motcua-admin(8))",
		.exec = cmd_admin_exec,
	},
	{
		/* What an SSH session executes for an administrator's command; see exec.c. */
		.name = "exec",
		.usage = "--data DIR --catalog DIR --copy DIR --user LOGIN --command CMD",
		.summary = "one administrator's command over SSH (internal)",
		.exec = cmd_admin_remote_exec,
		.hidden = true,
	},
	{
		/* What an SSH session executes on its pty; see cmd-interface.c. */
		.name = "interface",
		.usage = "--data DIR --catalog DIR --user LOGIN ...",
		.summary = "the interface of one SSH session (internal)",
		.exec = cmd_interface_exec,
		.hidden = true,
	},
};
#define MOTCUAD_NCOMMANDS (sizeof motcuad_commands / sizeof motcuad_commands[0])

/* Print the list of subcommands to f. */
static void
motcuad_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: motcuad COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < MOTCUAD_NCOMMANDS; i++) {
		if (motcuad_commands[i].hidden)
			continue;
		fprintf(f, "  %s %s\n      %s\n", motcuad_commands[i].name,
		    motcuad_commands[i].usage, motcuad_commands[i].summary);
	}
	fprintf(f, "\nThe default catalog is %s.\n"
	    "Exit status: 0 success, 1 failure (the message says why), 2 wrong usage.\n",
	    MOTCUA_CATALOG_DIR);
}

/* Print one command's usage line to stderr and return the usage exit status. */
static int
motcuad_command_usage(const char *name)
{
	size_t	i;

	for (i = 0; i < MOTCUAD_NCOMMANDS; i++) {
		if (strcmp(motcuad_commands[i].name, name) == 0) {
			fprintf(stderr, "usage: motcuad %s %s\n", name, motcuad_commands[i].usage);
			break;
		}
	}
	return MOTCUAD_EXIT_USAGE;
}

/* motcuad catalog check [DIR]: validate a catalog; every problem on stderr, a summary on stdout. */
static int
motcuad_catalog_check(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return motcuad_command_usage("catalog check");
	return cli_check_catalog(argc == 2 ? argv[1] : MOTCUA_CATALOG_DIR, stdout, stderr) == 0 ?
	    0 : MOTCUAD_EXIT_FAILURE;
}

/* motcuad calendar due: print the due time of work received at --from. */
static int
motcuad_calendar_due(int argc, char **argv)
{
	static const struct option options[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "days", required_argument, NULL, 'd' },
		{ "same-day", no_argument, NULL, 's' },
		{ "procedure", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const struct catalog_procedure	*procedure;
	struct catalog			*catalog = NULL;
	const char			*dir = MOTCUA_CATALOG_DIR, *from_text = NULL;
	const char			*days_text = NULL, *code = NULL;
	char				*cause = NULL, due_text[32];
	bool				 same_day = false;
	int64_t				 from, due;
	int				 opt, centidays = 0, status = MOTCUAD_EXIT_FAILURE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'c': dir = optarg; break;
		case 'f': from_text = optarg; break;
		case 'd': days_text = optarg; break;
		case 's': same_day = true; break;
		case 'p': code = optarg; break;
		default: return motcuad_command_usage("calendar due");
		}
	}
	if (optind != argc || from_text == NULL ||
	    (days_text != NULL) + same_day + (code != NULL) != 1)
		return motcuad_command_usage("calendar due");
	if (days_text != NULL && cli_parse_days(days_text, &centidays) != 0) {
		fprintf(stderr, "motcuad: --days %s: expected working days such as 5 or 0.5\n",
		    days_text);
		return MOTCUAD_EXIT_USAGE;
	}

	if ((catalog = cli_load_catalog(dir)) == NULL)
		goto out;
	if (code != NULL) {
		if ((procedure = catalog_procedure(catalog, code)) == NULL) {
			fprintf(stderr, "motcuad: no procedure %s in %s\n", code, dir);
			goto out;
		}
		if (procedure->no_deadline) {
			fprintf(stderr, "motcuad: procedure %s has no legal time limit\n", code);
			goto out;
		}
		centidays = procedure->variants[0].duration.centidays;
		same_day = procedure->variants[0].duration.same_day;
	}
	if (calendar_parse_local(catalog->calendar, from_text, &from, &cause) != 0 ||
	    calendar_due(catalog->calendar, from, centidays, same_day, &due, &cause) != 0) {
		fprintf(stderr, "motcuad: %s\n", cause);
		goto out;
	}
	calendar_format_local(catalog->calendar, due, due_text, sizeof due_text);
	printf("%s\n", due_text);
	status = 0;
out:
	free(cause);
	catalog_free(catalog);
	return status;
}

/* Return true if the command's name is the one or two words at the start of argv. */
static bool
motcuad_command_matches(const struct motcuad_command *command, int argc, char **argv)
{
	const char	*space = strchr(command->name, ' ');
	size_t		 first;

	if (space == NULL)
		return strcmp(command->name, argv[0]) == 0;
	first = (size_t)(space - command->name);
	return argc >= 2 && strlen(argv[0]) == first &&
	    strncmp(command->name, argv[0], first) == 0 && strcmp(space + 1, argv[1]) == 0;
}

/* Find the subcommand named by the first one or two words of the arguments and run it. */
int
main(int argc, char **argv)
{
	const struct motcuad_command	*command;
	size_t				 i, words;

	setlocale(LC_ALL, "C.UTF-8");
	if (argc < 2) {
		motcuad_usage(stderr);
		return MOTCUAD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		motcuad_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("motcuad %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < MOTCUAD_NCOMMANDS; i++) {
		command = &motcuad_commands[i];
		if (!motcuad_command_matches(command, argc - 1, argv + 1))
			continue;
		words = strchr(command->name, ' ') != NULL ? 2 : 1;
		/* The command sees its last word as argv[0], then its own arguments. */
		return command->exec(argc - (int)words, argv + words);
	}
	fprintf(stderr, "motcuad: unknown command '%s%s%s'; `motcuad --help` lists them\n",
	    argv[1], argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
	return MOTCUAD_EXIT_USAGE;
}
