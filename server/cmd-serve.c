/*
 * cmd-serve.c: `motcuad serve`, the province SSH server, and `motcuad tui`, the interface run
 * on the local terminal for trying screens without SSH.
 *
 * serve prepares the data directory (DATA/run for lock files, the host key generated on first
 * start with mode 0600, the store created or migrated by a short-lived child so that the
 * listener itself never opens SQLite), loads the configuration and the catalog once, prints
 * the host key's fingerprint and the address, and runs the listener.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "catalog.h"
#include "cmd-serve.h"
#include "conf.h"
#include "listen.h"
#include "log.h"
#include "server.h"
#include "service.h"
#include "store.h"
#include "tui.h"
#include "xmalloc.h"

#define CMD_SERVE_USAGE \
	"usage: motcuad serve --data DIR [--catalog DIR] [--listen ADDR:PORT] [--config FILE]\n"
#define CMD_SERVE_TUI_USAGE \
	"usage: motcuad tui --data DIR --user LOGIN [--catalog DIR]\n"

/* Print serve's usage, with every configuration key. */
static void
cmd_serve_help(FILE *f)
{
	fprintf(f, CMD_SERVE_USAGE
	    "\n"
	    "Serve the officers' interface over SSH. DIR holds the store (motcua.db), the host\n"
	    "key (host_ed25519_key, made on first start) and, if present, the catalog (DIR/catalog,\n"
	    "else %s) and the configuration (DIR/motcuad.conf).\n"
	    "SIGHUP reloads the catalog; SIGTERM stops the server and its sessions.\n\n",
	    MOTCUA_CATALOG_DIR);
	conf_help(f);
}

/* Return true if path names an existing directory. */
static bool
cmd_serve_is_dir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Load a catalog, printing every problem; NULL if it does not load. */
static struct catalog *
cmd_serve_catalog(const char *dir)
{
	struct catalog_problems	 problems = { 0 };
	struct catalog		*catalog;
	size_t			 i;

	if ((catalog = catalog_load(dir, &problems)) == NULL) {
		for (i = 0; i < problems.n; i++)
			fprintf(stderr, "%s/%s\n", dir, problems.items[i]);
		fprintf(stderr, "motcuad: the catalog in %s has %zu problems\n", dir,
		    problems.n + problems.dropped);
	}
	catalog_problems_free(&problems);
	return catalog;
}

/* Load the host key, generating it (mode 0600) on first start; NULL with *cause. */
static ssh_key
cmd_serve_host_key(const char *path, char **cause)
{
	struct stat	 sb;
	ssh_key		 key = NULL;
	mode_t		 mask;
	int		 rc;

	if (stat(path, &sb) == -1) {
		if (errno != ENOENT) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return NULL;
		}
		if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
			*cause = xasprintf("cannot generate an ed25519 host key");
			return NULL;
		}
		mask = umask(077);
		rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL, path);
		umask(mask);
		if (rc != SSH_OK || chmod(path, 0600) == -1) {
			*cause = xasprintf("cannot write the host key to %s", path);
			ssh_key_free(key);
			return NULL;
		}
		log_info("generated a new host key in %s", path);
		return key;
	}
	if ((sb.st_mode & 077) != 0) {
		*cause = xasprintf("%s: the host key is readable by others (mode %03o); "
		    "chmod 600 it", path, (unsigned int)(sb.st_mode & 0777));
		return NULL;
	}
	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK) {
		*cause = xasprintf("%s: cannot read the host key", path);
		return NULL;
	}
	if (ssh_key_type(key) != SSH_KEYTYPE_ED25519) {
		*cause = xasprintf("%s: not an ed25519 key", path);
		ssh_key_free(key);
		return NULL;
	}
	return key;
}

/* The SHA256 fingerprint of a key ("SHA256:…"); the caller frees it. */
static char *
cmd_serve_fingerprint(ssh_key key)
{
	unsigned char	*hash = NULL;
	size_t		 len = 0;
	char		*text, *out;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != 0)
		return xstrdup("?");
	text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
	ssh_clean_pubkey_hash(&hash);
	out = xstrdup(text != NULL ? text : "?");
	ssh_string_free_char(text);
	return out;
}

/* Create or migrate the store in a short-lived child, so the listener never opens it. */
static int
cmd_serve_check_store(const char *db_path)
{
	struct store	*store;
	char		*cause = NULL;
	pid_t		 pid;
	int		 status;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "motcuad: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if ((store = store_open(db_path, &cause)) == NULL) {
			fprintf(stderr, "motcuad: %s\n", cause);
			_exit(1);
		}
		store_close(store);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

/* Free what serve set up; NULL members are fine. */
static void
cmd_serve_free(struct server *server)
{
	conf_free(server->conf);
	catalog_free(server->catalog);
	free(server->data_dir);
	free(server->catalog_dir);
	free(server->db_path);
	free(server->run_dir);
	free(server->host_key_path);
	free(server->fingerprint);
	if (server->bind != NULL)
		ssh_bind_free(server->bind);
}

