/* accept.c: validate rules and strength for new values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/rules.h"
#include "accept.h"

const struct cf_ynode *effective_rules(struct ctx *ctx,
				       const struct cf_secret *s,
				       const char *name)
{
	const struct cf_ynode *own = cf_ymap_get(s->meta, "validate");

	return own ? own : cf_policy_default(&ctx->st.policy, name, "validate");
}

const char *effective_rotation(struct ctx *ctx, const struct cf_secret *s,
			       const char *name, const char *key)
{
	const struct cf_ynode *v = cf_ymap_get(cf_ymap_get(s->meta, "rotation"),
					       key);

	if (!v)
		v = cf_ymap_get(cf_policy_default(&ctx->st.policy, name,
						  "rotation"), key);
	return v && v->kind == CF_Y_SCALAR ? v->str : NULL;
}

int accept_value(struct ctx *ctx, struct cf_secret *s, const char *name,
		 const char *field, const struct secbuf *val,
		 double gen_bits, int allow_weak)
{
	double bits, min;
	char b[32];
	int ret;

	if (!strcmp(field, "value") &&
	    (ret = cf_rules_check(effective_rules(ctx, s, name), val->ptr,
				  val->len)) < 0)
		return cf_error_set(CF_EREJECTED, "'%s': %s", name,
				    cf_error_last());
	bits = gen_bits >= 0 ? gen_bits : cf_strength_estimate(val->ptr, val->len);
	if (cf_policy_min_bits(&ctx->st.policy, name, &min) && bits < min &&
	    !allow_weak)
		return cf_error_set(CF_EREJECTED,
			"'%s': value is too weak: about %.1f bits, the policy asks for %g (--allow-weak stores it anyway)",
			name, bits, min);
	snprintf(b, sizeof(b), "%.1f", bits);
	cf_ymap_set(s->meta, "strength_bits", cf_ynode_plain(b));
	return 0;
}

const char *rotation_state(const struct cf_secret *s)
{
	const struct cf_ynode *v = cf_ymap_get(cf_ymap_get(s->meta, "rotation"),
					       "state");

	return v && v->kind == CF_Y_SCALAR && strcmp(v->str, "idle") ?
	       v->str : NULL;
}

int refuse_if_rotating(const struct cf_secret *s, const char *name)
{
	const char *state = rotation_state(s);

	if (state)
		return cf_error_set(CF_ECONFLICT,
			"a rotation of '%s' is under way (step %s): finish it with 'coffer rotate --resume %s' or undo it with 'coffer rotate --abort %s'",
			name, state, name, name);
	return 0;
}
