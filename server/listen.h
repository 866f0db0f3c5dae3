/*
 * listen.h: the listener of `motcuad serve`: it accepts connections on its own socket, applies
 * the per-source and global limits, forks one session process per connection and keeps
 * account of them, reloads the catalog on SIGHUP and stops them all on SIGTERM.
 */
#ifndef MOTCUA_LISTEN_H
#define MOTCUA_LISTEN_H

struct server;

/*
 * Open the listening socket for server->conf->listen. Returns the descriptor, or -1 with
 * *cause set.
 */
int	listen_open(const struct server *, char **cause);

/* Serve connections on fd until SIGTERM or SIGINT; returns the exit status. */
int	listen_run(struct server *, int fd);

#endif
