/* yfast.c: a fast reader for the layout cf_yaml_emit writes.
 *
 * libyaml takes some 30 us for a 1.3 KB secret file, and list --long
 * and check read every file of the store. Files written by coffer are
 * in the emitter's layout: block mappings and sequences indented in
 * steps of 4, "- " items, scalars on one line (plain or double-quoted),
 * literal blocks, {} and []. This reader reads that layout line by line
 * and declines anything else.
 *
 * It does not have to be right. What it reads is emitted again and
 * must give the input byte for byte, else it is dropped and libyaml
 * reads the input. libyaml reads every emitted tree back as the same
 * tree (test_yemit), so the two readers cannot disagree; test_yfast
 * checks them against each other on many inputs. Its duties are only
 * those the emitter leaves to its input: a plain scalar must be one the
 * emitter may write as it is (cf_yaml_plain_syntax_ok), text must be
 * UTF-8, and a mapping has no key twice.
 * It also declines what libyaml's reader would refuse (deep nesting),
 * so that the refusal and its message come from one place. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "secbuf.h"
#include "yemit.h"
#include "yfast.h"
#include "yscalar.h"

#define MAX_DEPTH 32	/* below CF_YAML_MAX_DEPTH: deeper goes to libyaml */
_Static_assert(MAX_DEPTH < CF_YAML_MAX_DEPTH, "libyaml refuses too deep");

struct rd {
	const char *p, *end;	/* start of the current line; input end */
	const char *eol;	/* its '\n' */
	int line;		/* its number, 1-based */
	int col;		/* its indentation */
};

/* Moves to the line at p. At the end of the input, or on a last line
 * without '\n' (the emitter ends every line), returns 0 and sets col to
 * -1, which ends every block; the caller then sees p != end. */
static int line_at(struct rd *r, const char *p, int line)
{
	r->p = p;
	r->line = line;
	r->eol = p < r->end ? memchr(p, '\n', (size_t)(r->end - p)) : NULL;
	r->col = -1;
	if (!r->eol)
		return 0;
	r->col = 0;
	while (p + r->col < r->eol && p[r->col] == ' ')
		r->col++;
	return 1;
}

static int next_line(struct rd *r)
{
	return line_at(r, r->eol + 1, r->line + 1);
}

static struct cf_ynode *scalar(const char *s, size_t len, int plain, int line)
{
	struct cf_ynode *n = cf_ynode_str(s, len);

	n->plain = plain;
	n->line = line;
	return n;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	       c - 'a' + 10 : -1;
}

/* A scratch buffer for a scalar's text. Like the tree's own strings it
 * is wiped when freed but not locked: mlock for each would cost more
 * than the parse. */
static void scratch_init(struct secbuf *v)
{
	secbuf_init(v);
	v->nolock = 1;
}

/* A double-quoted scalar at s, ending the line, with the escapes the
 * emitter writes. */
static struct cf_ynode *dquoted(const struct rd *r, const char *s)
{
	struct secbuf v;
	struct cf_ynode *n = NULL;

	scratch_init(&v);
	for (s++; s < r->eol && *s != '"'; s++) {
		int h1, h2;

		if (*s != '\\') {	/* a run without escapes */
			const char *e = s;

			while (e + 1 < r->eol && e[1] != '"' && e[1] != '\\')
				e++;
			secbuf_add(&v, s, (size_t)(e - s + 1));
			s = e;
			continue;
		}
		if (++s >= r->eol)
			goto out;
		switch (*s) {
		case '"': case '\\': secbuf_addch(&v, *s); break;
		case 'n': secbuf_addch(&v, '\n'); break;
		case 't': secbuf_addch(&v, '\t'); break;
		case 'r': secbuf_addch(&v, '\r'); break;
		case '0': secbuf_addch(&v, '\0'); break;
		case 'x':	/* a code point: only ASCII is one byte */
			if (r->eol - s < 3 || (h1 = hexval(s[1])) < 0 ||
			    h1 > 7 || (h2 = hexval(s[2])) < 0)
				goto out;
			secbuf_addch(&v, (char)(h1 << 4 | h2));
			s += 2;
			break;
		default:
			goto out;
		}
	}
	/* the emitter writes bytes as they are: they must be UTF-8 */
	if (s + 1 == r->eol && cf_utf8_valid((const unsigned char *)v.ptr, v.len))
		n = scalar(secbuf_cstr(&v), v.len, 0, r->line);
out:
	secbuf_release(&v);
	return n;
}

/* A literal block whose header |-, | or |+ is at s; its lines are
 * indented to cf_yaml_child_indent(col). Leaves r on the line after it. */
static struct cf_ynode *literal(struct rd *r, const char *s, int col)
{
	struct secbuf v;
	struct cf_ynode *n = NULL;
	int in = cf_yaml_child_indent(col), line = r->line, more;
	char chomp = s[1];

