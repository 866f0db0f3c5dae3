/*
 * listen.c: the listener. It stays small and never opens the store: it accepts on its own
 * socket (backlog 128), closes at once a connection from a penalised source or beyond the caps
 * on unauthenticated connections (on the server and per source), and forks a session process
 * for every other one. A source is an IPv4 address or an IPv6 /64.
 *
 * Each child talks to it over a socketpair (see auth.c): "try LOGIN" before an attempt,
 * answered "ok" or "penalised SECONDS"; "fail LOGIN" for every failed attempt and "gone
 * [LOGIN]" for a connection that ended unauthenticated without one; "auth LOGIN" on success,
 * answered "ok", "full-user" or "full-server". Failures are counted twice: per source and login
 * (penalty_failures: that login is refused from that source) and per source (the much higher
 * penalty_source_failures: the source's connections are closed before SSH), so that one
 * officer mistyping does not lock out the whole office behind one NAT address. Signals only
 * write a byte to a pipe; the work happens in the poll loop.
 *
 * SIGHUP copies the catalog directory to the next generation, DATA/run/catalog.N, and loads
 * it from the copy; if it loads, new sessions get it and its copy. A failed reload logs every
 * problem and changes nothing. The copy of the previous generation is kept (a session forked
 * just before may not have started its interface yet), and so is every copy a live session
 * was forked with; the others are removed.
 *
 * While it runs, the listener holds the lock of DATA/run/motcuad.pid (its pid is in it) and,
 * after loading the catalog on start and after every reload, rewrites DATA/run/motcuad.state:
 * the generation, version and load time of the catalog served and the outcome of the last
 * attempt (see cli.h). `catalog reload` and `catalog status` read them.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "conf.h"
#include "listen.h"
#include "log.h"
#include "server.h"
#include "session.h"
#include "xmalloc.h"

#define LISTEN_BACKLOG		128
#define LISTEN_STOP_WAIT	5	/* seconds children get to end after SIGTERM */

#define LISTEN_SOURCE_SIZE	(INET6_ADDRSTRLEN + 4)	/* "ADDR" or "PREFIX::/64" */
#define LISTEN_LOGIN_SIZE	72			/* a login is at most 64 bytes */

struct listen_child {
	pid_t		 pid;
	int		 control;
	char		 source[LISTEN_SOURCE_SIZE];
	char		 peer[NI_MAXHOST + 8];
	bool		 authenticated;
	char		*login;
	time_t		 started;
	unsigned int	 generation;	/* of the catalog copy it was forked with */
	char		 buf[128];
	size_t		 used;
};

/* The recent failures of a source, or of a login from a source ("" for the source alone). */
struct listen_record {
	char		 source[LISTEN_SOURCE_SIZE];
	char		 login[LISTEN_LOGIN_SIZE];
	int		 threshold;	/* failures within penalty_window that penalise */
	time_t		*failures;	/* ring of the last threshold failure times */
	int		 nfailures;
	int		 next;
	time_t		 until;		/* penalised until */
};

struct listen_state {
	struct server		*server;
	int			 fd;
	struct listen_child	*children;
	size_t			 nchildren;
	struct listen_record	*records;
	size_t			 nrecords;
	int			 pid_fd;	/* holds the lock of DATA/run/motcuad.pid */
	unsigned int		 attempts;	/* catalog loads tried */
	time_t			 loaded_at;	/* when the catalog served was loaded */
};

static int	listen_signal_pipe[2] = { -1, -1 };

/* Signal handler: tell the poll loop which signal came, and nothing else. */
static void
listen_on_signal(int sig)
{
	int	saved = errno;
	char	c = sig == SIGCHLD ? 'C' : sig == SIGHUP ? 'H' : 'T';

	if (write(listen_signal_pipe[1], &c, 1) == -1) {
		/* The pipe is full: the loop has enough to wake up for. */
	}
	errno = saved;
}

