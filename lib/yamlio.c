/* yamlio.c: YAML tree, strict parser and sops-layout emitter. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "error.h"
#include "timeutil.h"
#include "yamlcanon.h"
#include "yamlio.h"

/* ---- tree ---- */

static struct cf_ynode *node_new(enum cf_ykind kind)
{
	struct cf_ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

struct cf_ynode *cf_ynode_map(void)
{
	return node_new(CF_Y_MAP);
}

struct cf_ynode *cf_ynode_seq(void)
{
	return node_new(CF_Y_SEQ);
}

struct cf_ynode *cf_ynode_str(const char *s, size_t len)
{
	struct cf_ynode *n = node_new(CF_Y_SCALAR);

	n->str = xstrndup(s, len);
	n->len = len;
	return n;
}

struct cf_ynode *cf_ynode_strz(const char *s)
{
	return cf_ynode_str(s, strlen(s));
}

struct cf_ynode *cf_ynode_plain(const char *s)
{
	struct cf_ynode *n = cf_ynode_strz(s);

	n->plain = 1;
	return n;
}

void cf_ynode_free(struct cf_ynode *n)
{
	if (!n)
		return;
	wipe_free(n->str, n->len);
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == CF_Y_MAP) {
			free(n->pairs[i].key);
			cf_ynode_free(n->pairs[i].val);
		} else {
			cf_ynode_free(n->items[i]);
		}
	}
	free(n->pairs);
	free(n->items);
	free(n);
}

struct cf_ynode *cf_ynode_dup(const struct cf_ynode *n)
{
	struct cf_ynode *d;

	if (n->kind == CF_Y_SCALAR) {
		d = cf_ynode_str(n->str, n->len);
		d->plain = n->plain;
	} else {
		d = node_new(n->kind);
		for (size_t i = 0; i < n->n; i++) {
			if (n->kind == CF_Y_MAP)
				cf_ymap_set(d, n->pairs[i].key,
					    cf_ynode_dup(n->pairs[i].val));
			else
				cf_yseq_add(d, cf_ynode_dup(n->items[i]));
		}
	}
	d->line = n->line;
	return d;
}

static void reserve(struct cf_ynode *n)
{
	if (n->n < n->cap)
		return;
	n->cap = n->cap ? n->cap * 2 : 8;
	if (n->kind == CF_Y_MAP)
		n->pairs = xrealloc(n->pairs, n->cap * sizeof(*n->pairs));
	else
		n->items = xrealloc(n->items, n->cap * sizeof(*n->items));
}

struct cf_ynode *cf_ymap_get(const struct cf_ynode *map, const char *key)
{
	if (!map || map->kind != CF_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->pairs[i].key, key))
			return map->pairs[i].val;
	return NULL;
}

void cf_ymap_set(struct cf_ynode *map, const char *key, struct cf_ynode *val)
{
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->pairs[i].key, key)) {
			cf_ynode_free(map->pairs[i].val);
			map->pairs[i].val = val;
			return;
		}
	}
	reserve(map);
	map->pairs[map->n].key = xstrdup(key);
	map->pairs[map->n].line = val ? val->line : 0;
	map->pairs[map->n].val = val;
	map->n++;
}

struct cf_ynode *cf_ymap_take(struct cf_ynode *map, const char *key)
{
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->pairs[i].key, key)) {
			struct cf_ynode *v = map->pairs[i].val;

			free(map->pairs[i].key);
			memmove(&map->pairs[i], &map->pairs[i + 1],
				(map->n - i - 1) * sizeof(*map->pairs));
			map->n--;
			return v;
		}
	}
	return NULL;
}

int cf_ymap_add(struct cf_ynode *map, char *key, int line,
		struct cf_ynode *val)
{
	if (cf_ymap_get(map, key))
		return -1;
	reserve(map);
	map->pairs[map->n].key = key;
	map->pairs[map->n].line = line;
	map->pairs[map->n].val = val;
	map->n++;
	return 0;
}

