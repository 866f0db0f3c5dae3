/* text.c: UTF-8 validation, NFC, control characters, accent folding and display width. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#include "text.h"
#include "xmalloc.h"

/* The character that stands for an invalid byte sequence. */
#define TEXT_REPLACEMENT	0xfffd

/* The encoding name given to libunistring's width functions. */
#define TEXT_ENCODING		"UTF-8"

/* A growing output buffer of UTF-8 bytes, always with room for a terminating NUL. */
struct text_buf {
	uint8_t		*data;
	size_t		 len;
	size_t		 size;
};

/* One word of a folded string: a pointer into the string and its length. */
struct text_word {
	const char	*p;
	size_t		 len;
};

/* End the process when libunistring runs out of memory, as the x* allocators do. */
static void
text_nomem(void)
{
	static const char	msg[] = "motcua: out of memory normalising text\n";

	(void)!write(STDERR_FILENO, msg, sizeof msg - 1);
	_exit(70);
}

/* Start an empty buffer with room for about hint bytes. */
static void
text_buf_init(struct text_buf *b, size_t hint)
{
	b->size = hint < 16 ? 16 : hint;
	b->data = xmalloc(b->size);
	b->len = 0;
}

/* Append the code point uc, growing the buffer geometrically so appends stay linear. */
static void
text_buf_add(struct text_buf *b, ucs4_t uc)
{
	int	n;

	if (b->size - b->len < 5) {
		b->data = xreallocarray(b->data, b->size, 2);
		b->size *= 2;
	}
	n = u8_uctomb(b->data + b->len, uc, 4);
	if (n > 0)
		b->len += (size_t)n;
}

/* Terminate the buffer and hand its bytes to the caller as a string. */
static char *
text_buf_finish(struct text_buf *b)
{
	b->data[b->len] = '\0';
	return (char *)b->data;
}

/*
 * Decode the character at s, n > 0 bytes being left: store it in *uc and return its length.
 * An invalid or truncated sequence gives U+FFFD, *valid false and the length libunistring
 * assigns to it (at least one byte, never swallowing a valid character after it).
 */
static size_t
text_decode(const uint8_t *s, size_t n, ucs4_t *uc, bool *valid)
{
	int	len;

	len = u8_mbtouc(uc, s, n);
	if (len < 1)
		len = 1;
	if (*uc != TEXT_REPLACEMENT)
		*valid = true;
	else
		*valid = (len == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] == 0xbd);
	return (size_t)len;
}

/* Return true if uc is a C0 or C1 control, DEL or a bidi embedding, override or isolate. */
static bool
text_is_control(ucs4_t uc)
{
	if (uc < 0x20 || (uc >= 0x7f && uc <= 0x9f))
		return true;
	if (uc >= 0x202a && uc <= 0x202e)
		return true;
	if (uc >= 0x2066 && uc <= 0x2069)
		return true;
	return false;
}

/* Return true if uc is a combining mark that belongs with the character before it. */
static bool
text_is_mark(ucs4_t uc)
{
	return uc_is_general_category(uc, UC_CATEGORY_M);
}

/* Return the columns uc takes: controls and other non-printing characters take none. */
static int
text_uc_width(ucs4_t uc)
{
	int	w;

	w = uc_width(uc, TEXT_ENCODING);
	return w < 0 ? 0 : w;
}

/* Normalise len bytes of valid UTF-8 at s to form nf; the result is a string the caller frees. */
static char *
text_normalize(uninorm_t nf, const uint8_t *s, size_t len)
{
	uint8_t	*r;
	size_t	 rlen = 0;

	if (len == 0)
		return xstrdup("");
	r = u8_normalize(nf, s, len, NULL, &rlen);
	if (r == NULL)
		text_nomem();
	r = xreallocarray(r, rlen + 1, 1);
	r[rlen] = '\0';
	return (char *)r;
}

/* Return the offset of the first control character in len bytes at s, or -1; skips bad bytes. */
static long
text_control_at(const uint8_t *s, size_t len, unsigned int *cp)
{
	size_t	 i = 0;
	ucs4_t	 uc;
	bool	 valid;

	while (i < len) {
		size_t	n = text_decode(s + i, len - i, &uc, &valid);

		if (valid && text_is_control(uc)) {
			if (cp != NULL)
				*cp = uc;
			return (long)i;
		}
		i += n;
	}
	return -1;
}

/* Return true if the len bytes at s are well-formed UTF-8; else give the offset of the first bad one. */
bool
text_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const uint8_t	*p;

	if (s == NULL || len == 0)
		return true;
	p = u8_check((const uint8_t *)s, len);
	if (p == NULL)
		return true;
	if (bad != NULL)
		*bad = (size_t)(p - (const uint8_t *)s);
	return false;
}