/* Open the listening socket. */
int
listen_open(const struct server *server, char **cause)
{
	struct addrinfo	 hints, *ai = NULL;
	char		*addr = NULL, port_text[16];
	int		 port, fd = -1, on = 1, rc;

	if (conf_split_listen(server->conf->listen, &addr, &port, cause) != 0)
		return -1;
	snprintf(port_text, sizeof port_text, "%d", port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((rc = getaddrinfo(addr, port_text, &hints, &ai)) != 0) {
		*cause = xasprintf("listen %s: %s", server->conf->listen, gai_strerror(rc));
		goto out;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 || listen(fd, LISTEN_BACKLOG) == -1) {
		*cause = xasprintf("listen %s: %s", server->conf->listen, strerror(errno));
		if (fd != -1)
			close(fd);
		fd = -1;
		goto out;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
out:
	if (ai != NULL)
		freeaddrinfo(ai);
	free(addr);
	return fd;
}

/*
 * The source of a peer address: the address itself for IPv4 (also when mapped into IPv6), the
 * /64 prefix for IPv6, since one site's hosts share a /64.
 */
static void
listen_source_of(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	struct in6_addr			 prefix;
	char				 text[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		if (inet_ntop(AF_INET, &sin->sin_addr, buf, (socklen_t)size) == NULL)
			snprintf(buf, size, "?");
		return;
	}
	if (ss->ss_family != AF_INET6) {
		snprintf(buf, size, "?");
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		if (inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], buf, (socklen_t)size) == NULL)
			snprintf(buf, size, "?");
		return;
	}
	prefix = sin6->sin6_addr;
	memset(&prefix.s6_addr[8], 0, 8);
	if (inet_ntop(AF_INET6, &prefix, text, sizeof text) == NULL)
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s/64", text);
}

/* Find (or add) the record of a source, or of a login ("" for none) from a source. */
static struct listen_record *
listen_record(struct listen_state *ls, const char *source, const char *login, bool add)
{
	const struct conf	*conf = ls->server->conf;
	struct listen_record	*rec;
	size_t			 i;

	for (i = 0; i < ls->nrecords; i++) {
		rec = &ls->records[i];
		if (strcmp(rec->source, source) == 0 && strcmp(rec->login, login) == 0)
			return rec;
	}
	if (!add)
		return NULL;
	ls->records = xreallocarray(ls->records, ls->nrecords + 1, sizeof *ls->records);
	rec = &ls->records[ls->nrecords++];
	memset(rec, 0, sizeof *rec);
	snprintf(rec->source, sizeof rec->source, "%s", source);
	snprintf(rec->login, sizeof rec->login, "%s", login);
	rec->threshold = *login == '\0' ? conf->penalty_source_failures : conf->penalty_failures;
	rec->failures = xcalloc((size_t)rec->threshold, sizeof *rec->failures);
	return rec;
}

/* Seconds a source (login "") or a login from a source is still penalised for; 0 if not. */
static time_t
listen_penalised(struct listen_state *ls, const char *source, const char *login, time_t now)
{
	struct listen_record	*rec;

	if ((rec = listen_record(ls, source, login, false)) == NULL || rec->until <= now)
		return 0;
	return rec->until - now;
}

/* Forget records with no recent failure and no penalty in force. */
static void
listen_expire_records(struct listen_state *ls, time_t now)
{
	const struct conf	*conf = ls->server->conf;
	struct listen_record	*rec;
	size_t			 i = 0;
	int			 j;
	bool			 recent;

	while (i < ls->nrecords) {
		rec = &ls->records[i];
		recent = rec->until > now;
		for (j = 0; j < rec->nfailures && !recent; j++)
			recent = rec->failures[j] > now - conf->penalty_window;
		if (recent) {
			i++;
			continue;
		}
		free(rec->failures);
		ls->records[i] = ls->records[--ls->nrecords];
	}
}

/* Count one failure in a record; penalise when it has threshold within the window. */
static void
listen_count_failure(struct listen_state *ls, const char *source, const char *login,
    time_t now)
{
	const struct conf	*conf = ls->server->conf;
	struct listen_record	*rec;
	int			 i, recent = 0;

	rec = listen_record(ls, source, login, true);
	rec->failures[rec->next] = now;
	rec->next = (rec->next + 1) % rec->threshold;
	if (rec->nfailures < rec->threshold)
		rec->nfailures++;
	for (i = 0; i < rec->nfailures; i++)
		recent += rec->failures[i] > now - conf->penalty_window;
	if (recent < rec->threshold || rec->until > now)
		return;
	rec->until = now + conf->penalty_seconds;
	if (*login == '\0') {
		log_warn("penalised source %s for %d s after %d failed logins: its connections "
		    "are closed at once", source, conf->penalty_seconds, recent);
	} else {
		log_warn("penalised login %s from %s for %d s after %d failed logins", login,
		    source, conf->penalty_seconds, recent);
	}
}

