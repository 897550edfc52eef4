/* yemit.c: the emitter, writing the tree in sops' layout (yemit.h). */
#include "common.h"

#include <stdio.h>
#include <string.h>

#include "yemit.h"
#include "yscalar.h"

/* The escape of the character at s if it is one that YAML 1.1 (libyaml)
 * takes as a line break besides \n and \r: NEL (U+0085), LS (U+2028),
 * PS (U+2029), which written as they are would be folded into a space
 * or a newline when read back; or another C1 control (U+0080-U+009F),
 * which libyaml refuses unescaped. *n receives its length in bytes; a
 * C1 escape is written into c1. */
static const char *break_escape(const char *s, size_t len, size_t *n,
				char c1[8])
{
	const unsigned char *u = (const unsigned char *)s;

	if (len >= 2 && u[0] == 0xc2 && u[1] == 0x85) {
		*n = 2;
		return "\\N";
	}
	if (len >= 2 && u[0] == 0xc2 && u[1] < 0xa0) {
		*n = 2;
		snprintf(c1, 8, "\\x%02X", u[1]);
		return c1;
	}
	if (len >= 3 && u[0] == 0xe2 && u[1] == 0x80 &&
	    (u[2] == 0xa8 || u[2] == 0xa9)) {
		*n = 3;
		return u[2] == 0xa8 ? "\\L" : "\\P";
	}
	return NULL;
}

static void emit_dquoted(struct secbuf *out, const char *s, size_t len)
{
	const char *be;
	char esc[8], c1[8];
	size_t bl;

	secbuf_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t run = 0;

		while (i + run < len && (unsigned char)s[i + run] >= 0x20 &&
		       s[i + run] != 0x7f && s[i + run] != '"' &&
		       s[i + run] != '\\' &&
		       !break_escape(s + i + run, len - i - run, &bl, c1))
			run++;
		if (run) {	/* the common case: nothing to escape */
			secbuf_add(out, s + i, run);
			i += run - 1;
			continue;
		}
		if ((be = break_escape(s + i, len - i, &bl, c1))) {
			secbuf_adds(out, be);
			i += bl - 1;
			continue;
		}
		switch (c) {
		case '"': secbuf_adds(out, "\\\""); break;
		case '\\': secbuf_adds(out, "\\\\"); break;
		case '\n': secbuf_adds(out, "\\n"); break;
		case '\t': secbuf_adds(out, "\\t"); break;
		case '\r': secbuf_adds(out, "\\r"); break;
		case '\0': secbuf_adds(out, "\\0"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(esc, sizeof(esc), "\\x%02x", c);
				secbuf_adds(out, esc);
			} else {
				secbuf_addch(out, (char)c);
			}
		}
	}
	secbuf_addch(out, '"');
}

/* Whether s can be written as a literal block (|-, |, |+) that reads
 * back as s: it has a line break, and nothing a block cannot hold. */
static int literal_ok(const char *s, size_t len)
{
	size_t i = 0, bl;
	char c1[8];

	if (!memchr(s, '\n', len) ||
	    !cf_utf8_valid((const unsigned char *)s, len))
		return 0;
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
		    break_escape(s + k, len - k, &bl, c1))
			return 0;
		/* trailing spaces on a line are kept by YAML, but an
		 * all-space line would be read as an empty one */
		if (c == ' ' && (k + 1 == len || s[k + 1] == '\n')) {
			size_t b = k;

			while (b > 0 && s[b - 1] == ' ')
				b--;
			if (b == 0 || s[b - 1] == '\n')
				return 0;
		}
	}
	/* The first non-empty line sets the indentation. */
	while (i < len && s[i] == '\n')
		i++;
	return i < len && s[i] != ' ' && s[i] != '\t';
}

static void indent(struct secbuf *out, int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= (int)sizeof(sp) - 1)
		secbuf_add(out, sp, n < (int)sizeof(sp) - 1 ?
			   (size_t)n : sizeof(sp) - 1);
}

