/* status.c: a secret's status from meta and recipients, and the walk
 * over every listed secret that list --long, check and rotate --due
 * share. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "effective.h"
#include "metacache.h"
#include "status.h"
#include "timeutil.h"

const char *cf_rotation_status_name(enum cf_rotation_status r)
{
	static const char *const names[] = {
		[CF_ROTATION_NONE] = "-", [CF_ROTATION_OK] = "ok",
		[CF_ROTATION_DUE] = "due", [CF_ROTATION_OVERDUE] = "overdue",
	};

	return names[r];
}

const char *cf_expiry_status_name(enum cf_expiry_status e)
{
	static const char *const names[] = {
		[CF_EXPIRY_NONE] = "-", [CF_EXPIRY_OK] = "ok",
		[CF_EXPIRY_EXPIRING] = "expiring",
		[CF_EXPIRY_EXPIRED] = "expired",
	};

	return names[e];
}

static int is_drift(const struct cf_status *st, const struct cf_secret *s,
		    const struct cf_pubkeys *keys)
{
	char **want;
	size_t nwant = 0;
	int drift;

	for (size_t i = 0; i < st->nreaders; i++)
		nwant += st->readers[i]->nkeys;
	want = xcalloc(nwant + 1, sizeof(*want));
	nwant = 0;
	for (size_t i = 0; i < st->nreaders; i++)
		for (size_t k = 0; k < st->readers[i]->nkeys; k++)
			want[nwant++] = st->readers[i]->keys[k];
	drift = !cf_secret_recipients_are(s, want, nwant, keys);
	free(want);
	return drift;
}

void cf_status_of(struct cf_status *out, const struct cf_policy *p,
		  const struct cf_pubkeys *keys, const struct cf_secret *s,
		  const char *name)
{
	const char *every = cf_effective_rotation(p, s, name, "every");
	struct cf_exposure x;
	double bits, min;
	int64_t now = cf_date_now(), t, d;

	memset(out, 0, sizeof(*out));
	out->version = cf_meta_version(s);
	out->updated = cf_meta_str(s, "updated");
	if (!out->updated)
		out->updated = cf_meta_str(s, "created");
	out->updated_by = cf_meta_str(s, "updated_by");
	out->expires = cf_meta_str(s, "expires");
	out->description = cf_meta_str(s, "description");
	if (out->expires && cf_time_parse(&t, out->expires) == 0)
		out->expiry = t <= now ? CF_EXPIRY_EXPIRED :
			      t - now <= CF_EXPIRY_WARN ? CF_EXPIRY_EXPIRING :
			      CF_EXPIRY_OK;
	if (cf_policy_min_bits(p, name, &min) && cf_meta_strength(s, &bits)) {
		out->weak = bits < min;
		out->strength = bits;
	}
	while (cf_meta_exposed_at(s, out->nexposed, &x))
		out->nexposed++;
	out->previous_until = cf_meta_str(s, "previous_until");
	if (s->has_prev && out->previous_until &&
	    cf_time_parse(&t, out->previous_until) == 0 && t < now)
		out->previous_stale = 1;
	if (every && out->updated && cf_duration_parse(&d, every) == 0 &&
	    cf_time_parse(&t, out->updated) == 0)
		out->rotation = t + d <= now ? CF_ROTATION_OVERDUE :
				t + d - now <= CF_ROTATION_WARN ?
				CF_ROTATION_DUE : CF_ROTATION_OK;
	out->nreaders = cf_policy_readers(p, name, cf_now(), &out->readers);
	out->nrecipients = cf_secret_recipients(s, &out->recipients);
	out->drift = is_drift(out, s, keys);
	out->outsiders = xcalloc(out->nrecipients + 1, sizeof(*out->outsiders));
	for (size_t i = 0; i < out->nrecipients; i++) {
		int reader = 0;

		for (size_t r = 0; r < out->nreaders && !reader; r++)
			reader = cf_fprs_has(out->readers[r]->keys,
					     out->readers[r]->nkeys,
					     out->recipients[i]);
		if (!reader)
			out->outsiders[out->noutsiders++] = out->recipients[i];
	}
}

void cf_status_release(struct cf_status *st)
{
	free(st->readers);
	free(st->recipients);
	free(st->outsiders);
	memset(st, 0, sizeof(*st));
}

struct each {
	char *const *names;
	cf_listed_fn *fn;
	void *arg;
};

static void each_one(size_t i, const struct cf_secret *s, int ret,
		     const char *err, void *arg)
{
	struct each *e = arg;

	e->fn(i, e->names[i], s, ret, err, e->arg);
}

void cf_each_listed(const struct cf_store *st, char *const *names, size_t n,
		    int whole, cf_listed_fn *fn, void *arg)
{
	struct each e = { names, fn, arg };
	struct cf_metacache *c = cf_metacache_open(st, names, n);

	cf_metacache_each(c, each_one, &e);
	cf_metacache_close(c, whole);
}