void cf_yseq_add(struct cf_ynode *seq, struct cf_ynode *item)
{
	reserve(seq);
	seq->items[seq->n++] = item;
}

/* ---- parser ---- */

struct parser {
	yaml_parser_t p;
	yaml_event_t ev;
	int have_ev;
	const char *what;
};

static int perr(struct parser *ps, int line, const char *why)
{
	return cf_error_set(CF_EINTEGRITY, "%s:%d: %s", ps->what, line, why);
}

static int next(struct parser *ps)
{
	if (ps->have_ev)
		yaml_event_delete(&ps->ev);
	ps->have_ev = 0;
	if (!yaml_parser_parse(&ps->p, &ps->ev))
		return cf_error_set(CF_EINTEGRITY, "%s:%zu: malformed YAML: %s",
				    ps->what, ps->p.problem_mark.line + 1,
				    ps->p.problem ? ps->p.problem : "error");
	ps->have_ev = 1;
	return 0;
}

static int line_of(struct parser *ps)
{
	return (int)ps->ev.start_mark.line + 1;
}

static int check_tag(struct parser *ps, const unsigned char *tag, int *force_str)
{
	static const char *ok[] = {
		"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
		"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
		"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
	};

	if (!tag || !strcmp((const char *)tag, "!"))
		return 0;
	if (!strcmp((const char *)tag, "tag:yaml.org,2002:str")) {
		*force_str = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp((const char *)tag, ok[i]))
			return 0;
	return perr(ps, line_of(ps), "YAML tags are not supported");
}

static int parse_node(struct parser *ps, struct cf_ynode **out, int depth);

static int parse_scalar(struct parser *ps, struct cf_ynode **out)
{
	yaml_event_t *e = &ps->ev;
	int force_str = 0;
	struct cf_ynode *n;

	if (check_tag(ps, e->data.scalar.tag, &force_str) < 0)
		return -1;
	n = node_new(CF_Y_SCALAR);
	n->line = line_of(ps);
	n->len = e->data.scalar.length;
	n->str = xstrndup((const char *)e->data.scalar.value, n->len);
	n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		   !force_str;
	/* The event's copy cannot be freed through us: wipe it here. */
	explicit_bzero(e->data.scalar.value, e->data.scalar.length);
	*out = n;
	return 0;
}

