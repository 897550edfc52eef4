/* crypt.h: symmetric crypto and hashing (libgcrypt), randomness
 * (getrandom) and OpenPGP (GPGME). */
#ifndef CF_CRYPT_H
#define CF_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "secbuf.h"

#define CF_DATAKEY_LEN 32
#define CF_IV_LEN 32
#define CF_TAG_LEN 16

/* Initialises libgcrypt (cheap); call once before hashing or AES. */
int cf_crypt_init(void);
/* Fills buf with len random bytes from getrandom(2). */
int cf_random(void *buf, size_t len);
/* A uniform random integer in [0, n) by rejection sampling. */
int cf_random_uniform(uint32_t *out, uint32_t n);

/* AES-256-GCM with a 32-byte IV; ct has ptlen bytes. */
int cf_aes_gcm_encrypt(unsigned char *ct, unsigned char tag[CF_TAG_LEN],
		       const unsigned char key[CF_DATAKEY_LEN],
		       const unsigned char *iv, size_t ivlen,
		       const void *aad, size_t aadlen,
		       const void *pt, size_t ptlen);
/* Decrypts into out; CF_EINTEGRITY if the tag does not verify. */
int cf_aes_gcm_decrypt(struct secbuf *out,
		       const unsigned char key[CF_DATAKEY_LEN],
		       const unsigned char *iv, size_t ivlen,
		       const void *aad, size_t aadlen,
		       const unsigned char *ct, size_t ctlen,
		       const unsigned char *tag, size_t taglen);

struct cf_sha512 { void *h; };
int cf_sha512_init(struct cf_sha512 *s);
void cf_sha512_update(struct cf_sha512 *s, const void *data, size_t len);
/* Writes 128 uppercase hex characters and a NUL, frees the state. */
void cf_sha512_final_hex(struct cf_sha512 *s, char out[129]);
void cf_sha512_release(struct cf_sha512 *s);

/* n bytes as 2n hex digits and a NUL. */
void cf_hex(char *out, const unsigned char *d, size_t n, int upper);
/* SHA-256 of data as 64 lower-case hex digits and a NUL. */
void cf_sha256_hex(char out[65], const void *data, size_t len);

/* Standard base64 with padding. */
void cf_base64_encode(struct buf *out, const void *data, size_t len);
int cf_base64_decode(struct secbuf *out, const char *s, size_t len);

/* ---- OpenPGP through GPGME ---- */

/* Initialises GPGME once, the cheap way (no gpgconf). */
int cf_gpg_init(void);
/* Decrypts an OpenPGP message into out. CF_EDECRYPT on failure. */
int cf_gpg_decrypt(struct secbuf *out, const char *msg, size_t len);
/* Encrypts data to one recipient given by full fingerprint, armored,
 * without the user's default recipients, trusting the fingerprint. */
int cf_gpg_encrypt(struct buf *out, const void *data, size_t len,
		   const char *fpr);
/* A key with a secret part in the keyring. */
struct cf_key {
	char *fpr;		/* primary fingerprint, upper case */
	char *email;		/* of the first user ID, or "" */
	void *handle;		/* gpgme_key_t, for signing */
};

struct cf_keyring {
	struct cf_key *v;
	size_t n;
};

/* Lists the usable secret keys: one gpg process. */
int cf_gpg_secret_keys(struct cf_keyring *out);
void cf_keyring_release(struct cf_keyring *k);
const struct cf_key *cf_keyring_find(const struct cf_keyring *k,
				     const char *fpr);
void cf_strv_free(char **v, size_t n);
/* Imports armored or binary keys; with fprs, returns the fingerprints of
 * the keys it held (primary keys, upper case). */
int cf_gpg_import(const void *data, size_t len, char ***fprs, size_t *n);
/* Exports the public key fpr, armored and minimal. */
int cf_gpg_export(struct buf *out, const char *fpr);
/* Detached armored signature of data by a secret key. */
int cf_gpg_sign(struct buf *out, const struct cf_key *key, const void *data,
		size_t len);

#endif
