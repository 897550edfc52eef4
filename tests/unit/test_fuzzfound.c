/* test_fuzzfound.c: what the fuzzers in tests/fuzz found, one test
 * each, so that it stays fixed. The inputs themselves are also in the
 * seed corpus (tests/fuzz/corpus/). Run from the top of the tree. */
#include <jansson.h>
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/pgp.h"
#include "../../lib/rules.h"
#include "../../lib/secbuf.h"
#include "../../lib/sops.h"
#include "../../lib/yemit.h"
#include "../../lib/yjson.h"
#include "../../lib/yparse.h"
#include "tap.h"

/* --validate max_length=08 was stored as "08", which is no YAML int:
 * the secret written could not be read again (get: exit 6). */
static void test_rules_leading_zero(void)
{
	struct cf_ynode *r = NULL;
	const struct cf_ynode *n;

	is_int(cf_rules_parse(&r, "min_length=007,max_length=08"), 0,
	       "leading zeros parse");
	n = r ? cf_ymap_get(r, "max_length") : NULL;
	is_str(n ? n->str : "(none)", "8", "and are stored in decimal");
	n = r ? cf_ymap_get(r, "min_length") : NULL;
	is_str(n ? n->str : "(none)", "7", "min_length too");
	is_int(cf_rules_valid(r, "t"), 0, "what parses is valid: %s",
	       cf_error_last());
	cf_ynode_free(r);
}

/* A plain scalar of several lines with an empty one between holds a
 * newline; the emitter wrote it as it was, on one line, and what it
 * wrote did not read back ("could not find expected ':'"). */
static void test_emit_multiline_plain(void)
{
	static const char doc[] = "a: x\n\n  y\nb: 1\n";
	struct cf_ynode *t = NULL, *back = NULL;
	struct secbuf out = SECBUF_INIT;
	const struct cf_ynode *n;

	ok(cf_yaml_parse(&t, doc, strlen(doc), "t") == 0, "reads");
	n = t ? cf_ymap_get(t, "a") : NULL;
	ok(n && n->plain && !strcmp(n->str, "x\ny"), "a plain \"x\\ny\"");
	if (t)
		cf_yaml_emit(&out, t);
	is_int(cf_yaml_parse(&back, secbuf_cstr(&out), out.len, "emitted"), 0,
	       "what the emitter writes reads back: %s", cf_error_last());
	n = back ? cf_ymap_get(back, "a") : NULL;
	ok(n && !strcmp(n->str, "x\ny"), "as the same text");
	n = back ? cf_ymap_get(back, "b") : NULL;
	ok(n && n->plain && !strcmp(n->str, "1"), "the next key stays plain");
	cf_ynode_free(t);
	cf_ynode_free(back);
	secbuf_release(&out);
}

/* Nested repetitions make glibc's regcomp copy subtrees again and
 * again: "a" and 40 '+' took gigabytes. A pattern in a secret's meta,
 * the policy or a sops crypt rule is read by every reader of the file. */
static void test_regex_bomb(void)
{
	char bomb[64] = "pattern=a";
	struct cf_ynode *r = NULL;
	struct cf_sops_meta m;

	memset(bomb + 9, '+', 40);
	is_int(cf_rules_parse(&r, bomb), CF_EUSAGE, "a regex bomb is refused");
	ok(strstr(cf_error_last(), "too complex") != NULL, "saying why: %s",
	   cf_error_last());
	cf_ynode_free(r);
	r = NULL;
	is_int(cf_rules_parse(&r, "pattern=((a{99}){99}){99}"), CF_EUSAGE,
	       "nested counts too");
	cf_ynode_free(r);
	r = NULL;
	is_int(cf_rules_parse(&r, "pattern=^[A-Za-z0-9+/]{20\\,64}=*$|^(ab)+c?$"),
	       0, "a real pattern is not");
	cf_ynode_free(r);
	ok(cf_regex_size("^[a-z]{1,64}(-[a-z]+)*$") < 1000, "it is small");
	/* nested and many repetitions cost regcomp time beyond their
	 * nodes (fuzz_spec: "a+*+*+*+*+*+*" 4 s, "(a*)*" x 2048 36 s) */
	ok(cf_regex_size("a+*+*+*+*+*+*") > CF_REGEX_MAX_SIZE,
	   "repetitions nested deep are refused");
	{
		char stars[8 * 40 + 1] = "";

		for (int k = 0; k < 40; k++)
			memcpy(stars + k * 5, "(a*)*", 6);
		ok(cf_regex_size(stars) > CF_REGEX_MAX_SIZE,
		   "and 80 repetitions");
	}
	ok(cf_regex_size("^((ab+)?c)*$") < 100, "two nested are not");
	/* many short runs add up: regcomp's closures take time quadratic
	 * in the nodes (fuzz_spec: 67000 nodes, 10 s under ASan) */
	{
		char runs[160] = "";

		for (int k = 0; k < 8; k++)	/* 8 x "a" "+" x 12 "L" */
			memcpy(runs + k * 14, "a++++++++++++L", 14);
		ok(cf_regex_size(runs) > CF_REGEX_MAX_SIZE, "runs add up: %.0f",
		   cf_regex_size(runs));
	}
	/* regcomp compiles the bomb in a group before it finds the bracket
	 * unclosed (fuzz_sops: an encrypted_regex, OOM) */
	{
		char g[64] = "^(a";

		memset(g + 3, '+', 40);
		memcpy(g + 43, "[[?[b", 6);
		ok(cf_regex_size(g) > CF_REGEX_MAX_SIZE,
		   "a bomb before an unclosed bracket is counted");
	}
	memset(&m, 0, sizeof(m));
	is_int(cf_sops_meta_set_rule(&m, CF_RULE_ENC_REGEX, bomb + 8),
	       CF_EINTEGRITY, "a sops crypt rule bomb is refused");
	cf_sops_meta_release(&m);
}

