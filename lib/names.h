/* names.h: every check of a name or a fingerprint, and the fingerprint
 * helpers: secret names (SPEC 2), field and tag names, principal and
 * group names, rotation hook paths, OpenPGP fingerprints. */
#ifndef CF_NAMES_H
#define CF_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define CF_NAME_MAX 200
#define CF_NAME_SEGMENTS 16

/* Secret names (SPEC 2): at most CF_NAME_SEGMENTS segments split by
 * '/', each [A-Za-z0-9][A-Za-z0-9._-]*, no "..", at most CF_NAME_MAX
 * bytes. */
bool cf_name_valid(const char *name);
/* The same check; CF_EUSAGE with the reason when name breaks it. */
int cf_name_check(const char *name);

/* Field names and tag keys: [A-Za-z_][A-Za-z0-9_.-]*, not data,
 * previous or sops, at most 128 bytes. */
bool cf_field_name_valid(const char *s);

/* Principal and group names: [A-Za-z0-9][A-Za-z0-9._-]*, <= 64 bytes. */
bool cf_principal_name_valid(const char *s);

/* Rotation hooks: ".coffer/hooks/NAME", NAME a file directly in that
 * folder (no '/', not "." or ".."). */
bool cf_hook_path_valid(const char *rel);

/* A full fingerprint: 40 or 64 hex digits, either case. Short key IDs
 * and e-mail addresses are not. */
bool cf_fpr_valid(const char *s);
/* Upper-cases the fingerprint fpr in place; returns fpr. */
char *cf_fpr_upper(char *fpr);
/* Whether fpr is one of the n fingerprints in list, ignoring case. */
bool cf_fprs_has(char *const *list, size_t n, const char *fpr);

#endif
