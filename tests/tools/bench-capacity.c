/*
 * bench-capacity.c: many officers at once. Opens N interface sessions to motcuad over SSH with
 * libssh, as N terminals would (a pty, a shell, the dashboard on screen), keeps them all alive,
 * then has some of them type and measures how long each keystroke takes to echo, and has some
 * of them take in dossiers as fast as the server allows and counts intakes per second.
 *
 * Between the phases it prints "READY <phase>" and waits for a line on stdin, servicing every
 * session meanwhile (keepalives), so that the calling script can measure memory at rest.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "xmalloc.h"

#define BENCH_SCREEN	8192	/* bytes of recent screen text kept per session */
#define BENCH_KEY_GAP	200	/* ms between one typist's keys: five keys a second */
#define BENCH_WAIT	30000	/* ms an intake step may wait for its screen */

/* Keys as an xterm sends them. */
#define KEY_F2		"\033OQ"
#define KEY_F5		"\033[15~"
#define KEY_F10		"\033[21~"
#define KEY_CTRL_U	"\025"

struct bench_session {
	ssh_session	 ssh;
	ssh_channel	 channel;
	int		 fd;
	char		 text[BENCH_SCREEN];	/* recent output without escape sequences */
	size_t		 ntext;
	int		 escape;		/* inside an escape sequence: 1 ESC, 2 CSI, 3 OSC */
	int64_t		 sent_at;		/* ms: a key waiting for its echo (0: none) */
	int64_t		 next_at;		/* ms: when this typist presses the next key */
	size_t		 typed;			/* position in the typed text */
	int		 step;			/* intake: the step waited for */
	int64_t		 step_deadline;
	bool		 dead;
};

struct bench {
	const char		*host;
	unsigned int		 port;
	const char		*user;
	const char		*key_path;
	ssh_key			 key;
	const char		*ready_text;
	struct bench_session	*sessions;
	size_t			 nsessions;
	size_t			 ntyping;
	int			 type_seconds;
	size_t			 nintake;
	int			 intake_seconds;
	int64_t			*latencies;	/* ms ×1000 (µs) */
	size_t			 nlatencies;
	size_t			 latencies_size;
};

/* Milliseconds on the monotonic clock. */
static int64_t
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Microseconds on the monotonic clock. */
static int64_t
bench_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Keep the printable part of output: escape sequences and control characters are dropped. */
static void
bench_absorb(struct bench_session *s, const unsigned char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if (s->escape == 1) {
			s->escape = c == '[' ? 2 : c == ']' ? 3 : (c == '(' || c == ')') ? 4 : 0;
			continue;
		}
		if (s->escape == 2) {
			if (c >= 0x40 && c <= 0x7e)
				s->escape = 0;
			continue;
		}
		if (s->escape == 3) {
			if (c == 7)
				s->escape = 0;
			continue;
		}
		if (s->escape == 4) {
			s->escape = 0;
			continue;
		}
		if (c == 033) {
			s->escape = 1;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (s->ntext == sizeof s->text) {
			memmove(s->text, s->text + sizeof s->text / 2, sizeof s->text / 2);
			s->ntext = sizeof s->text / 2;
		}
		s->text[s->ntext++] = (char)c;
	}
}

/* Return true if the session's recent output holds text; on a match the text is consumed. */
static bool
bench_saw(struct bench_session *s, const char *text)
{
	size_t	len = strlen(text), i;

	if (len == 0 || s->ntext < len)
		return false;
	for (i = 0; i + len <= s->ntext; i++) {
		if (memcmp(s->text + i, text, len) == 0) {
			s->ntext = 0;
			return true;
		}
	}
	return false;
}

