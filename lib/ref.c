/* ref.c: parsing references. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ref.h"
#include "secret.h"
#include "store.h"

void cf_ref_release(struct cf_ref *r)
{
	free(r->name);
	free(r->field);
	free(r->version);
	memset(r, 0, sizeof(*r));
}

int cf_ref_parse(struct cf_ref *r, const char *s)
{
	const char *at, *hash;
	char *end;

	memset(r, 0, sizeof(*r));
	if (!strncmp(s, "coffer://", 9))
		s += 9;
	at = strrchr(s, '@');
	hash = strchr(s, '#');
	if (hash && at && at < hash)
		return cf_error_set(CF_EUSAGE, "bad reference: '#FIELD' comes before '@VERSION'");
	r->name = xstrndup(s, hash ? (size_t)(hash - s) :
			   at ? (size_t)(at - s) : strlen(s));
	if (hash)
		r->field = xstrndup(hash + 1, at ? (size_t)(at - hash - 1) :
				    strlen(hash + 1));
	if (at) {
		r->version = xstrdup(at + 1);
		if (strcmp(r->version, "previous") &&
		    (strtol(r->version, &end, 10) < 1 || *end))
			return cf_error_set(CF_EUSAGE,
				"bad version '%s' (a number from 1, or previous)",
				r->version);
	}
	if (r->field && !cf_field_name_valid(r->field))
		return cf_error_set(CF_EUSAGE, "bad field name '%s'", r->field);
	return cf_name_check(r->name);
}
