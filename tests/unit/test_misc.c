/* test_misc.c: time and durations, secret names, field names. */
#include "../../lib/error.h"
#include "../../lib/secret.h"
#include "../../lib/store.h"
#include "../../lib/timeutil.h"
#include "tap.h"

static void test_time(void)
{
	char out[CF_TIME_LEN];
	struct buf b = BUF_INIT;
	int64_t t;

	ok(cf_time_parse(&t, "2026-11-20T09:12:44Z") == 0, "parse Z");
	cf_time_format(out, t);
	is_str(out, "2026-11-20T09:12:44Z", "format round trip");
	ok(cf_time_parse(&t, "2026-11-20T11:12:44.5+02:00") == 0, "offset, fraction");
	cf_time_format(out, t);
	is_str(out, "2026-11-20T09:12:44Z", "offset normalised to UTC");
	ok(cf_time_parse(&t, "1970-01-01T00:00:00Z") == 0 && t == 0, "epoch");
	ok(cf_time_parse(&t, "2024-02-29T00:00:00Z") == 0, "leap day");
	ok(cf_time_parse(&t, "2023-02-29T00:00:00Z") < 0, "not a leap year");
	ok(cf_time_parse(&t, "2026-11-20 09:12:44Z") < 0, "space separator refused");
	ok(cf_time_parse(&t, "2026-11-20T09:12:44") < 0, "zone required");
	ok(cf_time_parse(&t, "yesterday") < 0, "words refused");
	ok(cf_duration_parse(&t, "90d") == 0 && t == 90 * 86400, "90d");
	ok(cf_duration_parse(&t, "1d12h") == 0 && t == 36 * 3600, "1d12h");
	ok(cf_duration_parse(&t, "2w") == 0 && t == 14 * 86400, "2w");
	ok(cf_duration_parse(&t, "30s") == 0 && t == 30, "30s");
	ok(cf_duration_parse(&t, "15m") == 0 && t == 900, "15m");
	ok(cf_duration_parse(&t, "") < 0, "empty duration refused");
	ok(cf_duration_parse(&t, "5") < 0, "unit required");
	ok(cf_duration_parse(&t, "5y") < 0, "unknown unit refused");
	ok(cf_duration_parse(&t, "99999999999d") < 0, "overflow refused");
	cf_duration_format(&b, 36 * 3600 + 61);
	is_str(b.ptr, "1d12h1m1s", "duration format");
	buf_release(&b);
}

static void test_names(void)
{
	static const char *good[] = {
		"a", "prod/db/main", "A-1_b.c", "x/y.yaml", "0", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p",
	};
	static const char *bad[] = {
		"", "..", "a/../b", "a..b", ".hidden", "a/.git", ".coffer/x", "/abs",
		"a/", "a//b", "sp ace", "a\\b", "-dash", "é",
		"a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",
	};
	char longname[202];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(cf_name_check(good[i]) == 0, "name '%s' is valid", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(cf_name_check(bad[i]) == CF_EUSAGE, "name '%s' is refused", bad[i]);
	memset(longname, 'a', 201);
	longname[201] = '\0';
	ok(cf_name_check(longname) == CF_EUSAGE, "201 bytes refused");
	longname[200] = '\0';
	ok(cf_name_check(longname) == 0, "200 bytes accepted");
	ok(cf_field_name_valid("password") && cf_field_name_valid("_x.y-z"),
	   "field names");
	ok(!cf_field_name_valid("data") && !cf_field_name_valid("previous") &&
	   !cf_field_name_valid("sops") && !cf_field_name_valid("1x") &&
	   !cf_field_name_valid("a b") && !cf_field_name_valid(""),
	   "reserved and bad field names refused");
}

static void printable(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	buf_add_printable(&b, in);
	is_str(buf_cstr(&b), want, "printable: %s", want);
	buf_release(&b);
}

static void test_printable(void)
{
	printable("plain/name", "plain/name");
	printable("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac");
	printable("a\x1b[31mb", "a\\x1b[31mb");
	printable("two\nlines\r", "two\\x0alines\\x0d");
	printable("del\x7f", "del\\x7f");
	/* C1 controls: CSI as U+009B */
	printable("c1\xc2\x9bx", "c1\\xc2\\x9bx");
	/* not UTF-8: a lone continuation byte, a cut sequence */
	printable("\x80z", "\\x80z");
	printable("\xe2\x82", "\\xe2\\x82");
}

int main(void)
{
	test_printable();
	test_time();
	test_names();
	return tap_done();
}
