/* pgp.c: OpenPGP packets (RFC 4880, version 4) read without verifying
 * anything: the issuer a signature names, what a public key says of
 * itself (fingerprints and key IDs, revocation, encryption subkeys,
 * expiry), and whom a message's session key is sealed to. Enough for
 * history to say who claims to have signed a commit, for check to report
 * keys without GnuPG, and to find recipients hidden in a sops data key;
 * coffer verify checks signatures, and GnuPG decides when it encrypts. */
#include "common.h"

#include <gcrypt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypt.h"
#include "error.h"
#include "pgp.h"
#include "secbuf.h"

enum {
	TAG_PKESK = 1, TAG_SKESK = 3, TAG_MARKER = 10,
	TAG_SED = 9, TAG_SEIPD = 18, TAG_AEAD = 20,
	TAG_SIG = 2, TAG_KEY = 6, TAG_UID = 13, TAG_SUBKEY = 14, TAG_ATTR = 17,
	SUB_CREATED = 2, SUB_KEY_EXPIRES = 9, SUB_ISSUER = 16,
	SUB_KEY_FLAGS = 27, SUB_ISSUER_FPR = 33,
	FLAG_ENCRYPT = 0x04 | 0x08,	/* communications, storage */
};

/* ---- armor and packets ---- */

/* The base64 body of the armored block that starts at or after *s, and
 * *s moved past its end line. 0 when there is no further block. */
static int dearmor(struct buf *out, const char **s, const char *end)
{
	const char *p = *s;
	int in = 0, body = 0;

	buf_reset(out);
	while (p < end) {
		const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		p = nl ? nl + 1 : end;
		if (l && line[l - 1] == '\r')
			l--;
		if (!in)
			in = l >= 15 && !strncmp(line, "-----BEGIN PGP ", 15);
		else if (l >= 5 && !strncmp(line, "-----", 5))
			break;
		else if (!body && (l == 0 || memchr(line, ':', l)))
			body = l == 0;	/* headers end at an empty line */
		else {
			body = 1;	/* or at the first line of base64 */
			if (!(l == 5 && *line == '='))	/* not the checksum */
				buf_add(out, line, l);
		}
	}
	*s = p;
	return in;
}

/* Reads a new-format (sub)packet length at *p. */
static int sublen(const unsigned char **p, const unsigned char *end,
		  size_t *out)
{
	const unsigned char *q = *p;

	if (q >= end)
		return -1;
	if (q[0] < 192) {
		*out = q[0];
		*p = q + 1;
	} else if (q[0] < 224) {
		if (end - q < 2)
			return -1;
		*out = ((size_t)(q[0] - 192) << 8) + q[1] + 192;
		*p = q + 2;
	} else if (q[0] == 255) {
		if (end - q < 5)
			return -1;
		*out = (size_t)q[1] << 24 | (size_t)q[2] << 16 |
		       (size_t)q[3] << 8 | q[4];
		*p = q + 5;
	} else {
		return -1;	/* partial body lengths: not in keys or sigs */
	}
	return 0;
}

