/* secret_meta.h: a secret in memory (struct cf_secret) and typed access
 * to its clear meta: version and times, tags, rotation settings and
 * state, validate rules, strength, binary fields and the exposure
 * record. secret.h reads and writes the file. */
#ifndef CF_SECRET_META_H
#define CF_SECRET_META_H

#include <stddef.h>

#include "secbuf.h"
#include "sops.h"
#include "yamlio.h"

#define CF_SECRET_FILE_MAX (4u << 20)
#define CF_VALUE_MAX (1u << 20)

struct cf_field {
	char *name;
	char *enc;		/* ENC[...] as in the file; NULL if new */
	struct secbuf plain;
	int dirty;		/* value changed: encrypt afresh */
};

struct cf_fields {
	struct cf_field *v;
	size_t n;
};

struct cf_secret {
	struct cf_ynode *meta;		/* validated mapping */
	struct cf_fields data;
	struct cf_fields prev;
	int has_prev;
	struct cf_sops_meta sops;
	unsigned char key[CF_DATAKEY_LEN];
	int have_key;			/* key known */
	int opened;			/* fields decrypted, MAC verified */
	int rekeyed;			/* fresh data key: all fields dirty */
};


long cf_meta_version(const struct cf_secret *s);
const char *cf_meta_str(const struct cf_secret *s, const char *key);
void cf_meta_set_str(struct cf_secret *s, const char *key, const char *val);
void cf_meta_set_int(struct cf_secret *s, const char *key, long val);
void cf_meta_unset(struct cf_secret *s, const char *key);
/* Sets or removes (val NULL) a key of meta.rotation. */
void cf_meta_set_rotation(struct cf_secret *s, const char *key,
			  const char *val);
/* Sets or removes (val NULL) a tag. */
void cf_meta_set_tag(struct cf_secret *s, const char *key, const char *val);
int cf_meta_is_binary(const struct cf_secret *s, const char *field);
void cf_meta_set_binary(struct cf_secret *s, const char *field, int on);

/* The rotation setting key ("every", "overlap", "generator", "hook")
 * the secret itself sets, or NULL. */
const char *cf_meta_rotation(const struct cf_secret *s, const char *key);
/* The step of a rotation under way, or NULL when none is. */
const char *cf_meta_rotation_state(const struct cf_secret *s);
/* The secret's own validate rules, or NULL; set replaces them with a
 * copy of rules (NULL removes them). */
const struct cf_ynode *cf_meta_rules(const struct cf_secret *s);
void cf_meta_set_rules(struct cf_secret *s, const struct cf_ynode *rules);
/* The strength recorded at the last value change: 1 and *bits, or 0. */
int cf_meta_strength(const struct cf_secret *s, double *bits);
void cf_meta_set_strength(struct cf_secret *s, double bits);
/* A tag's value, or NULL; the i-th tag (0 past the end). */
const char *cf_meta_tag(const struct cf_secret *s, const char *key);
int cf_meta_tag_at(const struct cf_secret *s, size_t i, const char **key,
		   const char **val);

/* One entry of meta.exposed: a removed reader who saw the value. */
struct cf_exposure {
	const char *principal, *fingerprint, *removed;	/* NULL if absent */
};
/* The i-th entry (0 past the end). */
int cf_meta_exposed_at(const struct cf_secret *s, size_t i,
		       struct cf_exposure *out);
/* Records that fpr (of principal who) saw the current value and is no
 * reader any more; once per fingerprint. */
void cf_meta_expose(struct cf_secret *s, const char *who, const char *fpr,
		    const char *now);

/* The whole meta as a json_t * (info --json). */
void *cf_meta_to_json(const struct cf_secret *s);
/* A field's value, base64-decoded if the field is binary. */
int cf_field_value(struct secbuf *out, const struct cf_secret *s,
		   const struct cf_field *f);

#endif