	scratch_init(&v);
	if (s + 1 + (chomp == '-' || chomp == '+') != r->eol)
		return NULL;
	while ((more = next_line(r))) {
		if (r->p == r->eol)
			secbuf_addch(&v, '\n');
		else if (r->col == r->eol - r->p)
			goto out;	/* only spaces */
		else if (r->col < in)
			break;
		else {
			secbuf_add(&v, r->p + in, (size_t)(r->eol - r->p - in));
			secbuf_addch(&v, '\n');
		}
	}
	if (!more && r->p != r->end)
		goto out;	/* a last line without '\n' */
	if (chomp != '+') {
		while (v.len && v.ptr[v.len - 1] == '\n')
			v.len--;
		if (chomp != '-')
			secbuf_addch(&v, '\n');
	}
	n = scalar(secbuf_cstr(&v), v.len, 0, line);
out:
	secbuf_release(&v);
	return n;
}

/* The scalar, {} or [] at s on the current line, col being the column
 * of its key or "-". Leaves r on the next line. */
static struct cf_ynode *inline_value(struct rd *r, const char *s, int col)
{
	size_t len = (size_t)(r->eol - s);
	struct cf_ynode *n = NULL;

	if (len == 2 && (!memcmp(s, "{}", 2) || !memcmp(s, "[]", 2))) {
		n = *s == '{' ? cf_ynode_map() : cf_ynode_seq();
		n->line = r->line;
	} else if (*s == '"') {
		n = dquoted(r, s);
	} else if (*s == '|') {
		return literal(r, s, col);
	} else if (cf_yaml_plain_syntax_ok(s, len)) {
		n = scalar(s, len, 1, r->line);
	}
	if (n && !next_line(r) && r->p != r->end) {
		cf_ynode_free(n);
		n = NULL;
	}
	return n;
}

/* The ':' that ends a key at s on the current line, or NULL. */
static const char *key_end(const struct rd *r, const char *s)
{
	for (const char *c = s; c < r->eol; c++)
		if (*c == ':' && (c + 1 == r->eol || c[1] == ' '))
			return c;
	return NULL;
}

static struct cf_ynode *block(struct rd *r, int depth);

/* The value after "key:" or "-" ending at c: inline, or a block on the
 * following lines at cf_yaml_child_indent(col). */
static struct cf_ynode *value(struct rd *r, const char *c, int col,
			      int depth)
{
	if (depth > MAX_DEPTH)
		return NULL;
	if (c + 1 < r->eol)
		return c[1] == ' ' ? inline_value(r, c + 2, col) : NULL;
	if (!next_line(r) || r->col != cf_yaml_child_indent(col))
		return NULL;
	return block(r, depth);
}

/* Mapping entries at column col, the first at s on the current line. */
static struct cf_ynode *map(struct rd *r, const char *s, int col, int depth)
{
	struct cf_ynode *m = cf_ynode_map(), *v;

	m->line = r->line;
	for (;;) {
		const char *c = key_end(r, s);
		int line = r->line;
		char *key;

		if (!c)
			goto fail;
		/* whether the emitter writes this key plain, as here, is
		 * for the comparison at the end to find out */
		if (!(v = value(r, c, col, depth + 1)))
			goto fail;
		key = xstrndup(s, (size_t)(c - s));
		if (cf_ymap_add(m, key, line, v) < 0) {
			free(key);
			cf_ynode_free(v);
			goto fail;
		}
		if (r->col < col)
			return m;
		if (r->col > col)
			goto fail;
		s = r->p + col;
	}
fail:
	cf_ynode_free(m);
	return NULL;
}

/* Sequence items "- " at column col, from the current line. */
static struct cf_ynode *seq(struct rd *r, int col, int depth)
{
	struct cf_ynode *q = cf_ynode_seq(), *it;

	q->line = r->line;
	do {
		const char *s = r->p + col;

		if (*s != '-')
			goto fail;
		/* "- key: ..." starts a mapping at col + 2; "-" alone has
		 * a block below it, as the emitter writes a nested list */
		if (s + 2 < r->eol && s[1] == ' ' && !strchr("\"|{[", s[2]) &&
		    key_end(r, s + 2))
			it = map(r, s + 2, col + 2, depth + 1);
		else
			it = value(r, s, s + 1 == r->eol ? col + 2 : col,
				   depth + 1);
		if (!it)
			goto fail;
		cf_yseq_add(q, it);
	} while (r->col == col);
	if (r->col < col)
		return q;
fail:
	cf_ynode_free(q);
	return NULL;
}

/* The block mapping or sequence at the current line's indentation. */
static struct cf_ynode *block(struct rd *r, int depth)
{
	const char *s = r->p + r->col;

	if (depth > MAX_DEPTH)
		return NULL;
	return *s == '-' ? seq(r, r->col, depth) : map(r, s, r->col, depth);
}

int cf_yfast_parse(struct cf_ynode **out, const char *data, size_t len)
{
	struct rd r = { .end = data + len };
	struct cf_ynode *root;
	struct secbuf again = SECBUF_INIT;
	int ok;

	*out = NULL;
	if (!line_at(&r, data, 1) || r.col || r.p == r.eol ||
	    !(root = block(&r, 1)))
		return 0;
	if (r.p != r.end) {
		cf_ynode_free(root);
		return 0;
	}
	again.nolock = 1;	/* the input's own bytes */
	secbuf_grow(&again, len);
	cf_yaml_emit(&again, root);
	ok = again.len == len && !memcmp(again.ptr, data, len);
	secbuf_release(&again);
	if (!ok) {
		cf_ynode_free(root);
		return 0;
	}
	*out = root;
	return 1;
}
