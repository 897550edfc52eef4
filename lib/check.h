/* check.h: the health report (SPEC 7) from the clear meta and
 * recipient lists, the store's files and the principals' keys in
 * .coffer/keys: nothing is decrypted, GnuPG is not run. */
#ifndef CF_CHECK_H
#define CF_CHECK_H

#include "report.h"
#include "store.h"

/* The whole store: what the listing leaves out, the principals' keys
 * and every secret (on every CPU). *nsecrets: how many were checked. */
int cf_check_store(struct cf_report *r, const struct cf_store *st,
		   size_t *nsecrets);
/* The named secrets only. */
int cf_check_names(struct cf_report *r, const struct cf_store *st,
		   char *const *names, size_t n);

/* policy lint: parses text (named what in messages; its errors are
 * passed up, CF_EINTEGRITY) and adds warnings named "what:line": a read
 * allowed only under advisory conditions, and, when root is given, a
 * principal without .coffer/keys/NAME.asc. */
int cf_policy_lint(struct cf_report *r, const char *text, size_t len,
		   const char *what, const char *root);

#endif
