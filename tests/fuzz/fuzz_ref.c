/* fuzz_ref.c: references (cf_ref_parse, coffer://NAME#FIELD@VERSION) and
 * the name rules they use (cf_name_check and the other checks of
 * names.c). */
#include "../../lib/common.h"

#include "../../lib/names.h"
#include "../../lib/ref.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_ref r;
	char *s = fuzz_cstr(data, size);

	if (cf_ref_parse(&r, s) == 0 &&
	    (!r.name || cf_name_check(r.name) < 0))
		fuzz_fail("ref", "a reference parses with a bad name");
	cf_ref_release(&r);
	if (cf_name_valid(s) != (cf_name_check(s) == 0))
		fuzz_fail("ref", "cf_name_valid and cf_name_check differ");
	(void)cf_field_name_valid(s);
	(void)cf_principal_name_valid(s);
	(void)cf_hook_path_valid(s);
	if (cf_fpr_valid(s))
		(void)cf_fpr_upper(s);
	free(s);
	return 0;
}
