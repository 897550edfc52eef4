/* update.c: set and meta of one secret. */
#include "common.h"

#include "effective.h"
#include "encode.h"
#include "fsutil.h"
#include "rules.h"
#include "timeutil.h"
#include "update.h"

/* A new secret in out with a fresh data key that keeps the clear meta
 * of name's file (if there is one) and none of its values; *dropped
 * lists what goes besides field. For a writer who may not read. */
static int start_over(struct cf_session *sess, struct cf_secret *out,
		      const char *name, const char *field, struct buf *dropped)
{
	struct cf_secret old;
	char now[CF_TIME_LEN];
	int ret;

	cf_time_format(now, cf_date_now());
	if ((ret = cf_secret_create(out, now)) < 0)
		return ret;
	if ((ret = cf_store_read_secret(&old, &sess->st, name)) == CF_ENOTFOUND)
		return 0;
	if (ret < 0)
		return ret;
	if ((ret = cf_refuse_if_rotating(&old, name)) == 0) {
		cf_ynode_free(out->meta);
		out->meta = cf_ynode_dup(old.meta);
		cf_secret_drop_previous(out);
		for (size_t i = 0; i < old.data.n; i++)
			if (strcmp(old.data.v[i].name, field))
				buf_addf(dropped, "%s%s", dropped->len ? ", " : "",
					 old.data.v[i].name);
		if (old.has_prev)
			buf_addf(dropped, "%sthe previous value",
				 dropped->len ? ", " : "");
	}
	cf_secret_release(&old);
	return ret;
}

/* Opens name (or starts it, when it is new and create) for a write by
 * the user; with replace, starts it over whatever it holds but field. */
static int open_for_write(struct cf_write *w, struct cf_secret *s,
			  const char *name, int create, const char *field,
			  struct buf *replace)
{
	struct cf_session *sess = w->sess;
	char now[CF_TIME_LEN];
	int exists, ret;

	if ((exists = ret = cf_store_secret_exists(&sess->st, name)) < 0)
		return ret;
	if (replace) {
		ret = start_over(sess, s, name, field, replace);
	} else if (exists || !create) {
		/* opening first lets the decryption say who the user is */
		ret = cf_session_open_secret(sess, s, name);
		if (ret == CF_EDENIED &&
		    cf_session_allowed(sess, CF_ACT_WRITE, name) == 0)
			ret = cf_error_set(CF_EDENIED,
				"principal '%s' may write '%s' but not read it, so it cannot change part of it ('coffer set --replace' replaces it whole)",
				sess->me, name);
	} else {
		cf_time_format(now, cf_date_now());
		ret = cf_secret_create(s, now);
	}
	if (ret < 0 || (ret = cf_session_allowed(sess, CF_ACT_WRITE, name)) < 0)
		return ret;
	return 0;
}

int cf_update_value(struct cf_write *w, const char *name,
		    const struct cf_set *o, long *version)
{
	struct secbuf stored = SECBUF_INIT;
	const char *field = o->field ? o->field : "value";
	char now[CF_TIME_LEN];
	struct cf_secret s;
	int ret;

	cf_secret_init(&s);
	if (o->msg && cf_contains(o->msg, strlen(o->msg), o->val->ptr,
				  o->val->len))
		return cf_error_set(CF_EREJECTED,
			"the commit message contains the value; refusing");
	if ((ret = open_for_write(w, &s, name, 1, field,
				  o->replace ? o->dropped : NULL)) < 0 ||
	    (ret = cf_refuse_if_rotating(&s, name)) < 0)
		goto out;
	if (o->if_version >= 0 && cf_meta_version(&s) != o->if_version) {
		ret = cf_error_set(CF_ECONFLICT, "'%s' is at version %ld, not %ld",
				   name, cf_meta_version(&s), o->if_version);
		goto out;
	}
	if (o->binary)
		cf_base64_encode_sec(&stored, o->val->ptr, o->val->len);
	else
		secbuf_set(&stored, o->val->ptr, o->val->len);
	/* new rules (--validate) apply to this value already */
	if (o->meta)
		cf_meta_edit_apply(o->meta, &s);
	if ((ret = cf_accept_value(&w->sess->st.policy, &s, name, field, o->val,
				   o->bits, o->allow_weak)) < 0)
		goto out;
	cf_secret_expire_previous(&s, cf_date_now());
	cf_secret_set_field(&s, field, stored.ptr, stored.len);
	cf_meta_set_binary(&s, field, o->binary);
	cf_time_format(now, cf_date_now());
	cf_secret_new_version(&s, now, w->sess->me);
	*version = cf_meta_version(&s);
	if ((ret = cf_write_secret(w, &s, name)) < 0)
		goto out;
	ret = cf_write_commit(w, &(struct cf_commitmsg){
		.op = CF_OP_SET, .name = name, .version = *version,
		.body = o->msg });
out:
	cf_secret_release(&s);
	secbuf_release(&stored);
	return ret;
}

