/*
 * cli.h: what the subcommands of motcuad share: loading a catalog, copying one (a catalog
 * served is a private copy, validated as copied), paths, descriptors.
 */
#ifndef MOTCUA_CLI_H
#define MOTCUA_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct catalog;
struct catalog_problems;

/*
 * Load the catalog in dir for a command, printing every problem on stderr as "dir/file:line:
 * column: message" with a closing summary; NULL if it does not load.
 */
struct catalog	*cli_load_catalog(const char *dir);

/*
 * Print the problems of the catalog in dir on stderr, each as "dir/file:line:column: message",
 * with a closing summary.
 */
void		 cli_print_problems(const char *dir, const struct catalog_problems *problems);

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

#endif