static void emit_scalar(struct secbuf *out, const struct cf_ynode *n, int col)
{
	const char *s = n->str;
	size_t len = n->len, nl = 0;

	/* plain as read, unless it spans lines (a plain scalar of several
	 * lines with an empty one between holds a '\n' that written on one
	 * line would end the scalar) or is a string that is plain only in
	 * a flow ("[-]" holds "-", which after "- " starts a list): both
	 * resolve as strings and are quoted below if need be */
	if (n->plain && !memchr(s, '\n', len) &&
	    (cf_yscalar_type(n) != CF_YT_STR ||
	     cf_yaml_plain_syntax_ok(s, len))) {
		secbuf_add(out, s, len);
		return;
	}
	if (cf_yaml_plain_ok(s, len)) {
		secbuf_add(out, s, len);
		return;
	}
	if (!literal_ok(s, len)) {
		emit_dquoted(out, s, len);
		return;
	}
	while (nl < len && s[len - 1 - nl] == '\n')
		nl++;
	secbuf_adds(out, nl == 0 ? "|-" : nl == 1 ? "|" : "|+");
	for (size_t i = 0; i < len;) {
		const char *e = memchr(s + i, '\n', len - i);
		size_t l = e ? (size_t)(e - (s + i)) : len - i;

		secbuf_addch(out, '\n');
		if (l)
			indent(out, cf_yaml_child_indent(col));
		secbuf_add(out, s + i, l);
		i += l + 1;
		if (!e)
			break;
	}
}

static void emit_key(struct secbuf *out, const char *k)
{
	if (cf_yaml_plain_ok(k, strlen(k)))
		secbuf_adds(out, k);
	else
		emit_dquoted(out, k, strlen(k));
	secbuf_addch(out, ':');
}

static void emit_value(struct secbuf *out, const struct cf_ynode *v, int col);

/* Emits map entries or seq items; the first starts at the current
 * position (already indented to col). */
static void emit_block(struct secbuf *out, const struct cf_ynode *n, int col)
{
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			indent(out, col);
		if (n->kind == CF_Y_MAP) {
			emit_key(out, n->pairs[i].key);
			emit_value(out, n->pairs[i].val, col);
		} else {
			const struct cf_ynode *it = n->items[i];

			secbuf_addch(out, '-');
			if (it->kind == CF_Y_SCALAR || !it->n) {
				secbuf_addch(out, ' ');
				emit_value(out, it, col);
			} else if (it->kind == CF_Y_MAP) {
				secbuf_addch(out, ' ');
				emit_block(out, it, col + 2);
			} else {
				secbuf_addch(out, '\n');
				indent(out, cf_yaml_child_indent(col + 2));
				emit_block(out, it, cf_yaml_child_indent(col + 2));
			}
		}
	}
}

/* After "key:" (or "- "), emit the value and end the line. */
static void emit_value(struct secbuf *out, const struct cf_ynode *v, int col)
{
	int sp = out->len && out->ptr[out->len - 1] == ':';

	if (v->kind == CF_Y_SCALAR) {
		if (sp)
			secbuf_addch(out, ' ');
		emit_scalar(out, v, col);
		secbuf_addch(out, '\n');
	} else if (!v->n) {
		secbuf_adds(out, sp ? " " : "");
		secbuf_adds(out, v->kind == CF_Y_MAP ? "{}\n" : "[]\n");
	} else {
		secbuf_addch(out, '\n');
		indent(out, cf_yaml_child_indent(col));
		emit_block(out, v, cf_yaml_child_indent(col));
	}
}

void cf_yaml_emit(struct secbuf *out, const struct cf_ynode *root)
{
	if (root->kind == CF_Y_SCALAR || !root->n) {
		emit_value(out, root, 0);
		return;
	}
	emit_block(out, root, 0);
}
