/* catalog.c: loads the province's procedure catalog (schema 1) from YAML and checks all of it. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog.h"
#include "sha256.h"
#include "text.h"
#include "xmalloc.h"
#include "ydoc.h"

#define CATALOG_SHOW		48	/* bytes of a value quoted in a message */
#define CATALOG_MAX_DAYS	10000	/* longest duration, in working days */
#define CATALOG_MAX_COUNT	1000000	/* largest plain integer */
#define CATALOG_MAX_KEYS	32	/* keys in one key table */

/* A problem found while loading, with what it is sorted by. */
struct catalog_problem {
	int	 ord;		/* file, in the order files are read */
	int	 line;
	int	 column;
	size_t	 seq;
	char	*text;
};

/* A code and where it was written, for finding duplicates. */
struct catalog_code {
	const char	*code;
	int		 ord;
	int		 line;
	int		 column;
};

/* One key a mapping may hold. */
struct catalog_key {
	const char	*name;
	bool		 required;
};

/* The state of one load. */
struct catalog_loader {
	struct catalog		*cat;
	struct catalog_problem	*problems;
	size_t			 nproblems;
	size_t			 aproblems;
	size_t			 limit;
	size_t			 dropped;
	size_t			 seq;

	char			**files;	/* relative names, by ordinal */
	size_t			 nfiles;
	int			 ord;		/* the file being read */

	bool			 newer_schema;
	bool			 units_ok;	/* units.yaml is clean: check departments */
	bool			 fields_ok;	/* fields.yaml is clean: check fields */

	struct catalog_code	*codes;		/* procedure codes */
	size_t			 ncodes;
	size_t			 aprocedures;
};

/* A growing string for canonical JSON. */
struct catalog_buf {
	char	*s;
	size_t	 len;
	size_t	 alloc;
};

static const char *catalog_weekdays[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};

/* Start a new file (or directory) for messages; returns its ordinal. */
static int
catalog_begin(struct catalog_loader *l, const char *rel)
{
	if (l->nfiles == 0 || (l->nfiles >= 16 && (l->nfiles & (l->nfiles - 1)) == 0))
		l->files = xreallocarray(l->files, l->nfiles < 16 ? 16 : l->nfiles * 2,
		    sizeof *l->files);
	l->files[l->nfiles] = xstrdup(rel);
	l->ord = (int)l->nfiles++;
	return l->ord;
}

/* Record a problem in file ord at line:column (0 for the whole file). */
static void
catalog_vproblem(struct catalog_loader *l, int ord, int line, int column, const char *fmt,
    va_list ap) __attribute__((format(printf, 5, 0)));

/* Record a problem in file ord at line:column (0 for the whole file). */
static void
catalog_vproblem(struct catalog_loader *l, int ord, int line, int column, const char *fmt,
    va_list ap)
{
	struct catalog_problem	*p;
	char			*msg, *text;

	if (l->nproblems >= l->limit) {
		l->dropped++;
		return;
	}
	if (l->nproblems == l->aproblems) {
		l->aproblems = l->aproblems == 0 ? 16 : l->aproblems * 2;
		l->problems = xreallocarray(l->problems, l->aproblems, sizeof *l->problems);
	}
	msg = xvasprintf(fmt, ap);
	p = &l->problems[l->nproblems++];
	p->ord = ord;
	p->line = line;
	p->column = column;
	p->seq = l->seq++;
	if (line > 0)
		text = xasprintf("%s:%d:%d: %s", l->files[ord], line, column, msg);
	else
		text = xasprintf("%s: %s", l->files[ord], msg);
	/* File names and quoted values come from the catalog: never let them drive a terminal. */
	p->text = text_sanitise(text);
	free(text);
	free(msg);
}

