/* test_policy.c: parsing with file:line errors, patterns, condition
 * values, and a table of evaluation cases. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/policy.h"
#include "../../lib/timeutil.h"
#include "tap.h"

#define A "0439F45B319986A5BE7EC4F105D4CBA2204E1256"
#define B "9B8E39CBE8F64EA18F92BAB892D7084C8E1001E2"
#define C "5868E9F2BC52F661C6850CAC8EC91D1E9B9D113E"
#define D "1111111111111111111111111111111111111111"

static const char *POLICY =
	"version: 1\n"
	"principals:\n"
	"  alice: { keys: [" A "] }\n"
	"  bob: { keys: [" B "] }\n"
	"  carol: { keys: [" C "] }\n"
	"  svc: { keys: [" D "], kind: machine }\n"
	"groups:\n"
	"  admins: [alice]\n"
	"  payments: [bob, carol]\n"
	"  empty: []\n"
	"policies:\n"
	"  group:admins:\n"
	"    allow:\n"
	"      - actions: [\"*\"]\n"
	"        resources: [\"*\"]\n"
	"  group:payments:\n"
	"    allow:\n"
	"      - actions: [read, write]\n"
	"        resources: [pay/*]\n"
	"    deny:\n"
	"      - action: write\n"
	"        resources: [pay/locked]\n"
	"  carol:\n"
	"    allow:\n"
	"      - action: rotate\n"
	"        resource: pay/+/key\n"
	"      - action: read\n"
	"        resources: [tmp/?]\n"
	"        conditions:\n"
	"          - type: not_after\n"
	"            value: \"2026-06-01T00:00:00Z\"\n"
	"  svc:\n"
	"    allow:\n"
	"      - action: read\n"
	"        resources: [db_password, api_keys/*]\n"
	"      - action: list\n"
	"        resources: [\"*\"]\n"
	"        conditions:\n"
	"          - type: ip_range\n"
	"            value: 10.0.0.0/8\n"
	"    deny:\n"
	"      - action: delete\n"
	"        resources: [\"*\"]\n"
	"  \"*\":\n"
	"    allow:\n"
	"      - action: read\n"
	"        resources: [public/*]\n"
	"    deny:\n"
	"      - action: read\n"
	"        resources: [public/secret]\n"
	"defaults:\n"
	"  - resources: [prod/*]\n"
	"    rotation: { every: 90d }\n";

static void test_patterns(void)
{
	static const struct { const char *p, *n; int m; } cases[] = {
		{ "*", "a/b/c", 1 }, { "a/*", "a/b/c", 1 }, { "a/*", "a", 0 },
		{ "a*", "ab/c", 1 }, { "*/c", "a/b/c", 1 }, { "a/?", "a/b", 1 },
		{ "a/?", "a/bc", 0 }, { "a?b", "a/b", 0 }, { "a/+/c", "a/b/c", 1 },
		{ "a/+/c", "a/b/x/c", 0 }, { "a/+", "a/b", 1 }, { "a/+", "a/", 0 },
		{ "+", "a", 1 }, { "+", "a/b", 0 }, { "+/+", "a/b", 1 },
		{ "db", "db", 1 }, { "db", "db2", 0 }, { "db", "x/db", 0 },
		{ "*b*", "abc", 1 }, { "a*c*e", "abcde", 1 }, { "a*c*e", "abcdf", 0 },
		{ "**", "x", 1 },
		/* '+' is the rest of a segment, not a whole one */
		{ "a+", "abc", 1 }, { "a+/x", "abc/x", 1 }, { "+x", "ax", 0 },
		/* many wildcards: time in pattern x name, not exponential */
		{ "*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+*+z",
		  "a/aa/aaa/aaaa/aaaaa/aaaaaa/aaaaaaa/aaaaaaaa/aaaaaaaaa/aaaaaaaaaa/"
		  "a/aa/aaa/aaaa/aaaaa/aaaaaa/aaaaaaa/aaaaaaaa/aaaaaaaaa/aaaaaaaaaa", 0 },
		{ "+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/x",
		  "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(cf_pattern_match(cases[i].p, cases[i].n), cases[i].m,
		       "pattern '%s' vs '%s'", cases[i].p, cases[i].n);
}

