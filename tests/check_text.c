/* check_text.c: tests for UTF-8 validation, NFC, control characters, folding and width. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* "Tiếng Việt" with precomposed ế (U+1EBF) and ệ (U+1EC7). */
#define TIENG_VIET_NFC	"Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t"
/* The same, typed as base letters and combining marks: e + U+0302 + U+0301, e + U+0323 + U+0302. */
#define TIENG_VIET_NFD	"Tie\xcc\x82\xcc\x81ng Vie\xcc\xa3\xcc\x82t"
/* "Nguyễn" precomposed (ễ = U+1EC5) and decomposed (e + U+0302 + U+0303). */
#define NGUYEN_NFC	"Nguy\xe1\xbb\x85n"
#define NGUYEN_NFD	"Nguye\xcc\x82\xcc\x83n"
/* U+FFFD REPLACEMENT CHARACTER. */
#define FFFD		"\xef\xbf\xbd"

/* Check that s is a string of well-formed UTF-8. */
static int
valid_string(const char *s)
{
	return text_utf8_valid(s, strlen(s), NULL);
}

/* The literals in this file are the bytes they claim to be. */
START_TEST(test_literals)
{
	ck_assert_str_eq("Tiếng Việt", TIENG_VIET_NFC);
	ck_assert_str_eq("Nguyễn", NGUYEN_NFC);
}
END_TEST

/* Well-formed UTF-8, including Vietnamese, the largest code point and an embedded NUL. */
START_TEST(test_utf8_valid)
{
	size_t	bad = 999;

	ck_assert(text_utf8_valid("", 0, &bad));
	ck_assert(text_utf8_valid("Chứng thực bản sao", strlen("Chứng thực bản sao"), &bad));
	ck_assert(text_utf8_valid(TIENG_VIET_NFD, strlen(TIENG_VIET_NFD), &bad));
	ck_assert(text_utf8_valid("\xf4\x8f\xbf\xbf", 4, &bad));
	ck_assert(text_utf8_valid("\xed\x9f\xbf", 3, &bad));	/* U+D7FF */
	ck_assert(text_utf8_valid("ab\0c", 4, &bad));
	ck_assert_uint_eq(bad, 999);
}
END_TEST

/* Malformed UTF-8 is refused with the offset of the first bad sequence. */
START_TEST(test_utf8_invalid)
{
	size_t	bad;

	bad = 999;
	ck_assert(!text_utf8_valid("ab\xc0\x80", 4, &bad));		/* overlong NUL */
	ck_assert_uint_eq(bad, 2);
	ck_assert(!text_utf8_valid("\xe0\x80\xaf", 3, &bad));		/* overlong '/' */
	ck_assert_uint_eq(bad, 0);
	ck_assert(!text_utf8_valid("x\xed\xa0\x80y", 5, &bad));		/* surrogate U+D800 */
	ck_assert_uint_eq(bad, 1);
	ck_assert(!text_utf8_valid("abc\xf4\x90\x80\x80", 7, &bad));	/* U+110000 */
	ck_assert_uint_eq(bad, 3);
	ck_assert(!text_utf8_valid("Vi\xe1\xbb", 4, &bad));		/* truncated at the end */
	ck_assert_uint_eq(bad, 2);
	ck_assert(!text_utf8_valid("Vi\xe1\xbbt", 5, &bad));		/* truncated in the middle */
	ck_assert_uint_eq(bad, 2);
	ck_assert(!text_utf8_valid("\x80", 1, &bad));			/* lone continuation */
	ck_assert_uint_eq(bad, 0);
	ck_assert(!text_utf8_valid("Vi\xe1\xbb\x87t\xff", 7, &bad));	/* 0xFF never occurs */
	ck_assert_uint_eq(bad, 6);
	ck_assert(!text_utf8_valid("\xc0\x80", 2, NULL));
}
END_TEST

