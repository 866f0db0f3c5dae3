/* cmd-demo.c: `motcuad demo`: a demo province on a data directory of its own, then serve it. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "catalog.h"
#include "cli.h"
#include "cmd-demo.h"
#include "cmd-serve.h"
#include "demo.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

#define CMD_DEMO_USAGE \
	"usage: motcuad demo [--data DIR] [--listen ADDR:PORT] [--catalog DIR]\n"
#define CMD_DEMO_PASSWORD	"demo"

/*
 * Fill the store with the demo users and dossiers if it has none yet, then print who can log
 * in. Runs in a child process: the listener that serves afterwards never opens the store.
 */
static int
cmd_demo_populate(const char *db_path, const char *catalog_dir, const char *listen)
{
	struct store_user	**users = NULL;
	struct catalog		 *catalog;
	struct store		 *store = NULL;
	const char		 *port;
	char			 *hash = NULL, *cause = NULL;
	const char		 *port_text;
	size_t			  i, n = 0;
	int			  status = 1, host_len;

	if ((catalog = cli_load_catalog(catalog_dir)) == NULL)
		return 1;
	if (auth_hash_password(CMD_DEMO_PASSWORD, &hash, &cause) != 0 ||
	    demo_populate(db_path, catalog, hash, service_clock(catalog), &cause) != 0 ||
	    (store = store_open(db_path, &cause)) == NULL ||
	    store_user_list(store, &users, &n, &cause) != 0) {
		fprintf(stderr, "motcuad: demo: %s\n", cause);
		goto out;
	}

	printf("\nDemo users, all with the password \"%s\":\n", CMD_DEMO_PASSWORD);
	for (i = 0; i < n; i++) {
		printf("  %-16s %-10s %-6s %-10s %s\n", users[i]->login,
		    dossier_role_name(users[i]->role),
		    users[i]->unit != NULL ? users[i]->unit : "",
		    users[i]->department != NULL ? users[i]->department : "",
		    users[i]->full_name);
	}
	port = strrchr(listen, ':');
	port_text = port != NULL ? port + 1 : "22";
	host_len = port != NULL ? (int)(port - listen) : (int)strlen(listen);
	printf("\nConnect with:  ssh -p %s tiepnhan.tpsl@%.*s\n", port_text, host_len, listen);
	printf("PuTTY:         plink -ssh -P %s tiepnhan.tpsl@%.*s\n", port_text, host_len,
	    listen);
	printf("Administrator: ssh -p %s admin@%.*s help\n", port_text, host_len, listen);
	printf("Citizens:      ssh -p %s tracuu@%.*s   (no password: lookup and public board)"
	    "\n\n", port_text, host_len, listen);
	status = 0;
out:
	store_user_list_free(users, n);
	store_close(store);
	catalog_free(catalog);
	free(hash);
	free(cause);
	return status;
}

/* motcuad demo: create the demo data directory if missing, fill it, then serve it. */
int
cmd_demo_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*data = "demo-data", *listen = "127.0.0.1:2222";
	const char	*catalog = MOTCUA_CATALOG_DIR;
	char		*own_catalog, *db_path, *cause = NULL;
	char		*serve_argv[8];
	struct stat	 sb;
	pid_t		 pid;
	int		 opt, status = 1, wstatus;

	umask(077);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'l': listen = optarg; break;
		case 'c': catalog = optarg; break;
		case 'h': fputs(CMD_DEMO_USAGE, stdout); return 0;
		default: fputs(CMD_DEMO_USAGE, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(CMD_DEMO_USAGE, stderr);
		return 2;
	}

	own_catalog = xasprintf("%s/catalog", data);
	db_path = xasprintf("%s/motcua.db", data);
	if (mkdir(data, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcuad: %s: %s\n", data, strerror(errno));
		goto out;
	}
	if (stat(own_catalog, &sb) != 0) {
		printf("motcuad: demo: copying the catalog %s to %s\n", catalog, own_catalog);
		if (cli_copy_tree(catalog, own_catalog, &cause) != 0) {
			fprintf(stderr, "motcuad: demo: %s\n", cause);
			/* A partial copy would be taken for the demo's catalog next time. */
			free(cause);
			cause = NULL;
			if (cli_remove_tree(own_catalog, &cause) != 0)
				fprintf(stderr, "motcuad: demo: %s\n", cause);
			goto out;
		}
	}
	printf("motcuad: demo: preparing %s (users and dossiers around today)\n", db_path);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "motcuad: fork: %s\n", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		status = cmd_demo_populate(db_path, own_catalog, listen);
		fflush(NULL);
		_exit(status);
	}
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus) != 0)
		goto out;

	serve_argv[0] = (char *)"serve";
	serve_argv[1] = (char *)"--data";
	serve_argv[2] = (char *)data;
	serve_argv[3] = (char *)"--listen";
	serve_argv[4] = (char *)listen;
	serve_argv[5] = NULL;
	status = cmd_serve_exec(5, serve_argv);
out:
	free(own_catalog);
	free(db_path);
	free(cause);
	return status;
}