/* Record a problem at a position of file ord. */
static void
catalog_problem_at(struct catalog_loader *l, int ord, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record a problem at a position of file ord. */
static void
catalog_problem_at(struct catalog_loader *l, int ord, int line, int column, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	catalog_vproblem(l, ord, line, column, fmt, ap);
	va_end(ap);
}

/* Record a problem at a node of the current file (the whole file if node is NULL). */
static void
catalog_problem(struct catalog_loader *l, const struct ydoc_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a problem at a node of the current file (the whole file if node is NULL). */
static void
catalog_problem(struct catalog_loader *l, const struct ydoc_node *node, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (node != NULL)
		catalog_vproblem(l, l->ord, node->line, node->column, fmt, ap);
	else
		catalog_vproblem(l, l->ord, 0, 0, fmt, ap);
	va_end(ap);
}

/* Order problems by file, position and discovery. */
static int
catalog_problem_cmp(const void *a, const void *b)
{
	const struct catalog_problem	*pa = a, *pb = b;

	if (pa->ord != pb->ord)
		return pa->ord < pb->ord ? -1 : 1;
	if (pa->line != pb->line)
		return pa->line < pb->line ? -1 : 1;
	if (pa->column != pb->column)
		return pa->column < pb->column ? -1 : 1;
	if (pa->seq != pb->seq)
		return pa->seq < pb->seq ? -1 : 1;
	return 0;
}

/* Copy at most CATALOG_SHOW bytes of s into buf, cut on a character, controls as '?'. */
static const char *
catalog_show(const char *s, char *buf, size_t size)
{
	size_t	i, n = strlen(s), max = size - 4;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	if (n < strlen(s))
		memcpy(buf + i, "...", 3), i += 3;
	buf[i] = '\0';
	return buf;
}

/* Describe what a node holds for a "must be X, not Y" message, into buf. */
static const char *
catalog_what(const struct ydoc_node *node, char *buf, size_t size)
{
	char	show[CATALOG_SHOW];

	if (node->kind != YDOC_SCALAR || (!node->quoted && node->len == 0))
		return ydoc_describe(node);
	catalog_show(node->value, show, sizeof show);
	if (node->quoted)
		snprintf(buf, size, "the quoted string \"%s\"", show);
	else
		snprintf(buf, size, "\"%s\"", show);
	return buf;
}

/*
 * Return true if the UTF-8 string s is certainly NFC already: every character is below U+0300
 * or in Latin Extended Additional (U+1E00–U+1EFF: precomposed Vietnamese), General Punctuation
 * from U+2002 or the currency signs, none of which decompose or combine with what precedes.
 */
static bool
catalog_quick_nfc(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
			cp = ((unsigned int)(*p & 0x1f) << 6) | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			cp = ((unsigned int)(*p & 0x0f) << 12) |
			    ((unsigned int)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			p += 3;
		} else
			return false;
		if (cp < 0x300 || (cp >= 0x1e00 && cp <= 0x1eff) ||
		    (cp >= 0x2002 && cp <= 0x206f) || (cp >= 0x20a0 && cp <= 0x20c0))
			continue;
		return false;
	}
	return true;
}

/* Store a string in NFC; text that fails the check has been reported and is kept as is. */
static char *
catalog_nfc(const char *s)
{
	char	*nfc;

	if (catalog_quick_nfc(s))
		return xstrdup(s);
	if ((nfc = text_nfc(s)) == NULL)
		return xstrdup(s);
	return nfc;
}

/*
 * Check that node is a mapping whose keys are all in keys[], none twice, with every required
 * one present. out[i] receives the value of keys[i] or NULL. Returns 0, or -1 if node is not a
 * mapping (what names it in the message).
 */
static int
catalog_mapping(struct catalog_loader *l, const struct ydoc_node *node, const char *what,
    const struct catalog_key *keys, size_t nkeys, const struct ydoc_node **out)
{
	const struct ydoc_node	*first[CATALOG_MAX_KEYS];
	const struct ydoc_node	*key;
	char			 show[CATALOG_SHOW], allowed[512];
	size_t			 i, k, len;

	for (k = 0; k < nkeys; k++) {
		out[k] = NULL;
		first[k] = NULL;
	}
	if (node->kind != YDOC_MAPPING) {
		catalog_problem(l, node, "%s must be a mapping, not %s", what,
		    catalog_what(node, allowed, sizeof allowed));
		return -1;
	}
	for (i = 0; i < node->n; i++) {
		key = node->keys[i];
		for (k = 0; k < nkeys; k++) {
			if (strcmp(keys[k].name, key->value) == 0)
				break;
		}
		if (k == nkeys) {
			allowed[0] = '\0';
			for (k = 0, len = 0; k < nkeys; k++) {
				len += (size_t)snprintf(allowed + len, sizeof allowed - len, "%s%s",
				    k == 0 ? "" : ", ", keys[k].name);
				if (len >= sizeof allowed)
					break;
			}
			catalog_problem(l, key, "unknown key \"%s\" (allowed: %s)",
			    catalog_show(key->value, show, sizeof show), allowed);
			continue;
		}
		if (first[k] != NULL) {
			catalog_problem(l, key, "duplicate key \"%s\" (first at line %d)",
			    keys[k].name, first[k]->line);
			continue;
		}
		first[k] = key;
		out[k] = node->items[i];
	}
	for (k = 0; k < nkeys; k++) {
		if (keys[k].required && out[k] == NULL)
			catalog_problem(l, node, "missing key \"%s\"", keys[k].name);
	}
	return 0;
}

/* Check that node is a list (non-empty if asked). Returns 0 or -1. */
static int
catalog_list(struct catalog_loader *l, const struct ydoc_node *node, const char *name,
    bool nonempty)
{
	char	what[CATALOG_SHOW + 32];

	if (node->kind != YDOC_SEQUENCE) {
		catalog_problem(l, node, "\"%s\" must be a list, not %s", name,
		    catalog_what(node, what, sizeof what));
		return -1;
	}
	if (nonempty && node->n == 0) {
		catalog_problem(l, node, "\"%s\" must not be empty", name);
		return -1;
	}
	return 0;
}

/* Return true if a scalar holds nothing: empty, or a plain ~ or null. */
static bool
catalog_empty(const struct ydoc_node *node)
{
	if (node->len == 0)
		return true;
	if (node->quoted)
		return false;
	return strcmp(node->value, "~") == 0 || strcmp(node->value, "null") == 0;
}

/* Read a non-empty string into *out (NFC). Returns 0 or -1. */
static int
catalog_string(struct catalog_loader *l, const struct ydoc_node *node, const char *name,
    char **out)
{
	if (node->kind != YDOC_SCALAR) {
		catalog_problem(l, node, "\"%s\" must be a string, not %s", name,
		    ydoc_describe(node));
		return -1;
	}
	if (catalog_empty(node)) {
		catalog_problem(l, node, "\"%s\" must not be empty", name);
		return -1;
	}
	*out = catalog_nfc(node->value);
	return 0;
}

/* Read a plain true or false. Returns 0 or -1. */
static int
catalog_bool(struct catalog_loader *l, const struct ydoc_node *node, const char *name,
    bool *out)
{
	char	what[CATALOG_SHOW + 32];

	if (node->kind == YDOC_SCALAR && !node->quoted) {
		if (strcmp(node->value, "true") == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(node->value, "false") == 0) {
			*out = false;
			return 0;
		}
	}
	catalog_problem(l, node, "\"%s\" must be true or false, not %s", name,
	    catalog_what(node, what, sizeof what));
	return -1;
}

/* Read a plain non-negative integer no larger than CATALOG_MAX_COUNT. Returns 0 or -1. */
static int
catalog_count(struct catalog_loader *l, const struct ydoc_node *node, const char *name,
    int *out)
{
	char		 what[CATALOG_SHOW + 32];
	const char	*s;
	long		 v = 0;

	if (node->kind != YDOC_SCALAR || node->quoted || node->len == 0)
		goto bad;
	for (s = node->value; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		v = v * 10 + (*s - '0');
		if (v > CATALOG_MAX_COUNT) {
			catalog_problem(l, node, "\"%s\" must be at most %d", name,
			    CATALOG_MAX_COUNT);
			return -1;
		}
	}
	*out = (int)v;
	return 0;
bad:
	catalog_problem(l, node, "\"%s\" must be a non-negative integer, not %s", name,
	    catalog_what(node, what, sizeof what));
	return -1;
}

/*
 * Read a plain number of working days with at most two decimals ("0", "0.5", "1.25") into
 * hundredths of a day, without floating point. Returns 0 or -1.
 */
static int
catalog_days(struct catalog_loader *l, const struct ydoc_node *node, const char *name,
    int *out)
{
	char		 what[CATALOG_SHOW + 32];
	const char	*s;
	int		 whole = 0, frac = 0, ndigits = 0, nfrac = 0;

	if (node->kind != YDOC_SCALAR || node->quoted)
		goto bad;
	for (s = node->value; *s >= '0' && *s <= '9'; s++) {
		whole = whole * 10 + (*s - '0');
		if (whole > CATALOG_MAX_DAYS) {
			catalog_problem(l, node, "\"%s\" must be at most %d days", name,
			    CATALOG_MAX_DAYS);
			return -1;
		}
		ndigits++;
	}
	if (ndigits == 0)
		goto bad;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++nfrac > 2)
				goto bad;
			frac = frac * 10 + (*s - '0');
		}
		if (nfrac == 0)
			goto bad;
		if (nfrac == 1)
			frac *= 10;
	}
	if (*s != '\0')
		goto bad;
	*out = whole * 100 + frac;
	return 0;
bad:
	catalog_problem(l, node,
	    "\"%s\" must be a non-negative number of days with at most 2 decimals, not %s",
	    name, catalog_what(node, what, sizeof what));
	return -1;
}

/* Write hundredths of a day as a decimal ("3", "0.5", "1.25") into buf. */
static const char *
catalog_days_text(int centidays, char *buf, size_t size)
{
	if (centidays % 100 == 0)
		snprintf(buf, size, "%d", centidays / 100);
	else if (centidays % 10 == 0)
		snprintf(buf, size, "%d.%d", centidays / 100, (centidays % 100) / 10);
	else
		snprintf(buf, size, "%d.%02d", centidays / 100, centidays % 100);
	return buf;
}

/* Parse exactly "HH:MM" (00:00–23:59) into minutes; returns 0 or -1. */
static int
catalog_parse_hhmm(const char *s, int *minutes)
{
	int	h, m;

	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

/* Read a time of day "HH:MM" into minutes after midnight. Returns 0 or -1. */
static int
catalog_time(struct catalog_loader *l, const struct ydoc_node *node, const char *name,
    int *minutes)
{
	char	what[CATALOG_SHOW + 32];

	if (node->kind == YDOC_SCALAR && catalog_parse_hhmm(node->value, minutes) == 0)
		return 0;
	catalog_problem(l, node, "%s must be a time \"HH:MM\", not %s", name,
	    catalog_what(node, what, sizeof what));
	return -1;
}

/* Return true if s is 1–40 characters of a-z, 0-9, '-' and '_', not starting with '-'. */
static bool
catalog_valid_code(const char *s)
{
	size_t	i;

	if (*s == '\0' || *s == '-' || *s == '_' || strlen(s) > 40)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return false;
	}
	return true;
}

/* Return true if s is 2–6 upper-case ASCII letters. */
static bool
catalog_valid_unit_code(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	}
	return i >= 2 && i <= 6;
}

/* Return true if s can be a procedure code and a file name: [A-Za-z0-9._-]{1,64}, no dot first. */
static bool
catalog_valid_procedure_code(const char *s)
{
	size_t	i;

	if (*s == '\0' || *s == '.' || strlen(s) > 64)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	}
	return true;
}

/* Order codes by text, then by where they were written. */
static int
catalog_code_cmp(const void *a, const void *b)
{
	const struct catalog_code	*ca = a, *cb = b;
	int				 r;

	if ((r = strcmp(ca->code, cb->code)) != 0)
		return r;
	if (ca->ord != cb->ord)
		return ca->ord < cb->ord ? -1 : 1;
	if (ca->line != cb->line)
		return ca->line < cb->line ? -1 : 1;
	return ca->column < cb->column ? -1 : (ca->column > cb->column);
}