/* The packet at *p: its tag and body; *p moved past it. */
static int next_packet(const unsigned char **p, const unsigned char *end,
		       int *tag, const unsigned char **body, size_t *len)
{
	const unsigned char *q = *p;

	if (q >= end || !(q[0] & 0x80))
		return -1;
	if (q[0] & 0x40) {			/* new format */
		*tag = q[0] & 0x3f;
		q++;
		if (sublen(&q, end, len) < 0)
			return -1;
	} else {				/* old format */
		int lt = q[0] & 3, n = lt == 0 ? 1 : lt == 1 ? 2 : 4;

		*tag = (q[0] >> 2) & 0xf;
		if (lt == 3 || end - q < 1 + n)
			return -1;
		*len = 0;
		for (int i = 1; i <= n; i++)
			*len = *len << 8 | q[i];
		q += 1 + n;
	}
	if (*len > (size_t)(end - q))
		return -1;
	*body = q;
	*p = q + *len;
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* ---- signatures ---- */

struct sig {
	int type;
	uint32_t created;
	uint32_t key_expires;	/* seconds after the key's creation; 0 never */
	int has_key_expires;
	int flags;		/* key flags, -1 if none */
	unsigned char issuer[32];	/* fingerprint, or a key ID in [12..20) */
	size_t issuer_len;		/* 8 (key ID), 20 (v4) or 32 (v5) */
};

static int read_subpackets(struct sig *s, const unsigned char *p,
			   const unsigned char *end)
{
	while (p < end) {
		size_t l;

		if (sublen(&p, end, &l) < 0 || !l || l > (size_t)(end - p))
			return -1;
		switch (p[0] & 0x7f) {
		case SUB_CREATED:
			if (l == 5)
				s->created = be32(p + 1);
			break;
		case SUB_KEY_EXPIRES:
			if (l == 5) {
				s->key_expires = be32(p + 1);
				s->has_key_expires = 1;
			}
			break;
		case SUB_KEY_FLAGS:
			if (l >= 2)
				s->flags = p[1];
			break;
		case SUB_ISSUER:
			if (l == 9 && !s->issuer_len) {
				memcpy(s->issuer + 12, p + 1, 8);
				s->issuer_len = 8;
			}
			break;
		case SUB_ISSUER_FPR:	/* version, then 20 or 32 bytes */
			if (l == 22 || l == 34) {
				memcpy(s->issuer, p + 2, l - 2);
				s->issuer_len = l - 2;
			}
			break;
		}
		p += l;
	}
	return 0;
}

/* A version 4 (or 5) signature packet; with_unhashed, the unhashed
 * subpackets count too (nothing is verified anyway). */
static int read_sig(struct sig *s, const unsigned char *b, size_t len,
		    int with_unhashed)
{
	size_t hl, ul;

	memset(s, 0, sizeof(*s));
	s->flags = -1;
	if (len < 6 || (b[0] != 4 && b[0] != 5))
		return -1;
	s->type = b[1];
	hl = (size_t)b[4] << 8 | b[5];
	if (hl > len - 6 || read_subpackets(s, b + 6, b + 6 + hl) < 0)
		return -1;
	if (!with_unhashed)
		return 0;
	if (len - 6 - hl < 2)
		return -1;
	ul = (size_t)b[6 + hl] << 8 | b[7 + hl];
	if (ul > len - 8 - hl)
		return -1;
	return read_subpackets(s, b + 8 + hl, b + 8 + hl + ul);
}

int cf_pgp_sig_issuer(char out[65], const char *armored, size_t len)
{
	struct buf b64 = BUF_INIT;
	struct secbuf raw = SECBUF_INIT;
	const char *at = armored;
	const unsigned char *p, *end, *body;
	size_t plen;
	struct sig s;
	int tag, ret = -1;

	out[0] = '\0';
	raw.nolock = 1;
	if (!dearmor(&b64, &at, armored + len) || !b64.len ||
	    cf_base64_decode(&raw, b64.ptr, b64.len) < 0)
		goto out;
	p = (const unsigned char *)raw.ptr;
	end = p + raw.len;
	if (next_packet(&p, end, &tag, &body, &plen) < 0 || tag != TAG_SIG ||
	    read_sig(&s, body, plen, 0) < 0 || s.issuer_len < 20)
		goto out;
	cf_hex(out, s.issuer, s.issuer_len, 1);
	ret = 0;
out:
	buf_release(&b64);
	secbuf_release(&raw);
	return ret;
}

/* ---- keys ---- */

struct part {			/* the primary key or a subkey */
	char fpr[41];
	unsigned char fp[20];
	int algo;
	uint32_t created;
	int revoked;
	struct sig best;	/* newest self-signature or binding */
	int have_best;
};

struct key {
	struct part *v;		/* [0] the primary */
	size_t n;
	struct part *cur;	/* the last key packet, NULL if unreadable */
	int in_primary;		/* before the first user ID or subkey */
};

/* A version 4 key packet; its fingerprint is SHA-1 over 0x99, its
 * length and its body. */
static int read_part(struct part *k, const unsigned char *b, size_t len)
{
	unsigned char head[3] = { 0x99, (unsigned char)(len >> 8),
				  (unsigned char)len };
	gcry_md_hd_t h;

	memset(k, 0, sizeof(*k));
	if (len < 6 || len > 0xffff || b[0] != 4 || cf_crypt_init() < 0 ||
	    gcry_md_open(&h, GCRY_MD_SHA1, 0))
		return -1;
	k->created = be32(b + 1);
	k->algo = b[5];
	gcry_md_write(h, head, 3);
	gcry_md_write(h, b, len);
	memcpy(k->fp, gcry_md_read(h, GCRY_MD_SHA1), 20);
	gcry_md_close(h);
	cf_hex(k->fpr, k->fp, 20, 1);
	return 0;
}

/* Whether the primary made s (or s names no issuer). */
static int by_primary(const struct key *k, const struct sig *s)
{
	const unsigned char *fp = k->v[0].fp;

	if (s->issuer_len == 8)
		return !memcmp(s->issuer + 12, fp + 12, 8);
	return !s->issuer_len ||
	       (s->issuer_len == 20 && !memcmp(s->issuer, fp, 20));
}

/* A signature on the last key packet: a revocation, or a self-signature
 * or subkey binding whose flags and expiry hold if it is the newest. */
static void take_sig(struct key *k, const struct sig *s)
{
	struct part *p = k->cur;
	int primary = p && p == k->v;

	if (!p || !by_primary(k, s))
		return;		/* unreadable, or someone else's */
	if ((primary && k->in_primary && s->type == 0x20) ||
	    (!primary && s->type == 0x28)) {
		p->revoked = 1;
		return;
	}
	if (primary ? !((s->type >= 0x10 && s->type <= 0x13) || s->type == 0x1f)
		    : s->type != 0x18)
		return;
	if (!p->have_best || s->created >= p->best.created) {
		p->best = *s;
		p->have_best = 1;
	}
}

/* Without key flags, what the algorithm can do: RSA, ElGamal, ECDH. */
static int algo_encrypts(int algo)
{
	return algo == 1 || algo == 2 || algo == 16 || algo == 18;
}

static int64_t until(const struct part *p)
{
	return p->have_best && p->best.has_key_expires && p->best.key_expires ?
	       (int64_t)p->created + p->best.key_expires : 0;
}

/* The summary check needs: each part's key ID, whether it may encrypt
 * and until when, and the last moment an encryption key of it is usable
 * (the primary's expiry bounds its subkeys). */
static void summarize(struct cf_keyinfo *out, const struct key *k)
{
	int64_t primary = until(&k->v[0]);

	memset(out, 0, sizeof(*out));
	out->revoked = k->v[0].revoked;
	out->fprs = xcalloc(k->n + 1, sizeof(*out->fprs));
	out->parts = xcalloc(k->n + 1, sizeof(*out->parts));
	for (size_t i = 0; i < k->n; i++) {
		const struct part *p = &k->v[i];
		struct cf_keypart *o = &out->parts[i];
		int64_t u = until(p);
		int flags = p->have_best ? p->best.flags : -1;

		out->fprs[out->nfprs++] = xstrdup(p->fpr);
		if (i && primary && (!u || primary < u))
			u = primary;
		o->keyid = be64(p->fp + 12);
		o->expires = u;
		o->encrypts = !p->revoked &&
			      (flags >= 0 ? flags & FLAG_ENCRYPT :
			       algo_encrypts(p->algo));
		if (!o->encrypts)
			continue;
		if (!out->can_encrypt || !u || (out->expires && u > out->expires))
			out->expires = u;
		out->can_encrypt = 1;
	}
}

/* The key read so far, summarized into out; k is emptied. */
static void add_key(struct cf_keyinfo **out, size_t *n, struct key *k)
{
	if (k->n) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		summarize(&(*out)[(*n)++], k);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

/* A key packet: a new primary (the one before is done) or a subkey of
 * the current one. Keys of other versions are skipped. */
static void take_part(struct cf_keyinfo **out, size_t *n, struct key *k,
		      int tag, const unsigned char *body, size_t len)
{
	struct part part;
	int readable = read_part(&part, body, len) == 0;

	if (tag == TAG_KEY) {
		add_key(out, n, k);
		if (!readable)
			return;	/* k->cur stays NULL: its packets are skipped */
	} else if (!k->n || !readable) {
		k->cur = NULL;
		return;
	}
	k->v = xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
	k->v[k->n] = part;
	k->cur = &k->v[k->n++];
	k->in_primary = tag == TAG_KEY;
}

/* The packets of one armored block. */
static int read_keys(struct cf_keyinfo **out, size_t *n,
		     const unsigned char *p, const unsigned char *end)
{
	struct key k = { NULL, 0, NULL, 0 };

	while (p < end) {
		const unsigned char *body;
		size_t len;
		int tag;
		struct sig s;

		if (next_packet(&p, end, &tag, &body, &len) < 0) {
			free(k.v);
			return -1;
		}
		if (tag == TAG_KEY || tag == TAG_SUBKEY)
			take_part(out, n, &k, tag, body, len);
		else if (tag == TAG_UID || tag == TAG_ATTR)
			k.in_primary = 0;
		else if (tag == TAG_SIG && read_sig(&s, body, len, 1) == 0)
			take_sig(&k, &s);
	}
	add_key(out, n, &k);
	return 0;
}

int cf_pgp_keys(struct cf_keyinfo **out, size_t *n, const char *data,
		size_t len)
{
	struct buf b64 = BUF_INIT;
	struct secbuf raw = SECBUF_INIT;
	const char *at = data;
	int ret = 0, blocks = 0;

	*out = NULL;
	*n = 0;
	raw.nolock = 1;
	while (ret == 0 && dearmor(&b64, &at, data + len)) {
		blocks++;
		if (cf_base64_decode(&raw, b64.ptr, b64.len) < 0 ||
		    read_keys(out, n, (const unsigned char *)raw.ptr,
			      (const unsigned char *)raw.ptr + raw.len) < 0)
			ret = cf_error_set(CF_EINTEGRITY,
					   "not an OpenPGP public key");
	}
	if (!blocks && ret == 0)
		ret = cf_error_set(CF_EINTEGRITY, "no armored OpenPGP key");
	if (ret < 0) {
		cf_keyinfo_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	buf_release(&b64);
	secbuf_release(&raw);
	return ret;
}

void cf_keyinfo_free(struct cf_keyinfo *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cf_strv_free(v[i].fprs, v[i].nfprs);
		free(v[i].parts);
	}
	free(v);
}

const struct cf_keyinfo *cf_keyinfo_find(const struct cf_keyinfo *v,
					 size_t n, const char *fpr)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < v[i].nfprs; k++)
			if (!strcasecmp(v[i].fprs[k], fpr))
				return &v[i];
	return NULL;
}

