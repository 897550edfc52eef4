/* versions.c: old versions read from git history. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "commitmsg.h"
#include "error.h"
#include "versions.h"

int cf_version_read(struct cf_session *s, const char *name, long want,
		    int settled, struct cf_secret *out)
{
	struct cf_history_entry *h = NULL;
	struct buf path = BUF_INIT;
	const struct cf_principal *me;
	size_t n = 0;
	int ret;

	if ((ret = cf_session_repo(s)) < 0 ||
	    (ret = cf_session_whoami(s)) < 0)
		return ret;
	me = cf_session_me(s);
	buf_addf(&path, "%s.yaml", name);
	if ((ret = cf_repo_history(&s->repo, path.ptr, 1, &h, &n)) < 0)
		goto out;
	ret = cf_error_set(CF_ENOTFOUND, "no version %ld of '%s'", want, name);
	for (size_t i = 0; i < n; i++) {
		if (!h[i].blob || cf_secret_parse(out, h[i].blob, h[i].bloblen,
						  path.ptr) < 0)
			continue;
		if (cf_meta_version(out) != want ||
		    (settled && cf_meta_rotation_state(out))) {
			cf_secret_release(out);
			continue;
		}
		if (!cf_secret_is_recipient(out, me->keys, me->nkeys)) {
			ret = cf_error_set(CF_EDECRYPT,
				"version %ld of '%s' was encrypted before %s became a reader",
				want, name, me->name);
		} else if ((ret = cf_secret_open(out, me->keys, me->nkeys)) ==
			   CF_EDECRYPT) {
			cf_error_set(CF_EDECRYPT,
				"cannot decrypt version %ld of '%s'", want, name);
		}
		if (ret < 0)
			cf_secret_release(out);
		break;
	}
	if (ret == CF_ENOTFOUND && n && h[n - 1].cut_off)
		ret = cf_error_set(CF_ENOTFOUND,
			"no version %ld of '%s' in this clone: its history is cut off at commit %.12s (a shallow clone); 'git fetch --unshallow' fetches the rest",
			want, name, h[n - 1].id);
out:
	cf_history_free(h, n);
	buf_release(&path);
	return ret;
}

int cf_version_load(struct cf_session *s, const char *name,
		    struct cf_secret *cur, const char *ver,
		    struct cf_secret *out, const struct cf_secret **src,
		    const struct cf_fields **fields)
{
	long want;
	int ret;

	*src = cur;
	*fields = &cur->data;
	if (!ver)
		return 0;
	if (!strcmp(ver, "previous")) {
		if (cur->has_prev) {
			*fields = &cur->prev;
			return 0;
		}
		want = cf_meta_version(cur) - 1;
		if (want < 1)
			return cf_error_set(CF_ENOTFOUND,
				"'%s' has no previous version", name);
	} else {
		want = strtol(ver, NULL, 10);
	}
	if (want == cf_meta_version(cur))
		return 0;
	if (want > cf_meta_version(cur))
		return cf_error_set(CF_ENOTFOUND, "no version %ld of '%s'",
				    want, name);
	if ((ret = cf_version_read(s, name, want, 0, out)) < 0)
		return ret;
	*src = out;
	*fields = &out->data;
	return 0;
}

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
static const char *signer_of(const struct cf_policy *p,
			     const struct cf_history_entry *h)
{
	const struct cf_principal *pr;

	if (!h->signed_)
		return "-";
	if (!*h->signer)
		return "?";
	pr = cf_policy_principal_by_fpr(p, h->signer);
	return pr ? pr->name : h->signer;
}

void cf_version_rows_free(struct cf_version_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].op);
		free(v[i].fields);
		free(v[i].signer);
	}
	free(v);
}

int cf_version_history(struct cf_session *s, const char *name,
		       struct cf_history_entry **h, struct cf_version_row **out,
		       size_t *n)
{
	struct cf_secret *v = NULL;
	struct buf path = BUF_INIT;
	int ret;

	*h = NULL;
	*out = NULL;
	*n = 0;
	if ((ret = cf_name_check(name)) < 0 || (ret = cf_session_repo(s)) < 0)
		return ret;
	buf_addf(&path, "%s.yaml", name);
	if ((ret = cf_repo_history(&s->repo, path.ptr, 1, h, n)) < 0)
		goto out;
	if (!*n) {
		ret = cf_error_set(CF_ENOTFOUND, "no history for '%s'", name);
		goto out;
	}
	v = xcalloc(*n, sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		if ((*h)[i].blob)
			cf_secret_parse(&v[i], (*h)[i].blob, (*h)[i].bloblen,
					path.ptr);
	*out = xcalloc(*n, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct cf_version_row *r = &(*out)[i];
		const struct cf_secret *older = i + 1 < *n && v[i + 1].meta ?
						&v[i + 1] : NULL;
		long before = older ? cf_meta_version(older) : 0;
		struct buf fields = BUF_INIT;
		struct cf_commitmsg m;

		r->version = v[i].meta ? cf_meta_version(&v[i]) : 0;
		cf_commitmsg_parse(&m, (*h)[i].message);
		r->op = xstrdup(m.op_text);
		/* at a shallow clone's cut, what came before is unknown */
		r->op_matches = (*h)[i].cut_off ||
				cf_op_consistent(m.op, r->version, before,
						 (*h)[i].removed);
		cf_commitmsg_release(&m);
		/* a re-keyed file has new ENC strings, not new values */
		if (v[i].meta && (r->version != before || !older))
			changed_fields(&fields, &v[i], older);
		r->fields = xstrdup(buf_cstr(&fields));
		buf_release(&fields);
		r->signer = xstrdup(signer_of(&s->st.policy, &(*h)[i]));
	}
	ret = 0;
out:
	for (size_t i = 0; v && i < *n; i++)
		cf_secret_release(&v[i]);
	free(v);
	buf_release(&path);
	if (ret < 0) {
		cf_history_free(*h, *n);
		*h = NULL;
		*n = 0;
	}
	return ret;
}
