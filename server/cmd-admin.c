/*
 * cmd-admin.c: the administrators' commands (admin.h) on the command line. `motcuad admin`
 * runs one on the server host, for bootstrap and recovery, as actor 0 ("local"); `motcuad
 * exec` is what an SSH session executes for an administrator's exec request (exec.c): it
 * checks the user again in the store before it splits and runs the request; `motcuad init`
 * makes a production data directory with its first administrator.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "catalog.h"
#include "cli.h"
#include "cmd-admin.h"
#include "conf.h"
#include "dossier.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

#define CMD_ADMIN_USAGE \
	"usage: motcuad admin [--data DIR] [--catalog DIR] COMMAND [ARGS]\n" \
	"       motcuad admin --data DIR help   lists the commands\n"
#define CMD_ADMIN_INIT_USAGE \
	"usage: motcuad init --data DIR [--catalog DIR] [--admin LOGIN]\n" \
	"           [--key FILE | --generate-password]\n"

/* Where a command runs: the paths of the data directory and who runs it. */
struct cmd_admin_where {
	const char	*data;
	const char	*catalog_dir;	/* the maintainers' catalog */
	const char	*catalog_copy;	/* the served copy to load, or NULL: catalog_dir */
	int64_t		 actor;
	const char	*login;
	bool		 remote;
};

/* The paths and handles a context points into. */
struct cmd_admin_env {
	struct admin_ctx	 ctx;
	char			*db_path;
	char			*run_dir;
	struct catalog		*catalog;
	struct store		*store;
};

/*
 * Open the store (which must exist unless create) and load the catalog for a context.
 * Returns 0, or -1 after printing why on stderr.
 */
static int
cmd_admin_open(struct cmd_admin_env *env, const struct cmd_admin_where *where, bool create)
{
	char	*cause = NULL;

	memset(env, 0, sizeof *env);
	env->db_path = xasprintf("%s/motcua.db", where->data);
	env->run_dir = xasprintf("%s/run", where->data);
	if (!create && access(env->db_path, F_OK) != 0) {
		fprintf(stderr, "motcua: no store at %s (run 'motcuad init --data %s' first)\n",
		    env->db_path, where->data);
		return -1;
	}
	env->catalog = cli_load_catalog(where->catalog_copy != NULL ? where->catalog_copy :
	    where->catalog_dir);
	if (env->catalog == NULL)
		return -1;
	if ((env->store = store_open(env->db_path, &cause)) == NULL) {
		fprintf(stderr, "motcua: %s\n", cause);
		free(cause);
		return -1;
	}
	env->ctx.data_dir = where->data;
	env->ctx.db_path = env->db_path;
	env->ctx.run_dir = env->run_dir;
	env->ctx.catalog_dir = where->catalog_dir;
	env->ctx.catalog_copy = where->catalog_copy;
	env->ctx.catalog = env->catalog;
	env->ctx.store = env->store;
	env->ctx.actor = where->actor;
	env->ctx.login = where->login;
	env->ctx.remote = where->remote;
	env->ctx.format = ADMIN_FORMAT_TEXT;
	env->ctx.now = service_clock(env->catalog);
	env->ctx.in = stdin;
	env->ctx.out = stdout;
	env->ctx.err = stderr;
	return 0;
}

/* Close what cmd_admin_open opened. */
static void
cmd_admin_close(struct cmd_admin_env *env)
{
	store_close(env->store);
	catalog_free(env->catalog);
	free(env->db_path);
	free(env->run_dir);
}

/* motcuad admin [--data DIR] [--catalog DIR] COMMAND ARGS... */
int
cmd_admin_exec(int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_admin_where		 where;
	struct cmd_admin_env		 env;
	char				*catalog_dir = NULL;
	int				 opt, status = ADMIN_EXIT_FAILURE;

	memset(&where, 0, sizeof where);
	where.data = getenv("MOTCUA_DATA");
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (opt) {
		case 'd': where.data = optarg; break;
		case 'c': where.catalog_dir = optarg; break;
		case 'h': fputs(CMD_ADMIN_USAGE, stdout); return 0;
		default: fputs(CMD_ADMIN_USAGE, stderr); return ADMIN_EXIT_USAGE;
		}
	}
	if (optind == argc || where.data == NULL || *where.data == '\0') {
		fputs(CMD_ADMIN_USAGE, stderr);
		if (where.data == NULL)
			fputs("(--data DIR is needed unless MOTCUA_DATA is set)\n", stderr);
		return ADMIN_EXIT_USAGE;
	}
	if (where.catalog_dir == NULL)
		where.catalog_dir = catalog_dir = cli_catalog_dir(where.data);
	where.actor = 0;
	where.login = "local";
	where.remote = false;
	if (cmd_admin_open(&env, &where, false) == 0)
		status = admin_run(&env.ctx, argc - optind, argv + optind);
	cmd_admin_close(&env);
	free(catalog_dir);
	return status;
}