/* ---- messages ---- */

/* The tag of the packet header at p, -1 if none starts there. */
static int peek_tag(const unsigned char *p, const unsigned char *end)
{
	if (p >= end || !(p[0] & 0x80))
		return -1;
	return p[0] & 0x40 ? p[0] & 0x3f : (p[0] >> 2) & 0xf;
}

/* Whether the packet at p ends exactly at end. Its body may come in
 * partial lengths (gpg streams encrypted data so), or, in the old
 * format, run to the end. */
static int ends_at(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p, *body;
	size_t len;
	int tag;

	if (!(p[0] & 0x40)) {
		if ((p[0] & 3) == 3)
			return 1;	/* indeterminate: to the end */
		return next_packet(&q, end, &tag, &body, &len) == 0 &&
		       q == end;
	}
	q++;
	while (q < end && q[0] >= 224 && q[0] < 255) {
		size_t part = (size_t)1 << (q[0] & 0x1f);

		if (part > (size_t)(end - ++q))
			return 0;
		q += part;
	}
	return sublen(&q, end, &len) == 0 && len == (size_t)(end - q);
}

/* The key ID a public-key encrypted session key packet names, 0 for
 * none. Version 3: the key ID. Version 6: a size, then the key's
 * version and fingerprint (none if the size is 0). */