static int parse_map(struct parser *ps, struct cf_ynode **out, int depth)
{
	struct cf_ynode *map = node_new(CF_Y_MAP), *val = NULL;
	int force_str = 0, ret = -1;

	map->line = line_of(ps);
	if (check_tag(ps, ps->ev.data.mapping_start.tag, &force_str) < 0)
		goto out;
	for (;;) {
		char *key;
		int kline;

		if (next(ps) < 0)
			goto out;
		if (ps->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (ps->ev.type == YAML_ALIAS_EVENT) {
			ret = perr(ps, line_of(ps), "YAML aliases are refused");
			goto out;
		}
		if (ps->ev.type != YAML_SCALAR_EVENT) {
			ret = perr(ps, line_of(ps), "mapping keys must be strings");
			goto out;
		}
		if (ps->ev.data.scalar.anchor) {
			ret = perr(ps, line_of(ps), "YAML anchors are refused");
			goto out;
		}
		kline = line_of(ps);
		if (memchr(ps->ev.data.scalar.value, '\0',
			   ps->ev.data.scalar.length)) {
			ret = perr(ps, kline, "NUL byte in a key");
			goto out;
		}
		key = xstrndup((const char *)ps->ev.data.scalar.value,
			       ps->ev.data.scalar.length);
		if (next(ps) < 0 || parse_node(ps, &val, depth + 1) < 0) {
			free(key);
			goto out;
		}
		if (cf_ymap_add(map, key, kline, val) < 0) {
			free(key);
			ret = perr(ps, kline, "duplicate key");
			goto out;
		}
		val = NULL;
	}
	*out = map;
	map = NULL;
	ret = 0;
out:
	cf_ynode_free(val);
	cf_ynode_free(map);
	return ret;
}

static int parse_seq(struct parser *ps, struct cf_ynode **out, int depth)
{
	struct cf_ynode *seq = node_new(CF_Y_SEQ), *item = NULL;
	int force_str = 0;

	seq->line = line_of(ps);
	if (check_tag(ps, ps->ev.data.sequence_start.tag, &force_str) < 0)
		goto fail;
	for (;;) {
		if (next(ps) < 0)
			goto fail;
		if (ps->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (parse_node(ps, &item, depth + 1) < 0)
			goto fail;
		cf_yseq_add(seq, item);
	}
	*out = seq;
	return 0;
fail:
	cf_ynode_free(seq);
	return -1;
}

static int parse_node(struct parser *ps, struct cf_ynode **out, int depth)
{
	yaml_event_t *e = &ps->ev;

	if (depth > CF_YAML_MAX_DEPTH)
		return perr(ps, line_of(ps), "nesting is too deep");
	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return perr(ps, line_of(ps), "YAML aliases are refused");
	case YAML_SCALAR_EVENT:
		if (e->data.scalar.anchor)
			break;
		return parse_scalar(ps, out);
	case YAML_MAPPING_START_EVENT:
		if (e->data.mapping_start.anchor)
			break;
		return parse_map(ps, out, depth);
	case YAML_SEQUENCE_START_EVENT:
		if (e->data.sequence_start.anchor)
			break;
		return parse_seq(ps, out, depth);
	default:
		return perr(ps, line_of(ps), "unexpected YAML event");
	}
	return perr(ps, line_of(ps), "YAML anchors are refused");
}

int cf_yaml_parse_libyaml(struct cf_ynode **out, const char *data,
			  size_t len, const char *what)
{
	struct parser ps;
	struct cf_ynode *root = NULL;
	int ret = CF_EINTEGRITY;	/* every failure below is bad input */

	memset(&ps, 0, sizeof(ps));
	ps.what = what;
	*out = NULL;
	if (memchr(data, '\0', len))
		return cf_error_set(CF_EINTEGRITY, "%s: NUL byte in YAML", what);
	if (!yaml_parser_initialize(&ps.p))
		return cf_error_set(CF_EGENERIC, "cannot initialise libyaml");
	yaml_parser_set_input_string(&ps.p, (const unsigned char *)data, len);
	if (next(&ps) < 0 || ps.ev.type != YAML_STREAM_START_EVENT ||
	    next(&ps) < 0)
		goto out;
	if (ps.ev.type == YAML_STREAM_END_EVENT) {
		ret = cf_error_set(CF_EINTEGRITY, "%s: empty YAML document",
				   what);
		goto out;
	}
	if (ps.ev.type != YAML_DOCUMENT_START_EVENT || next(&ps) < 0 ||
	    parse_node(&ps, &root, 1) < 0 || next(&ps) < 0)
		goto out;
	if (ps.ev.type != YAML_DOCUMENT_END_EVENT || next(&ps) < 0)
		goto out;
	if (ps.ev.type != YAML_STREAM_END_EVENT) {
		ret = perr(&ps, line_of(&ps), "several YAML documents");
		goto out;
	}
	*out = root;
	root = NULL;
	ret = 0;
out:
	if (ps.have_ev)
		yaml_event_delete(&ps.ev);
	yaml_parser_delete(&ps.p);
	cf_ynode_free(root);
	return ret;
}

int cf_yaml_parse(struct cf_ynode **out, const char *data, size_t len,
		  const char *what)
{
	*out = NULL;
	if (memchr(data, '\0', len))
		return cf_error_set(CF_EINTEGRITY, "%s: NUL byte in YAML", what);
	if (cf_ycanon_parse(out, data, len))
		return 0;
	return cf_yaml_parse_libyaml(out, data, len, what);
}

/* ---- scalar typing (yaml.v3 resolve.go, as sops sees values) ---- */

static int is_null(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static int bool_value(const char *s)
{
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return 0;
	return -1;
}

static int special_float(const char *s, double *v)
{
	static const char *nan[] = { ".nan", ".NaN", ".NAN" };
	static const char *inf[] = { ".inf", ".Inf", ".INF" };
	const char *p = s;
	int neg = 0;

	for (size_t i = 0; i < 3; i++)
		if (!strcmp(s, nan[i])) {
			*v = NAN;
			return 1;
		}
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(p, inf[i])) {
			*v = neg ? -INFINITY : INFINITY;
			return 1;
		}
	return 0;
}

/* Go strconv.ParseInt(s, 0, 64) after removing underscores.
 * Returns 1 int64, 2 only uint64, 0 not an integer. */
static int parse_int(const char *in, long long *out)
{
	char tmp[128];
	size_t n = 0;
	const char *p;
	int neg = 0, base = 10;
	unsigned long long v = 0;

	for (p = in; *p; p++) {
		if (*p == '_')
			continue;
		if (n + 1 >= sizeof(tmp))
			return 0;
		tmp[n++] = *p;
	}
	tmp[n] = '\0';
	p = tmp;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, p += 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2;
	else if (p[0] == '0' && p[1])
		base = 8, p += 1;
	if (!*p)
		return 0;
	for (; *p; p++) {
		int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			return 0;
		if (d >= base)
			return 0;
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			return 0;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (neg) {
		if (v > (unsigned long long)LLONG_MAX + 1)
			return 0;
		*out = (long long)(0 - v);
		return 1;
	}
	if (v > (unsigned long long)LLONG_MAX)
		return 2;
	*out = (long long)v;
	return 1;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static int float_syntax(const char *s)
{
	const char *p = s;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	} else {
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return !*p;
}

static int num(const char **p, int min, int max, int *out)
{
	int v = 0, n = 0;

	while (isdigit((unsigned char)**p) && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min)
		return -1;
	*out = v;
	return 0;
}

/* yaml.v3 timestamp forms; writes the RFC 3339 nano form into out. */
static int parse_timestamp(const char *s, struct buf *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	char frac[16] = "", sep = 0, zone = 'Z';
	size_t fl = 0;

	if (num(&p, 4, 4, &y) || *p++ != '-' || num(&p, 1, 2, &mo) ||
	    *p++ != '-' || num(&p, 1, 2, &d))
		return 0;
	if (*p) {
		sep = *p++;
		if (sep != 'T' && sep != 't' && sep != ' ')
			return 0;
		if (num(&p, 1, 2, &h) || *p++ != ':' || num(&p, 1, 2, &mi) ||
		    *p++ != ':' || num(&p, 1, 2, &sec))
			return 0;
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (fl < 9)
					frac[fl++] = *p;
				p++;
			}
			if (!fl)
				return 0;
			frac[fl] = '\0';
			while (fl && frac[fl - 1] == '0')
				frac[--fl] = '\0';
		}
		if (sep != ' ') {
			if (*p == 'Z') {
				p++;
			} else if (*p == '+' || *p == '-') {
				zone = *p++;
				if (num(&p, 2, 2, &oh) || *p++ != ':' ||
				    num(&p, 2, 2, &om))
					return 0;
				if (!oh && !om)
					zone = 'Z';
			} else {
				return 0;
			}
		}
		if (*p)
			return 0;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 59)
		return 0;
	if (out) {
		buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi,
			 sec);
		if (fl)
			buf_addf(out, ".%s", frac);
		if (zone == 'Z')
			buf_addch(out, 'Z');
		else
			buf_addf(out, "%c%02d:%02d", zone, oh, om);
	}
	return 1;
}

