/* test_names.c: every check of names and fingerprints (lib/names.c),
 * good and bad inputs, and the fingerprint helpers. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/names.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define FPR40 "0439F45B319986A5BE7EC4F105D4CBA2204E1256"
#define FPR64 "0439F45B319986A5BE7EC4F105D4CBA2204E1256" \
	      "0439F45B319986A5BE7EC4F1"

/* A name of n bytes: segments of 12 bytes split by '/' (16 segments
 * for 200 bytes). */
static char *long_name(size_t n)
{
	char *s = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = i % 13 == 12 ? '/' : 'a';
	if (n && s[n - 1] == '/')
		s[n - 1] = 'a';
	s[n] = '\0';
	return s;
}

static void test_secret_names(void)
{
	static const char *good[] = {
		"a", "0", "prod/db/main", "A-1_b.c", "x/y.yaml", "a.b/c-d/e_f",
		"a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p",
	};
	static const struct { const char *name, *why; } bad[] = {
		{ "", "empty secret name" },
		{ "..", "'..' is not allowed" },
		{ "a/../b", "'..' is not allowed" },
		{ "a..b", "'..' is not allowed" },
		{ ".hidden", "must start with a letter or digit" },
		{ "a/.git", "must start with a letter or digit" },
		{ ".coffer/x", "must start with a letter or digit" },
		{ ".git/config", "must start with a letter or digit" },
		{ "-dash", "must start with a letter or digit" },
		{ "_under", "must start with a letter or digit" },
		{ "/abs", "empty segment" },
		{ "a/", "empty segment" },
		{ "a//b", "empty segment" },
		{ "sp ace", "only letters, digits" },
		{ "a\\b", "only letters, digits" },
		{ "a:b", "only letters, digits" },
		{ "\xc3\xa9", "must start with a letter or digit" },
		{ "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", "more than 16 segments" },
	};
	char *s;

	for (size_t i = 0; i < N(good); i++) {
		ok(cf_name_valid(good[i]), "secret name '%s' is valid", good[i]);
		is_int(cf_name_check(good[i]), 0, "and passes the check");
	}
	for (size_t i = 0; i < N(bad); i++) {
		ok(!cf_name_valid(bad[i].name), "secret name '%s' is refused",
		   bad[i].name);
		cf_error_clear();
		ok(cf_name_check(bad[i].name) == CF_EUSAGE &&
		   cf_error_code() == CF_EUSAGE &&
		   strstr(cf_error_last(), bad[i].why),
		   "with CF_EUSAGE: %s", bad[i].why);
	}
	s = long_name(CF_NAME_MAX);
	ok(cf_name_valid(s) && cf_name_check(s) == 0, "200 bytes are valid");
	free(s);
	s = long_name(CF_NAME_MAX + 1);
	ok(!cf_name_valid(s) && cf_name_check(s) == CF_EUSAGE &&
	   strstr(cf_error_last(), "longer than 200 bytes"),
	   "201 bytes are refused");
	free(s);
}

static void test_field_names(void)
{
	static const char *good[] = {
		"password", "_x.y-z", "A", "_", "db_password2", "data2",
		"previous_value", "sops.x",
	};
	static const char *bad[] = {
		"", "data", "previous", "sops", "1x", ".x", "-x", "a b", "a/b",
		"a:b", "\xc3\xa9",
	};
	char s[130];

	for (size_t i = 0; i < N(good); i++)
		ok(cf_field_name_valid(good[i]), "field name '%s' is valid",
		   good[i]);
	for (size_t i = 0; i < N(bad); i++)
		ok(!cf_field_name_valid(bad[i]), "field name '%s' is refused",
		   bad[i]);
	memset(s, 'f', 128);
	s[128] = '\0';
	ok(cf_field_name_valid(s), "a field name of 128 bytes is valid");
	s[128] = 'f';
	s[129] = '\0';
	ok(!cf_field_name_valid(s), "129 bytes are refused");
}

