/* sops.h: the sops file format (specs/sops-format.md): ENC[] values,
 * the sops metadata block, crypt rules, MAC, and data keys. */
#ifndef CF_SOPS_H
#define CF_SOPS_H

#include <regex.h>
#include <stdint.h>

#include "buf.h"
#include "crypt.h"
#include "secbuf.h"
#include "yamlio.h"

#define CF_SOPS_VERSION "3.13.2"
/* the crypt rule of coffer's files: meta clear, data and previous not */
#define CF_SOPS_COFFER_RULE "^(data|previous)$"

struct cf_sops_pgp {
	char *created_at;
	char *enc;
	char *fp;
	/* The key ID of the only session-key packet in enc (its one
	 * recipient), or 0: none, several, an anonymous one, or enc not
	 * readable. Whose it is, not the fp label, says who can open enc. */
	uint64_t only;
};

/* The key ID of the only recipient of an armored message, or 0. */
uint64_t cf_sops_only_recipient(const char *enc);

enum cf_sops_rule {
	CF_RULE_UNENC_SUFFIX, CF_RULE_ENC_SUFFIX,
	CF_RULE_UNENC_REGEX, CF_RULE_ENC_REGEX,
};

struct cf_sops_meta {
	char *lastmodified;
	char *mac;		/* ENC[...] or NULL */
	char *version;
	struct cf_sops_pgp *pgp;
	size_t npgp;
	enum cf_sops_rule rule;
	char *rule_value;
	regex_t re;
	int have_re;
	int mac_only_encrypted;
};

void cf_sops_meta_release(struct cf_sops_meta *m);
/* Sets the crypt rule (compiling a regex rule). */
int cf_sops_meta_set_rule(struct cf_sops_meta *m, enum cf_sops_rule rule,
			  const char *value);
/* Reads the top-level sops mapping of a parsed file. CF_EINTEGRITY if it
 * is missing or malformed. */
int cf_sops_meta_parse(struct cf_sops_meta *m, const struct cf_ynode *sops,
		       const char *what);
/* Builds the sops mapping (keys in sops 3.13's alphabetical order). */
struct cf_ynode *cf_sops_meta_node(const struct cf_sops_meta *m);

/* Recovers the data key by decrypting the pgp entries, those whose fp is
 * in prefer first (prefer may be NULL). CF_EDECRYPT if none opens. */
int cf_sops_datakey(unsigned char key[CF_DATAKEY_LEN],
		    const struct cf_sops_meta *m, char *const *prefer,
		    size_t nprefer);

/* Whether a value at path (map keys from the root) is encrypted. */
int cf_sops_path_encrypted(const struct cf_sops_meta *m, char *const *path,
			   size_t depth);

/* ENC[AES256_GCM,...] of a value with a fresh 32-byte IV. type is one of
 * str, int, float, bool, time. */
int cf_sops_enc_value(struct buf *out, const unsigned char *key,
		      const void *pt, size_t len, const char *aad,
		      const char *type);
/* Decrypts an ENC[] string; type receives the type name (max 15). */
int cf_sops_dec_value(struct secbuf *out, char type[16],
		      const unsigned char *key, const char *enc,
		      const char *aad);

/* Decrypts a sops document (the tree without its sops key) into a new
 * plaintext tree and verifies the MAC. CF_EINTEGRITY on a bad MAC, a
 * missing MAC or a value that does not decrypt. */
int cf_sops_decrypt_tree(struct cf_ynode **out, const struct cf_ynode *doc,
			 const struct cf_sops_meta *m,
			 const unsigned char *key);
/* The MAC (128 uppercase hex) of a plaintext tree under m's rules. */
int cf_sops_mac(char out[129], const struct cf_ynode *plain,
		const struct cf_sops_meta *m);
/* Sets m->lastmodified to t and m->mac to the encrypted mac. */
int cf_sops_seal(struct cf_sops_meta *m, const unsigned char *key,
		 const char *mac_hex, const char *lastmodified);

#endif
