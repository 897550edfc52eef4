/* rules.c: validate rules and strength estimates. */
#include "common.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zxcvbn.h>

#include "buf.h"
#include "crypt.h"
#include "error.h"
#include "rules.h"
#include "secbuf.h"

static const char *const KEYS[] = {
	"min_length", "max_length", "pattern", "allowed", NULL,
};

/* Splits s at each sep that no backslash escapes. "\<sep>" becomes sep;
 * with all, so do "\,", "\|" and "\\"; other escapes are kept for a
 * later split (allowed= is split again at '|'). */
static size_t split(const char *s, char sep, int all, char ***out)
{
	struct buf cur = BUF_INIT;
	size_t n = 0;

	*out = NULL;
	for (const char *p = s;; p++) {
		if (*p == '\\' && p[1]) {
			if (p[1] != sep && !(all && strchr(",|\\", p[1])))
				buf_addch(&cur, *p);
			buf_addch(&cur, *++p);
			continue;
		}
		if (*p && *p != sep) {
			buf_addch(&cur, *p);
			continue;
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = xstrdup(buf_cstr(&cur));
		buf_reset(&cur);
		if (!*p)
			break;
	}
	buf_release(&cur);
	return n;
}

static int whole_number(const char *s, long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	*out = strtol(s, &end, 10);
	return *end || *out > INT_MAX ? -1 : 0;
}

/* Skips a bracket expression ([...], [^]...], [[:alpha:]]) from its
 * '['; returns its last character, or the NUL if it is not closed. */
static const char *skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p && *p != ']'; p++)
		if (*p == '[' && p[1] && strchr(":.=", p[1])) {
			char c = p[1];

			for (p += 2; *p && !(*p == c && p[1] == ']'); p++)
				;
			if (!*p)
				break;
			p++;
		}
	return p;
}

/* One level of groups while counting: the nodes so far, the last
 * atom's nodes and how many repetitions are nested in it, and the most
 * nested in the group. */
struct re_level {
	double cur, last;
	int lastrep, maxrep;
};

/* A repetition of the last atom, whose nodes become f times as many
 * (plus one); HUGE_VAL when repetitions nest too deep. */
static int repeat(struct re_level *l, double f)
{
	l->cur += l->last * (f - 1) + 1;
	l->last *= f;
	if (++l->lastrep > CF_REGEX_MAX_NEST)
		return -1;
	if (l->lastrep > l->maxrep)
		l->maxrep = l->lastrep;
	return 0;
}

double cf_regex_size(const char *p)
{
	struct re_level lv[CF_REGEX_MAX_DEPTH + 1];
	int d = 0, rep, repeats = 0;

	memset(&lv[0], 0, sizeof(lv[0]));
	for (; *p; p++) {
		double atom = 1, f;
		char *end;

		rep = 0;
		switch (*p) {
		case '(':
			if (++d > CF_REGEX_MAX_DEPTH)
				return HUGE_VAL;
			memset(&lv[d], 0, sizeof(lv[d]));
			continue;
		case ')':
			if (d) {
				atom = lv[d].cur + 1;
				rep = lv[d].maxrep;
				d--;
			}
			break;
		case '[':
			p = skip_bracket(p);
			if (!*p)
				p--;	/* not closed: regcomp refuses it, but
					 * only after compiling what came before */
			break;
		case '\\':
			p += p[1] != '\0';
			break;
		case '|':
			lv[d].cur += 1;
			lv[d].last = 0;
			lv[d].lastrep = 0;
			continue;
		case '*': case '?':
			if (++repeats > CF_REGEX_MAX_REPEATS ||
			    repeat(&lv[d], 1) < 0)
				return HUGE_VAL;
			continue;
		case '+':	/* x+ is compiled as xx* */
			if (++repeats > CF_REGEX_MAX_REPEATS ||
			    repeat(&lv[d], 2) < 0)
				return HUGE_VAL;
			continue;
		case '{':	/* x{n,m}: as many copies of x */
			if (!isdigit((unsigned char)p[1]))
				break;
			f = strtod(p + 1, &end);
			if (*end == ',' && isdigit((unsigned char)end[1]))
				f = strtod(end + 1, &end);
			else if (*end == ',')
				end++;
			if (*end != '}')
				break;
			if (++repeats > CF_REGEX_MAX_REPEATS ||
			    repeat(&lv[d], f + 1) < 0)
				return HUGE_VAL;
			p = end;
			continue;
		}
		lv[d].cur += atom;
		lv[d].last = atom;
		lv[d].lastrep = rep;
		if (rep > lv[d].maxrep)
			lv[d].maxrep = rep;
	}
	for (; d > 0; d--)
		lv[d - 1].cur += lv[d].cur;
	return lv[0].cur;
}

