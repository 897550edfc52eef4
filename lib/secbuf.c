/* secbuf.c: wiping buffers for plaintext. */
#include "common.h"

#include <jansson.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"
#include "secbuf.h"

void wipe_free(void *p, size_t len)
{
	if (!p)
		return;
	explicit_bzero(p, len);
	free(p);
}

void wipe_free_str(char *s)
{
	if (s)
		wipe_free(s, strlen(s));
}

void secbuf_init(struct secbuf *b)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->nolock = 0;
}

static void drop(char *p, size_t cap, int locked)
{
	if (!p)
		return;
	explicit_bzero(p, cap);
	if (locked)
		munlock(p, cap);
	free(p);
}

void secbuf_release(struct secbuf *b)
{
	int nolock = b->nolock;

	drop(b->ptr, b->cap, !b->nolock);
	secbuf_init(b);
	b->nolock = nolock;
}

void secbuf_reset(struct secbuf *b)
{
	if (b->ptr)
		explicit_bzero(b->ptr, b->cap);
	b->len = 0;
}

void secbuf_grow(struct secbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;
	char *p;

	if (need <= b->cap)
		return;
	if (need < b->len)
		abort();
	cap = need < 256 ? 256 : need + need / 2;
	p = xmalloc(cap);
	/* Best effort: keep plaintext out of swap where the limit allows. */
	if (!b->nolock)
		(void)mlock(p, cap);
	if (b->ptr)
		memcpy(p, b->ptr, b->len);
	p[b->len] = '\0';
	drop(b->ptr, b->cap, !b->nolock);
	b->ptr = p;
	b->cap = cap;
}

void secbuf_add(struct secbuf *b, const void *data, size_t len)
{
	secbuf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void secbuf_adds(struct secbuf *b, const char *s)
{
	secbuf_add(b, s, strlen(s));
}

void secbuf_addch(struct secbuf *b, char c)
{
	secbuf_add(b, &c, 1);
}

const char *secbuf_cstr(const struct secbuf *b)
{
	return b->ptr ? b->ptr : "";
}

void secbuf_set(struct secbuf *dst, const void *data, size_t len)
{
	secbuf_reset(dst);
	secbuf_add(dst, data, len);
}

/* jansson holds values (get --json, a hook's input): what it frees is
 * wiped first, as our own buffers are. */
static void json_wipe_free(void *p)
{
	if (p)
		explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void cf_json_wiping(void)
{
	json_set_alloc_funcs(malloc, json_wipe_free);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	secbuf_add(data, buffer, size);
	return 0;
}

int cf_json_dump_sec(struct secbuf *out, const void *json, size_t flags)
{
	return json_dump_callback(json, dump_cb, out, flags);
}
