/* policy_eval.c: evaluating a parsed policy (SPEC 5.2): resource
 * patterns, the one evaluator behind allow/deny decisions, their
 * explanation, the readers of a secret, and the defaults that apply to
 * a name. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "policy.h"

int cf_pattern_match(const char *pat, const char *name)
{
	/* which lengths of name the pattern read so far can match, one
	 * pattern character at a time: time in pattern x name, never the
	 * exponential backtracking a pattern of many '*' and '+' could
	 * force on a recursive matcher */
	size_t n = strlen(name), end;
	unsigned char *at = xcalloc(n + 1, 1), *next = xcalloc(n + 1, 1), *t;
	int any = 1, ret;

	at[0] = 1;
	for (; *pat && any; pat++) {
		memset(next, 0, n + 1);
		any = 0;
		for (size_t j = 0; j <= n; j++) {
			if (!at[j])
				continue;
			if (*pat == '*') {	/* any characters, '/' too */
				memset(next + j, 1, n + 1 - j);
				any = 1;
				break;
			}
			if (j == n)
				continue;
			if (*pat == '+' || *pat == '?') {
				if (name[j] == '/')
					continue;
				/* '+': the rest of a segment; '?': one char */
				end = *pat == '+' ? j + strcspn(name + j, "/") : j + 1;
				next[end] = any = 1;
			} else if (*pat == name[j]) {
				next[j + 1] = any = 1;
			}
		}
		t = at;
		at = next;
		next = t;
	}
	ret = !*pat && at[n];
	free(at);
	free(next);
	return ret;
}

static int block_applies(const struct cf_policy *p, const struct cf_block *b,
			 const char *principal)
{
	if (!strcmp(b->key, "*"))
		return 1;
	if (!strncmp(b->key, "group:", 6))
		return cf_policy_in_group(p, principal, b->key + 6);
	return !strcmp(b->key, principal);
}

/* Whether every condition of the block and the statement holds: false
 * wins over undecided, undecided over true. results, when given,
 * receives each condition's own result. */
static enum cf_tri holds(const struct cf_block *b, const struct cf_stmt *s,
			 const struct cf_context *x, enum cf_tri *results)
{
	enum cf_tri all = CF_TRUE;

	for (size_t i = 0; i < b->nconds + s->nconds; i++) {
		enum cf_tri r = cf_cond_eval(i < b->nconds ? &b->conds[i] :
					     &s->conds[i - b->nconds], x);

		if (results)
			results[i] = r;
		if (r == CF_FALSE)
			all = CF_FALSE;
		else if (r == CF_UNKNOWN && all == CF_TRUE)
			all = CF_UNKNOWN;
		if (all == CF_FALSE && !results)
			break;
	}
	return all;
}

static void add_match(struct cf_match **v, size_t *n, const struct cf_block *b,
		      const struct cf_stmt *s, int aok, int rok,
		      const struct cf_context *x)
{
	struct cf_match *m;

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	m = &(*v)[(*n)++];
	m->block = b;
	m->stmt = s;
	m->action_ok = aok;
	m->resource_ok = rok;
	m->nconds = b->nconds + s->nconds;
	m->conds = xcalloc(m->nconds + 1, sizeof(*m->conds));
	m->results = xcalloc(m->nconds + 1, sizeof(*m->results));
	for (size_t i = 0; i < m->nconds; i++)
		m->conds[i] = i < b->nconds ? &b->conds[i] :
			      &s->conds[i - b->nconds];
	m->holds = holds(b, s, x, m->results);
}

static int evaluate(const struct cf_policy *p, const char *principal,
		    enum cf_action action, const char *resource,
		    const struct cf_context *ctx, struct cf_explain *ex);

/* Whether principal is one of resource's readers at now (SPEC 5.3). */
static int is_reader(const struct cf_policy *p, const char *principal,
		     const char *resource, int64_t now)
{
	struct cf_context r = { now, NULL, 1 };

	return evaluate(p, principal, CF_ACT_READ, resource, &r, NULL);
}

/* The one evaluator (SPEC 5.2). With ex NULL it only decides and
 * stops early; with ex it records every statement it looked at. */