static int pattern_compiles(const char *pat, char *why, size_t whylen)
{
	regex_t re;
	int rc;

	if (cf_regex_size(pat) > CF_REGEX_MAX_SIZE) {
		snprintf(why, whylen, "too complex (nested repetitions)");
		return -1;
	}
	rc = regcomp(&re, pat, REG_EXTENDED);
	if (rc) {
		regerror(rc, &re, why, whylen);
		return -1;
	}
	regfree(&re);
	return 0;
}

/* Resolves "\|" and "\\" in one item of allowed= (split at '|'). */
static void add_allowed(struct cf_ynode *seq, const char *v)
{
	char **items;
	size_t n = split(v, '|', 1, &items);

	for (size_t i = 0; i < n; i++)
		cf_yseq_add(seq, cf_ynode_strz(items[i]));
	cf_strv_free(items, n);
}

int cf_rules_parse(struct cf_ynode **out, const char *spec)
{
	struct cf_ynode *m = cf_ynode_map();
	char **parts = NULL, why[128];
	size_t n = split(spec, ',', 0, &parts);
	int ret = CF_EUSAGE;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(parts[i], '=');
		const char *k = parts[i], *v;
		long num;

		if (!eq) {
			cf_error_set(CF_EUSAGE,
				"bad rule '%s' (want NAME=VALUE)", parts[i]);
			goto out;
		}
		*eq = '\0';
		v = eq + 1;
		if (cf_ymap_get(m, k)) {
			cf_error_set(CF_EUSAGE, "rule '%s' given twice", k);
			goto out;
		}
		if (!strcmp(k, "min_length") || !strcmp(k, "max_length")) {
			if (whole_number(v, &num) < 0) {
				cf_error_set(CF_EUSAGE,
					"rule %s needs a whole number", k);
				goto out;
			}
			/* in decimal: "08" would be written as it is and
			 * refused when read back (not a YAML int) */
			snprintf(why, sizeof(why), "%ld", num);
			cf_ymap_set(m, k, cf_ynode_plain(why));
		} else if (!strcmp(k, "pattern")) {
			if (pattern_compiles(v, why, sizeof(why)) < 0) {
				cf_error_set(CF_EUSAGE,
					"rule pattern is not a POSIX ERE: %s", why);
				goto out;
			}
			cf_ymap_set(m, k, cf_ynode_strz(v));
		} else if (!strcmp(k, "allowed")) {
			struct cf_ynode *seq = cf_ynode_seq();

			add_allowed(seq, v);
			cf_ymap_set(m, k, seq);
		} else {
			cf_error_set(CF_EUSAGE,
				"unknown rule '%s' (min_length, max_length, pattern, allowed)",
				k);
			goto out;
		}
	}
	if (!m->n) {
		cf_error_set(CF_EUSAGE, "no rules given");
		goto out;
	}
	*out = m;
	m = NULL;
	ret = 0;
out:
	cf_strv_free(parts, n);
	cf_ynode_free(m);
	return ret;
}

/* A scalar that is not null. */
static int is_value(const struct cf_ynode *n)
{
	return n->kind == CF_Y_SCALAR && cf_yscalar_type(n) != CF_YT_NULL;
}

