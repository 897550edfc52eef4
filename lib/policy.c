/* policy.c: parsing, validating and evaluating the policy file. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int cf_pattern_match(const char *pat, const char *name)
{
	/* iterative glob with backtracking to the last '*' */
	const char *star = NULL, *star_name = NULL;

	while (*name) {
		if (*pat == '*') {
			star = ++pat;
			star_name = name;
			continue;
		}
		if (*pat == '+' && *name != '/') {
			const char *e = strchr(name, '/');
			const char *after = e ? e : name + strlen(name);

			/* '+' must stand for a whole segment */
			if (cf_pattern_match(pat + 1, after))
				return 1;
			goto backtrack;
		}
		if (*pat == '?' ? *name != '/' : *pat == *name) {
			pat++;
			name++;
			continue;
		}
backtrack:
		if (!star)
			return 0;
		pat = star;
		name = ++star_name;
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* ---- conditions: ip_range and time_window ---- */

struct cidr {
	int family;
	unsigned char addr[16];
	int bits;
};

static int parse_ip(const char *s, int *family, unsigned char addr[16])
{
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

static int parse_cidr(const char *s, struct cidr *out)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	char *end;
	long bits;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_ip(buf, &out->family, out->addr) < 0)
		return -1;
	out->bits = out->family == AF_INET ? 32 : 128;
	if (slash) {
		if (!isdigit((unsigned char)slash[1]))
			return -1;
		bits = strtol(slash + 1, &end, 10);
		if (*end || bits < 0 || bits > out->bits)
			return -1;
		out->bits = (int)bits;
	}
	return 0;
}

static int cidr_contains(const struct cidr *c, int family,
			 const unsigned char *addr)
{
	int full = c->bits / 8, rest = c->bits % 8;

	if (family != c->family || memcmp(c->addr, addr, (size_t)full))
		return 0;
	if (!rest)
		return 1;
	return ((c->addr[full] ^ addr[full]) & (0xff << (8 - rest))) == 0;
}

struct window {
	unsigned days;		/* bit 0 = Monday; all set when not given */
	int start, end;		/* minutes after midnight */
	int offset;		/* seconds east of UTC */
};

static int day_index(const char *s, size_t n)
{
	static const char *names[] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
	};

	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncmp(s, names[i], 3))
			return i;
	return -1;
}

static int parse_days(const char *s, unsigned *out)
{
	*out = 0;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		const char *dash = memchr(s, '-', n);
		int a, b;

		if (dash) {
			a = day_index(s, (size_t)(dash - s));
			b = day_index(dash + 1, n - (size_t)(dash - s) - 1);
		} else {
			a = b = day_index(s, n);
		}
		if (a < 0 || b < 0)
			return -1;
		for (int d = a;; d = (d + 1) % 7) {
			*out |= 1u << d;
			if (d == b)
				break;
		}
		s += n + (comma != NULL);
	}
	return *out ? 0 : -1;
}

static int parse_hhmm(const char *s, int *out)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	*out = ((s[0] - '0') * 10 + s[1] - '0') * 60 + (s[3] - '0') * 10 +
	       s[4] - '0';
	return *out < 24 * 60 ? 0 : -1;
}

/* "[DAYS ]HH:MM-HH:MM[ ZONE]", DAYS like Mon-Fri or Sat,Sun, ZONE UTC,
 * Z or +hh:mm. */
static int parse_window(const char *spec, struct window *w)
{
	char buf[128], *tok[3], *save = NULL, *t;
	int n = 0, i = 0;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	memcpy(buf, spec, strlen(spec) + 1);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == 3)
			return -1;
		tok[n++] = t;
	}
	w->days = 0x7f;
	w->offset = 0;
	if (n && isalpha((unsigned char)tok[0][0]) && strcmp(tok[0], "UTC") &&
	    strcmp(tok[0], "Z")) {
		if (parse_days(tok[0], &w->days) < 0)
			return -1;
		i++;
	}
	if (i >= n || strlen(tok[i]) != 11 || tok[i][5] != '-' ||
	    parse_hhmm(tok[i], &w->start) < 0 ||
	    parse_hhmm(tok[i] + 6, &w->end) < 0 || w->start == w->end)
		return -1;
	if (++i < n) {
		const char *z = tok[i];
		int minutes;

		if (!strcmp(z, "UTC") || !strcmp(z, "Z")) {
			w->offset = 0;
		} else if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 &&
			   parse_hhmm(z + 1, &minutes) == 0) {
			w->offset = (z[0] == '-' ? -1 : 1) * minutes * 60;
		} else {
			return -1;
		}
		i++;
	}
	return i == n ? 0 : -1;
}

static int window_holds(const struct window *w, int64_t now)
{
	int64_t local = now + w->offset;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int minute = (int)((local - day * 86400) / 60);
	int wday = (int)(((day % 7) + 7 + 3) % 7);	/* 1970-01-01 was a Thursday */

	if (w->start < w->end)
		return (w->days >> wday & 1) && minute >= w->start &&
		       minute < w->end;
	/* overnight: the part after midnight belongs to the day before */
	if (minute >= w->start)
		return w->days >> wday & 1;
	return minute < w->end && (w->days >> ((wday + 6) % 7) & 1);
}

