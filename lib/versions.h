/* versions.h: old versions of a secret, read from git history (SPEC 6).
 * Each is decrypted with the data key of that old file, so a reader
 * added later cannot read what was written before they joined. And a
 * secret's history: versions, operations, changed fields. */
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

/* One commit of a secret's history, as history shows it. */
struct cf_version_row {
	long version;		/* 0: removed, or not a readable secret */
	char *op;		/* what the commit says it did */
	int op_matches;		/* and whether its change fits that */
	char *fields;		/* fields whose value changed: "a,b,-c" */
	char *signer;		/* principal, else fingerprint; "-" unsigned */
};

/* The commits that changed name, newest first (*h, from the repository)
 * and a row for each (*out). CF_ENOTFOUND when there are none. Free
 * with cf_history_free and cf_version_rows_free. */
int cf_version_history(struct cf_session *s, const char *name,
		       struct cf_history_entry **h, struct cf_version_row **out,
		       size_t *n);
void cf_version_rows_free(struct cf_version_row *v, size_t n);

#endif