static void test_eval(const struct cf_policy *p)
{
	static const struct {
		const char *who; enum cf_action act; const char *res; int allow;
	} cases[] = {
		{ "alice", CF_ACT_ADMIN, ".coffer/x", 1 },
		{ "alice", CF_ACT_DELETE, "any/thing", 1 },
		{ "bob", CF_ACT_READ, "pay/db", 1 },
		{ "bob", CF_ACT_WRITE, "pay/db", 1 },
		{ "bob", CF_ACT_WRITE, "pay/locked", 0 },	/* deny wins */
		{ "bob", CF_ACT_READ, "pay/locked", 1 },
		{ "bob", CF_ACT_DELETE, "pay/db", 0 },		/* implicit */
		{ "bob", CF_ACT_READ, "payroll", 0 },
		{ "carol", CF_ACT_ROTATE, "pay/x/key", 1 },
		{ "carol", CF_ACT_ROTATE, "pay/x/y/key", 0 },
		{ "carol", CF_ACT_ROTATE, "pay/key", 0 },
		{ "bob", CF_ACT_ROTATE, "pay/x/key", 0 },
		{ "svc", CF_ACT_READ, "db_password", 1 },
		{ "svc", CF_ACT_READ, "db_password2", 0 },
		{ "svc", CF_ACT_READ, "api_keys/stripe", 1 },
		{ "svc", CF_ACT_WRITE, "api_keys/stripe", 0 },
		{ "svc", CF_ACT_DELETE, "api_keys/stripe", 0 },
		/* ip_range without a source address is undecided: no allow */
		{ "svc", CF_ACT_LIST, "db_password", 0 },
		{ "nobody", CF_ACT_READ, "public/x", 0 },	/* unknown */
		{ "bob", CF_ACT_READ, "public/x", 1 },		/* "*" block */
		{ "alice", CF_ACT_READ, "public/secret", 0 },	/* "*" deny */
		{ "svc", CF_ACT_READ, "public/readme", 1 },
	};
	struct cf_context ctx = { 0, NULL, 0 };

	cf_time_parse(&ctx.now, "2026-01-01T00:00:00Z");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(cf_policy_allows(p, cases[i].who, cases[i].act,
					cases[i].res, &ctx), cases[i].allow,
		       "%s %s %s", cases[i].who, cf_action_name(cases[i].act),
		       cases[i].res);
	/* not_after: carol may read tmp/x until June */
	ok(cf_policy_allows(p, "carol", CF_ACT_READ, "tmp/x", &ctx),
	   "not_after in the future holds");
	cf_time_parse(&ctx.now, "2026-07-01T00:00:00Z");
	ok(!cf_policy_allows(p, "carol", CF_ACT_READ, "tmp/x", &ctx),
	   "not_after in the past does not");
	/* readers: ip_range/time_window hold (advisory), deny applies */
	ctx.readers = 1;
	ok(cf_policy_allows(p, "svc", CF_ACT_LIST, "x", &ctx),
	   "in readers mode ip_range holds");
}