/* Report every code written more than once, at each later occurrence (sorts codes). */
static void
catalog_duplicates(struct catalog_loader *l, struct catalog_code *codes, size_t n,
    const char *what)
{
	size_t	i, first = 0;
	char	show[CATALOG_SHOW];

	if (n < 2)
		return;
	qsort(codes, n, sizeof *codes, catalog_code_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(codes[i].code, codes[first].code) != 0) {
			first = i;
			continue;
		}
		catalog_show(codes[i].code, show, sizeof show);
		if (codes[i].ord == codes[first].ord)
			catalog_problem_at(l, codes[i].ord, codes[i].line, codes[i].column,
			    "duplicate %s \"%s\" (first at line %d)", what, show,
			    codes[first].line);
		else
			catalog_problem_at(l, codes[i].ord, codes[i].line, codes[i].column,
			    "duplicate %s \"%s\" (also in %s:%d)", what, show,
			    l->files[codes[first].ord], codes[first].line);
	}
}

/* Remember a code and where it was written. */
static void
catalog_code_add(struct catalog_code **codes, size_t *n, const char *code,
    const struct ydoc_node *node, int ord)
{
	/* Grow at powers of two. */
	if (*n == 0 || (*n >= 16 && (*n & (*n - 1)) == 0))
		*codes = xreallocarray(*codes, *n < 16 ? 16 : *n * 2, sizeof **codes);
	(*codes)[*n].code = code;
	(*codes)[*n].ord = ord;
	(*codes)[*n].line = node->line;
	(*codes)[*n].column = node->column;
	(*n)++;
}

/* Read a YAML file of the catalog; returns its root, or NULL with its problems recorded. */
static struct ydoc *
catalog_read(struct catalog_loader *l, const char *rel)
{
	struct ydoc	*doc;
	char		*path;
	size_t		 i;

	catalog_begin(l, rel);
	path = xasprintf("%s/%s", l->cat->dir, rel);
	doc = ydoc_read(path, CATALOG_MAX_FILE, CATALOG_MAX_DEPTH);
	free(path);
	for (i = 0; i < doc->nproblems; i++)
		catalog_problem_at(l, l->ord, doc->problems[i].line, doc->problems[i].column,
		    "%s", doc->problems[i].message);
	return doc;
}

/* Return true if path names an existing file or directory; false (and errno) otherwise. */
static bool
catalog_exists(const char *dir, const char *rel, bool want_dir)
{
	struct stat	 st;
	char		*path;
	int		 r;

	path = xasprintf("%s/%s", dir, rel);
	r = stat(path, &st);
	free(path);
	if (r != 0)
		return false;
	return want_dir ? S_ISDIR(st.st_mode) : !S_ISDIR(st.st_mode);
}

/* Order names by bytes. */
static int
catalog_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* List a directory's entries (not starting with '.') sorted by name; -1 if it cannot be read. */
static int
catalog_scan_dir(const char *path, char ***names, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 alloc = 0;

	*names = NULL;
	*n = 0;
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == alloc) {
			alloc = alloc == 0 ? 64 : alloc * 2;
			*names = xreallocarray(*names, alloc, sizeof **names);
		}
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, catalog_name_cmp);
	return 0;
}