static int check_cond_value(const char *type, const char *v)
{
	struct cidr c;
	struct window w;
	int64_t t;

	if (!strcmp(type, "ip_range"))
		return parse_cidr(v, &c);
	if (!strcmp(type, "time_window"))
		return parse_window(v, &w);
	return cf_time_parse(&t, v);
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
		if (check_keys(c, v, keys, "a principal") < 0)
			return -1;
		if (!(k = cf_ymap_get(v, "keys")) || k->kind != CF_Y_SEQ ||
		    !k->n)
			return bad(c, pr->line,
				   "principal '%.64s' needs a list of keys",
				   pr->name);
		if (str_list(c, k, &pr->keys, &pr->nkeys, "keys") < 0)
			return -1;
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
		if (str_list(c, v, &g->members, &g->n, "group members") < 0)
			return -1;
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
	static const char *const types[] = {
		"ip_range", "time_window", "not_before", "not_after", NULL,
	};

	if (n->kind != CF_Y_SEQ)
		return bad(c, n->line, "conditions must be a list");
	*out = xcalloc(n->n ? n->n : 1, sizeof(**out));
	for (size_t i = 0; i < n->n; i++) {
		const struct cf_ynode *e = n->items[i], *t, *v;
		struct cf_cond *cd = &(*out)[(*cnt)++];
		int ok = 0;

		cd->line = e->line;
		if (e->kind != CF_Y_MAP)
			return bad(c, e->line, "a condition must be a mapping");
		if (check_keys(c, e, keys, "a condition") < 0)
			return -1;
		t = cf_ymap_get(e, "type");
		v = cf_ymap_get(e, "value");
		if (!t || t->kind != CF_Y_SCALAR || !v)
			return bad(c, e->line,
				   "a condition needs a type and a value");
		for (size_t k = 0; types[k]; k++)
			ok |= !strcmp(t->str, types[k]);
		if (!ok)
			return bad(c, t->line, "unknown condition type '%.40s'",
				   t->str);
		cd->type = xstrdup(t->str);
		if (str_list(c, v, &cd->values, &cd->n, "condition value") < 0)
			return -1;
		for (size_t k = 0; k < cd->n; k++)
			if (check_cond_value(cd->type, cd->values[k]) < 0)
				return bad(c, v->line, "'%.60s' is not a valid %s",
					   cd->values[k], cd->type);
	}
	return 0;
}

static int parse_stmts(struct ctx *c, struct cf_block *b,
		       const struct cf_ynode *n, int deny)
{
	static const char *const keys[] = {
		"action", "actions", "resource", "resources", "conditions", NULL,
	};

	if (n->kind != CF_Y_SEQ)
		return bad(c, n->line, "allow and deny must be lists");
	b->stmts = xrealloc(b->stmts, (b->nstmts + n->n + 1) * sizeof(*b->stmts));
	for (size_t i = 0; i < n->n; i++) {
		const struct cf_ynode *e = n->items[i], *a, *r, *cd;
		struct cf_stmt *s = &b->stmts[b->nstmts++];
		char **acts = NULL;
		size_t nacts = 0;

		memset(s, 0, sizeof(*s));
		s->deny = deny;
		s->line = e->line;
		if (e->kind != CF_Y_MAP)
			return bad(c, e->line, "a statement must be a mapping");
		if (check_keys(c, e, keys, "a statement") < 0)
			return -1;
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
		if (str_list(c, a, &acts, &nacts, "actions") < 0) {
			strv_free(acts, nacts);
			return -1;
		}
		for (size_t k = 0; k < nacts; k++) {
			unsigned bit = cf_action_parse(acts[k]);

			if (!bit) {
				int ret = bad(c, a->line, "unknown action '%.40s'",
					      acts[k]);
				strv_free(acts, nacts);
				return ret;
			}
			s->actions |= bit;
		}
		strv_free(acts, nacts);
		if (str_list(c, r, &s->resources, &s->nres, "resources") < 0)
			return -1;
		if (!s->nres || !s->actions)
			return bad(c, e->line,
				   "a statement needs actions and resources");
		if ((cd = cf_ymap_get(e, "conditions")) &&
		    parse_conds(c, cd, &s->conds, &s->nconds) < 0)
			return -1;
	}
	return 0;
}