int cf_update_meta(struct cf_write *w, const char *name,
		   const struct cf_meta_edit *m)
{
	const struct cf_field *f;
	struct cf_secret s;
	int ret;

	cf_secret_init(&s);
	if ((ret = open_for_write(w, &s, name, 0, NULL, NULL)) < 0 ||
	    (ret = cf_refuse_if_rotating(&s, name)) < 0)
		goto out;
	cf_meta_edit_apply(m, &s);
	if (m->validate && (f = cf_fields_find(&s.data, "value")) &&
	    (ret = cf_rules_check(m->validate, f->plain.ptr, f->plain.len)) < 0) {
		ret = cf_error_set(CF_EREJECTED,
			"'%s': the current %s (nothing changed)", name,
			cf_error_last());
		goto out;
	}
	if ((ret = cf_write_secret(w, &s, name)) == 0)
		ret = cf_write_commit(w, &(struct cf_commitmsg){
			.op = CF_OP_META, .name = name });
out:
	cf_secret_release(&s);
	return ret;
}

/* ---- edit ---- */

/* One edited field as set would take it: no NUL unless binary, then
 * the rules and the strength (cf_accept_value), nothing changed if
 * not. */
static int check_one_field(const struct cf_policy *p, struct cf_secret *s,
			   const char *name, const struct cf_field *f,
			   const struct secbuf *val, int allow_weak)
{
	int ret;

	if (!cf_meta_is_binary(s, f->name) && memchr(val->ptr, '\0', val->len))
		return cf_error_set(CF_EREJECTED,
			"'%s': field %s contains a NUL byte (set --binary stores one); nothing changed",
			name, f->name);
	if ((ret = cf_accept_value(p, s, name, f->name, val, -1,
				   allow_weak)) < 0)
		cf_error_set(ret, "%s; nothing changed", cf_error_last());
	return ret;
}

/* The fields as a YAML mapping, binary ones as their base64. */
static void fields_doc(struct secbuf *out, const struct cf_secret *s)
{
	struct cf_ynode *m = cf_ynode_map();

	for (size_t i = 0; i < s->data.n; i++)
		cf_ymap_set(m, s->data.v[i].name,
			    cf_ynode_str(s->data.v[i].plain.ptr,
					 s->data.v[i].plain.len));
	if (!s->data.n)
		cf_ymap_set(m, "value", cf_ynode_strz(""));
	secbuf_adds(out, "# coffer edit: one field per key; save and quit to "
			 "re-encrypt. Binary fields are base64.\n");
	cf_yaml_emit(out, m);
	cf_ynode_free(m);
}

/* Applies the edited document; *changed says whether a value changed. */
static int apply(struct cf_secret *s, const struct secbuf *doc, int *changed,
		 struct buf *names)
{
	struct cf_ynode *m = NULL;
	int ret;

	*changed = 0;
	if ((ret = cf_yaml_parse(&m, doc->ptr, doc->len, "edited document")) < 0)
		return cf_error_set(CF_EUSAGE, "%s; nothing changed",
				    cf_error_last());
	ret = cf_error_set(CF_EUSAGE,
		"the edited document must map field names to strings; nothing changed");
	if (m->kind != CF_Y_MAP || !m->n)
		goto out;
	for (size_t i = 0; i < m->n; i++) {
		const struct cf_ynode *v = m->pairs[i].val;

		if (!cf_field_name_valid(m->pairs[i].key) ||
		    v->kind != CF_Y_SCALAR)
			goto out;
		if (v->len > CF_VALUE_MAX) {
			ret = cf_error_set(CF_EREJECTED, "a value is larger than 1 MiB");
			goto out;
		}
	}
	for (size_t i = s->data.n; i-- > 0;)
		if (!cf_ymap_get(m, s->data.v[i].name)) {
			cf_meta_set_binary(s, s->data.v[i].name, 0);
			cf_secret_remove_field(s, s->data.v[i].name);
			*changed = 1;
		}
	for (size_t i = 0; i < m->n; i++) {
		const struct cf_ynode *v = m->pairs[i].val;
		const char *str = cf_yscalar_type(v) == CF_YT_NULL ? "" : v->str;
		size_t len = cf_yscalar_type(v) == CF_YT_NULL ? 0 : v->len;
		struct cf_field *f = cf_fields_find(&s->data, m->pairs[i].key);

		if (!f || f->plain.len != len || memcmp(f->plain.ptr, str, len)) {
			cf_secret_set_field(s, m->pairs[i].key, str, len);
			*changed = 1;
			buf_adds(names, m->pairs[i].key);
			buf_addch(names, '\0');
		}
	}
	ret = 0;
out:
	cf_ynode_free(m);
	return ret;
}

