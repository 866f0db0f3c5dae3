/*
 * linkem.c: a TCP relay that behaves like a district's link: a bandwidth per direction, a
 * one-way delay, a cut after some seconds or bytes, a blackhole, and byte counts each way.
 *
 *   linkem --listen PORT --connect HOST:PORT [--down KBIT] [--up KBIT] [--delay MS]
 *          [--cut-after-seconds N] [--cut-after-bytes N] [--blackhole-after-seconds N]
 *          [--stats FILE] [--once]
 *
 * "Down" is server to client (the connecting side is the client). Each accepted connection
 * gets its own pair of directions; counts are written to the stats file (appended, one line
 * per connection) when it ends: "up BYTES down BYTES seconds S". With --once the relay exits
 * after its first connection ends.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

#define LINKEM_CHUNK		512		/* bytes read at once: roughly a packet */
#define LINKEM_MAX_QUEUED	(4 << 20)	/* bytes in flight per direction */
#define LINKEM_MAX_PAIRS	2048

/* A piece of data on its way, and when it arrives at the other end. */
struct linkem_chunk {
	struct linkem_chunk	*next;
	int64_t			 arrival;	/* microseconds */
	size_t			 len;
	size_t			 off;
	unsigned char		 data[LINKEM_CHUNK];
};

/* One direction of a connection: what was read from one socket, queued for the other. */
struct linkem_dir {
	int			 from;
	int			 to;
	int64_t			 rate;		/* bits per second; 0: unlimited */
	int64_t			 link_free;	/* when the last byte finishes leaving */
	struct linkem_chunk	*head;
	struct linkem_chunk	*tail;
	size_t			 queued;
	uint64_t		 bytes;
	bool			 eof;		/* the reading side closed */
};

/* One relayed connection. */
struct linkem_pair {
	struct linkem_dir	up;		/* client → server */
	struct linkem_dir	down;		/* server → client */
	int64_t			 started;
	bool			 blackholed;
	bool			 done;
};

static struct {
	int64_t		 delay;			/* one-way, microseconds */
	int64_t		 up_rate;
	int64_t		 down_rate;
	int64_t		 cut_after_seconds;
	uint64_t	 cut_after_bytes;
	int64_t		 blackhole_after_seconds;
	const char	*stats;
	bool		 once;
} linkem;

/* Monotonic time in microseconds. */
static int64_t
linkem_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* End the relay with a message. */
static void
linkem_die(const char *what)
{
	fprintf(stderr, "linkem: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Open a connection to host:port. */
static int
linkem_connect(const char *target)
{
	struct addrinfo	 hints, *res;
	char		*host, *port;
	int		 fd, one = 1;

	host = xstrdup(target);
	if ((port = strrchr(host, ':')) == NULL) {
		fprintf(stderr, "linkem: --connect HOST:PORT\n");
		exit(2);
	}
	*port++ = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0) {
		fprintf(stderr, "linkem: cannot resolve %s\n", target);
		exit(1);
	}
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd == -1 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
		if (fd != -1)
			close(fd);
		fd = -1;
	} else
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	freeaddrinfo(res);
	free(host);
	return fd;
}

/* Read what is available into the direction's queue, stamped with its arrival time. */
static void
linkem_read(struct linkem_dir *d, bool forward)
{
	struct linkem_chunk	*c;
	int64_t			 now = linkem_now(), start;
	ssize_t			 n;

	c = xmalloc(sizeof *c);
	n = read(d->from, c->data, sizeof c->data);
	if (n <= 0) {
		free(c);
		d->eof = true;
		return;
	}
	d->bytes += (uint64_t)n;
	if (!forward) {
		free(c);
		return;
	}
	start = now > d->link_free ? now : d->link_free;
	d->link_free = start + (d->rate > 0 ? (int64_t)n * 8 * 1000000 / d->rate : 0);
	c->arrival = d->link_free + linkem.delay;
	c->len = (size_t)n;
	c->off = 0;
	c->next = NULL;
	if (d->tail != NULL)
		d->tail->next = c;
	else
		d->head = c;
	d->tail = c;
	d->queued += (size_t)n;
}

