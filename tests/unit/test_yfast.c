/* test_yfast.c: the fast reader never disagrees with libyaml. Every
 * input it accepts, libyaml must accept as the very same tree (kinds,
 * text, plain or quoted, line numbers). Inputs: emitted trees of every
 * shape, hand-written YAML that is almost the emitter's layout, the sops
 * vectors in tests/fixtures/sops (a missing directory is a failure), and
 * many mutants of all of them. The reader must also accept what coffer
 * writes, or the speed is lost. Run from the top of the tree. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../lib/buf.h"
#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/yemit.h"
#include "../../lib/yfast.h"
#include "../../lib/yparse.h"
#include "tap.h"

#define VECTORS "tests/fixtures/sops"

/* Where a and b first differ, into why; 1 if they are the same. */
static int same_tree(const struct cf_ynode *a, const struct cf_ynode *b,
		     char *why, size_t n)
{
	if (a->kind != b->kind || a->line != b->line) {
		snprintf(why, n, "kind %d/%d line %d/%d", a->kind, b->kind,
			 a->line, b->line);
		return 0;
	}
	if (a->kind == CF_Y_SCALAR) {
		if (a->len == b->len && !memcmp(a->str, b->str, a->len) &&
		    a->plain == b->plain)
			return 1;
		snprintf(why, n, "line %d: '%.40s' (plain %d) / '%.40s' (plain %d)",
			 a->line, a->str, a->plain, b->str, b->plain);
		return 0;
	}
	if (a->n != b->n) {
		snprintf(why, n, "line %d: %zu / %zu entries", a->line, a->n, b->n);
		return 0;
	}
	for (size_t i = 0; i < a->n; i++) {
		if (a->kind == CF_Y_SEQ) {
			if (!same_tree(a->items[i], b->items[i], why, n))
				return 0;
			continue;
		}
		if (strcmp(a->pairs[i].key, b->pairs[i].key) ||
		    a->pairs[i].line != b->pairs[i].line) {
			snprintf(why, n, "key '%s' line %d / '%s' line %d",
				 a->pairs[i].key, a->pairs[i].line,
				 b->pairs[i].key, b->pairs[i].line);
			return 0;
		}
		if (!same_tree(a->pairs[i].val, b->pairs[i].val, why, n))
			return 0;
	}
	return 1;
}

static size_t accepted, checked, disagreed;

/* Both readers on one input: if the fast one accepts, libyaml gives
 * the same tree. Returns what the fast one said. */
