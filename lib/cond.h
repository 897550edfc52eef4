/* cond.h: the conditions of policy statements (SPEC 5): ip_range,
 * time_window, not_before and not_after; checking their values and
 * evaluating them in a request's context. */
#ifndef CF_COND_H
#define CF_COND_H

#include <stddef.h>
#include <stdint.h>

struct cf_cond {
	char *type;		/* ip_range time_window not_before not_after */
	char **values;
	size_t n;
	int line;
};

/* What a decision may know about the request. */
struct cf_context {
	int64_t now;
	const char *source_ip;	/* NULL: not given */
	int readers;		/* computing readers: ip/time conditions hold */
};

enum cf_tri { CF_FALSE = 0, CF_TRUE = 1, CF_UNKNOWN = 2 };

/* Whether type names a condition. */
int cf_cond_type_valid(const char *type);
/* Checks one value of a condition of that type: 0 if it parses, else
 * -1 (the caller says where and why). */
int cf_cond_value_check(const char *type, const char *value);
/* Result of one condition in a context. */
enum cf_tri cf_cond_eval(const struct cf_cond *c, const struct cf_context *x);
/* Checks a source address (IPv4 or IPv6). */
int cf_ip_valid(const char *s);

#endif