/* Write whatever has arrived; returns -1 if the receiving side is gone. */
static int
linkem_write(struct linkem_dir *d)
{
	struct linkem_chunk	*c;
	int64_t			 now = linkem_now();
	ssize_t			 n;

	while ((c = d->head) != NULL && c->arrival <= now) {
		n = write(d->to, c->data + c->off, c->len - c->off);
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->off += (size_t)n;
		d->queued -= (size_t)n;
		if (c->off < c->len)
			return 0;
		d->head = c->next;
		if (d->head == NULL)
			d->tail = NULL;
		free(c);
	}
	return 0;
}

/* Microseconds until the direction's next chunk arrives, or -1 if nothing is queued. */
static int64_t
linkem_next(const struct linkem_dir *d)
{
	int64_t	wait;

	if (d->head == NULL)
		return -1;
	wait = d->head->arrival - linkem_now();
	return wait < 0 ? 0 : wait;
}

/* Free a direction's queue. */
static void
linkem_drop(struct linkem_dir *d)
{
	struct linkem_chunk	*c;

	while ((c = d->head) != NULL) {
		d->head = c->next;
		free(c);
	}
	d->tail = NULL;
	d->queued = 0;
}

/* Close a connection and append its counts to the stats file. */
static void
linkem_finish(struct linkem_pair *p)
{
	FILE	*f;

	if (linkem.stats != NULL && (f = fopen(linkem.stats, "a")) != NULL) {
		fprintf(f, "up %llu down %llu seconds %.3f\n", (unsigned long long)p->up.bytes,
		    (unsigned long long)p->down.bytes,
		    (double)(linkem_now() - p->started) / 1e6);
		fclose(f);
	}
	close(p->up.from);
	close(p->down.from);
	linkem_drop(&p->up);
	linkem_drop(&p->down);
	p->done = true;
}

/* Parse the options into the global settings. */
static void
linkem_options(int argc, char **argv, const char **listen_port, const char **target)
{
	static const struct option options[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "connect", required_argument, NULL, 'c' },
		{ "down", required_argument, NULL, 'd' },
		{ "up", required_argument, NULL, 'u' },
		{ "delay", required_argument, NULL, 'D' },
		{ "cut-after-seconds", required_argument, NULL, 's' },
		{ "cut-after-bytes", required_argument, NULL, 'b' },
		{ "blackhole-after-seconds", required_argument, NULL, 'B' },
		{ "stats", required_argument, NULL, 'S' },
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	int	opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'l': *listen_port = optarg; break;
		case 'c': *target = optarg; break;
		case 'd': linkem.down_rate = atoll(optarg) * 1000; break;
		case 'u': linkem.up_rate = atoll(optarg) * 1000; break;
		case 'D': linkem.delay = atoll(optarg) * 1000; break;
		case 's': linkem.cut_after_seconds = atoll(optarg); break;
		case 'b': linkem.cut_after_bytes = strtoull(optarg, NULL, 10); break;
		case 'B': linkem.blackhole_after_seconds = atoll(optarg); break;
		case 'S': linkem.stats = optarg; break;
		case 'o': linkem.once = true; break;
		default:
			fprintf(stderr, "usage: linkem --listen PORT --connect HOST:PORT [--down KBIT] "
			    "[--up KBIT] [--delay MS] [--cut-after-seconds N] [--cut-after-bytes N] "
			    "[--blackhole-after-seconds N] [--stats FILE] [--once]\n");
			exit(2);
		}
	}
	if (*listen_port == NULL || *target == NULL) {
		fprintf(stderr, "linkem: --listen and --connect are required\n");
		exit(2);
	}
}

