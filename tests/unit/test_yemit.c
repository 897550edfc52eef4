/* test_yemit.c: the emitter. Every string reads back (through libyaml)
 * as the same string, and the layout is sops' own. */
#include <stdlib.h>

#include "../../lib/yemit.h"
#include "../../lib/yparse.h"
#include "../../lib/yscalar.h"
#include "tap.h"

/* Emits s as a map value and parses it back with libyaml (the fast
 * reader rests on this: see test_yfast). */
static void roundtrip(const char *s, size_t len, const char *name)
{
	struct cf_ynode *m = cf_ynode_map(), *back = NULL, *v;
	struct secbuf out = SECBUF_INIT;

	cf_ymap_set(m, "k", cf_ynode_str(s, len));
	cf_yaml_emit(&out, m);
	ok(cf_yaml_parse_libyaml(&back, out.ptr, out.len, "rt") == 0,
	   "%s parses", name);
	v = back ? cf_ymap_get(back, "k") : NULL;
	ok(v && cf_yscalar_type(v) == CF_YT_STR && v->len == len &&
	   !memcmp(v->str, s, len), "%s reads back as the same string", name);
	cf_ynode_free(m);
	cf_ynode_free(back);
	secbuf_release(&out);
}

static void test_emit(void)
{
	static const char *strs[] = {
		"plain", "true", "yes", "null", "", "42", "0x10", "1.5",
		"2024-01-01", " lead", "trail ", "a: b", "a #b", "#c", "- x",
		"'q'", "\"dq\"", "tab\there", "line\nbreak", "end\n", "two\n\n",
		"\n\nlead newlines", "  indented\nblock", "x\r\ny", "ünïcödé",
		"back\\slash", "ENC[AES256_GCM,data:a,iv:b,tag:c,type:str]",
		"{flow}", "[flow]", "&anchor", "*alias", "!tag", "%dir", "@at",
		"`tick", "1:20", "~", "trailing spaces  \nnext", "a\n  \nb",
	};
	struct cf_ynode *m = cf_ynode_map(), *l = cf_ynode_seq(), *e;
	struct secbuf out = SECBUF_INIT;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "string #%zu", i);
		roundtrip(strs[i], strlen(strs[i]), name);
	}
	roundtrip("nul\0byte", 8, "a NUL byte");
	roundtrip("\x01\x7f", 2, "control characters");
	e = cf_ynode_map();
	cf_ymap_set(e, "created_at", cf_ynode_strz("2026-01-01T00:00:00Z"));
	cf_ymap_set(e, "enc", cf_ynode_strz("-----BEGIN\n\nxyz\n-----END"));
	cf_yseq_add(l, e);
	cf_ymap_set(m, "pgp", l);
	cf_yaml_emit(&out, m);
	is_str(out.ptr,
	       "pgp:\n"
	       "    - created_at: \"2026-01-01T00:00:00Z\"\n"
	       "      enc: |-\n"
	       "        -----BEGIN\n"
	       "\n"
	       "        xyz\n"
	       "        -----END\n",
	       "sops layout: list of maps, quoted time, literal block");
	cf_ynode_free(m);
	secbuf_release(&out);
}

static void emits(const struct cf_ynode *n, const char *want, const char *name)
{
	struct secbuf out = SECBUF_INIT;

	cf_yaml_emit(&out, n);
	is_str(out.len ? out.ptr : "", want, "%s", name);
	secbuf_release(&out);
}

static void test_layout(void)
{
	struct cf_ynode *m = cf_ynode_map(), *inner = cf_ynode_seq();
	struct cf_ynode *l = cf_ynode_seq(), *s = cf_ynode_strz("x");

	is_int(cf_yaml_child_indent(0), 4, "below column 0: 4");
	is_int(cf_yaml_child_indent(2), 4, "below a list item's key: 4");
	is_int(cf_yaml_child_indent(4), 8, "below column 4: 8");
	is_int(cf_yaml_child_indent(6), 8, "below column 6: 8");
	emits(m, "{}\n", "an empty map");
	emits(l, "[]\n", "an empty list");
	emits(s, "x\n", "a scalar document");
	cf_yseq_add(inner, cf_ynode_plain("1"));
	cf_yseq_add(l, inner);
	cf_yseq_add(l, cf_ynode_map());
	cf_ymap_set(m, "list", l);
	cf_ymap_set(m, "text", cf_ynode_strz("a\nb\n"));
	emits(m, "list:\n"
		 "    -\n"
		 "        - 1\n"
		 "    - {}\n"
		 "text: |\n"
		 "    a\n"
		 "    b\n",
	      "nested lists, {} in a list, a literal with a newline");
	cf_ynode_free(m);
	cf_ynode_free(s);
}

int main(void)
{
	test_emit();
	test_layout();
	return tap_done();
}