static enum cf_ytype resolve(const char *s, size_t len)
{
	long long iv;
	double fv;
	char *end;
	int r;

	if (strlen(s) != len)
		return CF_YT_STR;
	/* every other type starts with one of these (a quick way out for
	 * the many keys and words a file has) */
	if (*s && !strchr("~nNtTfF.+-0123456789", *s))
		return CF_YT_STR;
	if (len <= 5 && is_null(s))	/* the words are at most 5 long */
		return CF_YT_NULL;
	if (len <= 5 && bool_value(s) >= 0)
		return CF_YT_BOOL;
	if (len <= 5 && special_float(s, &fv))
		return CF_YT_FLOAT;
	if (s[0] == '.') {
		errno = 0;
		fv = strtod(s, &end);
		return *end || errno ? CF_YT_STR : CF_YT_FLOAT;
	}
	if (!isdigit((unsigned char)s[0]) && s[0] != '-' && s[0] != '+')
		return CF_YT_STR;
	if (len >= 5 && isdigit((unsigned char)s[0]) && s[4] == '-' &&
	    parse_timestamp(s, NULL))
		return CF_YT_TIME;
	r = parse_int(s, &iv);
	if (r == 1)
		return CF_YT_INT;
	if (r == 2)
		return CF_YT_UINT;
	if (float_syntax(s))
		return CF_YT_FLOAT;
	return CF_YT_STR;
}

