/* ytree.c: the YAML tree: nodes, freeing with wiping, map and seq
 * helpers. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "secbuf.h"
#include "ytree.h"

static struct cf_ynode *node_new(enum cf_ykind kind)
{
	struct cf_ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

struct cf_ynode *cf_ynode_map(void)
{
	return node_new(CF_Y_MAP);
}

struct cf_ynode *cf_ynode_seq(void)
{
	return node_new(CF_Y_SEQ);
}

struct cf_ynode *cf_ynode_str(const char *s, size_t len)
{
	struct cf_ynode *n = node_new(CF_Y_SCALAR);

	n->str = xstrndup(s, len);
	n->len = len;
	return n;
}

struct cf_ynode *cf_ynode_strz(const char *s)
{
	return cf_ynode_str(s, strlen(s));
}

struct cf_ynode *cf_ynode_plain(const char *s)
{
	struct cf_ynode *n = cf_ynode_strz(s);

	n->plain = 1;
	return n;
}

void cf_ynode_free(struct cf_ynode *n)
{
	if (!n)
		return;
	wipe_free(n->str, n->len);
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == CF_Y_MAP) {
			free(n->pairs[i].key);
			cf_ynode_free(n->pairs[i].val);
		} else {
			cf_ynode_free(n->items[i]);
		}
	}
	free(n->pairs);
	free(n->items);
	free(n);
}

struct cf_ynode *cf_ynode_dup(const struct cf_ynode *n)
{
	struct cf_ynode *d;

	if (n->kind == CF_Y_SCALAR) {
		d = cf_ynode_str(n->str, n->len);
		d->plain = n->plain;
	} else {
		d = node_new(n->kind);
		for (size_t i = 0; i < n->n; i++) {
			if (n->kind == CF_Y_MAP)
				cf_ymap_set(d, n->pairs[i].key,
					    cf_ynode_dup(n->pairs[i].val));
			else
				cf_yseq_add(d, cf_ynode_dup(n->items[i]));
		}
	}
	d->line = n->line;
	return d;
}

static void reserve(struct cf_ynode *n)
{
	if (n->n < n->cap)
		return;
	n->cap = n->cap ? n->cap * 2 : 8;
	if (n->kind == CF_Y_MAP)
		n->pairs = xrealloc(n->pairs, n->cap * sizeof(*n->pairs));
	else
		n->items = xrealloc(n->items, n->cap * sizeof(*n->items));
}

struct cf_ynode *cf_ymap_get(const struct cf_ynode *map, const char *key)
{
	if (!map || map->kind != CF_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->pairs[i].key, key))
			return map->pairs[i].val;
	return NULL;
}

void cf_ymap_set(struct cf_ynode *map, const char *key, struct cf_ynode *val)
{
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->pairs[i].key, key)) {
			cf_ynode_free(map->pairs[i].val);
			map->pairs[i].val = val;
			return;
		}
	}
	reserve(map);
	map->pairs[map->n].key = xstrdup(key);
	map->pairs[map->n].line = val ? val->line : 0;
	map->pairs[map->n].val = val;
	map->n++;
}

struct cf_ynode *cf_ymap_take(struct cf_ynode *map, const char *key)
{
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->pairs[i].key, key)) {
			struct cf_ynode *v = map->pairs[i].val;

			free(map->pairs[i].key);
			memmove(&map->pairs[i], &map->pairs[i + 1],
				(map->n - i - 1) * sizeof(*map->pairs));
			map->n--;
			return v;
		}
	}
	return NULL;
}

int cf_ymap_add(struct cf_ynode *map, char *key, int line,
		struct cf_ynode *val)
{
	if (cf_ymap_get(map, key))
		return -1;
	reserve(map);
	map->pairs[map->n].key = key;
	map->pairs[map->n].line = line;
	map->pairs[map->n].val = val;
	map->n++;
	return 0;
}

void cf_yseq_add(struct cf_ynode *seq, struct cf_ynode *item)
{
	reserve(seq);
	seq->items[seq->n++] = item;
}
