/* accept.h: what a new value must pass before set or rotate stores it
 * (SPEC 6): the validate rules and the strength the policy asks for. */
#ifndef CF_ACCEPT_H
#define CF_ACCEPT_H

#include "cli.h"

/* The effective validate rules of a secret: its own meta.validate, else
 * the first matching policy default, else NULL. */
const struct cf_ynode *effective_rules(struct ctx *ctx,
				       const struct cf_secret *s,
				       const char *name);
/* The effective rotation setting key ("every", "overlap", "generator",
 * "hook") of a secret, or NULL. */
const char *effective_rotation(struct ctx *ctx, const struct cf_secret *s,
			       const char *name, const char *key);

/* Checks val for field of secret name: the rules apply to the field
 * "value", strength (the policy's min_bits) to any field unless
 * allow_weak. gen_bits is the exact entropy of a generated value, or < 0
 * for a value a person supplied (estimated with zxcvbn). On success
 * records strength_bits in s. CF_EREJECTED naming what failed. */
int accept_value(struct ctx *ctx, struct cf_secret *s, const char *name,
		 const char *field, const struct secbuf *val,
		 double gen_bits, int allow_weak);

/* The step of a rotation under way, or NULL when none is. */
const char *rotation_state(const struct cf_secret *s);
/* CF_ECONFLICT if a rotation of s is under way (meta.rotation.state). */
int refuse_if_rotating(const struct cf_secret *s, const char *name);

#endif
