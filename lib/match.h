/* match.h: finding many values at once in a stream of bytes, and hiding
 * them. cf_match is an Aho-Corasick automaton built once from the
 * values; cf_mask runs it over output that arrives in chunks, hides
 * every byte any value covers (a run of hidden bytes becomes one *****)
 * and holds back only the bytes that could still start a value. Hooks
 * use it; run and scan will. The values live in wiping, mlock()ed
 * memory. */
#ifndef CF_MATCH_H
#define CF_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "secbuf.h"

#define CF_MASK_TEXT "*****"

struct cf_match {
	struct secbuf nodes;	/* struct cf_match_node[]: node 0 is the root */
	uint32_t root[256];	/* the root's move on each byte */
	size_t n;		/* nodes */
	size_t longest;		/* the longest value */
	int built;
};

#define CF_MATCH_INIT { SECBUF_INIT, { 0 }, 0, 0, 0 }

void cf_match_init(struct cf_match *m);
/* Adds a value to find; an empty one is ignored. Only before the first
 * cf_match_step or cf_mask_feed. */
void cf_match_add(struct cf_match *m, const void *value, size_t len);
/* Wipes and frees. */
void cf_match_release(struct cf_match *m);

/* Moves from state (0 at the start) over byte c: the new state. *len
 * receives the length of the longest value that ends at c, or 0. */
uint32_t cf_match_step(struct cf_match *m, uint32_t state, unsigned char c,
		       size_t *len);
/* How many of the last bytes could still be the start of a value. */
size_t cf_match_depth(const struct cf_match *m, uint32_t state);

struct cf_mask {
	struct cf_match *m;
	uint32_t state;
	struct secbuf held;	/* not yet decided or not yet given out */
	unsigned char *hide;	/* per byte of held: covered by a value */
	size_t hide_cap;
	int in_run;		/* the last byte given out was hidden */
};

/* A masker over m, which it uses but does not own. */
void cf_mask_init(struct cf_mask *k, struct cf_match *m);
/* Takes len more bytes of the stream and appends to out what is now
 * decided: every byte that can no longer be part of a value, and each
 * hidden run as *****. At most cf_match's longest value less one byte is
 * held back. */
void cf_mask_feed(struct cf_mask *k, struct secbuf *out, const void *data,
		  size_t len);
/* Appends what is held back (the stream ended, or it must be shown
 * now). Feeding may go on: a value whose start was given out by a flush
 * has the rest hidden. */
void cf_mask_flush(struct cf_mask *k, struct secbuf *out);
/* Bytes held back. */
size_t cf_mask_held(const struct cf_mask *k);
void cf_mask_release(struct cf_mask *k);

#endif
