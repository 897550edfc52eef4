/* status.c: a secret's status from meta and recipients, and the walk
 * over every listed secret that list --long and check share. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/metacache.h"
#include "../lib/timeutil.h"
#include "status.h"

void status_of(struct status *st, struct ctx *ctx, const struct cf_secret *s,
	       const char *name)
{
	const struct cf_ynode *rot = cf_ymap_get(s->meta, "rotation");
	const struct cf_ynode *every = cf_ymap_get(rot, "every");
	const char *bits = cf_meta_str(s, "strength_bits");
	double min;
	int64_t now = cf_now(), t, d;
	char **want;
	size_t nwant = 0;

	memset(st, 0, sizeof(*st));
	st->version = cf_meta_version(s);
	st->updated = cf_meta_str(s, "updated");
	if (!st->updated)
		st->updated = cf_meta_str(s, "created");
	st->updated_by = cf_meta_str(s, "updated_by");
	st->expires = cf_meta_str(s, "expires");
	st->description = cf_meta_str(s, "description");
	st->expiry = "-";
	if (st->expires && cf_time_parse(&t, st->expires) == 0)
		st->expiry = t <= now ? "expired" :
			     t - now <= EXPIRY_WARN ? "expiring" : "ok";
	if (!every)	/* the policy default applies */
		every = cf_ymap_get(cf_policy_default(&ctx->st.policy, name,
						      "rotation"), "every");
	if (bits && cf_policy_min_bits(&ctx->st.policy, name, &min))
		st->weak = strtod(bits, NULL) < min;
	st->exposed = cf_ymap_get(s->meta, "exposed");
	st->previous_until = cf_meta_str(s, "previous_until");
	if (s->has_prev && st->previous_until &&
	    cf_time_parse(&t, st->previous_until) == 0 && t < now)
		st->previous_stale = 1;
	st->rotation = "-";
	if (every && st->updated && cf_duration_parse(&d, every->str) == 0 &&
	    cf_time_parse(&t, st->updated) == 0)
		st->rotation = t + d <= now ? "overdue" :
			       t + d - now <= ROTATION_WARN ? "due" : "ok";
	st->nreaders = cf_policy_readers(&ctx->st.policy, name, now,
					 &st->readers);
	st->nrecipients = cf_secret_recipients(s, &st->recipients);
	for (size_t i = 0; i < st->nreaders; i++)
		nwant += st->readers[i]->nkeys;
	want = xcalloc(nwant + 1, sizeof(*want));
	nwant = 0;
	for (size_t i = 0; i < st->nreaders; i++)
		for (size_t k = 0; k < st->readers[i]->nkeys; k++)
			want[nwant++] = st->readers[i]->keys[k];
	st->drift = !cf_secret_recipients_are(s, want, nwant);
	free(want);
}

void status_release(struct status *st)
{
	free(st->readers);
	free(st->recipients);
	memset(st, 0, sizeof(*st));
}

void status_line(struct buf *out, const struct status *st, const char *name)
{
	buf_addf(out, "%-40s v%-4ld %-20s rotation:%-8s expiry:%-8s readers:%zu%s\n",
		 name, st->version, st->updated ? st->updated : "-",
		 st->rotation, st->expiry, st->nreaders,
		 st->drift ? " drift" : "");
}

void *status_json(const struct status *st, const char *name)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", json_string(name));
	json_object_set_new(j, "version", json_integer(st->version));
	json_object_set_new(j, "updated", st->updated ?
			    json_string(st->updated) : json_null());
	json_object_set_new(j, "rotation", json_string(st->rotation));
	json_object_set_new(j, "expires", st->expires ?
			    json_string(st->expires) : json_null());
	json_object_set_new(j, "expiry", json_string(st->expiry));
	json_object_set_new(j, "readers", json_integer((json_int_t)st->nreaders));
	json_object_set_new(j, "drift", json_boolean(st->drift));
	return j;
}

struct each {
	struct ctx *ctx;
	char *const *names;
	each_fn *fn;
	void *arg;
};

static void each_one(size_t i, const struct cf_secret *s, int ret,
		     const char *err, void *arg)
{
	struct each *e = arg;

	e->fn(e->ctx, i, e->names[i], s, ret, err, e->arg);
}

void for_each_listed(struct ctx *ctx, char *const *names, size_t n,
		     int whole, each_fn *fn, void *arg)
{
	struct each e = { ctx, names, fn, arg };
	struct cf_metacache *c = cf_metacache_open(&ctx->st, names, n);

	cf_metacache_each(c, each_one, &e);
	cf_metacache_close(c, whole);
}
