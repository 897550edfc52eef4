/* status.h: what list --long and info say about a secret, from its clear
 * meta and recipient list only (no GnuPG). */
#ifndef CF_STATUS_H
#define CF_STATUS_H

#include "cli.h"

#define EXPIRY_WARN (30 * 86400)	/* expiring: within 30 days */
#define ROTATION_WARN (14 * 86400)	/* rotation due: within 14 days */

struct status {
	long version;
	const char *updated, *updated_by, *expires, *description;
	const char *rotation;	/* "-", "ok", "due", "overdue" */
	const char *expiry;	/* "-", "ok", "expiring", "expired" */
	size_t nreaders;
	const struct cf_principal **readers;
	size_t nrecipients;
	const char **recipients;
	int drift;		/* recipients differ from policy readers */
	int weak;		/* strength_bits below the policy's min_bits */
	const struct cf_ynode *exposed;	/* meta.exposed, or NULL */
	const char *previous_until;
	int previous_stale;	/* previous kept past previous_until */
};

void status_of(struct status *st, struct ctx *ctx, const struct cf_secret *s,
	       const char *name);
void status_release(struct status *st);
/* The line list --long shows for a secret, into out. */
void status_line(struct buf *out, const struct status *st, const char *name);
/* A json_t * object. */
void *status_json(const struct status *st, const char *name);

/* Calls fn for each of names[0..n) (from cf_store_list) with its index,
 * the secret's meta, previous flag and recipients (through the meta
 * cache, see lib/metacache.c), or with NULL, the error code and its
 * message. The files are read on every CPU and fn runs on several
 * threads at once, in no set order: it may touch only what belongs to
 * index i, or lock. whole: names is the whole store, so the cache may
 * be written. */
typedef void each_fn(struct ctx *ctx, size_t i, const char *name,
		     const struct cf_secret *s, int ret, const char *err,
		     void *arg);
void for_each_listed(struct ctx *ctx, char *const *names, size_t n,
		     int whole, each_fn *fn, void *arg);

#endif
