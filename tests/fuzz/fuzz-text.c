/*
 * fuzz-text.c: the libFuzzer target of the text functions (text.h): validation, NFC, cleaning,
 * sanitising, folding and display width, each checked against what text.h promises.
 *
 * The input is one string; the bytes after its first NUL are a search query for the folding
 * checks. The whole input (NULs included) goes to the length-taking functions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "text.h"

/* Decode one strictly well-formed UTF-8 character at s; its length, or 0 if it is malformed. */
static size_t
fuzz_text_decode(const unsigned char *s, size_t n, unsigned int *cp)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return len;
}

/* Return true if cp is one of the control characters text.h names. */
static bool
fuzz_text_is_control(unsigned int cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Scan n bytes: return true if all are well-formed, else false with *bad at the first bad
 * sequence. *control is the offset of the first control character before it (or -1).
 */
static bool
fuzz_text_scan(const char *s, size_t n, size_t *bad, long *control, unsigned int *ccp)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 cp;
	size_t			 i = 0, len;

	*control = -1;
	while (i < n) {
		if ((len = fuzz_text_decode(p + i, n - i, &cp)) == 0) {
			*bad = i;
			return false;
		}
		if (*control == -1 && fuzz_text_is_control(cp)) {
			*control = (long)i;
			*ccp = cp;
		}
		i += len;
	}
	return true;
}

/* Return true if s has no leading, trailing or doubled ASCII space. */
static bool
fuzz_text_spaced(const char *s)
{
	size_t	len = strlen(s);

	if (len == 0)
		return true;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return false;
	return strstr(s, "  ") == NULL;
}

/* Return true if s holds the UTF-8 bytes of another string u. */
static bool
fuzz_text_has(const char *s, const char *u)
{
	return strstr(s, u) != NULL;
}

/* The reference of text_fold_match: every query word is a prefix of some haystack word. */
static bool
fuzz_text_match(const char *hay, const char *query)
{
	const char	*q = query, *h;
	size_t		 qlen, hlen;
	bool		 found;

	for (;;) {
		while (*q == ' ')
			q++;
		if (*q == '\0')
			return true;
		qlen = strcspn(q, " ");
		found = false;
		for (h = hay; *h != '\0' && !found; h += hlen) {
			while (*h == ' ')
				h++;
			hlen = strcspn(h, " ");
			if (hlen >= qlen && qlen > 0 && memcmp(h, q, qlen) == 0)
				found = true;
		}
		if (!found)
			return false;
		q += qlen;
	}
}

/* Check the validation functions against the reference scan. */
static void
fuzz_text_validation(const char *data, size_t size, const char *s)
{
	size_t		 bad = 0, rbad = 0, slen = strlen(s);
	long		 control, off;
	unsigned int	 cp = 0, rcp = 0;
	char		*cause = NULL;
	bool		 valid;

	valid = fuzz_text_scan(data, size, &rbad, &control, &rcp);
	FUZZ_CHECK(text_utf8_valid(data, size, &bad) == valid);
	FUZZ_CHECK(valid || bad == rbad);

	if (text_check(data, size, &cause) == 0)
		FUZZ_CHECK(valid && control == -1);
	else {
		FUZZ_CHECK(!valid || control != -1);
		FUZZ_CHECK(fuzz_plain(cause));
		free(cause);
	}

	valid = fuzz_text_scan(s, slen, &rbad, &control, &rcp);
	off = text_find_control(s, &cp);
	if (valid)
		FUZZ_CHECK(off == control && (off == -1 || cp == rcp));
	if (off != -1) {
		/* Whatever is reported is a real control character at that offset. */
		FUZZ_CHECK(off >= 0 && (size_t)off < slen);
		FUZZ_CHECK(fuzz_text_decode((const unsigned char *)s + off, slen - (size_t)off,
		    &rcp) > 0 && rcp == cp && fuzz_text_is_control(cp));
	}
}