static int evaluate(const struct cf_policy *p, const char *principal,
		    enum cf_action action, const char *resource,
		    const struct cf_context *ctx, struct cf_explain *ex)
{
	int allow = 0, deny = 0, explicit_deny = 0;

	if (!cf_policy_principal(p, principal)) {
		if (ex)
			ex->reason = "deny (unknown principal)";
		return 0;
	}
	for (size_t i = 0; i < p->nblocks; i++) {
		const struct cf_block *b = &p->blocks[i];

		if (!block_applies(p, b, principal))
			continue;
		for (size_t k = 0; k < b->nstmts; k++) {
			const struct cf_stmt *s = &b->stmts[k];
			int aok = (s->actions & action) != 0, rok = 0;
			struct cf_match *m;

			for (size_t r = 0; r < s->nres && !rok; r++)
				rok = cf_pattern_match(s->resources[r], resource);
			if (!aok && !rok)
				continue;
			if (!(aok && rok)) {
				if (ex)
					add_match(&ex->near, &ex->nnear, b, s,
						  aok, rok, ctx);
				continue;
			}
			if (ex) {
				add_match(&ex->matched, &ex->nmatched, b, s, 1,
					  1, ctx);
				m = &ex->matched[ex->nmatched - 1];
				for (size_t c = 0; c < m->nconds; c++)
					if (m->results[c] == CF_UNKNOWN &&
					    !strcmp(m->conds[c]->type, "ip_range"))
						ex->missing_source_ip = 1;
				if (s->deny && m->holds == CF_TRUE)
					explicit_deny = 1;
				if (s->deny && m->holds != CF_FALSE)
					deny = 1;
				if (!s->deny && m->holds == CF_TRUE)
					allow = 1;
				continue;
			}
			{
				enum cf_tri t = holds(b, s, ctx, NULL);

				if (s->deny && t != CF_FALSE)
					return 0;	/* deny wins */
				if (!s->deny && t == CF_TRUE)
					allow = 1;
			}
		}
	}
	if (ex)
		ex->reason = explicit_deny ? "deny (explicit)" :
			     deny ? "deny (undecided condition)" :
			     allow ? "allow" : "deny (implicit)";
	if (!deny && allow && action == CF_ACT_READ && !ctx->readers &&
	    !is_reader(p, principal, resource, ctx->now)) {
		/* read is cryptographic: whoever the readers' rule leaves
		 * out cannot decrypt, whatever this context says */
		if (ex)
			ex->reason = "deny (not a reader: a deny whose ip_range or time_window is taken as holding for encryption)";
		return 0;
	}
	return !deny && allow;
}

int cf_policy_explain(const struct cf_policy *p, const char *principal,
		      enum cf_action action, const char *resource,
		      const struct cf_context *ctx, struct cf_explain *out)
{
	memset(out, 0, sizeof(*out));
	out->allow = evaluate(p, principal, action, resource, ctx, out);
	return out->allow;
}

static void matches_free(struct cf_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].conds);
		free(m[i].results);
	}
	free(m);
}

void cf_explain_release(struct cf_explain *e)
{
	matches_free(e->matched, e->nmatched);
	matches_free(e->near, e->nnear);
	memset(e, 0, sizeof(*e));
}

int cf_policy_allows(const struct cf_policy *p, const char *principal,
		     enum cf_action action, const char *resource,
		     const struct cf_context *ctx)
{
	return evaluate(p, principal, action, resource, ctx, NULL);
}

const struct cf_ynode *cf_policy_default(const struct cf_policy *p,
					 const char *name, const char *section)
{
	for (size_t i = 0; p->defaults && i < p->defaults->n; i++) {
		const struct cf_ynode *e = p->defaults->items[i];
		const struct cf_ynode *r = cf_ymap_get(e, "resources");
		int match = 0;

		if (r->kind == CF_Y_SCALAR)
			match = cf_pattern_match(r->str, name);
		for (size_t k = 0; r->kind == CF_Y_SEQ && k < r->n && !match; k++)
			match = r->items[k]->kind == CF_Y_SCALAR &&
				cf_pattern_match(r->items[k]->str, name);
		if (match)	/* first match wins, even without section */
			return cf_ymap_get(e, section);
	}
	return NULL;
}

int cf_policy_min_bits(const struct cf_policy *p, const char *name,
		       double *out)
{
	const struct cf_ynode *min =
		cf_ymap_get(cf_policy_default(p, name, "strength"), "min_bits");

	if (!min || min->kind != CF_Y_SCALAR)
		return 0;
	*out = strtod(min->str, NULL);
	return 1;
}

size_t cf_policy_readers(const struct cf_policy *p, const char *name,
			 int64_t now, const struct cf_principal ***out)
{
	struct cf_context ctx = { now, NULL, 1 };
	size_t n = 0;

	*out = xcalloc(p->nprincipals + 1, sizeof(**out));
	for (size_t i = 0; i < p->nprincipals; i++)
		if (cf_policy_allows(p, p->principals[i].name, CF_ACT_READ,
				     name, &ctx))
			(*out)[n++] = &p->principals[i];
	return n;
}