/* Return the byte offset of the first control character in s, or -1 if there is none. */
long
text_find_control(const char *s, unsigned int *cp)
{
	if (s == NULL)
		return -1;
	return text_control_at((const uint8_t *)s, strlen(s), cp);
}

/* Check that len bytes at s are valid UTF-8 without control characters. */
int
text_check(const char *s, size_t len, char **cause)
{
	size_t		bad;
	long		off;
	unsigned int	cp = 0;

	if (s == NULL)
		len = 0;
	if (!text_utf8_valid(s, len, &bad)) {
		if (cause != NULL)
			*cause = xasprintf("invalid UTF-8 at byte %zu", bad);
		return -1;
	}
	if ((off = text_control_at((const uint8_t *)s, len, &cp)) != -1) {
		if (cause != NULL)
			*cause = xasprintf("control character U+%04X at byte %ld", cp, off);
		return -1;
	}
	return 0;
}

/* Return s normalised to NFC, or NULL if it is not valid UTF-8. */
char *
text_nfc(const char *s)
{
	size_t	len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (!text_utf8_valid(s, len, NULL))
		return NULL;
	return text_normalize(UNINORM_NFC, (const uint8_t *)s, len);
}

/* Clean typed text: repair bad bytes, drop controls, collapse and trim space, compose to NFC. */
char *
text_clean(const char *s)
{
	const uint8_t	*p = (const uint8_t *)s;
	struct text_buf	 b;
	size_t		 len, i = 0;
	ucs4_t		 uc;
	bool		 valid, space = false;
	char		*out;

	if (s == NULL)
		return xstrdup("");
	len = strlen(s);
	text_buf_init(&b, len + 1);
	while (i < len) {
		i += text_decode(p + i, len - i, &uc, &valid);
		if (!valid)
			uc = TEXT_REPLACEMENT;
		else if (uc == '\t' || uc == '\r' || uc == '\n')
			uc = ' ';
		else if (text_is_control(uc))
			continue;
		if (uc == ' ' || uc_is_general_category(uc, UC_CATEGORY_Z)) {
			if (b.len != 0)
				space = true;
			continue;
		}
		if (space) {
			text_buf_add(&b, ' ');
			space = false;
		}
		text_buf_add(&b, uc);
	}
	out = text_normalize(UNINORM_NFC, b.data, b.len);
	free(b.data);
	return out;
}

/* Make s safe for a terminal: bad bytes become U+FFFD and control characters '?'. */
char *
text_sanitise(const char *s)
{
	const uint8_t	*p = (const uint8_t *)s;
	struct text_buf	 b;
	size_t		 len, i = 0;
	ucs4_t		 uc;
	bool		 valid;

	if (s == NULL)
		return xstrdup("");
	len = strlen(s);
	text_buf_init(&b, len + 1);
	while (i < len) {
		i += text_decode(p + i, len - i, &uc, &valid);
		if (!valid)
			uc = TEXT_REPLACEMENT;
		else if (text_is_control(uc))
			uc = '?';
		text_buf_add(&b, uc);
	}
	return text_buf_finish(&b);
}

/* Fold s for accent- and case-insensitive search. */
char *
text_fold(const char *s)
{
	const uint8_t		*p = (const uint8_t *)s;
	uc_general_category_t	 word;
	struct text_buf		 b;
	uint8_t			*valid_bytes;
	char			*nfd, *out;
	size_t			 len, vlen = 0, i = 0;
	ucs4_t			 uc;
	bool			 valid, space = false, ascii = true;

	if (s == NULL)
		return xstrdup("");
	len = strlen(s);

	/* Keep only the well-formed sequences. */
	valid_bytes = xmalloc(len + 1);
	while (i < len) {
		size_t	n = text_decode(p + i, len - i, &uc, &valid);

		if (valid) {
			memcpy(valid_bytes + vlen, p + i, n);
			vlen += n;
		}
		i += n;
	}

	/* Decompose, so every diacritic is a separate nonspacing mark. */
	nfd = text_normalize(UNINORM_NFD, valid_bytes, vlen);
	free(valid_bytes);

	word = uc_general_category_or(uc_general_category_or(UC_CATEGORY_L, UC_CATEGORY_N),
	    UC_CATEGORY_M);
	p = (const uint8_t *)nfd;
	len = strlen(nfd);
	text_buf_init(&b, len + 1);
	for (i = 0; i < len; /* nothing */) {
		i += text_decode(p + i, len - i, &uc, &valid);
		if (uc_is_general_category(uc, UC_CATEGORY_Mn))
			continue;
		if (uc == 0x0110 || uc == 0x0111 || uc == 0x00d0 || uc == 0x00f0)
			uc = 'd';
		else
			uc = uc_tolower(uc);
		if (!uc_is_general_category(uc, word)) {
			if (b.len != 0)
				space = true;
			continue;
		}
		if (space) {
			text_buf_add(&b, ' ');
			space = false;
		}
		if (uc >= 0x80)
			ascii = false;
		text_buf_add(&b, uc);
	}
	free(nfd);

	/* Recompose what is left (Hangul, spacing marks) so the result is NFC. */
	if (ascii)
		return text_buf_finish(&b);
	out = text_normalize(UNINORM_NFC, b.data, b.len);
	free(b.data);
	return out;
}