/*
 * Count a failure of a child's connection: against its source and, if the login is known
 * (login NULL: it is not), against that login from its source.
 */
static void
listen_record_failure(struct listen_state *ls, struct listen_child *child, const char *login)
{
	time_t	now = time(NULL);

	if (ls->server->conf->penalty_seconds == 0)
		return;
	listen_expire_records(ls, now);
	listen_count_failure(ls, child->source, "", now);
	if (login != NULL && *login != '\0' && strlen(login) < LISTEN_LOGIN_SIZE)
		listen_count_failure(ls, child->source, login, now);
}

/* Answer a child's "try LOGIN": "penalised SECONDS" if the login is penalised from there. */
static void
listen_try(struct listen_state *ls, struct listen_child *child, const char *login)
{
	char	reply[48];
	time_t	left;

	left = listen_penalised(ls, child->source, login, time(NULL));
	if (left == 0)
		snprintf(reply, sizeof reply, "ok\n");
	else
		snprintf(reply, sizeof reply, "penalised %lld\n", (long long)left);
	if (write(child->control, reply, strlen(reply)) == -1)
		log_debug("cannot answer pid %ld: %s", (long)child->pid, strerror(errno));
}

/*
 * Count children: authenticated ones, those of a login (if not NULL), the rest, and the rest
 * from a source (if not NULL).
 */
static void
listen_count(struct listen_state *ls, const char *login, const char *source,
    size_t *authenticated, size_t *of_login, size_t *unauthenticated, size_t *of_source)
{
	size_t	i;

	*authenticated = *of_login = *unauthenticated = *of_source = 0;
	for (i = 0; i < ls->nchildren; i++) {
		if (!ls->children[i].authenticated) {
			(*unauthenticated)++;
			if (source != NULL && strcmp(ls->children[i].source, source) == 0)
				(*of_source)++;
			continue;
		}
		(*authenticated)++;
		if (login != NULL && strcmp(ls->children[i].login, login) == 0)
			(*of_login)++;
	}
}

/* Answer a child's "auth LOGIN": admit it unless a session cap is reached. */
static void
listen_admit(struct listen_state *ls, struct listen_child *child, const char *login)
{
	const struct conf	*conf = ls->server->conf;
	const char		*reply = "ok\n";
	size_t			 authenticated, of_login, unauthenticated, of_source;

	if (child->authenticated)
		return;
	listen_count(ls, login, NULL, &authenticated, &of_login, &unauthenticated, &of_source);
	if (authenticated >= (size_t)conf->max_sessions) {
		reply = "full-server\n";
		log_warn("session cap reached (%d): %s from %s refused", conf->max_sessions,
		    login, child->peer);
	} else if (strcmp(login, conf->public_login) == 0 ?
	    of_login >= (size_t)conf->max_public_sessions :
	    of_login >= (size_t)conf->max_sessions_per_user) {
		/* The public login is every citizen's: it has a cap of its own. */
		reply = "full-user\n";
		log_warn("%s already has %zu sessions: refused from %s", login, of_login,
		    child->peer);
	} else {
		child->authenticated = true;
		child->login = xstrdup(login);
	}
	if (write(child->control, reply, strlen(reply)) == -1)
		log_debug("cannot answer pid %ld: %s", (long)child->pid, strerror(errno));
}

/* Read what a child sent and act on every complete line. */
static void
listen_read_child(struct listen_state *ls, struct listen_child *child)
{
	char	*nl;
	ssize_t	 n;

	for (;;) {
		n = read(child->control, child->buf + child->used,
		    sizeof child->buf - 1 - child->used);
		if (n <= 0)
			return;
		child->used += (size_t)n;
		child->buf[child->used] = '\0';
		while ((nl = strchr(child->buf, '\n')) != NULL) {
			*nl = '\0';
			if (strncmp(child->buf, "fail ", 5) == 0)
				listen_record_failure(ls, child, child->buf + 5);
			else if (strcmp(child->buf, "gone") == 0)
				listen_record_failure(ls, child, NULL);
			else if (strncmp(child->buf, "gone ", 5) == 0)
				listen_record_failure(ls, child, child->buf + 5);
			else if (strncmp(child->buf, "try ", 4) == 0)
				listen_try(ls, child, child->buf + 4);
			else if (strncmp(child->buf, "auth ", 5) == 0)
				listen_admit(ls, child, child->buf + 5);
			child->used -= (size_t)(nl + 1 - child->buf);
			memmove(child->buf, nl + 1, child->used + 1);
		}
		if (child->used == sizeof child->buf - 1)
			child->used = 0;	/* a line too long to be ours */
	}
}

