/*
 * cli.h: what the subcommands of motcuad share: loading a catalog, copying one (a catalog
 * served is a private copy, validated as copied), paths, descriptors.
 */
#ifndef MOTCUA_CLI_H
#define MOTCUA_CLI_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct catalog;
struct catalog_problems;

/*
 * Load the catalog in dir for a command, printing every problem on stderr as "dir/file:line:
 * column: message" with a closing summary; NULL if it does not load.
 */
struct catalog	*cli_load_catalog(const char *dir);
/* The same, printing to err. */
struct catalog	*cli_fload_catalog(FILE *err, const char *dir);

/*
 * Print the problems of the catalog in dir on stderr, each as "dir/file:line:column: message",
 * with a closing summary.
 */
void		 cli_print_problems(const char *dir, const struct catalog_problems *problems);
/* The same, to f. */
void		 cli_fprint_problems(FILE *f, const char *dir,
		     const struct catalog_problems *problems);

/*
 * Check the catalog in dir as `motcuad catalog check` does: every problem on err, a warning on
 * err if no calendar covers the next two months, and a summary line on out. Returns 0 if the
 * catalog loads, 1 if not.
 */
int		 cli_check_catalog(const char *dir, FILE *out, FILE *err);

/*
 * Parse a non-negative number of working days with at most two decimals ("5", "0.5", "1.25")
 * into hundredths; returns 0, or -1 if malformed or too large.
 */
int		 cli_parse_days(const char *text, int *centidays);

/*
 * The version of a whole catalog: the first CLI_VERSION_LEN hex digits of SHA-256 over the
 * code and version of each procedure, in code order; it changes when any procedure changes,
 * is added or is removed.
 */
#define CLI_VERSION_LEN	16
void		 cli_catalog_version(const struct catalog *, char buf[CLI_VERSION_LEN + 1]);

/*
 * Copy the directory tree from to the directory to, which must not exist: directories and
 * regular files, following symbolic links and skipping names that start with a dot, as the
 * catalog loader reads them. Returns 0, or -1 with *cause set (the copy may be partial).
 */
int		 cli_copy_tree(const char *from, const char *to, char **cause);

/*
 * Remove a file or a directory tree (symbolic links are removed, not followed); a missing
 * path is fine. Returns 0, or -1 with *cause set.
 */
int		 cli_remove_tree(const char *path, char **cause);

/* The path of generation generation of the served catalog: RUN/catalog.N; caller frees. */
char		*cli_snapshot_path(const char *run_dir, unsigned int generation);

/*
 * Copy the catalog in dir to RUN/catalog.<generation> (through RUN/catalog.<generation>.tmp,
 * renamed once the copy loads) and load it from the copy, so that what is served is exactly
 * what was validated. Returns the catalog and sets *copy to the copy's path (caller frees
 * both). Returns NULL with *cause set if the copy failed, or with the catalog's problems in
 * *problems (each relative to the catalog's top, so the caller can name them under dir);
 * either way nothing of this generation is left in run_dir.
 */
struct catalog	*cli_snapshot(const char *dir, const char *run_dir, unsigned int generation,
		     char **copy, struct catalog_problems *problems, char **cause);

/*
 * Remove every RUN/catalog.* but the generations in keep (nkeep of them), including copies
 * left half made. Returns 0, or -1 with *cause set at the first that cannot be removed.
 */
int		 cli_snapshot_prune(const char *run_dir, const unsigned int *keep,
		     size_t nkeep, char **cause);

/* Return true if path names an existing directory. */
bool		 cli_is_dir(const char *path);

/* The catalog a data directory uses: DATA/catalog if it exists, else the installed one. */
char		*cli_catalog_dir(const char *data);

/*
 * Close every descriptor from first up, with close_range or, where that fails, one by one.
 * Returns 0, or -1 if some descriptor could not be closed.
 */
int		 cli_close_from(unsigned int first);

/*
 * What `motcuad serve` leaves in its run directory: RUN/motcuad.pid holds the listener's pid and
 * a write lock (fcntl) while it runs, so the lock tells whether a server runs and which pid it
 * has, whatever a stale file says; RUN/motcuad.state says what the listener serves, rewritten
 * (atomically, by rename) after every attempt to load the catalog.
 */
#define CLI_PID_FILE	"motcuad.pid"
#define CLI_STATE_FILE	"motcuad.state"

struct cli_state {
	pid_t		 pid;			/* the listener */
	unsigned int	 generation;		/* of the catalog served: RUN/catalog.N */
	char		 version[CLI_VERSION_LEN + 1];	/* cli_catalog_version of it */
	int64_t		 loaded_at;		/* when it was loaded */
	size_t		 procedures;		/* how many it has */
	unsigned int	 attempts;		/* loads tried: 1 at start, one more per SIGHUP */
	int64_t		 attempt_at;		/* when the last attempt ended */
	bool		 attempt_ok;		/* whether it loaded */
	size_t		 attempt_problems;	/* the problems it found (0 if a copy failed) */
	char		*catalog_dir;		/* the maintainers' catalog */
	char		*catalog_copy;		/* RUN/catalog.N */
};

/*
 * Create RUN/motcuad.pid, lock it and write the pid in it. Returns the descriptor (keep it
 * open while serving; closing any descriptor of the file drops the lock), or -1 with *cause
 * set, naming the pid of the server holding it if there is one.
 */
int		 cli_pid_lock(const char *run_dir, char **cause);

/* The pid of the listener holding RUN/motcuad.pid's lock, or 0 if no server runs. */
pid_t		 cli_server_pid(const char *run_dir);

/* Write RUN/motcuad.state. Returns 0, or -1 with *cause set. */
int		 cli_state_write(const char *run_dir, const struct cli_state *, char **cause);

/*
 * Read RUN/motcuad.state into *state (free with cli_state_clear). Returns 0, 1 if there is
 * none, or -1 with *cause set.
 */
int		 cli_state_read(const char *run_dir, struct cli_state *, char **cause);
void		 cli_state_clear(struct cli_state *);

#endif
