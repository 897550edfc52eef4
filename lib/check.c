/* check.c: the health report: per secret from its status, the stray
 * files a listing leaves out, and the principals' keys. */
#include "common.h"

#include <dirent.h>
#include <sys/stat.h>

#include "check.h"
#include "fsutil.h"
#include "pgp.h"
#include "status.h"
#include "timeutil.h"

#define KEY_FILE_MAX (1u << 20)

struct job {
	struct cf_report *r;
	const struct cf_policy *policy;
	const struct cf_pubkeys *keys;
};

/* The findings for one secret, s or (if it cannot be read) ret, err;
 * they are sorted before they are shown. */
static void check_one(size_t i, const char *name, const struct cf_secret *s,
		      int ret, const char *err, void *arg)
{
	struct job *j = arg;
	struct cf_report *r = j->r;
	struct cf_status st;
	struct cf_exposure x;
	struct buf d = BUF_INIT;

	(void)i;
	if (!s) {
		cf_report_add(r, 1, ret == CF_ENOTFOUND ? "missing" : "malformed", name,
		    err);
		return;
	}
	cf_status_of(&st, j->policy, j->keys, s, name);
	if (st.expiry == CF_EXPIRY_EXPIRED)
		cf_report_add(r, 1, "expired", name, st.expires);
	else if (st.expiry == CF_EXPIRY_EXPIRING)
		cf_report_add(r, 0, "expiring", name, st.expires);
	if (st.rotation == CF_ROTATION_OVERDUE)
		cf_report_add(r, 1, "rotation-overdue", name, st.updated);
	else if (st.rotation == CF_ROTATION_DUE)
		cf_report_add(r, 0, "rotation-due", name, st.updated);
	/* exposed: removed readers who saw the value (meta.exposed), and
	 * recipients who are no readers: they can read it now, e.g. a
	 * file a revocation could not re-encrypt */
	for (size_t k = 0; cf_meta_exposed_at(s, k, &x); k++)
		buf_addf(&d, "%s%s", d.len ? "," : "",
			 x.principal ? x.principal : "?");
	for (size_t k = 0; k < st.noutsiders; k++) {
		const struct cf_principal *p =
			cf_policy_principal_by_fpr(j->policy, st.outsiders[k]);

		buf_addf(&d, "%s%s (still a recipient)", d.len ? "," : "",
			 p ? p->name : st.outsiders[k]);
	}
	if (d.len)
		cf_report_add(r, 1, "exposed", name, d.ptr);
	if (st.drift)
		cf_report_add(r, 1, "drift", name, "recipients differ from the policy readers");
	if (st.weak)
		cf_report_add(r, 1, "weak", name, cf_meta_str(s, "strength_bits"));
	if (st.previous_stale)
		cf_report_add(r, 0, "previous-kept", name, st.previous_until);
	buf_release(&d);
	cf_status_release(&st);
}

static void unreadable(const char *path, const char *why, void *arg)
{
	cf_report_add(arg, 0, "key-unreadable", path, why);
}

/* Each principal's keys as .coffer/keys holds them (what other clones
 * encrypt to), read without GnuPG: their signatures are not verified,
 * which a report can live with; GnuPG decides when it encrypts. */
static void check_keys(struct cf_report *r, const struct cf_store *st,
		       const struct cf_pubkeys *pub)
{
	const struct cf_policy *p = &st->policy;
	const struct cf_keyinfo *keys = pub->v;
	struct buf d = BUF_INIT;
	size_t nkeys = pub->n;
	int64_t now = cf_date_now();

	for (size_t i = 0; i < p->nprincipals; i++) {
		const struct cf_principal *pr = &p->principals[i];

		for (size_t k = 0; k < pr->nkeys; k++) {
			const struct cf_keyinfo *ki =
				cf_keyinfo_find(keys, nkeys, pr->keys[k]);
			char when[CF_TIME_LEN] = "";

			if (ki && ki->expires)
				cf_time_format(when, ki->expires);
			buf_reset(&d);
			if (!ki) {
				buf_addf(&d, "%s is not in .coffer/keys", pr->keys[k]);
				cf_report_add(r, 0, "key-missing", pr->name, d.ptr);
			} else if (ki->revoked) {
				cf_report_add(r, 1, "key-revoked", pr->name, pr->keys[k]);
			} else if (!ki->can_encrypt) {
				buf_addf(&d, "%s cannot encrypt", pr->keys[k]);
				cf_report_add(r, 1, "key-unusable", pr->name, d.ptr);
			} else if (ki->expires && ki->expires <= now) {
				buf_addf(&d, "%s expired %s", pr->keys[k], when);
				cf_report_add(r, 1, "key-expired", pr->name, d.ptr);
			} else if (ki->expires && ki->expires - now <= CF_EXPIRY_WARN) {
				buf_addf(&d, "%s expires %s", pr->keys[k], when);
				cf_report_add(r, 0, "key-expiring", pr->name, d.ptr);
			}
		}
	}
	buf_release(&d);
}

