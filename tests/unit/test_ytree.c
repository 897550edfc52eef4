/* test_ytree.c: the YAML tree: scalars, map and seq helpers, growth,
 * deep copies. */
#include <stdlib.h>

#include "../../lib/buf.h"
#include "../../lib/ytree.h"
#include "tap.h"

static void test_scalars(void)
{
	struct cf_ynode *s = cf_ynode_str("a\0b", 3), *p = cf_ynode_plain("42");
	struct cf_ynode *z = cf_ynode_strz("word");

	ok(s->kind == CF_Y_SCALAR && s->len == 3 &&
	   !memcmp(s->str, "a\0b", 4) && !s->plain, "a string keeps its bytes, NUL-terminated, quoted");
	ok(p->plain && p->len == 2 && !strcmp(p->str, "42"), "a plain scalar");
	ok(!z->plain && z->len == 4 && !strcmp(z->str, "word"), "strz");
	cf_ynode_free(s);
	cf_ynode_free(p);
	cf_ynode_free(z);
	cf_ynode_free(NULL);
	ok(1, "freeing NULL does nothing");
}

static void test_map(void)
{
	struct cf_ynode *m = cf_ynode_map(), *v, *seq = cf_ynode_seq();
	char *key = xstrdup("c");
	int order = 1;

	cf_ymap_set(m, "a", cf_ynode_strz("1"));
	cf_ymap_set(m, "b", cf_ynode_strz("2"));
	cf_ymap_set(m, "a", cf_ynode_strz("3"));
	ok(m->n == 2 && !strcmp(cf_ymap_get(m, "a")->str, "3"),
	   "set replaces a value in place");
	ok(!cf_ymap_get(m, "x") && !cf_ymap_get(NULL, "a") &&
	   !cf_ymap_get(seq, "a"), "get: NULL when absent or not a map");
	ok(cf_ymap_add(m, key, 7, cf_ynode_strz("4")) == 0 && m->n == 3 &&
	   m->pairs[2].line == 7, "add appends a new key with its line");
	key = xstrdup("a");
	v = cf_ynode_strz("5");
	ok(cf_ymap_add(m, key, 8, v) < 0 && m->n == 3,
	   "add refuses a key that is there");
	free(key);
	cf_ynode_free(v);
	v = cf_ymap_take(m, "a");
	ok(v && !strcmp(v->str, "3") && m->n == 2 &&
	   !strcmp(m->pairs[0].key, "b") && !strcmp(m->pairs[1].key, "c"),
	   "take removes the pair and keeps the order");
	cf_ynode_free(v);
	ok(!cf_ymap_take(m, "a"), "take: NULL when absent");
	for (int i = 0; i < 100; i++) {
		char k[8];

		snprintf(k, sizeof(k), "k%d", i);
		cf_ymap_set(m, k, cf_ynode_plain(k + 1));
	}
	for (int i = 0; i < 100; i++)
		order &= m->pairs[i + 2].val->str[0] == "0123456789"[
			i < 10 ? i : i / 10];
	ok(m->n == 102 && order, "a map grows and keeps its order");
	cf_ynode_free(m);
	cf_ynode_free(seq);
}

static void test_dup(void)
{
	struct cf_ynode *m = cf_ynode_map(), *l = cf_ynode_seq(), *d, *dl;

	cf_yseq_add(l, cf_ynode_plain("1"));
	cf_yseq_add(l, cf_ynode_map());
	cf_ymap_set(m, "list", l);
	cf_ymap_set(m, "s", cf_ynode_strz("x"));
	m->line = 3;
	d = cf_ynode_dup(m);
	dl = cf_ymap_get(d, "list");
	ok(d != m && d->line == 3 && d->n == 2 && dl && dl != l &&
	   dl->n == 2 && dl->items[0]->plain && dl->items[1]->kind == CF_Y_MAP,
	   "dup copies the whole tree, lines and plainness");
	cf_ymap_set(d, "s", cf_ynode_strz("y"));
	ok(!strcmp(cf_ymap_get(m, "s")->str, "x"), "the copy is apart");
	cf_ynode_free(m);
	cf_ynode_free(d);
}

int main(void)
{
	test_scalars();
	test_map();
	test_dup();
	return tap_done();
}
