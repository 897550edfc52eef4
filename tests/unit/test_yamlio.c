/* test_yamlio.c: yaml.v3 scalar typing, canonical bytes, the emitter
 * (round trips and quoting) and the parser's refusals. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/yamlio.h"
#include "tap.h"

static enum cf_ytype type_of(const char *s)
{
	struct cf_ynode *n = cf_ynode_plain(s);
	enum cf_ytype t = cf_yscalar_type(n);

	cf_ynode_free(n);
	return t;
}

static void test_types(void)
{
	static const struct { const char *s; enum cf_ytype t; } cases[] = {
		{ "", CF_YT_NULL }, { "~", CF_YT_NULL }, { "null", CF_YT_NULL },
		{ "NULL", CF_YT_NULL }, { "true", CF_YT_BOOL },
		{ "False", CF_YT_BOOL }, { "yes", CF_YT_STR }, { "on", CF_YT_STR },
		{ "42", CF_YT_INT }, { "-7", CF_YT_INT }, { "0x1F", CF_YT_INT },
		{ "017", CF_YT_INT }, { "1_000", CF_YT_INT }, { "0b101", CF_YT_INT },
		{ "1.5", CF_YT_FLOAT }, { ".5", CF_YT_FLOAT }, { "1e20", CF_YT_FLOAT },
		{ ".nan", CF_YT_FLOAT }, { "-.inf", CF_YT_FLOAT },
		{ "08", CF_YT_FLOAT }, { "2024-01-01", CF_YT_TIME },
		{ "2024-1-2T3:4:5Z", CF_YT_TIME },
		{ "2026-11-20T09:12:44+02:00", CF_YT_TIME },
		{ "2024-13-01", CF_YT_STR }, { "18446744073709551615", CF_YT_UINT },
		{ "ENC[AES256_GCM,data:x]", CF_YT_STR }, { "abc", CF_YT_STR },
		{ "1.2.3", CF_YT_STR }, { "-", CF_YT_STR },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(type_of(cases[i].s), cases[i].t, "type of '%s'", cases[i].s);
}

static void canon(const char *s, enum cf_ytype t, const char *want)
{
	struct secbuf out = SECBUF_INIT;

	ok(cf_yvalue_canonical(&out, s, strlen(s), t) == 0, "canonical '%s'", s);
	is_str(secbuf_cstr(&out), want, "'%s' hashes as '%s'", s, want);
	secbuf_release(&out);
}

static void test_canonical(void)
{
	struct secbuf out = SECBUF_INIT;

	canon("0x10", CF_YT_INT, "16");
	canon("017", CF_YT_INT, "15");
	canon("1_000", CF_YT_INT, "1000");
	canon("2.50", CF_YT_FLOAT, "2.5");
	canon("1e20", CF_YT_FLOAT, "100000000000000000000");
	canon("1234568000", CF_YT_FLOAT, "1234568000");
	canon("0.000001", CF_YT_FLOAT, "0.000001");
	canon("0.1", CF_YT_FLOAT, "0.1");
	canon("-0.5", CF_YT_FLOAT, "-0.5");
	canon(".inf", CF_YT_FLOAT, "+Inf");
	canon("false", CF_YT_BOOL, "False");
	canon("TRUE", CF_YT_BOOL, "True");
	canon("2024-02-03", CF_YT_TIME, "2024-02-03T00:00:00Z");
	canon("2006-1-2T15:4:5.120+07:06", CF_YT_TIME,
	      "2006-01-02T15:04:05.12+07:06");
	canon("2024-01-01T00:00:00+00:00", CF_YT_TIME, "2024-01-01T00:00:00Z");
	ok(cf_yvalue_canonical(&out, "abc", 3, CF_YT_INT) == CF_EINTEGRITY,
	   "a non-integer declared int is refused");
	secbuf_release(&out);
}

/* Emits s as a map value and parses it back with libyaml (the fast
 * reader rests on this: see test_yamlcanon). */
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

static int parse_fails(const char *doc, const char *why)
{
	struct cf_ynode *n = NULL;
	int r = cf_yaml_parse(&n, doc, strlen(doc), "t");

	cf_ynode_free(n);
	return r == CF_EINTEGRITY && strstr(cf_error_last(), why) != NULL;
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

int main(void)
{
	test_types();
	test_canonical();
	test_emit();
	test_refusals();
	return tap_done();
}
