/* metacache.h: what list --long and check need of each secret file
 * (meta, previous or not, recipients), kept between runs in
 * .git/coffer-meta.cache and used while the file's stat data is
 * unchanged. */
#ifndef CF_METACACHE_H
#define CF_METACACHE_H

#include <stddef.h>

#include "store.h"

struct cf_metacache;

/* A cache for names[0..n) (sorted, from cf_store_list), loaded from the
 * store's cache file. Never fails: a missing, stale or damaged file
 * gives an empty cache. names must outlive it. */
struct cf_metacache *cf_metacache_open(const struct cf_store *st,
				       char *const *names, size_t n);
/* Reads names[i]: from the cache if the file is unchanged, then out has
 * meta, has_prev and the recipients' fingerprints and nothing else;
 * else as cf_store_read_listed, remembering the result. Safe to call
 * from several threads for different i. */
int cf_metacache_read(struct cf_metacache *c, struct cf_secret *out,
		      size_t i);
/* cf_metacache_read of each name on every CPU, then fn with
 * the index, the secret (NULL if it could not be read, then ret and
 * err say why), arg. fn runs on several threads at once, in no set
 * order: it may touch only what belongs to its index, or lock. */
typedef void cf_each_fn(size_t i, const struct cf_secret *s, int ret,
			const char *err, void *arg);
void cf_metacache_each(struct cf_metacache *c, cf_each_fn *fn, void *arg);
/* Writes the cache file if save and anything changed (names were read
 * afresh, or some are gone), and frees c. A failure to write is not
 * an error: the next run reads the files again. */
void cf_metacache_close(struct cf_metacache *c, int save);

#endif