int cf_edit_doc(struct cf_session *sess, const char *name,
		struct secbuf *doc, long *version)
{
	struct cf_secret s;
	int exists, ret;

	cf_secret_init(&s);
	*version = 0;
	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = cf_session_store(sess)) < 0)
		goto out;
	if ((exists = ret = cf_store_secret_exists(&sess->st, name)) < 0 ||
	    (exists && (ret = cf_session_open_secret(sess, &s, name)) < 0) ||
	    (ret = cf_session_allowed(sess, CF_ACT_WRITE, name)) < 0 ||
	    (ret = cf_refuse_if_rotating(&s, name)) < 0)
		goto out;
	*version = exists ? cf_meta_version(&s) : 0;
	fields_doc(doc, &s);
out:
	cf_secret_release(&s);
	return ret;
}

/* What set checks, for each field an edit changed (names: NUL-ended
 * names in a row), "value" last so that strength_bits is its: the NUL
 * rule (a binary field must hold base64), the rules and the strength. */
static int accept_edit(const struct cf_policy *p, struct cf_secret *s,
		       const char *name, const struct buf *names,
		       int allow_weak)
{
	struct secbuf val = SECBUF_INIT;
	int ret = 0, value = 0;

	for (size_t at = 0; at < names->len || (value == 1 && ret == 0);) {
		const char *field = at < names->len ? names->ptr + at : "value";
		const struct cf_field *f;

		if (at < names->len) {
			at += strlen(field) + 1;
			if (!strcmp(field, "value")) {
				value = 1;	/* last */
				continue;
			}
		} else {
			value = 2;
		}
		f = cf_fields_find(&s->data, field);
		if ((ret = cf_field_value(&val, s, f)) < 0 ||
		    (ret = check_one_field(p, s, name, f, &val, allow_weak)) < 0)
			break;
	}
	secbuf_release(&val);
	return ret;
}

int cf_edit_apply(struct cf_write *w, const char *name,
		  const struct secbuf *edited, long version, int allow_weak,
		  int *changed)
{
	struct buf names = BUF_INIT;
	struct cf_secret s;
	char now[CF_TIME_LEN];
	int ret;

	cf_secret_init(&s);
	*changed = 0;
	/* read again under the lock: someone may have written meanwhile */
	if ((ret = open_for_write(w, &s, name, 1, NULL, NULL)) < 0 ||
	    (ret = cf_refuse_if_rotating(&s, name)) < 0)
		goto out;
	if (cf_meta_version(&s) != version) {
		ret = cf_error_set(CF_ECONFLICT,
			"'%s' changed while you were editing; nothing changed",
			name);
		goto out;
	}
	if ((ret = apply(&s, edited, changed, &names)) < 0 || !*changed ||
	    (ret = accept_edit(&w->sess->st.policy, &s, name, &names,
			       allow_weak)) < 0)
		goto out;
	cf_time_format(now, cf_date_now());
	cf_secret_new_version(&s, now, w->sess->me);
	if ((ret = cf_write_secret(w, &s, name)) == 0)
		ret = cf_write_commit(w, &(struct cf_commitmsg){
			.op = CF_OP_EDIT, .name = name,
			.version = cf_meta_version(&s) });
out:
	cf_secret_release(&s);
	buf_release(&names);
	return ret;
}

/* ---- mv and rm ---- */

