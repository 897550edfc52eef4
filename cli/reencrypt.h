/* reencrypt.h: bring secrets' recipients to their policy readers. */
#ifndef CF_REENCRYPT_H
#define CF_REENCRYPT_H

#include "cli.h"

struct reenc_stats {
	size_t checked, changed, rekeyed;
};

/* For each name, makes the file's recipients equal its readers under
 * ctx->st.policy, inside the write w. A removed reader means a fresh
 * data key and an entry in meta.exposed (named from old, the policy
 * before the change, when given); added readers only get a copy of the
 * data key. The GnuPG work runs on two threads. */
int reencrypt(struct write *w, char **names, size_t n,
	      const struct cf_policy *old, struct reenc_stats *stats);

#endif
