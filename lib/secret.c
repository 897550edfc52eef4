/* secret.c: reading, changing and writing one coffer secret file. */
#include "common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rules.h"
#include "secret.h"
#include "timeutil.h"

#define ENC_RULE CF_SOPS_COFFER_RULE

enum mtype {
	M_INT, M_TIME, M_STR, M_FLOAT, M_TAGS, M_ROTATION, M_VALIDATE,
	M_STRLIST, M_EXPOSED,
};

/* The closed meta schema, in the order coffer writes it. */
static const struct { const char *key; enum mtype t; } schema[] = {
	{ "version", M_INT },		{ "created", M_TIME },
	{ "updated", M_TIME },		{ "updated_by", M_STR },
	{ "description", M_STR },	{ "tags", M_TAGS },
	{ "expires", M_TIME },		{ "rotation", M_ROTATION },
	{ "validate", M_VALIDATE },	{ "strength_bits", M_FLOAT },
	{ "binary", M_STRLIST },	{ "previous_version", M_INT },
	{ "previous_until", M_TIME },	{ "exposed", M_EXPOSED },
};
#define NSCHEMA (sizeof(schema) / sizeof(schema[0]))

static void fields_release(struct cf_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].enc);
		secbuf_release(&f->v[i].plain);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

static struct cf_field *fields_add(struct cf_fields *f, const char *name)
{
	struct cf_field *x;

	f->v = xrealloc(f->v, (f->n + 1) * sizeof(*f->v));
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->name = xstrdup(name);
	return x;
}

struct cf_field *cf_fields_find(const struct cf_fields *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, name))
			return &f->v[i];
	return NULL;
}

void cf_secret_init(struct cf_secret *s)
{
	memset(s, 0, sizeof(*s));
}

void cf_secret_release(struct cf_secret *s)
{
	cf_ynode_free(s->meta);
	fields_release(&s->data);
	fields_release(&s->prev);
	cf_sops_meta_release(&s->sops);
	explicit_bzero(s->key, sizeof(s->key));
	memset(s, 0, sizeof(*s));
}

/* ---- meta schema ---- */

static int mbad(const char *what, const struct cf_ynode *n, const char *key,
		const char *why)
{
	return cf_error_set(CF_EINTEGRITY, "%s:%d: meta.%s %s", what,
			    n ? n->line : 0, key, why);
}

static int is_scalar(const struct cf_ynode *n)
{
	return n->kind == CF_Y_SCALAR && cf_yscalar_type(n) != CF_YT_NULL;
}

static int check_scalar(const char *what, const struct cf_ynode *n,
			const char *key, enum mtype t)
{
	int64_t tt, d;

	if (!is_scalar(n))
		return mbad(what, n, key, "must be a value");
	switch (t) {
	case M_INT:
		if (cf_yscalar_type(n) != CF_YT_INT || n->str[0] == '-')
			return mbad(what, n, key, "must be a whole number");
		break;
	case M_FLOAT:
		if (cf_yscalar_type(n) != CF_YT_FLOAT &&
		    cf_yscalar_type(n) != CF_YT_INT)
			return mbad(what, n, key, "must be a number");
		break;
	case M_TIME:
		if (cf_time_parse(&tt, n->str) < 0)
			return mbad(what, n, key, "must be an RFC 3339 time");
		break;
	default:
		if (!strcmp(key, "every") || !strcmp(key, "overlap"))
			if (cf_duration_parse(&d, n->str) < 0)
				return mbad(what, n, key, "must be a duration");
		break;
	}
	return 0;
}

