/* init.h: creating a store (SPEC 2): a git repository (new, or one that
 * exists), a policy that makes the initializing principal admin, its
 * public key in .coffer/keys/, and the first signed commit. */
#ifndef CF_INIT_H
#define CF_INIT_H

#include "buf.h"

struct cf_init {
	const char *dir;	/* where */
	const char *key;	/* the key's fingerprint, or NULL: the only
				 * secret key in the keyring */
	const char *name;	/* principal name, or NULL: from the key's
				 * e-mail */
	int force;		/* a non-empty directory that is no git
				 * repository is fine */
};

/* Creates the store; root, name and fpr receive where, who and which
 * key. CF_ECONFLICT for a store that exists, CF_EUSAGE for a bad name
 * or key choice, CF_EDECRYPT with no secret key. */
int cf_store_create(const struct cf_init *in, struct buf *root,
		    struct buf *name, struct buf *fpr);

#endif