/* Read whatever the session has sent; return the bytes read (0: nothing, -1: gone). */
static int
bench_read(struct bench_session *s)
{
	unsigned char	buf[16384];
	int		n, total = 0;

	if (s->dead)
		return -1;
	for (;;) {
		n = ssh_channel_read_nonblocking(s->channel, buf, sizeof buf, 0);
		if (n == SSH_ERROR || (n == 0 && ssh_channel_is_eof(s->channel))) {
			s->dead = true;
			return total > 0 ? total : -1;
		}
		if (n <= 0)
			return total;
		bench_absorb(s, buf, (size_t)n);
		total += n;
	}
}

/* Send bytes to the session's terminal. */
static bool
bench_send(struct bench_session *s, const char *bytes)
{
	if (s->dead)
		return false;
	if (ssh_channel_write(s->channel, bytes, (uint32_t)strlen(bytes)) == SSH_ERROR) {
		s->dead = true;
		return false;
	}
	return true;
}

/* Wait up to timeout ms for input on sessions [first, first + n), and read what came. */
static void
bench_pump(struct bench *b, size_t first, size_t n, int timeout)
{
	struct pollfd	*pfds = xcalloc(n, sizeof *pfds);
	size_t		 i;

	for (i = 0; i < n; i++) {
		pfds[i].fd = b->sessions[first + i].dead ? -1 : b->sessions[first + i].fd;
		pfds[i].events = POLLIN;
	}
	/* libssh may hold data it read already: read every session, ready or not. */
	poll(pfds, n, timeout);
	for (i = 0; i < n; i++)
		bench_read(&b->sessions[first + i]);
	free(pfds);
}

/* Service every session for ms milliseconds (answers keepalives, drops output). */
static void
bench_idle(struct bench *b, int64_t ms)
{
	int64_t	end = bench_now() + ms, now;

	while ((now = bench_now()) < end)
		bench_pump(b, 0, b->nsessions, (int)(end - now < 200 ? end - now : 200));
}

/* The login of the n-th session: --user with "%" replaced by n (one user per terminal). */
static void
bench_user(const struct bench *b, size_t n, char *buf, size_t size)
{
	const char	*p = strchr(b->user, '%');

	if (p == NULL)
		snprintf(buf, size, "%s", b->user);
	else
		snprintf(buf, size, "%.*s%zu%s", (int)(p - b->user), b->user, n, p + 1);
}