static int check_map(const char *what, const struct cf_ynode *n,
		     const char *key, const char *const *keys,
		     const enum mtype *types)
{
	int ret;

	if (n->kind != CF_Y_MAP)
		return mbad(what, n, key, "must be a mapping");
	for (size_t i = 0; i < n->n; i++) {
		size_t k;

		for (k = 0; keys[k]; k++)
			if (!strcmp(keys[k], n->pairs[i].key))
				break;
		if (!keys[k]) {
			char m[128];

			snprintf(m, sizeof(m), "has an unknown key '%.40s'",
				 n->pairs[i].key);
			return mbad(what, n->pairs[i].val, key, m);
		}
		if (types[k] == M_STRLIST) {
			const struct cf_ynode *l = n->pairs[i].val;

			if (l->kind != CF_Y_SEQ)
				return mbad(what, l, keys[k], "must be a list");
			for (size_t j = 0; j < l->n; j++)
				if (!is_scalar(l->items[j]))
					return mbad(what, l->items[j], keys[k],
						    "items must be values");
		} else if ((ret = check_scalar(what, n->pairs[i].val, keys[k],
					       types[k])) < 0) {
			return ret;
		}
	}
	return 0;
}

static int check_meta_entry(const char *what, const char *key,
			    const struct cf_ynode *v, enum mtype t)
{
	static const char *const rot[] = {
		"every", "overlap", "generator", "hook", "state", NULL,
	};
	static const enum mtype rott[] = { M_STR, M_STR, M_STR, M_STR, M_STR };
	static const char *const exp[] = {
		"principal", "fingerprint", "removed", NULL,
	};
	static const enum mtype expt[] = { M_STR, M_STR, M_TIME };
	int ret;

	switch (t) {
	case M_TAGS:
		if (v->kind != CF_Y_MAP)
			return mbad(what, v, key, "must be a mapping");
		for (size_t i = 0; i < v->n; i++) {
			if (!cf_field_name_valid(v->pairs[i].key))
				return mbad(what, v->pairs[i].val, key,
					    "has a bad tag name");
			if (!is_scalar(v->pairs[i].val))
				return mbad(what, v->pairs[i].val, key,
					    "values must be strings");
		}
		return 0;
	case M_ROTATION:
		return check_map(what, v, key, rot, rott);
	case M_VALIDATE:
		return cf_rules_valid(v, what);
	case M_STRLIST:
		if (v->kind != CF_Y_SEQ)
			return mbad(what, v, key, "must be a list");
		for (size_t i = 0; i < v->n; i++)
			if (!is_scalar(v->items[i]))
				return mbad(what, v->items[i], key,
					    "items must be values");
		return 0;
	case M_EXPOSED:
		if (v->kind != CF_Y_SEQ)
			return mbad(what, v, key, "must be a list");
		for (size_t i = 0; i < v->n; i++)
			if ((ret = check_map(what, v->items[i], key, exp,
					     expt)) < 0)
				return ret;
		return 0;
	default:
		return check_scalar(what, v, key, t);
	}
}

static int check_meta(const char *what, const struct cf_ynode *meta)
{
	int ret;

	if (meta->kind != CF_Y_MAP)
		return cf_error_set(CF_EINTEGRITY, "%s:%d: meta must be a mapping",
				    what, meta->line);
	for (size_t i = 0; i < meta->n; i++) {
		size_t k;

		for (k = 0; k < NSCHEMA; k++)
			if (!strcmp(schema[k].key, meta->pairs[i].key))
				break;
		if (k == NSCHEMA)
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: unknown meta key '%.60s'", what,
				meta->pairs[i].line, meta->pairs[i].key);
		if ((ret = check_meta_entry(what, schema[k].key,
					    meta->pairs[i].val, schema[k].t)) < 0)
			return ret;
	}
	if (!cf_ymap_get(meta, "version"))
		return cf_error_set(CF_EINTEGRITY, "%s: meta.version is missing",
				    what);
	return 0;
}

/* Rebuilds meta in schema order. */
static void meta_normalize(struct cf_secret *s)
{
	struct cf_ynode *m = cf_ynode_map();

	for (size_t k = 0; k < NSCHEMA; k++) {
		struct cf_ynode *v = cf_ymap_take(s->meta, schema[k].key);

		if (v)
			cf_ymap_set(m, schema[k].key, v);
	}
	cf_ynode_free(s->meta);
	s->meta = m;
}