/* Accept clients on 127.0.0.1:PORT and relay each to the target through the emulated link. */
int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd[1 + 2 * LINKEM_MAX_PAIRS];
	struct linkem_pair	*pairs = NULL, *p;
	const char		*listen_port = NULL, *target = NULL;
	size_t			 npairs = 0, i, n, live;
	int64_t			 wait, next, age;
	int			 lfd, cfd, sfd, one = 1, timeout;

	linkem_options(argc, argv, &listen_port, &target);
	signal(SIGPIPE, SIG_IGN);

	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		linkem_die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(listen_port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(lfd, 128) != 0)
		linkem_die("listen");

	for (;;) {
		n = 0;
		pfd[n].fd = lfd;
		pfd[n++].events = POLLIN;
		next = -1;
		live = 0;
		for (i = 0; i < npairs; i++) {
			p = &pairs[i];
			if (p->done)
				continue;
			live++;
			age = (linkem_now() - p->started) / 1000000;
			if (linkem.blackhole_after_seconds > 0 &&
			    age >= linkem.blackhole_after_seconds && !p->blackholed) {
				p->blackholed = true;
				linkem_drop(&p->up);
				linkem_drop(&p->down);
			}
			if ((linkem.cut_after_seconds > 0 && age >= linkem.cut_after_seconds) ||
			    (linkem.cut_after_bytes > 0 &&
			    p->up.bytes + p->down.bytes >= linkem.cut_after_bytes) ||
			    (p->up.eof && p->up.head == NULL) || (p->down.eof && p->down.head == NULL)) {
				linkem_finish(p);
				live--;
				continue;
			}
			if (linkem_write(&p->up) != 0 || linkem_write(&p->down) != 0) {
				linkem_finish(p);
				live--;
				continue;
			}
			pfd[n].fd = p->up.from;
			pfd[n++].events = p->up.queued < LINKEM_MAX_QUEUED ? POLLIN : 0;
			pfd[n].fd = p->down.from;
			pfd[n++].events = p->down.queued < LINKEM_MAX_QUEUED ? POLLIN : 0;
			if ((wait = linkem_next(&p->up)) >= 0 && (next < 0 || wait < next))
				next = wait;
			if ((wait = linkem_next(&p->down)) >= 0 && (next < 0 || wait < next))
				next = wait;
			if (linkem.cut_after_seconds > 0 || linkem.blackhole_after_seconds > 0)
				next = next < 0 || next > 100000 ? 100000 : next;
		}
		if (linkem.once && npairs > 0 && live == 0)
			break;
		timeout = next < 0 ? -1 : (int)((next + 999) / 1000);
		if (poll(pfd, n, timeout) == -1 && errno != EINTR)
			linkem_die("poll");

		if ((pfd[0].revents & POLLIN) != 0 && npairs < LINKEM_MAX_PAIRS) {
			if ((cfd = accept(lfd, NULL, NULL)) != -1) {
				if ((sfd = linkem_connect(target)) == -1)
					close(cfd);
				else {
					setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					pairs = xreallocarray(pairs, npairs + 1, sizeof *pairs);
					p = &pairs[npairs++];
					memset(p, 0, sizeof *p);
					p->started = linkem_now();
					p->up.from = p->down.to = cfd;
					p->up.to = p->down.from = sfd;
					p->up.rate = linkem.up_rate;
					p->down.rate = linkem.down_rate;
				}
			}
		}
		for (i = 1; i < n; i++) {
			if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
				continue;
			for (p = pairs; p < pairs + npairs; p++) {
				if (p->done)
					continue;
				if (pfd[i].fd == p->up.from && !p->up.eof)
					linkem_read(&p->up, !p->blackholed);
				else if (pfd[i].fd == p->down.from && !p->down.eof)
					linkem_read(&p->down, !p->blackholed);
			}
		}
	}
	free(pairs);
	return 0;
}