static int pkesk_id(uint64_t *out, const unsigned char *b, size_t len,
		    const char **why)
{
	*why = "a session key packet is cut short";
	if (!len)
		return -1;
	if (b[0] == 3) {
		if (len < 10)
			return -1;
		*out = be64(b + 1);
		return 0;
	}
	if (b[0] != 6) {
		*why = "a session key packet of an unknown version";
		return -1;
	}
	if (len < 3 || len < 3 + (size_t)b[1])
		return -1;
	*why = "a session key packet names a key of an unknown version";
	if (b[1] == 0)
		*out = 0;
	else if (b[1] == 21 && b[2] == 4)
		*out = be64(b + 3 + 12);	/* v4: the last 8 bytes */
	else if (b[1] == 33 && b[2] == 6)
		*out = be64(b + 3);		/* v6: the first 8 */
	else
		return -1;
	return 0;
}

/* The recipients in the packets of a message (see pgp.h). */
static int read_recipients(uint64_t **out, size_t *n, const unsigned char *p,
			   const unsigned char *end, const char **why)
{
	while (p < end) {
		const unsigned char *body;
		size_t len;
		uint64_t id = CF_PGP_ANYONE;
		int tag = peek_tag(p, end);

		if (tag == TAG_SED || tag == TAG_SEIPD || tag == TAG_AEAD) {
			*why = "its encrypted data is cut short or followed "
			       "by more";
			return ends_at(p, end) ? 0 : -1;
		}
		*why = "a packet's length is wrong";
		if (next_packet(&p, end, &tag, &body, &len) < 0)
			return -1;
		if (tag == TAG_MARKER)
			continue;
		*why = "a packet other than a session key comes before its "
		       "encrypted data";
		if (tag != TAG_PKESK && tag != TAG_SKESK)
			return -1;
		if (tag == TAG_PKESK && pkesk_id(&id, body, len, why) < 0)
			return -1;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = id;
	}
	*why = "it holds no encrypted data";
	return -1;
}

