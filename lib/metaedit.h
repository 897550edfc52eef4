/* metaedit.h: a change to a secret's metadata, as set and meta take it
 * from their options: description, tags, expiry, rotation settings and
 * validate rules. */
#ifndef CF_METAEDIT_H
#define CF_METAEDIT_H

#include "secret.h"

struct cf_meta_edit {
	const char *description;
	char **tag_keys, **tag_vals;	/* tag_vals[i] NULL: remove */
	size_t ntags;
	const char *expires, *ttl, *rotate_every, *generator, *hook;
	struct cf_ynode *validate;	/* parsed --validate RULES */
	int no_expiry;
};

void cf_meta_edit_init(struct cf_meta_edit *m);
void cf_meta_edit_release(struct cf_meta_edit *m);
/* Adds K=V (set) or, with remove, K (unset). */
int cf_meta_edit_tag(struct cf_meta_edit *m, const char *kv);
int cf_meta_edit_untag(struct cf_meta_edit *m, const char *k);
/* Parses --validate RULES (CF_EUSAGE if bad). */
int cf_meta_edit_validate(struct cf_meta_edit *m, const char *rules);
/* Validates times, durations and the generator (CF_EUSAGE). */
int cf_meta_edit_check(const struct cf_meta_edit *m);
/* Whether any option was given. */
int cf_meta_edit_any(const struct cf_meta_edit *m);
void cf_meta_edit_apply(const struct cf_meta_edit *m, struct cf_secret *s);

#endif
