/* pubkeys.h: the principals' public keys as .coffer/keys/ holds them
 * (what every clone encrypts to), read without GnuPG, and what they say
 * about a file's sops.pgp entries: whether an entry's message is sealed
 * to the key its label names and to nothing else (SPEC 3). */
#ifndef CF_PUBKEYS_H
#define CF_PUBKEYS_H

#include <stddef.h>

#include "pgp.h"
#include "sops.h"

struct cf_pubkeys {
	struct cf_keyinfo *v;
	size_t n;
};

/* Every key of every .coffer/keys/ *.asc file of the store at root. A
 * file that cannot be read is left out and, if bad is given, told to
 * it (path from the root, reason). Never fails. */
void cf_pubkeys_read(struct cf_pubkeys *out, const char *root,
		     void (*bad)(const char *path, const char *why, void *arg),
		     void *arg);
void cf_pubkeys_release(struct cf_pubkeys *k);

/* Whether entry e is in order: its message has exactly one recipient,
 * an encryption key of the key its fp label names. For a key that
 * .coffer/keys does not hold (check reports that) only the first half
 * can be judged. */
int cf_pubkeys_entry_ok(const struct cf_pubkeys *k,
			const struct cf_sops_pgp *e);

#endif
