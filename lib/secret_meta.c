/* secret_meta.c: typed access to a secret's clear meta (SPEC 3). The
 * schema is checked when a file is parsed (secret.c); nothing outside
 * lib reads or writes meta as YAML nodes. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "error.h"
#include "secret_meta.h"
#include "yjson.h"


long cf_meta_version(const struct cf_secret *s)
{
	const struct cf_ynode *v = cf_ymap_get(s->meta, "version");

	return v && v->kind == CF_Y_SCALAR ? strtol(v->str, NULL, 10) : 0;
}

const char *cf_meta_str(const struct cf_secret *s, const char *key)
{
	const struct cf_ynode *v = cf_ymap_get(s->meta, key);

	return v && v->kind == CF_Y_SCALAR ? v->str : NULL;
}

void cf_meta_set_str(struct cf_secret *s, const char *key, const char *val)
{
	cf_ymap_set(s->meta, key, cf_ynode_strz(val));
}

void cf_meta_set_int(struct cf_secret *s, const char *key, long val)
{
	char num[32];

	snprintf(num, sizeof(num), "%ld", val);
	cf_ymap_set(s->meta, key, cf_ynode_plain(num));
}

void cf_meta_unset(struct cf_secret *s, const char *key)
{
	cf_ynode_free(cf_ymap_take(s->meta, key));
}

/* Sets or removes key in the mapping meta.<section>, which exists only
 * while it holds something. */
static void submap_set(struct cf_secret *s, const char *section,
		       const char *key, const char *val)
{
	struct cf_ynode *m = cf_ymap_get(s->meta, section);

	if (!m) {
		if (!val)
			return;
		m = cf_ynode_map();
		cf_ymap_set(s->meta, section, m);
	}
	if (val)
		cf_ymap_set(m, key, cf_ynode_strz(val));
	else
		cf_ynode_free(cf_ymap_take(m, key));
	if (!m->n)
		cf_meta_unset(s, section);
}

void cf_meta_set_rotation(struct cf_secret *s, const char *key,
			  const char *val)
{
	submap_set(s, "rotation", key, val);
}

void cf_meta_set_tag(struct cf_secret *s, const char *key, const char *val)
{
	submap_set(s, "tags", key, val);
}

int cf_meta_is_binary(const struct cf_secret *s, const char *field)
{
	const struct cf_ynode *b = cf_ymap_get(s->meta, "binary");

	for (size_t i = 0; b && i < b->n; i++)
		if (!strcmp(b->items[i]->str, field))
			return 1;
	return 0;
}

void cf_meta_set_binary(struct cf_secret *s, const char *field, int on)
{
	struct cf_ynode *b = cf_ymap_get(s->meta, "binary");

	if (on == cf_meta_is_binary(s, field))
		return;
	if (on) {
		if (!b) {
			b = cf_ynode_seq();
			cf_ymap_set(s->meta, "binary", b);
		}
		cf_yseq_add(b, cf_ynode_strz(field));
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->items[i]->str, field))
			continue;
		cf_ynode_free(b->items[i]);
		memmove(&b->items[i], &b->items[i + 1],
			(b->n - i - 1) * sizeof(*b->items));
		b->n--;
		break;
	}
	if (!b->n)
		cf_meta_unset(s, "binary");
}

const struct cf_ynode *cf_meta_rules(const struct cf_secret *s)
{
	return cf_ymap_get(s->meta, "validate");
}

void cf_meta_set_rules(struct cf_secret *s, const struct cf_ynode *rules)
{
	if (rules)
		cf_ymap_set(s->meta, "validate", cf_ynode_dup(rules));
	else
		cf_meta_unset(s, "validate");
}

const char *cf_meta_rotation(const struct cf_secret *s, const char *key)
{
	const struct cf_ynode *v = cf_ymap_get(cf_ymap_get(s->meta, "rotation"),
					       key);

	return v && v->kind == CF_Y_SCALAR ? v->str : NULL;
}

const char *cf_meta_rotation_state(const struct cf_secret *s)
{
	const char *v = cf_meta_rotation(s, "state");

	return v && strcmp(v, "idle") ? v : NULL;
}

int cf_meta_strength(const struct cf_secret *s, double *bits)
{
	const char *v = cf_meta_str(s, "strength_bits");

	if (!v)
		return 0;
	*bits = strtod(v, NULL);
	return 1;
}

void cf_meta_set_strength(struct cf_secret *s, double bits)
{
	char b[32];

	snprintf(b, sizeof(b), "%.1f", bits);
	cf_ymap_set(s->meta, "strength_bits", cf_ynode_plain(b));
}

const char *cf_meta_tag(const struct cf_secret *s, const char *key)
{
	const struct cf_ynode *v = cf_ymap_get(cf_ymap_get(s->meta, "tags"),
					       key);

	return v && v->kind == CF_Y_SCALAR ? v->str : NULL;
}

int cf_meta_tag_at(const struct cf_secret *s, size_t i, const char **key,
		   const char **val)
{
	const struct cf_ynode *t = cf_ymap_get(s->meta, "tags");

	if (!t || t->kind != CF_Y_MAP || i >= t->n)
		return 0;
	*key = t->pairs[i].key;
	*val = t->pairs[i].val->str;
	return 1;
}

static const char *entry_str(const struct cf_ynode *e, const char *key)
{
	const struct cf_ynode *v = cf_ymap_get(e, key);

	return v && v->kind == CF_Y_SCALAR ? v->str : NULL;
}

int cf_meta_exposed_at(const struct cf_secret *s, size_t i,
		       struct cf_exposure *out)
{
	const struct cf_ynode *l = cf_ymap_get(s->meta, "exposed");

	if (!l || l->kind != CF_Y_SEQ || i >= l->n)
		return 0;
	out->principal = entry_str(l->items[i], "principal");
	out->fingerprint = entry_str(l->items[i], "fingerprint");
	out->removed = entry_str(l->items[i], "removed");
	return 1;
}

void cf_meta_expose(struct cf_secret *s, const char *who, const char *fpr,
		    const char *now)
{
	struct cf_ynode *list = cf_ymap_get(s->meta, "exposed"), *e;
	struct cf_exposure x;

	for (size_t i = 0; cf_meta_exposed_at(s, i, &x); i++)
		if (x.fingerprint && !strcasecmp(x.fingerprint, fpr))
			return;
	if (!list) {
		list = cf_ynode_seq();
		cf_ymap_set(s->meta, "exposed", list);
	}
	e = cf_ynode_map();
	cf_ymap_set(e, "principal", cf_ynode_strz(who));
	cf_ymap_set(e, "fingerprint", cf_ynode_strz(fpr));
	cf_ymap_set(e, "removed", cf_ynode_strz(now));
	cf_yseq_add(list, e);
}

int cf_field_value(struct secbuf *out, const struct cf_secret *s,
		   const struct cf_field *f)
{
	if (cf_meta_is_binary(s, f->name))
		return cf_base64_decode(out, f->plain.ptr, f->plain.len) < 0 ?
		       cf_error_set(CF_EINTEGRITY,
				    "binary field '%s' is not base64", f->name) : 0;
	secbuf_set(out, f->plain.ptr, f->plain.len);
	return 0;
}

void *cf_meta_to_json(const struct cf_secret *s)
{
	return cf_ynode_to_json(s->meta);
}