static int agree(const char *doc, size_t len, const char *name)
{
	struct cf_ynode *fast = NULL, *slow = NULL;
	char why[200] = "";
	int f, s, same = 1;

	if (memchr(doc, '\0', len))
		return 0;	/* cf_yaml_parse refuses these first */
	f = cf_yfast_parse(&fast, doc, len);
	s = cf_yaml_parse_libyaml(&slow, doc, len, "t");
	checked++;
	if (f) {
		accepted++;
		if (s < 0) {
			snprintf(why, sizeof(why), "libyaml refuses it: %s",
				 cf_error_last());
			same = 0;
		} else {
			same = same_tree(fast, slow, why, sizeof(why));
		}
	}
	if (!same && disagreed++ < 10)	/* the first few, in full */
		ok(0, "%s: readers disagree: %s\n#   input: '%.*s'", name, why,
		   (int)len, doc);
	cf_ynode_free(fast);
	cf_ynode_free(slow);
	return f;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next_rand(void)	/* xorshift64: the same run each time */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Mutants of doc: bytes deleted, inserted, replaced; lines doubled. */
static void mutate(const char *doc, size_t len, const char *name, int count)
{
	static const char sig[] = " :-#\n\"'|>{}[],&*!%@`\\\t?~0.";
	char *m = malloc(len * 2 + 8);

	for (int k = 0; k < count; k++) {
		size_t at = len ? next_rand() % len : 0, ml = 0;
		char c = sig[next_rand() % (sizeof(sig) - 1)];

		switch (next_rand() % 4) {
		case 0:	/* delete one byte */
			memcpy(m, doc, at);
			memcpy(m + at, doc + at + 1, len - at - 1);
			ml = len - 1;
			break;
		case 1:	/* insert one */
			memcpy(m, doc, at);
			m[at] = c;
			memcpy(m + at + 1, doc + at, len - at);
			ml = len + 1;
			break;
		case 2:	/* replace one */
			memcpy(m, doc, len);
			m[at] = c;
			ml = len;
			break;
		default: {	/* double the line at 'at' */
			size_t b = at, e = at;

			while (b && doc[b - 1] != '\n')
				b--;
			while (e < len && doc[e] != '\n')
				e++;
			e += e < len;
			memcpy(m, doc, e);
			memcpy(m + e, doc + b, e - b);
			memcpy(m + e + (e - b), doc + e, len - e);
			ml = len + (e - b);
		}
		}
		agree(m, ml, name);
	}
	free(m);
}

static const char *strs[] = {
	"plain", "true", "yes", "null", "", "42", "-7", "0x10", "1.5", "1e3",
	"2024-01-01", "2026-12-01T19:01:27Z", " lead", "trail ", "a: b",
	"a #b", "a#b", "#c", "- x", "-x", "'q'", "\"dq\"", "tab\there",
	"line\nbreak", "end\n", "two\n\n", "\n\nlead newlines",
	"  indented\nblock", "x\r\ny", "ünïcödé", "back\\slash",
	"ENC[AES256_GCM,data:a,iv:b,tag:c,type:str]", "{flow}", "[flow]",
	"&anchor", "*alias", "!tag", "%dir", "@at", "`tick", "1:20", "~",
	"trailing spaces  \nnext", "a\n  \nb", "a:b", "a:", ":a", "?", "? x",
	"x\x01y", "del\x7f", "q\"in\\side", "multi\nline\n\nwith gaps\n",
	"-----BEGIN PGP MESSAGE-----\n\nhF4D\n=mIsT\n-----END PGP MESSAGE-----",
};

/* A tree with each string as a map value, a list item and inside a
 * list of maps; and plain numbers, {} and [] nested. */
static struct cf_ynode *sample_tree(void)
{
	struct cf_ynode *root = cf_ynode_map(), *m = cf_ynode_map();
	struct cf_ynode *l = cf_ynode_seq(), *lm = cf_ynode_seq();
	struct cf_ynode *deep = cf_ynode_seq();
	struct cf_ynode *inner = cf_ynode_seq();
	size_t n = sizeof(strs) / sizeof(strs[0]);

	for (size_t i = 0; i < n; i++) {
		struct cf_ynode *e = cf_ynode_map();
		char k[16];

		snprintf(k, sizeof(k), "k%zu", i);
		cf_ymap_set(m, k, cf_ynode_strz(strs[i]));
		cf_yseq_add(l, cf_ynode_strz(strs[i]));
		cf_ymap_set(e, "created_at", cf_ynode_strz(strs[i]));
		cf_ymap_set(e, "enc", cf_ynode_strz(strs[(i + 1) % n]));
		cf_yseq_add(lm, e);
	}
	cf_ymap_set(root, "meta", m);
	cf_ymap_set(root, "list", l);
	cf_ymap_set(root, "pgp", lm);
	cf_ymap_set(root, "empty_map", cf_ynode_map());
	cf_ymap_set(root, "empty_list", cf_ynode_seq());
	cf_ymap_set(root, "version", cf_ynode_plain("3"));
	cf_ymap_set(root, "bits", cf_ynode_plain("43.6"));
	cf_yseq_add(inner, cf_ynode_plain("x"));
	cf_yseq_add(inner, cf_ynode_map());
	cf_yseq_add(deep, inner);
	cf_yseq_add(deep, cf_ynode_seq());
	cf_ymap_set(root, "nested", deep);
	return root;
}

/* Almost the emitter's layout, each a trap for a line-based reader. */
static const char *near[] = {
	"a: 1\n",
	"a: 1",				/* no final newline */
	"a: 1\n\n",			/* blank line at the end */
	"# comment\na: 1\n",
	"a: 1 # comment\n",
	"---\na: 1\n",
	"a: 1\n...\n",
	"a: foo\n    bar\n",		/* plain continued on the next line */
	"a:\n    b: foo\n  bar\n",
	"a: \"foo\n    bar\"\n",	/* quoted over two lines */
	"a: 'single'\n",
	"a:\n- x\n- y\n",		/* list at the key's indentation */
	"a:\n  - x\n",			/* two spaces */
	"a:\n    - x\n   - y\n",
	"a:\n    b: 1\n   c: 2\n",
	"a:\n    b: 1\n        c: 2\n",
	"a: |-\n    x\n   y\n",
	"a: |-\n      x\n    y\n",		/* more indented first line */
	"a: |2-\n      x\n",		/* indentation indicator */
	"a: >-\n    folded\n    text\n",
	"a: |-\n    x\n\n",
	"a: |\n    x\n\n\n",
	"a: |+\n    x\n\n",
	"a: |-\n    x\n    \n    y\n",	/* a line of spaces */
	"a: |-\n\tx\n",
	"a: {}\n",
	"a: {b: 1}\n",
	"a: [1, 2]\n",
	"a: []\nb: {}\n",
	"a:\n    - {}\n    - []\n",
	"a:\n    -\n        - x\n",
	"a:\n    - - x\n",
	"a:\n    - b: 1\n      c: 2\n",
	"a:\n    - b: 1\n        c: 2\n",
	"a:\n    - b: 1\n    c: 2\n",
	"a: 1\na: 2\n",			/* duplicate */
	"\"a\": 1\n",
	"'a': 1\n",
	"? a\n: 1\n",
	"a : 1\n",
	"a:  1\n",
	"a:\t1\n",
	"a: 1\r\n",
	"a: \"\\u00e9\"\n",
	"a: \"\\x41\"\n",
	"a: \"\\x4\"\n",
	"a: \"\\e\"\n",
	"a: \"x\"y\n",
	"a: \"x\" \n",
	"a: &x 1\nb: *x\n",
	"a: !!str 1\n",
	"a: !t 1\n",
	"a: %x\n",
	"a: @x\n",
	"a: b: c\n",
	"a: b #c\n",
	"a:b: c\n",
	"a:\n",
	"a: \n",
	"a:\n\nb: 1\n",
	" a: 1\n",
	"- a\n- b\n",
	"-1\n",
	"plain\n",
	"\"x\"\n",
	"a: -\n",
	"a: - b\n",
	"a:\n    -\n",
	"a:\n    - \n",
	"a:\n    -x\n",
	"a: ~\n",
	"a: null\nb: true\nc: 0x1F\nd: 1_000\ne: .inf\n",
	"a: yes\nb: on\nc: 1:20\n",
	"\xef\xbb\xbf" "a: 1\n",	/* byte order mark */
	"a: \xc3\xa9\n",
	"a: \"\xc3\xa9\"\n",
	"a: |-\n    \xc3\xa9\n",
	"a: \"\xff\"\n",		/* not UTF-8 */
	"a: |-\n    \xff\n",
};

/* Each string as a key: the emitter quotes some, which the fast reader
 * leaves to libyaml. */
static void test_keys(void)
{
	struct cf_ynode *keys = cf_ynode_map();
	struct secbuf out = SECBUF_INIT;
	size_t before = disagreed;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (!cf_ymap_get(keys, strs[i]))
			cf_ymap_set(keys, strs[i], cf_ynode_plain("1"));
	cf_yaml_emit(&out, keys);
	agree(out.ptr, out.len, "keys");
	mutate(out.ptr, out.len, "keys mutant", 2000);
	ok(disagreed == before, "every string as a key, and 2000 mutants: "
	   "no disagreement");
	cf_ynode_free(keys);
	secbuf_release(&out);
}

static void test_shapes(void)
{
	struct cf_ynode *t = sample_tree();
	struct secbuf out = SECBUF_INIT;
	size_t before;

	cf_yaml_emit(&out, t);
	ok(agree(out.ptr, out.len, "emitted sample"),
	   "the fast reader reads an emitted tree of every shape");
	before = disagreed;
	mutate(out.ptr, out.len, "sample mutant", 5000);
	ok(disagreed == before, "5000 mutants of it: no disagreement");
	cf_ynode_free(t);
	secbuf_release(&out);
	before = disagreed;
	for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "near-layout #%zu", i);
		agree(near[i], strlen(near[i]), name);
		mutate(near[i], strlen(near[i]), name, 200);
	}
	ok(disagreed == before, "%zu near-layout inputs and their mutants: "
	   "no disagreement", sizeof(near) / sizeof(near[0]));
}

