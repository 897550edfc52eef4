/* effective.c: meta merged with the policy defaults; value acceptance. */
#include "common.h"

#include <string.h>

#include "effective.h"
#include "error.h"
#include "rules.h"
#include "timeutil.h"

const struct cf_ynode *cf_effective_rules(const struct cf_policy *p,
					  const struct cf_secret *s,
					  const char *name)
{
	const struct cf_ynode *own = cf_meta_rules(s);

	return own ? own : cf_policy_default(p, name, "validate");
}

const char *cf_effective_rotation(const struct cf_policy *p,
				  const struct cf_secret *s, const char *name,
				  const char *key)
{
	const char *own = cf_meta_rotation(s, key);
	const struct cf_ynode *v;

	if (own)
		return own;
	v = cf_ymap_get(cf_policy_default(p, name, "rotation"), key);
	return v && v->kind == CF_Y_SCALAR ? v->str : NULL;
}

int cf_accept_value(const struct cf_policy *p, struct cf_secret *s,
		    const char *name, const char *field,
		    const struct secbuf *val, double gen_bits, int allow_weak)
{
	double bits, min;

	if (!strcmp(field, "value") &&
	    cf_rules_check(cf_effective_rules(p, s, name), val->ptr,
			   val->len) < 0)
		return cf_error_set(CF_EREJECTED, "'%s': %s", name,
				    cf_error_last());
	bits = gen_bits >= 0 ? gen_bits :
	       cf_strength_estimate(val->ptr, val->len);
	if (cf_policy_min_bits(p, name, &min) && bits < min && !allow_weak)
		return cf_error_set(CF_EREJECTED,
			"'%s': value is too weak: about %.1f bits, the policy asks for %g (--allow-weak stores it anyway)",
			name, bits, min);
	cf_meta_set_strength(s, bits);
	return 0;
}

int cf_refuse_if_rotating(const struct cf_secret *s, const char *name)
{
	const char *state = cf_meta_rotation_state(s);

	if (state)
		return cf_error_set(CF_ECONFLICT,
			"a rotation of '%s' is under way (step %s): finish it with 'coffer rotate --resume %s' or undo it with 'coffer rotate --abort %s'",
			name, state, name, name);
	return 0;
}

int cf_refuse_if_expired(const struct cf_secret *s, const char *name)
{
	const char *exp = cf_meta_str(s, "expires");
	int64_t t;

	if (exp && cf_time_parse(&t, exp) == 0 && t <= cf_date_now())
		return cf_error_set(CF_EEXPIRED,
			"'%s' expired at %s (--allow-expired reads it anyway)",
			name, exp);
	return 0;
}