static const char *COND_POLICY =
	"version: 1\n"
	"principals:\n"
	"  p: { keys: [" A "] }\n"
	"policies:\n"
	"  p:\n"
	"    allow:\n"
	"      - action: read\n"
	"        resources: [office/*]\n"
	"        conditions:\n"
	"          - { type: ip_range, value: [10.0.0.0/8, \"2001:db8::/32\"] }\n"
	"      - action: read\n"
	"        resources: [hours/*]\n"
	"        conditions:\n"
	"          - { type: time_window, value: Mon-Fri 09:00-17:00 UTC }\n"
	"      - action: read\n"
	"        resources: [night/*]\n"
	"        conditions:\n"
	"          - { type: time_window, value: \"Fri 22:00-06:00 +02:00\" }\n"
	"      - action: read\n"
	"        resources: [window/*]\n"
	"        conditions:\n"
	"          - { type: not_before, value: \"2026-03-01T00:00:00Z\" }\n"
	"          - { type: not_after, value: \"2026-04-01T00:00:00Z\" }\n"
	"      - action: [read, write]\n"
	"        resources: [both/*]\n"
	"    deny:\n"
	"      - action: write\n"
	"        resources: [both/*]\n"
	"        conditions:\n"
	"          - { type: ip_range, value: 192.168.0.0/16 }\n";

static void test_conditions(void)
{
	static const struct {
		const char *res, *at, *ip; enum cf_action act; int allow;
	} cases[] = {
		{ "office/a", "2026-01-05T10:00:00Z", "10.1.2.3", CF_ACT_READ, 1 },
		{ "office/a", "2026-01-05T10:00:00Z", "11.1.2.3", CF_ACT_READ, 0 },
		{ "office/a", "2026-01-05T10:00:00Z", NULL, CF_ACT_READ, 0 },
		{ "office/a", "2026-01-05T10:00:00Z", "2001:db8::1", CF_ACT_READ, 1 },
		{ "office/a", "2026-01-05T10:00:00Z", "2001:db9::1", CF_ACT_READ, 0 },
		{ "office/a", "2026-01-05T10:00:00Z", "not-an-ip", CF_ACT_READ, 0 },
		/* 2026-01-05 is a Monday, 2026-01-10 a Saturday */
		{ "hours/a", "2026-01-05T09:00:00Z", NULL, CF_ACT_READ, 1 },
		{ "hours/a", "2026-01-05T16:59:00Z", NULL, CF_ACT_READ, 1 },
		{ "hours/a", "2026-01-05T17:00:00Z", NULL, CF_ACT_READ, 0 },
		{ "hours/a", "2026-01-05T08:59:59Z", NULL, CF_ACT_READ, 0 },
		{ "hours/a", "2026-01-10T10:00:00Z", NULL, CF_ACT_READ, 0 },
		/* Fri 22:00-06:00 at +02:00: Fri 20:00Z to Sat 04:00Z */
		{ "night/a", "2026-01-09T20:30:00Z", NULL, CF_ACT_READ, 1 },
		{ "night/a", "2026-01-10T03:30:00Z", NULL, CF_ACT_READ, 1 },
		{ "night/a", "2026-01-10T04:30:00Z", NULL, CF_ACT_READ, 0 },
		{ "night/a", "2026-01-09T19:30:00Z", NULL, CF_ACT_READ, 0 },
		{ "night/a", "2026-01-10T20:30:00Z", NULL, CF_ACT_READ, 0 },
		{ "night/a", "2026-01-08T23:30:00Z", NULL, CF_ACT_READ, 0 },
		{ "window/a", "2026-03-15T00:00:00Z", NULL, CF_ACT_READ, 1 },
		{ "window/a", "2026-02-15T00:00:00Z", NULL, CF_ACT_READ, 0 },
		{ "window/a", "2026-04-15T00:00:00Z", NULL, CF_ACT_READ, 0 },
		/* a deny whose condition cannot be decided denies */
		{ "both/a", "2026-01-05T10:00:00Z", NULL, CF_ACT_WRITE, 0 },
		{ "both/a", "2026-01-05T10:00:00Z", "10.0.0.1", CF_ACT_WRITE, 1 },
		{ "both/a", "2026-01-05T10:00:00Z", "192.168.1.1", CF_ACT_WRITE, 0 },
		{ "both/a", "2026-01-05T10:00:00Z", NULL, CF_ACT_READ, 1 },
	};
	struct cf_policy p;

	if (!ok(cf_policy_parse(&p, COND_POLICY, strlen(COND_POLICY), "c.yaml") == 0,
		"the condition policy parses")) {
		printf("#   %s\n", cf_error_last());
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cf_context ctx = { 0, cases[i].ip, 0 };

		cf_time_parse(&ctx.now, cases[i].at);
		is_int(cf_policy_allows(&p, "p", cases[i].act, cases[i].res, &ctx),
		       cases[i].allow, "%s %s at %s from %s", cf_action_name(cases[i].act),
		       cases[i].res, cases[i].at, cases[i].ip ? cases[i].ip : "-");
	}
	cf_policy_release(&p);
}