/*
 * Check that the login names an enabled administrator; *id receives the user's id. Returns
 * 0, or -1 after printing why on stderr.
 */
static int
cmd_admin_check_user(struct store *store, const char *login, int64_t *id)
{
	struct store_user	*user = NULL;
	char			*cause = NULL;
	int			 status = -1;

	if (store_user_by_login(store, login, &user, &cause) != 0) {
		fprintf(stderr, "motcua: %s\n", cause);
		free(cause);
		return -1;
	}
	if (user == NULL || user->disabled || user->role != ROLE_ADMIN) {
		fprintf(stderr, "motcua: commands are for administrators; connect without one "
		    "to use the interface\n");
		goto out;
	}
	*id = user->id;
	status = 0;
out:
	store_user_free(user);
	return status;
}

/* motcuad exec --data DIR --catalog DIR --copy DIR --user LOGIN --command CMD (internal). */
int
cmd_admin_remote_exec(int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "copy", required_argument, NULL, 'y' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_admin_where		 where;
	struct cmd_admin_env		 env;
	const char			*command = NULL;
	char				**words = NULL, *cause = NULL;
	int				 opt, nwords, status = ADMIN_EXIT_FAILURE;

	memset(&where, 0, sizeof where);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': where.data = optarg; break;
		case 'c': where.catalog_dir = optarg; break;
		case 'y': where.catalog_copy = optarg; break;
		case 'u': where.login = optarg; break;
		case 'x': command = optarg; break;
		default:
			fprintf(stderr, "motcua: internal command, started by the server\n");
			return ADMIN_EXIT_USAGE;
		}
	}
	if (optind != argc || where.data == NULL || where.catalog_dir == NULL ||
	    where.catalog_copy == NULL || where.login == NULL || command == NULL) {
		fprintf(stderr, "motcua: internal command, started by the server\n");
		return ADMIN_EXIT_USAGE;
	}
	where.remote = true;
	if (cmd_admin_open(&env, &where, false) != 0)
		goto out;
	/* The session checked the role at login; the store may have changed since. */
	if (cmd_admin_check_user(env.store, where.login, &env.ctx.actor) != 0)
		goto out;
	if (admin_split(command, &nwords, &words, &cause) != 0) {
		fprintf(stderr, "motcua: %s\n", cause);
		status = ADMIN_EXIT_USAGE;
		goto out;
	}
	status = admin_run(&env.ctx, nwords, words);
out:
	free(cause);
	admin_free_words(words);
	cmd_admin_close(&env);
	return status;
}

/* Write DATA/motcuad.conf with every default commented out, unless it exists. */
static int
cmd_admin_init_conf(const char *data)
{
	FILE	*f, *mem;
	char	*path, *text = NULL, *line, *next;
	size_t	 size = 0;
	int	 fd, status = -1;

	path = xasprintf("%s/motcuad.conf", data);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1) {
		if (errno == EEXIST) {
			printf("kept %s\n", path);
			status = 0;
		} else
			fprintf(stderr, "motcua: %s: %s\n", path, strerror(errno));
		free(path);
		return status;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		free(path);
		return -1;
	}
	if ((mem = open_memstream(&text, &size)) != NULL) {
		conf_help(mem);
		fclose(mem);
	}
	fprintf(f, "# motcuad.conf: settings of `motcuad serve`, `key = value` lines.\n"
	    "# Every setting is shown with its default; remove the # to change one.\n#\n");
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		fprintf(f, "#%s%s\n", *line != '\0' ? " " : "", line);
	}
	free(text);
	if (fclose(f) == 0) {
		printf("wrote %s\n", path);
		status = 0;
	} else
		fprintf(stderr, "motcua: %s: %s\n", path, strerror(errno));
	free(path);
	return status;
}

