/* policy.h: the policy file (SPEC 5): principals, groups, allow/deny
 * statements with conditions, defaults and settings, and evaluation.
 * Parsing is in policy_parse.c, evaluation in policy_eval.c, the
 * conditions in cond.c and the name checks in names.c. */
#ifndef CF_POLICY_H
#define CF_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"
#include "names.h"
#include "yamlio.h"

enum cf_action {
	CF_ACT_LIST = 1, CF_ACT_READ = 2, CF_ACT_WRITE = 4, CF_ACT_ROTATE = 8,
	CF_ACT_DELETE = 16, CF_ACT_ADMIN = 32, CF_ACT_ALL = 63,
};

struct cf_principal {
	char *name;
	char **keys;		/* upper-case fingerprints */
	size_t nkeys;
	char *kind;		/* "person" (default) or "machine" */
	int line;
};

struct cf_group {
	char *name;
	char **members;
	size_t n;
	int line;
};

struct cf_stmt {
	int deny;
	unsigned actions;
	char **resources;
	size_t nres;
	struct cf_cond *conds;
	size_t nconds;
	int line;
};

struct cf_block {
	char *key;		/* principal, group:NAME or * */
	struct cf_stmt *stmts;
	size_t nstmts;
	struct cf_cond *conds;
	size_t nconds;
	int line;
};

struct cf_policy {
	char *path;		/* for messages */
	struct cf_principal *principals;
	size_t nprincipals;
	struct cf_group *groups;
	size_t ngroups;
	struct cf_block *blocks;
	size_t nblocks;
	int require_signed_commits;
	const struct cf_ynode *defaults; /* validated list in tree, or NULL */
	struct cf_ynode *tree;		/* the parsed document */
};

/* Parses and validates policy text; what names it in messages
 * (file:line). CF_EINTEGRITY for a bad policy; release p in any case. */
int cf_policy_parse(struct cf_policy *p, const char *data, size_t len,
		    const char *what);
void cf_policy_release(struct cf_policy *p);

const struct cf_principal *cf_policy_principal(const struct cf_policy *p,
					       const char *name);
/* The principal that owns fingerprint fpr, or NULL. */
const struct cf_principal *cf_policy_principal_by_fpr(
	const struct cf_policy *p, const char *fpr);
int cf_policy_in_group(const struct cf_policy *p, const char *principal,
		       const char *group);

/* One statement that matched (or nearly matched) a request. */
struct cf_match {
	const struct cf_block *block;
	const struct cf_stmt *stmt;
	int action_ok, resource_ok;
	enum cf_tri holds;		/* all its conditions */
	const struct cf_cond **conds;	/* block's, then statement's */
	enum cf_tri *results;
	size_t nconds;
};

/* Why a decision came out as it did. */
struct cf_explain {
	int allow;
	const char *reason;	/* "allow", "deny (explicit)",
				 * "deny (undecided condition)",
				 * "deny (implicit)", "deny (unknown principal)",
				 * for read "deny (not a reader: ...)": allowed
				 * here, but no reader, so it cannot decrypt */
	struct cf_match *matched;	/* action and resource match */
	size_t nmatched;
	struct cf_match *near;		/* one of the two matches */
	size_t nnear;
	int missing_source_ip;		/* an ip_range had no address */
};

/* Decides and explains; release with cf_explain_release. */
int cf_policy_explain(const struct cf_policy *p, const char *principal,
		      enum cf_action action, const char *resource,
		      const struct cf_context *ctx, struct cf_explain *out);
void cf_explain_release(struct cf_explain *e);

/* Whether principal may do action on resource: 1 allow, 0 deny. */
int cf_policy_allows(const struct cf_policy *p, const char *principal,
		     enum cf_action action, const char *resource,
		     const struct cf_context *ctx);
/* Principals allowed to read name (SPEC 5.3), in policy order; fills
 * out with pointers into p. Returns the count. */
size_t cf_policy_readers(const struct cf_policy *p, const char *name,
			 int64_t now, const struct cf_principal ***out);

/* The section ("rotation", "strength", "validate") of the first
 * defaults entry whose resources match name, or NULL. */
const struct cf_ynode *cf_policy_default(const struct cf_policy *p,
					 const char *name, const char *section);

/* The strength.min_bits of name's defaults entry into *out: 1 if there
 * is one, else 0. */
int cf_policy_min_bits(const struct cf_policy *p, const char *name,
		       double *out);

/* Pattern match: '*' any run (also '/'), '?' one non-'/', '+' one
 * whole segment. */
int cf_pattern_match(const char *pattern, const char *name);
/* Parses an action name; 0 if unknown. */
unsigned cf_action_parse(const char *s);
const char *cf_action_name(enum cf_action a);

#endif
