/* versions.c: old versions read from git history. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

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
