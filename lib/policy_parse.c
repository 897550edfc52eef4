/* policy_parse.c: reading the policy file (SPEC 5) into struct
 * cf_policy and validating it, with file:line messages; releasing it;
 * looking up principals, groups and action names. */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "gen.h"
#include "policy.h"
#include "rules.h"
#include "timeutil.h"

static const char *action_names[] = {
	"list", "read", "write", "rotate", "delete", "admin",
};

unsigned cf_action_parse(const char *s)
{
	if (!strcmp(s, "*"))
		return CF_ACT_ALL;
	for (unsigned i = 0; i < 6; i++)
		if (!strcmp(s, action_names[i]))
			return 1u << i;
	return 0;
}

const char *cf_action_name(enum cf_action a)
{
	for (unsigned i = 0; i < 6; i++)
		if (a == (1u << i))
			return action_names[i];
	return "*";
}

/* ---- parsing ---- */

struct ctx {
	struct cf_policy *p;
	const char *what;
};

static int bad(struct ctx *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct ctx *c, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cf_error_set(CF_EINTEGRITY, "%s:%d: %s", c->what, line, msg);
}

static int check_keys(struct ctx *c, const struct cf_ynode *map,
		      const char *const *allowed, const char *where)
{
	for (size_t i = 0; i < map->n; i++) {
		int ok = 0;

		for (size_t k = 0; allowed[k]; k++)
			ok |= !strcmp(map->pairs[i].key, allowed[k]);
		if (!ok) {
			char m[160];

			snprintf(m, sizeof(m), "unknown key '%.60s' in %s",
				 map->pairs[i].key, where);
			return cf_error_set(CF_EINTEGRITY, "%s:%d: %s", c->what,
					    map->pairs[i].line, m);
		}
	}
	return 0;
}

/* A scalar or a list of scalars, as strings. */
static int str_list(struct ctx *c, const struct cf_ynode *n, char ***out,
		    size_t *cnt, const char *what)
{
	*out = NULL;
	*cnt = 0;
	if (n->kind == CF_Y_MAP)
		return bad(c, n->line, "%s must be a string or a list", what);
	if (n->kind == CF_Y_SCALAR) {
		*out = xmalloc(sizeof(char *));
		(*out)[0] = xstrndup(n->str, n->len);
		*cnt = 1;
		return 0;
	}
	*out = xcalloc(n->n ? n->n : 1, sizeof(char *));
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != CF_Y_SCALAR)
			return bad(c, n->items[i]->line,
				   "%s items must be strings", what);
		(*out)[i] = xstrndup(n->items[i]->str, n->items[i]->len);
		(*cnt)++;
	}
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int parse_principals(struct ctx *c, const struct cf_ynode *n)
{
	static const char *const keys[] = { "keys", "kind", NULL };
	struct cf_policy *p = c->p;
	int ret;

	if (n->kind != CF_Y_MAP)
		return bad(c, n->line, "principals must be a mapping");
	p->principals = xcalloc(n->n, sizeof(*p->principals));
	for (size_t i = 0; i < n->n; i++) {
		struct cf_principal *pr = &p->principals[p->nprincipals++];
		const struct cf_ynode *v = n->pairs[i].val, *k;

		pr->name = xstrdup(n->pairs[i].key);
		pr->line = n->pairs[i].line;
		if (!cf_principal_name_valid(pr->name))
			return bad(c, pr->line, "bad principal name '%.64s'",
				   pr->name);
		if (v->kind != CF_Y_MAP)
			return bad(c, pr->line,
				   "principal '%.64s' must be a mapping", pr->name);
		if ((ret = check_keys(c, v, keys, "a principal")) < 0)
			return ret;
		if (!(k = cf_ymap_get(v, "keys")) || k->kind != CF_Y_SEQ ||
		    !k->n)
			return bad(c, pr->line,
				   "principal '%.64s' needs a list of keys",
				   pr->name);
		if ((ret = str_list(c, k, &pr->keys, &pr->nkeys, "keys")) < 0)
			return ret;
		for (size_t j = 0; j < pr->nkeys; j++) {
			if (!cf_fpr_valid(pr->keys[j]))
				return bad(c, k->items[j]->line,
					"'%.80s' is not a full fingerprint (40 or 64 hex digits; short key IDs and e-mail addresses are refused)",
					pr->keys[j]);
			cf_fpr_upper(pr->keys[j]);
		}
		if ((k = cf_ymap_get(v, "kind"))) {
			if (k->kind != CF_Y_SCALAR ||
			    (strcmp(k->str, "person") && strcmp(k->str, "machine")))
				return bad(c, k->line,
					   "kind must be person or machine");
			pr->kind = xstrdup(k->str);
		} else {
			pr->kind = xstrdup("person");
		}
	}
	return 0;
}

