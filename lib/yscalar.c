/* yscalar.c: yaml.v3 scalar typing (resolve.go, as sops sees values),
 * the canonical forms sops hashes, and the checks on scalar text: plain
 * syntax, plain without a change of type, UTF-8. */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "yscalar.h"

/* ---- typing ---- */

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

/* ---- canonical forms ---- */

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

int cf_yint_value(const char *s, long long *out)
{
	return parse_int(s, out) == 1 ? 0 :
	       cf_error_set(CF_EINTEGRITY, "'%.40s' is not an int", s);
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

/* ---- text checks ---- */

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
