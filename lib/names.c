/* names.c: the checks of names and fingerprints, and the fingerprint
 * helpers (upper-casing, membership in a list). Each check is a bool
 * *_valid; cf_name_check adds the CF_EUSAGE message callers print. */
#include "common.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "names.h"

#define FIELD_NAME_MAX 128
#define PRINCIPAL_NAME_MAX 64
#define HOOKS_DIR ".coffer/hooks/"

/* What is wrong with a secret name, in the order it is checked. */
enum name_fault {
	NAME_OK, NAME_EMPTY, NAME_LONG, NAME_DOTDOT, NAME_EMPTY_SEGMENT,
	NAME_SEGMENT_START, NAME_CHAR, NAME_SEGMENTS,
};

static enum name_fault name_fault(const char *name)
{
	size_t len = strlen(name), segs = 0;
	const char *seg = name;

	if (!len)
		return NAME_EMPTY;
	if (len > CF_NAME_MAX)
		return NAME_LONG;
	if (strstr(name, ".."))
		return NAME_DOTDOT;
	for (const char *p = name;; p++) {
		if (*p != '/' && *p)
			continue;
		if (p == seg)
			return NAME_EMPTY_SEGMENT;
		if (!isalnum((unsigned char)*seg))
			return NAME_SEGMENT_START;
		for (const char *q = seg; q < p; q++)
			if (!isalnum((unsigned char)*q) && !strchr("._-", *q))
				return NAME_CHAR;
		if (++segs > CF_NAME_SEGMENTS)
			return NAME_SEGMENTS;
		if (!*p)
			break;
		seg = p + 1;
	}
	return NAME_OK;
}

bool cf_name_valid(const char *name)
{
	return name_fault(name) == NAME_OK;
}

int cf_name_check(const char *name)
{
	switch (name_fault(name)) {
	case NAME_OK:
		return 0;
	case NAME_EMPTY:
		return cf_error_set(CF_EUSAGE, "empty secret name");
	case NAME_LONG:
		return cf_error_set(CF_EUSAGE,
			"invalid name: longer than %d bytes", CF_NAME_MAX);
	case NAME_DOTDOT:
		return cf_error_set(CF_EUSAGE,
			"invalid name '%s': '..' is not allowed", name);
	case NAME_EMPTY_SEGMENT:
		return cf_error_set(CF_EUSAGE,
			"invalid name '%s': empty segment", name);
	case NAME_SEGMENT_START:
		return cf_error_set(CF_EUSAGE,
			"invalid name '%s': a segment must start with a letter or digit",
			name);
	case NAME_CHAR:
		return cf_error_set(CF_EUSAGE,
			"invalid name '%s': only letters, digits, '.', '_', '-' and '/'",
			name);
	case NAME_SEGMENTS:
		return cf_error_set(CF_EUSAGE,
			"invalid name '%s': more than %d segments", name,
			CF_NAME_SEGMENTS);
	}
	return cf_error_set(CF_EUSAGE, "invalid name '%s'", name);
}

bool cf_field_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > FIELD_NAME_MAX ||
	    !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return strcmp(s, "data") && strcmp(s, "previous") && strcmp(s, "sops");
}

bool cf_principal_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > PRINCIPAL_NAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

bool cf_hook_path_valid(const char *rel)
{
	size_t dir = strlen(HOOKS_DIR);
	const char *name;

	if (strncmp(rel, HOOKS_DIR, dir))
		return false;
	name = rel + dir;
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

bool cf_fpr_valid(const char *s)
{
	size_t n = strlen(s);

	if (n != 40 && n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

char *cf_fpr_upper(char *fpr)
{
	for (char *p = fpr; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return fpr;
}

bool cf_fprs_has(char *const *list, size_t n, const char *fpr)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(list[i], fpr))
			return true;
	return false;
}