/* Remove a child from the table (after it was reaped). */
static void
listen_remove_child(struct listen_state *ls, size_t i)
{
	struct listen_child	*child = &ls->children[i];

	listen_read_child(ls, child);
	close(child->control);
	free(child->login);
	ls->children[i] = ls->children[--ls->nchildren];
}

/*
 * Remove the catalog copies no one needs: all but the current generation, the one before and
 * those live children were forked with.
 */
static void
listen_prune(struct listen_state *ls)
{
	struct server	*server = ls->server;
	unsigned int	*keep;
	size_t		 nkeep = 0, i;
	char		*cause = NULL;

	keep = xreallocarray(NULL, ls->nchildren + 2, sizeof *keep);
	keep[nkeep++] = server->catalog_generation;
	if (server->catalog_generation > 1)
		keep[nkeep++] = server->catalog_generation - 1;
	for (i = 0; i < ls->nchildren; i++)
		keep[nkeep++] = ls->children[i].generation;
	if (cli_snapshot_prune(server->run_dir, keep, nkeep, &cause) != 0) {
		log_warn("cannot remove an old copy of the catalog: %s", cause);
		free(cause);
	}
	free(keep);
}

/* Reap every exited child, logging the ones that did not end normally. */
static void
listen_reap(struct listen_state *ls)
{
	struct listen_child	*child;
	size_t			 i;
	pid_t			 pid;
	int			 status;
	bool			 prune = false;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < ls->nchildren; i++) {
			if (ls->children[i].pid == pid)
				break;
		}
		if (i == ls->nchildren)
			continue;
		child = &ls->children[i];
		if (WIFSIGNALED(status)) {
			log_warn("session process %ld (%s from %s) ended by signal %d after "
			    "%lld s", (long)pid, child->login != NULL ? child->login :
			    "not authenticated", child->peer, WTERMSIG(status),
			    (long long)(time(NULL) - child->started));
		} else if (WEXITSTATUS(status) != 0) {
			log_warn("session process %ld (%s) exited with status %d", (long)pid,
			    child->peer, WEXITSTATUS(status));
		}
		/* It may have been the last to use an old copy of the catalog. */
		if (child->generation + 1 < ls->server->catalog_generation)
			prune = true;
		listen_remove_child(ls, i);
	}
	if (prune)
		listen_prune(ls);
}

/* Rewrite DATA/run/motcuad.state after an attempt to load the catalog. */
static void
listen_write_state(struct listen_state *ls, bool ok, size_t problems)
{
	struct server		*server = ls->server;
	struct cli_state	 state;
	char			*cause = NULL;

	memset(&state, 0, sizeof state);
	state.pid = getpid();
	state.generation = server->catalog_generation;
	cli_catalog_version(server->catalog, state.version);
	state.loaded_at = ls->loaded_at;
	state.procedures = server->catalog->nprocedures;
	state.attempts = ++ls->attempts;
	state.attempt_at = time(NULL);
	state.attempt_ok = ok;
	state.attempt_problems = problems;
	state.catalog_dir = server->catalog_dir;
	state.catalog_copy = server->catalog_copy;
	if (cli_state_write(server->run_dir, &state, &cause) != 0) {
		log_warn("cannot write the state file: %s", cause);
		free(cause);
	}
}

/*
 * Reload the catalog through a copy of the next generation; keep everything as it was, the
 * old catalog included, if the copy fails or the new catalog has problems.
 */
