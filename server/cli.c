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
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "sha256.h"
#include "xmalloc.h"

#define CLI_COPY_MAX_DEPTH	8	/* a catalog is 3 deep: procedures/<field>/<code>.yaml */
#define CLI_SNAPSHOT_PREFIX	"catalog."

/* Load a catalog, printing every problem; NULL if it does not load. */
struct catalog *
cli_load_catalog(const char *dir)
{
	return cli_fload_catalog(stderr, dir);
}

/* Load a catalog, printing every problem to err; NULL if it does not load. */
struct catalog *
cli_fload_catalog(FILE *err, const char *dir)
{
	struct catalog_problems	 problems = { 0 };
	struct catalog		*catalog;
	struct stat		 sb;

	if (stat(dir, &sb) != 0) {
		fprintf(err, "motcuad: catalog %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(err, "motcuad: catalog %s: not a directory\n", dir);
		return NULL;
	}
	if ((catalog = catalog_load(dir, &problems)) == NULL)
		cli_fprint_problems(err, dir, &problems);
	catalog_problems_free(&problems);
	return catalog;
}

/* Print the problems of the catalog in dir on stderr, with a closing summary. */
void
cli_print_problems(const char *dir, const struct catalog_problems *problems)
{
	cli_fprint_problems(stderr, dir, problems);
}

/* Print the problems of the catalog in dir to f, with a closing summary. */
void
cli_fprint_problems(FILE *f, const char *dir, const struct catalog_problems *problems)
{
	size_t	i;

	for (i = 0; i < problems->n; i++)
		fprintf(f, "%s/%s\n", dir, problems->items[i]);
	if (problems->dropped != 0)
		fprintf(f, "%s: %zu more problems not shown\n", dir, problems->dropped);
	fprintf(f, "%s: %zu problems; fix them and run `motcuad catalog check %s`\n",
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

/* Check a catalog as `motcuad catalog check` does: problems to err, the summary to out. */
int
cli_check_catalog(const char *dir, FILE *out, FILE *err)
{
	struct catalog		*catalog;
	struct calendar_date	 soon;
	int			 year, nyears = 0;

	if ((catalog = cli_fload_catalog(err, dir)) == NULL)
		return 1;
	for (year = catalog->first_year; year <= catalog->last_year; year++)
		nyears += calendar_has_year(catalog->calendar, year);
	/* Dossiers stop moving on the first day without a calendar: say so two months ahead. */
	soon = calendar_local_date(catalog->calendar, (int64_t)time(NULL) + 60 * 86400, NULL);
	if (soon.year > catalog->last_year) {
		fprintf(err, "%s: warning: there is no calendar for %d; add calendar/%d.yaml "
		    "before %d-01-01 or no due date after that can be computed\n", dir,
		    catalog->last_year + 1, catalog->last_year + 1, catalog->last_year + 1);
	}
	fprintf(out, "%s: ok: %s, %zu units, %zu fields, %zu procedures, calendars for %d "
	    "years (%d–%d)\n", dir, catalog->province_name, catalog->nunits, catalog->nfields,
	    catalog->nprocedures, nyears, catalog->first_year, catalog->last_year);
	catalog_free(catalog);
	return 0;
}

/* Parse working days with at most two decimals ("5", "0.5") into hundredths. */
int
cli_parse_days(const char *text, int *centidays)
{
	long	value = 0;
	int	decimals = -1;

	if (*text == '\0')
		return -1;
	for (; *text != '\0'; text++) {
		if (*text == '.' && decimals == -1) {
			decimals = 0;
			continue;
		}
		if (*text < '0' || *text > '9' || decimals == 2 || value > 1000000)
			return -1;
		value = value * 10 + (*text - '0');
		if (decimals != -1)
			decimals++;
	}
	if (decimals == 0)
		return -1;
	for (; decimals < 2; decimals = decimals == -1 ? 1 : decimals + 1)
		value *= 10;
	*centidays = (int)value;
	return 0;
}

/* The version of a catalog: a hash over the codes and versions of its procedures. */
void
cli_catalog_version(const struct catalog *catalog, char buf[CLI_VERSION_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 digest[SHA256_DIGEST_LEN];
	struct sha256		 ctx;
	size_t			 i;

	sha256_init(&ctx);
	for (i = 0; i < catalog->nprocedures; i++) {
		sha256_update(&ctx, catalog->procedures[i].code,
		    strlen(catalog->procedures[i].code) + 1);
		sha256_update(&ctx, catalog->procedures[i].version,
		    strlen(catalog->procedures[i].version) + 1);
	}
	sha256_final(&ctx, digest);
	for (i = 0; i < CLI_VERSION_LEN / 2; i++) {
		buf[2 * i] = hex[digest[i] >> 4];
		buf[2 * i + 1] = hex[digest[i] & 0xf];
	}
	buf[CLI_VERSION_LEN] = '\0';
}

/* Take the lock of the listener's pid file and write the pid into it. */
int
cli_pid_lock(const char *run_dir, char **cause)
{
	struct flock	 fl;
	char		*path, text[32];
	int		 fd, len;

	path = xasprintf("%s/" CLI_PID_FILE, run_dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == -1) {
		if (errno == EACCES || errno == EAGAIN) {
			memset(&fl, 0, sizeof fl);
			fl.l_type = F_WRLCK;
			fl.l_whence = SEEK_SET;
			if (fcntl(fd, F_GETLK, &fl) == -1)
				fl.l_pid = 0;
			*cause = xasprintf("another motcuad (pid %ld) serves this data directory "
			    "(%s is locked)", (long)fl.l_pid, path);
		} else
			*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, text, (size_t)len, 0) != len) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	free(path);
	return fd;
fail:
	if (fd != -1)
		close(fd);
	free(path);
	return -1;
}

/* The pid of the listener serving the run directory's data, or 0 if none runs. */
pid_t
cli_server_pid(const char *run_dir)
{
	struct flock	 fl;
	char		*path;
	int		 fd;

	path = xasprintf("%s/" CLI_PID_FILE, run_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd == -1)
		return 0;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1 || fl.l_type == F_UNLCK)
		fl.l_pid = 0;
	close(fd);
	return fl.l_pid > 0 ? fl.l_pid : 0;
}

/* Write the listener's state file: a temporary file renamed over the old one. */
int
cli_state_write(const char *run_dir, const struct cli_state *state, char **cause)
{
	FILE	*f;
	char	*path, *tmp;
	int	 fd, ret = -1;

	path = xasprintf("%s/" CLI_STATE_FILE, run_dir);
	tmp = xasprintf("%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	fprintf(f, "pid %ld\n", (long)state->pid);
	fprintf(f, "generation %u\n", state->generation);
	fprintf(f, "version %s\n", state->version);
	fprintf(f, "loaded_at %lld\n", (long long)state->loaded_at);
	fprintf(f, "procedures %zu\n", state->procedures);
	fprintf(f, "attempts %u\n", state->attempts);
	fprintf(f, "attempt_at %lld\n", (long long)state->attempt_at);
	fprintf(f, "attempt_ok %d\n", state->attempt_ok ? 1 : 0);
	fprintf(f, "attempt_problems %zu\n", state->attempt_problems);
	/* Paths come last, one to a line; a path with a newline is not written. */
	if (state->catalog_dir != NULL && strchr(state->catalog_dir, '\n') == NULL)
		fprintf(f, "catalog_dir %s\n", state->catalog_dir);
	if (state->catalog_copy != NULL && strchr(state->catalog_copy, '\n') == NULL)
		fprintf(f, "catalog_copy %s\n", state->catalog_copy);
	if (ferror(f) | (fclose(f) != 0)) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (ret != 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return ret;
}

/* Parse a decimal number of a state line; returns 0, or -1 if malformed. */
static int
cli_state_number(const char *text, long long max, long long *out)
{
	char	*end;

	errno = 0;
	*out = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || *out < 0 || *out > max)
		return -1;
	return 0;
}

/* Read the listener's state file. */
int
cli_state_read(const char *run_dir, struct cli_state *state, char **cause)
{
	FILE		*f;
	char		*path, line[PATH_MAX + 64], *value, *nl;
	long long	 n;
	int		 ret = -1;

	memset(state, 0, sizeof *state);
	path = xasprintf("%s/" CLI_STATE_FILE, run_dir);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			ret = 1;
		else
			*cause = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return ret;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if ((nl = strchr(line, '\n')) == NULL)
			goto bad;
		*nl = '\0';
		if ((value = strchr(line, ' ')) == NULL)
			goto bad;
		*value++ = '\0';
		if (strcmp(line, "catalog_dir") == 0) {
			free(state->catalog_dir);
			state->catalog_dir = xstrdup(value);
			continue;
		}
		if (strcmp(line, "catalog_copy") == 0) {
			free(state->catalog_copy);
			state->catalog_copy = xstrdup(value);
			continue;
		}
		if (strcmp(line, "version") == 0) {
			if (strlen(value) != CLI_VERSION_LEN)
				goto bad;
			memcpy(state->version, value, CLI_VERSION_LEN + 1);
			continue;
		}
		if (cli_state_number(value, INT64_MAX, &n) != 0)
			goto bad;
		if (strcmp(line, "pid") == 0 && n <= INT_MAX)
			state->pid = (pid_t)n;
		else if (strcmp(line, "generation") == 0 && n <= UINT_MAX)
			state->generation = (unsigned int)n;
		else if (strcmp(line, "loaded_at") == 0)
			state->loaded_at = n;
		else if (strcmp(line, "procedures") == 0)
			state->procedures = (size_t)n;
		else if (strcmp(line, "attempts") == 0 && n <= UINT_MAX)
			state->attempts = (unsigned int)n;
		else if (strcmp(line, "attempt_at") == 0)
			state->attempt_at = n;
		else if (strcmp(line, "attempt_ok") == 0)
			state->attempt_ok = n != 0;
		else if (strcmp(line, "attempt_problems") == 0)
			state->attempt_problems = (size_t)n;
		/* Unknown keys are skipped: a newer server may write more. */
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (state->generation == 0 || state->version[0] == '\0')
		goto bad;
	ret = 0;
	goto out;
bad:
	*cause = xasprintf("%s: not a state file of motcuad", path);
out:
	fclose(f);
	free(path);
	if (ret != 0)
		cli_state_clear(state);
	return ret;
}

/* Free what a state holds; the state can be read into again. */
void
cli_state_clear(struct cli_state *state)
{
	free(state->catalog_dir);
	free(state->catalog_copy);
	memset(state, 0, sizeof *state);
}
