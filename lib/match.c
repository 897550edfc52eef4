/* match.c: the Aho-Corasick automaton and the streaming masker. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "match.h"

/* A node is the prefix of one or more values that leads to it. Its
 * children are a list (first child, next sibling): the values are few
 * and short, and a table of 256 moves per node would be most of the
 * memory; the root alone has the table (cf_match.root). */
struct cf_match_node {
	uint32_t child;		/* first child, 0 for none (0 is the root) */
	uint32_t next;		/* next sibling, 0 for none */
	uint32_t fail;		/* the longest proper suffix that is a node */
	uint32_t depth;		/* the length of this prefix */
	uint32_t out;		/* the longest value that ends here */
	unsigned char c;	/* the byte that leads here from the parent */
};

static struct cf_match_node *node(const struct cf_match *m, uint32_t i)
{
	return (struct cf_match_node *)(void *)m->nodes.ptr + i;
}

static uint32_t new_node(struct cf_match *m, unsigned char c, uint32_t depth)
{
	struct cf_match_node nd;

	memset(&nd, 0, sizeof(nd));
	nd.c = c;
	nd.depth = depth;
	secbuf_add(&m->nodes, &nd, sizeof(nd));
	explicit_bzero(&nd, sizeof(nd));
	return (uint32_t)m->n++;
}

void cf_match_init(struct cf_match *m)
{
	memset(m, 0, sizeof(*m));
	secbuf_init(&m->nodes);
}

static uint32_t child(const struct cf_match *m, uint32_t s, unsigned char c)
{
	for (uint32_t u = node(m, s)->child; u; u = node(m, u)->next)
		if (node(m, u)->c == c)
			return u;
	return 0;
}

void cf_match_add(struct cf_match *m, const void *value, size_t len)
{
	const unsigned char *p = value;
	uint32_t s = 0, u;

	if (!len)
		return;
	if (!m->n)
		new_node(m, 0, 0);
	for (size_t i = 0; i < len; i++, s = u) {
		if ((u = child(m, s, p[i])))
			continue;
		u = new_node(m, p[i], (uint32_t)i + 1);
		node(m, u)->next = node(m, s)->child;
		node(m, s)->child = u;
	}
	node(m, s)->out = (uint32_t)len;
	if (len > m->longest)
		m->longest = len;
	m->built = 0;
}

void cf_match_release(struct cf_match *m)
{
	secbuf_release(&m->nodes);
	explicit_bzero(m->root, sizeof(m->root));
	cf_match_init(m);
}

/* The move from s over c, following failure links. */
static uint32_t go(const struct cf_match *m, uint32_t s, unsigned char c)
{
	uint32_t u = 0;

	while (s && !(u = child(m, s, c)))
		s = node(m, s)->fail;
	return s ? u : m->root[c];
}

/* Failure links and outputs, breadth first: a node's failure is
 * shallower, so it is complete when the node is reached. */
static void build(struct cf_match *m)
{
	uint32_t *queue, head = 0, tail = 0;

	memset(m->root, 0, sizeof(m->root));
	if (m->n)
		for (uint32_t u = node(m, 0)->child; u; u = node(m, u)->next)
			m->root[node(m, u)->c] = u;
	queue = xcalloc(m->n + 1, sizeof(*queue));
	if (m->n)
		queue[tail++] = 0;
	while (head < tail) {
		uint32_t s = queue[head++];

		for (uint32_t u = node(m, s)->child; u; u = node(m, u)->next) {
			struct cf_match_node *nu = node(m, u);
			uint32_t f = s ? go(m, node(m, s)->fail, nu->c) : 0;

			nu->fail = f;
			if (node(m, f)->out > nu->out)
				nu->out = node(m, f)->out;
			queue[tail++] = u;
		}
	}
	free(queue);
	m->built = 1;
}

uint32_t cf_match_step(struct cf_match *m, uint32_t state, unsigned char c,
		       size_t *len)
{
	*len = 0;
	if (!m->n)
		return 0;
	if (!m->built)
		build(m);
	state = go(m, state, c);
	*len = node(m, state)->out;
	return state;
}

size_t cf_match_depth(const struct cf_match *m, uint32_t state)
{
	return m->n ? node(m, state)->depth : 0;
}

/* ---- the masker ---- */

void cf_mask_init(struct cf_mask *k, struct cf_match *m)
{
	memset(k, 0, sizeof(*k));
	secbuf_init(&k->held);
	k->m = m;
}

/* Gives out the first n held bytes. */
static void give(struct cf_mask *k, struct secbuf *out, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		if (k->hide[i]) {
			if (!k->in_run)
				secbuf_adds(out, CF_MASK_TEXT);
			k->in_run = 1;
			while (i < n && k->hide[i])
				i++;
			continue;
		}
		for (j = i; j < n && !k->hide[j]; j++)
			;
		secbuf_add(out, k->held.ptr + i, j - i);
		k->in_run = 0;
		i = j;
	}
	if (!n)
		return;
	memmove(k->held.ptr, k->held.ptr + n, k->held.len - n);
	memmove(k->hide, k->hide + n, k->held.len - n);
	explicit_bzero(k->held.ptr + k->held.len - n, n);
	k->held.len -= n;
	k->held.ptr[k->held.len] = '\0';
}

void cf_mask_feed(struct cf_mask *k, struct secbuf *out, const void *data,
		  size_t len)
{
	const unsigned char *p = data;
	size_t l, keep;

	if (!len)
		return;
	secbuf_grow(&k->held, len);
	if (k->held.len + len > k->hide_cap) {
		k->hide_cap = k->held.len + len;
		k->hide = xrealloc(k->hide, k->hide_cap);
	}
	for (size_t i = 0; i < len; i++) {
		size_t at = k->held.len++;

		k->held.ptr[at] = (char)p[i];
		k->hide[at] = 0;
		k->state = cf_match_step(k->m, k->state, p[i], &l);
		/* the start of a value given out by a flush stays out */
		if (l > at + 1)
			l = at + 1;
		if (l)
			memset(k->hide + at + 1 - l, 1, l);
	}
	k->held.ptr[k->held.len] = '\0';
	/* only the bytes a value could still start with stay */
	keep = cf_match_depth(k->m, k->state);
	if (keep > k->held.len)
		keep = k->held.len;
	give(k, out, k->held.len - keep);
}

void cf_mask_flush(struct cf_mask *k, struct secbuf *out)
{
	give(k, out, k->held.len);
}

size_t cf_mask_held(const struct cf_mask *k)
{
	return k->held.len;
}

void cf_mask_release(struct cf_mask *k)
{
	secbuf_release(&k->held);
	free(k->hide);
	k->hide = NULL;
	k->hide_cap = 0;
	k->state = 0;
	k->in_run = 0;
}
