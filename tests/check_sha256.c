/* check_sha256.c: tests for SHA-256 against the FIPS 180-4 examples and the padding edges. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

/* The digest as 64 lowercase hex digits in out (65 bytes). */
static void
hex(const unsigned char md[SHA256_DIGEST_LEN], char *out)
{
	int	i;

	for (i = 0; i < SHA256_DIGEST_LEN; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
}

/* The hex digest of a string in one call. */
static void
digest_hex(const void *data, size_t len, char *out)
{
	unsigned char	md[SHA256_DIGEST_LEN];

	sha256_digest(data, len, md);
	hex(md, out);
}

/* "abc", one block (FIPS 180-4 example). */
START_TEST(test_abc)
{
	char	out[65];

	digest_hex("abc", 3, out);
	ck_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

/* The empty message. */
START_TEST(test_empty)
{
	char	out[65];

	digest_hex("", 0, out);
	ck_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

/* The 448-bit message: its padding needs a second block (FIPS 180-4 example). */
START_TEST(test_two_blocks)
{
	const char	*m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char		 out[65];

	digest_hex(m, strlen(m), out);
	ck_assert_str_eq(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

/* The 896-bit message. */
START_TEST(test_896_bits)
{
	const char	*m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char		 out[65];

	ck_assert_uint_eq(strlen(m), 112);
	digest_hex(m, strlen(m), out);
	ck_assert_str_eq(out, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}
END_TEST

/* One million 'a', fed in uneven pieces that straddle block boundaries. */
START_TEST(test_million_a)
{
	static const size_t	 pieces[] = { 1, 63, 64, 65, 127, 1000, 3 };
	struct sha256		 ctx;
	unsigned char		 md[SHA256_DIGEST_LEN], *a;
	char			 out[65];
	size_t			 done = 0, n, i = 0;

	a = malloc(1000000);
	ck_assert_ptr_nonnull(a);
	memset(a, 'a', 1000000);
	sha256_init(&ctx);
	while (done < 1000000) {
		n = pieces[i++ % (sizeof pieces / sizeof pieces[0])];
		if (n > 1000000 - done)
			n = 1000000 - done;
		sha256_update(&ctx, a + done, n);
		done += n;
	}
	sha256_final(&ctx, md);
	hex(md, out);
	ck_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	digest_hex(a, 1000000, out);
	ck_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}
END_TEST

/* Lengths around the padding's edges (55, 56, 63, 64, 65, 119, 120 bytes), one call and byte by byte. */
START_TEST(test_padding_edges)
{
	static const struct {
		size_t		 len;
		const char	*hex;
	} cases[] = {
		{ 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
		{ 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
		{ 63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
		{ 64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
		{ 65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
		{ 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
		{ 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
	};
	unsigned char	 m[128], md[SHA256_DIGEST_LEN];
	struct sha256	 ctx;
	char		 out[65];
	size_t		 i, j;

	/* The message of length n is the bytes (7i + 3) mod 256. */
	for (i = 0; i < sizeof m; i++)
		m[i] = (unsigned char)((i * 7 + 3) & 0xff);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		digest_hex(m, cases[i].len, out);
		ck_assert_msg(strcmp(out, cases[i].hex) == 0, "length %zu: %s", cases[i].len, out);
		sha256_init(&ctx);
		for (j = 0; j < cases[i].len; j++)
			sha256_update(&ctx, m + j, 1);
		sha256_update(&ctx, m, 0);
		sha256_final(&ctx, md);
		hex(md, out);
		ck_assert_msg(strcmp(out, cases[i].hex) == 0, "length %zu byte by byte: %s",
		    cases[i].len, out);
	}
}
END_TEST

/* The suite. */
static Suite *
sha256_suite(void)
{
	Suite	*s = suite_create("sha256");
	TCase	*tc = tcase_create("fips180-4");

	tcase_add_test(tc, test_abc);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_two_blocks);
	tcase_add_test(tc, test_896_bits);
	tcase_add_test(tc, test_million_a);
	tcase_add_test(tc, test_padding_edges);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; non-zero if a test failed. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(sha256_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
