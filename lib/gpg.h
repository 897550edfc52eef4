/* gpg.h: OpenPGP through GPGME: initialisation, encrypting and decrypting
 * sops data keys, detached signatures, the secret keys of the keyring,
 * key import and export. */
#ifndef CF_GPG_H
#define CF_GPG_H

#include <stddef.h>

#include "buf.h"
#include "secbuf.h"

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
/* Imports armored or binary keys; with fprs, returns the fingerprints of
 * the keys it held (primary keys, upper case; free with cf_strv_free). */
int cf_gpg_import(const void *data, size_t len, char ***fprs, size_t *n);
/* Exports the public key fpr, armored and minimal. */
int cf_gpg_export(struct buf *out, const char *fpr);
/* Detached armored signature of data by a secret key. */
/* The fingerprint of the key whose good signature sig is over data (one
 * signature, a key in the keyring); CF_EINTEGRITY if there is none. */
int cf_gpg_verify(char fpr[65], const void *sig, size_t siglen,
		  const void *data, size_t len);
int cf_gpg_sign(struct buf *out, const struct cf_key *key, const void *data,
		size_t len);

#endif