static void test_readers(const struct cf_policy *p)
{
	const struct cf_principal **r = NULL;
	int64_t now;
	size_t n;

	cf_time_parse(&now, "2026-01-01T00:00:00Z");
	n = cf_policy_readers(p, "pay/db", now, &r);
	ok(n == 3 && !strcmp(r[0]->name, "alice") && !strcmp(r[1]->name, "bob") &&
	   !strcmp(r[2]->name, "carol"), "readers of pay/db: alice bob carol");
	free(r);
	n = cf_policy_readers(p, "public/secret", now, &r);
	is_int(n, 0, "a '*' deny removes every reader");
	free(r);
	n = cf_policy_readers(p, "db_password", now, &r);
	ok(n == 2 && !strcmp(r[1]->name, "svc"), "readers of db_password");
	free(r);
	ok(cf_policy_principal_by_fpr(p, "9b8e39cbe8f64ea18f92bab892d7084c8e1001e2") ==
	   cf_policy_principal(p, "bob"), "fingerprints match case-insensitively");
	ok(cf_policy_in_group(p, "carol", "payments") &&
	   !cf_policy_in_group(p, "alice", "payments"), "group membership");
}

static void bad_policy(const char *text, const char *want)
{
	struct cf_policy p;
	int r = cf_policy_parse(&p, text, strlen(text), "policy.yaml");

	ok(r == CF_EINTEGRITY && strstr(cf_error_last(), want),
	   "refused: %s", want);
	if (!strstr(cf_error_last(), want))
		printf("#   message: %s\n", cf_error_last());
	cf_policy_release(&p);
}

static void test_bad(void)
{
	bad_policy("version: 2\nprincipals: {}\n", "policy.yaml:1: version must be 1");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [ABCD1234] }\n",
		   "policy.yaml:3: 'ABCD1234' is not a full fingerprint");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [a@example.com] }\n",
		   "not a full fingerprint");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "], colour: red }\n",
		   "policy.yaml:3: unknown key 'colour' in a principal");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\ngroups:\n  g: [b]\n",
		   "policy.yaml:5: unknown principal 'b' in group");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  group:nope:\n    allow: []\n", "unknown group 'nope'");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    allow:\n      - action: fly\n        resources: [x]\n",
		   "policy.yaml:7: unknown action 'fly'");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    conditions:\n      - { type: ip_range, value: 10.0.0.0/33 }\n",
		   "policy.yaml:7: '10.0.0.0/33' is not a valid ip_range");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    conditions:\n      - { type: time_window, value: 9-5 }\n",
		   "'9-5' is not a valid time_window");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    conditions:\n      - { type: time_window, value: Funday 09:00-10:00 }\n",
		   "not a valid time_window");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    allow:\n      - action: read\n        resources: [x]\n"
		   "        conditions:\n          - type: moon_phase\n            value: full\n",
		   "unknown condition type 'moon_phase'");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\n  b: { keys: [" A "] }\n",
		   "belongs to two principals");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\nextra: 1\n",
		   "policy.yaml:4: unknown key 'extra' in the policy");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    allow:\n      - action: read\n", "needs one of action");
	/* failures of the callees keep their code and their message */
	bad_policy("version: 1\nprincipals: [\n", "policy.yaml:");
	bad_policy("version: 1\nprincipals: {}\ndefaults:\n  - resources: [\"*\"]\n"
		   "    validate: { pattern: \"a(\" }\n", "not a POSIX ERE");
	bad_policy("version: 1\nprincipals:\n  a: { keys: [" A "] }\npolicies:\n"
		   "  a:\n    allow:\n      - actions: [read, fly]\n        resources: [x]\n",
		   "policy.yaml:7: unknown action 'fly'");
	bad_policy("version: 1\nprincipals: {}\ndefaults:\n  - resources: [\"*\"]\n"
		   "    rotation: { hook: /bin/sh }\n",
		   "policy.yaml:5: rotation.hook must name a file");
}

