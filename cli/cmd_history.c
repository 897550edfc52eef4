/* cmd_history.c: coffer history NAME lists versions, commits, authors,
 * signatures, operations and which fields changed (names only). */
#include "../lib/common.h"

#include <jansson.h>
#include <string.h>

#include "../lib/commitmsg.h"
#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"

/* Field names whose ENC string differs between two versions. */
static void changed_fields(struct buf *out, const struct cf_secret *a,
			   const struct cf_secret *b)
{
	for (size_t i = 0; i < a->data.n; i++) {
		const struct cf_field *o = b ? cf_fields_find(&b->data,
					a->data.v[i].name) : NULL;

		if (!o || strcmp(o->enc, a->data.v[i].enc))
			buf_addf(out, "%s%s", out->len ? "," : "",
				 a->data.v[i].name);
	}
	for (size_t i = 0; b && i < b->data.n; i++)
		if (!cf_fields_find(&a->data, b->data.v[i].name))
			buf_addf(out, "%s-%s", out->len ? "," : "",
				 b->data.v[i].name);
}

/* Who the signature names: a principal, else its fingerprint. */
static const char *signer_of(struct ctx *ctx,
			     const struct cf_history_entry *h)
{
	const struct cf_principal *p;

	if (!h->signed_)
		return "-";
	if (!*h->signer)
		return "?";
	p = ctx->sess.st.have_policy ?
	    cf_policy_principal_by_fpr(&ctx->sess.st.policy, h->signer) : NULL;
	return p ? p->name : h->signer;
}

static int cmd_history(int argc, char **argv, struct ctx *ctx)
{
	struct cf_history_entry *h = NULL;
	struct cf_secret *v = NULL;
	struct buf path = BUF_INIT;
	json_t *arr = NULL;
	const char *name;
	size_t n = 0;
	int c, ret;

	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one NAME");
	name = argv[optind];
	if ((ret = cf_name_check(name)) < 0 || (ret = cf_session_repo(&ctx->sess)) < 0)
		return fail(ctx, ret);
	buf_addf(&path, "%s.yaml", name);
	if ((ret = cf_repo_history(&ctx->sess.repo, path.ptr, 1, &h, &n)) < 0)
		goto out;
	if (!n) {
		ret = cf_error_set(CF_ENOTFOUND, "no history for '%s'", name);
		goto out;
	}
	v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		if (h[i].blob)
			cf_secret_parse(&v[i], h[i].blob, h[i].bloblen, path.ptr);
	if (ctx->json)
		arr = json_array();
	else
		printf("%-7s %-12s %-12s %-12s %-20s %-8s %s\n", "VERSION",
		       "COMMIT", "AUTHOR", "SIGNER", "TIME", "OP", "FIELDS");
	for (size_t i = 0; i < n; i++) {
		struct buf fields = BUF_INIT;
		struct cf_commitmsg m;
		char t[CF_TIME_LEN];
		const struct cf_secret *older = i + 1 < n && v[i + 1].meta ?
						&v[i + 1] : NULL;
		long ver = v[i].meta ? cf_meta_version(&v[i]) : 0;
		long before = older ? cf_meta_version(older) : 0;
		int matches;

		cf_time_format(t, h[i].time);
		cf_commitmsg_parse(&m, h[i].message);
		matches = cf_op_consistent(m.op, ver, before, h[i].removed);
		/* a re-keyed file has new ENC strings, not new values */
		if (v[i].meta && (ver != before || !older))
			changed_fields(&fields, &v[i], older);
		if (arr) {
			json_array_append_new(arr, json_pack(
				"{s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s}",
				"version", ver ? json_integer(ver) : json_null(),
				"commit", h[i].id, "author", h[i].author,
				"signer", signer_of(ctx, &h[i]),
				"time", t, "op", m.op_text, "op_matches", matches,
				"signed", h[i].signed_, "fields",
				buf_cstr(&fields)));
		} else {
			char vs[24] = "-";

			if (ver)
				snprintf(vs, sizeof(vs), "%ld", ver);
			printf("%-7s %-12.12s %-12s %-12s %-20s %-8s %s\n", vs,
			       h[i].id, h[i].author, signer_of(ctx, &h[i]), t,
			       matches ? m.op_text : "?!", buf_cstr(&fields));
			if (!matches)
				warnf(ctx, "commit %.12s says '%s' but its change to '%s' does not fit",
				      h[i].id, m.op_text, name);
		}
		cf_commitmsg_release(&m);
		buf_release(&fields);
	}
	if (arr)
		out_json(arr);
	ret = 0;
out:
	for (size_t i = 0; v && i < n; i++)
		cf_secret_release(&v[i]);
	free(v);
	cf_history_free(h, n);
	buf_release(&path);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_history_entry = {
	.name = "history",
	.summary = "list a secret's versions and commits",
	.usage = "history NAME [--json]",
	.fn = cmd_history,
	.opts = json_only_opts,
	.args_hint = HINT_SECRET,
};
