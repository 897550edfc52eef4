/* yemit.h: the emitter. It writes the layout sops 3.13 writes: block
 * mappings and sequences indented in steps of 4, quoted timestamps,
 * literal blocks for multi-line strings. yfast.c reads that layout. */
#ifndef CF_YEMIT_H
#define CF_YEMIT_H

#include "secbuf.h"
#include "ytree.h"

#define CF_YAML_INDENT 4

/* The column of a block or literal text below a key or "-" at col: the
 * next multiple of CF_YAML_INDENT. Inline, as the fast reader needs it
 * on every line. */
static inline int cf_yaml_child_indent(int col)
{
	return (col / CF_YAML_INDENT + 1) * CF_YAML_INDENT;
}

/* Emits the tree as a YAML document ending in a newline. */
void cf_yaml_emit(struct secbuf *out, const struct cf_ynode *root);

#endif
