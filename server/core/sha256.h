/* sha256.h: SHA-256 (FIPS 180-4), self-contained, for the catalog's procedure versions. */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32	/* bytes of a digest */
#define SHA256_BLOCK_LEN	64	/* bytes of a message block */

/* A digest being computed: feed it with sha256_update, end it with sha256_final. */
struct sha256 {
	uint32_t	h[8];			/* the hash value so far */
	uint64_t	len;			/* bytes fed in */
	unsigned char	buf[SHA256_BLOCK_LEN];	/* a block not yet full */
	size_t		nbuf;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char [SHA256_DIGEST_LEN]);
void	sha256_digest(const void *, size_t, unsigned char [SHA256_DIGEST_LEN]);

#endif
