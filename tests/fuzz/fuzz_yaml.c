/* fuzz_yaml.c: the YAML readers. cf_yaml_parse (the front door) never
 * fails badly; whenever the fast reader accepts, libyaml reads the very
 * same tree (kinds, text, plain or quoted, line numbers); and whatever
 * is read, written back by cf_yaml_emit, reads back as the same tree. */
#include "../../lib/common.h"

#include <stdio.h>

#include "../../lib/secbuf.h"
#include "../../lib/yemit.h"
#include "../../lib/yfast.h"
#include "../../lib/yparse.h"
#include "../../lib/yscalar.h"
#include "fuzz.h"

/* 1 if a and b are the same tree. Strict (lines set): the same line
 * numbers and the same plain or quoted scalars, as two readers of one
 * text must give. Otherwise, as the emitter promises: the same text and
 * the same type for each scalar (it may quote what was plain, or leave
 * plain a quoted string that reads as a string anyway). */
static int same_tree(const struct cf_ynode *a, const struct cf_ynode *b,
		     int lines)
{
	if (a->kind != b->kind || (lines && a->line != b->line))
		return 0;
	if (a->kind == CF_Y_SCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len) &&
		       (lines ? a->plain == b->plain :
			cf_yscalar_type(a) == cf_yscalar_type(b));
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->kind == CF_Y_SEQ) {
			if (!same_tree(a->items[i], b->items[i], lines))
				return 0;
			continue;
		}
		if (strcmp(a->pairs[i].key, b->pairs[i].key) ||
		    (lines && a->pairs[i].line != b->pairs[i].line) ||
		    !same_tree(a->pairs[i].val, b->pairs[i].val, lines))
			return 0;
	}
	return 1;
}

/* Whether a key may be too long to be written as an implicit key
 * (libyaml caps those at 1024 characters; over 256 bytes, escaped, it
 * can be more; the emitter has no explicit "? key" form): a known
 * limit, reported with issue 13, not checked here. */
static int long_key(const struct cf_ynode *n)
{
	for (size_t i = 0; n->kind != CF_Y_SCALAR && i < n->n; i++)
		if (n->kind == CF_Y_MAP ? strlen(n->pairs[i].key) > 256 ||
					  long_key(n->pairs[i].val) :
					  long_key(n->items[i]))
			return 1;
	return 0;
}

static void fail(const char *why, const struct secbuf *text)
{
	if (text)
		fprintf(stderr, "emitted:\n%s\n", secbuf_cstr(text));
	fuzz_fail("yaml", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_ynode *front = NULL, *fast = NULL, *slow = NULL, *back = NULL;
	struct secbuf text = SECBUF_INIT;
	char *doc = fuzz_exact(data, size);
	int f, s;

	if (cf_yaml_parse(&front, doc, size, "fuzz") < 0 && front)
		fail("a tree after a failure", NULL);
	if (memchr(doc, '\0', size))
		goto out;	/* refused above, before either reader */
	f = cf_yfast_parse(&fast, doc, size);
	s = cf_yaml_parse_libyaml(&slow, doc, size, "fuzz");
	if (f && s < 0)
		fail("the fast reader accepts what libyaml refuses", NULL);
	if (f && !same_tree(fast, slow, 1))
		fail("the fast reader and libyaml read different trees", NULL);
	if ((front != NULL) != (s == 0) ||
	    (front && !same_tree(front, slow, 1)))
		fail("cf_yaml_parse differs from libyaml", NULL);
	/* a null document ("---", "~") is written as an empty one, which
	 * the readers refuse; coffer writes only mappings */
	if (s < 0 || (slow->kind == CF_Y_SCALAR &&
		      cf_yscalar_type(slow) == CF_YT_NULL) || long_key(slow))
		goto out;
	/* what the emitter writes reads back as the same tree */
	cf_yaml_emit(&text, slow);
	if (cf_yaml_parse(&back, secbuf_cstr(&text), text.len, "emitted") < 0)
		fail("the emitted text does not read back", &text);
	if (!same_tree(slow, back, 0))
		fail("the emitted text reads back as another tree", &text);
out:
	cf_ynode_free(front);
	cf_ynode_free(fast);
	cf_ynode_free(slow);
	cf_ynode_free(back);
	secbuf_release(&text);
	free(doc);
	return 0;
}