/* Free a list from catalog_scan_dir. */
static void
catalog_free_names(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Return true if name ends in ".yaml". */
static bool
catalog_is_yaml(const char *name)
{
	size_t	len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

/* Check and record the office hours of catalog.yaml. Returns the number of periods, or -1. */
static int
catalog_office_hours(struct catalog_loader *l, const struct ydoc_node *node)
{
	struct catalog		*cat = l->cat;
	const struct ydoc_node	*pair;
	char			 what[CATALOG_SHOW + 32];
	int			 start, end, n = 0, bad = 0;
	size_t			 i;

	if (catalog_list(l, node, "office_hours", true) != 0)
		return -1;
	if (node->n > CALENDAR_MAX_PERIODS) {
		catalog_problem(l, node, "\"office_hours\" may hold at most %d periods, not %zu",
		    CALENDAR_MAX_PERIODS, node->n);
		return -1;
	}
	for (i = 0; i < node->n; i++) {
		pair = node->items[i];
		if (pair->kind != YDOC_SEQUENCE || pair->n != 2) {
			catalog_problem(l, pair,
			    "an office period must be a pair [\"HH:MM\", \"HH:MM\"], not %s",
			    pair->kind == YDOC_SEQUENCE ? "a list of another length" :
			    catalog_what(pair, what, sizeof what));
			bad = 1;
			continue;
		}
		if (catalog_time(l, pair->items[0], "an office period's start", &start) != 0 ||
		    catalog_time(l, pair->items[1], "an office period's end", &end) != 0) {
			bad = 1;
			continue;
		}
		if (end <= start) {
			catalog_problem(l, pair, "an office period must end after it starts");
			bad = 1;
			continue;
		}
		if (n > 0 && start < cat->office_hours[n - 1].end) {
			catalog_problem(l, pair, "office periods must be in order and must not "
			    "overlap");
			bad = 1;
			continue;
		}
		cat->office_hours[n].start = start;
		cat->office_hours[n].end = end;
		n++;
	}
	return bad ? -1 : n;
}

/* Read catalog.yaml: schema, province, time zone, office hours, cut-off, alert window. */
static void
catalog_load_config(struct catalog_loader *l)
{
	static const struct catalog_key keys[] = {
		{ "schema", true },
		{ "province", true },
		{ "utc_offset", true },
		{ "office_hours", true },
		{ "same_day_cutoff", true },
		{ "due_soon_hours", true },
	};
	static const struct catalog_key province_keys[] = {
		{ "code", true },
		{ "name", true },
	};
	const struct ydoc_node	*v[6], *pv[2], *n;
	struct catalog		*cat = l->cat;
	struct ydoc		*doc;
	char			 what[CATALOG_SHOW + 32], *cause = NULL;
	int			 schema, periods[CALENDAR_MAX_PERIODS][2], i, h, m;
	int			 nperiods = -1, cutoff = -1;
	const char		*s;

	if (!catalog_exists(cat->dir, "catalog.yaml", false)) {
		catalog_begin(l, "catalog.yaml");
		catalog_problem(l, NULL, "missing file");
		return;
	}
	doc = catalog_read(l, "catalog.yaml");
	if (doc->root == NULL)
		goto out;

	/* A newer schema may have other keys: say only that it is newer. */
	n = ydoc_get(doc->root, "schema");
	if (n != NULL && n->kind == YDOC_SCALAR && !n->quoted && n->len > 0 && n->len < 10 &&
	    strspn(n->value, "0123456789") == n->len && atoi(n->value) > CATALOG_SCHEMA) {
		catalog_problem(l, n, "schema %d is newer than this motcuad understands",
		    atoi(n->value));
		l->newer_schema = true;
		goto out;
	}
	if (catalog_mapping(l, doc->root, "the file", keys, 6, v) != 0)
		goto out;

	if ((n = v[0]) != NULL && catalog_count(l, n, "schema", &schema) == 0) {
		if (schema != CATALOG_SCHEMA)
			catalog_problem(l, n, "\"schema\" must be %d, not %d", CATALOG_SCHEMA,
			    schema);
	}
	if ((n = v[1]) != NULL &&
	    catalog_mapping(l, n, "\"province\"", province_keys, 2, pv) == 0) {
		if (pv[0] != NULL)
			catalog_string(l, pv[0], "code", &cat->province_code);
		if (pv[1] != NULL)
			catalog_string(l, pv[1], "name", &cat->province_name);
	}
	if ((n = v[2]) != NULL) {
		s = n->kind == YDOC_SCALAR ? n->value : "";
		if (strlen(s) == 6 && (s[0] == '+' || s[0] == '-') &&
		    catalog_parse_hhmm(s + 1, &m) == 0 && m <= 14 * 60) {
			h = m * 60;
			cat->utc_offset = s[0] == '-' ? -h : h;
		} else
			catalog_problem(l, n, "\"utc_offset\" must look like \"+07:00\", not %s",
			    catalog_what(n, what, sizeof what));
	}
	if (v[3] != NULL)
		nperiods = catalog_office_hours(l, v[3]);
	if (v[4] != NULL)
		catalog_time(l, v[4], "\"same_day_cutoff\"", &cutoff);
	if (v[5] != NULL)
		catalog_count(l, v[5], "due_soon_hours", &cat->due_soon_hours);

	cat->calendar = calendar_new(cat->utc_offset);
	if (nperiods > 0 && cutoff >= 0) {
		for (i = 0; i < nperiods; i++) {
			periods[i][0] = cat->office_hours[i].start;
			periods[i][1] = cat->office_hours[i].end;
		}
		cat->noffice_hours = nperiods;
		cat->same_day_cutoff = cutoff;
		if (calendar_set_hours(cat->calendar, (const int (*)[2])periods, nperiods,
		    cutoff, &cause) != 0) {
			catalog_problem(l, v[3], "%s", cause);
			free(cause);
		}
	}
out:
	ydoc_free(doc);
}

/* Read the departments of a unit. */
static void
catalog_load_departments(struct catalog_loader *l, const struct ydoc_node *node,
    struct catalog_unit *unit)
{
	static const struct catalog_key keys[] = {
		{ "code", true },
		{ "name", true },
	};
	const struct ydoc_node		*v[2];
	struct catalog_department	*d;
	struct catalog_code		*codes = NULL;
	size_t				 i, ncodes = 0;
	char				 show[CATALOG_SHOW];

	if (catalog_list(l, node, "departments", true) != 0)
		return;
	unit->departments = xcalloc(node->n, sizeof *unit->departments);
	for (i = 0; i < node->n; i++) {
		if (catalog_mapping(l, node->items[i], "a department", keys, 2, v) != 0)
			continue;
		d = &unit->departments[unit->ndepartments++];
		if (v[0] != NULL && catalog_string(l, v[0], "code", &d->code) == 0) {
			if (!catalog_valid_code(d->code))
				catalog_problem(l, v[0], "department code \"%s\" must be 1 to 40 "
				    "characters of a-z, 0-9, \"-\" and \"_\"",
				    catalog_show(d->code, show, sizeof show));
			catalog_code_add(&codes, &ncodes, d->code, v[0], l->ord);
		}
		if (v[1] != NULL)
			catalog_string(l, v[1], "name", &d->name);
	}
	catalog_duplicates(l, codes, ncodes, "department code");
	free(codes);
}

/* Read units.yaml: the district-level units and their departments. */
static void
catalog_load_units(struct catalog_loader *l)
{
	static const struct catalog_key top[] = {
		{ "units", true },
	};
	static const struct catalog_key keys[] = {
		{ "code", true },
		{ "name", true },
		{ "departments", true },
	};
	const struct ydoc_node	*v[3], *units;
	struct catalog		*cat = l->cat;
	struct catalog_unit	*u;
	struct catalog_code	*codes = NULL;
	struct ydoc		*doc;
	size_t			 i, ncodes = 0, before;
	char			 show[CATALOG_SHOW];

	if (!catalog_exists(cat->dir, "units.yaml", false)) {
		catalog_begin(l, "units.yaml");
		catalog_problem(l, NULL, "missing file");
		return;
	}
	before = l->nproblems + l->dropped;
	doc = catalog_read(l, "units.yaml");
	if (doc->root == NULL)
		goto out;
	if (catalog_mapping(l, doc->root, "the file", top, 1, &units) != 0 || units == NULL)
		goto out;
	if (catalog_list(l, units, "units", true) != 0)
		goto out;
	cat->units = xcalloc(units->n, sizeof *cat->units);
	for (i = 0; i < units->n; i++) {
		if (catalog_mapping(l, units->items[i], "a unit", keys, 3, v) != 0)
			continue;
		u = &cat->units[cat->nunits++];
		if (v[0] != NULL && catalog_string(l, v[0], "code", &u->code) == 0) {
			if (!catalog_valid_unit_code(u->code))
				catalog_problem(l, v[0], "unit code \"%s\" must be 2 to 6 "
				    "upper-case letters A-Z",
				    catalog_show(u->code, show, sizeof show));
			catalog_code_add(&codes, &ncodes, u->code, v[0], l->ord);
		}
		if (v[1] != NULL)
			catalog_string(l, v[1], "name", &u->name);
		if (v[2] != NULL)
			catalog_load_departments(l, v[2], u);
	}
	catalog_duplicates(l, codes, ncodes, "unit code");
	l->units_ok = l->nproblems + l->dropped == before;
out:
	free(codes);
	ydoc_free(doc);
}

/* Read fields.yaml: the fields (lĩnh vực) procedures belong to. */
static void
catalog_load_fields(struct catalog_loader *l)
{
	static const struct catalog_key top[] = {
		{ "fields", true },
	};
	static const struct catalog_key keys[] = {
		{ "code", true },
		{ "name", true },
	};
	const struct ydoc_node	*v[2], *fields;
	struct catalog		*cat = l->cat;
	struct catalog_field	*f;
	struct catalog_code	*codes = NULL;
	struct ydoc		*doc;
	size_t			 i, ncodes = 0, before;
	char			 show[CATALOG_SHOW];

	if (!catalog_exists(cat->dir, "fields.yaml", false)) {
		catalog_begin(l, "fields.yaml");
		catalog_problem(l, NULL, "missing file");
		return;
	}
	before = l->nproblems + l->dropped;
	doc = catalog_read(l, "fields.yaml");
	if (doc->root == NULL)
		goto out;
	if (catalog_mapping(l, doc->root, "the file", top, 1, &fields) != 0 ||
	    fields == NULL)
		goto out;
	if (catalog_list(l, fields, "fields", true) != 0)
		goto out;
	cat->fields = xcalloc(fields->n, sizeof *cat->fields);
	for (i = 0; i < fields->n; i++) {
		if (catalog_mapping(l, fields->items[i], "a field", keys, 2, v) != 0)
			continue;
		f = &cat->fields[cat->nfields++];
		if (v[0] != NULL && catalog_string(l, v[0], "code", &f->code) == 0) {
			if (!catalog_valid_code(f->code))
				catalog_problem(l, v[0], "field code \"%s\" must be 1 to 40 "
				    "characters of a-z, 0-9, \"-\" and \"_\"",
				    catalog_show(f->code, show, sizeof show));
			catalog_code_add(&codes, &ncodes, f->code, v[0], l->ord);
		}
		if (v[1] != NULL)
			catalog_string(l, v[1], "name", &f->name);
	}
	catalog_duplicates(l, codes, ncodes, "field code");
	l->fields_ok = l->nproblems + l->dropped == before;
out:
	free(codes);
	ydoc_free(doc);
}

/* Read the "off" or "work" dates of a calendar file and apply them to the calendar. */
static void
catalog_calendar_days(struct catalog_loader *l, const struct ydoc_node *node, int year,
    bool working, struct catalog_code **codes, size_t *ncodes, char (*texts)[11])
{
	static const struct catalog_key keys[] = {
		{ "date", true },
		{ "name", false },
	};
	const struct ydoc_node	*v[2];
	struct calendar_date	 date;
	const char		*list = working ? "work" : "off";
	char			 what[CATALOG_SHOW + 32], *name, *cause = NULL;
	int			 wd;
	size_t			 i;

	if (catalog_list(l, node, list, false) != 0)
		return;
	for (i = 0; i < node->n; i++) {
		if (catalog_mapping(l, node->items[i], working ? "a worked day" : "a day off",
		    keys, 2, v) != 0)
			continue;
		if (v[1] != NULL && catalog_string(l, v[1], "name", &name) == 0)
			free(name);
		if (v[0] == NULL)
			continue;
		if (v[0]->kind != YDOC_SCALAR ||
		    calendar_parse_date(v[0]->value, &date) != 0) {
			catalog_problem(l, v[0], "\"date\" must be a real date YYYY-MM-DD, not %s",
			    catalog_what(v[0], what, sizeof what));
			continue;
		}
		if (date.year != year) {
			catalog_problem(l, v[0], "%s is not in %d", v[0]->value, year);
			continue;
		}
		wd = calendar_weekday(date);
		if (!working && (wd == 0 || wd == 6)) {
			catalog_problem(l, v[0], "%s is a %s; \"off\" lists weekdays only",
			    v[0]->value, catalog_weekdays[wd]);
			continue;
		}
		if (working && wd != 0 && wd != 6) {
			catalog_problem(l, v[0], "%s is a %s; \"work\" lists weekend days only",
			    v[0]->value, catalog_weekdays[wd]);
			continue;
		}
		snprintf(texts[*ncodes], 11, "%04d-%02d-%02d", date.year, date.month, date.day);
		catalog_code_add(codes, ncodes, texts[*ncodes], v[0], l->ord);
		if (calendar_set_day(l->cat->calendar, date, working, &cause) != 0) {
			catalog_problem(l, v[0], "%s", cause);
			free(cause);
			cause = NULL;
		}
	}
}

/* Read one calendar/YYYY.yaml file. */
static void
catalog_load_year(struct catalog_loader *l, const char *name)
{
	static const struct catalog_key keys[] = {
		{ "year", true },
		{ "off", false },
		{ "work", false },
		{ "provisional", false },
		{ "note", false },
	};
	const struct ydoc_node	*v[5];
	struct catalog		*cat = l->cat;
	struct catalog_code	*codes = NULL;
	struct ydoc		*doc;
	char			*rel, *note, (*texts)[11] = NULL;
	size_t			 ncodes = 0, room;
	int			 year, y;
	bool			 provisional;

	rel = xasprintf("calendar/%s", name);
	if (strlen(name) != 9 || strspn(name, "0123456789") != 4) {
		catalog_begin(l, rel);
		catalog_problem(l, NULL, "a calendar file is named after its year, like "
		    "2015.yaml");
		goto out;
	}
	year = atoi(name);
	if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
		catalog_begin(l, rel);
		catalog_problem(l, NULL, "year %d is outside %d-%d", year, CALENDAR_FIRST_YEAR,
		    CALENDAR_LAST_YEAR);
		goto out;
	}
	doc = catalog_read(l, rel);
	if (doc->root == NULL)
		goto done;
	if (catalog_mapping(l, doc->root, "the file", keys, 5, v) != 0)
		goto done;
	if (v[0] != NULL && catalog_count(l, v[0], "year", &y) == 0 && y != year)
		catalog_problem(l, v[0], "year %d does not match the file name %s", y, name);

	calendar_add_year(cat->calendar, year);
	if (cat->first_year == 0 || year < cat->first_year)
		cat->first_year = year;
	if (year > cat->last_year)
		cat->last_year = year;

	room = (v[1] != NULL ? v[1]->n : 0) + (v[2] != NULL ? v[2]->n : 0);
	texts = xcalloc(room + 1, sizeof *texts);
	if (v[1] != NULL)
		catalog_calendar_days(l, v[1], year, false, &codes, &ncodes, texts);
	if (v[2] != NULL)
		catalog_calendar_days(l, v[2], year, true, &codes, &ncodes, texts);
	catalog_duplicates(l, codes, ncodes, "date");
	if (v[3] != NULL)
		catalog_bool(l, v[3], "provisional", &provisional);
	if (v[4] != NULL && catalog_string(l, v[4], "note", &note) == 0)
		free(note);
done:
	free(codes);
	free(texts);
	ydoc_free(doc);
out:
	free(rel);
}

/* Read every calendar/YYYY.yaml file, in order. */
static void
catalog_load_calendar(struct catalog_loader *l)
{
	char	**names, *path;
	size_t	  n, i, nyears = 0;

	path = xasprintf("%s/calendar", l->cat->dir);
	if (catalog_scan_dir(path, &names, &n) != 0) {
		catalog_begin(l, "calendar/");
		catalog_problem(l, NULL, "missing directory (one file per year, like "
		    "calendar/2015.yaml)");
		free(path);
		return;
	}
	free(path);
	for (i = 0; i < n; i++) {
		if (!catalog_is_yaml(names[i]))
			continue;
		catalog_load_year(l, names[i]);
		nyears++;
	}
	if (nyears == 0) {
		catalog_begin(l, "calendar/");
		catalog_problem(l, NULL, "no calendar file (one per year, like "
		    "calendar/2015.yaml)");
	}
	catalog_free_names(names, n);
}

/* Check that every unit has a step's department; name the units that lack it. */
static void
catalog_check_department(struct catalog_loader *l, const struct ydoc_node *node,
    const char *dept)
{
	struct catalog	*cat = l->cat;
	char		 list[512], show[CATALOG_SHOW];
	size_t		 i, missing = 0, len = 0;

	if (!l->units_ok || cat->nunits == 0)
		return;
	list[0] = '\0';
	for (i = 0; i < cat->nunits; i++) {
		if (catalog_department(&cat->units[i], dept) != NULL)
			continue;
		if (len < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
			    missing == 0 ? "" : ", ",
			    cat->units[i].code != NULL ? cat->units[i].code : "?");
		missing++;
	}
	catalog_show(dept, show, sizeof show);
	if (missing == cat->nunits)
		catalog_problem(l, node, "unknown department \"%s\" (no unit has it)", show);
	else if (missing > 0)
		catalog_problem(l, node, "department \"%s\" is missing from unit%s %s", show,
		    missing == 1 ? "" : "s", list);
}

/* Read a list of documents. Returns 0 or -1. */
static int
catalog_load_documents(struct catalog_loader *l, const struct ydoc_node *node,
    struct catalog_variant *var)
{
	static const struct catalog_key keys[] = {
		{ "name", true },
		{ "originals", true },
		{ "copies", true },
	};
	const struct ydoc_node	*v[3];
	struct catalog_document	*d;
	size_t			 i;
	int			 bad = 0;

	if (catalog_list(l, node, "documents", true) != 0)
		return -1;
	var->documents = xcalloc(node->n, sizeof *var->documents);
	for (i = 0; i < node->n; i++) {
		if (catalog_mapping(l, node->items[i], "a document", keys, 3, v) != 0) {
			bad = 1;
			continue;
		}
		d = &var->documents[var->ndocuments++];
		if (v[0] == NULL || catalog_string(l, v[0], "name", &d->name) != 0)
			bad = 1;
		if (v[1] == NULL || catalog_count(l, v[1], "originals", &d->originals) != 0)
			bad = 1;
		if (v[2] == NULL || catalog_count(l, v[2], "copies", &d->copies) != 0)
			bad = 1;
	}
	return bad ? -1 : 0;
}

/* Read a list of steps; *sum receives their days. Returns 0, or -1 if any step is bad. */
static int
catalog_load_steps(struct catalog_loader *l, const struct ydoc_node *node,
    struct catalog_variant *var, int *sum)
{
	static const struct catalog_key keys[] = {
		{ "dept", true },
		{ "name", true },
		{ "days", true },
		{ "pause", false },
	};
	const struct ydoc_node	*v[4];
	struct catalog_step	*s;
	char			 what[CATALOG_SHOW + 32];
	size_t			 i;
	int			 bad = 0;

	*sum = 0;
	if (catalog_list(l, node, "steps", false) != 0)
		return -1;
	if (node->n < 2) {
		catalog_problem(l, node, "a procedure needs at least 2 steps, not %zu", node->n);
		bad = 1;
	}
	var->steps = xcalloc(node->n + 1, sizeof *var->steps);
	for (i = 0; i < node->n; i++) {
		if (catalog_mapping(l, node->items[i], "a step", keys, 4, v) != 0) {
			bad = 1;
			continue;
		}
		s = &var->steps[var->nsteps++];
		if (v[0] != NULL && catalog_string(l, v[0], "dept", &s->dept) == 0)
			catalog_check_department(l, v[0], s->dept);
		else
			bad = 1;
		if (v[1] == NULL || catalog_string(l, v[1], "name", &s->name) != 0)
			bad = 1;
		if (v[2] == NULL || catalog_days(l, v[2], "days", &s->centidays) != 0)
			bad = 1;
		else
			*sum += s->centidays;
		if (v[3] != NULL) {
			if (v[3]->kind == YDOC_SCALAR && strcmp(v[3]->value, "citizen") == 0)
				s->pause_citizen = true;
			else
				catalog_problem(l, v[3], "\"pause\" must be \"citizen\", not %s",
				    catalog_what(v[3], what, sizeof what));
		}
	}
	return bad ? -1 : 0;
}

/* Read a duration mapping {days, same_day}. Returns 0 or -1. */
static int
catalog_load_duration(struct catalog_loader *l, const struct ydoc_node *node,
    struct catalog_duration *d)
{
	static const struct catalog_key keys[] = {
		{ "days", true },
		{ "same_day", false },
	};
	const struct ydoc_node	*v[2];
	char			 days[32];
	int			 bad = 0;

	if (catalog_mapping(l, node, "\"duration\"", keys, 2, v) != 0)
		return -1;
	if (v[0] == NULL || catalog_days(l, v[0], "days", &d->centidays) != 0)
		bad = 1;
	if (v[1] != NULL && catalog_bool(l, v[1], "same_day", &d->same_day) != 0)
		bad = 1;
	if (!bad && d->same_day && d->centidays != 0) {
		catalog_problem(l, v[0], "same_day: true needs days: 0, not %s",
		    catalog_days_text(d->centidays, days, sizeof days));
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* Check that steps add up to the duration they belong to. */
static void
catalog_check_sum(struct catalog_loader *l, const struct ydoc_node *steps, int sum,
    int centidays)
{
	char	a[32], b[32];

	if (sum == centidays)
		return;
	catalog_problem(l, steps, "the steps' days add up to %s, but duration.days is %s",
	    catalog_days_text(sum, a, sizeof a), catalog_days_text(centidays, b, sizeof b));
}

/* Copy a list of steps. */
static void
catalog_copy_steps(struct catalog_variant *to, const struct catalog_variant *from)
{
	size_t	i;

	to->steps = xcalloc(from->nsteps + 1, sizeof *to->steps);
	for (i = 0; i < from->nsteps; i++) {
		to->steps[i] = from->steps[i];
		to->steps[i].dept = from->steps[i].dept != NULL ?
		    xstrdup(from->steps[i].dept) : NULL;
		to->steps[i].name = from->steps[i].name != NULL ?
		    xstrdup(from->steps[i].name) : NULL;
	}
	to->nsteps = from->nsteps;
}

/* Read a procedure's variants (trường hợp) into variants[1..]. */
static void
catalog_load_variants(struct catalog_loader *l, const struct ydoc_node *node,
    struct catalog_procedure *p, bool main_ok, int main_sum)
{
	static const struct catalog_key keys[] = {
		{ "name", true },
		{ "documents", true },
		{ "duration", true },
		{ "steps", false },
	};
	const struct ydoc_node	*v[4];
	struct catalog_variant	*var;
	char			 a[32], b[32];
	size_t			 i;
	int			 sum, dur_ok;

	if (catalog_list(l, node, "variants", true) != 0)
		return;
	p->variants = xreallocarray(p->variants, node->n + 1, sizeof *p->variants);
	for (i = 0; i < node->n; i++) {
		if (catalog_mapping(l, node->items[i], "a variant", keys, 4, v) != 0)
			continue;
		var = &p->variants[p->nvariants++];
		memset(var, 0, sizeof *var);
		if (v[0] != NULL)
			catalog_string(l, v[0], "name", &var->name);
		if (v[1] != NULL)
			catalog_load_documents(l, v[1], var);
		dur_ok = v[2] != NULL && catalog_load_duration(l, v[2], &var->duration) == 0;
		if (v[3] != NULL) {
			if (catalog_load_steps(l, v[3], var, &sum) == 0 && dur_ok)
				catalog_check_sum(l, v[3], sum, var->duration.centidays);
			continue;
		}
		catalog_copy_steps(var, &p->variants[0]);
		if (main_ok && dur_ok && var->duration.centidays != main_sum)
			catalog_problem(l, v[2], "the variant's duration.days is %s but the steps "
			    "add up to %s; give the variant its own steps",
			    catalog_days_text(var->duration.centidays, a, sizeof a),
			    catalog_days_text(main_sum, b, sizeof b));
	}
}

/* Read one procedures/<field>/<code>.yaml file into a new procedure. */
static void
catalog_load_procedure(struct catalog_loader *l, const char *field, const char *name)
{
	static const struct catalog_key keys[] = {
		{ "code", true },		/* 0 */
		{ "name", true },
		{ "field", true },
		{ "level", true },
		{ "duration", false },		/* 4: required unless no_deadline */
		{ "fee", false },
		{ "applicants", false },
		{ "agency", false },
		{ "online", false },		/* 8 */
		{ "no_deadline", false },
		{ "documents", true },
		{ "steps", true },
		{ "result", true },		/* 12 */
		{ "legal_basis", true },
		{ "variants", false },
	};
	const struct ydoc_node		*v[15], *n;
	struct catalog			*cat = l->cat;
	struct catalog_procedure	*p;
	struct catalog_variant		*base;
	struct ydoc			*doc;
	char				*rel, show[CATALOG_SHOW], what[CATALOG_SHOW + 32];
	size_t				 i, len;
	int				 sum = 0, steps_ok = 0, dur_ok = 0;

	rel = xasprintf("procedures/%s/%s", field, name);
	doc = catalog_read(l, rel);
	if (doc->root == NULL)
		goto out;
	if (catalog_mapping(l, doc->root, "the file", keys, 15, v) != 0)
		goto out;

	if (cat->nprocedures == l->aprocedures) {
		l->aprocedures = l->aprocedures == 0 ? 64 : l->aprocedures * 2;
		cat->procedures = xreallocarray(cat->procedures, l->aprocedures,
		    sizeof *cat->procedures);
	}
	p = &cat->procedures[cat->nprocedures++];
	memset(p, 0, sizeof *p);
	p->file = xstrdup(rel);
	p->variants = xcalloc(1, sizeof *p->variants);
	p->nvariants = 1;
	base = &p->variants[0];

	if ((n = v[0]) != NULL && catalog_string(l, n, "code", &p->code) == 0) {
		len = strlen(name) - 5;
		if (!catalog_valid_procedure_code(p->code))
			catalog_problem(l, n, "procedure code \"%s\" must be 1 to 64 characters "
			    "of A-Z, a-z, 0-9, \".\", \"-\" and \"_\"",
			    catalog_show(p->code, show, sizeof show));
		else if (strlen(p->code) != len || strncmp(p->code, name, len) != 0)
			catalog_problem(l, n, "procedure code \"%s\" does not match the file "
			    "name %s", p->code, name);
		catalog_code_add(&l->codes, &l->ncodes, p->code, n, l->ord);
	}
	if (v[1] != NULL)
		catalog_string(l, v[1], "name", &p->name);
	if ((n = v[2]) != NULL && catalog_string(l, n, "field", &p->field) == 0) {
		catalog_show(p->field, show, sizeof show);
		if (l->fields_ok && catalog_field(cat, p->field) == NULL)
			catalog_problem(l, n, "unknown field \"%s\"", show);
		else if (strcmp(p->field, field) != 0)
			catalog_problem(l, n, "field \"%s\" does not match the directory "
			    "procedures/%s/", show, field);
	}
	if ((n = v[3]) != NULL) {
		if (n->kind == YDOC_SCALAR && (strcmp(n->value, "tinh") == 0 ||
		    strcmp(n->value, "huyen") == 0 || strcmp(n->value, "xa") == 0))
			p->level = xstrdup(n->value);
		else
			catalog_problem(l, n, "\"level\" must be tinh, huyen or xa, not %s",
			    catalog_what(n, what, sizeof what));
	}
	if (v[8] != NULL)
		catalog_bool(l, v[8], "online", &p->online);
	if (v[9] != NULL)
		catalog_bool(l, v[9], "no_deadline", &p->no_deadline);
	if (v[5] != NULL)
		catalog_string(l, v[5], "fee", &p->fee);
	if (v[6] != NULL)
		catalog_string(l, v[6], "applicants", &p->applicants);
	if (v[7] != NULL)
		catalog_string(l, v[7], "agency", &p->agency);
	if (v[4] != NULL)
		dur_ok = catalog_load_duration(l, v[4], &base->duration) == 0;
	else if (!p->no_deadline)
		catalog_problem(l, doc->root, "missing key \"duration\"");
	if (v[10] != NULL)
		catalog_load_documents(l, v[10], base);
	if (v[11] != NULL) {
		steps_ok = catalog_load_steps(l, v[11], base, &sum) == 0;
		if (steps_ok && dur_ok)
			catalog_check_sum(l, v[11], sum, base->duration.centidays);
	}
	if (v[12] != NULL)
		catalog_string(l, v[12], "result", &p->result);
	if ((n = v[13]) != NULL && catalog_list(l, n, "legal_basis", true) == 0) {
		p->legal_basis = xcalloc(n->n, sizeof *p->legal_basis);
		for (i = 0; i < n->n; i++) {
			if (catalog_string(l, n->items[i], "legal_basis",
			    &p->legal_basis[p->nlegal_basis]) == 0)
				p->nlegal_basis++;
		}
	}
	if (v[14] != NULL)
		catalog_load_variants(l, v[14], p, steps_ok, sum);
out:
	ydoc_free(doc);
	free(rel);
}

/* Read every procedures/<field>/<code>.yaml file, in order. */
static void
catalog_load_procedures(struct catalog_loader *l)
{
	struct stat	  st;
	char		**fields, **files, *path, *rel;
	size_t		  nfields, nfiles, i, j, nyaml = 0;

	path = xasprintf("%s/procedures", l->cat->dir);
	if (catalog_scan_dir(path, &fields, &nfields) != 0) {
		catalog_begin(l, "procedures/");
		catalog_problem(l, NULL, "missing directory (one file per procedure, like "
		    "procedures/<field>/<code>.yaml)");
		free(path);
		return;
	}
	free(path);
	for (i = 0; i < nfields; i++) {
		path = xasprintf("%s/procedures/%s", l->cat->dir, fields[i]);
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			if (catalog_is_yaml(fields[i])) {
				nyaml++;
				rel = xasprintf("procedures/%s", fields[i]);
				catalog_begin(l, rel);
				catalog_problem(l, NULL, "a procedure file belongs in "
				    "procedures/<field>/");
				free(rel);
			}
			free(path);
			continue;
		}
		if (catalog_scan_dir(path, &files, &nfiles) == 0) {
			for (j = 0; j < nfiles; j++) {
				if (!catalog_is_yaml(files[j]))
					continue;
				catalog_load_procedure(l, fields[i], files[j]);
				nyaml++;
			}
			catalog_free_names(files, nfiles);
		}
		free(path);
	}
	catalog_free_names(fields, nfields);
	if (nyaml == 0) {
		catalog_begin(l, "procedures/");
		catalog_problem(l, NULL, "no procedure (one file per procedure, like "
		    "procedures/<field>/<code>.yaml)");
	}
}

/* Append len bytes to a buffer. */
static void
catalog_buf_add(struct catalog_buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->alloc) {
		while (b->len + len + 1 > b->alloc)
			b->alloc = b->alloc == 0 ? 1024 : b->alloc * 2;
		b->s = xreallocarray(b->s, b->alloc, 1);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

/* Append a C string to a buffer. */
static void
catalog_buf_str(struct catalog_buf *b, const char *s)
{
	catalog_buf_add(b, s, strlen(s));
}

/* Append s as a JSON string (null if s is NULL). */
static void
catalog_json_string(struct catalog_buf *b, const char *s)
{
	char		 esc[8];
	const char	*start;

	if (s == NULL) {
		catalog_buf_str(b, "null");
		return;
	}
	catalog_buf_add(b, "\"", 1);
	for (start = s; *s != '\0'; s++) {
		if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
			continue;
		catalog_buf_add(b, start, (size_t)(s - start));
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = *s;
			catalog_buf_add(b, esc, 2);
		} else {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned char)*s);
			catalog_buf_str(b, esc);
		}
		start = s + 1;
	}
	catalog_buf_add(b, start, (size_t)(s - start));
	catalog_buf_add(b, "\"", 1);
}