/* cf_pgp_keys on a signature (no key packet): &k->v[0] with v NULL,
 * undefined behaviour (-fsanitize=undefined: "applying zero offset to
 * null pointer", lib/pgp.c take_sig). */
static void test_pgp_sig_only(void)
{
	struct secbuf f = SECBUF_INIT;
	struct cf_keyinfo *k = NULL;
	size_t n = 0;

	ok(cf_file_read(&f, "tests/fuzz/corpus/pgp/sig-alice.asc", 1 << 16) == 0,
	   "read the signature");
	ok(cf_pgp_keys(&k, &n, f.ptr, f.len) <= 0 && n == 0,
	   "no key in a signature");
	cf_keyinfo_free(k, n);
	secbuf_release(&f);
}

/* "! 42" has the non-specific tag: a string, as YAML 1.2 and sops read
 * it. It was read as a plain scalar (an int here; "!" alone, a null),
 * and the root "!" was emitted as an empty document. */
static void test_nonspecific_tag(void)
{
	static const char doc[] = "a: ! 42\nb: !\n";
	struct cf_ynode *t = NULL, *back = NULL;
	struct secbuf out = SECBUF_INIT;
	const struct cf_ynode *n;

	ok(cf_yaml_parse(&t, doc, strlen(doc), "t") == 0, "reads");
	n = t ? cf_ymap_get(t, "a") : NULL;
	ok(n && !n->plain && !strcmp(n->str, "42"), "! 42 is the string 42");
	n = t ? cf_ymap_get(t, "b") : NULL;
	ok(n && !n->plain && !n->len, "! alone is the empty string");
	cf_ynode_free(t);
	t = NULL;
	ok(cf_yaml_parse(&t, "!", 1, "t") == 0, "a root '!' reads");
	if (t)
		cf_yaml_emit(&out, t);
	is_int(cf_yaml_parse(&back, secbuf_cstr(&out), out.len, "emitted"), 0,
	       "and, emitted, reads back: %s", cf_error_last());
	ok(back && back->kind == CF_Y_SCALAR && !back->plain && !back->len,
	   "as the empty string");
	cf_ynode_free(t);
	cf_ynode_free(back);
	secbuf_release(&out);
}

/* libyaml takes NEL (U+0085), LS and PS (U+2028, U+2029) as line
 * breaks: written raw inside quotes or a block, they read back folded
 * into a space ("multi\\Nline" came back as "multi line"). libyaml
 * reads what another program wrote, and what the fast reader declines. */
static void test_emit_unicode_breaks(void)
{
	static const char *const vals[] = {
		"multi\xc2\x85line", "ls\xe2\x80\xa8ps\xe2\x80\xa9" "end",
		"two\nlines\xc2\x85" "here\n",
		/* other C1 controls, which libyaml refuses unescaped */
		"c\xc2\x9e", "x\xc2\x80y\nz\n",
	};

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct cf_ynode *t = cf_ynode_map(), *back = NULL;
		struct secbuf out = SECBUF_INIT;
		const struct cf_ynode *n;

		cf_ymap_set(t, "k", cf_ynode_strz(vals[i]));
		cf_yaml_emit(&out, t);
		ok(cf_yaml_parse_libyaml(&back, secbuf_cstr(&out), out.len,
					 "t") == 0 &&
		   (n = cf_ymap_get(back, "k")) && !strcmp(n->str, vals[i]),
		   "value %zu reads back as it was", i);
		cf_ynode_free(t);
		cf_ynode_free(back);
		secbuf_release(&out);
	}
}

/* A plain scalar that is plain only inside a flow: "[-]" holds "-",
 * written as "- -", a list in a list. Strings whose plain form is not
 * safe in a block are now quoted; plain numbers stay plain. */
static void test_emit_flow_plain(void)
{
	static const char *const docs[] = { "[-]", "[?x, -y, -7]", "{k: -}" };

	for (size_t i = 0; i < 3; i++) {
		struct cf_ynode *t = NULL, *back = NULL;
		struct secbuf out = SECBUF_INIT;
		char *a = NULL, *b = NULL;

		ok(cf_yaml_parse(&t, docs[i], strlen(docs[i]), "t") == 0,
		   "%s reads", docs[i]);
		if (t)
			cf_yaml_emit(&out, t);
		ok(cf_yaml_parse_libyaml(&back, secbuf_cstr(&out), out.len,
					 "t") == 0 && t && back,
		   "emitted, it reads back");
		if (t && back) {
			json_t *ja = cf_ynode_to_json(t), *jb = cf_ynode_to_json(back);

			a = json_dumps(ja, JSON_COMPACT);
			b = json_dumps(jb, JSON_COMPACT);
			json_decref(ja);
			json_decref(jb);
		}
		is_str(b ? b : "(none)", a ? a : "(none)", "as the same values");
		free(a);
		free(b);
		cf_ynode_free(t);
		cf_ynode_free(back);
		secbuf_release(&out);
	}
}

int main(void)
{
	test_rules_leading_zero();
	test_emit_multiline_plain();
	test_regex_bomb();
	test_pgp_sig_only();
	test_nonspecific_tag();
	test_emit_unicode_breaks();
	test_emit_flow_plain();
	return tap_done();
}
