/* effective.h: a secret's settings as they apply: its own meta where
 * set, else the first matching policy default (SPEC 5.2), and what a
 * new value must pass before set or rotate stores it (SPEC 6). */
#ifndef CF_EFFECTIVE_H
#define CF_EFFECTIVE_H

#include "policy.h"
#include "secbuf.h"
#include "secret.h"

/* The validate rules: meta.validate, else the policy default, or NULL. */
const struct cf_ynode *cf_effective_rules(const struct cf_policy *p,
					  const struct cf_secret *s,
					  const char *name);
/* A rotation setting ("every", "overlap", "generator", "hook"), or NULL. */
const char *cf_effective_rotation(const struct cf_policy *p,
				  const struct cf_secret *s, const char *name,
				  const char *key);

/* Checks val for field of secret name: the rules apply to the field
 * "value", strength (the policy's min_bits) to any field unless
 * allow_weak. gen_bits is the exact entropy of a generated value, or < 0
 * for a value a person supplied (estimated with zxcvbn). On success
 * records strength_bits in s. CF_EREJECTED naming what failed. */
int cf_accept_value(const struct cf_policy *p, struct cf_secret *s,
		    const char *name, const char *field,
		    const struct secbuf *val, double gen_bits, int allow_weak);

/* CF_ECONFLICT if a rotation of s is under way (meta.rotation.state). */
int cf_refuse_if_rotating(const struct cf_secret *s, const char *name);

/* CF_EEXPIRED if the secret's expiry has passed. */
int cf_refuse_if_expired(const struct cf_secret *s, const char *name);

#endif