static void
listen_reload(struct listen_state *ls)
{
	struct server		*server = ls->server;
	struct catalog_problems	 problems = { 0 };
	struct catalog		*catalog;
	unsigned int		 generation = server->catalog_generation + 1;
	char			*copy = NULL, *cause = NULL;
	size_t			 i;

	log_info("SIGHUP: reloading the catalog from %s", server->catalog_dir);
	catalog = cli_snapshot(server->catalog_dir, server->run_dir, generation, &copy,
	    &problems, &cause);
	if (catalog == NULL) {
		if (cause != NULL)
			log_error("cannot copy the catalog: %s", cause);
		for (i = 0; i < problems.n; i++)
			log_error("%s/%s", server->catalog_dir, problems.items[i]);
		if (problems.dropped != 0)
			log_error("%zu more problems not shown", problems.dropped);
		if (cause == NULL) {
			log_error("catalog not reloaded: %zu problems; keeping the previous "
			    "catalog (%s)", problems.n + problems.dropped, server->catalog_copy);
		} else {
			log_error("catalog not reloaded; keeping the previous catalog (%s)",
			    server->catalog_copy);
		}
		listen_write_state(ls, false, problems.n + problems.dropped);
		goto out;
	}
	catalog_free(server->catalog);
	server->catalog = catalog;
	free(server->catalog_copy);
	server->catalog_copy = copy;
	server->catalog_generation = generation;
	ls->loaded_at = time(NULL);
	log_info("catalog reloaded: %zu procedures; new sessions use %s",
	    server->catalog->nprocedures, server->catalog_copy);
	listen_write_state(ls, true, 0);
	listen_prune(ls);
out:
	catalog_problems_free(&problems);
	free(cause);
}

/* In a new child: drop what belongs to the listener and serve the connection. */
static void
listen_child_main(struct listen_state *ls, int fd, int control, const char *peer)
{
	size_t	i;

	close(ls->fd);
	close(ls->pid_fd);
	close(listen_signal_pipe[0]);
	close(listen_signal_pipe[1]);
	for (i = 0; i < ls->nchildren; i++)
		close(ls->children[i].control);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	_exit(session_run(ls->server, fd, control, peer));
}