/* Append "key": to a JSON object, with a comma before it unless it comes first. */
static void
catalog_json_key(struct catalog_buf *b, const char *key, bool first)
{
	if (!first)
		catalog_buf_add(b, ",", 1);
	catalog_json_string(b, key);
	catalog_buf_add(b, ":", 1);
}

/* Append the content of a variant (duration, documents, steps) as JSON members. */
static void
catalog_json_variant(struct catalog_buf *b, const struct catalog_variant *var)
{
	char	num[32];
	size_t	i;

	catalog_json_key(b, "duration", false);
	catalog_buf_str(b, "{\"days\":");
	catalog_buf_str(b, catalog_days_text(var->duration.centidays, num, sizeof num));
	catalog_buf_str(b, var->duration.same_day ? ",\"same_day\":true}" :
	    ",\"same_day\":false}");
	catalog_json_key(b, "documents", false);
	catalog_buf_add(b, "[", 1);
	for (i = 0; i < var->ndocuments; i++) {
		catalog_buf_str(b, i == 0 ? "{" : ",{");
		catalog_json_key(b, "name", true);
		catalog_json_string(b, var->documents[i].name);
		snprintf(num, sizeof num, ",\"originals\":%d", var->documents[i].originals);
		catalog_buf_str(b, num);
		snprintf(num, sizeof num, ",\"copies\":%d}", var->documents[i].copies);
		catalog_buf_str(b, num);
	}
	catalog_buf_add(b, "]", 1);
	catalog_json_key(b, "steps", false);
	catalog_buf_add(b, "[", 1);
	for (i = 0; i < var->nsteps; i++) {
		catalog_buf_str(b, i == 0 ? "{" : ",{");
		catalog_json_key(b, "dept", true);
		catalog_json_string(b, var->steps[i].dept);
		catalog_json_key(b, "name", false);
		catalog_json_string(b, var->steps[i].name);
		catalog_json_key(b, "days", false);
		catalog_buf_str(b, catalog_days_text(var->steps[i].centidays, num, sizeof num));
		catalog_json_key(b, "pause", false);
		catalog_buf_str(b, var->steps[i].pause_citizen ? "\"citizen\"" : "null");
		catalog_buf_add(b, "}", 1);
	}
	catalog_buf_add(b, "]", 1);
}