enum cf_ytype cf_yscalar_type(const struct cf_ynode *n)
{
	if (n->kind != CF_Y_SCALAR)
		return CF_YT_STR;
	if (!n->plain)
		return CF_YT_STR;
	return resolve(n->str, n->len);
}

/* Go strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits,
 * never an exponent. */
static void format_float(struct buf *out, double v)
{
	char e[64], digits[32];
	int prec, exp, nd = 0;
	char *p;

	if (isnan(v)) {
		buf_adds(out, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_adds(out, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	p = e;
	if (*p == '-') {
		buf_addch(out, '-');
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (isdigit((unsigned char)*p))
			digits[nd++] = *p;
	exp = (int)strtol(p + 1, NULL, 10);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (nd == 1 && digits[0] == '0') {
		buf_addch(out, '0');
		return;
	}
	/* value = 0.d1d2... * 10^(exp+1) */
	if (exp < 0) {
		buf_adds(out, "0.");
		for (int i = 0; i < -exp - 1; i++)
			buf_addch(out, '0');
		buf_add(out, digits, (size_t)nd);
	} else if (exp + 1 >= nd) {
		buf_add(out, digits, (size_t)nd);
		for (int i = 0; i < exp + 1 - nd; i++)
			buf_addch(out, '0');
	} else {
		buf_add(out, digits, (size_t)exp + 1);
		buf_addch(out, '.');
		buf_add(out, digits + exp + 1, (size_t)(nd - exp - 1));
	}
}

static int parse_go_bool(const char *s)
{
	static const char *t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *f[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(s, t[i]))
			return 1;
		if (!strcmp(s, f[i]))
			return 0;
	}
	return -1;
}

int cf_yvalue_canonical(struct secbuf *out, const char *s, size_t len,
			enum cf_ytype t)
{
	struct buf b = BUF_INIT;
	long long iv;
	double fv;
	char *end;
	int ret = 0, bv;

	secbuf_reset(out);
	switch (t) {
	case CF_YT_NULL:
		break;
	case CF_YT_STR:
		secbuf_add(out, s, len);
		break;
	case CF_YT_BOOL:
		bv = bool_value(s);
		if (bv < 0)
			bv = parse_go_bool(s);
		if (bv < 0)
			goto bad;
		secbuf_adds(out, bv ? "True" : "False");
		break;
	case CF_YT_INT:
		if (parse_int(s, &iv) != 1)
			goto bad;
		buf_addf(&b, "%lld", iv);
		break;
	case CF_YT_FLOAT:
		if (!special_float(s, &fv)) {
			if (!strcmp(s, "NaN"))
				fv = NAN;
			else if (!strcmp(s, "+Inf"))
				fv = INFINITY;
			else if (!strcmp(s, "-Inf"))
				fv = -INFINITY;
			else {
				errno = 0;
				fv = strtod(s, &end);
				if (*end || end == s)
					goto bad;
			}
		}
		format_float(&b, fv);
		break;
	case CF_YT_TIME:
		if (!parse_timestamp(s, &b))
			goto bad;
		break;
	case CF_YT_UINT:
		goto bad;
	}
	if (b.len)
		secbuf_add(out, b.ptr, b.len);
	goto out;
bad:
	ret = cf_error_set(CF_EINTEGRITY, "value is not of its declared type");
out:
	buf_release(&b);
	return ret;
}

/* ---- emitter ---- */

/* Whether the two characters of pair occur together in s. */
static int pair_in(const char *s, size_t len, const char pair[2])
{
	for (const char *p = s, *e = s + len;
	     (p = memchr(p, pair[0], (size_t)(e - p))) && p + 1 < e; p++)
		if (p[1] == pair[1])
			return 1;
	return 0;
}

int cf_yaml_plain_syntax_ok(const char *s, size_t len)
{
	if (!len || memchr(s, '\0', len))
		return 0;
	if (!isalnum((unsigned char)s[0]) && !strchr("/._~+^$(=", s[0]))
		return 0;
	if (s[len - 1] == ' ' || s[len - 1] == ':')
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return !pair_in(s, len, ": ") && !pair_in(s, len, " #");
}

/* The common case, a word such as most keys: a lower-case letter that
 * starts no other type (null, bool, YAML 1.1's yes/no/on/off), then
 * letters, digits and '_'. */
static int word_ok(const char *s, size_t len)
{
	if (!len || *s < 'a' || *s > 'z' || strchr("nyotf", *s))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '_')
			return 0;
	return 1;
}

int cf_yaml_plain_ok(const char *s, size_t len)
{
	static const char *yaml11[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF",
	};

	if (word_ok(s, len))
		return 1;
	if (!cf_yaml_plain_syntax_ok(s, len))
		return 0;
	if (resolve(s, len) != CF_YT_STR)
		return 0;
	for (size_t i = 0; len <= 3 && strchr("yYnNoO", s[0]) &&
	     i < sizeof(yaml11) / sizeof(yaml11[0]); i++)
		if (!strcmp(s, yaml11[i]))
			return 0;
	/* base 60 numbers of YAML 1.1, e.g. 1:20 */
	if (isdigit((unsigned char)s[0]) && strchr(s, ':')) {
		size_t i = 0;

		while (i < len && (isdigit((unsigned char)s[i]) ||
				   s[i] == ':' || s[i] == '_' || s[i] == '.'))
			i++;
		if (i == len)
			return 0;
	}
	return 1;
}

static void emit_dquoted(struct secbuf *out, const char *s, size_t len)
{
	char esc[8];

	secbuf_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t run = 0;

		while (i + run < len && (unsigned char)s[i + run] >= 0x20 &&
		       s[i + run] != 0x7f && s[i + run] != '"' &&
		       s[i + run] != '\\')
			run++;
		if (run) {	/* the common case: nothing to escape */
			secbuf_add(out, s + i, run);
			i += run - 1;
			continue;
		}
		switch (c) {
		case '"': secbuf_adds(out, "\\\""); break;
		case '\\': secbuf_adds(out, "\\\\"); break;
		case '\n': secbuf_adds(out, "\\n"); break;
		case '\t': secbuf_adds(out, "\\t"); break;
		case '\r': secbuf_adds(out, "\\r"); break;
		case '\0': secbuf_adds(out, "\\0"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(esc, sizeof(esc), "\\x%02x", c);
				secbuf_adds(out, esc);
			} else {
				secbuf_addch(out, (char)c);
			}
		}
	}
	secbuf_addch(out, '"');
}

int cf_utf8_valid(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			n = 1;
		else if ((c & 0xf0) == 0xe0)
			n = 2;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			n = 3;
		else
			return 0;
		for (size_t k = 1; k <= n; k++)
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

static int literal_ok(const char *s, size_t len)
{
	size_t i = 0;

	if (!memchr(s, '\n', len) || !cf_utf8_valid((const unsigned char *)s, len))
		return 0;
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return 0;
		/* trailing spaces on a line are kept by YAML, but an
		 * all-space line would be read as an empty one */
		if (c == ' ' && (k + 1 == len || s[k + 1] == '\n')) {
			size_t b = k;

			while (b > 0 && s[b - 1] == ' ')
				b--;
			if (b == 0 || s[b - 1] == '\n')
				return 0;
		}
	}
	/* The first non-empty line sets the indentation. */
	while (i < len && s[i] == '\n')
		i++;
	return i < len && s[i] != ' ' && s[i] != '\t';
}

static void indent(struct secbuf *out, int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= (int)sizeof(sp) - 1)
		secbuf_add(out, sp, n < (int)sizeof(sp) - 1 ?
			   (size_t)n : sizeof(sp) - 1);
}

