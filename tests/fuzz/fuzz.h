/*
 * fuzz.h: what the fuzz targets share: the libFuzzer entry point (also driven by replay.c over
 * the seed corpora) and the checks that turn a broken invariant into a crash with a message.
 */
#ifndef MOTCUA_FUZZ_H
#define MOTCUA_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Run one input through the target; a broken invariant aborts. Always returns 0. */
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "file:line: invariant broken: what" and abort (a crash for libFuzzer). */
void	 fuzz_fail(const char *file, int line, const char *what)
	     __attribute__((noreturn));

/* Return true if s is valid UTF-8 without control characters (what a terminal may show). */
bool	 fuzz_plain(const char *s);

/* Return a NUL-terminated copy of size bytes of data (caller frees). */
char	*fuzz_string(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

#endif