/* Build a procedure's canonical JSON, its version, and its folded name. */
static void
catalog_finish_procedure(struct catalog_procedure *p)
{
	static const char	 hex[] = "0123456789abcdef";
	struct catalog_buf	 b = { NULL, 0, 0 };
	unsigned char		 md[SHA256_DIGEST_LEN];
	size_t			 i;

	catalog_buf_str(&b, "{");
	catalog_json_key(&b, "code", true);
	catalog_json_string(&b, p->code);
	catalog_json_key(&b, "name", false);
	catalog_json_string(&b, p->name);
	catalog_json_key(&b, "field", false);
	catalog_json_string(&b, p->field);
	catalog_json_key(&b, "level", false);
	catalog_json_string(&b, p->level);
	catalog_json_key(&b, "no_deadline", false);
	catalog_buf_str(&b, p->no_deadline ? "true" : "false");
	catalog_json_key(&b, "online", false);
	catalog_buf_str(&b, p->online ? "true" : "false");
	catalog_json_key(&b, "fee", false);
	catalog_json_string(&b, p->fee);
	catalog_json_key(&b, "applicants", false);
	catalog_json_string(&b, p->applicants);
	catalog_json_key(&b, "agency", false);
	catalog_json_string(&b, p->agency);
	catalog_json_variant(&b, &p->variants[0]);
	catalog_json_key(&b, "result", false);
	catalog_json_string(&b, p->result);
	catalog_json_key(&b, "legal_basis", false);
	catalog_buf_add(&b, "[", 1);
	for (i = 0; i < p->nlegal_basis; i++) {
		if (i > 0)
			catalog_buf_add(&b, ",", 1);
		catalog_json_string(&b, p->legal_basis[i]);
	}
	catalog_buf_add(&b, "]", 1);
	catalog_json_key(&b, "variants", false);
	catalog_buf_add(&b, "[", 1);
	for (i = 1; i < p->nvariants; i++) {
		catalog_buf_str(&b, i == 1 ? "{" : ",{");
		catalog_json_key(&b, "name", true);
		catalog_json_string(&b, p->variants[i].name);
		catalog_json_variant(&b, &p->variants[i]);
		catalog_buf_add(&b, "}", 1);
	}
	catalog_buf_str(&b, "]}");
	/* Kept for the life of the catalog in every session: give back the buffer's slack. */
	p->canonical = xreallocarray(b.s, b.len + 1, 1);
	b.s = p->canonical;

	sha256_digest(b.s, b.len, md);
	for (i = 0; i < CATALOG_VERSION_LEN / 2 && i < SHA256_DIGEST_LEN; i++) {
		p->version[i * 2] = hex[md[i] >> 4];
		p->version[i * 2 + 1] = hex[md[i] & 0xf];
	}
	p->version[CATALOG_VERSION_LEN] = '\0';
	p->folded_name = text_fold(p->name != NULL ? p->name : "");
}

