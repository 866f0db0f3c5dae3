/*
 * log.h: the server's log, one line per event on stderr with a UTC ISO 8601 timestamp, the
 * process id and a level. Control characters (C0, DEL, C1, bidi overrides) and invalid UTF-8
 * in a line are escaped, so nothing a client sends can forge a line or act on the terminal of
 * whoever reads the log. Never pass secrets.
 */
#ifndef MOTCUA_LOG_H
#define MOTCUA_LOG_H

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG
};

/* Lines above this level are dropped; the default is LOG_INFO. */
void		 log_set_level(enum log_level);

/* Parse "error", "warn", "info" or "debug"; 0, or -1 if the name is unknown. */
int		 log_level_parse(const char *, enum log_level *);

void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
