/* pgpsig.c: the issuer fingerprint an OpenPGP signature names (RFC 4880
 * section 5.2.3.5 and the issuer fingerprint subpacket, type 33), read
 * without verifying anything: enough to tell who claims to have signed a
 * commit. coffer verify checks the signature itself. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "crypt.h"
#include "secbuf.h"

/* The base64 body of an armored message. */
static void dearmor(struct buf *out, const char *s, size_t len)
{
	const char *end = s + len, *p = s;
	int body = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l && p[l - 1] == '\r')
			l--;
		if (!strncmp(p, "-----", 5)) {
			if (body)
				break;
		} else if (!body && l == 0) {
			body = 1;	/* headers end at the empty line */
		} else if (body && *p != '=') {
			buf_add(out, p, l);
		}
		p = nl ? nl + 1 : end;
	}
}

/* Reads a new-format subpacket or packet length at *p. */
static int sublen(const unsigned char **p, const unsigned char *end,
		  size_t *out)
{
	const unsigned char *q = *p;

	if (q >= end)
		return -1;
	if (q[0] < 192) {
		*out = q[0];
		*p = q + 1;
	} else if (q[0] < 255) {
		if (q + 1 >= end)
			return -1;
		*out = ((size_t)(q[0] - 192) << 8) + q[1] + 192;
		*p = q + 2;
	} else {
		if (q + 4 >= end)
			return -1;
		*out = (size_t)q[1] << 24 | (size_t)q[2] << 16 |
		       (size_t)q[3] << 8 | q[4];
		*p = q + 5;
	}
	return 0;
}

static int find_issuer(char *out, const unsigned char *p,
		       const unsigned char *end)
{
	while (p < end) {
		size_t l;

		if (sublen(&p, end, &l) < 0 || !l || l > (size_t)(end - p))
			return -1;
		if ((p[0] & 0x7f) == 33 && l >= 2) {
			size_t n = l - 2;	/* type and key version */

			if (n != 20 && n != 32)
				return -1;
			for (size_t i = 0; i < n; i++)
				snprintf(out + 2 * i, 3, "%02X", p[2 + i]);
			return 0;
		}
		p += l;
	}
	return -1;
}

int cf_pgp_sig_issuer(char out[65], const char *armored, size_t len)
{
	struct buf b64 = BUF_INIT;
	struct secbuf raw = SECBUF_INIT;
	const unsigned char *p, *end, *body;
	size_t plen = 0, hl;
	int ret = -1;

	out[0] = '\0';
	raw.nolock = 1;
	dearmor(&b64, armored, len);
	if (!b64.len || cf_base64_decode(&raw, b64.ptr, b64.len) < 0)
		goto out;
	p = (const unsigned char *)raw.ptr;
	end = p + raw.len;
	if (p >= end || !(p[0] & 0x80))
		goto out;
	if (p[0] & 0x40) {			/* new format */
		if ((p[0] & 0x3f) != 2)
			goto out;
		p++;
		if (sublen(&p, end, &plen) < 0)
			goto out;
	} else {				/* old format */
		int lt = p[0] & 3;

		if (((p[0] >> 2) & 0xf) != 2 || lt == 3)
			goto out;
		p++;
		for (int i = 0; i < (lt == 0 ? 1 : lt == 1 ? 2 : 4); i++, p++)
			if (p < end)
				plen = plen << 8 | *p;
	}
	if (plen > (size_t)(end - p) || plen < 6 || (p[0] != 4 && p[0] != 5))
		goto out;
	body = p;
	end = p + plen;
	hl = (size_t)body[4] << 8 | body[5];
	if (hl > (size_t)(end - body - 6))
		goto out;
	ret = find_issuer(out, body + 6, body + 6 + hl);
out:
	if (ret < 0)
		out[0] = '\0';
	buf_release(&b64);
	secbuf_release(&raw);
	return ret;
}