/* Run one admin command with argv in the context; its exit status. */
static int
cmd_admin_run_words(struct admin_ctx *ctx, const char *const *words)
{
	int	argc = 0;

	while (words[argc] != NULL)
		argc++;
	return admin_run(ctx, argc, (char **)words);
}

/* motcuad init --data DIR [--catalog DIR] [--admin LOGIN] [--key FILE | --generate-password] */
int
cmd_admin_init_exec(int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "admin", required_argument, NULL, 'a' },
		{ "key", required_argument, NULL, 'k' },
		{ "generate-password", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_admin_where		 where;
	struct cmd_admin_env		 env;
	struct store_user		**users = NULL;
	const char			*login = "admin", *key = NULL;
	const char			*add[] = { "user", "add", NULL, "--name",
					    "Administrator", "--role", "admin",
					    "--generate-password", NULL };
	const char			*add_key[] = { "user", "key", "add", NULL, NULL };
	char				*catalog_dir = NULL, *run = NULL, *cause = NULL;
	FILE				*keys = NULL;
	size_t				 nusers = 0;
	bool				 generate = false;
	int				 opt, status = ADMIN_EXIT_FAILURE;

	memset(&where, 0, sizeof where);
	memset(&env, 0, sizeof env);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': where.data = optarg; break;
		case 'c': where.catalog_dir = optarg; break;
		case 'a': login = optarg; break;
		case 'k': key = optarg; break;
		case 'g': generate = true; break;
		case 'h': fputs(CMD_ADMIN_INIT_USAGE, stdout); return 0;
		default: fputs(CMD_ADMIN_INIT_USAGE, stderr); return ADMIN_EXIT_USAGE;
		}
	}
	if (optind != argc || where.data == NULL || (key != NULL && generate)) {
		fputs(CMD_ADMIN_INIT_USAGE, stderr);
		return ADMIN_EXIT_USAGE;
	}
	umask(077);
	if (key != NULL && (keys = fopen(key, "re")) == NULL) {
		fprintf(stderr, "motcua: %s: %s\n", key, strerror(errno));
		return ADMIN_EXIT_FAILURE;
	}
	if (mkdir(where.data, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcua: %s: %s\n", where.data, strerror(errno));
		goto out;
	}
	run = xasprintf("%s/run", where.data);
	if (mkdir(run, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcua: %s: %s\n", run, strerror(errno));
		goto out;
	}
	if (where.catalog_dir == NULL)
		where.catalog_dir = catalog_dir = cli_catalog_dir(where.data);
	where.actor = 0;
	where.login = "local";
	if (cmd_admin_open(&env, &where, true) != 0)
		goto out;
	if (store_user_list(env.store, &users, &nusers, &cause) != 0) {
		fprintf(stderr, "motcua: %s\n", cause);
		goto out;
	}
	store_user_list_free(users, nusers);
	if (nusers != 0) {
		fprintf(stderr, "motcua: %s already has users; use 'motcuad admin --data %s "
		    "user add' instead\n", where.data, where.data);
		goto out;
	}
	if (cmd_admin_init_conf(where.data) != 0)
		goto out;
	if (store_admin_event(env.store, 0, "init", where.data, NULL, env.ctx.now,
	    &cause) != 0) {
		fprintf(stderr, "motcua: %s\n", cause);
		goto out;
	}
	add[2] = login;
	if (key != NULL)
		add[7] = NULL;	/* key only: no password */
	if ((status = cmd_admin_run_words(&env.ctx, add)) != ADMIN_EXIT_OK)
		goto out;
	if (keys != NULL) {
		add_key[3] = login;
		env.ctx.in = keys;
		if ((status = cmd_admin_run_words(&env.ctx, add_key)) != ADMIN_EXIT_OK)
			goto out;
	}
	printf("initialised %s: start the server with 'motcuad serve --data %s'\n",
	    where.data, where.data);
	status = ADMIN_EXIT_OK;
out:
	if (keys != NULL)
		fclose(keys);
	if (env.db_path != NULL)
		cmd_admin_close(&env);
	free(cause);
	free(run);
	free(catalog_dir);
	return status;
}