static void test_principal_names(void)
{
	static const char *good[] = {
		"alice", "ci-deploy", "svc.backup_2", "0day", "A",
	};
	static const char *bad[] = {
		"", ".alice", "-alice", "_alice", "al ice", "al/ice",
		"group:ops", "*", "al@ice",
	};
	char s[66];

	for (size_t i = 0; i < N(good); i++)
		ok(cf_principal_name_valid(good[i]),
		   "principal name '%s' is valid", good[i]);
	for (size_t i = 0; i < N(bad); i++)
		ok(!cf_principal_name_valid(bad[i]),
		   "principal name '%s' is refused", bad[i]);
	memset(s, 'p', 64);
	s[64] = '\0';
	ok(cf_principal_name_valid(s), "64 bytes are valid");
	s[64] = 'p';
	s[65] = '\0';
	ok(!cf_principal_name_valid(s), "65 bytes are refused");
}

static void test_hook_paths(void)
{
	static const char *good[] = {
		".coffer/hooks/pg-rotate", ".coffer/hooks/a", ".coffer/hooks/...",
		".coffer/hooks/.hidden",
	};
	static const char *bad[] = {
		"", ".coffer/hooks/", ".coffer/hooks/.", ".coffer/hooks/..",
		".coffer/hooks/sub/x", ".coffer/hooks/../policy.yaml",
		"/bin/sh", ".coffer/hookspg", ".coffer/hooks", "hooks/x",
		"./.coffer/hooks/x", ".coffer/hooks//x",
	};

	for (size_t i = 0; i < N(good); i++)
		ok(cf_hook_path_valid(good[i]), "hook path '%s' is valid",
		   good[i]);
	for (size_t i = 0; i < N(bad); i++)
		ok(!cf_hook_path_valid(bad[i]), "hook path '%s' is refused",
		   bad[i]);
}

static void test_fprs(void)
{
	static const char *good[] = {
		FPR40, FPR64,
		"0439f45b319986a5be7ec4f105d4cba2204e1256",
		"0439f45B319986A5be7ec4F105D4CBA2204E1256",
	};
	static const char *bad[] = {
		"", "204E1256", "0x204E1256", "05D4CBA2204E1256",
		"0x05D4CBA2204E1256", "105D4CBA2204E1256",
		"0439F45B319986A5BE7EC4F105D4CBA2204E125",	/* 39 */
		"0439F45B319986A5BE7EC4F105D4CBA2204E12560",	/* 41 */
		"0439F45B319986A5BE7EC4F105D4CBA2204E125G",
		"0439F45B 319986A5BE7EC4F105D4CBA2204E125",
		FPR64 "0", "alice@example.com",
	};
	char lower[] = "0439f45b319986a5be7ec4f105d4cba2204e1256";
	char mixed[] = "abcdef0123";
	char empty[] = "";
	char a[] = FPR40, b[] = "9B8E39CBE8F64EA18F92BAB892D7084C8E1001E2";
	char *list[] = { a, b };

	for (size_t i = 0; i < N(good); i++)
		ok(cf_fpr_valid(good[i]), "fingerprint '%s' is valid", good[i]);
	for (size_t i = 0; i < N(bad); i++)
		ok(!cf_fpr_valid(bad[i]), "'%s' is not a full fingerprint",
		   bad[i]);

	ok(cf_fpr_upper(lower) == lower, "cf_fpr_upper works in place");
	is_str(lower, FPR40, "and upper-cases every hex digit");
	is_str(cf_fpr_upper(mixed), "ABCDEF0123", "mixed case");
	is_str(cf_fpr_upper(empty), "", "an empty string stays empty");

	ok(cf_fprs_has(list, 2, FPR40), "in the list");
	ok(cf_fprs_has(list, 2, "9b8e39cbe8f64ea18f92bab892d7084c8e1001e2"),
	   "in the list, ignoring case");
	ok(!cf_fprs_has(list, 1, "9B8E39CBE8F64EA18F92BAB892D7084C8E1001E2"),
	   "only the first n entries count");
	ok(!cf_fprs_has(list, 2, "8E1001E2"), "a short key ID is not in it");
	ok(!cf_fprs_has(list, 2, FPR40 "00"), "nor a longer string");
	ok(!cf_fprs_has(NULL, 0, FPR40), "an empty list holds nothing");
}

int main(void)
{
	test_secret_names();
	test_field_names();
	test_principal_names();
	test_hook_paths();
	test_fprs();
	return tap_done();
}
