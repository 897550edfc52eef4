/* encode.c: hex and base64, each into a struct buf (for what is public)
 * or a struct secbuf (for plaintext). */
#include "common.h"

#include <string.h>

#include "encode.h"
#include "error.h"

static const char HEX_LOWER[] = "0123456789abcdef";
static const char HEX_UPPER[] = "0123456789ABCDEF";

void cf_hex(char *out, const unsigned char *d, size_t n, int upper)
{
	const char *digits = upper ? HEX_UPPER : HEX_LOWER;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void cf_hex_sec(struct secbuf *out, const void *d, size_t n, int upper)
{
	const char *digits = upper ? HEX_UPPER : HEX_LOWER;
	const unsigned char *p = d;

	secbuf_grow(out, 2 * n);
	for (size_t i = 0; i < n; i++) {
		out->ptr[out->len++] = digits[p[i] >> 4];
		out->ptr[out->len++] = digits[p[i] & 15];
	}
	out->ptr[out->len] = '\0';
}

static const char B64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encodes the group of min(left, 3) bytes at p as 4 characters. */
static void b64_group(char q[4], const unsigned char *p, size_t left)
{
	unsigned v = (unsigned)p[0] << 16;

	if (left > 1)
		v |= (unsigned)p[1] << 8;
	if (left > 2)
		v |= p[2];
	q[0] = B64[v >> 18 & 63];
	q[1] = B64[v >> 12 & 63];
	q[2] = left > 1 ? B64[v >> 6 & 63] : '=';
	q[3] = left > 2 ? B64[v & 63] : '=';
}

void cf_base64_encode(struct buf *out, const void *p, size_t n)
{
	const unsigned char *d = p;
	char q[4];

	for (size_t i = 0; i < n; i += 3) {
		b64_group(q, d + i, n - i);
		buf_add(out, q, sizeof(q));
	}
	if (!out->ptr)
		buf_adds(out, "");
}

void cf_base64_encode_sec(struct secbuf *out, const void *p, size_t n)
{
	const unsigned char *d = p;
	char q[4];

	/* one allocation: the loop below never moves the buffer */
	secbuf_grow(out, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		b64_group(q, d + i, n - i);
		secbuf_add(out, q, sizeof(q));
	}
	explicit_bzero(q, sizeof(q));
}

int cf_base64_decode(struct secbuf *out, const char *s, size_t len)
{
	unsigned v = 0;
	int bits = 0;
	size_t pad = 0;

	secbuf_reset(out);
	if (len % 4)
		goto bad;
	secbuf_grow(out, len / 4 * 3);
	for (size_t i = 0; i < len; i++) {
		const char *c;

		if (s[i] == '=') {
			if (i < len - 2)
				goto bad;
			pad++;
			continue;
		}
		if (pad || !(c = memchr(B64, s[i], 64)) || !s[i])
			goto bad;
		v = v << 6 | (unsigned)(c - B64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			secbuf_addch(out, (char)(v >> bits & 0xff));
		}
	}
	if (!out->ptr)
		secbuf_add(out, "", 0);
	return 0;
bad:
	secbuf_reset(out);
	return cf_error_set(CF_EINTEGRITY, "bad base64");
}