/* Control characters are found with their code point; ordinary text has none. */
START_TEST(test_find_control)
{
	unsigned int	cp;

	cp = 0;
	ck_assert_int_eq(text_find_control("abc\x1b[0m", &cp), 3);
	ck_assert_uint_eq(cp, 0x1b);
	ck_assert_int_eq(text_find_control("V\xc4\x83n\xc2\x9b" "1m", &cp), 4);	/* CSI */
	ck_assert_uint_eq(cp, 0x9b);
	ck_assert_int_eq(text_find_control("ab\xe2\x80\xae" "cd", &cp), 2);	/* U+202E */
	ck_assert_uint_eq(cp, 0x202e);
	ck_assert_int_eq(text_find_control("\xe2\x81\xa6x", &cp), 0);		/* U+2066 */
	ck_assert_uint_eq(cp, 0x2066);
	ck_assert_int_eq(text_find_control("a\tb", &cp), 1);
	ck_assert_uint_eq(cp, 0x09);
	ck_assert_int_eq(text_find_control("ab\x7f", &cp), 2);
	ck_assert_uint_eq(cp, 0x7f);
	ck_assert_int_eq(text_find_control("\n", NULL), 0);

	cp = 12345;
	ck_assert_int_eq(text_find_control(TIENG_VIET_NFC, &cp), -1);
	ck_assert_int_eq(text_find_control("a\xc2\xa0" "b\xe2\x80\xaf", &cp), -1);	/* NBSPs */
	ck_assert_int_eq(text_find_control("\xe2\x80\xa9\xe2\x81\xa5", &cp), -1);
	ck_assert_int_eq(text_find_control("", &cp), -1);
	ck_assert_uint_eq(cp, 12345);
}
END_TEST

