/* buf.h: growable strings for non-secret text (like git's strbuf). */
#ifndef CF_BUF_H
#define CF_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Adds s with every control character (C0, DEL, C1) and every byte that
 * is not UTF-8 written as \xNN: text from files (names, meta, git
 * authors) printed on one line, with no terminal escape in it. */
void buf_add_printable(struct buf *b, const char *s);
/* Whether needle (nl bytes, not empty) occurs in hay (hl bytes). */
int cf_contains(const char *hay, size_t hl, const void *needle, size_t nl);
/* The string, "" when empty. */
const char *buf_cstr(const struct buf *b);
/* Hands the string to the caller (who frees it) and resets b. */
char *buf_detach(struct buf *b);

/* Frees the n strings of v, then v (a string vector as cf_gpg_import
 * returns). NULL is fine. */
void cf_strv_free(char **v, size_t n);

/* Allocation that aborts on out-of-memory: there is no sane recovery. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
