/* metaopts.h: the metadata options that set and meta share. */
#ifndef CF_METAOPTS_H
#define CF_METAOPTS_H

#include "../lib/secret.h"

struct meta_opts {
	const char *description;
	char **tag_keys, **tag_vals;	/* tag_vals[i] NULL: remove */
	size_t ntags;
	const char *expires, *ttl, *rotate_every, *generator, *hook;
	struct cf_ynode *validate;	/* parsed --validate RULES */
	int no_expiry;
};

void meta_opts_init(struct meta_opts *m);
void meta_opts_release(struct meta_opts *m);
/* Adds K=V (set) or, with remove, K (unset). */
int meta_opts_tag(struct meta_opts *m, const char *kv);
int meta_opts_untag(struct meta_opts *m, const char *k);
/* Parses --validate RULES (CF_EUSAGE if bad). */
int meta_opts_validate(struct meta_opts *m, const char *rules);
/* Validates times, durations and the generator (CF_EUSAGE). */
int meta_opts_check(const struct meta_opts *m);
/* Whether any option was given. */
int meta_opts_any(const struct meta_opts *m);
void meta_opts_apply(const struct meta_opts *m, struct cf_secret *s);

#endif
