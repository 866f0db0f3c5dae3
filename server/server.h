/*
 * server.h: what the listener of `motcuad serve` holds and every session process inherits
 * when it forks: the configuration, the catalog, the paths of the data directory and the
 * SSH bind carrying the host key.
 */
#ifndef MOTCUA_SERVER_H
#define MOTCUA_SERVER_H

#include <libssh/libssh.h>
#include <libssh/server.h>

struct catalog;
struct conf;

struct server {
	struct conf	*conf;
	struct catalog	*catalog;	/* replaced on SIGHUP; children keep their copy */
	char		*data_dir;
	char		*catalog_dir;
	char		*db_path;	/* DATA/motcua.db */
	char		*run_dir;	/* DATA/run: lock files */
	char		*host_key_path;	/* DATA/host_ed25519_key */
	char		*fingerprint;	/* "SHA256:…" of the host key */
	ssh_bind	 bind;
};

#endif