/* Check text_nfc, text_clean and text_sanitise. */
static void
fuzz_text_normal(const char *s)
{
	char	*nfc, *again, *clean, *san;
	size_t	 bad;
	long	 control;
	unsigned int cp;
	bool	 valid;

	valid = fuzz_text_scan(s, strlen(s), &bad, &control, &cp);

	nfc = text_nfc(s);
	FUZZ_CHECK((nfc != NULL) == valid);
	if (nfc != NULL) {
		FUZZ_CHECK(text_utf8_valid(nfc, strlen(nfc), NULL));
		again = text_nfc(nfc);
		FUZZ_CHECK(again != NULL && strcmp(again, nfc) == 0);
		free(again);
		/* Normalisation neither adds nor removes control characters. */
		FUZZ_CHECK((text_find_control(nfc, NULL) == -1) == (control == -1));
	}
	free(nfc);

	clean = text_clean(s);
	FUZZ_CHECK(fuzz_plain(clean));
	FUZZ_CHECK(fuzz_text_spaced(clean));
	FUZZ_CHECK(!fuzz_text_has(clean, "\xc2\xa0") && !fuzz_text_has(clean, "\xe3\x80\x80") &&
	    !fuzz_text_has(clean, "\xe2\x80\xa8"));
	again = text_clean(clean);
	FUZZ_CHECK(strcmp(again, clean) == 0);
	free(again);
	again = text_nfc(clean);
	FUZZ_CHECK(again != NULL && strcmp(again, clean) == 0);
	free(again);
	free(clean);

	san = text_sanitise(s);
	FUZZ_CHECK(fuzz_plain(san));
	if (valid && control == -1)
		FUZZ_CHECK(strcmp(san, s) == 0);
	/* Only control characters and bad bytes change; so plain text is a fixed point. */
	again = text_sanitise(san);
	FUZZ_CHECK(strcmp(again, san) == 0);
	free(again);
	free(san);
}

/* Check text_fold and text_fold_match. */
static void
fuzz_text_folding(const char *s, const char *query)
{
	char	*fold, *again, *fq, *word;
	size_t	 i, len;

	fold = text_fold(s);
	FUZZ_CHECK(fuzz_plain(fold));
	FUZZ_CHECK(fuzz_text_spaced(fold));
	for (i = 0; fold[i] != '\0'; i++)
		FUZZ_CHECK(fold[i] < 'A' || fold[i] > 'Z');
	again = text_fold(fold);
	FUZZ_CHECK(strcmp(again, fold) == 0);
	free(again);
	again = text_nfc(fold);
	FUZZ_CHECK(again != NULL && strcmp(again, fold) == 0);
	free(again);

	FUZZ_CHECK(text_fold_match(fold, fold));
	FUZZ_CHECK(text_fold_match(fold, ""));
	FUZZ_CHECK(text_fold_match(fold, NULL));
	/* The first half of the first word is a prefix of it. */
	len = strcspn(fold, " ");
	if (len > 0) {
		word = strndup(fold, len);
		FUZZ_CHECK(word != NULL);
		FUZZ_CHECK(text_fold_match(fold, word));
		free(word);
	}

	fq = text_fold(query);
	FUZZ_CHECK(text_fold_match(fold, fq) == fuzz_text_match(fold, fq));
	/* A raw (unfolded) query must not trip the matcher either. */
	FUZZ_CHECK(text_fold_match(fold, query) == fuzz_text_match(fold, query));
	free(fq);
	free(fold);
}

/* Check text_width and text_fit. */
static void
fuzz_text_columns(const char *s)
{
	size_t	 slen = strlen(s), fit, last = 0;
	char	*prefix;
	int	 width, cols, tries[] = { -1, 0, 1, 2, 3, 5, 8, 13 };
	size_t	 i;

	width = text_width(s);
	FUZZ_CHECK(width >= 0);
	FUZZ_CHECK(text_fit(s, width) == (width == 0 ? 0 : slen));
	FUZZ_CHECK(text_fit(s, width + 1) == slen || slen == 0);
	for (i = 0; i < sizeof tries / sizeof tries[0] + 2; i++) {
		if (i < sizeof tries / sizeof tries[0])
			cols = tries[i];
		else
			cols = i == sizeof tries / sizeof tries[0] ? width / 2 : width - 1;
		fit = text_fit(s, cols);
		FUZZ_CHECK(fit <= slen);
		if (cols <= 0) {
			FUZZ_CHECK(fit == 0);
			continue;
		}
		prefix = strndup(s, fit);
		FUZZ_CHECK(prefix != NULL);
		FUZZ_CHECK(text_width(prefix) <= cols);
		/* The cut never falls inside a character of valid text. */
		if (text_utf8_valid(s, slen, NULL))
			FUZZ_CHECK(text_utf8_valid(prefix, fit, NULL));
		free(prefix);
		if (i > 0 && i < sizeof tries / sizeof tries[0])
			FUZZ_CHECK(fit >= last);
		last = fit;
	}
}

/* One input: the string up to the first NUL, and the query after it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*all, *query;
	size_t		 slen;

	all = fuzz_string(data, size);
	slen = strlen(all);
	query = slen < size ? all + slen + 1 : all + slen;

	fuzz_text_validation(all, size, all);
	fuzz_text_normal(all);
	fuzz_text_folding(all, query);
	fuzz_text_columns(all);
	free(all);
	return 0;
}
