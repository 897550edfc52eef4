/* reencrypt.c: recipients follow the policy; the exposure record. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "error.h"
#include "parallel.h"
#include "reencrypt.h"
#include "timeutil.h"

/* GnuPG runs one process per operation, and each worker mostly waits
 * on one: three workers (this thread and two more) keep two CPUs busy;
 * measured with make bench, two were about 10% slower. */
#define WORKERS 3

struct item {
	const char *name;
	struct secbuf out;
	int need, rekeyed;
	int ret;
	char msg[512];
};

struct job {
	struct cf_session *sess;
	const struct cf_policy *old;
	struct item *items;
	const struct cf_pubkeys *keys;
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
		p = cf_policy_principal_by_fpr(&j->sess->st.policy, fp);
	return p ? p->name : "unknown";
}

static int work(struct job *j, struct item *it)
{
	const struct cf_principal *me = cf_session_me(j->sess);
	struct cf_secret s;
	const char **rcpt = NULL;
	char **want = NULL;
	size_t nwant = 0, nr;
	int ret;

	it->need = 0;
	if ((ret = cf_store_read_secret(&s, &j->sess->st, it->name)) < 0)
		return ret;
	cf_readers_fprs(&j->sess->st.policy, it->name, &want, &nwant);
	nr = cf_secret_recipients(&s, &rcpt);
	it->need = !cf_secret_recipients_are(&s, want, nwant, j->keys);
	if (!it->need)
		goto out;
	if ((ret = cf_secret_open(&s, me->keys, me->nkeys)) < 0) {
		if (ret == CF_EDECRYPT)
			ret = cf_error_set(CF_EDECRYPT, "%s cannot decrypt it",
					   me->name);
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		if (!has(want, nwant, rcpt[i]))
			cf_meta_expose(&s, owner(j, rcpt[i]), rcpt[i], j->now);
	if ((ret = cf_secret_set_recipients(&s, want, nwant, j->keys,
					    j->now)) < 0)
		goto out;
	it->rekeyed = s.rekeyed;
	ret = cf_secret_serialize(&it->out, &s, j->now);
out:
	free(rcpt);
	cf_strv_free(want, nwant);
	cf_secret_release(&s);
	return ret;
}

static void run(size_t i, void *arg)
{
	struct job *j = arg;
	struct item *it = &j->items[i];

	it->ret = work(j, it);
	if (it->ret < 0)
		snprintf(it->msg, sizeof(it->msg), "%s", cf_error_last());
}

/* Every principal's key from .coffer/keys/ into the keyring. */
static void import_all(const struct cf_store *st)
{
	for (size_t p = 0; p < st->policy.nprincipals; p++)
		for (size_t k = 0; k < st->policy.principals[p].nkeys; k++)
			cf_store_import_key(st, st->policy.principals[p].keys[k]);
}

void cf_reenc_stats_release(struct cf_reenc_stats *st)
{
	cf_strv_free(st->failed, st->nfailed);
	memset(st, 0, sizeof(*st));
}

int cf_reencrypt(struct cf_write *w, char *const *names, size_t n,
		 const struct cf_policy *old, struct cf_reenc_stats *stats)
{
	struct cf_session *s = w->sess;
	struct job j;
	int ret = 0, imported = 0;
	char now[CF_TIME_LEN];

	memset(stats, 0, sizeof(*stats));
	if (!n)
		return 0;
	if ((ret = cf_session_whoami(s)) < 0 ||
	    (ret = cf_gpg_init()) < 0)	/* once, before any thread */
		return ret;
	cf_time_format(now, cf_date_now());
	j.sess = s;
	j.keys = cf_store_pubkeys(&s->st);	/* read before the threads */
	j.old = old;
	j.now = now;
	j.items = xcalloc(n, sizeof(*j.items));
	for (size_t i = 0; i < n; i++)
		j.items[i].name = names[i];
	cf_parallel_for(n, WORKERS, run, &j);
	for (size_t i = 0; i < n; i++) {
		struct item *it = &j.items[i];

		/* a reader's public key not in this keyring yet: the store
		 * carries them; import and redo (rare, so not threaded) */
		if (it->ret == CF_ENOTFOUND && it->need) {
			if (!imported++)
				import_all(&s->st);
			secbuf_release(&it->out);
			run(i, &j);
		}
		stats->checked++;
		if (it->ret < 0 && it->ret != CF_EDECRYPT &&
		    it->ret != CF_EINTEGRITY) {
			/* the policy's fault (no readers, a reader's key
			 * missing): nothing changes */
			ret = cf_error_set(it->ret, "%s", it->msg);
			break;
		}
		if (it->ret < 0) {
			/* a file that cannot be re-encrypted (it does not
			 * open, or its MAC fails: the MAC needs the data key
			 * and every value) stays as it is and is named: one
			 * planted file must not block a revocation */
			struct buf why = BUF_INIT;

			buf_addf(&why, "%s: %s", it->name, it->msg);
			stats->failed = xrealloc(stats->failed,
				(stats->nfailed + 1) * sizeof(*stats->failed));
			stats->failed[stats->nfailed++] = buf_detach(&why);
			continue;
		}
		if (it->need) {
			struct buf path = BUF_INIT;

			buf_addf(&path, "%s.yaml", it->name);
			cf_txn_put(&w->txn, path.ptr, it->out.ptr, it->out.len);
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