/* Order words bytewise, a word before any longer word it is a prefix of. */
static int
text_word_cmp(const void *a, const void *b)
{
	const struct text_word	*wa = a, *wb = b;
	size_t			 n;
	int			 c;

	n = wa->len < wb->len ? wa->len : wb->len;
	if (n != 0 && (c = memcmp(wa->p, wb->p, n)) != 0)
		return c;
	if (wa->len != wb->len)
		return wa->len < wb->len ? -1 : 1;
	return 0;
}

/* Find the next space-separated word of s at or after *pos; return false at the end. */
static bool
text_next_word(const char *s, size_t *pos, struct text_word *w)
{
	size_t	i = *pos, start;

	while (s[i] == ' ')
		i++;
	if (s[i] == '\0') {
		*pos = i;
		return false;
	}
	start = i;
	while (s[i] != ' ' && s[i] != '\0')
		i++;
	w->p = s + start;
	w->len = i - start;
	*pos = i;
	return true;
}

/*
 * Return true if every word of the folded query begins some word of the folded haystack.
 * The haystack's words are sorted once, so each query word costs a binary search.
 */
bool
text_fold_match(const char *folded_haystack, const char *folded_query)
{
	struct text_word	*words = NULL, w;
	size_t			 nwords = 0, pos, lo, hi, mid;
	bool			 found = false;

	if (folded_query == NULL)
		folded_query = "";
	if (folded_haystack == NULL)
		folded_haystack = "";

	pos = 0;
	if (!text_next_word(folded_query, &pos, &w))
		return true;

	pos = 0;
	while (text_next_word(folded_haystack, &pos, &w))
		nwords++;
	if (nwords == 0)
		return false;
	words = xreallocarray(NULL, nwords, sizeof *words);
	pos = 0;
	nwords = 0;
	while (text_next_word(folded_haystack, &pos, &words[nwords]))
		nwords++;
	qsort(words, nwords, sizeof *words, text_word_cmp);

	pos = 0;
	while (text_next_word(folded_query, &pos, &w)) {
		/* The first haystack word not below w is the only candidate to start with it. */
		lo = 0;
		hi = nwords;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (text_word_cmp(&words[mid], &w) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == nwords || words[lo].len < w.len ||
		    memcmp(words[lo].p, w.p, w.len) != 0)
			goto out;
	}
	found = true;

out:
	free(words);
	return found;
}

/* Return the number of terminal columns s occupies. */
int
text_width(const char *s)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 len, i = 0;
	ucs4_t		 uc;
	bool		 valid;
	int		 width = 0, w;

	if (s == NULL)
		return 0;
	len = strlen(s);
	while (i < len) {
		i += text_decode(p + i, len - i, &uc, &valid);
		w = valid ? text_uc_width(uc) : 1;
		if (w > INT_MAX - width)
			return INT_MAX;
		width += w;
	}
	return width;
}

/* Return how many bytes of s fit in cols columns, cutting only between whole characters. */
size_t
text_fit(const char *s, int cols)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 len, i = 0, fit = 0, n;
	ucs4_t		 uc;
	bool		 valid;
	long long	 used = 0, w;

	if (s == NULL || cols <= 0)
		return 0;
	len = strlen(s);
	while (i < len) {
		/* A character (or bad sequence) and the combining marks after it. */
		i += text_decode(p + i, len - i, &uc, &valid);
		w = valid ? text_uc_width(uc) : 1;
		while (i < len) {
			n = text_decode(p + i, len - i, &uc, &valid);
			if (!valid || !text_is_mark(uc))
				break;
			w += text_uc_width(uc);
			i += n;
		}
		if (w > cols - used)
			break;
		used += w;
		fit = i;
	}
	return fit;
}
