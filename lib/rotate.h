/* rotate.h: the rotation state machine (SPEC 6). Without a hook a
 * rotation is one commit. With one, the new value is committed as
 * pending (meta.rotation.state), the hook's set and test steps run, and
 * a finishing commit ends it; a failing step runs rollback and restores
 * the old value. resume and abort finish or undo a rotation that was
 * interrupted. What happens is told through callbacks; nothing prints. */
#ifndef CF_ROTATE_H
#define CF_ROTATE_H

#include <stdint.h>

#include "session.h"

#define CF_OVERLAP_DEFAULT "1h"

enum cf_rotate_mode {
	CF_ROTATE_BEGIN,	/* a new value */
	CF_ROTATE_RESUME,	/* go on from the step recorded */
	CF_ROTATE_ABORT,	/* roll back to the value before */
};

struct cf_rotate_opts {
	const char *gen;		/* generator, else the secret's, the
					 * policy's, CF_GEN_DEFAULT */
	const char *overlap;		/* else the secret's, the policy's,
					 * CF_OVERLAP_DEFAULT */
	const char *msg;		/* commit text */
	const struct secbuf *val;	/* a value given, or NULL */
	int allow_weak;
	int64_t timeout;		/* of each hook step, seconds */
	/* A secret reached status ("rotated", "rolled back", "aborted")
	 * at version; detail may be NULL. */
	void (*report)(const char *name, const char *status, long version,
		       const char *detail, void *arg);
	/* A hook step's output, masked. */
	void (*output)(const char *step, const struct secbuf *out,
		       void *arg);
	void *arg;
};

/* Rotates one secret, under the store lock, as mode says. */
int cf_rotate(struct cf_session *s, const char *name,
	      enum cf_rotate_mode mode, const struct cf_rotate_opts *o);
/* What cf_rotate would do (generator, overlap, hook and whether it is
 * trusted, a rotation under way) into detail; *version is the version
 * it would make. No lock, no GnuPG. */
int cf_rotate_describe(struct cf_session *s, const char *name,
		       const struct cf_rotate_opts *o, struct buf *detail,
		       long *version);
/* Names whose rotation is overdue (meta only, no GnuPG). */
int cf_rotate_due(struct cf_session *s, char ***out, size_t *n);

#endif