int cf_pgp_pkesk_ids(uint64_t **out, size_t *n, const char *armored,
		     size_t len)
{
	struct buf b64 = BUF_INIT;
	struct secbuf raw = SECBUF_INIT;
	const char *at = armored, *why = NULL;
	const unsigned char *p;
	int ret = -1;

	*out = NULL;
	*n = 0;
	raw.nolock = 1;
	if (!dearmor(&b64, &at, armored + len) || !b64.len)
		why = "no armored OpenPGP data";
	else if (cf_base64_decode(&raw, b64.ptr, b64.len) < 0)
		why = "its armor is not base64";
	else if (dearmor(&b64, &at, armored + len))
		why = "a second armored block follows it";
	else if (p = (const unsigned char *)raw.ptr,
		 read_recipients(out, n, p, p + raw.len, &why) == 0)
		ret = 0;
	if (ret < 0) {
		ret = cf_error_set(CF_EINTEGRITY,
				   "not an encrypted OpenPGP message: %s", why);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	buf_release(&b64);
	secbuf_release(&raw);
	return ret;
}

int cf_pgp_enc_only_for(const char *armored, size_t len,
			const struct cf_keyinfo *key)
{
	uint64_t *ids = NULL;
	size_t n = 0;
	int ret;

	if ((ret = cf_pgp_pkesk_ids(&ids, &n, armored, len)) < 0)
		goto out;
	if (!key || n != 1 || ids[0] == CF_PGP_ANYONE)
		goto out;	/* ret is 0 */
	for (size_t i = 0; i < key->nfprs; i++)
		if (key->parts[i].keyid == ids[0] && key->parts[i].encrypts)
			ret = 1;
out:
	free(ids);
	return ret;
}