static int same_readers(const struct cf_policy *p, const char *a,
			const char *b)
{
	const struct cf_principal **ra = NULL, **rb = NULL;
	size_t na = cf_policy_readers(p, a, cf_now(), &ra), nb;
	int same;

	nb = cf_policy_readers(p, b, cf_now(), &rb);
	same = na == nb && !memcmp(ra, rb, na * sizeof(*ra));
	free(ra);
	free(rb);
	return same;
}

int cf_update_mv(struct cf_write *w, const char *from, const char *to)
{
	struct cf_session *sess = w->sess;
	struct cf_secret s;
	struct secbuf raw = SECBUF_INIT;
	struct buf path = BUF_INIT;
	int ret;

	cf_secret_init(&s);
	if ((ret = cf_name_check(from)) < 0 || (ret = cf_name_check(to)) < 0 ||
	    (ret = cf_session_allowed(sess, CF_ACT_WRITE, from)) < 0 ||
	    (ret = cf_session_allowed(sess, CF_ACT_WRITE, to)) < 0)
		goto out;
	if (!strcmp(from, to)) {
		ret = cf_error_set(CF_EUSAGE, "OLD and NEW are the same");
		goto out;
	}
	if ((ret = cf_store_secret_exists(&sess->st, to)) != 0) {
		if (ret > 0)
			ret = cf_error_set(CF_ECONFLICT, "'%s' already exists", to);
		goto out;
	}
	if ((ret = cf_store_read_secret(&s, &sess->st, from)) < 0)
		goto out;
	if (same_readers(&sess->st.policy, from, to)) {
		/* nothing in the file names the secret: recheck the file as
		 * it is and move its bytes */
		if ((ret = cf_store_secret_path(&path, &sess->st, from)) < 0 ||
		    (ret = cf_file_read(&raw, path.ptr, CF_SECRET_FILE_MAX)) < 0)
			goto out;
		buf_reset(&path);
		buf_addf(&path, "%s.yaml", to);
		cf_write_file(w, path.ptr, raw.ptr, raw.len);
	} else {
		cf_secret_release(&s);
		if ((ret = cf_session_open_secret(sess, &s, from)) < 0 ||
		    (ret = cf_write_secret(w, &s, to)) < 0)
			goto out;
	}
	cf_write_remove(w, from);
	ret = cf_write_commit(w, &(struct cf_commitmsg){
		.op = CF_OP_MV, .name = to, .renamed_from = from });
out:
	cf_secret_release(&s);
	secbuf_release(&raw);
	buf_release(&path);
	return ret;
}

int cf_rm_names(const struct cf_store *st, char *const *args, size_t nargs,
		int recursive, int missing_ok, char ***out, size_t *n)
{
	int ret = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nargs; i++) {
		char **found = NULL;
		size_t nf = 0;

		if ((ret = cf_store_secret_exists(st, args[i])) < 0)
			return ret;
		if (ret) {
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = xstrdup(args[i]);
			continue;
		}
		if (recursive) {
			struct buf pre = BUF_INIT;

			buf_addf(&pre, "%s/", args[i]);
			ret = cf_store_list(st, pre.ptr, &found, &nf);
			buf_release(&pre);
			if (ret < 0)
				return ret;
			*out = xrealloc(*out, (*n + nf + 1) * sizeof(**out));
			for (size_t k = 0; k < nf; k++)
				(*out)[(*n)++] = found[k];
			free(found);
		}
		if (!nf && !missing_ok)
			return cf_error_set(CF_ENOTFOUND, "no secret '%s'%s",
					    args[i], recursive ? "" :
					    " (a folder needs -r)");
	}
	return 0;
}

int cf_update_rm(struct cf_write *w, char *const *names, size_t n,
		 int (*confirm)(char *const *names, size_t n, void *arg),
		 void *arg)
{
	struct buf body = BUF_INIT;
	int ret;

	for (size_t i = 0; i < n; i++) {
		if ((ret = cf_session_allowed(w->sess, CF_ACT_DELETE,
					      names[i])) < 0)
			return ret;
		cf_write_remove(w, names[i]);
	}
	if (confirm && (ret = confirm(names, n, arg)) < 0)
		return ret;
	if (n > 1)
		buf_addf(&body, "Removes %zu secrets.", n);
	ret = cf_write_commit(w, &(struct cf_commitmsg){
		.op = CF_OP_RM, .name = n > 1 ? NULL : names[0],
		.body = n > 1 ? body.ptr : NULL });
	buf_release(&body);
	return ret;
}
