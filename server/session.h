/*
 * session.h: one SSH connection, served in its own process forked by the listener: key
 * exchange, authentication, one session channel with a pty running the officers' interface,
 * the paced relay between them, keepalives and an orderly exit.
 */
#ifndef MOTCUA_SESSION_H
#define MOTCUA_SESSION_H

struct server;

/* Output waiting for the link above which the session stops reading the interface. */
#define SESSION_PACE_LIMIT	4096	/* bytes unacknowledged on the TCP socket */
/* The backlog above which the interface skips frames (tui_options.backlog_limit). */
#define SESSION_BACKLOG_LIMIT	2048

/*
 * Serve the connection on fd (already accepted) from peer ("ADDR:PORT"); control is the
 * socket to the listener (-1: none). Returns the process's exit status; it closes fd.
 */
int	session_run(const struct server *, int fd, int control, const char *peer);

#endif
