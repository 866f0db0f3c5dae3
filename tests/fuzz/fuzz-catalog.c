/*
 * fuzz-catalog.c: the libFuzzer target of the catalog loader (catalog.c over ydoc.c): the
 * input replaces one file of a small valid catalog, which is then loaded and checked.
 *
 * The first byte chooses what the rest of the input becomes (its value modulo 16, so the
 * digits '0'..'7' name them in the seed files; 8 to 15 are the files 0 to 5 again, so that
 * the cheap cases take most of the time):
 *   0 catalog.yaml   1 units.yaml   2 fields.yaml   3 calendar/2015.yaml
 *   4 procedures/chung-thuc/2.000815.yaml   5 procedures/dat-dai/1.004227.yaml (variants)
 *   6 catalog.yaml, the rest repeated past CATALOG_MAX_FILE: the load must refuse it
 *   7 no file: after a digit N, the rest repeated to 1 KiB << N (N modulo 10, so up to
 *     512 KiB: past YDOC_MAX_NODES with short items) and parsed in memory (ydoc_parse)
 * Every input is also parsed in memory as it is, and the tree is checked. With FUZZ_VERBOSE
 * set in the environment, the outcome of each parse and load is printed.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "fuzz.h"
#include "text.h"
#include "xmalloc.h"
#include "ydoc.h"


/* The files of tests/data/catalog-min, in the order of the selector. */
static const char *fuzz_catalog_files[] = {
	"catalog.yaml",
	"units.yaml",
	"fields.yaml",
	"calendar/2015.yaml",
	"procedures/chung-thuc/2.000815.yaml",
	"procedures/dat-dai/1.004227.yaml"
};
#define FUZZ_CATALOG_NFILES (sizeof fuzz_catalog_files / sizeof fuzz_catalog_files[0])

static char	*fuzz_catalog_dir;
static char	*fuzz_catalog_base[FUZZ_CATALOG_NFILES];
static size_t	 fuzz_catalog_base_len[FUZZ_CATALOG_NFILES];

/* Write len bytes to the file rel of the working catalog, or abort. */
static void
fuzz_catalog_write(const char *rel, const void *data, size_t len)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", fuzz_catalog_dir, rel);
	if ((f = fopen(path, "wb")) == NULL || (len > 0 && fwrite(data, 1, len, f) != len) ||
	    fclose(f) != 0) {
		fprintf(stderr, "fuzz-catalog: %s: %s\n", path, strerror(errno));
		abort();
	}
	free(path);
}

/* Read a whole file of the reference catalog, or abort. */
static char *
fuzz_catalog_read(const char *rel, size_t *len)
{
	char	*path, *buf;
	FILE	*f;
	long	 size;

	path = xasprintf("%s/catalog-min/%s", TEST_DATA, rel);
	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fuzz-catalog: %s: %s\n", path, strerror(errno));
		abort();
	}
	buf = xmalloc((size_t)size + 1);
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "fuzz-catalog: %s: short read\n", path);
		abort();
	}
	fclose(f);
	free(path);
	*len = (size_t)size;
	return buf;
}

/* Remove the working catalog at exit. */
static void
fuzz_catalog_cleanup(void)
{
	char	*path;
	size_t	 i;

	for (i = 0; i < FUZZ_CATALOG_NFILES; i++) {
		path = xasprintf("%s/%s", fuzz_catalog_dir, fuzz_catalog_files[i]);
		unlink(path);
		free(path);
	}
	for (i = 0; i < 4; i++) {
		static const char *dirs[] = {
			"procedures/chung-thuc", "procedures/dat-dai", "procedures", "calendar"
		};

		path = xasprintf("%s/%s", fuzz_catalog_dir, dirs[i]);
		rmdir(path);
		free(path);
	}
	rmdir(fuzz_catalog_dir);
}

/* Make the working copy of the reference catalog in a temporary directory, once. */
static void
fuzz_catalog_init(void)
{
	const char	*tmp;
	char		*path;
	size_t		 i;

	if (fuzz_catalog_dir != NULL)
		return;
	tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	fuzz_catalog_dir = xasprintf("%s/motcua-fuzz-catalog.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(fuzz_catalog_dir) == NULL) {
		fprintf(stderr, "fuzz-catalog: mkdtemp: %s\n", strerror(errno));
		abort();
	}
	atexit(fuzz_catalog_cleanup);
	for (i = 0; i < 4; i++) {
		static const char *dirs[] = {
			"calendar", "procedures", "procedures/chung-thuc", "procedures/dat-dai"
		};

		path = xasprintf("%s/%s", fuzz_catalog_dir, dirs[i]);
		if (mkdir(path, 0700) != 0) {
			fprintf(stderr, "fuzz-catalog: %s: %s\n", path, strerror(errno));
			abort();
		}
		free(path);
	}
	for (i = 0; i < FUZZ_CATALOG_NFILES; i++) {
		fuzz_catalog_base[i] = fuzz_catalog_read(fuzz_catalog_files[i],
		    &fuzz_catalog_base_len[i]);
		fuzz_catalog_write(fuzz_catalog_files[i], fuzz_catalog_base[i],
		    fuzz_catalog_base_len[i]);
	}
}