/* Accept one connection: refuse it at once or fork its session. */
static void
listen_accept(struct listen_state *ls)
{
	const struct conf	*conf = ls->server->conf;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	struct listen_child	*child;
	char			 addr[NI_MAXHOST], port[NI_MAXSERV], peer[NI_MAXHOST + 8];
	char			 source[LISTEN_SOURCE_SIZE];
	size_t			 authenticated, of_login, unauthenticated, of_source;
	time_t			 now = time(NULL), left;
	pid_t			 pid;
	int			 fd, pair[2];

	if ((fd = accept4(ls->fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	if (getnameinfo((struct sockaddr *)&ss, len, addr, sizeof addr, port, sizeof port,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(addr, sizeof addr, "?");
		snprintf(port, sizeof port, "?");
	}
	snprintf(peer, sizeof peer, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", addr, port);

	listen_source_of(&ss, source, sizeof source);

	listen_expire_records(ls, now);
	if ((left = listen_penalised(ls, source, "", now)) != 0) {
		log_info("refused %s: source penalised (%s, too many failed logins) for %lld "
		    "more s; closed before SSH", peer, source, (long long)left);
		close(fd);
		return;
	}
	listen_count(ls, NULL, source, &authenticated, &of_login, &unauthenticated,
	    &of_source);
	if (unauthenticated >= (size_t)conf->max_unauthenticated ||
	    ls->nchildren >= (size_t)(conf->max_sessions + conf->max_unauthenticated)) {
		log_warn("refused %s: %zu connections still authenticating", peer,
		    unauthenticated);
		close(fd);
		return;
	}
	if (of_source >= (size_t)conf->max_unauthenticated_per_source) {
		log_warn("refused %s: %zu connections from %s still authenticating", peer,
		    of_source, source);
		close(fd);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1) {
		log_error("socketpair: %s", strerror(errno));
		close(fd);
		return;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		close(fd);
		close(pair[0]);
		close(pair[1]);
		return;
	}
	if (pid == 0) {
		close(pair[0]);
		listen_child_main(ls, fd, pair[1], peer);
	}
	close(fd);
	close(pair[1]);
	fcntl(pair[0], F_SETFL, fcntl(pair[0], F_GETFL) | O_NONBLOCK);

	ls->children = xreallocarray(ls->children, ls->nchildren + 1, sizeof *ls->children);
	child = &ls->children[ls->nchildren++];
	memset(child, 0, sizeof *child);
	child->pid = pid;
	child->control = pair[0];
	child->started = now;
	child->generation = ls->server->catalog_generation;
	snprintf(child->source, sizeof child->source, "%s", source);
	snprintf(child->peer, sizeof child->peer, "%s", peer);
}

/* Stop every child: SIGTERM, a few seconds' grace, then SIGKILL. */
static void
listen_stop_children(struct listen_state *ls)
{
	struct timespec	pause = { 0, 50 * 1000 * 1000 };
	size_t		i;
	time_t		deadline = time(NULL) + LISTEN_STOP_WAIT;

	for (i = 0; i < ls->nchildren; i++)
		kill(ls->children[i].pid, SIGTERM);
	while (ls->nchildren != 0 && time(NULL) < deadline) {
		listen_reap(ls);
		nanosleep(&pause, NULL);
	}
	for (i = 0; i < ls->nchildren; i++)
		kill(ls->children[i].pid, SIGKILL);
	while (ls->nchildren != 0 && waitpid(-1, NULL, 0) > 0)
		listen_reap(ls);
	while (ls->nchildren != 0)
		listen_remove_child(ls, 0);
}

/* Install the signal handlers that feed the self-pipe. */
static int
listen_signals(void)
{
	struct sigaction	sa;

	if (pipe2(listen_signal_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = listen_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* The poll loop. */
int
listen_run(struct server *server, int fd)
{
	struct listen_state	 ls;
	struct pollfd		*pfds = NULL;
	size_t			 i, n;
	char			 c, *path, *cause = NULL;
	bool			 stop = false, reload, reap;

	memset(&ls, 0, sizeof ls);
	ls.server = server;
	ls.fd = fd;
	if (listen_signals() != 0) {
		log_error("cannot set up signals: %s", strerror(errno));
		return 1;
	}
	/* After the handlers: a reload asked once the pid is known must not end the server. */
	if ((ls.pid_fd = cli_pid_lock(server->run_dir, &cause)) == -1) {
		log_error("%s", cause);
		free(cause);
		return 1;
	}
	ls.loaded_at = time(NULL);
	listen_write_state(&ls, true, 0);
	while (!stop) {
		n = 2 + ls.nchildren;
		pfds = xreallocarray(pfds, n, sizeof *pfds);
		pfds[0].fd = ls.fd;
		pfds[0].events = POLLIN;
		pfds[1].fd = listen_signal_pipe[0];
		pfds[1].events = POLLIN;
		for (i = 0; i < ls.nchildren; i++) {
			pfds[2 + i].fd = ls.children[i].control;
			pfds[2 + i].events = POLLIN;
		}
		if (poll(pfds, n, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			break;
		}
		reload = reap = false;
		if (pfds[1].revents & POLLIN) {
			while (read(listen_signal_pipe[0], &c, 1) == 1) {
				if (c == 'C')
					reap = true;
				else if (c == 'H')
					reload = true;
				else
					stop = true;
			}
		}
		/* Messages first: a child's last "fail" must count before it is reaped. */
		for (i = 0; i < ls.nchildren && 2 + i < n; i++) {
			if (pfds[2 + i].revents & (POLLIN | POLLHUP))
				listen_read_child(&ls, &ls.children[i]);
		}
		if (reap)
			listen_reap(&ls);
		if (reload)
			listen_reload(&ls);
		if (!stop && (pfds[0].revents & POLLIN))
			listen_accept(&ls);
	}
	log_info("shutting down: stopping %zu sessions", ls.nchildren);
	close(ls.fd);
	listen_stop_children(&ls);
	for (i = 0; i < ls.nrecords; i++)
		free(ls.records[i].failures);
	free(ls.records);
	free(ls.children);
	free(pfds);
	/* The state file first: a pid file without its lock already says "not running". */
	path = xasprintf("%s/" CLI_STATE_FILE, server->run_dir);
	unlink(path);
	free(path);
	path = xasprintf("%s/" CLI_PID_FILE, server->run_dir);
	unlink(path);
	free(path);
	close(ls.pid_fd);
	log_info("stopped");
	return 0;
}
