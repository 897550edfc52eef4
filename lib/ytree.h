/* ytree.h: the YAML tree the readers build and the emitter writes:
 * scalars, mappings (ordered, no key twice) and sequences. Scalar text is
 * wiped when the tree is freed. */
#ifndef CF_YTREE_H
#define CF_YTREE_H

#include <stddef.h>

/* No tree is deeper than this: the readers refuse more levels. */
#define CF_YAML_MAX_DEPTH 64

enum cf_ykind { CF_Y_SCALAR, CF_Y_MAP, CF_Y_SEQ };

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

#endif