/* text_check accepts clean text and explains what is wrong with the rest. */
START_TEST(test_check)
{
	char	*cause = NULL;

	ck_assert_int_eq(text_check("Tiếng Việt", strlen("Tiếng Việt"), &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(text_check("", 0, &cause), 0);
	ck_assert_ptr_null(cause);

	ck_assert_int_eq(text_check("Ti\xe1\xba\xbfng\xc0", 8, &cause), -1);
	ck_assert_str_eq(cause, "invalid UTF-8 at byte 7");
	free(cause);

	cause = NULL;
	ck_assert_int_eq(text_check("abc\x1b[2J", 7, &cause), -1);
	ck_assert_str_eq(cause, "control character U+001B at byte 3");
	free(cause);

	cause = NULL;
	ck_assert_int_eq(text_check("V\xc4\x83n\xe2\x80\xae", 7, &cause), -1);
	ck_assert_str_eq(cause, "control character U+202E at byte 4");
	free(cause);

	cause = NULL;
	ck_assert_int_eq(text_check("ab\0c", 4, &cause), -1);
	ck_assert_str_eq(cause, "control character U+0000 at byte 2");
	free(cause);

	/* Invalid UTF-8 is reported before a later control character. */
	cause = NULL;
	ck_assert_int_eq(text_check("\x1b\xff", 2, &cause), -1);
	ck_assert_str_eq(cause, "invalid UTF-8 at byte 1");
	free(cause);
}
END_TEST

/* Decomposed Vietnamese composes to the precomposed form, byte for byte. */
START_TEST(test_nfc)
{
	char	*s;

	s = text_nfc(TIENG_VIET_NFD);
	ck_assert_str_eq(s, TIENG_VIET_NFC);
	free(s);

	/* The marks of ệ in the other order (circumflex first) give the same character. */
	s = text_nfc("Vie\xcc\x82\xcc\xa3t");
	ck_assert_str_eq(s, "Vi\xe1\xbb\x87t");
	free(s);

	/* ư + horn + dot below: "Trường" from u + U+031B, o + U+031B + U+0300. */
	s = text_nfc("Tru\xcc\x9bo\xcc\x9b\xcc\x80ng");
	ck_assert_str_eq(s, "Tr\xc6\xb0\xe1\xbb\x9dng");
	ck_assert_str_eq(s, "Trường");
	free(s);

	s = text_nfc(TIENG_VIET_NFC);
	ck_assert_str_eq(s, TIENG_VIET_NFC);
	free(s);

	s = text_nfc("");
	ck_assert_str_eq(s, "");
	free(s);

	ck_assert_ptr_null(text_nfc("Vi\xe1\xbb"));
	ck_assert_ptr_null(text_nfc("\xed\xa0\x80"));
}
END_TEST

/* Cleaning drops escape sequences' ESC, turns TAB/CR/LF into space, collapses and trims. */
START_TEST(test_clean)
{
	char	*s;

	s = text_clean("\x1b[2J Nguy\xe1\xbb\x85n\tV\xc4\x83n\r\n A");
	ck_assert_str_eq(s, "[2J Nguy\xe1\xbb\x85n V\xc4\x83n A");
	free(s);

	s = text_clean("  \t Tr\xe1\xba\xa7n  Th\xe1\xbb\x8b\xc2\xa0 Lan \r\n");	/* NBSP too */
	ck_assert_str_eq(s, "Trần Thị Lan");
	free(s);

	/* Composed to NFC, with a control between the letter and its marks removed first. */
	s = text_clean(" " TIENG_VIET_NFD " ");
	ck_assert_str_eq(s, TIENG_VIET_NFC);
	free(s);
	s = text_clean("Vie\x07\xcc\xa3\xcc\x82t");
	ck_assert_str_eq(s, "Vi\xe1\xbb\x87t");
	free(s);

	/* C1 controls, DEL and bidi overrides disappear. */
	s = text_clean("a\xc2\x9b" "1mb\x7f" "c\xe2\x80\xae" "d\xe2\x81\xa9");
	ck_assert_str_eq(s, "a1mbcd");
	free(s);

	/* Invalid bytes become U+FFFD, one per byte that cannot start a character. */
	s = text_clean("a\xff" "b\xc0\x80" "c");
	ck_assert_str_eq(s, "a" FFFD "b" FFFD FFFD "c");
	free(s);
	s = text_clean("Vi\xe1\xbbt");
	ck_assert_str_eq(s, "Vi" FFFD "t");
	free(s);
	s = text_clean("ab\xe1\xbb");
	ck_assert_str_eq(s, "ab" FFFD);
	free(s);
	s = text_clean("x\xed\xa0\x80y\xf4\x90\x80\x80");
	ck_assert(valid_string(s));
	ck_assert_ptr_null(strchr(s, '\xed'));
	ck_assert_int_eq(s[0], 'x');
	free(s);

	s = text_clean(" \t\r\n\x1b ");
	ck_assert_str_eq(s, "");
	free(s);
	s = text_clean("");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* Sanitising keeps Vietnamese, turns controls into '?' and bad bytes into U+FFFD. */
START_TEST(test_sanitise)
{
	char	*s;

	s = text_sanitise("Nguy\xe1\xbb\x85n\x1b[31mV\xc4\x83n\xff");
	ck_assert_str_eq(s, "Nguyễn?[31mVăn" FFFD);
	free(s);

	s = text_sanitise("a\tb\r\n\xc2\x9b\xe2\x80\xae" "c\x7f");
	ck_assert_str_eq(s, "a?b???" "?c?");
	free(s);

	/* Decomposed text is left as it is: sanitising is not normalising. */
	s = text_sanitise(TIENG_VIET_NFD);
	ck_assert_str_eq(s, TIENG_VIET_NFD);
	free(s);

	s = text_sanitise("");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* Folding removes case, diacritics and punctuation, Vietnamese đ included. */
START_TEST(test_fold)
{
	char	*a, *b;

	a = text_fold("Chứng thực bản sao");
	b = text_fold("chung thuc  BAN sao");
	ck_assert_str_eq(a, "chung thuc ban sao");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);

	a = text_fold("Đất đai");
	ck_assert_str_eq(a, "dat dai");
	free(a);

	a = text_fold("ĐĂNG KÝ KẾT HÔN");
	ck_assert_str_eq(a, "dang ky ket hon");
	free(a);

	a = text_fold("Trường hợp: Phí 2.000 đ/trang; (tối đa 200.000 đ)");
	ck_assert_str_eq(a, "truong hop phi 2 000 d trang toi da 200 000 d");
	free(a);

	/* The look-alike Ð (U+00D0) sometimes typed for Đ folds the same way. */
	a = text_fold("\xc3\x90\xe1\xba\xa5t");
	ck_assert_str_eq(a, "dat");
	free(a);

	/* Invalid bytes are dropped; controls separate words. */
	a = text_fold("ab\xff" "cd\x1b" "ef");
	ck_assert_str_eq(a, "abcd ef");
	free(a);

	a = text_fold(" ... -- ");
	ck_assert_str_eq(a, "");
	free(a);
	a = text_fold("");
	ck_assert_str_eq(a, "");
	free(a);
}
END_TEST

/* Decomposed input folds exactly as precomposed input does. */
START_TEST(test_fold_decomposed)
{
	char	*a, *b;

	a = text_fold("Chứng thực bản sao");
	b = text_fold("Chu\xcc\x9b\xcc\x81ng thu\xcc\x9b\xcc\xa3" "c ba\xcc\x89n sao");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);

	a = text_fold(TIENG_VIET_NFC);
	b = text_fold(TIENG_VIET_NFD);
	ck_assert_str_eq(a, "tieng viet");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);

	/* Non-Latin letters stay, lower-cased and composed. */
	a = text_fold("\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91 \xed\x95\x9c\xea\xb8\x80");
	ck_assert_str_eq(a, "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1 \xed\x95\x9c\xea\xb8\x80");
	free(a);
}
END_TEST

/* Every query word must begin some word of the haystack, in any order. */
START_TEST(test_fold_match)
{
	char	*hay, *q;

	hay = text_fold("Chứng thực bản sao từ bản chính giấy tờ");

	q = text_fold("chung thuc ban sao");
	ck_assert(text_fold_match(hay, q));
	free(q);
	q = text_fold("Sao CHỨNG");
	ck_assert(text_fold_match(hay, q));
	free(q);
	q = text_fold("giay chinh tu");
	ck_assert(text_fold_match(hay, q));
	free(q);
	q = text_fold("chung th");
	ck_assert(text_fold_match(hay, q));
	free(q);

	q = text_fold("chung thuc xyz");
	ck_assert(!text_fold_match(hay, q));
	free(q);
	q = text_fold("hung");
	ck_assert(!text_fold_match(hay, q));
	free(q);
	q = text_fold("chinhx");
	ck_assert(!text_fold_match(hay, q));
	free(q);

	ck_assert(text_fold_match(hay, ""));
	ck_assert(text_fold_match("", ""));
	ck_assert(!text_fold_match("", "a"));
	ck_assert(text_fold_match("a b a", "a a b"));
	ck_assert(text_fold_match("dat dai", "dat"));
	ck_assert(!text_fold_match("dat", "dat dai"));
	free(hay);
}
END_TEST

/* Width counts Vietnamese letters as one column, CJK as two and combining marks as none. */
START_TEST(test_width)
{
	ck_assert_int_eq(text_width(NGUYEN_NFC), 6);
	ck_assert_int_eq(text_width(NGUYEN_NFD), 6);
	ck_assert_int_eq(text_width("\xe6\xbc\xa2\xe5\xad\x97"), 4);	/* 漢字 */
	ck_assert_int_eq(text_width("\xcc\x81\xcc\xa3"), 0);
	ck_assert_int_eq(text_width("Chứng thực bản sao"), 18);
	ck_assert_int_eq(text_width("a\xff" "b"), 3);
	ck_assert_int_eq(text_width("a\x1b" "b"), 2);
	ck_assert_int_eq(text_width(""), 0);
}
END_TEST

/* Fitting cuts between whole characters and keeps marks with their base letter. */
START_TEST(test_fit)
{
	const char	*cjk = "\xe6\xbc\xa2\xe5\xad\x97";

	ck_assert_uint_eq(text_fit(NGUYEN_NFC, 100), strlen(NGUYEN_NFC));
	ck_assert_uint_eq(text_fit(NGUYEN_NFC, 6), 8);
	ck_assert_uint_eq(text_fit(NGUYEN_NFC, 5), 7);
	ck_assert_uint_eq(text_fit(NGUYEN_NFC, 4), 4);
	ck_assert_uint_eq(text_fit(NGUYEN_NFC, 0), 0);
	ck_assert_uint_eq(text_fit(NGUYEN_NFC, -3), 0);

	/* "Nguye" + U+0302 + U+0303: the e keeps both its marks. */
	ck_assert_uint_eq(text_fit(NGUYEN_NFD, 5), 9);
	ck_assert_uint_eq(text_fit(NGUYEN_NFD, 4), 4);
	ck_assert_uint_eq(text_fit(NGUYEN_NFD, 6), 10);

	ck_assert_uint_eq(text_fit(cjk, 1), 0);
	ck_assert_uint_eq(text_fit(cjk, 2), 3);
	ck_assert_uint_eq(text_fit(cjk, 3), 3);
	ck_assert_uint_eq(text_fit(cjk, 4), 6);

	ck_assert_uint_eq(text_fit("a\xff" "b", 2), 2);

	/* A spacing mark (Devanagari ि, one column) never goes without its letter. */
	ck_assert_int_eq(text_width("\xe0\xa4\x95\xe0\xa4\xbf"), 2);
	ck_assert_uint_eq(text_fit("\xe0\xa4\x95\xe0\xa4\xbf", 1), 0);
	ck_assert_uint_eq(text_fit("\xe0\xa4\x95\xe0\xa4\xbf", 2), 6);
}
END_TEST

/* At every width the cut is a character boundary not followed by a combining mark. */
START_TEST(test_fit_boundaries)
{
	const char	*s = "Chu\xcc\x9b\xcc\x81ng thu\xcc\x9b\xcc\xa3" "c "
			    "\xe6\xbc\xa2\xe5\xad\x97 " TIENG_VIET_NFC " " TIENG_VIET_NFD;
	size_t		 len = strlen(s), n, prev = 0;
	int		 cols;

	for (cols = 0; cols <= text_width(s) + 1; cols++) {
		char	*head;

		n = text_fit(s, cols);
		ck_assert_uint_le(n, len);
		ck_assert_uint_ge(n, prev);
		ck_assert(text_utf8_valid(s, n, NULL));
		ck_assert(n == len || (unsigned char)s[n] != 0xcc);
		head = strndup(s, n);
		ck_assert_int_le(text_width(head), cols);
		free(head);
		prev = n;
	}
	ck_assert_uint_eq(prev, len);
}
END_TEST

/* A megabyte of hostile input goes through every function and comes out well-formed. */
START_TEST(test_hostile)
{
	const size_t	 size = 1024 * 1024;
	char		*s, *out, *f1, *f2;
	uint32_t	 x = 0x2545f491;
	size_t		 i, bad;
	unsigned int	 cp;

	/* Random bytes, never NUL. */
	s = malloc(size + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		s[i] = (char)((x & 0xff) == 0 ? 'a' : (x & 0xff));
	}
	s[size] = '\0';

	(void)text_utf8_valid(s, size, &bad);
	(void)text_find_control(s, &cp);
	out = NULL;
	if (text_check(s, size, &out) != 0)
		free(out);
	out = text_nfc(s);
	free(out);
	out = text_clean(s);
	ck_assert(valid_string(out));
	free(out);
	out = text_sanitise(s);
	ck_assert(valid_string(out));
	ck_assert_int_eq(text_find_control(out, NULL), -1);
	free(out);
	f1 = text_fold(s);
	ck_assert(valid_string(f1));
	(void)text_fold_match(f1, f1);
	(void)text_width(s);
	ck_assert_uint_le(text_fit(s, 1000), size);

	/* One letter followed by a megabyte of combining marks. */
	s[0] = 'e';
	for (i = 1; i + 2 <= size; i += 2)
		memcpy(s + i, "\xcc\x81", 2);
	s[i] = '\0';
	out = text_nfc(s);
	ck_assert_ptr_nonnull(out);
	free(out);
	out = text_clean(s);
	free(out);
	f2 = text_fold(s);
	ck_assert_str_eq(f2, "e");
	free(f2);
	ck_assert_int_eq(text_width(s), 1);
	ck_assert_uint_eq(text_fit(s, 1), strlen(s));

	/* Many words on both sides, every query word present. */
	for (i = 0; i + 2 <= size; i += 2)
		memcpy(s + i, i % 6 == 0 ? "a " : "b ", 2);
	s[i] = '\0';
	ck_assert(text_fold_match(s, s));
	ck_assert(!text_fold_match(s, "a b c"));
	free(f1);

	/* Many distinct words sharing a long prefix. */
	for (i = 0; i + 8 <= size; i += 8) {
		memcpy(s + i, "xxxx    ", 8);
		s[i + 4] = (char)('a' + (i / 8) % 26);
		s[i + 5] = (char)('a' + (i / 208) % 26);
		s[i + 6] = (char)('a' + (i / 5408) % 26);
	}
	s[i] = '\0';
	ck_assert(text_fold_match(s, s));
	free(s);
}
END_TEST

/* Gather the text tests into one suite. */
static Suite *
text_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("text");
	tc = tcase_create("core");
	tcase_add_test(tc, test_literals);
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_utf8_invalid);
	tcase_add_test(tc, test_find_control);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_nfc);
	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_sanitise);
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_fold_decomposed);
	tcase_add_test(tc, test_fold_match);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_fit);
	tcase_add_test(tc, test_fit_boundaries);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hostile);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite and fail if any test fails. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(text_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