/* The whole store: what the listing leaves out, the principals' keys
 * and every secret. */
int cf_check_store(struct cf_report *r, const struct cf_store *st,
		   size_t *n)
{
	struct cf_stray *strays = NULL;
	struct cf_pubkeys keys;
	struct job j = { r, &st->policy, &keys };
	char **names = NULL;
	size_t nstrays = 0;
	int ret;

	if ((ret = cf_store_list_strays(st, &names, n, &strays, &nstrays)) < 0)
		return ret;
	for (size_t i = 0; i < nstrays; i++)
		cf_report_add(r, 1, strays[i].kind, strays[i].path, strays[i].why);
	cf_pubkeys_read(&keys, st->root, unreadable, r);
	check_keys(r, st, &keys);
	cf_each_listed(st, names, *n, 1, check_one, &j);
	cf_pubkeys_release(&keys);
	cf_strv_free(names, *n);
	cf_strays_free(strays, nstrays);
	return 0;
}

int cf_check_names(struct cf_report *r, const struct cf_store *st,
		   char *const *names, size_t n)
{
	struct cf_pubkeys keys;
	struct job j = { r, &st->policy, &keys };
	int ret;

	for (size_t i = 0; i < n; i++)
		if ((ret = cf_name_check(names[i])) < 0)
			return ret;
	cf_pubkeys_read(&keys, st->root, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		struct cf_secret s;

		ret = cf_store_read_secret(&s, st, names[i]);
		check_one(i, names[i], ret < 0 ? NULL : &s, ret,
			  cf_error_last(), &j);
		cf_secret_release(&s);
	}
	cf_pubkeys_release(&keys);
	return 0;
}

static int has_advisory(const struct cf_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].type, "ip_range") ||
		    !strcmp(c[i].type, "time_window"))
			return 1;
	return 0;
}

int cf_policy_lint(struct cf_report *r, const char *text, size_t len,
		   const char *what, const char *root)
{
	struct cf_policy p;
	struct buf at = BUF_INIT, d = BUF_INIT, path = BUF_INIT;
	struct stat sb;
	int ret;

	if ((ret = cf_policy_parse(&p, text, len, what)) < 0)
		goto out;
	for (size_t i = 0; i < p.nblocks; i++) {
		const struct cf_block *b = &p.blocks[i];

		for (size_t k = 0; k < b->nstmts; k++) {
			const struct cf_stmt *s = &b->stmts[k];

			if (s->deny || !(s->actions & CF_ACT_READ) ||
			    (!has_advisory(b->conds, b->nconds) &&
			     !has_advisory(s->conds, s->nconds)))
				continue;
			buf_reset(&at);
			buf_addf(&at, "%s:%d", what, s->line);
			cf_report_add(r, 0, "advisory-read", at.ptr,
				"read allowed under ip_range/time_window: readers still get the data key, so this is advisory");
		}
	}
	for (size_t i = 0; root && i < p.nprincipals; i++) {
		const char *name = p.principals[i].name;

		buf_reset(&path);
		buf_addf(&path, "%s/.coffer/keys/%s.asc", root, name);
		if (stat(path.ptr, &sb) == 0)
			continue;
		buf_reset(&at);
		buf_addf(&at, "%s:%d", what, p.principals[i].line);
		buf_reset(&d);
		buf_addf(&d, "no .coffer/keys/%s.asc: other clones cannot encrypt to %s",
			 name, name);
		cf_report_add(r, 0, "key-file-missing", at.ptr, d.ptr);
	}
out:
	cf_policy_release(&p);
	buf_release(&at);
	buf_release(&d);
	buf_release(&path);
	return ret;
}
