/* cli.h: what the subcommands of motcuad share: loading a catalog, paths, descriptors. */
#ifndef MOTCUA_CLI_H
#define MOTCUA_CLI_H

#include <stdbool.h>

struct catalog;

/*
 * Load the catalog in dir for a command, printing every problem on stderr as "dir/file:line:
 * column: message" with a closing summary; NULL if it does not load.
 */
struct catalog	*cli_load_catalog(const char *dir);

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