/* What coffer writes must take the fast path. */
static void test_accepts_coffer_layout(void)
{
	static const char file[] =
		"meta:\n"
		"    version: 1\n"
		"    created: \"2026-12-01T19:01:27Z\"\n"
		"    updated_by: alice\n"
		"    rotation:\n"
		"        every: 90d\n"
		"    strength_bits: 43.6\n"
		"    tags:\n"
		"        environment: production\n"
		"    description: the main database, for the \"app\" role\n"
		"    exposed:\n"
		"        - principal: bob\n"
		"          at: \"2026-12-01T19:01:27Z\"\n"
		"data:\n"
		"    value: ENC[AES256_GCM,data:Q9ih,iv:itp=,tag:Xux==,type:str]\n"
		"    empty: \"\"\n"
		"sops:\n"
		"    encrypted_regex: ^(data|previous)$\n"
		"    pgp:\n"
		"        - created_at: \"2026-12-01T19:01:27Z\"\n"
		"          enc: |-\n"
		"            -----BEGIN PGP MESSAGE-----\n"
		"\n"
		"            hF4D1Xd2BdTRUl0SAQdAttL7Fl7Wh\n"
		"            =mIsT\n"
		"            -----END PGP MESSAGE-----\n"
		"          fp: 0439F45B319986A5BE7EC4F105D4CBA2204E1256\n"
		"    version: 3.13.2\n";
	struct cf_ynode *n = NULL;
	size_t before = disagreed;

	ok(agree(file, strlen(file), "coffer file") && disagreed == before,
	   "a secret file as coffer writes it takes the fast path");
	ok(!cf_yfast_parse(&n, "a: 1\n# c\n", 9) && !n,
	   "a comment sends the input to libyaml");
}