/* Check a node and what is under it; returns the number of nodes. */
static size_t
fuzz_catalog_node(const struct ydoc_node *node, int depth, int max_depth)
{
	size_t	i, n = 1;

	FUZZ_CHECK(node != NULL);
	FUZZ_CHECK(node->line >= 1 && node->column >= 1);
	switch (node->kind) {
	case YDOC_SCALAR:
		FUZZ_CHECK(node->value != NULL && node->value[node->len] == '\0');
		FUZZ_CHECK(node->n == 0);
		break;
	case YDOC_SEQUENCE:
	case YDOC_MAPPING:
		FUZZ_CHECK(depth < max_depth);
		FUZZ_CHECK(node->n <= node->alloc);
		for (i = 0; i < node->n; i++) {
			if (node->kind == YDOC_MAPPING) {
				FUZZ_CHECK(node->keys[i]->kind == YDOC_SCALAR);
				n += fuzz_catalog_node(node->keys[i], depth + 1, max_depth);
			}
			n += fuzz_catalog_node(node->items[i], depth + 1, max_depth);
		}
		break;
	default:
		FUZZ_CHECK(!"a node of an unknown kind");
	}
	return n;
}

/* Parse text in memory and check the tree and the problems. */
static void
fuzz_catalog_parse(const char *text, size_t len)
{
	struct ydoc	*doc;
	size_t		 i, bad;

	doc = ydoc_parse(text, len, CATALOG_MAX_DEPTH);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "  parsed %zu bytes: %zu nodes, %s\n", len, doc->nnodes,
		    doc->nproblems > 0 ? doc->problems[0].message : "no problem");
	FUZZ_CHECK(doc->root != NULL || doc->nproblems > 0);
	/* Invalid UTF-8 and control characters never reach a tree. */
	if (!text_utf8_valid(text, len, &bad))
		FUZZ_CHECK(doc->root == NULL);
	for (i = 0; i < doc->nproblems; i++) {
		FUZZ_CHECK(doc->problems[i].line >= 0 && doc->problems[i].column >= 0);
		FUZZ_CHECK(doc->problems[i].message != NULL);
		FUZZ_CHECK(text_utf8_valid(doc->problems[i].message,
		    strlen(doc->problems[i].message), NULL));
	}
	if (doc->root != NULL) {
		FUZZ_CHECK(fuzz_catalog_node(doc->root, 0, CATALOG_MAX_DEPTH) == doc->nnodes);
		FUZZ_CHECK(doc->nnodes <= YDOC_MAX_NODES);
	}
	ydoc_free(doc);
}

/* Return true if s is plain text in NFC. */
static bool
fuzz_catalog_text(const char *s)
{
	char	*nfc;
	bool	 ok;

	if (!fuzz_plain(s))
		return false;
	nfc = text_nfc(s);
	ok = nfc != NULL && strcmp(nfc, s) == 0;
	free(nfc);
	return ok;
}

/* Check a catalog that loaded: everything in it is usable as the rest of the code expects. */
static void
fuzz_catalog_good(const struct catalog *cat)
{
	const struct catalog_procedure	 *p, **found;
	const struct catalog_variant	 *v;
	size_t				  i, j, k, n;

	FUZZ_CHECK(cat->calendar != NULL);
	FUZZ_CHECK(cat->first_year <= cat->last_year);
	FUZZ_CHECK(cat->noffice_hours >= 1 && cat->noffice_hours <= CALENDAR_MAX_PERIODS);
	FUZZ_CHECK(fuzz_catalog_text(cat->province_name));
	for (i = 0; i < cat->nunits; i++) {
		FUZZ_CHECK(fuzz_catalog_text(cat->units[i].code));
		FUZZ_CHECK(fuzz_catalog_text(cat->units[i].name));
		FUZZ_CHECK(catalog_unit(cat, cat->units[i].code) == &cat->units[i]);
		for (j = 0; j < cat->units[i].ndepartments; j++)
			FUZZ_CHECK(fuzz_catalog_text(cat->units[i].departments[j].name));
	}
	for (i = 0; i < cat->nfields; i++)
		FUZZ_CHECK(fuzz_catalog_text(cat->fields[i].name));
	FUZZ_CHECK(cat->nprocedures >= 1);
	found = xcalloc(cat->nprocedures, sizeof *found);
	for (i = 0; i < cat->nprocedures; i++) {
		p = &cat->procedures[i];
		if (i > 0)
			FUZZ_CHECK(strcmp(cat->procedures[i - 1].code, p->code) < 0);
		FUZZ_CHECK(catalog_procedure(cat, p->code) == p);
		FUZZ_CHECK(catalog_field(cat, p->field) != NULL);
		FUZZ_CHECK(fuzz_catalog_text(p->name) && fuzz_catalog_text(p->code));
		FUZZ_CHECK(p->result == NULL || fuzz_catalog_text(p->result));
		FUZZ_CHECK(p->fee == NULL || fuzz_catalog_text(p->fee));
		FUZZ_CHECK(strlen(p->version) == CATALOG_VERSION_LEN &&
		    strspn(p->version, "0123456789abcdef") == CATALOG_VERSION_LEN);
		FUZZ_CHECK(p->canonical != NULL &&
		    text_utf8_valid(p->canonical, strlen(p->canonical), NULL));
		FUZZ_CHECK(p->nvariants >= 1 && p->variants[0].name == NULL);
		for (j = 0; j < p->nvariants; j++) {
			v = &p->variants[j];
			FUZZ_CHECK(j == 0 || fuzz_catalog_text(v->name));
			FUZZ_CHECK(v->duration.centidays >= 0);
			for (k = 0; k < v->ndocuments; k++) {
				FUZZ_CHECK(fuzz_catalog_text(v->documents[k].name));
				FUZZ_CHECK(v->documents[k].originals >= 0 &&
				    v->documents[k].copies >= 0);
			}
			for (k = 0; k < v->nsteps; k++) {
				FUZZ_CHECK(v->steps[k].centidays >= 0);
				FUZZ_CHECK(fuzz_plain(v->steps[k].dept));
			}
		}
		/* A search for its code finds it. */
		n = catalog_search(cat, p->code, found, cat->nprocedures);
		for (j = 0; j < n && found[j] != p; j++)
			;
		FUZZ_CHECK(j < n);
	}
	free(found);
}

