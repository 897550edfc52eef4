/* test_yparse.c: cf_yaml_parse, the front door: the parser's refusals
 * and their code, lines in the tree, and both readers behind it giving
 * the same tree. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/yemit.h"
#include "../../lib/yfast.h"
#include "../../lib/yparse.h"
#include "../../lib/yscalar.h"
#include "tap.h"

static int parse_fails(const char *doc, const char *why)
{
	struct cf_ynode *n = NULL;
	int r = cf_yaml_parse(&n, doc, strlen(doc), "t");

	cf_ynode_free(n);
	return r == CF_EINTEGRITY && cf_error_code() == CF_EINTEGRITY &&
	       strstr(cf_error_last(), why) != NULL;
}

static void test_refusals(void)
{
	char deep[400];

	ok(parse_fails("a: &x 1\nb: *x\n", "anchors"), "anchors refused");
	ok(parse_fails("a: [*x]\n", ""), "undefined alias refused");
	ok(parse_fails("a: 1\na: 2\n", "duplicate key"), "duplicate keys refused");
	ok(parse_fails("? [a]\n: 1\n", "keys must be strings"),
	   "non-scalar keys refused");
	ok(parse_fails("a: 1\n---\nb: 2\n", "several YAML documents"),
	   "several documents refused");
	ok(parse_fails("a: !!binary aGk=\n", "tags"), "unknown tags refused");
	ok(parse_fails("a: !!set {b: 1}\n", "tags"), "unknown map tags refused");
	ok(parse_fails("a: !!omap [b]\n", "tags"), "unknown seq tags refused");
	ok(parse_fails("a:\n- [1, &x 2]\n", "anchors"),
	   "anchors in a list refused");
	ok(parse_fails("a:\n    b: *x\n", ""), "an alias as a value refused");
	ok(parse_fails("a: [1\n", "malformed"), "malformed YAML refused");
	ok(parse_fails("", "empty"), "empty document refused");
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	ok(parse_fails(deep, "too deep"), "nesting over 64 refused");
	{
		struct cf_ynode *n = NULL;

		ok(cf_yaml_parse(&n, "a: 1\nb\0: 2\n", 11, "t") ==
		   CF_EINTEGRITY && strstr(cf_error_last(), "NUL"),
		   "a NUL byte in the input is refused");
		cf_ynode_free(n);
	}
	{
		struct cf_ynode *n = NULL;
		const char *doc = "k: !!str 42\n";

		ok(cf_yaml_parse(&n, doc, strlen(doc), "t") == 0 &&
		   cf_yscalar_type(cf_ymap_get(n, "k")) == CF_YT_STR,
		   "!!str makes a string");
		cf_ynode_free(n);
	}
}

/* Both readers give one tree: the fast one for the emitter's layout,
 * libyaml for the rest, and line numbers are the source's. */
static void test_front_door(void)
{
	static const char emitted[] = "a: 1\nb:\n    - x\n    - \"y: z\"\n";
	static const char other[] = "# c\na: 1\nb: [x, 'y: z']\n";
	struct cf_ynode *f = NULL, *o = NULL, *l, *lo;
	struct secbuf out = SECBUF_INIT;

	ok(cf_yfast_parse(&f, emitted, strlen(emitted)) && f,
	   "the fast reader takes the emitter's layout");
	cf_ynode_free(f);
	f = NULL;
	ok(!cf_yfast_parse(&o, other, strlen(other)) && !o,
	   "and leaves the rest to libyaml");
	ok(cf_yaml_parse(&f, emitted, strlen(emitted), "t") == 0 &&
	   cf_yaml_parse(&o, other, strlen(other), "t") == 0,
	   "the emitter's layout and a flow list both parse");
	l = f ? cf_ymap_get(f, "b") : NULL;
	lo = o ? cf_ymap_get(o, "b") : NULL;
	ok(l && lo && l->n == 2 && lo->n == 2 &&
	   !strcmp(l->items[1]->str, "y: z") &&
	   !strcmp(lo->items[1]->str, "y: z") &&
	   !l->items[1]->plain && !lo->items[1]->plain,
	   "the same list from both");
	ok(f && o && cf_ymap_get(f, "a")->line == 1 &&
	   cf_ymap_get(o, "a")->line == 2 && l && l->items[1]->line == 4,
	   "lines are the source's");
	if (o) {
		cf_yaml_emit(&out, o);
		is_str(out.ptr, emitted, "the other reads back in the layout");
	}
	cf_ynode_free(f);
	cf_ynode_free(o);
	secbuf_release(&out);
}

int main(void)
{
	test_refusals();
	test_front_door();
	return tap_done();
}