/* Order procedures by code. */
static int
catalog_procedure_cmp(const void *a, const void *b)
{
	const struct catalog_procedure	*pa = a, *pb = b;

	return strcmp(pa->code != NULL ? pa->code : "", pb->code != NULL ? pb->code : "");
}

/* Free the contents of a variant. */
static void
catalog_free_variant(struct catalog_variant *var)
{
	size_t	i;

	free(var->name);
	for (i = 0; i < var->ndocuments; i++)
		free(var->documents[i].name);
	free(var->documents);
	for (i = 0; i < var->nsteps; i++) {
		free(var->steps[i].dept);
		free(var->steps[i].name);
	}
	free(var->steps);
}

/* Free the contents of a procedure. */
static void
catalog_free_procedure(struct catalog_procedure *p)
{
	size_t	i;

	free(p->code);
	free(p->name);
	free(p->field);
	free(p->level);
	free(p->fee);
	free(p->applicants);
	free(p->agency);
	for (i = 0; i < p->nvariants; i++)
		catalog_free_variant(&p->variants[i]);
	free(p->variants);
	free(p->result);
	for (i = 0; i < p->nlegal_basis; i++)
		free(p->legal_basis[i]);
	free(p->legal_basis);
	free(p->file);
	free(p->folded_name);
	free(p->canonical);
}

