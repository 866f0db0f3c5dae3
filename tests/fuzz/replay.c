/* replay.c: run a fuzz target's entry point over corpus files, without libFuzzer. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "xmalloc.h"

/* Read a whole file into memory; returns its bytes (caller frees) or NULL with errno set. */
static uint8_t *
replay_read(const char *path, size_t *len)
{
	FILE	*f;
	uint8_t	*buf = NULL;
	size_t	 alloc = 0, n;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (*len == alloc) {
			alloc = alloc == 0 ? 4096 : alloc * 2;
			buf = xreallocarray(buf, alloc, 1);
		}
		n = fread(buf + *len, 1, alloc - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	return buf;
}

/* Order names by bytes. */
static int
replay_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Run the target on one file, or on every file of a directory; returns the files run or -1. */
static int
replay_path(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL, *sub;
	uint8_t		*data;
	size_t		 len, n = 0, i;
	int		 count = 0, r;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((d = opendir(path)) == NULL) {
			fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
			return -1;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
		closedir(d);
		if (n > 1)
			qsort(names, n, sizeof *names, replay_name_cmp);
		for (i = 0; i < n; i++) {
			sub = xasprintf("%s/%s", path, names[i]);
			if (count >= 0) {
				r = replay_path(sub);
				count = r < 0 ? -1 : count + r;
			}
			free(sub);
			free(names[i]);
		}
		free(names);
		return count;
	}
	if ((data = replay_read(path, &len)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 1;
}

/* Replay every file and directory named on the command line; a failed check aborts. */
int
main(int argc, char **argv)
{
	int	i, r, total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIRECTORY...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if ((r = replay_path(argv[i])) < 0)
			return 1;
		total += r;
	}
	if (total == 0) {
		fprintf(stderr, "replay: no input\n");
		return 1;
	}
	printf("replay: %d inputs, no failure\n", total);
	return 0;
}