static int parse_groups(struct ctx *c, const struct cf_ynode *n)
{
	struct cf_policy *p = c->p;
	int ret;

	if (n->kind != CF_Y_MAP)
		return bad(c, n->line, "groups must be a mapping");
	p->groups = xcalloc(n->n, sizeof(*p->groups));
	for (size_t i = 0; i < n->n; i++) {
		struct cf_group *g = &p->groups[p->ngroups++];
		const struct cf_ynode *v = n->pairs[i].val;

		g->name = xstrdup(n->pairs[i].key);
		g->line = n->pairs[i].line;
		if (!cf_principal_name_valid(g->name))
			return bad(c, g->line, "bad group name '%.64s'", g->name);
		if (v->kind == CF_Y_SCALAR && cf_yscalar_type(v) == CF_YT_NULL)
			continue;	/* empty group */
		if (v->kind != CF_Y_SEQ)
			return bad(c, g->line,
				   "group '%.64s' must be a list of principals",
				   g->name);
		if ((ret = str_list(c, v, &g->members, &g->n,
				    "group members")) < 0)
			return ret;
		for (size_t j = 0; j < g->n; j++)
			if (!cf_policy_principal(p, g->members[j]))
				return bad(c, v->items[j]->line,
					   "unknown principal '%.64s' in group",
					   g->members[j]);
	}
	return 0;
}

static int parse_conds(struct ctx *c, const struct cf_ynode *n,
		       struct cf_cond **out, size_t *cnt)
{
	static const char *const keys[] = { "type", "value", NULL };
	int ret;

	if (n->kind != CF_Y_SEQ)
		return bad(c, n->line, "conditions must be a list");
	*out = xcalloc(n->n ? n->n : 1, sizeof(**out));
	for (size_t i = 0; i < n->n; i++) {
		const struct cf_ynode *e = n->items[i], *t, *v;
		struct cf_cond *cd = &(*out)[(*cnt)++];

		cd->line = e->line;
		if (e->kind != CF_Y_MAP)
			return bad(c, e->line, "a condition must be a mapping");
		if ((ret = check_keys(c, e, keys, "a condition")) < 0)
			return ret;
		t = cf_ymap_get(e, "type");
		v = cf_ymap_get(e, "value");
		if (!t || t->kind != CF_Y_SCALAR || !v)
			return bad(c, e->line,
				   "a condition needs a type and a value");
		if (!cf_cond_type_valid(t->str))
			return bad(c, t->line, "unknown condition type '%.40s'",
				   t->str);
		cd->type = xstrdup(t->str);
		if ((ret = str_list(c, v, &cd->values, &cd->n,
				    "condition value")) < 0)
			return ret;
		for (size_t k = 0; k < cd->n; k++)
			if (cf_cond_value_check(cd->type, cd->values[k]) < 0)
				return bad(c, v->line, "'%.60s' is not a valid %s",
					   cd->values[k], cd->type);
	}
	return 0;
}

/* The actions of a statement, as CF_ACT_* bits. */
static int parse_actions(struct ctx *c, const struct cf_ynode *a,
			 unsigned *out)
{
	char **acts = NULL;
	size_t nacts = 0;
	int ret;

	*out = 0;
	if ((ret = str_list(c, a, &acts, &nacts, "actions")) < 0)
		goto out;
	for (size_t k = 0; k < nacts; k++) {
		unsigned bit = cf_action_parse(acts[k]);

		if (!bit) {
			ret = bad(c, a->line, "unknown action '%.40s'", acts[k]);
			goto out;
		}
		*out |= bit;
	}
	ret = 0;
out:
	strv_free(acts, nacts);
	return ret;
}

