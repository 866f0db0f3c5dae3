/*
 * log.c: the server's log lines on stderr: timestamp, process, level, escaped message. What a
 * client sends (logins, terminal types, addresses) reaches the log, so every byte that could
 * act on an administrator's terminal is escaped: C0 controls and DEL as \xNN, C1 controls and
 * the bidirectional overrides as \uNNNN, and every byte of invalid UTF-8 as \xNN.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "text.h"
#include "xmalloc.h"

static enum log_level	log_level = LOG_INFO;

static const char *log_names[] = { "error", "warn", "info", "debug" };

/* Set the most verbose level that is written. */
void
log_set_level(enum log_level level)
{
	log_level = level;
}

/* Parse a level name. */
int
log_level_parse(const char *name, enum log_level *level)
{
	size_t	i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcmp(name, log_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* The length of the UTF-8 sequence that byte c starts (1 for anything that cannot start one). */
static size_t
log_sequence_length(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

/*
 * Copy message to out, escaping what a terminal could act on; out has room for four bytes
 * per byte of message. Returns the end of what was written.
 */
static char *
log_escape(const char *message, char *out)
{
	const unsigned char	*s = (const unsigned char *)message;
	size_t			 len, i;
	unsigned int		 cp;

	while (*s != '\0') {
		if (*s < 0x20 || *s == 0x7f) {
			out += sprintf(out, "\\x%02x", *s++);
			continue;
		}
		if (*s < 0x80) {
			*out++ = (char)*s++;
			continue;
		}
		len = log_sequence_length(*s);
		for (i = 1; i < len && s[i] != '\0'; i++)
			continue;
		if (len == 1 || i != len || !text_utf8_valid((const char *)s, len, NULL)) {
			out += sprintf(out, "\\x%02x", *s++);
			continue;
		}
		cp = len == 2 ? (s[0] & 0x1fU) : len == 3 ? (s[0] & 0x0fU) : (s[0] & 0x07U);
		for (i = 1; i < len; i++)
			cp = (cp << 6) | (s[i] & 0x3fU);
		/* C1 controls, and the bidi embeddings, overrides and isolates. */
		if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			out += sprintf(out, "\\u%04x", cp);	/* 6 bytes for 2 or 3 */
			s += len;
			continue;
		}
		memcpy(out, s, len);
		out += len;
		s += len;
	}
	return out;
}

static void	log_vwrite(enum log_level, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Format and write one line at a level, escaping control characters. */
static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 stamp[32], *message, *line, *p;
	size_t		 size;

	if (level > log_level)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);

	message = xvasprintf(fmt, ap);
	size = strlen(message) * 4 + 128;
	line = xmalloc(size);
	p = line + snprintf(line, size, "%s.%03dZ motcuad[%ld] %s: ", stamp,
	    (int)(tv.tv_usec / 1000), (long)getpid(), log_names[level]);
	p = log_escape(message, p);
	*p++ = '\n';
	*p = '\0';
	/* One write per line, so lines of concurrent processes do not interleave. */
	if (write(STDERR_FILENO, line, (size_t)(p - line)) < 0) {
		/* Nowhere left to report it. */
	}
	free(line);
	free(message);
}

/* Log an error: something failed that an administrator should look at. */
void
log_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERROR, fmt, ap);
	va_end(ap);
}

/* Log a warning: a refused or suspicious event. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARN, fmt, ap);
	va_end(ap);
}

/* Log an ordinary event: connections, logins, disconnects. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap);
	va_end(ap);
}

/* Log detail useful when looking for a problem. */
void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap);
	va_end(ap);
}
