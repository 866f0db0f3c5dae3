/*
 * server.h: what the listener of `motcuad serve` holds and every session process inherits
 * when it forks: the configuration, the catalog, the paths of the data directory and the
 * SSH bind carrying the host key.
 *
 * The catalog served is never read from the maintainers' directory directly: on start and on
 * every SIGHUP it is copied to DATA/run/catalog.<generation> and loaded from that copy, and
 * each new interface loads the same copy, so that every session gets exactly the catalog the
 * listener validated last, whatever state the maintainers' directory is in.
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
	char		*catalog_dir;	/* the maintainers' catalog, read on start and SIGHUP */
	char		*catalog_copy;	/* DATA/run/catalog.<generation>, what catalog came from */
	unsigned int	 catalog_generation;	/* 1 on start, one more per reload */
	char		*db_path;	/* DATA/motcua.db */
	char		*run_dir;	/* DATA/run: lock files, catalog copies */
	char		*host_key_path;	/* DATA/host_ed25519_key */
	char		*fingerprint;	/* "SHA256:…" of the host key */
	ssh_bind	 bind;
};

#endif
