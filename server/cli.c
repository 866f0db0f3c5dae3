/* cli.c: what the subcommands of motcuad share: loading a catalog, paths, descriptors. */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "xmalloc.h"

/* Load a catalog, printing every problem; NULL if it does not load. */
struct catalog *
cli_load_catalog(const char *dir)
{
	struct catalog_problems	 problems = { 0 };
	struct catalog		*catalog;
	struct stat		 sb;
	size_t			 i;

	if (stat(dir, &sb) != 0) {
		fprintf(stderr, "motcuad: catalog %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "motcuad: catalog %s: not a directory\n", dir);
		return NULL;
	}
	if ((catalog = catalog_load(dir, &problems)) == NULL) {
		for (i = 0; i < problems.n; i++)
			fprintf(stderr, "%s/%s\n", dir, problems.items[i]);
		if (problems.dropped != 0)
			fprintf(stderr, "%s: %zu more problems not shown\n", dir, problems.dropped);
		fprintf(stderr, "%s: %zu problems; fix them and run `motcuad catalog check %s`\n",
		    dir, problems.n + problems.dropped, dir);
	}
	catalog_problems_free(&problems);
	return catalog;
}

/* Return true if path names an existing directory. */
bool
cli_is_dir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The catalog of a data directory: its own if it has one, else the installed one. */
char *
cli_catalog_dir(const char *data)
{
	char	*path;

	path = xasprintf("%s/catalog", data);
	if (cli_is_dir(path))
		return path;
	free(path);
	return xstrdup(MOTCUA_CATALOG_DIR);
}

/* Close every descriptor from first up. */
int
cli_close_from(unsigned int first)
{
	struct rlimit	rl;
	unsigned int	fd, last = 65536;

	if (close_range(first, ~0U, 0) == 0)
		return 0;
	/* No close_range (an old kernel, a filter): close them one by one. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < last)
		last = (unsigned int)rl.rlim_cur;
	for (fd = first; fd < last; fd++) {
		if (close((int)fd) == -1 && errno != EBADF && errno != EINTR)
			return -1;
	}
	return 0;
}