int cf_rules_valid(const struct cf_ynode *r, const char *what)
{
	char why[128];
	long num;

	if (!r)
		return 0;
	if (r->kind != CF_Y_MAP)
		return cf_error_set(CF_EINTEGRITY, "%s:%d: validate must be a mapping",
				    what, r->line);
	for (size_t i = 0; i < r->n; i++) {
		const char *k = r->pairs[i].key;
		const struct cf_ynode *v = r->pairs[i].val;
		size_t j;

		for (j = 0; KEYS[j] && strcmp(KEYS[j], k); j++)
			;
		if (!KEYS[j])
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: unknown validate rule '%.40s'", what,
				r->pairs[i].line, k);
		if (j == 3) {
			if (v->kind != CF_Y_SEQ)
				return cf_error_set(CF_EINTEGRITY,
					"%s:%d: validate.allowed must be a list",
					what, v->line);
			for (size_t x = 0; x < v->n; x++)
				if (!is_value(v->items[x]))
					return cf_error_set(CF_EINTEGRITY,
						"%s:%d: validate.allowed items must be values",
						what, v->items[x]->line);
			continue;
		}
		if (!is_value(v))
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: validate.%s must be a value", what,
				v->line, k);
		if (j < 2 && (cf_yscalar_type(v) != CF_YT_INT ||
			      whole_number(v->str, &num) < 0))
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: validate.%s must be a whole number",
				what, v->line, k);
		if (j == 2 && pattern_compiles(v->str, why, sizeof(why)) < 0)
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: validate.pattern is not a POSIX ERE: %s",
				what, v->line, why);
	}
	return 0;
}

/* Whether the whole value matches the ERE. */
static int matches(const char *pat, const char *val, size_t len)
{
	struct secbuf z = SECBUF_INIT;
	regmatch_t m;
	regex_t re;
	int ok = 0;

	if (regcomp(&re, pat, REG_EXTENDED))
		return 0;
	secbuf_set(&z, val, len);	/* NUL-terminated copy */
	ok = regexec(&re, secbuf_cstr(&z), 1, &m, 0) == 0 && m.rm_so == 0 &&
	     (size_t)m.rm_eo == len;
	regfree(&re);
	secbuf_release(&z);
	return ok;
}

int cf_rules_check(const struct cf_ynode *r, const char *val, size_t len)
{
	const struct cf_ynode *v;
	long num;

	if (!r)
		return 0;
	if ((v = cf_ymap_get(r, "min_length")) &&
	    whole_number(v->str, &num) == 0 && len < (size_t)num)
		return cf_error_set(CF_EREJECTED,
			"value is shorter than min_length %ld", num);
	if ((v = cf_ymap_get(r, "max_length")) &&
	    whole_number(v->str, &num) == 0 && len > (size_t)num)
		return cf_error_set(CF_EREJECTED,
			"value is longer than max_length %ld", num);
	if ((v = cf_ymap_get(r, "pattern")) && v->kind == CF_Y_SCALAR &&
	    (memchr(val, '\0', len) || !matches(v->str, val, len)))
		return cf_error_set(CF_EREJECTED,
			"value does not match pattern '%s'", v->str);
	if ((v = cf_ymap_get(r, "allowed")) && v->kind == CF_Y_SEQ) {
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->len == len &&
			    !memcmp(v->items[i]->str, val, len))
				return 0;
		return cf_error_set(CF_EREJECTED,
			"value is not one of the %zu allowed values", v->n);
	}
	return 0;
}

double cf_strength_estimate(const char *val, size_t len)
{
	struct secbuf z = SECBUF_INIT;
	double bits;

	if (memchr(val, '\0', len))
		return 8.0 * (double)len;	/* binary: no model applies */
	/* zxcvbn's matching grows fast with length; 256 characters of
	 * a value already estimate far above any min_bits */
	secbuf_set(&z, val, len < 256 ? len : 256);
	bits = ZxcvbnMatch(secbuf_cstr(&z), NULL, NULL);
	secbuf_release(&z);
	return bits;
}