/* ---- parse / open ---- */

static int load_fields(struct cf_fields *f, const struct cf_ynode *map,
		       const char *section, const char *what)
{
	if (map->kind != CF_Y_MAP)
		return cf_error_set(CF_EINTEGRITY, "%s:%d: %s must be a mapping",
				    what, map->line, section);
	for (size_t i = 0; i < map->n; i++) {
		const struct cf_ynode *v = map->pairs[i].val;
		struct cf_field *x;

		if (!cf_field_name_valid(map->pairs[i].key))
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: bad field name '%.60s'", what,
				map->pairs[i].line, map->pairs[i].key);
		if (v->kind != CF_Y_SCALAR ||
		    (cf_yscalar_type(v) != CF_YT_STR))
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: %s.%s is not an encrypted value", what,
				map->pairs[i].line, section, map->pairs[i].key);
		x = fields_add(f, map->pairs[i].key);
		x->enc = xstrndup(v->str, v->len);
	}
	return 0;
}

int cf_secret_parse(struct cf_secret *s, const char *data, size_t len,
		    const char *what)
{
	struct cf_ynode *root = NULL, *n;
	int ret = CF_EINTEGRITY;	/* every failure below is a bad file */

	cf_secret_init(s);
	if (len > CF_SECRET_FILE_MAX)
		return cf_error_set(CF_EINTEGRITY, "%s: larger than 4 MiB", what);
	if (cf_yaml_parse(&root, data, len, what) < 0)
		return CF_EINTEGRITY;
	if (root->kind != CF_Y_MAP) {
		ret = cf_error_set(CF_EINTEGRITY, "%s: not a mapping", what);
		goto out;
	}
	for (size_t i = 0; i < root->n; i++) {
		const char *k = root->pairs[i].key;

		if (strcmp(k, "meta") && strcmp(k, "data") &&
		    strcmp(k, "previous") && strcmp(k, "sops")) {
			ret = cf_error_set(CF_EINTEGRITY,
				"%s:%d: unknown top-level key '%.60s'", what,
				root->pairs[i].line, k);
			goto out;
		}
	}
	if ((ret = cf_sops_meta_parse(&s->sops, cf_ymap_get(root, "sops"),
				      what)) < 0)
		goto out;
	if (s->sops.rule != CF_RULE_ENC_REGEX ||
	    strcmp(s->sops.rule_value, ENC_RULE)) {
		ret = cf_error_set(CF_EINTEGRITY,
			"%s: not a coffer secret (encrypted_regex is not %s)",
			what, ENC_RULE);
		goto out;
	}
	if (!(n = cf_ymap_take(root, "meta"))) {
		ret = cf_error_set(CF_EINTEGRITY, "%s: meta is missing", what);
		goto out;
	}
	s->meta = n;
	if ((ret = check_meta(what, s->meta)) < 0)
		goto out;
	if (!(n = cf_ymap_get(root, "data"))) {
		ret = cf_error_set(CF_EINTEGRITY, "%s: data is missing", what);
		goto out;
	}
	if ((ret = load_fields(&s->data, n, "data", what)) < 0)
		goto out;
	if ((n = cf_ymap_get(root, "previous"))) {
		s->has_prev = 1;
		if ((ret = load_fields(&s->prev, n, "previous", what)) < 0)
			goto out;
	}
	ret = 0;
out:
	cf_ynode_free(root);
	if (ret < 0)
		cf_secret_release(s);
	return ret;
}

