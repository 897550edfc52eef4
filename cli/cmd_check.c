/* cmd_check.c: coffer check [NAME...] is a health report (SPEC 7) from
 * the clear meta and recipient lists only: no GnuPG, no decryption. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "cli.h"
#include "exit.h"
#include "status.h"

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
static void check_one(struct ctx *ctx, size_t i, const char *name,
		      const struct cf_secret *s, int ret, const char *err,
		      void *arg)
{
	struct report *r = arg;
	struct status st;
	struct buf d = BUF_INIT;

	(void)i;
	if (!s) {
		add(r, 1, ret == CF_ENOTFOUND ? "missing" : "malformed", name,
		    err);
		return;
	}
	status_of(&st, ctx, s, name);
	if (!strcmp(st.expiry, "expired"))
		add(r, 1, "expired", name, st.expires);
	else if (!strcmp(st.expiry, "expiring"))
		add(r, 0, "expiring", name, st.expires);
	if (!strcmp(st.rotation, "overdue"))
		add(r, 1, "rotation-overdue", name, st.updated);
	else if (!strcmp(st.rotation, "due"))
		add(r, 0, "rotation-due", name, st.updated);
	if (st.exposed && st.exposed->kind == CF_Y_SEQ && st.exposed->n) {
		for (size_t k = 0; k < st.exposed->n; k++) {
			const struct cf_ynode *p = cf_ymap_get(st.exposed->items[k],
							       "principal");

			buf_addf(&d, "%s%s", k ? "," : "", p ? p->str : "?");
		}
		add(r, 1, "exposed", name, d.ptr);
	}
	if (st.drift)
		add(r, 1, "drift", name, "recipients differ from the policy readers");
	if (st.weak)
		add(r, 1, "weak", name, cf_meta_str(s, "strength_bits"));
	if (st.previous_stale)
		add(r, 0, "previous-kept", name, st.previous_until);
	buf_release(&d);
	status_release(&st);
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

int cmd_check(int argc, char **argv, struct ctx *ctx)
{
	struct report r = { NULL, 0, PTHREAD_MUTEX_INITIALIZER };
	char **names = NULL;
	size_t n = 0;
	int c, ret;

	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if ((ret = need_store(ctx)) < 0)
		return fail(ctx, ret);
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			struct cf_secret s;

			if ((ret = cf_name_check(argv[i])) < 0)
				return fail(ctx, ret);
			ret = cf_store_read_secret(&s, &ctx->st, argv[i]);
			check_one(ctx, 0, argv[i], ret < 0 ? NULL : &s, ret,
				  cf_error_last(), &r);
			cf_secret_release(&s);
		}
		n = (size_t)(argc - optind);
	} else {
		struct cf_stray *strays = NULL;
		size_t nstrays = 0;

		if ((ret = cf_store_list_strays(&ctx->st, &names, &n, &strays,
						&nstrays)) < 0)
			return fail(ctx, ret);
		for (size_t i = 0; i < nstrays; i++)
			add(&r, 1, strays[i].kind, strays[i].path,
			    strays[i].why);
		for_each_listed(ctx, names, n, 1, check_one, &r);
		cf_strv_free(names, n);
		cf_strays_free(strays, nstrays);
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
