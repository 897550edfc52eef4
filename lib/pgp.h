/* pgp.h: OpenPGP packets read without verifying anything (pgp.c): public
 * keys, a signature's issuer, a message's recipients. */
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

/* A recipient that a public-key encrypted session key packet does not
 * name (gpg --throw-keyids), or a session key sealed with a passphrase
 * (tag 3), whose reader is whoever knows it. Never a key's ID here. */
#define CF_PGP_ANYONE ((uint64_t)0)

/* The recipients of an armored OpenPGP message, in packet order: the key
 * ID of each public-key encrypted session key packet (tag 1; version 3,
 * or version 6 naming a v4 key by fingerprint, whose key ID is the
 * fingerprint's last 8 bytes, or a v6 key, its first 8), and
 * CF_PGP_ANYONE for each that names no key and for each passphrase
 * session key (tag 3). Marker packets (tag 10) are skipped. The session
 * keys must be followed by one encrypted data packet (tag 9, 18 or 20)
 * that ends the message, and no armored block may follow (text before
 * the armor is skipped, as gpg does). *out is NULL when there is no recipient; free it with free().
 * CF_EINTEGRITY, with the reason, for anything else. */
int cf_pgp_pkesk_ids(uint64_t **out, size_t *n, const char *armored,
		     size_t len);

/* 1 if the armored message has exactly one recipient (as
 * cf_pgp_pkesk_ids counts them: passphrase packets count) and it is a
 * key ID of key's parts[] whose encrypts is set: an encryption subkey,
 * or the primary if it may encrypt. 0 otherwise: no recipient, more than
 * one (even all of key's: a session key's key ID is a label nobody
 * verifies, so a second packet labelled with key's ID may still be
 * sealed to someone else), CF_PGP_ANYONE, a key ID that is not key's or
 * whose part may not encrypt (a revoked subkey, a signing key), or a
 * NULL key. It does not judge key->revoked (check reports that) nor any
 * expiry (parts[].expires, for the caller's clock). A negative CF_E*
 * code when the message cannot be read (as cf_pgp_pkesk_ids). Whether
 * key's owner can decrypt it is not checked (only GnuPG can tell). */
int cf_pgp_enc_only_for(const char *armored, size_t len,
			const struct cf_keyinfo *key);

#endif
