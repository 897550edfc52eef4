/* yscalar.h: what a scalar means. Its type by yaml.v3's resolution, the
 * canonical bytes sops hashes for a typed value, and the checks on text
 * that decide how a scalar may be written (plain, UTF-8). */
#ifndef CF_YSCALAR_H
#define CF_YSCALAR_H

#include <stddef.h>

#include "secbuf.h"
#include "ytree.h"

/* Scalar types after YAML 1.2 (yaml.v3) resolution. */
enum cf_ytype {
	CF_YT_NULL, CF_YT_BOOL, CF_YT_INT, CF_YT_FLOAT, CF_YT_TIME, CF_YT_STR,
	CF_YT_UINT	/* fits only uint64: sops cannot handle it */
};

/* Type of a scalar by yaml.v3's rules (quoted scalars are strings). */
enum cf_ytype cf_yscalar_type(const struct cf_ynode *n);
/* The canonical bytes of a typed value as sops hashes it: ints in
 * decimal, floats in shortest non-exponent form, True/False, RFC 3339
 * times. Returns 0, or CF_EINTEGRITY if the text does not parse as t. */
int cf_yvalue_canonical(struct secbuf *out, const char *s, size_t len,
			enum cf_ytype t);
/* The value of a scalar typed CF_YT_INT (1_000, 0o17, 0x1F...), by the
 * same rules as the canonical form; CF_EINTEGRITY if it is none. */
int cf_yint_value(const char *s, long long *out);
/* Whether s can be written as a plain scalar that reads back as the
 * same string. */
int cf_yaml_plain_ok(const char *s, size_t len);
/* Whether s is well-formed UTF-8 (all YAML text must be). */
int cf_utf8_valid(const unsigned char *s, size_t len);
/* Whether s written plain reads back as a plain scalar of the same
 * text, whatever type it then resolves to (what cf_ynode_plain needs). */
int cf_yaml_plain_syntax_ok(const char *s, size_t len);

#endif