static void test_cond_values(void)
{
	static const char *good[] = {
		"09:00-17:00", "Mon-Fri 09:00-17:00 UTC", "09:00-17:00 Z",
		"  Sat,Sun   22:00-06:00  +02:00 ",
	};
	static const char *bad[] = {
		"", "   ", "UTC", "Mon-Fri", "Mon 09:00-17:00 UTC extra",
		"09:00-09:00", "Mon-Fri\t09:00-17:00", "09:00-17:00 +2",
	};
	char *v[] = { (char[]){ "  Mon-Fri   09:00-17:00  UTC " } };
	struct cf_cond c = { (char[]){ "time_window" }, v, 1, 1 };
	struct cf_context x = { 0, NULL, 0 };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(cf_cond_value_check("time_window", good[i]) == 0,
		   "time_window '%s' parses", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(cf_cond_value_check("time_window", bad[i]) < 0,
		   "time_window '%s' is refused", bad[i]);
	ok(cf_cond_value_check("ip_range", "10.0.0.0/8") == 0 &&
	   cf_cond_value_check("ip_range", "10.0.0.0/") < 0 &&
	   cf_cond_value_check("not_after", "2026-01-01T00:00:00Z") == 0 &&
	   cf_cond_value_check("not_before", "soon") < 0,
	   "ip_range and time values");
	ok(cf_cond_type_valid("ip_range") && cf_cond_type_valid("not_after") &&
	   !cf_cond_type_valid("moon_phase") && !cf_cond_type_valid(""),
	   "condition types");
	cf_time_parse(&x.now, "2026-01-05T10:00:00Z");	/* a Monday */
	is_int(cf_cond_eval(&c, &x), CF_TRUE, "runs of spaces separate words");
	cf_time_parse(&x.now, "2026-01-10T10:00:00Z");	/* a Saturday */
	is_int(cf_cond_eval(&c, &x), CF_FALSE, "and the days still count");
}

static void test_hook_paths(void)
{
	ok(cf_hook_path_valid(".coffer/hooks/pg-rotate"), "a hook in .coffer/hooks/");
	ok(!cf_hook_path_valid(".coffer/hooks/") &&
	   !cf_hook_path_valid(".coffer/hooks/..") &&
	   !cf_hook_path_valid(".coffer/hooks/.") &&
	   !cf_hook_path_valid(".coffer/hooks/sub/x") &&
	   !cf_hook_path_valid(".coffer/hooks/../policy.yaml") &&
	   !cf_hook_path_valid("/bin/sh") &&
	   !cf_hook_path_valid(".coffer/hookspg"),
	   "no empty name, dot names, subfolders or paths elsewhere");
}

int main(void)
{
	struct cf_policy p;

	test_patterns();
	ok(cf_policy_parse(&p, POLICY, strlen(POLICY), "policy.yaml") == 0,
	   "the test policy parses");
	if (tap_failed)
		printf("#   %s\n", cf_error_last());
	test_eval(&p);
	test_readers(&p);
	cf_policy_release(&p);
	test_conditions();
	test_bad();
	test_cond_values();
	test_hook_paths();
	return tap_done();
}
