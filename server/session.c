/*
 * session.c: one SSH connection in its own process.
 *
 * The key exchange runs under kex_timeout (or the login grace, if shorter) and authentication
 * under the login grace deadline and max_auth_tries. Afterwards the session is non-blocking: one session channel is accepted;
 * a shell with a pty starts the interface (tty.c), anything else is refused with a message and
 * exit status 1; port forwarding, agent and X11 forwarding and subsystems are refused by not
 * being accepted. Output of the interface is read only while the socket's unacknowledged bytes
 * stay under SESSION_PACE_LIMIT and the channel window allows, and the backlog (bytes unsent on
 * the socket, still buffered in libssh, read but not yet handed to libssh, and still in the
 * pty) is published to the interface so it can skip frames. Keepalives detect a dead link.
 * The exit order is: drain the interface's output, exit-status, EOF, close, wait for the
 * client's close, disconnect.
 *
 * An exec request of an administrator runs one command of the admin table in a fresh process
 * (exec.c) with its standard descriptors on pipes: its output is relayed on the channel (its
 * errors as extended data), paced by the channel window and the socket's unsent bytes in big
 * reads, the client's data goes to its input with EOF on the channel's EOF, and its exit
 * status is the channel's. Anyone else is refused with exit status 1. Every session registers
 * itself under DATA/run/sessions for `sessions` (admin-sessions.c).
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "admin.h"
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "exec.h"
#include "log.h"
#include "tty.h"
#include "server.h"
#include "session.h"
#include "xmalloc.h"

#define SESSION_CLOSE_WAIT	15000	/* ms to wait for the client's close; a slow link is slow */
#define SESSION_REAP_WAIT	2000	/* ms to wait for the interface after a hangup */
#define SESSION_IDLE_SLACK	60	/* s after idle_timeout before the session ends it */
#define SESSION_THROTTLE_POLL	20	/* ms between looks at the socket while paced */
#define SESSION_MAX_COLS	400	/* the largest terminal the interface is given */
#define SESSION_MAX_ROWS	200
#define SESSION_TRIM_QUIET	1000	/* ms without traffic before free memory is returned */
#define SESSION_EXEC_BUFFER	(256 * 1024)	/* bytes of one read of a command's output */
#define SESSION_EXEC_PACE	(4 * 1024 * 1024)	/* bytes unsent above which it waits */
#define SESSION_EXEC_POLL	2	/* ms between looks at the socket while paced */
#define SESSION_EXEC_WAIT	10000	/* ms to wait for a command after its output ended */
#define SESSION_TOUCH_EVERY	30000	/* ms between marks of input in the registry */

enum session_state {
	SESSION_WAITING,	/* no shell yet */
	SESSION_STARTING,	/* shell with a pty accepted: start the interface */
	SESSION_REFUSING,	/* write the refusal, then finish */
	SESSION_RUNNING,	/* the interface runs */
	SESSION_EXEC_STARTING,	/* an administrator's exec accepted: start the command */
	SESSION_EXECUTING,	/* the command runs */
	SESSION_FINISHING,	/* the interface is gone: send what is left, then close */
	SESSION_CLOSING,	/* close sent: wait for the client's */
	SESSION_DONE
};

struct session {
	const struct server			*server;
	const struct conf			*conf;
	int					 fd;
	int					 control;
	const char				*peer;
	ssh_session				 ssh;
	ssh_event				 event;
	ssh_channel				 channel;
	struct ssh_server_callbacks_struct	 server_cb;
	struct ssh_channel_callbacks_struct	 channel_cb;
	struct ssh_counter_struct		 socket_counter;
	struct ssh_counter_struct		 raw_counter;
	struct auth				*auth;
	bool					 reason_sent;	/* the penalty banner */

	int64_t					 started;	/* ms, monotonic */
	int64_t					 authenticated;
	int64_t					 last_input;
	int64_t					 close_deadline;

	enum session_state			 state;
	bool					 have_pty;
	char					 term[80];
	int					 cols;
	int					 rows;
	const char				*refusal;
	int					 exit_status;
	bool					 remote_closed;

	struct tty_child			*child;
	bool					 master_in_event;
	bool					 master_eof;
	char					 pending[4096];	/* read, not yet sent */
	size_t					 npending;
	char					 input[4096];	/* from the client */
	size_t					 ninput;
	uint64_t				 handed;	/* bytes given to libssh */
	uint64_t				 flushed;	/* of which known sent */
	const char				*end;		/* why it ended */

	struct exec_child			*exec;		/* the command of an exec */
	char					*command;	/* its request */
	bool					 remote_eof;
	bool					 out_in_event;
	bool					 err_in_event;
	bool					 out_eof;
	bool					 err_eof;
	char					*xout;		/* read, not yet sent */
	size_t					 nxout;
	size_t					 xout_off;
	char					*xerr;
	size_t					 nxerr;
	size_t					 xerr_off;