static int parse_policies(struct ctx *c, const struct cf_ynode *n)
{
	static const char *const keys[] = { "allow", "deny", "conditions", NULL };
	struct cf_policy *p = c->p;

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
		if (check_keys(c, v, keys, "a policy") < 0)
			return -1;
		if ((x = cf_ymap_get(v, "allow")) && parse_stmts(c, b, x, 0) < 0)
			return -1;
		if ((x = cf_ymap_get(v, "deny")) && parse_stmts(c, b, x, 1) < 0)
			return -1;
		if ((x = cf_ymap_get(v, "conditions")) &&
		    parse_conds(c, x, &b->conds, &b->nconds) < 0)
			return -1;
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
	if (cf_rules_valid(cf_ymap_get(e, "validate"), c->what) < 0)
		return -1;
	return 0;
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

	if (n->kind != CF_Y_SEQ)
		return bad(c, n->line, "defaults must be a list");
	for (size_t i = 0; i < n->n; i++) {
		const struct cf_ynode *e = n->items[i], *x;

		if (e->kind != CF_Y_MAP)
			return bad(c, e->line, "a default must be a mapping");
		if (check_keys(c, e, keys, "defaults") < 0)
			return -1;
		if (!(x = cf_ymap_get(e, "resources")) || x->kind == CF_Y_MAP)
			return bad(c, e->line, "a default needs resources");
		if (check_sub(c, cf_ymap_get(e, "rotation"), rot, "rotation") < 0 ||
		    check_sub(c, cf_ymap_get(e, "strength"), str, "strength") < 0 ||
		    check_default_values(c, e) < 0)
			return -1;
	}
	c->p->defaults = (struct cf_ynode *)n;
	return 0;
}

static int parse_policy(struct cf_policy *p, const char *data, size_t len,
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

	memset(p, 0, sizeof(*p));
	p->path = xstrdup(what);
	p->require_signed_commits = 1;
	if (cf_yaml_parse(&root, data, len, what) < 0)
		return -1;
	p->tree = root;
	if (root->kind != CF_Y_MAP)
		return bad(&c, root->line, "the policy must be a mapping");
	if (check_keys(&c, root, keys, "the policy") < 0)
		return -1;
	n = cf_ymap_get(root, "version");
	if (!n || n->kind != CF_Y_SCALAR || strcmp(n->str, "1"))
		return bad(&c, n ? n->line : 1, "version must be 1");
	if (!(n = cf_ymap_get(root, "principals")))
		return bad(&c, 1, "principals are missing");
	if (parse_principals(&c, n) < 0)
		return -1;
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
	if ((n = cf_ymap_get(root, "groups")) && parse_groups(&c, n) < 0)
		return -1;
	if ((n = cf_ymap_get(root, "policies")) && parse_policies(&c, n) < 0)
		return -1;
	if ((n = cf_ymap_get(root, "settings"))) {
		const struct cf_ynode *s;

		if (n->kind != CF_Y_MAP)
			return bad(&c, n->line, "settings must be a mapping");
		if (check_keys(&c, n, skeys, "settings") < 0)
			return -1;
		if ((s = cf_ymap_get(n, "require_signed_commits"))) {
			if (s->kind != CF_Y_SCALAR ||
			    cf_yscalar_type(s) != CF_YT_BOOL)
				return bad(&c, s->line,
					   "require_signed_commits must be true or false");
			p->require_signed_commits = s->str[0] == 't' ||
						    s->str[0] == 'T';
		}
	}
	if ((n = cf_ymap_get(root, "defaults")) && parse_defaults(&c, n) < 0)
		return -1;
	return 0;
}

int cf_policy_parse(struct cf_policy *p, const char *data, size_t len,
		    const char *what)
{
	/* every failure is a bad policy; the message says which */
	return parse_policy(p, data, len, what) < 0 ? CF_EINTEGRITY : 0;
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

/* ---- evaluation ---- */

int cf_ip_valid(const char *s)
{
	unsigned char addr[16];
	int family;

	return parse_ip(s, &family, addr) == 0;
}

enum cf_tri cf_cond_eval(const struct cf_cond *c, const struct cf_context *x)
{
	unsigned char addr[16];
	int family, any = 0;
	int64_t t;

	if (!strcmp(c->type, "ip_range") || !strcmp(c->type, "time_window")) {
		/* not enforceable by encryption: they hold for readers */
		if (x->readers)
			return CF_TRUE;
		if (!strcmp(c->type, "ip_range")) {
			if (!x->source_ip ||
			    parse_ip(x->source_ip, &family, addr) < 0)
				return CF_UNKNOWN;
			for (size_t i = 0; i < c->n; i++) {
				struct cidr cd;

				if (parse_cidr(c->values[i], &cd) == 0 &&
				    cidr_contains(&cd, family, addr))
					return CF_TRUE;
			}
			return CF_FALSE;
		}
		for (size_t i = 0; i < c->n; i++) {
			struct window w;

			if (parse_window(c->values[i], &w) == 0 &&
			    window_holds(&w, x->now))
				return CF_TRUE;
		}
		return CF_FALSE;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (cf_time_parse(&t, c->values[i]) < 0)
			continue;
		if (!strcmp(c->type, "not_before"))
			any |= x->now >= t;
		else
			any |= x->now <= t;
	}
	return any ? CF_TRUE : CF_FALSE;
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
