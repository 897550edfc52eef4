/* reencrypt.h: recipients follow the policy (SPEC 5.3). */
#ifndef CF_REENCRYPT_H
#define CF_REENCRYPT_H

#include "write.h"

struct cf_reenc_stats {
	size_t checked, changed, rekeyed;
	char **failed;		/* "NAME: why" of each file left as it was */
	size_t nfailed;
};

/* For each name, makes the file's recipients equal its readers under
 * the policy in force, inside the write w. Any change of the readers
 * means a fresh data key; a removed reader also an entry in
 * meta.exposed (named from old, the policy before the change, when
 * given). A file that cannot be re-encrypted (it does not open for the
 * user, or its MAC fails) is left as it is and listed in stats->failed;
 * any other failure (no readers, a reader's key missing) fails it all;
 * check then reports it as drift. The GnuPG work runs on two threads.
 * Release stats with cf_reenc_stats_release (also when this fails). */
int cf_reencrypt(struct cf_write *w, char *const *names, size_t n,
		 const struct cf_policy *old, struct cf_reenc_stats *stats);
void cf_reenc_stats_release(struct cf_reenc_stats *st);

#endif