	char					*registry;	/* RUN/sessions/<pid> */
	int64_t					 registry_touched;

	uint64_t				 trim_bytes;	/* traffic at the last look */
	int64_t					 trim_quiet;	/* since when none */
	bool					 trimmed;	/* free memory returned since */
};

static volatile sig_atomic_t	session_terminate;

/* Record that the listener asked the session to end. */
static void
session_on_term(int sig)
{
	(void)sig;
	session_terminate = 1;
}

/* Milliseconds on the monotonic clock. */
static int64_t
session_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * After the last allowed failure, offer no method the client would try, so that it stops
 * instead of prompting once more before the disconnect arrives.
 */
static int
session_auth_answer(struct session *s, int answer)
{
	const char	*reason;
	ssh_string	 banner;
	char		*text;

	if (answer != SSH_AUTH_SUCCESS && auth_exhausted(s->auth)) {
		reason = auth_reason(s->auth);
		ssh_set_auth_methods(s->ssh, SSH_AUTH_METHOD_HOSTBASED);
		ssh_session_set_disconnect_message(s->ssh, reason != NULL ? reason :
		    "Too many authentication failures");
		/* Clients show a banner (the disconnect message arrives after they gave up). */
		if (reason != NULL && !s->reason_sent) {
			text = xasprintf("motcua: %s\r\n", reason);
			if ((banner = ssh_string_from_char(text)) != NULL) {
				ssh_send_issue_banner(s->ssh, banner);
				ssh_string_free(banner);
			}
			free(text);
			s->reason_sent = true;
		}
	}
	return answer;
}

/* The server callback for a password attempt. */
static int
session_auth_password(ssh_session ssh, const char *user, const char *password, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	return session_auth_answer(s, auth_password(s->auth, user, password));
}

/* The server callback for a public key offer or signed attempt. */
static int
session_auth_pubkey(ssh_session ssh, const char *user, struct ssh_key_struct *key,
    char state, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	return session_auth_answer(s, auth_pubkey(s->auth, user, key, state));
}

/* The server callback for the "none" method: the public read-only login needs no secret. */
static int
session_auth_none(ssh_session ssh, const char *user, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	return session_auth_answer(s, auth_none(s->auth, user));
}

/* Channel callback: data from the client goes to the interface's terminal. */
static int
session_channel_data(ssh_session ssh, ssh_channel channel, void *data, uint32_t len,
    int is_stderr, void *arg)
{
	struct session	*s = arg;
	ssize_t		 n;

	(void)ssh;
	(void)channel;
	(void)is_stderr;
	s->last_input = session_now();
	if (s->registry != NULL && s->last_input - s->registry_touched >= SESSION_TOUCH_EVERY) {
		admin_sessions_touch(s->registry);
		s->registry_touched = s->last_input;
	}
	if (s->state == SESSION_WAITING || s->state == SESSION_STARTING ||
	    s->state == SESSION_EXEC_STARTING)
		return 0;	/* keep it for the interface or command about to start */
	if (s->state == SESSION_EXECUTING) {
		if (s->exec == NULL || s->exec->in == -1)
			return (int)len;	/* nobody to read it */
		if (s->ninput != 0)
			return 0;
		n = write(s->exec->in, data, len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n == -1) {
			exec_close(&s->exec->in);	/* the command stopped reading */
			return (int)len;
		}
		return (int)n;
	}
	if (s->state != SESSION_RUNNING || s->child == NULL || s->master_eof)
		return (int)len;	/* nobody to read it */
	if (s->ninput != 0)
		return 0;
	n = write(s->child->master, data, len);
	if (n == -1)
		return (errno == EAGAIN || errno == EINTR) ? 0 : (int)len;
	return (int)n;
}

/* Send the client's input that is waiting to the interface's terminal. */
static void
session_feed_master(struct session *s)
{
	ssize_t	n;
	int	got;

	if (s->child == NULL || s->master_eof)
		return;
	if (s->ninput == 0 && ssh_channel_poll(s->channel, 0) > 0) {
		got = ssh_channel_read_nonblocking(s->channel, s->input, sizeof s->input, 0);
		if (got > 0)
			s->ninput = (size_t)got;
	}
	if (s->ninput == 0)
		return;
	n = write(s->child->master, s->input, s->ninput);
	if (n <= 0)
		return;
	memmove(s->input, s->input + n, s->ninput - (size_t)n);
	s->ninput -= (size_t)n;
}

/* Channel callback: the client sent EOF; the command's input is closed once written. */
static void
session_channel_eof(ssh_session ssh, ssh_channel channel, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	s->remote_eof = true;
}

/* Channel callback: the client closed the channel. */
static void
session_channel_close(ssh_session ssh, ssh_channel channel, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	s->remote_closed = true;
}

/* Clamp a terminal dimension from the client to something sane (1 to max). */
static int
session_dimension(int value, int fallback, int max)
{
	if (value <= 0)
		return fallback;
	return value > max ? max : value;
}