static int child_indent(int col)
{
	return (col / 4 + 1) * 4;
}

static void emit_scalar(struct secbuf *out, const struct cf_ynode *n, int col)
{
	const char *s = n->str;
	size_t len = n->len, nl = 0;

	if (n->plain) {
		secbuf_add(out, s, len);
		return;
	}
	if (cf_yaml_plain_ok(s, len)) {
		secbuf_add(out, s, len);
		return;
	}
	if (!literal_ok(s, len)) {
		emit_dquoted(out, s, len);
		return;
	}
	while (nl < len && s[len - 1 - nl] == '\n')
		nl++;
	secbuf_adds(out, nl == 0 ? "|-" : nl == 1 ? "|" : "|+");
	for (size_t i = 0; i < len;) {
		const char *e = memchr(s + i, '\n', len - i);
		size_t l = e ? (size_t)(e - (s + i)) : len - i;

		secbuf_addch(out, '\n');
		if (l)
			indent(out, child_indent(col));
		secbuf_add(out, s + i, l);
		i += l + 1;
		if (!e)
			break;
	}
}

static void emit_key(struct secbuf *out, const char *k)
{
	if (cf_yaml_plain_ok(k, strlen(k)))
		secbuf_adds(out, k);
	else
		emit_dquoted(out, k, strlen(k));
	secbuf_addch(out, ':');
}