int cf_secret_create(struct cf_secret *s, const char *now)
{
	int ret;

	cf_secret_init(s);
	if ((ret = cf_random(s->key, sizeof(s->key))) < 0)
		return ret;
	s->have_key = s->opened = s->rekeyed = 1;
	s->meta = cf_ynode_map();
	cf_meta_set_int(s, "version", 0);
	cf_meta_set_str(s, "created", now);
	if ((ret = cf_sops_meta_set_rule(&s->sops, CF_RULE_ENC_REGEX,
					 ENC_RULE)) < 0)
		return ret;
	s->sops.version = xstrdup(CF_SOPS_VERSION);
	s->sops.lastmodified = xstrdup(now);
	return 0;
}

static void add_fields(struct cf_ynode *map, const struct cf_fields *f,
		       int plain)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct cf_field *x = &f->v[i];

		if (plain)
			cf_ymap_set(map, x->name,
				    cf_ynode_str(secbuf_cstr(&x->plain),
						 x->plain.len));
		else if (!*x->enc)
			cf_ymap_set(map, x->name, cf_ynode_strz(""));
		else
			cf_ymap_set(map, x->name, cf_ynode_plain(x->enc));
	}
}

/* The document without sops: meta, data, previous. */
static struct cf_ynode *doc_tree(const struct cf_secret *s, int plain)
{
	struct cf_ynode *root = cf_ynode_map(), *d = cf_ynode_map();

	cf_ymap_set(root, "meta", cf_ynode_dup(s->meta));
	add_fields(d, &s->data, plain);
	cf_ymap_set(root, "data", d);
	if (s->has_prev) {
		struct cf_ynode *p = cf_ynode_map();

		add_fields(p, &s->prev, plain);
		cf_ymap_set(root, "previous", p);
	}
	return root;
}

static int copy_plain(struct cf_fields *f, const struct cf_ynode *map)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct cf_ynode *v = cf_ymap_get(map, f->v[i].name);

		if (!v || v->kind != CF_Y_SCALAR || v->plain)
			return cf_error_set(CF_EINTEGRITY,
				"field '%s' is not a string", f->v[i].name);
		if (v->len > CF_VALUE_MAX)
			return cf_error_set(CF_EINTEGRITY,
				"field '%s' is larger than 1 MiB", f->v[i].name);
		secbuf_set(&f->v[i].plain, v->str, v->len);
	}
	return 0;
}

int cf_secret_open(struct cf_secret *s, char *const *prefer, size_t nprefer)
{
	struct cf_ynode *doc = NULL, *plain = NULL;
	int ret = -1;

	if (s->opened)
		return 0;
	if (!s->have_key) {
		if ((ret = cf_sops_datakey(s->key, &s->sops, prefer, nprefer)) < 0)
			return ret;
		s->have_key = 1;
	}
	doc = doc_tree(s, 0);
	if ((ret = cf_sops_decrypt_tree(&plain, doc, &s->sops, s->key)) < 0)
		goto out;
	if ((ret = copy_plain(&s->data, cf_ymap_get(plain, "data"))) < 0 ||
	    (s->has_prev &&
	     (ret = copy_plain(&s->prev, cf_ymap_get(plain, "previous"))) < 0))
		goto out;
	s->opened = 1;
	ret = 0;
out:
	cf_ynode_free(doc);
	cf_ynode_free(plain);
	return ret;
}

void cf_secret_set_field(struct cf_secret *s, const char *name,
			 const void *val, size_t len)
{
	struct cf_field *f = cf_fields_find(&s->data, name);

	if (!f)
		f = fields_add(&s->data, name);
	if (f->enc && f->plain.len == len && !memcmp(f->plain.ptr, val, len))
		return;	/* same bytes: the ENC string may stay */
	secbuf_set(&f->plain, val, len);
	f->dirty = 1;
}

int cf_secret_remove_field(struct cf_secret *s, const char *name)
{
	struct cf_fields *f = &s->data;

	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].name, name))
			continue;
		free(f->v[i].name);
		free(f->v[i].enc);
		secbuf_release(&f->v[i].plain);
		memmove(&f->v[i], &f->v[i + 1], (f->n - i - 1) * sizeof(*f->v));
		f->n--;
		return 0;
	}
	return cf_error_set(CF_ENOTFOUND, "no field '%s'", name);
}

