/* secbuf.h: buffers for plaintext secrets. They grow by copy, wipe, free
 * (never realloc), are mlock()ed where the system allows, and are wiped
 * on release. */
#ifndef CF_SECBUF_H
#define CF_SECBUF_H

#include <stddef.h>

struct secbuf {
	char *ptr;	/* NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	int nolock;	/* not mlock()ed: holds ciphertext only */
};

#define SECBUF_INIT { NULL, 0, 0, 0 }

void secbuf_init(struct secbuf *b);
void secbuf_release(struct secbuf *b);	/* wipes */
void secbuf_reset(struct secbuf *b);	/* wipes, keeps the memory */
void secbuf_add(struct secbuf *b, const void *data, size_t len);
void secbuf_adds(struct secbuf *b, const char *s);
void secbuf_addch(struct secbuf *b, char c);
/* Makes room for at least extra more bytes. */
void secbuf_grow(struct secbuf *b, size_t extra);
const char *secbuf_cstr(const struct secbuf *b);
/* Copies src into dst (dst is reset first). */
void secbuf_set(struct secbuf *dst, const void *data, size_t len);

/* Frees a heap string after wiping it. NULL is fine. */
void wipe_free(void *p, size_t len);
void wipe_free_str(char *s);

/* Makes jansson wipe what it frees (once per process, before any JSON
 * holds a value). */
void cf_json_wiping(void);
/* Dumps a json_t * into out (jansson's dump flags), in wiping memory. */
int cf_json_dump_sec(struct secbuf *out, const void *json, size_t flags);

#endif
