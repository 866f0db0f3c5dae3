/*
 * cli.c: what the subcommands of motcuad share: loading a catalog, copying one (a catalog
 * served is a private copy, validated as copied), paths, descriptors.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "xmalloc.h"

#define CLI_COPY_MAX_DEPTH	8	/* a catalog is 3 deep: procedures/<field>/<code>.yaml */
#define CLI_SNAPSHOT_PREFIX	"catalog."

/* Load a catalog, printing every problem; NULL if it does not load. */
struct catalog *
cli_load_catalog(const char *dir)
{
	struct catalog_problems	 problems = { 0 };
	struct catalog		*catalog;
	struct stat		 sb;

	if (stat(dir, &sb) != 0) {
		fprintf(stderr, "motcuad: catalog %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "motcuad: catalog %s: not a directory\n", dir);
		return NULL;
	}
	if ((catalog = catalog_load(dir, &problems)) == NULL)
		cli_print_problems(dir, &problems);
	catalog_problems_free(&problems);
	return catalog;
}

/* Print the problems of the catalog in dir on stderr, with a closing summary. */
void
cli_print_problems(const char *dir, const struct catalog_problems *problems)
{
	size_t	i;

	for (i = 0; i < problems->n; i++)
		fprintf(stderr, "%s/%s\n", dir, problems->items[i]);
	if (problems->dropped != 0)
		fprintf(stderr, "%s: %zu more problems not shown\n", dir, problems->dropped);
	fprintf(stderr, "%s: %zu problems; fix them and run `motcuad catalog check %s`\n",
	    dir, problems->n + problems->dropped, dir);
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

/* Copy one regular file to a new file; returns 0, or -1 with *cause set. */
static int
cli_copy_file(const char *from, const char *to, char **cause)
{
	char	buf[8192];
	ssize_t	n;
	int	in, out, ret = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", from, strerror(errno));
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1) {
		*cause = xasprintf("%s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			*cause = xasprintf("%s: %s", to, errno != 0 ? strerror(errno) :
			    "short write");
			goto out;
		}
	}
	if (n < 0) {
		*cause = xasprintf("%s: %s", from, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	close(in);
	if (close(out) != 0 && ret == 0) {
		*cause = xasprintf("%s: %s", to, strerror(errno));
		ret = -1;
	}
	return ret;
}

/* Copy a tree below the depth limit; see cli_copy_tree. */
static int
cli_copy_tree_at(const char *from, const char *to, int depth, char **cause)
{
	struct dirent	*entry;
	struct stat	 sb;
	DIR		*dir;
	char		*src, *dst;
	int		 ret = 0;

	if (depth > CLI_COPY_MAX_DEPTH) {
		*cause = xasprintf("%s: nested too deep for a catalog", from);
		return -1;
	}
	if (mkdir(to, 0755) == -1) {
		*cause = xasprintf("%s: %s", to, strerror(errno));
		return -1;
	}
	if ((dir = opendir(from)) == NULL) {
		*cause = xasprintf("%s: %s", from, strerror(errno));
		return -1;
	}
	while (ret == 0 && (entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		src = xasprintf("%s/%s", from, entry->d_name);
		dst = xasprintf("%s/%s", to, entry->d_name);
		if (stat(src, &sb) != 0) {
			*cause = xasprintf("%s: %s", src, strerror(errno));
			ret = -1;
		} else if (S_ISDIR(sb.st_mode))
			ret = cli_copy_tree_at(src, dst, depth + 1, cause);
		else if (S_ISREG(sb.st_mode))
			ret = cli_copy_file(src, dst, cause);
		free(src);
		free(dst);
	}
	closedir(dir);
	return ret;
}

/* Copy a catalog's directory tree to a new directory. */
int
cli_copy_tree(const char *from, const char *to, char **cause)
{
	return cli_copy_tree_at(from, to, 0, cause);
}

/* Remove a file or a directory tree, without following symbolic links. */
int
cli_remove_tree(const char *path, char **cause)
{
	struct dirent	*entry;
	struct stat	 sb;
	DIR		*dir;
	char		*sub;
	int		 ret = 0;

	if (lstat(path, &sb) == -1) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		if (unlink(path) == -1 && errno != ENOENT) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((dir = opendir(path)) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && (entry = readdir(dir)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, entry->d_name);
		ret = cli_remove_tree(sub, cause);
		free(sub);
	}
	closedir(dir);
	if (ret == 0 && rmdir(path) == -1 && errno != ENOENT) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		ret = -1;
	}
	return ret;
}

/* The path of a catalog copy in the run directory; the caller frees it. */
char *
cli_snapshot_path(const char *run_dir, unsigned int generation)
{
	return xasprintf("%s/" CLI_SNAPSHOT_PREFIX "%u", run_dir, generation);
}

/* Copy the catalog in dir to a new generation in run_dir and load it from there. */
struct catalog *
cli_snapshot(const char *dir, const char *run_dir, unsigned int generation, char **copy,
    struct catalog_problems *problems, char **cause)
{
	struct catalog	*catalog = NULL;
	struct stat	 sb;
	char		*final, *tmp, *ignored = NULL;

	*copy = NULL;
	final = cli_snapshot_path(run_dir, generation);
	tmp = xasprintf("%s.tmp", final);
	if (stat(dir, &sb) == -1) {
		*cause = xasprintf("catalog %s: %s", dir, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("catalog %s: not a directory", dir);
		goto out;
	}
	if (cli_remove_tree(tmp, cause) != 0 || cli_remove_tree(final, cause) != 0)
		goto out;
	if (cli_copy_tree(dir, tmp, cause) != 0)
		goto out;
	if ((catalog = catalog_load(tmp, problems)) == NULL)
		goto out;
	if (rename(tmp, final) == -1) {
		*cause = xasprintf("%s: %s", final, strerror(errno));
		catalog_free(catalog);
		catalog = NULL;
		goto out;
	}
	*copy = final;
	final = NULL;
out:
	if (catalog == NULL && cli_remove_tree(tmp, &ignored) != 0)
		free(ignored);
	free(tmp);
	free(final);
	return catalog;
}

/*
 * Parse the generation of a name in the run directory: "catalog.N" gives N; anything else
 * that starts with "catalog." (a copy left half made) gives 0.
 */
static unsigned int
cli_snapshot_generation(const char *name)
{
	unsigned long	 n;
	char		*end;

	name += strlen(CLI_SNAPSHOT_PREFIX);
	if (*name < '1' || *name > '9')
		return 0;
	errno = 0;
	n = strtoul(name, &end, 10);
	if (errno != 0 || *end != '\0' || n > UINT_MAX)
		return 0;
	return (unsigned int)n;
}

/* Remove the catalog copies in run_dir whose generation is not in keep. */
int
cli_snapshot_prune(const char *run_dir, const unsigned int *keep, size_t nkeep, char **cause)
{
	struct dirent	*entry;
	DIR		*dir;
	char		*path;
	unsigned int	 generation;
	size_t		 i;
	int		 ret = 0;

	if ((dir = opendir(run_dir)) == NULL) {
		*cause = xasprintf("%s: %s", run_dir, strerror(errno));
		return -1;
	}
	while (ret == 0 && (entry = readdir(dir)) != NULL) {
		if (strncmp(entry->d_name, CLI_SNAPSHOT_PREFIX,
		    strlen(CLI_SNAPSHOT_PREFIX)) != 0)
			continue;
		generation = cli_snapshot_generation(entry->d_name);
		for (i = 0; i < nkeep && generation != 0; i++) {
			if (keep[i] == generation)
				break;
		}
		if (generation != 0 && i < nkeep)
			continue;
		path = xasprintf("%s/%s", run_dir, entry->d_name);
		ret = cli_remove_tree(path, cause);
		free(path);
	}
	closedir(dir);
	return ret;
}