static void test_depth(void)
{
	struct buf doc = BUF_INIT;
	struct cf_ynode *n = NULL;

	for (int d = 0; d < 70; d++) {
		for (int i = 0; i < d * 4; i++)
			buf_addch(&doc, ' ');
		buf_adds(&doc, d + 1 < 70 ? "k:\n" : "k: 1\n");
	}
	ok(!cf_yfast_parse(&n, doc.ptr, doc.len),
	   "deep nesting is left to libyaml");
	ok(cf_yaml_parse(&n, doc.ptr, doc.len, "t") == CF_EINTEGRITY &&
	   strstr(cf_error_last(), "too deep"), "which refuses it");
	cf_ynode_free(n);
	buf_release(&doc);
}

static void test_vectors(void)
{
	DIR *d = opendir(VECTORS);
	struct dirent *e;
	size_t files = 0, fast = 0, before = disagreed;

	if (!d) {
		ok(0, "the sops vectors are in %s", VECTORS);
		return;
	}
	while ((e = readdir(d))) {
		struct secbuf data = SECBUF_INIT;
		struct buf path = BUF_INIT;
		size_t l = strlen(e->d_name);

		if (l < 5 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		buf_addf(&path, "%s/%s", VECTORS, e->d_name);
		if (cf_file_read(&data, path.ptr, (size_t)1 << 20) == 0) {
			files++;
			fast += agree(data.ptr, data.len, e->d_name);
			mutate(data.ptr, data.len, e->d_name, 500);
		} else {
			ok(0, "read %s: %s", path.ptr, cf_error_last());
		}
		secbuf_release(&data);
		buf_release(&path);
	}
	closedir(d);
	ok(files > 0 && disagreed == before,
	   "%zu sops vectors (%zu on the fast path) and their mutants: "
	   "no disagreement", files, fast);
}

int main(void)
{
	test_accepts_coffer_layout();
	test_shapes();
	test_keys();
	test_depth();
	test_vectors();
	/* The mutants must reach the fast reader's accept path often, or
	 * the comparison above proves little. */
	ok(accepted > checked / 20, "%zu of %zu inputs took the fast path",
	   accepted, checked);
	return tap_done();
}