static int parse_stmts(struct ctx *c, struct cf_block *b,
		       const struct cf_ynode *n, int deny)
{
	static const char *const keys[] = {
		"action", "actions", "resource", "resources", "conditions", NULL,
	};
	int ret;

	if (n->kind != CF_Y_SEQ)
		return bad(c, n->line, "allow and deny must be lists");
	b->stmts = xrealloc(b->stmts, (b->nstmts + n->n + 1) * sizeof(*b->stmts));
	for (size_t i = 0; i < n->n; i++) {
		const struct cf_ynode *e = n->items[i], *a, *r, *cd;
		struct cf_stmt *s = &b->stmts[b->nstmts++];

		memset(s, 0, sizeof(*s));
		s->deny = deny;
		s->line = e->line;
		if (e->kind != CF_Y_MAP)
			return bad(c, e->line, "a statement must be a mapping");
		if ((ret = check_keys(c, e, keys, "a statement")) < 0)
			return ret;
		a = cf_ymap_get(e, "actions");
		if (!a)
			a = cf_ymap_get(e, "action");
		r = cf_ymap_get(e, "resources");
		if (!r)
			r = cf_ymap_get(e, "resource");
		if (!a || !r || (cf_ymap_get(e, "action") &&
				 cf_ymap_get(e, "actions")) ||
		    (cf_ymap_get(e, "resource") && cf_ymap_get(e, "resources")))
			return bad(c, e->line,
				"a statement needs one of action/actions and one of resource/resources");
		if ((ret = parse_actions(c, a, &s->actions)) < 0)
			return ret;
		if ((ret = str_list(c, r, &s->resources, &s->nres,
				    "resources")) < 0)
			return ret;
		if (!s->nres || !s->actions)
			return bad(c, e->line,
				   "a statement needs actions and resources");
		if ((cd = cf_ymap_get(e, "conditions")) &&
		    (ret = parse_conds(c, cd, &s->conds, &s->nconds)) < 0)
			return ret;
	}
	return 0;
}

static int parse_policies(struct ctx *c, const struct cf_ynode *n)
{
	static const char *const keys[] = { "allow", "deny", "conditions", NULL };
	struct cf_policy *p = c->p;
	int ret;

	if (n->kind != CF_Y_MAP)
		return bad(c, n->line, "policies must be a mapping");
	p->blocks = xcalloc(n->n ? n->n : 1, sizeof(*p->blocks));
	for (size_t i = 0; i < n->n; i++) {
		struct cf_block *b = &p->blocks[p->nblocks++];
		const struct cf_ynode *v = n->pairs[i].val, *x;
		const char *key = n->pairs[i].key;

		b->key = xstrdup(key);
		b->line = n->pairs[i].line;
		if (!strncmp(key, "group:", 6)) {
			size_t g;

			for (g = 0; g < p->ngroups; g++)
				if (!strcmp(p->groups[g].name, key + 6))
					break;
			if (g == p->ngroups)
				return bad(c, b->line, "unknown group '%.64s'",
					   key + 6);
		} else if (strcmp(key, "*") && !cf_policy_principal(p, key)) {
			return bad(c, b->line, "unknown principal '%.64s'", key);
		}
		if (v->kind != CF_Y_MAP)
			return bad(c, b->line, "policy '%.64s' must be a mapping",
				   key);
		if ((ret = check_keys(c, v, keys, "a policy")) < 0)
			return ret;
		if ((x = cf_ymap_get(v, "allow")) &&
		    (ret = parse_stmts(c, b, x, 0)) < 0)
			return ret;
		if ((x = cf_ymap_get(v, "deny")) &&
		    (ret = parse_stmts(c, b, x, 1)) < 0)
			return ret;
		if ((x = cf_ymap_get(v, "conditions")) &&
		    (ret = parse_conds(c, x, &b->conds, &b->nconds)) < 0)
			return ret;
	}
	return 0;
}