/* Free a catalog. */
void
catalog_free(struct catalog *cat)
{
	size_t	i, j;

	if (cat == NULL)
		return;
	free(cat->dir);
	free(cat->province_code);
	free(cat->province_name);
	for (i = 0; i < cat->nunits; i++) {
		free(cat->units[i].code);
		free(cat->units[i].name);
		for (j = 0; j < cat->units[i].ndepartments; j++) {
			free(cat->units[i].departments[j].code);
			free(cat->units[i].departments[j].name);
		}
		free(cat->units[i].departments);
	}
	free(cat->units);
	for (i = 0; i < cat->nfields; i++) {
		free(cat->fields[i].code);
		free(cat->fields[i].name);
	}
	free(cat->fields);
	for (i = 0; i < cat->nprocedures; i++)
		catalog_free_procedure(&cat->procedures[i]);
	free(cat->procedures);
	calendar_free(cat->calendar);
	free(cat);
}

/* Free the problems of a load (the structure itself belongs to the caller). */
void
catalog_problems_free(struct catalog_problems *problems)
{
	size_t	i;

	if (problems == NULL)
		return;
	for (i = 0; i < problems->n; i++)
		free(problems->items[i]);
	free(problems->items);
	problems->items = NULL;
	problems->n = 0;
	problems->dropped = 0;
}

/* Load and validate the catalog in dir; NULL with every problem reported if it has any. */
struct catalog *
catalog_load(const char *dir, struct catalog_problems *problems)
{
	struct catalog_loader	 l;
	struct catalog		*cat;
	size_t			 i;

	memset(&l, 0, sizeof l);
	l.cat = cat = xcalloc(1, sizeof *cat);
	cat->dir = xstrdup(dir);
	l.limit = CATALOG_MAX_PROBLEMS;
	if (problems != NULL)
		l.limit = problems->n < CATALOG_MAX_PROBLEMS ?
		    CATALOG_MAX_PROBLEMS - problems->n : 0;

	catalog_load_config(&l);
	if (cat->calendar == NULL)
		cat->calendar = calendar_new(cat->utc_offset);
	if (!l.newer_schema) {
		catalog_load_units(&l);
		catalog_load_fields(&l);
		catalog_load_calendar(&l);
		catalog_load_procedures(&l);
		catalog_duplicates(&l, l.codes, l.ncodes, "procedure code");
	}

	if (l.nproblems == 0 && l.dropped == 0) {
		if (cat->nprocedures > 1)
			qsort(cat->procedures, cat->nprocedures, sizeof *cat->procedures,
			    catalog_procedure_cmp);
		for (i = 0; i < cat->nprocedures; i++)
			catalog_finish_procedure(&cat->procedures[i]);
	} else {
		catalog_free(cat);
		cat = NULL;
		qsort(l.problems, l.nproblems, sizeof *l.problems, catalog_problem_cmp);
	}

	for (i = 0; i < l.nproblems; i++) {
		if (problems == NULL) {
			free(l.problems[i].text);
			continue;
		}
		problems->items = xreallocarray(problems->items, problems->n + 1,
		    sizeof *problems->items);
		problems->items[problems->n++] = l.problems[i].text;
	}
	if (problems != NULL)
		problems->dropped += l.dropped;
	free(l.problems);
	free(l.codes);
	for (i = 0; i < l.nfiles; i++)
		free(l.files[i]);
	free(l.files);
	return cat;
}

/* Replace *current with the catalog in dir if it loads cleanly; keep it otherwise. */
int
catalog_reload(struct catalog **current, const char *dir, struct catalog_problems *problems)
{
	struct catalog	*cat;

	if ((cat = catalog_load(dir, problems)) == NULL)
		return -1;
	catalog_free(*current);
	*current = cat;
	return 0;
}

/* Compare a code with a procedure's code, for bsearch. */
static int
catalog_procedure_key_cmp(const void *key, const void *elem)
{
	const struct catalog_procedure	*p = elem;

	return strcmp(key, p->code);
}

/* Find a procedure by its code. */
const struct catalog_procedure *
catalog_procedure(const struct catalog *cat, const char *code)
{
	if (cat == NULL || code == NULL || cat->nprocedures == 0)
		return NULL;
	return bsearch(code, cat->procedures, cat->nprocedures, sizeof *cat->procedures,
	    catalog_procedure_key_cmp);
}

/* Find a unit by its code. */
const struct catalog_unit *
catalog_unit(const struct catalog *cat, const char *code)
{
	size_t	i;

	if (cat == NULL || code == NULL)
		return NULL;
	for (i = 0; i < cat->nunits; i++) {
		if (cat->units[i].code != NULL && strcmp(cat->units[i].code, code) == 0)
			return &cat->units[i];
	}
	return NULL;
}

/* Find a field by its code. */
const struct catalog_field *
catalog_field(const struct catalog *cat, const char *code)
{
	size_t	i;

	if (cat == NULL || code == NULL)
		return NULL;
	for (i = 0; i < cat->nfields; i++) {
		if (cat->fields[i].code != NULL && strcmp(cat->fields[i].code, code) == 0)
			return &cat->fields[i];
	}
	return NULL;
}

/* Find a department of a unit by its code. */
const struct catalog_department *
catalog_department(const struct catalog_unit *unit, const char *code)
{
	size_t	i;

	if (unit == NULL || code == NULL)
		return NULL;
	for (i = 0; i < unit->ndepartments; i++) {
		if (unit->departments[i].code != NULL &&
		    strcmp(unit->departments[i].code, code) == 0)
			return &unit->departments[i];
	}
	return NULL;
}

/*
 * Find procedures by code prefix (first, in code order) or by every word of the folded query
 * in the folded name (then, in catalog order). An empty query matches every procedure.
 */
size_t
catalog_search(const struct catalog *cat, const char *query,
    const struct catalog_procedure **out, size_t max)
{
	const struct catalog_procedure	*p;
	char				*q, *folded;
	size_t				 n = 0, qlen, lo, hi, mid, i;

	if (cat == NULL || query == NULL || max == 0)
		return 0;
	while (*query == ' ' || *query == '\t')
		query++;
	qlen = strlen(query);
	while (qlen > 0 && (query[qlen - 1] == ' ' || query[qlen - 1] == '\t'))
		qlen--;
	q = xstrndup(query, qlen);

	/* The first code not below the query: every code with the prefix follows it. */
	lo = 0;
	hi = cat->nprocedures;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(cat->procedures[mid].code, q) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cat->nprocedures && n < max; i++) {
		p = &cat->procedures[i];
		if (strncmp(p->code, q, qlen) != 0)
			break;
		out[n++] = p;
	}

	folded = text_fold(q);
	if (*folded != '\0') {
		for (i = 0; i < cat->nprocedures && n < max; i++) {
			p = &cat->procedures[i];
			if (strncmp(p->code, q, qlen) == 0)
				continue;
			if (text_fold_match(p->folded_name, folded))
				out[n++] = p;
		}
	}
	free(folded);
	free(q);
	return n;
}
