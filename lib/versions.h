/* versions.h: old versions of a secret, read from git history (SPEC 6).
 * Each is decrypted with the data key of that old file, so a reader
 * added later cannot read what was written before they joined. */
#ifndef CF_VERSIONS_H
#define CF_VERSIONS_H

#include "session.h"

/* Reads and decrypts version want of name: the newest commit whose file
 * has that version (with settled, one no rotation was under way in).
 * CF_ENOTFOUND, or CF_EDECRYPT naming why. */
int cf_version_read(struct cf_session *s, const char *name, long want,
		    int settled, struct cf_secret *out);
/* The secret as of version ver ("previous", a number, or NULL for the
 * current one), given the opened current secret cur: *src is the secret
 * that holds it (cur, or out read from history) and *fields its section
 * with that version's values. */
int cf_version_load(struct cf_session *s, const char *name,
		    struct cf_secret *cur, const char *ver,
		    struct cf_secret *out, const struct cf_secret **src,
		    const struct cf_fields **fields);

#endif
