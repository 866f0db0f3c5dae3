/* log.c: the server's log lines on stderr: timestamp, process, level, escaped message. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

static enum log_level	log_level = LOG_INFO;

static const char *log_names[] = { "error", "warn", "info", "debug" };

/* Set the most verbose level that is written. */
void
log_set_level(enum log_level level)
{
	log_level = level;
}

/* The most verbose level that is written. */
enum log_level
log_get_level(void)
{
	return log_level;
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

/* The name of a level. */
const char *
log_level_name(enum log_level level)
{
	if ((size_t)level >= sizeof log_names / sizeof log_names[0])
		return "?";
	return log_names[level];
}

/* Format and write one line at a level, escaping control characters. */
static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 stamp[32], *message, *line, *p;
	const char	*s;
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
	for (s = message; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			p += sprintf(p, "\\x%02x", (unsigned char)*s);
		else
			*p++ = *s;
	}
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
