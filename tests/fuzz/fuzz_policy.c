/* fuzz_policy.c: the policy file (cf_policy_parse) and, when it parses,
 * its evaluation: decisions and explanations for each principal and a
 * few fixed requests, readers, defaults and min_bits. */
#include "../../lib/common.h"

#include "../../lib/policy.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"app/db/password", "prod/api", "x", "team/a/b/c",
	};
	static const enum cf_action acts[] = {
		CF_ACT_LIST, CF_ACT_READ, CF_ACT_WRITE, CF_ACT_ROTATE,
		CF_ACT_DELETE, CF_ACT_ADMIN,
	};
	struct cf_context ctx[3] = {
		{ 1767225600, NULL, 0 },		/* 2026-01-01 */
		{ 1767225600, "10.1.2.3", 0 },
		{ 1767225600, "2001:db8::1", 1 },
	};
	struct cf_policy p;
	const struct cf_principal **rd = NULL;
	char *doc = fuzz_exact(data, size);
	double bits;

	fuzz_init();
	memset(&p, 0, sizeof(p));
	if (cf_policy_parse(&p, doc, size, "fuzz") < 0)
		goto out;
	for (size_t i = 0; i < 4; i++) {
		free(rd);
		rd = NULL;
		(void)cf_policy_readers(&p, names[i], ctx[0].now, &rd);
		(void)cf_policy_default(&p, names[i], "rotation");
		(void)cf_policy_default(&p, names[i], "validate");
		(void)cf_policy_min_bits(&p, names[i], &bits);
	}
	for (size_t pi = 0; pi <= p.nprincipals && pi < 4; pi++) {
		const char *who = pi < p.nprincipals ? p.principals[pi].name :
			      "nobody";

		for (size_t a = 0; a < sizeof(acts) / sizeof(acts[0]); a++)
			for (size_t i = 0; i < 4; i++) {
				struct cf_explain e;

				(void)cf_policy_allows(&p, who, acts[a],
						       names[i], &ctx[i % 3]);
				(void)cf_policy_explain(&p, who, acts[a],
							names[i],
							&ctx[(i + 1) % 3], &e);
				cf_explain_release(&e);
			}
		for (size_t g = 0; g < p.ngroups; g++)
			(void)cf_policy_in_group(&p, who, p.groups[g].name);
	}
out:
	free(rd);
	cf_policy_release(&p);
	free(doc);
	return 0;
}
