/* fuzz_spec.c: the small text parsers, chosen by the first byte of the
 * input: generator specs (cf_gen_check; a spec that checks also
 * generates), validate rules (cf_rules_parse, cf_rules_valid,
 * cf_rules_check), times and durations (a duration reads back as it is
 * written), policy condition values and source addresses, resource
 * patterns (PATTERN, a newline, NAME) and action names. */
#include "../../lib/common.h"

#include "../../lib/buf.h"
#include "../../lib/cond.h"
#include "../../lib/gen.h"
#include "../../lib/policy.h"
#include "../../lib/rules.h"
#include "../../lib/secbuf.h"
#include "../../lib/timeutil.h"
#include "fuzz.h"

static void gen(const char *s)
{
	struct secbuf out = SECBUF_INIT;
	double bits = 0;

	if (cf_gen_check(s) == 0 && cf_generate(&out, &bits, s) < 0)
		fuzz_fail("spec", "a generator spec that checks fails");
	secbuf_release(&out);
}

static void rules(const char *s)
{
	static const char *const vals[] = { "", "abc", "hunter2", "x,y|z" };
	struct cf_ynode *r = NULL;

	if (cf_rules_parse(&r, s) == 0) {
		if (cf_rules_valid(r, "fuzz") < 0)
			fuzz_fail("spec", "parsed rules are not valid");
		for (size_t i = 0; i < 4; i++)
			(void)cf_rules_check(r, vals[i], strlen(vals[i]));
	}
	cf_ynode_free(r);
}

static void duration(const char *s)
{
	struct buf b = BUF_INIT;
	int64_t t, u;

	if (cf_duration_parse(&t, s) == 0) {
		cf_duration_format(&b, t);
		if (t > 0 && (cf_duration_parse(&u, b.ptr) < 0 || u != t))
			fuzz_fail("spec", "a duration does not read back");
	}
	buf_release(&b);
}

static void cond(const char *s)
{
	static const char *const types[] = {
		"ip_range", "time_window", "not_before", "not_after",
	};

	for (size_t i = 0; i < 4; i++)
		(void)cf_cond_value_check(types[i], s);
	(void)cf_cond_type_valid(s);
	(void)cf_ip_valid(s);
}

/* A resource pattern, a newline, a name. cf_pattern_match takes time in
 * pattern x name, whatever the wildcards (tests/fuzz/corpus/spec/
 * pattern-backtrack took minutes with the old backtracking matcher). */
static void pattern(char *s)
{
	char *nl = strchr(s, '\n');

	if (!nl)
		return;
	*nl = '\0';
	(void)cf_pattern_match(s, nl + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	int64_t t;

	if (!size)
		return 0;
	fuzz_init();
	s = fuzz_cstr(data + 1, size - 1);
	switch (data[0] % 7) {
	case 0: gen(s); break;
	case 1: rules(s); break;
	case 2: (void)cf_time_parse(&t, s); break;
	case 3: duration(s); break;
	case 4: cond(s); break;
	case 5: pattern(s); break;
	default: (void)cf_action_parse(s); break;
	}
	free(s);
	return 0;
}