/* An optional mapping with known keys inside a defaults entry. */
static int check_sub(struct ctx *c, const struct cf_ynode *x,
		     const char *const *keys, const char *what)
{
	if (!x)
		return 0;
	if (x->kind != CF_Y_MAP)
		return bad(c, x->line, "%s must be a mapping", what);
	return check_keys(c, x, keys, what);
}

/* The values of a defaults entry: durations, a generator that parses,
 * a number of bits, rules that compile. */
static int check_default_values(struct ctx *c, const struct cf_ynode *e)
{
	const struct cf_ynode *rot = cf_ymap_get(e, "rotation"), *x;
	const struct cf_ynode *str = cf_ymap_get(e, "strength");
	static const char *const durations[] = { "every", "overlap", NULL };
	int64_t d;

	for (size_t i = 0; durations[i]; i++)
		if ((x = cf_ymap_get(rot, durations[i])) &&
		    (x->kind != CF_Y_SCALAR || cf_duration_parse(&d, x->str) < 0))
			return bad(c, x->line, "rotation.%s must be a duration",
				   durations[i]);
	if ((x = cf_ymap_get(rot, "generator")) &&
	    (x->kind != CF_Y_SCALAR || cf_gen_check(x->str) < 0))
		return bad(c, x->line, "rotation.generator is not a generator");
	if ((x = cf_ymap_get(rot, "hook")) &&
	    (x->kind != CF_Y_SCALAR || !cf_hook_path_valid(x->str)))
		return bad(c, x->line,
			   "rotation.hook must name a file in .coffer/hooks/");
	if ((x = cf_ymap_get(str, "min_bits")) &&
	    (x->kind != CF_Y_SCALAR || (cf_yscalar_type(x) != CF_YT_INT &&
				       cf_yscalar_type(x) != CF_YT_FLOAT)))
		return bad(c, x->line, "strength.min_bits must be a number");
	return cf_rules_valid(cf_ymap_get(e, "validate"), c->what);
}

static int parse_defaults(struct ctx *c, const struct cf_ynode *n)
{
	static const char *const keys[] = {
		"resources", "rotation", "strength", "validate", NULL,
	};
	static const char *const rot[] = {
		"every", "overlap", "generator", "hook", NULL,
	};
	static const char *const str[] = { "min_bits", NULL };
	int ret;

	if (n->kind != CF_Y_SEQ)
		return bad(c, n->line, "defaults must be a list");
	for (size_t i = 0; i < n->n; i++) {
		const struct cf_ynode *e = n->items[i], *x;

		if (e->kind != CF_Y_MAP)
			return bad(c, e->line, "a default must be a mapping");
		if ((ret = check_keys(c, e, keys, "defaults")) < 0)
			return ret;
		if (!(x = cf_ymap_get(e, "resources")) || x->kind == CF_Y_MAP)
			return bad(c, e->line, "a default needs resources");
		if ((ret = check_sub(c, cf_ymap_get(e, "rotation"), rot,
				     "rotation")) < 0 ||
		    (ret = check_sub(c, cf_ymap_get(e, "strength"), str,
				     "strength")) < 0 ||
		    (ret = check_default_values(c, e)) < 0)
			return ret;
	}
	c->p->defaults = n;
	return 0;
}