void cf_secret_drop_previous(struct cf_secret *s)
{
	fields_release(&s->prev);
	s->has_prev = 0;
	cf_meta_unset(s, "previous_version");
	cf_meta_unset(s, "previous_until");
}

void cf_secret_expire_previous(struct cf_secret *s, int64_t now)
{
	const char *until = cf_meta_str(s, "previous_until");
	int64_t t;

	if (s->has_prev && (!until || cf_time_parse(&t, until) < 0 || t <= now))
		cf_secret_drop_previous(s);
}

void cf_secret_keep_previous(struct cf_secret *s)
{
	fields_release(&s->prev);
	for (size_t i = 0; i < s->data.n; i++) {
		struct cf_field *x = fields_add(&s->prev, s->data.v[i].name);

		/* the section is part of each value's AAD: encrypt afresh */
		secbuf_set(&x->plain, s->data.v[i].plain.ptr,
			   s->data.v[i].plain.len);
		x->dirty = 1;
	}
	s->has_prev = 1;
}

size_t cf_secret_recipients(const struct cf_secret *s, const char ***out)
{
	*out = xcalloc(s->sops.npgp + 1, sizeof(**out));
	for (size_t i = 0; i < s->sops.npgp; i++)
		(*out)[i] = s->sops.pgp[i].fp;
	return s->sops.npgp;
}

int cf_secret_is_recipient(const struct cf_secret *s, char *const *fprs,
			   size_t n)
{
	for (size_t i = 0; i < s->sops.npgp; i++)
		if (cf_fprs_has(fprs, n, s->sops.pgp[i].fp))
			return 1;
	return 0;
}

int cf_secret_recipients_are(const struct cf_secret *s, char *const *fprs,
			     size_t n, const struct cf_pubkeys *keys)
{
	for (size_t i = 0; i < s->sops.npgp; i++)
		if (!cf_fprs_has(fprs, n, s->sops.pgp[i].fp) ||
		    (keys && !cf_pubkeys_entry_ok(keys, &s->sops.pgp[i])))
			return 0;
	for (size_t i = 0; i < n; i++) {
		int found = 0;

		for (size_t k = 0; k < s->sops.npgp && !found; k++)
			found = !strcasecmp(s->sops.pgp[k].fp, fprs[i]);
		if (!found)
			return 0;
	}
	return 1;
}

static void mark_dirty(struct cf_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		f->v[i].dirty = 1;
}

int cf_secret_rekey(struct cf_secret *s)
{
	int ret;

	if (s->rekeyed)
		return 0;
	if (!s->opened)
		return cf_error_set(CF_EGENERIC,
			"secret must be decrypted to re-key it");
	if ((ret = cf_random(s->key, sizeof(s->key))) < 0)
		return ret;
	s->rekeyed = 1;
	return 0;
}

