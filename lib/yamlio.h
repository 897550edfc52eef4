/* yamlio.h: a small YAML tree, a strict parser (libyaml) and an emitter
 * that writes the layout sops 3.13 writes (4-space indent, quoted
 * timestamps, literal blocks for multi-line strings). */
#ifndef CF_YAMLIO_H
#define CF_YAMLIO_H

#include <stddef.h>

#include "secbuf.h"

#define CF_YAML_MAX_DEPTH 64

enum cf_ykind { CF_Y_SCALAR, CF_Y_MAP, CF_Y_SEQ };

/* Scalar types after YAML 1.2 (yaml.v3) resolution. */
enum cf_ytype {
	CF_YT_NULL, CF_YT_BOOL, CF_YT_INT, CF_YT_FLOAT, CF_YT_TIME, CF_YT_STR,
	CF_YT_UINT	/* fits only uint64: sops cannot handle it */
};

struct cf_ynode;

struct cf_ypair {
	char *key;
	int line;
	struct cf_ynode *val;
};

struct cf_ynode {
	enum cf_ykind kind;
	int line;		/* 1-based line in the source, 0 if built */
	/* scalar: text (wiped on free) and whether it is written plain
	 * (resolved by YAML rules) or is a string whatever it looks like */
	char *str;
	size_t len;
	int plain;
	/* map: pairs; seq: items */
	size_t n, cap;
	struct cf_ypair *pairs;
	struct cf_ynode **items;
};

/* Parses one YAML document. what names the input in messages. Refuses
 * aliases/anchors, more than CF_YAML_MAX_DEPTH levels, duplicate or
 * non-scalar keys, several documents, and unknown tags (CF_EINTEGRITY). */
int cf_yaml_parse(struct cf_ynode **out, const char *data, size_t len,
		  const char *what);
/* Emits the tree as a YAML document ending in a newline. */
void cf_yaml_emit(struct secbuf *out, const struct cf_ynode *root);

struct cf_ynode *cf_ynode_map(void);
struct cf_ynode *cf_ynode_seq(void);
/* A string scalar (quoted on output when needed). */
struct cf_ynode *cf_ynode_str(const char *s, size_t len);
struct cf_ynode *cf_ynode_strz(const char *s);
/* A scalar written as it is, unquoted (numbers, booleans, ENC[...]). */
struct cf_ynode *cf_ynode_plain(const char *s);
void cf_ynode_free(struct cf_ynode *n);
struct cf_ynode *cf_ynode_dup(const struct cf_ynode *n);

/* Map access. get returns NULL when absent; set replaces or appends and
 * takes ownership of val; take removes the pair and returns its value. */
struct cf_ynode *cf_ymap_get(const struct cf_ynode *map, const char *key);
void cf_ymap_set(struct cf_ynode *map, const char *key, struct cf_ynode *val);
struct cf_ynode *cf_ymap_take(struct cf_ynode *map, const char *key);
void cf_yseq_add(struct cf_ynode *seq, struct cf_ynode *item);
/* Appends a pair, taking key (malloc'd) and val; -1 and nothing taken
 * if the key is there already. */
int cf_ymap_add(struct cf_ynode *map, char *key, int line,
		struct cf_ynode *val);

/* Type of a scalar by yaml.v3's rules (quoted scalars are strings). */
enum cf_ytype cf_yscalar_type(const struct cf_ynode *n);
/* The canonical bytes of a typed value as sops hashes it: ints in
 * decimal, floats in shortest non-exponent form, True/False, RFC 3339
 * times. Returns 0, or CF_EINTEGRITY if the text does not parse as t. */
int cf_yvalue_canonical(struct secbuf *out, const char *s, size_t len,
			enum cf_ytype t);
/* Whether s can be written as a plain scalar that reads back as the
 * same string. */
int cf_yaml_plain_ok(const char *s, size_t len);
/* Whether s is well-formed UTF-8 (all YAML text must be). */
int cf_utf8_valid(const unsigned char *s, size_t len);
/* Whether s written plain reads back as a plain scalar of the same
 * text, whatever type it then resolves to (what cf_ynode_plain needs). */
int cf_yaml_plain_syntax_ok(const char *s, size_t len);

#endif
