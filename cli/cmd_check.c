/* cmd_check.c: coffer check [NAME...] is a health report (SPEC 7) from
 * the clear meta and recipient lists, the store's files and the
 * principals' keys: nothing is decrypted. */
#include "../lib/common.h"

#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/pgp.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"
#include "status.h"

#define KEY_FILE_MAX (1u << 20)

struct finding {
	int problem;		/* else a warning */
	const char *kind;
	char *name;
	char *detail;
};

struct report {
	struct finding *v;
	size_t n;
	pthread_mutex_t lock;	/* check_one runs on several threads */
	const struct cf_policy *policy;
};

static void add(struct report *r, int problem, const char *kind,
		const char *name, const char *detail)
{
	pthread_mutex_lock(&r->lock);
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n].problem = problem;
	r->v[r->n].kind = kind;
	r->v[r->n].name = xstrdup(name);
	r->v[r->n].detail = xstrdup(detail ? detail : "");
	r->n++;
	pthread_mutex_unlock(&r->lock);
}

/* The findings for one secret, s or (if it cannot be read) ret, err;
 * they are sorted before they are shown. */
static void check_one(size_t i, const char *name, const struct cf_secret *s,
		      int ret, const char *err, void *arg)
{
	struct report *r = arg;
	struct cf_status st;
	struct cf_exposure x;
	struct buf d = BUF_INIT;

	(void)i;
	if (!s) {
		add(r, 1, ret == CF_ENOTFOUND ? "missing" : "malformed", name,
		    err);
		return;
	}
	cf_status_of(&st, r->policy, s, name);
	if (st.expiry == CF_EXPIRY_EXPIRED)
		add(r, 1, "expired", name, st.expires);
	else if (st.expiry == CF_EXPIRY_EXPIRING)
		add(r, 0, "expiring", name, st.expires);
	if (st.rotation == CF_ROTATION_OVERDUE)
		add(r, 1, "rotation-overdue", name, st.updated);
	else if (st.rotation == CF_ROTATION_DUE)
		add(r, 0, "rotation-due", name, st.updated);
	if (st.nexposed) {
		for (size_t k = 0; cf_meta_exposed_at(s, k, &x); k++)
			buf_addf(&d, "%s%s", k ? "," : "",
				 x.principal ? x.principal : "?");
		add(r, 1, "exposed", name, d.ptr);
	}
	if (st.drift)
		add(r, 1, "drift", name, "recipients differ from the policy readers");
	if (st.weak)
		add(r, 1, "weak", name, cf_meta_str(s, "strength_bits"));
	if (st.previous_stale)
		add(r, 0, "previous-kept", name, st.previous_until);
	buf_release(&d);
	cf_status_release(&st);
}

/* The keys of every .coffer/keys/ *.asc file, appended to *keys; a file
 * that cannot be read is a warning. */
static void read_keys(struct report *r, struct cf_keyinfo **keys, size_t *n,
		      const char *root)
{
	struct buf dir = BUF_INIT;
	DIR *d;
	struct dirent *e;

	buf_addf(&dir, "%s/.coffer/keys", root);
	if (!(d = opendir(dir.ptr))) {
		buf_release(&dir);
		return;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name), nk = 0;
		struct secbuf file = SECBUF_INIT;
		struct buf path = BUF_INIT;
		struct cf_keyinfo *k = NULL;

		if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".asc"))
			continue;
		buf_addf(&path, "%s/%s", dir.ptr, e->d_name);
		if (cf_file_read(&file, path.ptr, KEY_FILE_MAX) < 0 ||
		    cf_pgp_keys(&k, &nk, file.ptr, file.len) < 0) {
			buf_reset(&path);
			buf_addf(&path, ".coffer/keys/%s", e->d_name);
			add(r, 0, "key-unreadable", path.ptr, cf_error_last());
		}
		*keys = xrealloc(*keys, (*n + nk + 1) * sizeof(**keys));
		for (size_t i = 0; i < nk; i++)
			(*keys)[(*n)++] = k[i];
		free(k);	/* its entries moved */
		secbuf_release(&file);
		buf_release(&path);
	}
	closedir(d);
	buf_release(&dir);
}

/* Each principal's keys as .coffer/keys holds them (what other clones
 * encrypt to), read without GnuPG: their signatures are not verified,
 * which a report can live with; GnuPG decides when it encrypts. */