int cf_secret_set_recipients(struct cf_secret *s, char *const *fprs,
			     size_t n, const struct cf_pubkeys *keys,
			     const char *now)
{
	struct cf_sops_pgp *keep;
	size_t nkeep = 0;
	struct buf enc = BUF_INIT;
	int ret = -1;

	if (!n)
		return cf_error_set(CF_EDENIED,
			"the policy gives this secret no readers");
	/* a removed reader's copy of the key must open nothing new, an
	 * added reader's nothing old; and an entry sealed to anyone but
	 * its labelled key may have handed the key out (SPEC 3) */
	if (!cf_secret_recipients_are(s, fprs, n, keys) &&
	    (ret = cf_secret_rekey(s)) < 0)
		return ret;
	if (s->rekeyed) {
		mark_dirty(&s->data);
		mark_dirty(&s->prev);
	}
	keep = xcalloc(n, sizeof(*keep));
	for (size_t i = 0; i < n; i++) {
		struct cf_sops_pgp *old = NULL;

		for (size_t k = 0; k < s->sops.npgp && !s->rekeyed; k++)
			if (!strcasecmp(s->sops.pgp[k].fp, fprs[i]))
				old = &s->sops.pgp[k];
		if (old) {
			keep[nkeep].created_at = xstrdup(old->created_at);
			keep[nkeep].enc = xstrdup(old->enc);
			keep[nkeep].only = old->only;
		} else {
			if ((ret = cf_gpg_encrypt(&enc, s->key, sizeof(s->key),
						  fprs[i])) < 0)
				goto out;
			keep[nkeep].created_at = xstrdup(now);
			keep[nkeep].enc = buf_detach(&enc);
			keep[nkeep].only = cf_sops_only_recipient(keep[nkeep].enc);
		}
		keep[nkeep].fp = cf_fpr_upper(xstrdup(fprs[i]));
		nkeep++;
	}
	for (size_t i = 0; i < s->sops.npgp; i++) {
		free(s->sops.pgp[i].created_at);
		free(s->sops.pgp[i].enc);
		free(s->sops.pgp[i].fp);
	}
	free(s->sops.pgp);
	s->sops.pgp = keep;
	s->sops.npgp = nkeep;
	keep = NULL;
	ret = 0;
out:
	if (keep) {
		for (size_t i = 0; i < nkeep; i++) {
			free(keep[i].created_at);
			free(keep[i].enc);
			free(keep[i].fp);
		}
		free(keep);
	}
	buf_release(&enc);
	return ret;
}

static int encrypt_fields(struct cf_secret *s, struct cf_fields *f,
			  const char *section)
{
	struct buf aad = BUF_INIT, enc = BUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < f->n && !ret; i++) {
		struct cf_field *x = &f->v[i];

		if (x->enc && !x->dirty)
			continue;
		buf_reset(&aad);
		buf_addf(&aad, "%s:%s:", section, x->name);
		free(x->enc);
		x->enc = NULL;
		if (!x->plain.len) {
			x->enc = xstrdup("");	/* sops leaves "" clear */
		} else if ((ret = cf_sops_enc_value(&enc, s->key, x->plain.ptr,
						    x->plain.len, aad.ptr,
						    "str")) == 0) {
			x->enc = buf_detach(&enc);
		}
		x->dirty = 0;
	}
	buf_release(&aad);
	buf_release(&enc);
	return ret;
}

int cf_secret_serialize(struct secbuf *out, struct cf_secret *s,
			const char *now)
{
	struct cf_ynode *plain = NULL, *doc = NULL;
	char mac[129];
	int ret = -1;

	if (!s->opened)
		return cf_error_set(CF_EGENERIC, "secret is not decrypted");
	if (!s->sops.npgp)
		return cf_error_set(CF_EGENERIC, "secret has no recipients");
	meta_normalize(s);
	if ((ret = encrypt_fields(s, &s->data, "data")) < 0 ||
	    (ret = encrypt_fields(s, &s->prev, "previous")) < 0)
		goto out;
	plain = doc_tree(s, 1);
	if ((ret = cf_sops_mac(mac, plain, &s->sops)) < 0 ||
	    (ret = cf_sops_seal(&s->sops, s->key, mac, now)) < 0)
		goto out;
	doc = doc_tree(s, 0);
	cf_ymap_set(doc, "sops", cf_sops_meta_node(&s->sops));
	secbuf_reset(out);
	cf_yaml_emit(out, doc);
	s->rekeyed = 0;
	ret = 0;
out:
	cf_ynode_free(plain);
	cf_ynode_free(doc);
	explicit_bzero(mac, sizeof(mac));
	return ret;
}

void cf_secret_new_version(struct cf_secret *s, const char *now,
			   const char *by)
{
	cf_meta_set_int(s, "version", cf_meta_version(s) + 1);
	cf_meta_set_str(s, "updated", now);
	cf_meta_set_str(s, "updated_by", by);
	cf_meta_unset(s, "exposed");
}