/* Channel callback: pty-req; remember the terminal, it is opened with the shell. */
static int
session_channel_pty(ssh_session ssh, ssh_channel channel, const char *term, int cols,
    int rows, int pxwidth, int pxheight, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	(void)pxwidth;
	(void)pxheight;
	if (s->state != SESSION_WAITING || s->have_pty)
		return -1;
	s->have_pty = true;
	tty_clean_term(term, s->term, sizeof s->term);
	s->cols = session_dimension(cols, 80, SESSION_MAX_COLS);
	s->rows = session_dimension(rows, 24, SESSION_MAX_ROWS);
	return 0;
}

/* Channel callback: window-change; the interface gets SIGWINCH. */
static int
session_channel_window(ssh_session ssh, ssh_channel channel, int cols, int rows,
    int pxwidth, int pxheight, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	(void)pxwidth;
	(void)pxheight;
	s->cols = session_dimension(cols, s->cols, SESSION_MAX_COLS);
	s->rows = session_dimension(rows, s->rows, SESSION_MAX_ROWS);
	if (s->child != NULL)
		tty_resize(s->child, s->cols, s->rows);
	return 0;
}

/* Accept a request and arrange for a refusal message with exit status 1. */
static int
session_refuse(struct session *s, const char *message)
{
	s->refusal = message;
	s->exit_status = 1;
	s->state = SESSION_REFUSING;
	return 0;
}

/* Channel callback: shell; the interface if there is a pty, a refusal otherwise. */
static int
session_channel_shell(ssh_session ssh, ssh_channel channel, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	if (s->state != SESSION_WAITING)
		return -1;
	if (!s->have_pty) {
		log_info("refused: shell without a terminal for %s from %s",
		    auth_login(s->auth), s->peer);
		return session_refuse(s, "motcua: a terminal is required (use ssh -t)\n");
	}
	switch (auth_admission(s->auth)) {
	case AUTH_ADMITTED:
		break;
	case AUTH_FULL_USER:
		return session_refuse(s, "motcua: you already have the most sessions allowed "
		    "open; close one and try again\r\n");
	case AUTH_FULL_SERVER:
		return session_refuse(s, "motcua: the server has as many sessions as it "
		    "allows; try again later\r\n");
	}
	s->state = SESSION_STARTING;
	return 0;
}

/* Channel callback: exec; an administrator's command runs, anyone else is refused. */
static int
session_channel_exec(ssh_session ssh, ssh_channel channel, const char *command, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	if (s->state != SESSION_WAITING)
		return -1;
	if (auth_public(s->auth) || auth_role(s->auth) != ROLE_ADMIN) {
		log_info("refused: command for %s from %s (not an administrator)",
		    auth_login(s->auth), s->peer);
		return session_refuse(s, s->have_pty ?
		    "motcua: commands are for administrators; connect without one to use the "
		    "interface\r\n" :
		    "motcua: commands are for administrators; connect without one to use the "
		    "interface\n");
	}
	if (strlen(command) > ADMIN_MAX_COMMAND) {
		log_info("refused: command of %zu bytes for %s from %s", strlen(command),
		    auth_login(s->auth), s->peer);
		session_refuse(s, s->have_pty ? "motcua: the command is too long\r\n" :
		    "motcua: the command is too long\n");
		s->exit_status = ADMIN_EXIT_USAGE;
		return 0;
	}
	log_info("command for %s from %s: %s", auth_login(s->auth), s->peer, command);
	s->command = xstrdup(command);
	s->state = SESSION_EXEC_STARTING;
	return 0;
}

/* Channel callback: subsystem; none is offered yet. */
static int
session_channel_subsystem(ssh_session ssh, ssh_channel channel, const char *name, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)channel;
	log_info("refused: subsystem for %s from %s", auth_login(s->auth), s->peer);
	(void)name;
	return -1;
}

/* Channel callback: env; the server chooses the environment itself. */
static int
session_channel_env(ssh_session ssh, ssh_channel channel, const char *name,
    const char *value, void *arg)
{
	(void)ssh;
	(void)channel;
	(void)name;
	(void)value;
	(void)arg;
	return -1;
}

/* Server callback: a session channel; one per connection, after authentication. */
static ssh_channel
session_channel_open(ssh_session ssh, void *arg)
{
	struct session			*s = arg;
	struct ssh_channel_callbacks_struct	*cb = &s->channel_cb;

	if (!auth_done(s->auth) || s->channel != NULL)
		return NULL;
	if ((s->channel = ssh_channel_new(ssh)) == NULL)
		return NULL;
	memset(cb, 0, sizeof *cb);
	cb->userdata = s;
	cb->channel_data_function = session_channel_data;
	cb->channel_close_function = session_channel_close;
	cb->channel_eof_function = session_channel_eof;
	cb->channel_pty_request_function = session_channel_pty;
	cb->channel_pty_window_change_function = session_channel_window;
	cb->channel_shell_request_function = session_channel_shell;
	cb->channel_exec_request_function = session_channel_exec;
	cb->channel_subsystem_request_function = session_channel_subsystem;
	cb->channel_env_request_function = session_channel_env;
	ssh_callbacks_init(cb);
	ssh_set_channel_callbacks(s->channel, cb);
	return s->channel;
}

