/* versions.h: references and old versions of a secret. */
#ifndef CF_VERSIONS_H
#define CF_VERSIONS_H

#include "cli.h"

/* coffer://NAME[#FIELD][@VERSION] or NAME[#FIELD][@VERSION]. */
struct ref {
	char *name;
	char *field;	/* NULL: not given */
	char *version;	/* NULL: current; a number or "previous" */
};

int ref_parse(struct ref *r, const char *s);
void ref_release(struct ref *r);

/* Reads and decrypts the secret as of version ver ("previous" or a
 * number) into out, given the opened current secret cur. *fields is set
 * to the section that holds that version's values. */
int load_version(struct ctx *ctx, const char *name, struct cf_secret *cur,
		 const char *ver, struct cf_secret *out,
		 const struct cf_secret **src, const struct cf_fields **fields);
/* Reads and decrypts version want of name from git history: the newest
 * commit whose file has that version (with settled, one no rotation was
 * under way in). CF_ENOTFOUND, or CF_EDECRYPT naming why. */
int read_version(struct ctx *ctx, const char *name, long want, int settled,
		 struct cf_secret *out);
/* CF_EEXPIRED if the secret's expiry has passed. */
int check_expiry(const struct cf_secret *s, const char *name);
/* A field's value, base64-decoded if the field is binary. */
int field_value(struct secbuf *out, const struct cf_secret *s,
		const struct cf_field *f);

#endif
