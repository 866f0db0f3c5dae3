/* fuzz.c: the helpers the fuzz targets share: failing loudly, and checking printed text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "text.h"
#include "xmalloc.h"

/* Report a broken invariant and abort, so that libFuzzer keeps the input. */
void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

/* Return true if s is valid UTF-8 without control characters. */
bool
fuzz_plain(const char *s)
{
	char	*cause = NULL;

	if (s == NULL)
		return false;
	if (text_check(s, strlen(s), &cause) != 0) {
		free(cause);
		return false;
	}
	return true;
}

/* Return a NUL-terminated copy of size bytes of data. */
char *
fuzz_string(const uint8_t *data, size_t size)
{
	char	*s;

	s = xmalloc(size + 1);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
