/* crypt.c: libgcrypt (AES-256-GCM, SHA-512, SHA-256) and getrandom.
 * OpenPGP is gpg.c; hex and base64 are encode.c. */
#include "common.h"

#include <errno.h>
#include <gcrypt.h>
#include <string.h>
#include <sys/random.h>

#include "crypt.h"
#include "encode.h"
#include "error.h"

int cf_crypt_init(void)
{
	static int done;

	if (done)
		return 0;
	if (!gcry_check_version(GCRYPT_VERSION))
		return cf_error_set(CF_EGENERIC, "libgcrypt is too old");
	/* Plaintext is kept in our own wiping buffers, not in gcrypt's
	 * secure memory, which would need privileges to lock. */
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	done = 1;
	return 0;
}

int cf_random(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return cf_error_set(CF_EGENERIC, "getrandom: %s",
					    strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int cf_random_uniform(uint32_t *out, uint32_t n)
{
	/* Reject the top part of the range that would bias the modulo. */
	uint32_t limit = UINT32_MAX - (uint32_t)(((uint64_t)UINT32_MAX + 1) % n);
	uint32_t r;
	int ret;

	do {
		if ((ret = cf_random(&r, sizeof(r))) < 0)
			return ret;
	} while (r > limit);
	*out = r % n;
	return 0;
}

static int gcm_open(gcry_cipher_hd_t *h, const unsigned char *key,
		    const unsigned char *iv, size_t ivlen,
		    const void *aad, size_t aadlen)
{
	if (gcry_cipher_open(h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0))
		return cf_error_set(CF_EGENERIC, "cannot open AES-GCM");
	if (gcry_cipher_setkey(*h, key, CF_DATAKEY_LEN) ||
	    gcry_cipher_setiv(*h, iv, ivlen) ||
	    gcry_cipher_authenticate(*h, aad, aadlen)) {
		gcry_cipher_close(*h);
		return cf_error_set(CF_EGENERIC, "cannot set up AES-GCM");
	}
	return 0;
}

int cf_aes_gcm_encrypt(unsigned char *ct, unsigned char tag[CF_TAG_LEN],
		       const unsigned char key[CF_DATAKEY_LEN],
		       const unsigned char *iv, size_t ivlen,
		       const void *aad, size_t aadlen,
		       const void *pt, size_t ptlen)
{
	gcry_cipher_hd_t h;
	int ret;

	if ((ret = gcm_open(&h, key, iv, ivlen, aad, aadlen)) < 0)
		return ret;
	gcry_cipher_final(h);
	if (gcry_cipher_encrypt(h, ct, ptlen, pt, ptlen) ||
	    gcry_cipher_gettag(h, tag, CF_TAG_LEN))
		ret = cf_error_set(CF_EGENERIC, "AES-GCM encryption failed");
	gcry_cipher_close(h);
	return ret;
}

int cf_aes_gcm_decrypt(struct secbuf *out,
		       const unsigned char key[CF_DATAKEY_LEN],
		       const unsigned char *iv, size_t ivlen,
		       const void *aad, size_t aadlen,
		       const unsigned char *ct, size_t ctlen,
		       const unsigned char *tag, size_t taglen)
{
	gcry_cipher_hd_t h;
	int ret;

	if (taglen != CF_TAG_LEN || ivlen == 0)
		return cf_error_set(CF_EINTEGRITY, "bad IV or tag length");
	if ((ret = gcm_open(&h, key, iv, ivlen, aad, aadlen)) < 0)
		return ret;
	secbuf_reset(out);
	secbuf_grow(out, ctlen);
	gcry_cipher_final(h);
	if (gcry_cipher_decrypt(h, out->ptr, ctlen, ct, ctlen)) {
		ret = cf_error_set(CF_EGENERIC, "AES-GCM decryption failed");
	} else if (gcry_cipher_checktag(h, tag, taglen)) {
		ret = cf_error_set(CF_EINTEGRITY,
				   "authentication tag does not verify");
	} else {
		out->len = ctlen;
		out->ptr[ctlen] = '\0';
	}
	if (ret < 0)
		secbuf_reset(out);
	gcry_cipher_close(h);
	return ret;
}

int cf_sha512_init(struct cf_sha512 *s)
{
	gcry_md_hd_t h;

	if (gcry_md_open(&h, GCRY_MD_SHA512, 0))
		return cf_error_set(CF_EGENERIC, "cannot open SHA-512");
	s->h = h;
	return 0;
}

void cf_sha512_update(struct cf_sha512 *s, const void *data, size_t len)
{
	gcry_md_write((gcry_md_hd_t)s->h, data, len);
}

void cf_sha512_final_hex(struct cf_sha512 *s, char out[129])
{
	cf_hex(out, gcry_md_read((gcry_md_hd_t)s->h, GCRY_MD_SHA512), 64, 1);
	cf_sha512_release(s);
}

void cf_sha512_release(struct cf_sha512 *s)
{
	if (s->h)
		gcry_md_close((gcry_md_hd_t)s->h);
	s->h = NULL;
}

void cf_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char d[32];

	gcry_md_hash_buffer(GCRY_MD_SHA256, d, data, len);
	cf_hex(out, d, sizeof(d), 0);
}
