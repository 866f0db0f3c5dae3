/* text.h: UTF-8 validation, NFC, control characters, accent folding and display width. */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Return true if the len bytes at s are well-formed UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF). On false, *bad (if not NULL) is the byte offset of the first bad sequence.
 */
bool	 text_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Return the byte offset of the first control character (any C0 U+0000–U+001F, TAB, CR and LF
 * included; DEL; C1 U+0080–U+009F; the bidi embeddings, overrides and isolates U+202A–U+202E
 * and U+2066–U+2069) in the string s, or -1 if there is none. *cp (if not NULL) receives the
 * code point found. Invalid sequences in s are skipped, never reported as controls.
 */
long	 text_find_control(const char *s, unsigned int *cp);

/*
 * Check that a user- or file-supplied string of len bytes is acceptable text: valid UTF-8 and
 * no control characters (an embedded NUL is one). Returns 0, or -1 with *cause set ("invalid
 * UTF-8 at byte 7", "control character U+001B at byte 3"; offsets count from 0); the caller
 * frees *cause. Invalid UTF-8 is reported before any control character.
 */
int	 text_check(const char *s, size_t len, char **cause);

/* Return s normalised to NFC, or NULL if s is not valid UTF-8. The caller frees the result. */
char	*text_nfc(const char *s);

/*
 * Clean text typed by a person: invalid bytes become U+FFFD, TAB, CR and LF become spaces,
 * other control characters are removed, runs of white space (with Unicode space separators
 * such as U+00A0) become one ASCII space, leading and trailing space is trimmed, and the result
 * is NFC. Never NULL; the caller frees it.
 */
char	*text_clean(const char *s);

/*
 * Make any string safe to print on a terminal: invalid bytes become U+FFFD and control
 * characters become '?'. Never NULL; the caller frees it.
 */
char	*text_sanitise(const char *s);

/*
 * Fold s for accent- and case-insensitive search: diacritics (nonspacing marks after NFD)
 * removed, đ/Đ (and the look-alike ð/Ð) become d, lower case; anything that is not a letter,
 * digit or mark (punctuation, symbols, space, controls) separates words, and words are joined
 * by one space with none leading or trailing; the result is NFC. "Chứng thực bản sao" and
 * "chung thuc  BAN sao" fold to the same string. Never NULL; invalid bytes are dropped. The
 * caller frees it.
 */
char	*text_fold(const char *s);

/*
 * Return true if every word of the folded query begins some word of the folded haystack, in
 * any order ("chung th" matches "chung thuc", "hung" does not). An empty query matches.
 */
bool	 text_fold_match(const char *folded_haystack, const char *folded_query);

/*
 * Return the number of terminal columns s occupies (wcwidth rules: East Asian wide characters
 * two, combining marks and control characters none; each invalid sequence counts one).
 */
int	 text_width(const char *s);

/*
 * Return how many bytes of s fit in cols columns (measured as text_width does) without
 * splitting a character, or a base character from the combining marks after it. 0 if cols <= 0.
 */
size_t	 text_fit(const char *s, int cols);

#endif