int cf_policy_parse(struct cf_policy *p, const char *data, size_t len,
		    const char *what)
{
	static const char *const keys[] = {
		"version", "principals", "groups", "policies", "settings",
		"defaults", NULL,
	};
	static const char *const skeys[] = { "require_signed_commits", NULL };
	struct ctx c = { p, what };
	const struct cf_ynode *n;
	struct cf_ynode *root;
	int ret;

	memset(p, 0, sizeof(*p));
	p->path = xstrdup(what);
	p->require_signed_commits = 1;
	if ((ret = cf_yaml_parse(&root, data, len, what)) < 0)
		return ret;
	p->tree = root;
	if (root->kind != CF_Y_MAP)
		return bad(&c, root->line, "the policy must be a mapping");
	if ((ret = check_keys(&c, root, keys, "the policy")) < 0)
		return ret;
	n = cf_ymap_get(root, "version");
	if (!n || n->kind != CF_Y_SCALAR || strcmp(n->str, "1"))
		return bad(&c, n ? n->line : 1, "version must be 1");
	if (!(n = cf_ymap_get(root, "principals")))
		return bad(&c, 1, "principals are missing");
	if ((ret = parse_principals(&c, n)) < 0)
		return ret;
	/* a fingerprint may belong to one principal only */
	for (size_t i = 0; i < p->nprincipals; i++)
		for (size_t k = 0; k < p->principals[i].nkeys; k++) {
			const struct cf_principal *o = cf_policy_principal_by_fpr(
				p, p->principals[i].keys[k]);

			if (o != &p->principals[i])
				return bad(&c, p->principals[i].line,
					   "key %.64s belongs to two principals",
					   p->principals[i].keys[k]);
		}
	if ((n = cf_ymap_get(root, "groups")) &&
	    (ret = parse_groups(&c, n)) < 0)
		return ret;
	if ((n = cf_ymap_get(root, "policies")) &&
	    (ret = parse_policies(&c, n)) < 0)
		return ret;
	if ((n = cf_ymap_get(root, "settings"))) {
		const struct cf_ynode *s;

		if (n->kind != CF_Y_MAP)
			return bad(&c, n->line, "settings must be a mapping");
		if ((ret = check_keys(&c, n, skeys, "settings")) < 0)
			return ret;
		if ((s = cf_ymap_get(n, "require_signed_commits"))) {
			if (s->kind != CF_Y_SCALAR ||
			    cf_yscalar_type(s) != CF_YT_BOOL)
				return bad(&c, s->line,
					   "require_signed_commits must be true or false");
			p->require_signed_commits = s->str[0] == 't' ||
						    s->str[0] == 'T';
		}
	}
	if ((n = cf_ymap_get(root, "defaults")) &&
	    (ret = parse_defaults(&c, n)) < 0)
		return ret;
	return 0;
}

static void conds_free(struct cf_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].type);
		strv_free(c[i].values, c[i].n);
	}
	free(c);
}

void cf_policy_release(struct cf_policy *p)
{
	for (size_t i = 0; i < p->nprincipals; i++) {
		free(p->principals[i].name);
		strv_free(p->principals[i].keys, p->principals[i].nkeys);
		free(p->principals[i].kind);
	}
	free(p->principals);
	for (size_t i = 0; i < p->ngroups; i++) {
		free(p->groups[i].name);
		strv_free(p->groups[i].members, p->groups[i].n);
	}
	free(p->groups);
	for (size_t i = 0; i < p->nblocks; i++) {
		struct cf_block *b = &p->blocks[i];

		for (size_t k = 0; k < b->nstmts; k++) {
			strv_free(b->stmts[k].resources, b->stmts[k].nres);
			conds_free(b->stmts[k].conds, b->stmts[k].nconds);
		}
		free(b->stmts);
		conds_free(b->conds, b->nconds);
		free(b->key);
	}
	free(p->blocks);
	cf_ynode_free(p->tree);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

const struct cf_principal *cf_policy_principal(const struct cf_policy *p,
					       const char *name)
{
	for (size_t i = 0; i < p->nprincipals; i++)
		if (!strcmp(p->principals[i].name, name))
			return &p->principals[i];
	return NULL;
}

const struct cf_principal *cf_policy_principal_by_fpr(
	const struct cf_policy *p, const char *fpr)
{
	for (size_t i = 0; i < p->nprincipals; i++)
		for (size_t k = 0; k < p->principals[i].nkeys; k++)
			if (!strcasecmp(p->principals[i].keys[k], fpr))
				return &p->principals[i];
	return NULL;
}

int cf_policy_in_group(const struct cf_policy *p, const char *principal,
		       const char *group)
{
	for (size_t i = 0; i < p->ngroups; i++) {
		if (strcmp(p->groups[i].name, group))
			continue;
		for (size_t k = 0; k < p->groups[i].n; k++)
			if (!strcmp(p->groups[i].members[k], principal))
				return 1;
	}
	return 0;
}