/* Return true if a problem starts with the name of a file relative to the catalog. */
static bool
fuzz_catalog_relative(const char *problem)
{
	static const char	*prefixes[] = {
		"catalog.yaml:", "units.yaml:", "fields.yaml:", "calendar/", "procedures/"
	};
	size_t			 i;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncmp(problem, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	}
	return false;
}

/* Load the working catalog and check the outcome; want_big: the file was too large. */
static void
fuzz_catalog_load(bool want_big)
{
	struct catalog_problems	 problems;
	struct catalog		*cat;
	size_t			 i;
	bool			 big = false;

	memset(&problems, 0, sizeof problems);
	cat = catalog_load(fuzz_catalog_dir, &problems);
	FUZZ_CHECK((cat != NULL) == (problems.n == 0 && problems.dropped == 0));
	FUZZ_CHECK(problems.n <= CATALOG_MAX_PROBLEMS);
	if (getenv("FUZZ_VERBOSE") != NULL) {
		for (i = 0; i < problems.n; i++)
			fprintf(stderr, "  %s\n", problems.items[i]);
		if (cat != NULL)
			fprintf(stderr, "  loaded, %zu procedures\n", cat->nprocedures);
	}
	for (i = 0; i < problems.n; i++) {
		/* "file:line:column: message" or "file: message", the file relative, plain. */
		FUZZ_CHECK(fuzz_plain(problems.items[i]));
		FUZZ_CHECK(strchr(problems.items[i], ':') != NULL);
		FUZZ_CHECK(fuzz_catalog_relative(problems.items[i]));
		if (strncmp(problems.items[i], "catalog.yaml: file is larger than", 33) == 0)
			big = true;
	}
	if (want_big)
		FUZZ_CHECK(cat == NULL && big);
	if (cat != NULL)
		fuzz_catalog_good(cat);
	catalog_free(cat);
	catalog_problems_free(&problems);
}

/* Return the len bytes at data repeated (with a newline between) to at least want bytes. */
static char *
fuzz_catalog_repeat(const uint8_t *data, size_t len, size_t want, size_t *out)
{
	char	*buf;
	size_t	 n = 0;

	buf = xmalloc(want + len + 2);
	while (n < want) {
		if (len > 0) {
			memcpy(buf + n, data, len);
			n += len;
		}
		buf[n++] = '\n';
	}
	*out = n;
	return buf;
}

/* One input: a selector byte, then the text of a catalog file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*rel;
	char		*big;
	size_t		 sel, len;

	if (size == 0)
		return 0;
	fuzz_catalog_init();
	sel = data[0] % 16;
	if (sel >= 8)
		sel = (sel - 8) % FUZZ_CATALOG_NFILES;
	data++;
	size--;
	fuzz_catalog_parse((const char *)data, size);

	if (sel < FUZZ_CATALOG_NFILES) {
		rel = fuzz_catalog_files[sel];
		fuzz_catalog_write(rel, data, size);
		fuzz_catalog_load(false);
		fuzz_catalog_write(rel, fuzz_catalog_base[sel], fuzz_catalog_base_len[sel]);
	} else if (sel == 6) {
		big = fuzz_catalog_repeat(data, size, CATALOG_MAX_FILE + 1, &len);
		fuzz_catalog_write("catalog.yaml", big, len);
		free(big);
		fuzz_catalog_load(true);
		fuzz_catalog_write("catalog.yaml", fuzz_catalog_base[0], fuzz_catalog_base_len[0]);
	} else if (size > 0) {
		big = fuzz_catalog_repeat(data + 1, size - 1, (size_t)1024 << ((data[0] + 2) % 10),
		    &len);
		fuzz_catalog_parse(big, len);
		free(big);
	}
	return 0;
}
