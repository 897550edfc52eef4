/* pgp.h: OpenPGP packets read without verifying anything (pgp.c). */
#ifndef CF_PGP_H
#define CF_PGP_H

#include <stddef.h>
#include <stdint.h>

/* The issuer fingerprint (upper-case hex) that an armored OpenPGP
 * signature names, unverified; -1 and "" when it names none. */
int cf_pgp_sig_issuer(char out[65], const char *armored, size_t len);

/* One key packet of a public key: the primary or a subkey. */
struct cf_keypart {
	uint64_t keyid;		/* the last 8 bytes of its fingerprint */
	int encrypts;	/* its newest self-signature or binding gives key
			 * flag 0x04 or 0x08 (with none, its algorithm
			 * can encrypt), and no signature of the primary
			 * revokes it */
	int64_t expires;	/* 0 never; a subkey's is bounded by the
				 * primary's. Not judged here: compare with
				 * the clock of the caller */
};

/* What a public key says of itself, its signatures unverified. */
struct cf_keyinfo {
	char **fprs;		/* primary, then subkeys; upper case */
	struct cf_keypart *parts;	/* parts[i] is the key fprs[i] names */
	size_t nfprs;
	int revoked;
	int can_encrypt;	/* has an encryption key not revoked */
	int64_t expires;	/* when the last of those expires; 0 never */
};

/* The version 4 keys in armored data (several blocks may follow one
 * another; keys of other versions are left out). CF_EINTEGRITY if it
 * is not armored OpenPGP. */
int cf_pgp_keys(struct cf_keyinfo **out, size_t *n, const char *data,
		size_t len);
void cf_keyinfo_free(struct cf_keyinfo *v, size_t n);
/* The key with fpr as its primary or a subkey's fingerprint. */
const struct cf_keyinfo *cf_keyinfo_find(const struct cf_keyinfo *v,
					 size_t n, const char *fpr);

#endif
