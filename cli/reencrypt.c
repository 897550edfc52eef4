/* reencrypt.c: recipients follow the policy (SPEC 5.3). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "reencrypt.h"

#define WORKERS 2

struct item {
	const char *name;
	struct secbuf out;
	int need, rekeyed;
	int ret;
	char msg[512];
};

struct job {
	struct ctx *ctx;
	const struct cf_policy *old;
	struct item *items;
	size_t n;
	atomic_size_t next;
	const char *now;
};

static int has(char *const *v, size_t n, const char *fp)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(v[i], fp))
			return 1;
	return 0;
}

static const char *owner(const struct job *j, const char *fp)
{
	const struct cf_principal *p = NULL;

	if (j->old)
		p = cf_policy_principal_by_fpr(j->old, fp);
	if (!p)
		p = cf_policy_principal_by_fpr(&j->ctx->st.policy, fp);
	return p ? p->name : "unknown";
}

/* Records that fp saw the current value and is no reader any more. */
static void expose(struct cf_secret *s, const char *who, const char *fp,
		   const char *now)
{
	struct cf_ynode *list = cf_ymap_get(s->meta, "exposed"), *e;

	if (!list) {
		list = cf_ynode_seq();
		cf_ymap_set(s->meta, "exposed", list);
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct cf_ynode *f = cf_ymap_get(list->items[i],
						       "fingerprint");

		if (f && !strcasecmp(f->str, fp))
			return;
	}
	e = cf_ynode_map();
	cf_ymap_set(e, "principal", cf_ynode_strz(who));
	cf_ymap_set(e, "fingerprint", cf_ynode_strz(fp));
	cf_ymap_set(e, "removed", cf_ynode_strz(now));
	cf_yseq_add(list, e);
}

static int work(struct job *j, struct item *it)
{
	const struct cf_principal *me = j->ctx->st.me;
	struct cf_secret s;
	const char **rcpt = NULL;
	char **want = NULL;
	size_t nwant = 0, nr, removed = 0;
	int ret;

	it->need = 0;
	if ((ret = cf_store_read_secret(&s, &j->ctx->st, it->name)) < 0)
		return ret;
	reader_fprs(&j->ctx->st.policy, it->name, &want, &nwant);
	nr = cf_secret_recipients(&s, &rcpt);
	it->need = !cf_secret_recipients_are(&s, want, nwant);
	if (!it->need)
		goto out;
	if ((ret = cf_secret_open(&s, me->keys, me->nkeys)) < 0) {
		if (ret == CF_EDECRYPT)
			ret = cf_error_set(CF_EDECRYPT,
				"cannot re-encrypt '%s': %s cannot decrypt it",
				it->name, me->name);
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		if (!has(want, nwant, rcpt[i]))
			expose(&s, owner(j, rcpt[i]), rcpt[i], j->now);
	if ((ret = cf_secret_set_recipients(&s, want, nwant, j->now,
					    &removed)) < 0)
		goto out;
	it->rekeyed = removed > 0;
	ret = cf_secret_serialize(&it->out, &s, j->now);
out:
	free(rcpt);
	cf_strv_free(want, nwant);
	cf_secret_release(&s);
	return ret;
}

static void run(struct job *j, struct item *it)
{
	it->ret = work(j, it);
	if (it->ret < 0)
		snprintf(it->msg, sizeof(it->msg), "%s", cf_error_last());
}

static void *worker(void *arg)
{
	struct job *j = arg;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
		run(j, &j->items[i]);
	return NULL;
}

int reencrypt(struct write *w, char **names, size_t n,
	      const struct cf_policy *old, struct reenc_stats *stats)
{
	struct ctx *ctx = w->ctx;
	struct job j;
	pthread_t th[WORKERS];
	size_t nth = 0;
	int ret = 0, imported = 0;
	char now[CF_TIME_LEN];

	memset(stats, 0, sizeof(*stats));
	if (!n)
		return 0;
	if ((ret = cf_store_whoami(&ctx->st, ctx->as)) < 0 ||
	    (ret = cf_gpg_init()) < 0)	/* once, before any thread */
		return ret;
	cf_time_format(now, cf_now());
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.old = old;
	j.n = n;
	j.now = now;
	j.items = xcalloc(n, sizeof(*j.items));
	atomic_init(&j.next, 0);
	for (size_t i = 0; i < n; i++)
		j.items[i].name = names[i];
	for (; nth < WORKERS && nth < n; nth++)
		if (pthread_create(&th[nth], NULL, worker, &j))
			break;
	worker(&j);
	for (size_t i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; i < n && ret == 0; i++) {
		struct item *it = &j.items[i];

		/* a reader's public key not in this keyring yet: the store
		 * carries them; import and redo (rare, so not threaded) */
		if (it->ret == CF_ENOTFOUND && it->need) {
			if (!imported++)
				for (size_t p = 0; p < ctx->st.policy.nprincipals; p++)
					for (size_t k = 0; k < ctx->st.policy.principals[p].nkeys; k++)
						cf_store_import_key(&ctx->st,
							ctx->st.policy.principals[p].keys[k]);
			secbuf_release(&it->out);
			run(&j, it);
		}
		if (it->ret < 0) {
			ret = cf_error_set(it->ret, "%s", it->msg);
			break;
		}
		stats->checked++;
		if (it->need) {
			struct buf path = BUF_INIT;

			buf_addf(&path, "%s.yaml", it->name);
			cf_txn_put(w->txn, path.ptr, it->out.ptr, it->out.len);
			buf_release(&path);
			stats->changed++;
			stats->rekeyed += (size_t)it->rekeyed;
		}
	}
	for (size_t i = 0; i < n; i++)
		secbuf_release(&j.items[i].out);
	free(j.items);
	return ret;
}
