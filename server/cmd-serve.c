/*
 * cmd-serve.c: `motcuad serve`, the province SSH server.
 *
 * serve first closes every descriptor it inherited beyond 0 to 2 and sets the umask to 077, so
 * that nothing it creates is readable by others. It prepares the data directory (warning if
 * group or others can read it; DATA/run for lock files, the host key generated on first start
 * with mode 0600, the store created or migrated by a short-lived child so that the listener
 * itself never opens SQLite, mode 0600), loads the configuration and the catalog once, prints
 * the host key's fingerprint and the address, and runs the listener.
 *
 * The catalog is loaded from a copy of the catalog directory, DATA/run/catalog.1, made after
 * the copies a previous run left in DATA/run are removed; the interfaces of the sessions load
 * the same copy (see server.h). The copies are removed when serve stops.
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
#include "cli.h"
#include "cmd-serve.h"
#include "conf.h"
#include "listen.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

#define CMD_SERVE_USAGE \
	"usage: motcuad serve --data DIR [--catalog DIR] [--listen ADDR:PORT] [--config FILE]\n"

/* Print serve's usage, with every configuration key. */
static void
cmd_serve_help(FILE *f)
{
	fprintf(f, CMD_SERVE_USAGE
	    "\n"
	    "Serve the officers' interface over SSH. DIR holds the store (motcua.db), the host\n"
	    "key (host_ed25519_key, made on first start) and, if present, the catalog (DIR/catalog,\n"
	    "else %s) and the configuration (DIR/motcuad.conf).\n"
	    "SIGHUP reloads the catalog; new sessions load the copy of it loaded last\n"
	    "(DIR/run/catalog.N). SIGTERM stops the server and its sessions.\n\n",
	    MOTCUA_CATALOG_DIR);
	conf_help(f);
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

/* Warn if group or others may read or enter the data directory. */
static void
cmd_serve_check_data_mode(const char *data)
{
	struct stat	sb;

	if (stat(data, &sb) == 0 && (sb.st_mode & 077) != 0) {
		log_warn("the data directory %s is open to group or others (mode %03o): it holds "
		    "the store and the host key; chmod 700 it", data,
		    (unsigned int)(sb.st_mode & 0777));
	}
}

/* Make the store readable by its owner only, whatever mode an older start left it with. */
static int
cmd_serve_store_mode(const char *db_path)
{
	struct stat	sb;

	if (stat(db_path, &sb) == -1) {
		fprintf(stderr, "motcuad: %s: %s\n", db_path, strerror(errno));
		return -1;
	}
	if ((sb.st_mode & 077) == 0)
		return 0;
	if (chmod(db_path, 0600) == -1) {
		fprintf(stderr, "motcuad: %s: %s\n", db_path, strerror(errno));
		return -1;
	}
	log_warn("%s was open to group or others (mode %03o): made 0600", db_path,
	    (unsigned int)(sb.st_mode & 0777));
	return 0;
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

/*
 * Remove the catalog copies of an earlier run, then copy the catalog and load it from the
 * copy as generation 1; every problem is printed. Returns 0, or -1.
 */
static int
cmd_serve_load_catalog(struct server *server)
{
	struct catalog_problems	 problems = { 0 };
	char			*cause = NULL;
	int			 ret = -1;

	if (cli_snapshot_prune(server->run_dir, NULL, 0, &cause) != 0) {
		fprintf(stderr, "motcuad: cannot remove an old copy of the catalog: %s\n", cause);
		goto out;
	}
	server->catalog = cli_snapshot(server->catalog_dir, server->run_dir, 1,
	    &server->catalog_copy, &problems, &cause);
	if (server->catalog == NULL) {
		if (cause != NULL)
			fprintf(stderr, "motcuad: cannot copy the catalog: %s\n", cause);
		else
			cli_print_problems(server->catalog_dir, &problems);
		goto out;
	}
	server->catalog_generation = 1;
	ret = 0;
out:
	catalog_problems_free(&problems);
	free(cause);
	return ret;
}

/* Free what serve set up; NULL members are fine. */
static void
cmd_serve_free(struct server *server)
{
	conf_free(server->conf);
	catalog_free(server->catalog);
	free(server->data_dir);
	free(server->catalog_dir);
	free(server->catalog_copy);
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

	/* Before anything is opened: nothing inherited, nothing readable by others. */
	if (cli_close_from(3) != 0) {
		fprintf(stderr, "motcuad: cannot close inherited descriptors: %s\n",
		    strerror(errno));
		return 1;
	}
	umask(077);

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
	if (conf_check(server.conf, &cause) != 0) {
		fprintf(stderr, "motcuad: %s%s%s\n", conf_path != NULL ? conf_path : "",
		    conf_path != NULL ? ": " : "", cause);
		goto out;
	}
	log_set_level(server.conf->log_level);

	if (mkdir(data, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcuad: %s: %s\n", data, strerror(errno));
		goto out;
	}
	cmd_serve_check_data_mode(data);
	server.data_dir = xstrdup(data);
	server.db_path = xasprintf("%s/motcua.db", data);
	server.run_dir = xasprintf("%s/run", data);
	server.host_key_path = xasprintf("%s/host_ed25519_key", data);
	if (mkdir(server.run_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "motcuad: %s: %s\n", server.run_dir, strerror(errno));
		goto out;
	}
	server.catalog_dir = catalog_dir != NULL ? xstrdup(catalog_dir) : cli_catalog_dir(data);
	if (cmd_serve_load_catalog(&server) != 0)
		goto out;
	if (cmd_serve_check_store(server.db_path) != 0 || cmd_serve_store_mode(server.db_path) != 0)
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
	log_info("catalog %s copied to %s: %zu procedures; new sessions use the copy",
	    server.catalog_dir, server.catalog_copy, server.catalog->nprocedures);
	status = listen_run(&server, fd);
out:
	/* Every session has ended (or none began): no interface still needs a copy. */
	if (server.catalog_copy != NULL) {
		free(cause);
		cause = NULL;
		if (cli_snapshot_prune(server.run_dir, NULL, 0, &cause) != 0)
			log_warn("cannot remove a copy of the catalog: %s", cause);
	}
	free(cause);
	free(path);
	cmd_serve_free(&server);
	return status;
}
