/* check_catalog.c: tests for the YAML document reader and the catalog loader and validator. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "text.h"
#include "xmalloc.h"
#include "ydoc.h"

#define MIN_DIR		TEST_DATA "/catalog-min"
#define P815		"procedures/chung-thuc/2.000815.yaml"
#define P227		"procedures/dat-dai/1.004227.yaml"

/* ---------------------------------------------------------------------------------------------
 * Helpers: scratch copies of the minimal catalog.
 */

/* Copy the file or tree at from to to. */
static void
copy_tree(const char *from, const char *to)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 buf[8192], *a, *b;
	ssize_t		 n;
	int		 in, out;

	ck_assert_int_eq(stat(from, &st), 0);
	if (S_ISDIR(st.st_mode)) {
		ck_assert_int_eq(mkdir(to, 0700), 0);
		ck_assert_ptr_nonnull(d = opendir(from));
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			a = xasprintf("%s/%s", from, de->d_name);
			b = xasprintf("%s/%s", to, de->d_name);
			copy_tree(a, b);
			free(a);
			free(b);
		}
		closedir(d);
		return;
	}
	ck_assert_int_ge(in = open(from, O_RDONLY), 0);
	ck_assert_int_ge(out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

/* Remove one entry of a tree (for nftw). */
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove a scratch tree. */
static void
remove_tree(char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* Make an empty scratch directory; the caller removes it with remove_tree. */
static char *
scratch_empty(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	dir = xasprintf("%s/check-catalog-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

/* Make a scratch copy of the minimal catalog; the caller removes it with remove_tree. */
static char *
scratch_copy(void)
{
	char	*dir, *to;

	dir = scratch_empty();
	to = xasprintf("%s/catalog", dir);
	copy_tree(MIN_DIR, to);
	free(to);
	return dir;
}

/* The catalog directory inside a scratch copy (static buffer). */
static const char *
catdir(const char *scratch)
{
	static char	path[4096];

	snprintf(path, sizeof path, "%s/catalog", scratch);
	return path;
}

/* Write len bytes to rel inside the scratch catalog; NULL content removes the file. */
static void
put_len(const char *scratch, const char *rel, const char *content, size_t len)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/catalog/%s", scratch, rel);
	if (content == NULL) {
		ck_assert_int_eq(unlink(path), 0);
		free(path);
		return;
	}
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(content, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

/* Write a string to rel inside the scratch catalog; NULL removes the file. */
static void
put(const char *scratch, const char *rel, const char *content)
{
	put_len(scratch, rel, content, content != NULL ? strlen(content) : 0);
}

/* Load dir, expect failure, and return every problem joined by newlines. */
static char *
problems_of(const char *dir, struct catalog_problems *out)
{
	struct catalog_problems	 problems = { NULL, 0, 0 };
	struct catalog		*cat;
	char			*all = xstrdup(""), *next;
	size_t			 i;

	cat = catalog_load(dir, &problems);
	ck_assert_ptr_null(cat);
	ck_assert_uint_gt(problems.n, 0);
	for (i = 0; i < problems.n; i++) {
		next = xasprintf("%s%s%s", all, i == 0 ? "" : "\n", problems.items[i]);
		free(all);
		all = next;
	}
	if (out != NULL)
		*out = problems;
	else
		catalog_problems_free(&problems);
	return all;
}

/* Load dir and fail the test with its problems if it has any. */
static struct catalog *
load_ok(const char *dir)
{
	struct catalog_problems	 problems = { NULL, 0, 0 };
	struct catalog		*cat;

	cat = catalog_load(dir, &problems);
	if (cat == NULL)
		ck_abort_msg("%s: %zu problems, first: %s", dir, problems.n,
		    problems.n > 0 ? problems.items[0] : "none");
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(problems.dropped, 0);
	return cat;
}

/* ---------------------------------------------------------------------------------------------
 * ydoc
 */

/* A document becomes a tree with positions, styles and mapping keys. */
START_TEST(test_ydoc_tree)
{
	const char		*text = "a: plain\nb: \"quoted\"\nc:\n  - [x, 'y']\n  - {k: v}\n";
	struct ydoc		*doc;
	struct ydoc_node	*root, *c;

	doc = ydoc_parse(text, strlen(text), 16);
	ck_assert_uint_eq(doc->nproblems, 0);
	ck_assert_ptr_nonnull(root = doc->root);
	ck_assert_int_eq(root->kind, YDOC_MAPPING);
	ck_assert_uint_eq(root->n, 3);
	ck_assert_str_eq(root->keys[1]->value, "b");
	ck_assert_int_eq(root->keys[1]->line, 2);
	ck_assert_int_eq(root->keys[1]->column, 1);
	ck_assert_str_eq(root->items[0]->value, "plain");
	ck_assert(!root->items[0]->quoted);
	ck_assert(root->items[1]->quoted);
	ck_assert_int_eq(root->items[1]->column, 4);
	c = ydoc_get(root, "c");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->kind, YDOC_SEQUENCE);
	ck_assert_uint_eq(c->n, 2);
	ck_assert_int_eq(c->items[0]->kind, YDOC_SEQUENCE);
	ck_assert_int_eq(c->items[0]->line, 4);
	ck_assert_int_eq(c->items[0]->column, 5);
	ck_assert_str_eq(c->items[0]->items[1]->value, "y");
	ck_assert(c->items[0]->items[1]->quoted);
	ck_assert_int_eq(c->items[1]->kind, YDOC_MAPPING);
	ck_assert_str_eq(ydoc_get(c->items[1], "k")->value, "v");
	ck_assert_ptr_null(ydoc_get(root, "d"));
	ck_assert_str_eq(ydoc_describe(c), "a list");
	ck_assert_str_eq(ydoc_describe(root), "a mapping");
	ydoc_free(doc);
	ydoc_free(NULL);
}
END_TEST

/* One ydoc problem: the text must give exactly this problem at this position. */
struct ydoc_case {
	const char	*text;
	int		 line;
	int		 column;
	const char	*message;
	int		 fatal;
};

static const struct ydoc_case ydoc_cases[] = {
	{ "a: &x 1\n", 1, 4, "anchors are not allowed", 1 },
	{ "a: *x\n", 1, 4, "aliases (*x) are not allowed", 1 },
	{ "a: !!str 1\n", 1, 4, "tags are not allowed", 1 },
	{ "a: !custom [1]\n", 1, 4, "tags are not allowed", 1 },
	{ "a: 1\n---\nb: 2\n", 2, 1, "only one YAML document is allowed in a file", 1 },
	{ "", 0, 0, "the file holds no YAML document", 1 },
	{ "# only a comment\n", 0, 0, "the file holds no YAML document", 1 },
	{ "[a]: b\n", 1, 1, "a mapping key must be a string, not a list", 1 },
	{ "a: \"x\\ey\"\n", 1, 4, "invalid text: control character U+001B at byte 1", 0 },
	{ "a: \"x\\0y\"\n", 1, 4, "invalid text: control character U+0000 at byte 1", 0 },
	{ "a: \"x\\u202Ey\"\n", 1, 4, "invalid text: control character U+202E at byte 1", 0 },
	{ "a: ok\nb: \"\xc3\xa1\xff\"\n", 2, 6, "invalid UTF-8", 1 },
	{ "a: ok\nb: x\x01y\n", 2, 5, "control character U+0001 is not allowed", 1 },
	{ "a: ok # \xe2\x80\xae evil\n", 1, 9, "control character U+202E is not allowed", 1 },
	{ "a: \xe2\x81\xa6x\n", 1, 4, "control character U+2066 is not allowed", 1 },
	{ "a: \"x\ty\"\n", 1, 4, "invalid text: control character U+0009 at byte 1", 0 },
	{ "a: |\n  two\n  lines\n", 1, 4, "invalid text: control character U+000A at byte 3",
	    0 },
	{ "a: \xe1\xba\xa1\x7f\n", 1, 5, "control character U+007F is not allowed", 1 },
	{ "a: \xc2\x85\n", 1, 4, "control character U+0085 is not allowed", 1 },
	{ "a: \"open\n", 2, 1,
	    "found unexpected end of stream while scanning a quoted scalar (started at 1:4)", 1 },
	{ "a: [1, 2\nb: 3\n", 2, 2,
	    "did not find expected ',' or ']' while parsing a flow sequence (started at 1:4)", 1 },
	{ "a: 1\n b: 2\n", 2, 3, "mapping values are not allowed in this context", 1 },
	{ "a:\n  - 1\n  b: 2\n", 3, 3, "did not find expected '-' indicator while parsing a "
	    "block collection (started at 2:3)", 1 },
	{ "%TAG ! tag:example.com,2000:\n--- a\n", 1, 1, "%TAG directives are not allowed", 1 },
};

/* Each forbidden construct is reported with its exact message and position. */
START_TEST(test_ydoc_problems)
{
	const struct ydoc_case	*c = &ydoc_cases[_i];
	struct ydoc		*doc;

	doc = ydoc_parse(c->text, strlen(c->text), 16);
	ck_assert_msg(doc->nproblems == 1, "case %d: %zu problems (%s)", _i, doc->nproblems,
	    doc->nproblems > 0 ? doc->problems[0].message : "none");
	ck_assert_str_eq(doc->problems[0].message, c->message);
	ck_assert_int_eq(doc->problems[0].line, c->line);
	ck_assert_int_eq(doc->problems[0].column, c->column);
	if (c->fatal)
		ck_assert_ptr_null(doc->root);
	else
		ck_assert_ptr_nonnull(doc->root);
	ydoc_free(doc);
}
END_TEST

/* Scalars longer than the limit are reported, and the depth limit is exact. */
START_TEST(test_ydoc_limits)
{
	struct ydoc	*doc;
	char		*text;

	text = xmalloc(YDOC_MAX_SCALAR + 16);
	memcpy(text, "a: ", 3);
	memset(text + 3, 'x', YDOC_MAX_SCALAR + 1);
	strcpy(text + 3 + YDOC_MAX_SCALAR + 1, "\n");
	doc = ydoc_parse(text, strlen(text), 16);
	ck_assert_uint_eq(doc->nproblems, 1);
	ck_assert_str_eq(doc->problems[0].message, "string longer than 4096 bytes");
	ck_assert_int_eq(doc->problems[0].line, 1);
	ck_assert_int_eq(doc->problems[0].column, 4);
	ydoc_free(doc);
	free(text);

	doc = ydoc_parse("[[[1]]]", 7, 3);
	ck_assert_uint_eq(doc->nproblems, 0);
	ck_assert_ptr_nonnull(doc->root);
	ydoc_free(doc);
	doc = ydoc_parse("[[[[1]]]]", 9, 3);
	ck_assert_uint_eq(doc->nproblems, 1);
	ck_assert_str_eq(doc->problems[0].message, "nesting deeper than 3 levels");
	ck_assert_int_eq(doc->problems[0].column, 4);
	ck_assert_ptr_null(doc->root);
	ydoc_free(doc);
}
END_TEST

/* A file that does not exist, or is not a regular file, is a problem of the whole file. */
START_TEST(test_ydoc_read_errors)
{
	struct ydoc	*doc;

	doc = ydoc_read(TEST_DATA "/catalog-min/no-such-file.yaml", 1024, 16);
	ck_assert_uint_eq(doc->nproblems, 1);
	ck_assert_str_eq(doc->problems[0].message, "cannot open: No such file or directory");
	ck_assert_int_eq(doc->problems[0].line, 0);
	ydoc_free(doc);
	doc = ydoc_read(TEST_DATA "/catalog-min", 1024, 16);
	ck_assert_uint_eq(doc->nproblems, 1);
	ck_assert_str_eq(doc->problems[0].message, "not a regular file");
	ydoc_free(doc);
	doc = ydoc_read(TEST_DATA "/catalog-min/catalog.yaml", 100, 16);
	ck_assert_uint_eq(doc->nproblems, 1);
	ck_assert_str_eq(doc->problems[0].message, "file is larger than 100 bytes");
	ck_assert_ptr_null(doc->root);
	ydoc_free(doc);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * The minimal catalog
 */

/* The minimal fixture loads with everything in place. */
START_TEST(test_min_loads)
{
	struct catalog				*cat;
	const struct catalog_procedure		*p;
	const struct catalog_unit		*u;
	const struct catalog_variant		*v;
	struct calendar_date			 d;
	char					*cause = NULL;

	cat = load_ok(MIN_DIR);
	ck_assert_str_eq(cat->dir, MIN_DIR);
	ck_assert_str_eq(cat->province_code, "14");
	ck_assert_str_eq(cat->province_name, "Tỉnh Sơn La");
	ck_assert_int_eq(cat->utc_offset, 7 * 3600);
	ck_assert_int_eq(cat->noffice_hours, 2);
	ck_assert_int_eq(cat->office_hours[0].start, 7 * 60);
	ck_assert_int_eq(cat->office_hours[0].end, 11 * 60 + 30);
	ck_assert_int_eq(cat->office_hours[1].start, 13 * 60 + 30);
	ck_assert_int_eq(cat->office_hours[1].end, 17 * 60);
	ck_assert_int_eq(cat->same_day_cutoff, 15 * 60);
	ck_assert_int_eq(cat->due_soon_hours, 8);

	ck_assert_uint_eq(cat->nunits, 2);
	ck_assert_str_eq(cat->units[0].code, "TPSL");
	ck_assert_str_eq(cat->units[1].code, "QN");
	ck_assert_ptr_nonnull(u = catalog_unit(cat, "QN"));
	ck_assert_str_eq(u->name, "Huyện Quỳnh Nhai");
	ck_assert_uint_eq(u->ndepartments, 4);
	ck_assert_str_eq(catalog_department(u, "vpdk")->name,
	    "Chi nhánh Văn phòng đăng ký đất đai");
	ck_assert_ptr_null(catalog_department(u, "tnmt"));
	ck_assert_ptr_null(catalog_unit(cat, "XX"));
	ck_assert_uint_eq(cat->nfields, 2);
	ck_assert_str_eq(catalog_field(cat, "chung-thuc")->name, "Chứng thực");
	ck_assert_ptr_null(catalog_field(cat, "ho-tich"));

	ck_assert_int_eq(cat->first_year, 2015);
	ck_assert_int_eq(cat->last_year, 2015);
	ck_assert_ptr_nonnull(cat->calendar);
	ck_assert(calendar_has_year(cat->calendar, 2015));
	ck_assert(!calendar_has_year(cat->calendar, 2016));
	d.year = 2015, d.month = 2, d.day = 14;
	ck_assert_int_eq(calendar_is_working_day(cat->calendar, d, &cause), 1);
	d.month = 2, d.day = 16;
	ck_assert_int_eq(calendar_is_working_day(cat->calendar, d, &cause), 0);
	d.month = 1, d.day = 1;
	ck_assert_int_eq(calendar_is_working_day(cat->calendar, d, &cause), 0);
	d.month = 1, d.day = 5;
	ck_assert_int_eq(calendar_is_working_day(cat->calendar, d, &cause), 1);
	ck_assert_int_eq(calendar_day_seconds(cat->calendar), 8 * 3600);

	/* Sorted by code, whatever the directory order. */
	ck_assert_uint_eq(cat->nprocedures, 2);
	ck_assert_str_eq(cat->procedures[0].code, "1.004227");
	ck_assert_str_eq(cat->procedures[1].code, "2.000815");
	ck_assert_ptr_null(catalog_procedure(cat, "9.999999"));
	ck_assert_ptr_null(catalog_procedure(cat, "2.00081"));

	p = catalog_procedure(cat, "2.000815");
	ck_assert_ptr_eq(p, &cat->procedures[1]);
	ck_assert_str_eq(p->file, P815);
	ck_assert_str_eq(p->field, "chung-thuc");
	ck_assert_str_eq(p->level, "huyen");
	ck_assert(!p->online);
	ck_assert(!p->no_deadline);
	ck_assert_str_eq(p->fee,
	    "2.000 đ/trang cho trang 1–2; 1.000 đ/trang từ trang 3; tối đa 200.000 đ/bản");
	ck_assert_ptr_null(p->applicants);
	ck_assert_uint_eq(p->nvariants, 1);
	ck_assert_ptr_null(p->variants[0].name);
	ck_assert(p->variants[0].duration.same_day);
	ck_assert_int_eq(p->variants[0].duration.centidays, 0);
	ck_assert_uint_eq(p->variants[0].ndocuments, 2);
	ck_assert_int_eq(p->variants[0].documents[1].originals, 0);
	ck_assert_int_eq(p->variants[0].documents[1].copies, 1);
	ck_assert_uint_eq(p->variants[0].nsteps, 3);
	ck_assert_str_eq(p->variants[0].steps[1].dept, "tu-phap");
	ck_assert_uint_eq(p->nlegal_basis, 1);
	ck_assert_str_eq(p->legal_basis[0], "Nghị định 23/2015/NĐ-CP");
	ck_assert_str_eq(p->result, "Bản sao được chứng thực từ bản chính");
	ck_assert_uint_eq(strlen(p->version), CATALOG_VERSION_LEN);
	ck_assert_uint_eq(strspn(p->version, "0123456789abcdef"), CATALOG_VERSION_LEN);
	ck_assert_ptr_nonnull(strstr(p->folded_name, "chung thuc ban sao"));
	ck_assert_ptr_nonnull(strstr(p->canonical, "\"code\":\"2.000815\""));
	ck_assert_ptr_nonnull(strstr(p->canonical, "\"days\":0,\"same_day\":true"));

	p = catalog_procedure(cat, "1.004227");
	ck_assert_str_eq(p->applicants, "Hộ gia đình, cá nhân");
	ck_assert_str_eq(p->agency, "Chi nhánh Văn phòng đăng ký đất đai");
	ck_assert_ptr_null(p->fee);
	ck_assert_uint_eq(p->nlegal_basis, 2);
	ck_assert_uint_eq(p->nvariants, 3);
	v = &p->variants[0];
	ck_assert_ptr_null(v->name);
	ck_assert_int_eq(v->duration.centidays, 1000);
	ck_assert(!v->duration.same_day);
	ck_assert_uint_eq(v->nsteps, 4);
	ck_assert_int_eq(v->steps[0].centidays, 50);
	ck_assert_int_eq(v->steps[1].centidays, 625);
	ck_assert_int_eq(v->steps[2].centidays, 300);
	ck_assert(v->steps[2].pause_citizen);
	ck_assert(!v->steps[1].pause_citizen);
	ck_assert_int_eq(v->steps[3].centidays, 25);
	/* A variant without steps gets a copy of the main steps. */
	v = &p->variants[1];
	ck_assert_str_eq(v->name, "Thừa kế");
	ck_assert_uint_eq(v->ndocuments, 1);
	ck_assert_uint_eq(v->nsteps, 4);
	ck_assert_ptr_ne(v->steps, p->variants[0].steps);
	ck_assert_str_eq(v->steps[1].dept, "vpdk");
	ck_assert_int_eq(v->steps[1].centidays, 625);
	ck_assert(v->steps[2].pause_citizen);
	v = &p->variants[2];
	ck_assert_int_eq(v->duration.centidays, 500);
	ck_assert_uint_eq(v->nsteps, 3);
	ck_assert_int_eq(v->steps[1].centidays, 350);
	ck_assert_ptr_nonnull(strstr(p->canonical,
	    "{\"dept\":\"vpdk\",\"name\":\"Thẩm định, cập nhật hồ sơ\",\"days\":6.25,"
	    "\"pause\":null}"));
	ck_assert_ptr_nonnull(strstr(p->canonical, "\"name\":\"Tặng cho giữa vợ và chồng\","
	    "\"duration\":{\"days\":5,\"same_day\":false}"));
	ck_assert_str_ne(p->version, cat->procedures[1].version);
	catalog_free(cat);
	catalog_free(NULL);
}
END_TEST

/* Strings are stored in NFC even when the file holds decomposed characters. */
START_TEST(test_nfc)
{
	struct catalog	*cat;
	char		*dir = scratch_copy();

	/* "Chứng thực" typed as u + U+031B + U+0301 and u + U+031B + U+0323. */
	put(dir, "fields.yaml", "fields:\n"
	    "  - { code: dat-dai, name: \"\xc4\x90\xe1\xba\xa5t \xc4\x91" "ai\" }\n"
	    "  - { code: chung-thuc, name: \"Chu\xcc\x9b\xcc\x81ng thu\xcc\x9b\xcc\xa3" "c\" }\n");
	cat = load_ok(catdir(dir));
	ck_assert_str_eq(catalog_field(cat, "chung-thuc")->name, "Chứng thực");
	catalog_free(cat);
	remove_tree(dir);
}
END_TEST

/* Encode a code point below U+10000 as UTF-8 into buf. */
static void
utf8_encode(unsigned int cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		buf[1] = '\0';
	} else if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		buf[2] = '\0';
	} else {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		buf[3] = '\0';
	}
}

/*
 * The loader stores text of these ranges without normalising it, on the ground that each of
 * their characters is its own NFC and composes with nothing before it: check that ground.
 */
START_TEST(test_nfc_quick_ranges)
{
	static const unsigned int	 ranges[][2] = {
		{ 0x20, 0x2ff }, { 0x1e00, 0x1eff }, { 0x2002, 0x206f }, { 0x20a0, 0x20c0 }
	};
	unsigned int			 cp;
	size_t				 r;
	char				 buf[16], *nfc;

	for (r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
		for (cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			utf8_encode(cp, buf);
			strcat(buf, "a");
			utf8_encode(cp, buf + strlen(buf));
			nfc = text_nfc(buf);
			ck_assert_msg(nfc != NULL && strcmp(nfc, buf) == 0, "U+%04X", cp);
			free(nfc);
		}
	}
}
END_TEST

/* Optional keys: provisional and note in a calendar, no_deadline without a duration. */
START_TEST(test_optional_keys)
{
	struct catalog			*cat;
	const struct catalog_procedure	*p;
	char				*dir = scratch_copy();

	put(dir, "calendar/2016.yaml", "year: 2016\nprovisional: true\n"
	    "note: \"Chưa có quyết định nghỉ Tết\"\noff: []\n");
	put(dir, "procedures/chung-thuc/2.000884.yaml",
	    "code: \"2.000884\"\nname: \"Chứng thực chữ ký\"\nfield: chung-thuc\nlevel: xa\n"
	    "no_deadline: true\nonline: true\n"
	    "documents: [{ name: \"Giấy tờ\", originals: 1, copies: 0 }]\n"
	    "steps:\n  - { dept: mot-cua, name: \"Tiếp nhận\", days: 0 }\n"
	    "  - { dept: tu-phap, name: \"Chứng thực\", days: 1 }\n"
	    "result: \"Chữ ký được chứng thực\"\nlegal_basis: [\"Nghị định 23/2015/NĐ-CP\"]\n");
	cat = load_ok(catdir(dir));
	ck_assert_int_eq(cat->first_year, 2015);
	ck_assert_int_eq(cat->last_year, 2016);
	ck_assert(calendar_has_year(cat->calendar, 2016));
	ck_assert_uint_eq(cat->nprocedures, 3);
	p = catalog_procedure(cat, "2.000884");
	ck_assert_ptr_nonnull(p);
	ck_assert(p->no_deadline);
	ck_assert(p->online);
	ck_assert_str_eq(p->level, "xa");
	ck_assert_int_eq(p->variants[0].duration.centidays, 0);
	catalog_free(cat);
	remove_tree(dir);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * One problem at a time, on a copy of the minimal catalog
 */

/* Lines of a small valid 2.000815 used by the cases below. */
#define L_CODE	"code: \"2.000815\"\n"
#define L_NAME	"name: \"Chứng thực bản sao\"\n"
#define L_FIELD	"field: chung-thuc\n"
#define L_LEVEL	"level: huyen\n"
#define L_DUR	"duration: { days: 0, same_day: true }\n"
#define L_DOCS	"documents:\n  - { name: \"Bản chính\", originals: 1, copies: 0 }\n"
#define L_STEP1	"  - { dept: mot-cua, name: \"Tiếp nhận\", days: 0 }\n"
#define L_STEP2	"  - { dept: tu-phap, name: \"Chứng thực\", days: 0 }\n"
#define L_STEPS	"steps:\n" L_STEP1 L_STEP2
#define L_TAIL	"result: \"Bản sao\"\nlegal_basis: [\"Nghị định 23/2015/NĐ-CP\"]\n"
#define PROC(head, dur, docs, steps, tail)	head dur docs steps tail
#define P_OK	L_CODE L_NAME L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL
#define P_HEAD	L_CODE L_NAME L_FIELD L_LEVEL

/* 1.004227 in a small form: line 8 is the first step. */
#define D_OK(days2) \
	"code: \"1.004227\"\nname: \"Đăng ký biến động\"\nfield: dat-dai\nlevel: huyen\n" \
	"duration: { days: 10 }\n" \
	"documents: [{ name: \"Đơn\", originals: 1, copies: 0 }]\n" \
	"steps:\n" \
	"  - { dept: mot-cua, name: \"Tiếp nhận\", days: 0.5 }\n" \
	"  - { dept: vpdk, name: \"Thẩm định\", days: " days2 " }\n" \
	"result: \"Giấy chứng nhận\"\nlegal_basis: [\"Luật Đất đai 2013\"]\n"

#define C_SCHEMA	"schema: 1\n"
#define C_PROV		"province: { code: \"14\", name: \"Tỉnh Sơn La\" }\n"
#define C_UTC		"utc_offset: \"+07:00\"\n"
#define C_HOURS		"office_hours: [[\"07:00\", \"11:30\"], [\"13:30\", \"17:00\"]]\n"
#define C_TAIL		"same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n"
#define C_OK		C_SCHEMA C_PROV C_UTC C_HOURS C_TAIL
#define C_HEAD		C_SCHEMA C_PROV C_UTC

#define DEPTS \
	"    departments:\n" \
	"      - { code: mot-cua, name: \"Một cửa\" }\n" \
	"      - { code: tu-phap, name: \"Tư pháp\" }\n" \
	"      - { code: vpdk, name: \"Văn phòng đăng ký\" }\n" \
	"      - { code: thue, name: \"Thuế\" }\n"
#define UNIT(code)	"  - code: " code "\n    name: \"Đơn vị\"\n" DEPTS

#define YEAR_HEAD	"year: 2015\n"

/* A case: write (or remove) up to two files, then expect exactly these problems. */
struct bad_case {
	const char	*file;
	const char	*content;	/* NULL removes the file */
	const char	*file2;
	const char	*content2;
	const char	*expect;	/* every problem, in order, joined by newlines */
};

static const struct bad_case bad_cases[] = {
	/* catalog.yaml */
	{ "catalog.yaml", NULL, NULL, NULL, "catalog.yaml: missing file" },
	{ "catalog.yaml", "schema: 2\nprovince: whatever\nnew_key: 1\n", NULL, NULL,
	    "catalog.yaml:1:9: schema 2 is newer than this motcuad understands" },
	{ "catalog.yaml", "schema: 0\n" C_PROV C_UTC C_HOURS C_TAIL, NULL, NULL,
	    "catalog.yaml:1:9: \"schema\" must be 1, not 0" },
	{ "catalog.yaml", C_OK "colour: red\n", NULL, NULL,
	    "catalog.yaml:7:1: unknown key \"colour\" (allowed: schema, province, utc_offset, "
	    "office_hours, same_day_cutoff, due_soon_hours)" },
	{ "catalog.yaml", C_OK "schema: 1\n", NULL, NULL,
	    "catalog.yaml:7:1: duplicate key \"schema\" (first at line 1)" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"07:00\", \"11:30\"]]\n"
	    "same_day_cutoff: \"15:00\"\n", NULL, NULL,
	    "catalog.yaml:1:1: missing key \"due_soon_hours\"" },
	{ "catalog.yaml", C_SCHEMA "province: { code: \"14\" }\n" C_UTC C_HOURS C_TAIL, NULL, NULL,
	    "catalog.yaml:2:11: missing key \"name\"" },
	{ "catalog.yaml", C_SCHEMA "province: [\"14\"]\n" C_UTC C_HOURS C_TAIL, NULL, NULL,
	    "catalog.yaml:2:11: \"province\" must be a mapping, not a list" },
	{ "catalog.yaml", "schema: \"1\"\n" C_PROV C_UTC C_HOURS C_TAIL, NULL, NULL,
	    "catalog.yaml:1:9: \"schema\" must be a non-negative integer, not the quoted "
	    "string \"1\"" },
	{ "catalog.yaml", C_SCHEMA C_PROV "utc_offset: \"7\"\n" C_HOURS C_TAIL, NULL, NULL,
	    "catalog.yaml:3:13: \"utc_offset\" must look like \"+07:00\", not the quoted "
	    "string \"7\"" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"07:00\", \"11:30\"], [\"11:00\", \"17:00\"]]\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:36: office periods must be in order and must not overlap" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"13:30\", \"17:00\"], [\"07:00\", \"11:30\"]]\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:36: office periods must be in order and must not overlap" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"11:30\", \"07:00\"]]\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:16: an office period must end after it starts" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"07:00\", \"11:30\", \"12:00\"]]\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:16: an office period must be a pair [\"HH:MM\", \"HH:MM\"], not a "
	    "list of another length" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"07:00\", \"25:00\"]]\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:26: an office period's end must be a time \"HH:MM\", not the "
	    "quoted string \"25:00\"" },
	{ "catalog.yaml", C_HEAD "office_hours: { start: \"07:00\" }\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:15: \"office_hours\" must be a list, not a mapping" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"06:00\", \"07:00\"], [\"08:00\", \"09:00\"], "
	    "[\"10:00\", \"11:00\"], [\"12:00\", \"13:00\"], [\"14:00\", \"15:00\"]]\n"
	    "same_day_cutoff: \"15:00\"\ndue_soon_hours: 8\n", NULL, NULL,
	    "catalog.yaml:4:15: \"office_hours\" may hold at most 4 periods, not 5" },
	{ "catalog.yaml", C_HEAD "office_hours: [[\"07:00\", \"11:30\"]]\n"
	    "same_day_cutoff: 3pm\ndue_soon_hours: -1\n", NULL, NULL,
	    "catalog.yaml:5:18: \"same_day_cutoff\" must be a time \"HH:MM\", not \"3pm\"\n"
	    "catalog.yaml:6:17: \"due_soon_hours\" must be a non-negative integer, not \"-1\"" },
	{ "catalog.yaml", "- schema: 1\n", NULL, NULL,
	    "catalog.yaml:1:1: the file must be a mapping, not a list" },

	/* units.yaml */
	{ "units.yaml", NULL, NULL, NULL, "units.yaml: missing file" },
	{ "units.yaml", "units:\n" UNIT("TPSL") UNIT("tpsl"), NULL, NULL,
	    "units.yaml:9:11: unit code \"tpsl\" must be 2 to 6 upper-case letters A-Z" },
	{ "units.yaml", "units:\n" UNIT("TPSL") UNIT("ABCDEFG") UNIT("Q"), NULL, NULL,
	    "units.yaml:9:11: unit code \"ABCDEFG\" must be 2 to 6 upper-case letters A-Z\n"
	    "units.yaml:16:11: unit code \"Q\" must be 2 to 6 upper-case letters A-Z" },
	{ "units.yaml", "units:\n" UNIT("TPSL") UNIT("QN") UNIT("TPSL"), NULL, NULL,
	    "units.yaml:16:11: duplicate unit code \"TPSL\" (first at line 2)" },
	{ "units.yaml", "units:\n" UNIT("TPSL")
	    "      - { code: tu-phap, name: \"Phòng Tư pháp\" }\n", NULL, NULL,
	    "units.yaml:9:17: duplicate department code \"tu-phap\" (first at line 6)" },
	{ "units.yaml", "units:\n" UNIT("TPSL")
	    "      - { code: Tu Phap, name: \"Phòng Tư pháp\" }\n", NULL, NULL,
	    "units.yaml:9:17: department code \"Tu Phap\" must be 1 to 40 characters of "
	    "a-z, 0-9, \"-\" and \"_\"" },
	{ "units.yaml", "units:\n  - code: TPSL\n    name: [\"Thành phố\"]\n"
	    "    departments: { code: mot-cua }\n", NULL, NULL,
	    "units.yaml:3:11: \"name\" must be a string, not a list\n"
	    "units.yaml:4:18: \"departments\" must be a list, not a mapping" },
	{ "units.yaml", "units:\n  - code: TPSL\n    nam: \"Thành phố\"\n" DEPTS, NULL, NULL,
	    "units.yaml:2:5: missing key \"name\"\n"
	    "units.yaml:3:5: unknown key \"nam\" (allowed: code, name, departments)" },
	{ "units.yaml", "units:\n" UNIT("TPSL") "  - code: QN\n    name: \"Quỳnh Nhai\"\n"
	    "    departments:\n      - { code: mot-cua, name: \"Một cửa\" }\n"
	    "      - { code: tu-phap, name: \"Tư pháp\" }\n"
	    "      - { code: vpdk, name: \"Văn phòng đăng ký\" }\n", NULL, NULL,
	    P227 ":16:13: department \"thue\" is missing from unit QN" },
	{ "units.yaml", "units: []\n", NULL, NULL,
	    "units.yaml:1:8: \"units\" must not be empty" },

	/* fields.yaml */
	{ "fields.yaml", NULL, NULL, NULL, "fields.yaml: missing file" },
	{ "fields.yaml", "fields:\n  - { code: dat-dai, name: \"Đất đai\" }\n"
	    "  - { code: chung-thuc, name: \"Chứng thực\" }\n"
	    "  - { code: dat-dai, name: \"Đất đai (trùng)\" }\n", NULL, NULL,
	    "fields.yaml:4:13: duplicate field code \"dat-dai\" (first at line 2)" },
	{ "fields.yaml", "fields:\n  - { code: chung-thuc, name: \"Chứng thực\" }\n", NULL, NULL,
	    P227 ":3:8: unknown field \"dat-dai\"" },
	{ "fields.yaml", "fields:\n  - { code: \"Đất đai\", name: \"Đất đai\" }\n"
	    "  - { code: chung-thuc, name: \"Chứng thực\" }\n", NULL, NULL,
	    "fields.yaml:2:13: field code \"Đất đai\" must be 1 to 40 characters of a-z, 0-9, "
	    "\"-\" and \"_\"" },

	/* calendar */
	{ "calendar/2015.yaml", NULL, NULL, NULL,
	    "calendar/: no calendar file (one per year, like calendar/2015.yaml)" },
	{ "calendar/2015.yaml", "year: 2016\n", NULL, NULL,
	    "calendar/2015.yaml:1:7: year 2016 does not match the file name 2015.yaml" },
	{ "calendar/2015.yaml", "off: []\n", NULL, NULL,
	    "calendar/2015.yaml:1:1: missing key \"year\"" },
	{ "calendar/2015.yaml", YEAR_HEAD "off:\n  - { date: 2015-02-30, name: \"x\" }\n",
	    NULL, NULL,
	    "calendar/2015.yaml:3:13: \"date\" must be a real date YYYY-MM-DD, not "
	    "\"2015-02-30\"" },
	{ "calendar/2015.yaml", YEAR_HEAD "off:\n  - { date: 1/1/2015 }\n", NULL, NULL,
	    "calendar/2015.yaml:3:13: \"date\" must be a real date YYYY-MM-DD, not "
	    "\"1/1/2015\"" },
	{ "calendar/2015.yaml", YEAR_HEAD "off:\n  - { date: 2016-01-01, name: \"x\" }\n",
	    NULL, NULL, "calendar/2015.yaml:3:13: 2016-01-01 is not in 2015" },
	{ "calendar/2015.yaml", YEAR_HEAD "off:\n  - { date: 2015-01-03, name: \"x\" }\n",
	    NULL, NULL,
	    "calendar/2015.yaml:3:13: 2015-01-03 is a Saturday; \"off\" lists weekdays only" },
	{ "calendar/2015.yaml", YEAR_HEAD "work:\n  - { date: 2015-01-05, name: \"x\" }\n",
	    NULL, NULL,
	    "calendar/2015.yaml:3:13: 2015-01-05 is a Monday; \"work\" lists weekend days only" },
	{ "calendar/2015.yaml", YEAR_HEAD "off:\n  - { date: 2015-01-01, name: \"a\" }\n"
	    "  - { date: 2015-01-02, name: \"b\" }\n  - { date: 2015-01-01, name: \"c\" }\n",
	    NULL, NULL,
	    "calendar/2015.yaml:5:13: duplicate date \"2015-01-01\" (first at line 3)" },
	{ "calendar/2015.yaml", YEAR_HEAD "provisional: yes\nholidays: []\n", NULL, NULL,
	    "calendar/2015.yaml:2:14: \"provisional\" must be true or false, not \"yes\"\n"
	    "calendar/2015.yaml:3:1: unknown key \"holidays\" (allowed: year, off, work, "
	    "provisional, note)" },
	{ "calendar/2015.yaml", YEAR_HEAD "off:\n  - { date: 2015-01-01, nam: \"x\" }\n",
	    NULL, NULL,
	    "calendar/2015.yaml:3:25: unknown key \"nam\" (allowed: date, name)" },
	{ "calendar/abc.yaml", "year: 2015\n", NULL, NULL,
	    "calendar/abc.yaml: a calendar file is named after its year, like 2015.yaml" },

	/* procedures: the file, the code and the field */
	{ P815, NULL, P227, NULL,
	    "procedures/: no procedure (one file per procedure, like "
	    "procedures/<field>/<code>.yaml)" },
	{ P815, "code: \"2.000816\"\n" L_NAME L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL,
	    P815 ":1:7: procedure code \"2.000816\" does not match the file name "
	    "2.000815.yaml" },
	{ P815, "code: \"2/000815\"\n" L_NAME L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL,
	    P815 ":1:7: procedure code \"2/000815\" must be 1 to 64 characters of A-Z, a-z, "
	    "0-9, \".\", \"-\" and \"_\"" },
	{ P815, L_CODE L_NAME "field: dat-dai\n" L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL,
	    P815 ":3:8: field \"dat-dai\" does not match the directory procedures/chung-thuc/" },
	{ P815, L_CODE L_NAME "field: ho-tich\n" L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL, P815 ":3:8: unknown field \"ho-tich\"" },
	{ "procedures/dat-dai/2.000815.yaml",
	    L_CODE L_NAME "field: dat-dai\n" L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    "procedures/dat-dai/2.000815.yaml:1:7: duplicate procedure code \"2.000815\" "
	    "(also in " P815 ":1)" },
	{ "procedures/2.000815.yaml", P_OK, NULL, NULL,
	    "procedures/2.000815.yaml: a procedure file belongs in procedures/<field>/" },
	{ P815, "", NULL, NULL, P815 ": the file holds no YAML document" },
	{ P815, "[code, name]\n", NULL, NULL,
	    P815 ":1:1: the file must be a mapping, not a list" },

	/* procedures: keys and types */
	{ P815, L_CODE "nam: \"Chứng thực\"\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL,
	    P815 ":1:1: missing key \"name\"\n"
	    P815 ":2:1: unknown key \"nam\" (allowed: code, name, field, level, duration, fee, "
	    "applicants, agency, online, no_deadline, documents, steps, result, legal_basis, "
	    "variants)" },
	{ P815, P_OK "level: xa\n", NULL, NULL,
	    P815 ":13:1: duplicate key \"level\" (first at line 4)" },
	{ P815, P_HEAD L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":1:1: missing key \"duration\"" },
	{ P815, L_CODE "name: { vi: \"Chứng thực\" }\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS
	    L_TAIL, NULL, NULL,
	    P815 ":2:7: \"name\" must be a string, not a mapping" },
	{ P815, L_CODE "name: \"\"\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":2:7: \"name\" must not be empty" },
	{ P815, L_CODE L_NAME L_FIELD "level: tỉnh\n" L_DUR L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":4:8: \"level\" must be tinh, huyen or xa, not \"tỉnh\"" },
	{ P815, P_HEAD L_DUR "documents: { name: \"Bản chính\" }\n" L_STEPS L_TAIL, NULL, NULL,
	    P815 ":6:12: \"documents\" must be a list, not a mapping" },
	{ P815, P_HEAD L_DUR "documents:\n  - { name: \"Bản chính\", originals: -1, copies: "
	    "\"1\" }\n" L_STEPS L_TAIL, NULL, NULL,
	    P815 ":7:37: \"originals\" must be a non-negative integer, not \"-1\"\n"
	    P815 ":7:49: \"copies\" must be a non-negative integer, not the quoted string "
	    "\"1\"" },
	{ P815, P_HEAD L_DUR "documents:\n  - { name: \"Bản chính\", originals: 1 }\n"
	    L_STEPS L_TAIL, NULL, NULL,
	    P815 ":7:5: missing key \"copies\"" },
	{ P815, P_OK "online: yes\nno_deadline: \"false\"\n", NULL, NULL,
	    P815 ":13:9: \"online\" must be true or false, not \"yes\"\n"
	    P815 ":14:14: \"no_deadline\" must be true or false, not the quoted string "
	    "\"false\"" },
	{ P815, P_HEAD "duration: { days: 0, same_day: \"true\" }\n" L_DOCS L_STEPS L_TAIL,
	    NULL, NULL,
	    P815 ":5:32: \"same_day\" must be true or false, not the quoted string \"true\"" },
	{ P815, P_HEAD "duration: [0]\n" L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":5:11: \"duration\" must be a mapping, not a list" },
	{ P815, P_OK "legal_basis: []\n", NULL, NULL,
	    P815 ":13:1: duplicate key \"legal_basis\" (first at line 12)" },
	{ P815, P_HEAD L_DUR L_DOCS L_STEPS "result: \"Bản sao\"\nlegal_basis: "
	    "[[\"Nghị định\"]]\n", NULL, NULL,
	    P815 ":12:15: \"legal_basis\" must be a string, not a list" },

	/* procedures: durations and steps */
	{ P815, P_HEAD "duration: { days: 1, same_day: true }\n" L_DOCS "steps:\n"
	    "  - { dept: mot-cua, name: \"Tiếp nhận\", days: 0.5 }\n"
	    "  - { dept: tu-phap, name: \"Chứng thực\", days: 0.5 }\n" L_TAIL, NULL, NULL,
	    P815 ":5:19: same_day: true needs days: 0, not 1" },
	{ P815, P_HEAD "duration: { days: 1.255 }\n" L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":5:19: \"days\" must be a non-negative number of days with at most 2 "
	    "decimals, not \"1.255\"" },
	{ P815, P_HEAD "duration: { days: \"1\" }\n" L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":5:19: \"days\" must be a non-negative number of days with at most 2 "
	    "decimals, not the quoted string \"1\"" },
	{ P815, P_HEAD "duration: { days: 1. }\n" L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":5:19: \"days\" must be a non-negative number of days with at most 2 "
	    "decimals, not \"1.\"" },
	{ P815, P_HEAD "duration: { days: 1e1 }\n" L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":5:19: \"days\" must be a non-negative number of days with at most 2 "
	    "decimals, not \"1e1\"" },
	{ P815, P_HEAD L_DUR L_DOCS "steps:\n" L_STEP1
	    "  - { dept: tu-phap, name: \"Chứng thực\", days: -1 }\n" L_TAIL, NULL, NULL,
	    P815 ":10:48: \"days\" must be a non-negative number of days with at most 2 "
	    "decimals, not \"-1\"" },
	{ P815, P_HEAD L_DUR L_DOCS "steps:\n" L_STEP1
	    "  - { dept: tu-phap, name: \"Chứng thực\", days: abc }\n" L_TAIL, NULL, NULL,
	    P815 ":10:48: \"days\" must be a non-negative number of days with at most 2 "
	    "decimals, not \"abc\"" },
	{ P815, P_HEAD L_DUR L_DOCS "steps:\n" L_STEP1 L_TAIL, NULL, NULL,
	    P815 ":9:3: a procedure needs at least 2 steps, not 1" },
	{ P815, P_HEAD L_DUR L_DOCS "steps:\n" L_STEP1
	    "  - { dept: xyz, name: \"Chứng thực\", days: 0 }\n" L_TAIL, NULL, NULL,
	    P815 ":10:13: unknown department \"xyz\" (no unit has it)" },
	{ P815, P_HEAD L_DUR L_DOCS "steps:\n" L_STEP1
	    "  - { dept: tu-phap, name: \"Chứng thực\", days: 0, pause: tax }\n" L_TAIL,
	    NULL, NULL,
	    P815 ":10:58: \"pause\" must be \"citizen\", not \"tax\"" },
	{ P815, P_HEAD L_DUR L_DOCS "steps:\n" L_STEP1
	    "  - [tu-phap, \"Chứng thực\", 0]\n" L_TAIL, NULL, NULL,
	    P815 ":10:5: a step must be a mapping, not a list" },
	{ P227, D_OK("9.25"), NULL, NULL,
	    P227 ":8:3: the steps' days add up to 9.75, but duration.days is 10" },
	{ P227, D_OK("9.5") "variants:\n  - name: \"Thừa kế\"\n"
	    "    documents: [{ name: \"Văn bản khai nhận\", originals: 1, copies: 0 }]\n"
	    "    duration: { days: 12 }\n", NULL, NULL,
	    P227 ":15:15: the variant's duration.days is 12 but the steps add up to 10; give "
	    "the variant its own steps" },
	{ P227, D_OK("9.5") "variants:\n  - name: \"Thừa kế\"\n"
	    "    documents: [{ name: \"Văn bản khai nhận\", originals: 1, copies: 0 }]\n"
	    "    duration: { days: 2 }\n    steps:\n"
	    "      - { dept: mot-cua, name: \"Tiếp nhận\", days: 1 }\n"
	    "      - { dept: tnmt, name: \"Thẩm định\", days: 0.5 }\n", NULL, NULL,
	    P227 ":17:7: the steps' days add up to 1.5, but duration.days is 2\n"
	    P227 ":18:17: unknown department \"tnmt\" (no unit has it)" },
	{ P227, D_OK("9.5") "variants:\n  - name: \"Thừa kế\"\n    duration: { days: 10 }\n"
	    "    fee: \"0\"\n", NULL, NULL,
	    P227 ":13:5: missing key \"documents\"\n"
	    P227 ":15:5: unknown key \"fee\" (allowed: name, documents, duration, steps)" },

	/* text */
	{ P815, L_CODE "name: \"Chứng\\e thực\"\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL,
	    P815 ":2:7: invalid text: control character U+001B at byte 7" },
	{ P815, L_CODE "name: \"Chứng\xff thực\"\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS
	    L_TAIL, NULL, NULL, P815 ":2:13: invalid UTF-8" },
	{ P815, L_CODE "name: Chứng\x1b thực\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS L_TAIL,
	    NULL, NULL, P815 ":2:12: control character U+001B is not allowed" },
	{ P815, L_CODE "name: !!str \"Chứng thực\"\n" L_FIELD L_LEVEL L_DUR L_DOCS L_STEPS
	    L_TAIL, NULL, NULL,
	    P815 ":2:7: tags are not allowed" },
	{ P815, L_CODE L_NAME L_FIELD L_LEVEL "duration: &d { days: 0, same_day: true }\n"
	    L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":5:11: anchors are not allowed" },
	{ P815, P_OK "---\n" P_OK, NULL, NULL,
	    P815 ":13:1: only one YAML document is allowed in a file" },
	{ P815, L_CODE L_NAME L_FIELD L_LEVEL "duration: { days: 0, same_day: true\n"
	    L_DOCS L_STEPS L_TAIL, NULL, NULL,
	    P815 ":6:10: did not find expected ',' or '}' while parsing a flow mapping "
	    "(started at 5:11)" },
};

/* Each broken catalog gives exactly the expected problems at the expected positions. */
START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	char			*dir = scratch_copy(), *got;

	put(dir, c->file, c->content);
	if (c->file2 != NULL)
		put(dir, c->file2, c->content2);
	got = problems_of(catdir(dir), NULL);
	ck_assert_msg(strcmp(got, c->expect) == 0, "case %d:\n got: %s\nwant: %s", _i, got,
	    c->expect);
	free(got);
	remove_tree(dir);
}
END_TEST

/* A syntax error stops its own file only; problems of two files are both reported. */
START_TEST(test_two_files)
{
	char	*dir = scratch_copy(), *got;

	put(dir, "fields.yaml", "fields:\n  - { code: dat-dai, name: \"Đất đai\" \n");
	put(dir, P815, L_CODE L_NAME L_FIELD "level: district\n" L_DUR L_DOCS L_STEPS L_TAIL);
	put(dir, "calendar/2015.yaml", "year: 2014\n");
	got = problems_of(catdir(dir), NULL);
	ck_assert_str_eq(got,
	    "fields.yaml:3:1: did not find expected ',' or '}' while parsing a flow mapping "
	    "(started at 2:5)\n"
	    "calendar/2015.yaml:1:7: year 2014 does not match the file name 2015.yaml\n"
	    P815 ":4:8: \"level\" must be tinh, huyen or xa, not \"district\"");
	free(got);
	remove_tree(dir);
}
END_TEST

/* Problems beyond CATALOG_MAX_PROBLEMS are counted, not kept. */
START_TEST(test_too_many_problems)
{
	struct catalog_problems	 problems;
	char			*dir = scratch_copy(), *text, *got;
	size_t			 len = 0, i, n = CATALOG_MAX_PROBLEMS + 100;

	text = xmalloc(32 + n * 64);
	len += (size_t)sprintf(text, "fields:\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "  - { code: BAD%zu, name: x }\n", i);
	put(dir, "fields.yaml", text);
	got = problems_of(catdir(dir), &problems);
	ck_assert_uint_eq(problems.n, CATALOG_MAX_PROBLEMS);
	ck_assert_uint_ge(problems.dropped, 100);
	ck_assert_str_eq(problems.items[0], "fields.yaml:2:13: field code \"BAD0\" must be 1 "
	    "to 40 characters of a-z, 0-9, \"-\" and \"_\"");
	catalog_problems_free(&problems);
	ck_assert_uint_eq(problems.n, 0);
	free(got);
	free(text);
	remove_tree(dir);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * Hostile files
 */

/* Write a file of n copies of open followed by n copies of close. */
static void
put_nested(const char *dir, const char *rel, const char *open_s, const char *close_s,
    size_t n)
{
	size_t	lo = strlen(open_s), lc = strlen(close_s), i, len = 0;
	char	*text = xmalloc(n * (lo + lc) + 2);

	for (i = 0; i < n; i++, len += lo)
		memcpy(text + len, open_s, lo);
	for (i = 0; i < n; i++, len += lc)
		memcpy(text + len, close_s, lc);
	text[len++] = '\n';
	put_len(dir, rel, text, len);
	free(text);
}

/* 50,000 nested flow sequences and mappings are refused at the first level too deep. */
START_TEST(test_deep_nesting)
{
	char		*dir = scratch_copy(), *got;

	put_nested(dir, "units.yaml", "[", "]", 50000);
	put_nested(dir, "fields.yaml", "{a: ", "}", 50000);
	got = problems_of(catdir(dir), NULL);
	ck_assert_str_eq(got,
	    "units.yaml:1:17: nesting deeper than 16 levels\n"
	    "fields.yaml:1:65: nesting deeper than 16 levels");
	free(got);
	remove_tree(dir);
}
END_TEST

/* 50,000 nested block mappings (as deep as a 1 MiB file allows) are refused quickly too. */
START_TEST(test_deep_block_nesting)
{
	char		*dir = scratch_copy(), *got, *text;
	size_t		 i, len = 0;

	/* "-" starts a nested block sequence without any indentation cost. */
	text = xmalloc(50000 * 2 + 8);
	for (i = 0; i < 50000; i++) {
		text[len++] = '-';
		text[len++] = ' ';
	}
	memcpy(text + len, "x\n", 2);
	len += 2;
	put_len(dir, "units.yaml", text, len);
	free(text);
	got = problems_of(catdir(dir), NULL);
	ck_assert_str_eq(got, "units.yaml:1:33: nesting deeper than 16 levels");
	free(got);
	remove_tree(dir);
}
END_TEST

/* A 20 MB file is refused by its size before it is read. */
START_TEST(test_huge_file)
{
	char		*dir = scratch_copy(), *got, *path;
	int		 fd;

	path = xasprintf("%s/catalog/%s", dir, P815);
	ck_assert_int_ge(fd = open(path, O_WRONLY | O_TRUNC), 0);
	ck_assert_int_eq(ftruncate(fd, 20 * 1024 * 1024), 0);
	close(fd);
	free(path);
	got = problems_of(catdir(dir), NULL);
	ck_assert_str_eq(got, P815 ": file is larger than 1048576 bytes");
	free(got);
	remove_tree(dir);
}
END_TEST

/* An alias loop and a billion-laughs alias bomb are refused at their first anchor. */
START_TEST(test_alias_bombs)
{
	char		*dir = scratch_copy(), *got;

	put(dir, "units.yaml", "a: &a [*a]\n");
	put(dir, "fields.yaml",
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n");
	got = problems_of(catdir(dir), NULL);
	ck_assert_str_eq(got,
	    "units.yaml:1:4: anchors are not allowed\n"
	    "fields.yaml:1:4: anchors are not allowed");
	free(got);
	remove_tree(dir);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * Reload, versions, search, scale
 */

/* A broken directory leaves the current catalog in place; a good one replaces it. */
START_TEST(test_reload)
{
	struct catalog_problems	 problems = { NULL, 0, 0 };
	struct catalog		*cat, *old;
	char			*dir = scratch_copy();

	cat = old = load_ok(MIN_DIR);
	put(dir, "units.yaml", "units: [\n");
	ck_assert_int_eq(catalog_reload(&cat, catdir(dir), &problems), -1);
	ck_assert_ptr_eq(cat, old);
	ck_assert_uint_eq(problems.n, 1);
	ck_assert_ptr_nonnull(strstr(problems.items[0], "units.yaml:2:1: "));
	ck_assert_ptr_nonnull(catalog_procedure(cat, "2.000815"));
	catalog_problems_free(&problems);

	remove_tree(dir);
	dir = scratch_copy();
	ck_assert_int_eq(catalog_reload(&cat, catdir(dir), &problems), 0);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_ptr_ne(cat, NULL);
	ck_assert_str_eq(cat->dir, catdir(dir));
	ck_assert_ptr_nonnull(catalog_procedure(cat, "2.000815"));
	catalog_free(cat);
	remove_tree(dir);
}
END_TEST

/* The version follows the content, not comments or formatting. */
START_TEST(test_version)
{
	struct catalog	*cat;
	char		 base[CATALOG_VERSION_LEN + 1], *dir = scratch_copy();

	put(dir, P815, P_OK);
	cat = load_ok(catdir(dir));
	strcpy(base, catalog_procedure(cat, "2.000815")->version);
	catalog_free(cat);

	/* Comments, flow versus block style, quoting and key order do not matter. */
	put(dir, P815,
	    "# Chứng thực bản sao\n"
	    "name: 'Chứng thực bản sao'   # tên\n"
	    "code: '2.000815'\n"
	    "level: \"huyen\"\n"
	    "field: chung-thuc\n"
	    "duration:\n  same_day: true\n  days: 0\n"
	    "documents: [{copies: 0, originals: 1, name: Bản chính}]\n"
	    "steps:\n"
	    "  - dept: mot-cua\n    name: Tiếp nhận\n    days: 0\n"
	    "  - { dept: tu-phap, days: 0, name: \"Chứng thực\" }\n"
	    "legal_basis:\n  - Nghị định 23/2015/NĐ-CP\n"
	    "result: >-\n  Bản sao\n");
	cat = load_ok(catdir(dir));
	ck_assert_str_eq(catalog_procedure(cat, "2.000815")->version, base);
	catalog_free(cat);

	/* 0 and 0.00 are the same number of days. */
	put(dir, P815, P_HEAD "duration: { days: 0.00, same_day: true }\n" L_DOCS L_STEPS
	    L_TAIL);
	cat = load_ok(catdir(dir));
	ck_assert_str_eq(catalog_procedure(cat, "2.000815")->version, base);
	catalog_free(cat);

	/* Any change of content changes it. */
	put(dir, P815, P_HEAD L_DUR L_DOCS L_STEPS "result: \"Bản sao có chứng thực\"\n"
	    "legal_basis: [\"Nghị định 23/2015/NĐ-CP\"]\n");
	cat = load_ok(catdir(dir));
	ck_assert_str_ne(catalog_procedure(cat, "2.000815")->version, base);
	catalog_free(cat);
	put(dir, P815, P_HEAD L_DUR "documents:\n  - { name: \"Bản chính\", originals: 1, "
	    "copies: 1 }\n" L_STEPS L_TAIL);
	cat = load_ok(catdir(dir));
	ck_assert_str_ne(catalog_procedure(cat, "2.000815")->version, base);
	catalog_free(cat);
	put(dir, P815, P_OK "fee: \"Miễn phí\"\n");
	cat = load_ok(catdir(dir));
	ck_assert_str_ne(catalog_procedure(cat, "2.000815")->version, base);
	catalog_free(cat);
	remove_tree(dir);
}
END_TEST

/* Search by code prefix first, then by accent-free words of the name. */
START_TEST(test_search)
{
	const struct catalog_procedure	*out[8];
	struct catalog			*cat;

	cat = load_ok(MIN_DIR);
	ck_assert_uint_eq(catalog_search(cat, "chung thuc ban sao", out, 8), 1);
	ck_assert_str_eq(out[0]->code, "2.000815");
	ck_assert_uint_eq(catalog_search(cat, "CHỨNG THỰC   bản", out, 8), 1);
	ck_assert_str_eq(out[0]->code, "2.000815");
	ck_assert_uint_eq(catalog_search(cat, "sao ban", out, 8), 1);
	ck_assert_uint_eq(catalog_search(cat, "2.000", out, 8), 1);
	ck_assert_str_eq(out[0]->code, "2.000815");
	ck_assert_uint_eq(catalog_search(cat, " 1.004227 ", out, 8), 1);
	ck_assert_str_eq(out[0]->code, "1.004227");
	ck_assert_uint_eq(catalog_search(cat, "chuyen nhuong dat", out, 8), 1);
	ck_assert_str_eq(out[0]->code, "1.004227");
	ck_assert_uint_eq(catalog_search(cat, "ban sao dat", out, 8), 0);
	ck_assert_uint_eq(catalog_search(cat, "3.", out, 8), 0);
	ck_assert_uint_eq(catalog_search(cat, "", out, 8), 2);
	ck_assert_str_eq(out[0]->code, "1.004227");
	ck_assert_uint_eq(catalog_search(cat, "", out, 1), 1);
	catalog_free(cat);
}
END_TEST

/* A name match that is also a code match comes once, in the code part. */
START_TEST(test_search_order)
{
	const struct catalog_procedure	*out[8];
	struct catalog			*cat;
	char				*dir = scratch_copy();

	put(dir, "procedures/chung-thuc/2.000884.yaml",
	    "code: \"2.000884\"\nname: \"Chứng thực chữ ký 1.004227\"\nfield: chung-thuc\n"
	    "level: huyen\nduration: { days: 0, same_day: true }\n"
	    "documents: [{ name: \"Giấy tờ\", originals: 1, copies: 0 }]\n"
	    "steps:\n  - { dept: mot-cua, name: \"Tiếp nhận\", days: 0 }\n"
	    "  - { dept: tu-phap, name: \"Chứng thực\", days: 0 }\n"
	    "result: \"Chữ ký được chứng thực\"\nlegal_basis: [\"Nghị định 23/2015/NĐ-CP\"]\n");
	cat = load_ok(catdir(dir));
	ck_assert_uint_eq(catalog_search(cat, "1.004227", out, 8), 2);
	ck_assert_str_eq(out[0]->code, "1.004227");
	ck_assert_str_eq(out[1]->code, "2.000884");
	ck_assert_uint_eq(catalog_search(cat, "chung thuc", out, 8), 2);
	ck_assert_str_eq(out[0]->code, "2.000815");
	ck_assert_str_eq(out[1]->code, "2.000884");
	catalog_free(cat);
	remove_tree(dir);
}
END_TEST

/* The province's own catalog loads cleanly, with its 12 units. */
START_TEST(test_bundled)
{
	static const char	*names[] = {
		"Thành phố Sơn La", "Huyện Quỳnh Nhai", "Huyện Thuận Châu", "Huyện Mường La",
		"Huyện Bắc Yên", "Huyện Phù Yên", "Huyện Mộc Châu", "Huyện Yên Châu",
		"Huyện Mai Sơn", "Huyện Sông Mã", "Huyện Sốp Cộp", "Huyện Vân Hồ"
	};
	const struct catalog_procedure	*out[4];
	struct catalog			*cat;
	size_t				 i, j;

	cat = load_ok(TEST_CATALOG);
	ck_assert_uint_eq(cat->nunits, 12);
	for (i = 0; i < 12; i++) {
		for (j = 0; j < cat->nunits; j++) {
			if (strcmp(cat->units[j].name, names[i]) == 0)
				break;
		}
		ck_assert_msg(j < cat->nunits, "no unit named %s", names[i]);
	}
	ck_assert_ptr_nonnull(catalog_unit(cat, "TPSL"));
	ck_assert_ptr_nonnull(catalog_procedure(cat, "2.000815"));
	ck_assert_uint_ge(catalog_search(cat, "chung thuc ban sao", out, 4), 1);
	ck_assert(calendar_has_year(cat->calendar, 2015));
	catalog_free(cat);
}
END_TEST

/* The shipped calendars hold the official facts of 2014 and 2015, day by day. */
START_TEST(test_bundled_calendar)
{
	static const struct { const char *date; int working; } facts[] = {
		{ "2014-01-01", 0 }, { "2014-01-25", 1 }, { "2014-01-28", 0 }, { "2014-02-05", 0 },
		{ "2014-02-06", 1 }, { "2014-02-08", 1 }, { "2014-04-09", 0 }, { "2014-04-26", 1 },
		{ "2014-05-02", 0 }, { "2014-09-02", 0 }, { "2014-12-27", 1 }, { "2015-01-01", 0 },
		{ "2015-01-02", 0 }, { "2015-02-14", 1 }, { "2015-02-15", 0 }, { "2015-02-16", 0 },
		{ "2015-02-20", 0 }, { "2015-02-23", 0 }, { "2015-02-24", 1 }, { "2015-04-25", 1 },
		{ "2015-04-28", 0 }, { "2015-04-29", 0 }, { "2015-04-30", 0 }, { "2015-05-01", 0 },
		{ "2015-05-04", 1 }, { "2015-09-02", 0 }, { "2015-09-03", 1 }
	};
	struct calendar_date	 date;
	struct catalog		*cat;
	char			*cause = NULL, text[32];
	int64_t			 from, due;
	size_t			 i;

	cat = load_ok(TEST_CATALOG);
	for (i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		ck_assert_int_eq(calendar_parse_date(facts[i].date, &date), 0);
		ck_assert_msg(calendar_is_working_day(cat->calendar, date, &cause) ==
		    facts[i].working, "%s", facts[i].date);
	}
	/* DOMAIN.md's worked example, on the shipped calendar. */
	ck_assert_int_eq(calendar_parse_local(cat->calendar, "2015-02-13 10:00", &from, &cause),
	    0);
	ck_assert_int_eq(calendar_due(cat->calendar, from, 500, false, &due, &cause), 0);
	calendar_format_local(cat->calendar, due, text, sizeof text);
	ck_assert_str_eq(text, "2015-02-27 10:00");
	catalog_free(cat);
}
END_TEST

/* A FIFO in the catalog is refused at once instead of blocking the loader. */
START_TEST(test_fifo)
{
	char	*dir = scratch_copy(), *path, *got;

	path = xasprintf("%s/fields.yaml", catdir(dir));
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	got = problems_of(catdir(dir), NULL);
	ck_assert_str_eq(got, "fields.yaml: not a regular file");
	free(got);
	free(path);
	remove_tree(dir);
}
END_TEST

/* Names and tags from the catalog never put an escape sequence on the maintainer's terminal. */
START_TEST(test_problems_are_printable)
{
	char	*dir = scratch_copy(), *got;

	put(dir, "procedures/chung-thuc/x\033[31mred.yaml", "code: \"1\"\n");
	put(dir, "fields.yaml", "fields: !x%1B%5D0;title%07 []\n");
	got = problems_of(catdir(dir), NULL);
	ck_assert_ptr_null(strchr(got, '\033'));
	ck_assert_ptr_null(strchr(got, '\a'));
	ck_assert_ptr_nonnull(strstr(got, "fields.yaml:1:9: tags are not allowed"));
	ck_assert_ptr_nonnull(strstr(got, "procedures/chung-thuc/x?[31mred.yaml"));
	free(got);
	remove_tree(dir);
}
END_TEST

/* The catalog suite. */
static Suite *
catalog_suite(void)
{
	Suite	*s = suite_create("catalog");
	TCase	*tc;

	tc = tcase_create("ydoc");
	tcase_add_test(tc, test_ydoc_tree);
	tcase_add_loop_test(tc, test_ydoc_problems, 0,
	    (int)(sizeof ydoc_cases / sizeof ydoc_cases[0]));
	tcase_add_test(tc, test_ydoc_limits);
	tcase_add_test(tc, test_ydoc_read_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("valid");
	tcase_add_test(tc, test_min_loads);
	tcase_add_test(tc, test_nfc);
	tcase_add_test(tc, test_nfc_quick_ranges);
	tcase_add_test(tc, test_optional_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("problems");
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, test_two_files);
	tcase_add_test(tc, test_too_many_problems);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_deep_block_nesting);
	tcase_add_test(tc, test_huge_file);
	tcase_add_test(tc, test_alias_bombs);
	suite_add_tcase(s, tc);

	tc = tcase_create("use");
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_search_order);
	tcase_add_test(tc, test_bundled);
	tcase_add_test(tc, test_bundled_calendar);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_problems_are_printable);
	suite_add_tcase(s, tc);

	return s;
}

/* Run the catalog suite. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(catalog_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
