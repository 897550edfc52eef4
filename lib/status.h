/* status.h: what list --long, info, check and rotate --due say about a
 * secret, from its clear meta and recipient list only (no GnuPG), as
 * enums; and the walk over every listed secret they share. */
#ifndef CF_STATUS_H
#define CF_STATUS_H

#include <stddef.h>

#include "policy.h"
#include "secret.h"
#include "store.h"

#define CF_EXPIRY_WARN (30 * 86400)	/* expiring: within 30 days */
#define CF_ROTATION_WARN (14 * 86400)	/* rotation due: within 14 days */

enum cf_rotation_status {
	CF_ROTATION_NONE,	/* no period set */
	CF_ROTATION_OK,
	CF_ROTATION_DUE,
	CF_ROTATION_OVERDUE,
};

enum cf_expiry_status {
	CF_EXPIRY_NONE,		/* no expiry set */
	CF_EXPIRY_OK,
	CF_EXPIRY_EXPIRING,
	CF_EXPIRY_EXPIRED,
};

/* "-", "ok", "due", "overdue" / "-", "ok", "expiring", "expired": the
 * words list --long, info and --json print. */
const char *cf_rotation_status_name(enum cf_rotation_status r);
const char *cf_expiry_status_name(enum cf_expiry_status e);

struct cf_status {
	long version;
	const char *updated, *updated_by, *expires, *description;
	enum cf_rotation_status rotation;
	enum cf_expiry_status expiry;
	size_t nreaders;
	const struct cf_principal **readers;
	size_t nrecipients;
	const char **recipients;
	int drift;		/* recipients differ from policy readers, or
				 * an entry is sealed to more or other keys */
	int weak;		/* strength_bits below the policy's min_bits */
	double strength;	/* when weak: the recorded bits */
	size_t nexposed;	/* entries of meta.exposed */
	size_t noutsiders;	/* recipients that are no reader's key: */
	const char **outsiders;	/* they can read the current value */
	const char *previous_until;
	int previous_stale;	/* previous kept past previous_until */
};

/* The status of secret s called name under policy p, now; keys (the
 * store's .coffer/keys, may be NULL) judge each recipient entry for
 * drift. Strings point into s and p. */
void cf_status_of(struct cf_status *out, const struct cf_policy *p,
		  const struct cf_pubkeys *keys, const struct cf_secret *s,
		  const char *name);
void cf_status_release(struct cf_status *st);

/* Calls fn for each of names[0..n) (from cf_store_list) with its index,
 * the secret's meta, previous flag and recipients (through the meta
 * cache, see metacache.c), or with NULL, the error code and its
 * message. The files are read on every CPU and fn runs on several
 * threads at once, in no set order: it may touch only what belongs to
 * index i, or lock. whole: names is the whole store, so the cache may
 * be written. */
typedef void cf_listed_fn(size_t i, const char *name,
			  const struct cf_secret *s, int ret, const char *err,
			  void *arg);
void cf_each_listed(const struct cf_store *st, char *const *names, size_t n,
		    int whole, cf_listed_fn *fn, void *arg);

#endif