/* Bytes written to the socket that the client has not acknowledged yet. */
static uint32_t
session_unsent(struct session *s)
{
	int	n = 0;

	if (ioctl(s->fd, SIOCOUTQ, &n) == -1 || n < 0)
		return 0;
	return (uint32_t)n;
}

/*
 * Bytes handed to libssh that may still sit in its output buffer: everything handed since the
 * last time libssh had nothing left to write (an upper bound; libssh tells no count).
 */
static uint32_t
session_libssh_pending(struct session *s)
{
	uint64_t	pending;

	if ((ssh_get_poll_flags(s->ssh) & SSH_WRITE_PENDING) == 0) {
		s->flushed = s->handed;
		return 0;
	}
	pending = s->handed - s->flushed;
	return pending > UINT32_MAX / 4 ? UINT32_MAX / 4 : (uint32_t)pending;
}

/* Bytes the interface wrote to the pty that the session has not read yet. */
static uint32_t
session_in_pty(struct session *s)
{
	int	n = 0;

	if (s->child == NULL || ioctl(s->child->master, FIONREAD, &n) == -1 || n < 0)
		return 0;
	return (uint32_t)n;
}

/* Everything the interface wrote that has not yet left for the client. */
static uint32_t
session_backlog(struct session *s)
{
	uint64_t	total;

	total = (uint64_t)session_unsent(s) + session_libssh_pending(s) + s->npending +
	    session_in_pty(s);
	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

/* Send buffered interface output on the channel, as far as the window allows. */
static void
session_flush_pending(struct session *s)
{
	int	n;

	if (s->npending == 0)
		return;
	n = ssh_channel_write(s->channel, s->pending, (uint32_t)s->npending);
	if (n <= 0)
		return;
	s->handed += (uint64_t)n;
	memmove(s->pending, s->pending + n, s->npending - (size_t)n);
	s->npending -= (size_t)n;
}

/* How many bytes may be read from the interface now (0: wait). */
static size_t
session_budget(struct session *s)
{
	uint32_t	unsent, window;
	size_t		budget;

	if (s->npending != 0)
		return 0;
	unsent = session_unsent(s);
	if (unsent >= SESSION_PACE_LIMIT)
		return 0;
	window = ssh_channel_window_size(s->channel);
	budget = SESSION_PACE_LIMIT - unsent;
	if (budget > window)
		budget = window;
	if (budget > sizeof s->pending)
		budget = sizeof s->pending;
	return budget;
}

/* Event callback: the interface wrote to its terminal; relay as much as the pace allows. */
static int
session_master_ready(socket_t fd, int revents, void *arg)
{
	struct session	*s = arg;
	size_t		 budget;
	ssize_t		 n;

	(void)revents;
	if (s->master_eof || (budget = session_budget(s)) == 0)
		return 0;
	n = read(fd, s->pending, budget);
	if (n > 0) {
		s->npending = (size_t)n;
		session_flush_pending(s);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		s->master_eof = true;	/* EIO: every slave descriptor is closed */
	return 0;
}

/* Add or remove the master in the event so that it is polled only when it may be read. */
static void
session_update_master(struct session *s)
{
	bool	want;

	want = s->child != NULL && !s->master_eof && session_budget(s) != 0;
	if (want && !s->master_in_event) {
		if (ssh_event_add_fd(s->event, s->child->master, POLLIN, session_master_ready,
		    s) == SSH_OK)
			s->master_in_event = true;
	} else if (!want && s->master_in_event) {
		ssh_event_remove_fd(s->event, s->child->master);
		s->master_in_event = false;
	}
}

/* Register the session for `sessions`; a failure is only logged. */
static void
session_register(struct session *s, const char *kind)
{
	char	*cause = NULL;

	if (s->registry != NULL)
		return;
	s->registry = admin_sessions_register(s->server->run_dir, auth_login(s->auth), s->peer,
	    kind, (int64_t)time(NULL), &cause);
	if (s->registry == NULL) {
		log_warn("%s", cause);
		free(cause);
	}
	s->registry_touched = session_now();
}

/* Start the interface on a pty for the authenticated user. */
static void
session_start_interface(struct session *s)
{
	struct tty_spawn	 spawn;
	char			*cause = NULL;

	memset(&spawn, 0, sizeof spawn);
	spawn.term = s->term;
	spawn.cols = s->cols;
	spawn.rows = s->rows;
	spawn.data_dir = s->server->data_dir;
	spawn.catalog_dir = s->server->catalog_copy;
	spawn.utc_offset = s->server->catalog->utc_offset;
	spawn.login = auth_login(s->auth);
	spawn.public = auth_public(s->auth);
	session_register(s, "interface");
	spawn.backlog_limit = SESSION_BACKLOG_LIMIT;
	spawn.idle_timeout = s->conf->idle_timeout;
	spawn.idle_warning = s->conf->idle_warning;
	spawn.alert_interval = s->conf->alert_interval;
	spawn.alerts_outside_office_hours = s->conf->alerts_outside_office_hours;
	if ((s->child = tty_start(&spawn, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		session_refuse(s, "motcua: the server cannot start a session now\r\n");
		return;
	}
	log_debug("interface pid %ld for %s, TERM %s, %dx%d", (long)s->child->pid,
	    auth_login(s->auth), s->term, s->cols, s->rows);
	s->state = SESSION_RUNNING;
}

/* Start the administrator's command. */
static void
session_start_exec(struct session *s)
{
	struct exec_spawn	 spawn;
	char			*cause = NULL;

	session_register(s, "exec");
	memset(&spawn, 0, sizeof spawn);
	spawn.data_dir = s->server->data_dir;
	spawn.catalog_dir = s->server->catalog_dir;
	spawn.catalog_copy = s->server->catalog_copy;
	spawn.utc_offset = s->server->catalog->utc_offset;
	spawn.login = auth_login(s->auth);
	spawn.command = s->command;
	if ((s->exec = exec_start(&spawn, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		session_refuse(s, s->have_pty ? "motcua: the server cannot run a command now\r\n" :
		    "motcua: the server cannot run a command now\n");
		return;
	}
	log_debug("command pid %ld for %s", (long)s->exec->pid, auth_login(s->auth));
	s->xout = xmalloc(SESSION_EXEC_BUFFER * 2);
	s->xerr = xmalloc(SESSION_EXEC_BUFFER * 2);
	s->state = SESSION_EXECUTING;
}

/* How many bytes of the command's output may be read now (0: wait). */
static size_t
session_exec_budget(struct session *s, size_t pending)
{
	uint64_t	unsent;
	uint32_t	window;
	size_t		budget;

	if (pending != 0)
		return 0;
	unsent = (uint64_t)session_unsent(s) + session_libssh_pending(s);
	if (unsent >= SESSION_EXEC_PACE)
		return 0;
	window = ssh_channel_window_size(s->channel);
	budget = SESSION_EXEC_PACE - (size_t)unsent;
	if (budget > window)
		budget = window;
	if (budget > SESSION_EXEC_BUFFER)
		budget = SESSION_EXEC_BUFFER;
	/* With a pty each "\n" becomes "\r\n": read no more than half. */
	if (s->have_pty)
		budget /= 2;
	return budget;
}

/* Hand buffered output (standard or error) to the channel, as far as the window allows. */
static void
session_exec_flush(struct session *s, bool error)
{
	char	*buf = error ? s->xerr : s->xout;
	size_t	*n = error ? &s->nxerr : &s->nxout, *off = error ? &s->xerr_off : &s->xout_off;
	int	 sent;

	if (*n == *off)
		return;
	if (error)
		sent = ssh_channel_write_stderr(s->channel, buf + *off, (uint32_t)(*n - *off));
	else
		sent = ssh_channel_write(s->channel, buf + *off, (uint32_t)(*n - *off));
	if (sent <= 0)
		return;
	s->handed += (uint64_t)sent;
	*off += (size_t)sent;
	if (*off == *n)
		*n = *off = 0;
}

/* Read one pipe of the command into its buffer, translating newlines for a pty. */
static void
session_exec_read(struct session *s, bool error)
{
	char	*buf = error ? s->xerr : s->xout, *raw;
	size_t	*n = error ? &s->nxerr : &s->nxout, budget, i, j;
	bool	*eof = error ? &s->err_eof : &s->out_eof;
	int	 fd = error ? s->exec->err : s->exec->out;
	ssize_t	 got;

	if (*eof || (budget = session_exec_budget(s, *n)) == 0)
		return;
	raw = s->have_pty ? buf + SESSION_EXEC_BUFFER : buf;
	got = read(fd, raw, budget);
	if (got == 0 || (got == -1 && errno != EAGAIN && errno != EINTR)) {
		*eof = true;
		return;
	}
	if (got < 0)
		return;
	if (!s->have_pty)
		*n = (size_t)got;
	else {
		for (i = j = 0; i < (size_t)got; i++) {
			if (raw[i] == '\n')
				buf[j++] = '\r';
			buf[j++] = raw[i];
		}
		*n = j;
	}
	session_exec_flush(s, error);
}

/* Event callback: the command wrote to its standard output. */
static int
session_exec_out_ready(socket_t fd, int revents, void *arg)
{
	(void)fd;
	(void)revents;
	session_exec_read(arg, false);
	return 0;
}

/* Event callback: the command wrote to its standard error. */
static int
session_exec_err_ready(socket_t fd, int revents, void *arg)
{
	(void)fd;
	(void)revents;
	session_exec_read(arg, true);
	return 0;
}

/* Poll a pipe of the command only while its output may be read. */
static void
session_exec_watch(struct session *s, bool error)
{
	bool	*in_event = error ? &s->err_in_event : &s->out_in_event;
	bool	 eof = error ? s->err_eof : s->out_eof, want;
	size_t	 pending = error ? s->nxerr : s->nxout;
	int	 fd;

	if (s->exec == NULL)
		return;
	fd = error ? s->exec->err : s->exec->out;
	want = !eof && session_exec_budget(s, pending) != 0;
	if (want && !*in_event) {
		if (ssh_event_add_fd(s->event, fd, POLLIN, error ? session_exec_err_ready :
		    session_exec_out_ready, s) == SSH_OK)
			*in_event = true;
	} else if (!want && *in_event) {
		ssh_event_remove_fd(s->event, fd);
		*in_event = false;
	}
}

/* Send the client's input that is waiting to the command; close it after the EOF. */
static void
session_feed_exec(struct session *s)
{
	ssize_t	n;
	int	got;

	if (s->exec == NULL || s->exec->in == -1)
		return;
	if (s->ninput == 0 && ssh_channel_poll(s->channel, 0) > 0) {
		got = ssh_channel_read_nonblocking(s->channel, s->input, sizeof s->input, 0);
		if (got > 0)
			s->ninput = (size_t)got;
	}
	if (s->ninput != 0) {
		n = write(s->exec->in, s->input, s->ninput);
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			s->ninput = 0;	/* the command stopped reading */
			exec_close(&s->exec->in);
			return;
		}
		if (n > 0) {
			memmove(s->input, s->input + n, s->ninput - (size_t)n);
			s->ninput -= (size_t)n;
		}
	}
	if (s->remote_eof && s->ninput == 0 && ssh_channel_poll(s->channel, 0) <= 0)
		exec_close(&s->exec->in);
}

/* Stop the command (if any) and reap it; its status becomes the exit status. */
static void
session_stop_exec(struct session *s, bool terminate)
{
	int	status = 1;

	if (s->exec == NULL)
		return;
	if (s->out_in_event) {
		ssh_event_remove_fd(s->event, s->exec->out);
		s->out_in_event = false;
	}
	if (s->err_in_event) {
		ssh_event_remove_fd(s->event, s->exec->err);
		s->err_in_event = false;
	}
	exec_reap(s->exec, terminate, terminate ? SESSION_REAP_WAIT : SESSION_EXEC_WAIT,
	    &status);
	s->exit_status = status;
	log_debug("command of %s exited with %d", auth_login(s->auth), status);
	exec_free(s->exec);
	s->exec = NULL;
}

/* Send exit-status, EOF and close, then wait for the client's close. */
static void
session_close_channel(struct session *s)
{
	ssh_channel_request_send_exit_status(s->channel, s->exit_status);
	ssh_channel_send_eof(s->channel);
	ssh_channel_close(s->channel);
	s->close_deadline = session_now() + SESSION_CLOSE_WAIT;
	s->state = SESSION_CLOSING;
}

/* Stop the interface (if any) and reap it; its status becomes the exit status. */
static void
session_stop_interface(struct session *s, bool hangup)
{
	int	status = 1;

	if (s->child == NULL)
		return;
	if (s->master_in_event) {
		ssh_event_remove_fd(s->event, s->child->master);
		s->master_in_event = false;
	}
	tty_reap(s->child, hangup, SESSION_REAP_WAIT, &status);
	s->exit_status = status;
	tty_free(s->child);
	s->child = NULL;
}

/* Advance the channel's state machine after events were handled. */
static void
session_step(struct session *s)
{
	switch (s->state) {
	case SESSION_WAITING:
	case SESSION_DONE:
		break;
	case SESSION_STARTING:
		session_start_interface(s);
		break;
	case SESSION_EXEC_STARTING:
		session_start_exec(s);
		break;
	case SESSION_EXECUTING:
		session_feed_exec(s);
		session_exec_flush(s, true);
		session_exec_flush(s, false);
		if (s->out_eof && s->err_eof && s->nxout == 0 && s->nxerr == 0) {
			session_stop_exec(s, false);
			s->state = SESSION_FINISHING;
		}
		break;
	case SESSION_REFUSING:
		ssh_channel_write_stderr(s->channel, s->refusal, (uint32_t)strlen(s->refusal));
		s->state = SESSION_FINISHING;
		break;
	case SESSION_RUNNING:
		session_feed_master(s);
		session_flush_pending(s);
		if (s->master_eof && s->npending == 0) {
			session_stop_interface(s, false);
			s->state = SESSION_FINISHING;
		}
		break;
	case SESSION_FINISHING:
		session_close_channel(s);
		break;
	case SESSION_CLOSING:
		if (s->remote_closed || session_now() >= s->close_deadline)
			s->state = SESSION_DONE;
		break;
	}
}

/* Make a dead link show up at the TCP level too. */
static void
session_socket_options(struct session *s)
{
	int		on = 1, idle = s->conf->keepalive_interval;
	int		count = s->conf->keepalive_count;
	unsigned int	timeout = (unsigned int)(idle * count) * 1000U;

	setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(s->fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(s->fd, IPPROTO_TCP, TCP_KEEPINTVL, &idle, sizeof idle);
	setsockopt(s->fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
	setsockopt(s->fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &timeout, sizeof timeout);
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/* Return true if the connection is gone. */
static bool
session_lost(struct session *s)
{
	return (ssh_get_status(s->ssh) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0 ||
	    !ssh_is_connected(s->ssh);
}

/* Run the connection until authentication succeeds; false if it ended first. */
static bool
session_authenticate(struct session *s)
{
	int64_t	deadline = s->started + (int64_t)s->conf->login_grace * 1000, now;
	int	rc;

	while (!auth_done(s->auth)) {
		now = session_now();
		if (now >= deadline) {
			s->end = "login grace time expired";
			return false;
		}
		if (session_terminate) {
			s->end = "server shutting down";
			return false;
		}
		rc = ssh_event_dopoll(s->event, (int)(deadline - now));
		if (auth_exhausted(s->auth)) {
			s->end = "too many authentication failures";
			return false;
		}
		if ((rc == SSH_ERROR && errno != EINTR) || session_lost(s)) {
			s->end = "connection closed before authentication";
			return false;
		}
	}
	return true;
}

/*
 * Once the connection has been quiet for SESSION_TRIM_QUIET after some traffic, give the free
 * pages of the heap back to the system: the key exchange, the login lookup and the bursts of
 * screen output leave holes that would otherwise stay resident for the whole idle session.
 */
static void
session_trim(struct session *s, int64_t now)
{
	uint64_t	bytes = s->socket_counter.in_bytes + s->socket_counter.out_bytes;

	if (bytes != s->trim_bytes) {
		s->trim_bytes = bytes;
		s->trim_quiet = now;
		s->trimmed = false;
	} else if (!s->trimmed && now - s->trim_quiet >= SESSION_TRIM_QUIET) {
		malloc_trim(0);
		s->trimmed = true;
	}
}

/* Serve the authenticated connection until the channel is closed or the link is lost. */
static void
session_serve(struct session *s)
{
	int64_t		now, next_keepalive, idle_limit, timeout;
	uint64_t	last_in = s->raw_counter.in_packets;
	int		missed = 0, errors = 0, rc;
	bool		terminating = false;
	enum session_state state;

	ssh_set_blocking(s->ssh, 0);
	session_socket_options(s);
	s->authenticated = s->last_input = session_now();
	next_keepalive = s->authenticated + (int64_t)s->conf->keepalive_interval * 1000;
	idle_limit = (int64_t)(s->conf->idle_timeout + SESSION_IDLE_SLACK) * 1000;

	while (s->state != SESSION_DONE) {
		now = session_now();
		if (s->channel == NULL &&
		    now - s->authenticated > (int64_t)s->conf->login_grace * 1000) {
			s->end = "no session opened";
			return;
		}
		if (session_terminate && !terminating) {
			terminating = true;
			s->end = "server shutting down";
			if (s->child != NULL)
				kill(-s->child->pid, SIGHUP);
			else if (s->exec != NULL)
				kill(-s->exec->pid, SIGTERM);
			else if (s->state == SESSION_WAITING)
				return;
		}
		if (s->conf->idle_timeout != 0 && s->state == SESSION_RUNNING &&
		    now - s->last_input > idle_limit) {
			s->end = "idle timeout";
			return;
		}

		if (s->child != NULL) {
			session_update_master(s);
			tty_set_backlog(s->child, session_backlog(s));
		}
		session_exec_watch(s, false);
		session_exec_watch(s, true);
		timeout = next_keepalive - now;
		if (s->state == SESSION_RUNNING && ((!s->master_in_event && !s->master_eof) ||
		    s->ninput != 0))
			timeout = SESSION_THROTTLE_POLL;	/* paced: look again soon */
		if (s->state == SESSION_EXECUTING && ((!s->out_in_event && !s->out_eof) ||
		    (!s->err_in_event && !s->err_eof) || s->ninput != 0 ||
		    s->nxout != 0 || s->nxerr != 0 || (s->remote_eof && s->exec->in != -1)))
			timeout = SESSION_EXEC_POLL;	/* paced: look again soon */
		if (s->state == SESSION_CLOSING && s->close_deadline - now < timeout)
			timeout = s->close_deadline - now;
		if (timeout < 0)
			timeout = 0;
		if (timeout > 1000)
			timeout = 1000;

		rc = ssh_event_dopoll(s->event, (int)timeout);
		if (session_lost(s)) {
			s->end = s->state == SESSION_CLOSING ? NULL : "connection lost";
			return;
		}
		if (rc == SSH_ERROR && errno != EINTR && ++errors > 100) {
			s->end = "connection error";
			return;
		} else if (rc != SSH_ERROR)
			errors = 0;

		now = session_now();
		session_trim(s, now);
		if (now >= next_keepalive) {
			if (s->raw_counter.in_packets == last_in)
				missed++;
			else
				missed = 0;
			last_in = s->raw_counter.in_packets;
			if (missed >= s->conf->keepalive_count) {
				s->end = "link dead (keepalives unanswered)";
				return;
			}
			/* A second call sends a new probe once the last one was answered. */
			ssh_send_keepalive(s->ssh);
			ssh_send_keepalive(s->ssh);
			next_keepalive = now + (int64_t)s->conf->keepalive_interval * 1000;
		}

		if (s->channel != NULL && s->remote_closed && s->state != SESSION_CLOSING) {
			s->end = "client closed the session";
			session_stop_interface(s, true);
			session_stop_exec(s, true);
			ssh_channel_close(s->channel);
			return;
		}
		/* Step until the state settles, so that no transition waits for a poll. */
		while (s->channel != NULL && s->state != SESSION_DONE) {
			state = s->state;
			session_step(s);
			if (s->state == state)
				break;
		}
	}
}

/* Serve one connection. */
int
session_run(const struct server *server, int fd, int control, const char *peer)
{
	struct session			 s;
	struct ssh_server_callbacks_struct	*cb = &s.server_cb;
	struct sigaction		 sa;
	long				 timeout;
	int64_t				 ms;
	const char			*login;

	memset(&s, 0, sizeof s);
	s.server = server;
	s.conf = server->conf;
	s.fd = fd;
	s.control = control;
	s.peer = peer;
	s.started = session_now();
	s.state = SESSION_WAITING;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = session_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);

	log_info("connect from %s", peer);
	s.auth = auth_new(server, control, peer);
	if ((s.ssh = ssh_new()) == NULL) {
		s.end = "out of memory";
		close(fd);
		goto out;
	}
	if (ssh_bind_accept_fd(server->bind, s.ssh, fd) != SSH_OK) {
		s.end = "cannot take over the connection";
		log_error("ssh_bind_accept_fd: %s", ssh_get_error(server->bind));
		close(fd);
		goto out;
	}
	/* The login grace deadline counts from the connection, so it bounds the key exchange too. */
	timeout = server->conf->kex_timeout;
	if (timeout > server->conf->login_grace)
		timeout = server->conf->login_grace;
	ssh_options_set(s.ssh, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_set_counters(s.ssh, &s.socket_counter, &s.raw_counter);

	memset(cb, 0, sizeof *cb);
	cb->userdata = &s;
	cb->auth_password_function = session_auth_password;
	cb->auth_pubkey_function = session_auth_pubkey;
	cb->auth_none_function = session_auth_none;
	cb->channel_open_request_session_function = session_channel_open;
	ssh_callbacks_init(cb);
	ssh_set_server_callbacks(s.ssh, cb);
	ssh_set_auth_methods(s.ssh, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);

	if (ssh_handle_key_exchange(s.ssh) != SSH_OK) {
		s.end = "key exchange failed";
		log_info("key exchange with %s failed: %s", peer, ssh_get_error(s.ssh));
		goto out;
	}
	s.event = ssh_event_new();
	ssh_event_add_session(s.event, s.ssh);
	if (session_authenticate(&s))
		session_serve(&s);

out:
	if (s.child != NULL)
		session_stop_interface(&s, true);
	if (s.exec != NULL)
		session_stop_exec(&s, true);
	admin_sessions_unregister(s.registry);
	free(s.registry);
	free(s.command);
	free(s.xout);
	free(s.xerr);
	if (s.ssh != NULL) {
		if (s.end == NULL || strcmp(s.end, "connection lost") != 0)
			ssh_blocking_flush(s.ssh, 1000);
		if (ssh_is_connected(s.ssh))
			ssh_disconnect(s.ssh);
	}
	ms = session_now() - s.started;
	login = auth_done(s.auth) ? auth_login(s.auth) : "(not authenticated)";
	log_info("disconnect: %s from %s after %lld.%03lld s, %llu bytes in, %llu bytes out%s%s",
	    login, peer, (long long)(ms / 1000), (long long)(ms % 1000),
	    (unsigned long long)s.socket_counter.in_bytes,
	    (unsigned long long)s.socket_counter.out_bytes, s.end != NULL ? ": " : "",
	    s.end != NULL ? s.end : "");
	if (s.event != NULL) {
		ssh_event_remove_session(s.event, s.ssh);
		ssh_event_free(s.event);
	}
	if (s.ssh != NULL)
		ssh_free(s.ssh);
	auth_end(s.auth);
	auth_free(s.auth);
	return 0;
}
