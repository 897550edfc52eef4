/* reencrypt.h: recipients follow the policy (SPEC 5.3). */
#ifndef CF_REENCRYPT_H
#define CF_REENCRYPT_H

#include "write.h"

struct cf_reenc_stats {
	size_t checked, changed, rekeyed;
};

/* For each name, makes the file's recipients equal its readers under
 * the policy in force, inside the write w. A removed reader means a
 * fresh data key and an entry in meta.exposed (named from old, the
 * policy before the change, when given); added readers only get a copy
 * of the data key. The GnuPG work runs on two threads. */
int cf_reencrypt(struct cf_write *w, char *const *names, size_t n,
		 const struct cf_policy *old, struct cf_reenc_stats *stats);

#endif
