/* encode.h: text encodings of bytes: hex and standard base64 (RFC 4648
 * section 4, with padding). Each encoder has a secbuf variant for bytes
 * that are secret, so that no copy is left in memory that is not wiped. */
#ifndef CF_ENCODE_H
#define CF_ENCODE_H

#include <stddef.h>

#include "buf.h"
#include "secbuf.h"

/* n bytes as 2n hex digits and a NUL into out (2n + 1 bytes). */
void cf_hex(char *out, const unsigned char *d, size_t n, int upper);
/* Appends n bytes as 2n hex digits to out. */
void cf_hex_sec(struct secbuf *out, const void *d, size_t n, int upper);

/* Appends the base64 of n bytes to out (out->ptr is set even if n is 0). */
void cf_base64_encode(struct buf *out, const void *p, size_t n);
/* The same into wiping memory, for plaintext: grows out once, never by
 * realloc. */
void cf_base64_encode_sec(struct secbuf *out, const void *p, size_t n);
/* Decodes len characters of s into out (reset first). Padding is required,
 * nothing but the 64 characters and final '=' is accepted. CF_EINTEGRITY
 * for anything else. */
int cf_base64_decode(struct secbuf *out, const char *s, size_t len);

#endif
