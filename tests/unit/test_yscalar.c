/* test_yscalar.c: yaml.v3 scalar typing, the canonical bytes sops hashes,
 * and the checks on scalar text (plain syntax, plain as a string,
 * UTF-8). */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/yscalar.h"
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
	ok(cf_yvalue_canonical(&out, "18446744073709551615", 20, CF_YT_UINT) ==
	   CF_EINTEGRITY, "an integer beyond int64 is refused");
	ok(cf_yvalue_canonical(&out, "x", 1, CF_YT_TIME) == CF_EINTEGRITY &&
	   cf_error_code() == CF_EINTEGRITY,
	   "a bad time is refused, with its code");
	ok(cf_yvalue_canonical(&out, "a\0b", 3, CF_YT_STR) == 0 &&
	   out.len == 3 && !memcmp(out.ptr, "a\0b", 3),
	   "a string hashes as its bytes, NUL and all");
	secbuf_release(&out);
}

static void test_text(void)
{
	static const struct { const char *s; int syntax, plain; } cases[] = {
		{ "abc", 1, 1 }, { "a:b", 1, 1 }, { "a#b", 1, 1 },
		{ "ENC[AES256_GCM,data:x]", 1, 1 }, { "/path", 1, 1 },
		{ "true", 1, 0 }, { "yes", 1, 0 }, { "No", 1, 0 }, { "42", 1, 0 },
		{ "1.5", 1, 0 }, { "~", 1, 0 }, { "1:20", 1, 0 },
		{ "2024-01-01", 1, 0 }, { "", 0, 0 }, { "a: b", 0, 0 },
		{ "a #b", 0, 0 }, { "trail ", 0, 0 }, { "colon:", 0, 0 },
		{ "-x", 0, 0 }, { "#c", 0, 0 }, { "'q'", 0, 0 }, { "tab\tx", 0, 0 },
		{ "\xc3\xa9", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i].s;

		is_int(cf_yaml_plain_syntax_ok(s, strlen(s)), cases[i].syntax,
		       "'%s' can%s be written plain", s,
		       cases[i].syntax ? "" : "not");
		is_int(cf_yaml_plain_ok(s, strlen(s)), cases[i].plain,
		       "'%s' is%s a plain string", s,
		       cases[i].plain ? "" : " not");
	}
	ok(!cf_yaml_plain_syntax_ok("a\0b", 3), "a NUL byte is never plain");
}

static void test_utf8(void)
{
	static const struct { const char *s; int ok; } cases[] = {
		{ "ascii", 1 }, { "\xc3\xa9", 1 }, { "\xe2\x82\xac", 1 },
		{ "\xf0\x9f\x98\x80", 1 }, { "\xff", 0 }, { "\xc3", 0 },
		{ "\xc0\x80", 0 }, { "\xe2\x82", 0 }, { "\xf5\x80\x80\x80", 0 },
		{ "\x80", 0 }, { "a\xc3(", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(cf_utf8_valid((const unsigned char *)cases[i].s,
				     strlen(cases[i].s)), cases[i].ok,
		       "UTF-8 case #%zu", i);
}

int main(void)
{
	test_types();
	test_canonical();
	test_text();
	test_utf8();
	return tap_done();
}
