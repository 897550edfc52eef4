/* versions.c: references and old versions read from git history. */
#include <stdlib.h>
#include <string.h>

#include "../lib/crypt.h"
#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "accept.h"
#include "versions.h"

void ref_release(struct ref *r)
{
	free(r->name);
	free(r->field);
	free(r->version);
	memset(r, 0, sizeof(*r));
}

int ref_parse(struct ref *r, const char *s)
{
	const char *at, *hash;
	char *end;

	memset(r, 0, sizeof(*r));
	if (!strncmp(s, "coffer://", 9))
		s += 9;
	at = strrchr(s, '@');
	hash = strchr(s, '#');
	if (hash && at && at < hash)
		return cf_error_set(CF_EUSAGE, "bad reference: '#FIELD' comes before '@VERSION'");
	r->name = xstrndup(s, hash ? (size_t)(hash - s) :
			   at ? (size_t)(at - s) : strlen(s));
	if (hash)
		r->field = xstrndup(hash + 1, at ? (size_t)(at - hash - 1) :
				    strlen(hash + 1));
	if (at) {
		r->version = xstrdup(at + 1);
		if (strcmp(r->version, "previous") &&
		    (strtol(r->version, &end, 10) < 1 || *end))
			return cf_error_set(CF_EUSAGE,
				"bad version '%s' (a number from 1, or previous)",
				r->version);
	}
	if (r->field && !cf_field_name_valid(r->field))
		return cf_error_set(CF_EUSAGE, "bad field name '%s'", r->field);
	return cf_name_check(r->name);
}

int check_expiry(const struct cf_secret *s, const char *name)
{
	const char *exp = cf_meta_str(s, "expires");
	int64_t t;

	if (exp && cf_time_parse(&t, exp) == 0 && t <= cf_now())
		return cf_error_set(CF_EEXPIRED,
			"'%s' expired at %s (--allow-expired reads it anyway)",
			name, exp);
	return 0;
}

int field_value(struct secbuf *out, const struct cf_secret *s,
		const struct cf_field *f)
{
	if (cf_meta_is_binary(s, f->name))
		return cf_base64_decode(out, f->plain.ptr, f->plain.len) < 0 ?
		       cf_error_set(CF_EINTEGRITY,
				    "binary field '%s' is not base64", f->name) : 0;
	secbuf_set(out, f->plain.ptr, f->plain.len);
	return 0;
}

int read_version(struct ctx *ctx, const char *name, long want, int settled,
		 struct cf_secret *out)
{
	struct cf_history_entry *h = NULL;
	struct buf path = BUF_INIT;
	const struct cf_principal *me = ctx->st.me;
	size_t n = 0;
	int ret;

	if ((ret = need_repo(ctx)) < 0)
		return ret;
	buf_addf(&path, "%s.yaml", name);
	if ((ret = cf_repo_history(&ctx->repo, path.ptr, 1, &h, &n)) < 0)
		goto out;
	ret = cf_error_set(CF_ENOTFOUND, "no version %ld of '%s'", want, name);
	for (size_t i = 0; i < n; i++) {
		if (!h[i].blob || cf_secret_parse(out, h[i].blob, h[i].bloblen,
						  path.ptr) < 0)
			continue;
		if (cf_meta_version(out) != want ||
		    (settled && rotation_state(out))) {
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
out:
	cf_history_free(h, n);
	buf_release(&path);
	return ret;
}

int load_version(struct ctx *ctx, const char *name, struct cf_secret *cur,
		 const char *ver, struct cf_secret *out,
		 const struct cf_secret **src, const struct cf_fields **fields)
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
	if ((ret = read_version(ctx, name, want, 0, out)) < 0)
		return ret;
	*src = out;
	*fields = &out->data;
	return 0;
}