static void check_keys(struct report *r, struct ctx *ctx)
{
	const struct cf_policy *p = &ctx->sess.st.policy;
	struct cf_keyinfo *keys = NULL;
	struct buf d = BUF_INIT;
	size_t nkeys = 0;
	int64_t now = cf_now();

	read_keys(r, &keys, &nkeys, ctx->sess.st.root);
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
				add(r, 0, "key-missing", pr->name, d.ptr);
			} else if (ki->revoked) {
				add(r, 1, "key-revoked", pr->name, pr->keys[k]);
			} else if (!ki->can_encrypt) {
				buf_addf(&d, "%s cannot encrypt", pr->keys[k]);
				add(r, 1, "key-unusable", pr->name, d.ptr);
			} else if (ki->expires && ki->expires <= now) {
				buf_addf(&d, "%s expired %s", pr->keys[k], when);
				add(r, 1, "key-expired", pr->name, d.ptr);
			} else if (ki->expires && ki->expires - now <= CF_EXPIRY_WARN) {
				buf_addf(&d, "%s expires %s", pr->keys[k], when);
				add(r, 0, "key-expiring", pr->name, d.ptr);
			}
		}
	}
	cf_keyinfo_free(keys, nkeys);
	buf_release(&d);
}

/* The whole store: what the listing leaves out, the principals' keys
 * and every secret. */
static int check_store(struct report *r, struct ctx *ctx, size_t *n)
{
	struct cf_stray *strays = NULL;
	char **names = NULL;
	size_t nstrays = 0;
	int ret;

	if ((ret = cf_store_list_strays(&ctx->sess.st, &names, n, &strays,
					&nstrays)) < 0)
		return ret;
	for (size_t i = 0; i < nstrays; i++)
		add(r, 1, strays[i].kind, strays[i].path, strays[i].why);
	check_keys(r, ctx);
	cf_each_listed(&ctx->sess.st, names, *n, 1, check_one, r);
	cf_strv_free(names, *n);
	cf_strays_free(strays, nstrays);
	return 0;
}

static int print(struct ctx *ctx, const struct report *r, size_t nsecrets)
{
	int problems = 0, warnings = 0;

	for (size_t i = 0; i < r->n; i++)
		*(r->v[i].problem ? &problems : &warnings) += 1;
	if (ctx->json) {
		json_t *p = json_array(), *w = json_array();

		for (size_t i = 0; i < r->n; i++)
			json_array_append_new(r->v[i].problem ? p : w,
				json_pack("{s:s, s:s, s:s}", "name", r->v[i].name,
					  "kind", r->v[i].kind,
					  "detail", r->v[i].detail));
		out_json(json_pack("{s:I, s:o, s:o, s:s}", "secrets",
			(json_int_t)nsecrets, "problems", p, "warnings", w,
			"status", problems ? "problems" : warnings ? "warnings" :
			"clean"));
	} else {
		/* grouped by kind, problems first */
		for (int pass = 1; pass >= 0; pass--) {
			const char *last = NULL;

			for (size_t i = 0; i < r->n; i++) {
				const struct finding *f = &r->v[i];

				if (f->problem != pass)
					continue;
				if (!last || strcmp(last, f->kind))
					printf("%s %s:\n", pass ? "problem" :
					       "warning", f->kind);
				last = f->kind;
				printf("  %s%s%s\n", f->name, *f->detail ? "  " : "",
				       f->detail);
			}
		}
		if (!ctx->quiet)
			printf("%zu secrets: %d problems, %d warnings\n",
			       nsecrets, problems, warnings);
	}
	return problems ? EXIT_PROBLEMS : warnings ? EXIT_WARNINGS : EXIT_OK;
}

static int by_kind(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	return c ? c : strcmp(x->name, y->name);
}

static int cmd_check(int argc, char **argv, struct ctx *ctx)
{
	struct report r = { NULL, 0, PTHREAD_MUTEX_INITIALIZER, NULL };
	size_t n = 0;
	int c, ret;

	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if ((ret = cf_session_store(&ctx->sess)) < 0)
		return fail(ctx, ret);
	r.policy = &ctx->sess.st.policy;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			struct cf_secret s;

			if ((ret = cf_name_check(argv[i])) < 0)
				return fail(ctx, ret);
			ret = cf_store_read_secret(&s, &ctx->sess.st, argv[i]);
			check_one(0, argv[i], ret < 0 ? NULL : &s, ret,
				  cf_error_last(), &r);
			cf_secret_release(&s);
		}
		n = (size_t)(argc - optind);
	} else if ((ret = check_store(&r, ctx, &n)) < 0) {
		return fail(ctx, ret);
	}
	if (r.n)	/* qsort wants a non-null array */
		qsort(r.v, r.n, sizeof(*r.v), by_kind);
	ret = print(ctx, &r, n);
	for (size_t i = 0; i < r.n; i++) {
		free(r.v[i].name);
		free(r.v[i].detail);
	}
	free(r.v);
	return ret;
}

const struct cmd cmd_check_entry = {
	.name = "check",
	.summary = "health report: expiry, rotation, exposure, drift, strength",
	.usage = "check [NAME...] [--json]",
	.fn = cmd_check,
	.opts = json_only_opts,
	.args_hint = HINT_SECRET,
};