static void emit_value(struct secbuf *out, const struct cf_ynode *v, int col);

/* Emits map entries or seq items; the first starts at the current
 * position (already indented to col). */
static void emit_block(struct secbuf *out, const struct cf_ynode *n, int col)
{
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			indent(out, col);
		if (n->kind == CF_Y_MAP) {
			emit_key(out, n->pairs[i].key);
			emit_value(out, n->pairs[i].val, col);
		} else {
			const struct cf_ynode *it = n->items[i];

			secbuf_addch(out, '-');
			if (it->kind == CF_Y_SCALAR || !it->n) {
				secbuf_addch(out, ' ');
				emit_value(out, it, col);
			} else if (it->kind == CF_Y_MAP) {
				secbuf_addch(out, ' ');
				emit_block(out, it, col + 2);
			} else {
				secbuf_addch(out, '\n');
				indent(out, child_indent(col + 2));
				emit_block(out, it, child_indent(col + 2));
			}
		}
	}
}

/* After "key:" (or "- "), emit the value and end the line. */
static void emit_value(struct secbuf *out, const struct cf_ynode *v, int col)
{
	int sp = out->len && out->ptr[out->len - 1] == ':';

	if (v->kind == CF_Y_SCALAR) {
		if (sp)
			secbuf_addch(out, ' ');
		emit_scalar(out, v, col);
		secbuf_addch(out, '\n');
	} else if (!v->n) {
		secbuf_adds(out, sp ? " " : "");
		secbuf_adds(out, v->kind == CF_Y_MAP ? "{}\n" : "[]\n");
	} else {
		secbuf_addch(out, '\n');
		indent(out, child_indent(col));
		emit_block(out, v, child_indent(col));
	}
}

void cf_yaml_emit(struct secbuf *out, const struct cf_ynode *root)
{
	if (root->kind == CF_Y_SCALAR || !root->n) {
		emit_value(out, root, 0);
		return;
	}
	emit_block(out, root, 0);
}
