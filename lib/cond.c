/* cond.c: policy conditions (SPEC 5.2): parsing ip_range CIDRs and
 * time_window specs, checking condition values, and evaluating a
 * condition in a request's context. Knows nothing of the policy. */
#include "common.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "timeutil.h"

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
	char buf[128], *tok[3], *t = buf;
	int n = 0, i = 0;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	memcpy(buf, spec, strlen(spec) + 1);
	/* words split by runs of spaces */
	for (;;) {
		while (*t == ' ')
			t++;
		if (!*t)
			break;
		if (n == 3)
			return -1;
		tok[n++] = t;
		while (*t && *t != ' ')
			t++;
		if (*t)
			*t++ = '\0';
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

int cf_cond_type_valid(const char *type)
{
	static const char *const types[] = {
		"ip_range", "time_window", "not_before", "not_after",
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i]))
			return 1;
	return 0;
}

int cf_cond_value_check(const char *type, const char *v)
{
	struct cidr c;
	struct window w;
	int64_t t;

	if (!strcmp(type, "ip_range"))
		return parse_cidr(v, &c);
	if (!strcmp(type, "time_window"))
		return parse_window(v, &w);
	return cf_time_parse(&t, v) < 0 ? -1 : 0;
}

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
