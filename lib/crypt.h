/* crypt.h: symmetric crypto and hashing (libgcrypt: AES-256-GCM, SHA-512,
 * SHA-256) and randomness (getrandom). */
#ifndef CF_CRYPT_H
#define CF_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "secbuf.h"

/* For now, so that the files that used to get GPGME and the encoders from
 * here still compile: each should include what it uses, then these two
 * lines go. crypt.c and encode.c need nothing from gpg.h. */
#include "encode.h"
#include "gpg.h"

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

/* SHA-256 of data as 64 lower-case hex digits and a NUL. */
void cf_sha256_hex(char out[65], const void *data, size_t len);

#endif