/* motcuad serve. */
int
cmd_serve_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct server	 server;
	const char	*data = NULL, *catalog_dir = NULL, *listen = NULL, *conf_path = NULL;
	char		*cause = NULL, *path = NULL;
	ssh_key		 key;
	bool		 process_config = false;
	int		 opt, fd, status = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'c': catalog_dir = optarg; break;
		case 'l': listen = optarg; break;
		case 'f': conf_path = optarg; break;
		case 'h': cmd_serve_help(stdout); return 0;
		default: fputs(CMD_SERVE_USAGE, stderr); return 2;
		}
	}
	if (optind != argc || data == NULL) {
		fputs(CMD_SERVE_USAGE, stderr);
		return 2;
	}

	memset(&server, 0, sizeof server);
	server.conf = conf_new();
	path = xasprintf("%s/motcuad.conf", data);
	if (conf_path == NULL && access(path, F_OK) == 0)
		conf_path = path;
	if (conf_path != NULL && conf_load(server.conf, conf_path, &cause) != 0) {
		fprintf(stderr, "motcuad: %s\n", cause);
		goto out;
	}
	if (listen != NULL && conf_set(server.conf, "listen", listen, &cause) != 0) {
		fprintf(stderr, "motcuad: --listen %s\n", cause);
		status = 2;
		goto out;
	}
	log_set_level(server.conf->log_level);

	if (mkdir(data, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcuad: %s: %s\n", data, strerror(errno));
		goto out;
	}
	server.data_dir = xstrdup(data);
	server.db_path = xasprintf("%s/motcua.db", data);
	server.run_dir = xasprintf("%s/run", data);
	server.host_key_path = xasprintf("%s/host_ed25519_key", data);
	if (mkdir(server.run_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcuad: %s: %s\n", server.run_dir, strerror(errno));
		goto out;
	}
	if (catalog_dir == NULL) {
		free(path);
		path = xasprintf("%s/catalog", data);
		catalog_dir = cmd_serve_is_dir(path) ? path : MOTCUA_CATALOG_DIR;
	}
	server.catalog_dir = xstrdup(catalog_dir);
	if ((server.catalog = cmd_serve_catalog(server.catalog_dir)) == NULL)
		goto out;
	if (cmd_serve_check_store(server.db_path) != 0)
		goto out;

	if ((key = cmd_serve_host_key(server.host_key_path, &cause)) == NULL) {
		fprintf(stderr, "motcuad: %s\n", cause);
		goto out;
	}
	server.fingerprint = cmd_serve_fingerprint(key);
	server.bind = ssh_bind_new();
	ssh_bind_options_set(server.bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &process_config);
	if (ssh_bind_options_set(server.bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK) {
		fprintf(stderr, "motcuad: host key: %s\n", ssh_get_error(server.bind));
		ssh_key_free(key);
		goto out;
	}

	if ((fd = listen_open(&server, &cause)) == -1) {
		fprintf(stderr, "motcuad: %s\n", cause);
		goto out;
	}
	printf("motcuad: host key %s %s\n", server.host_key_path, server.fingerprint);
	printf("motcuad: catalog %s: %zu procedures\n", server.catalog_dir,
	    server.catalog->nprocedures);
	printf("motcuad: listening on %s\n", server.conf->listen);
	fflush(stdout);
	log_info("host key %s", server.fingerprint);
	log_info("listening on %s, data in %s, catalog %s", server.conf->listen, data,
	    server.catalog_dir);
	status = listen_run(&server, fd);
out:
	free(cause);
	free(path);
	cmd_serve_free(&server);
	return status;
}

/* motcuad tui: run the interface on the current terminal for a user of the store. */
int
cmd_serve_tui_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "catalog", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct tui_options	 tui;
	struct service		*service = NULL;
	struct catalog		*catalog = NULL;
	const char		*data = NULL, *login = NULL, *catalog_dir = NULL;
	char			*db_path = NULL, *path = NULL, *cause = NULL;
	int			 opt, status = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'u': login = optarg; break;
		case 'c': catalog_dir = optarg; break;
		default: fputs(CMD_SERVE_TUI_USAGE, stderr); return 2;
		}
	}
	if (optind != argc || data == NULL || login == NULL) {
		fputs(CMD_SERVE_TUI_USAGE, stderr);
		return 2;
	}
	if (catalog_dir == NULL) {
		path = xasprintf("%s/catalog", data);
		catalog_dir = cmd_serve_is_dir(path) ? path : MOTCUA_CATALOG_DIR;
	}
	if ((catalog = cmd_serve_catalog(catalog_dir)) == NULL)
		goto out;
	db_path = xasprintf("%s/motcua.db", data);
	if ((service = service_open(db_path, catalog, login, &cause)) == NULL) {
		fprintf(stderr, "motcuad: %s\n", cause);
		goto out;
	}
	memset(&tui, 0, sizeof tui);
	tui.idle_timeout = 0;
	tui.alert_interval = 30;
	tui.alerts_outside_office_hours = true;
	status = tui_run(service, &tui);
	if (status != 0)
		fprintf(stderr, "motcuad: the interface could not use this terminal\n");
out:
	service_close(service);
	catalog_free(catalog);
	free(db_path);
	free(path);
	free(cause);
	return status;
}