/* Open one session: connect, authenticate with the key, open a shell on a pty, wait for text. */
static bool
bench_open(struct bench *b, struct bench_session *s, char **cause)
{
	int64_t	deadline;
	int	off = 0, verbosity = SSH_LOG_NOLOG;
	char	user[128];

	s->ssh = ssh_new();
	ssh_options_set(s->ssh, SSH_OPTIONS_HOST, b->host);
	ssh_options_set(s->ssh, SSH_OPTIONS_PORT, &b->port);
	bench_user(b, (size_t)(s - b->sessions) + 1, user, sizeof user);
	ssh_options_set(s->ssh, SSH_OPTIONS_USER, user);
	ssh_options_set(s->ssh, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s->ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s->ssh, SSH_OPTIONS_STRICTHOSTKEYCHECK, &off);
	ssh_options_set(s->ssh, SSH_OPTIONS_PROCESS_CONFIG, &off);
	ssh_options_set(s->ssh, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	if (ssh_connect(s->ssh) != SSH_OK) {
		*cause = xasprintf("connect: %s", ssh_get_error(s->ssh));
		return false;
	}
	if (ssh_userauth_publickey(s->ssh, NULL, b->key) != SSH_AUTH_SUCCESS) {
		*cause = xasprintf("authentication: %s", ssh_get_error(s->ssh));
		return false;
	}
	if ((s->channel = ssh_channel_new(s->ssh)) == NULL ||
	    ssh_channel_open_session(s->channel) != SSH_OK ||
	    ssh_channel_request_pty_size(s->channel, "xterm", 80, 24) != SSH_OK ||
	    ssh_channel_request_shell(s->channel) != SSH_OK) {
		*cause = xasprintf("session: %s", ssh_get_error(s->ssh));
		return false;
	}
	s->fd = ssh_get_fd(s->ssh);
	deadline = bench_now() + BENCH_WAIT;
	while (!bench_saw(s, b->ready_text)) {
		if (bench_now() > deadline || s->dead) {
			*cause = xasprintf("the dashboard did not appear");
			return false;
		}
		ssh_channel_poll_timeout(s->channel, 100, 0);
		bench_read(s);
	}
	return true;
}

/* Print "READY phase" and service the sessions until a line arrives on stdin. */
static void
bench_hold(struct bench *b, const char *phase)
{
	char	line[64];

	printf("READY %s\n", phase);
	fflush(stdout);
	for (;;) {
		struct pollfd	pfd = { .fd = STDIN_FILENO, .events = POLLIN };

		if (poll(&pfd, 1, 0) > 0) {
			if (fgets(line, sizeof line, stdin) == NULL)
				return;
			return;
		}
		bench_pump(b, 0, b->nsessions, 200);
	}
}

/* Record one echo latency in microseconds. */
static void
bench_latency(struct bench *b, int64_t us)
{
	if (b->nlatencies == b->latencies_size) {
		b->latencies_size = b->latencies_size == 0 ? 4096 : b->latencies_size * 2;
		b->latencies = xreallocarray(b->latencies, b->latencies_size,
		    sizeof *b->latencies);
	}
	b->latencies[b->nlatencies++] = us;
}

/* Order latencies. */
static int
bench_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of the sorted latencies, in ms. */
static double
bench_quantile(const struct bench *b, double q)
{
	size_t	i;

	if (b->nlatencies == 0)
		return 0;
	i = (size_t)(q * (double)(b->nlatencies - 1) + 0.5);
	return (double)b->latencies[i] / 1000.0;
}

/*
 * The typists: the first ntyping sessions open the intake and type the search text key by
 * key, five keys a second each, clearing it when done; each key's latency is the time from
 * sending it to the first byte of the answer. The other sessions stay idle and serviced.
 */
static void
bench_type(struct bench *b)
{
	static const char	text[] = "chung thuc ban sao hop dong";
	int64_t			end, now, us;
	size_t			i, lost = 0;
	char			key[2] = { 0, 0 };

	for (i = 0; i < b->ntyping; i++) {
		struct bench_session	*s = &b->sessions[i];
		int64_t			 deadline = bench_now() + BENCH_WAIT;

		s->ntext = 0;
		bench_send(s, KEY_F2);
		while (!s->dead && !bench_saw(s, "Tìm thủ tục") && bench_now() < deadline)
			bench_pump(b, i, 1, 100);
		s->next_at = bench_now() + (int64_t)(i * BENCH_KEY_GAP / b->ntyping);
	}
	end = bench_now() + (int64_t)b->type_seconds * 1000;
	while ((now = bench_now()) < end) {
		for (i = 0; i < b->ntyping; i++) {
			struct bench_session	*s = &b->sessions[i];

			if (s->dead || s->sent_at != 0 || now < s->next_at)
				continue;
			if (s->typed == sizeof text - 1) {
				bench_send(s, KEY_CTRL_U);
				s->typed = 0;
				s->next_at = now + BENCH_KEY_GAP;
				continue;
			}
			key[0] = text[s->typed++];
			s->sent_at = bench_now_us();
			bench_send(s, key);
			s->next_at = now + BENCH_KEY_GAP;
		}
		/* Wait for answers on the typists; service the idle ones now and then. */
		{
			struct pollfd	*pfds = xcalloc(b->ntyping, sizeof *pfds);

			for (i = 0; i < b->ntyping; i++) {
				pfds[i].fd = b->sessions[i].dead ? -1 : b->sessions[i].fd;
				pfds[i].events = POLLIN;
			}
			poll(pfds, b->ntyping, 2);
			for (i = 0; i < b->ntyping; i++) {
				struct bench_session	*s = &b->sessions[i];

				us = bench_now_us();
				if (bench_read(s) > 0 && s->sent_at != 0) {
					bench_latency(b, us - s->sent_at);
					s->sent_at = 0;
				}
			}
			free(pfds);
		}
		for (i = 0; i < b->ntyping; i++) {
			struct bench_session	*s = &b->sessions[i];

			if (s->sent_at != 0 && bench_now_us() - s->sent_at > 10000000) {
				lost++;
				s->sent_at = 0;
			}
		}
		if (b->nsessions > b->ntyping && now % 1000 < 10)
			bench_pump(b, b->ntyping, b->nsessions - b->ntyping, 0);
	}
	qsort(b->latencies, b->nlatencies, sizeof *b->latencies, bench_cmp);
	printf("echo typists %zu keys %zu p50 %.1f ms p99 %.1f ms max %.1f ms unanswered %zu\n",
	    b->ntyping, b->nlatencies, bench_quantile(b, 0.5), bench_quantile(b, 0.99),
	    bench_quantile(b, 1.0), lost);
	/* Leave the intake form; the draft stays. */
	for (i = 0; i < b->ntyping; i++)
		bench_send(&b->sessions[i], "\033[20~");	/* F9: back */
	bench_idle(b, 1000);
}

/* The steps of one intake: what to send, then what to wait for. */
struct bench_step {
	const char	*send;
	const char	*wait;
};
static const struct bench_step bench_intake_steps[] = {
	{ KEY_F2, "Tìm thủ tục" },
	{ "chung thuc ban sao", "2.000815" },
	{ "\r", "Hẹn trả kết quả" },
	{ "Trần Văn Bình\t012345678901\t0912345678\tSố 5 đường Tô Hiệu\tPhường Tô Hiệu\t"
	    "Trần Thị Lan\t012345678902\tSố 7 đường Chu Văn Thịnh\t"
	    "Chứng thực 2 bản sao giấy khai sinh\t" KEY_CTRL_U "2\t\t\t\t" KEY_F5,
	    "Đã tiếp nhận hồ sơ" },
};
#define BENCH_NSTEPS (sizeof bench_intake_steps / sizeof bench_intake_steps[0])

/*
 * The intake workers: sessions [ntyping, ntyping + nintake) take in dossiers one after the
 * other for intake_seconds; prints intakes per second.
 */
static void
bench_intakes(struct bench *b)
{
	size_t	first = b->ntyping, n = b->nintake, i, done = 0, failed = 0;
	int64_t	start = bench_now(), end = start + (int64_t)b->intake_seconds * 1000, now;

	if (first + n > b->nsessions)
		n = b->nsessions - first;
	for (i = first; i < first + n; i++) {
		b->sessions[i].step = 0;
		b->sessions[i].ntext = 0;
		bench_send(&b->sessions[i], bench_intake_steps[0].send);
		b->sessions[i].step_deadline = bench_now() + BENCH_WAIT;
	}
	while ((now = bench_now()) < end) {
		bench_pump(b, first, n, 20);
		for (i = first; i < first + n; i++) {
			struct bench_session	*s = &b->sessions[i];

			if (s->dead)
				continue;
			if (bench_saw(s, bench_intake_steps[s->step].wait)) {
				if (++s->step == BENCH_NSTEPS) {
					done++;
					s->step = 0;
				}
			} else if (now > s->step_deadline) {
				failed++;
				fprintf(stderr, "bench-capacity: session %zu waited in vain for "
				    "\"%s\"; the screen had: %.*s\n", i,
				    bench_intake_steps[s->step].wait, (int)(s->ntext > 300 ? 300 :
				    s->ntext), s->text + (s->ntext > 300 ? s->ntext - 300 : 0));
				s->step = 0;
			} else
				continue;
			bench_send(s, bench_intake_steps[s->step].send);
			s->step_deadline = now + BENCH_WAIT;
		}
	}
	printf("intakes workers %zu done %zu failed %zu seconds %d rate %.1f/s\n", n, done, failed,
	    b->intake_seconds, (double)done * 1000.0 / (double)(bench_now() - start));
}

/* Print the usage. */
static void
bench_usage(FILE *f)
{
	fprintf(f, "usage: bench-capacity --port PORT --user LOGIN --key FILE --sessions N\n"
	    "       (a %% in LOGIN becomes the session's number: one user per session)\n"
	    "           [--host ADDR] [--typing N] [--type-seconds S] [--intake N]\n"
	    "           [--intake-seconds S] [--ready TEXT]\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "key", required_argument, NULL, 'k' },
		{ "sessions", required_argument, NULL, 'n' },
		{ "typing", required_argument, NULL, 't' },
		{ "type-seconds", required_argument, NULL, 'T' },
		{ "intake", required_argument, NULL, 'i' },
		{ "intake-seconds", required_argument, NULL, 'I' },
		{ "ready", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench	b;
	char		*cause = NULL;
	int64_t		start;
	size_t		i, opened = 0;
	int		c;

	memset(&b, 0, sizeof b);
	b.host = "127.0.0.1";
	b.ready_text = "F1 Trợ giúp";
	b.type_seconds = 20;
	b.intake_seconds = 20;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': b.host = optarg; break;
		case 'p': b.port = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'u': b.user = optarg; break;
		case 'k': b.key_path = optarg; break;
		case 'n': b.nsessions = strtoul(optarg, NULL, 10); break;
		case 't': b.ntyping = strtoul(optarg, NULL, 10); break;
		case 'T': b.type_seconds = atoi(optarg); break;
		case 'i': b.nintake = strtoul(optarg, NULL, 10); break;
		case 'I': b.intake_seconds = atoi(optarg); break;
		case 'r': b.ready_text = optarg; break;
		case 'H': bench_usage(stdout); return 0;
		default: bench_usage(stderr); return 2;
		}
	}
	if (b.port == 0 || b.user == NULL || b.key_path == NULL || b.nsessions == 0 ||
	    b.ntyping + b.nintake > b.nsessions) {
		bench_usage(stderr);
		return 2;
	}
	if (ssh_pki_import_privkey_file(b.key_path, NULL, NULL, NULL, &b.key) != SSH_OK) {
		fprintf(stderr, "bench-capacity: cannot read the key %s\n", b.key_path);
		return 1;
	}
	b.sessions = xcalloc(b.nsessions, sizeof *b.sessions);	/* zeroed: bench_open expects it */
	start = bench_now();
	for (i = 0; i < b.nsessions; i++) {
		if (!bench_open(&b, &b.sessions[i], &cause)) {
			fprintf(stderr, "bench-capacity: session %zu: %s\n", i + 1, cause);
			free(cause);
			return 1;
		}
		opened++;
		if (opened % 100 == 0) {
			fprintf(stderr, "bench-capacity: %zu sessions open\n", opened);
			bench_pump(&b, 0, opened, 0);
		}
	}
	printf("connected %zu in %.1f s\n", opened, (double)(bench_now() - start) / 1000.0);
	fflush(stdout);
	bench_idle(&b, 2000);
	bench_hold(&b, "idle");
	if (b.ntyping > 0)
		bench_type(&b);
	if (b.nintake > 0)
		bench_intakes(&b);
	fflush(stdout);
	bench_hold(&b, "done");
	for (i = 0; i < b.nsessions; i++) {
		if (b.sessions[i].channel != NULL) {
			ssh_channel_close(b.sessions[i].channel);
			ssh_channel_free(b.sessions[i].channel);
		}
		ssh_disconnect(b.sessions[i].ssh);
		ssh_free(b.sessions[i].ssh);
	}
	free(b.sessions);
	free(b.latencies);
	ssh_key_free(b.key);
	return 0;
}
