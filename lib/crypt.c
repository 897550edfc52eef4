/* crypt.c: libgcrypt, getrandom and GPGME. */
#include <ctype.h>
#include <errno.h>
#include <gcrypt.h>
#include <gpgme.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "error.h"
#include "crypt.h"

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

	do {
		if (cf_random(&r, sizeof(r)) < 0)
			return -1;
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
	int ret = 0;

	if (gcm_open(&h, key, iv, ivlen, aad, aadlen) < 0)
		return -1;
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
	int ret = 0;

	if (taglen != CF_TAG_LEN || ivlen == 0)
		return cf_error_set(CF_EINTEGRITY, "bad IV or tag length");
	if (gcm_open(&h, key, iv, ivlen, aad, aadlen) < 0)
		return -1;
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

void cf_hex(char *out, const unsigned char *d, size_t n, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
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

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void cf_base64_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		buf_addch(out, b64[v >> 18 & 63]);
		buf_addch(out, b64[v >> 12 & 63]);
		buf_addch(out, i + 1 < len ? b64[v >> 6 & 63] : '=');
		buf_addch(out, i + 2 < len ? b64[v & 63] : '=');
	}
	if (!out->ptr)
		buf_adds(out, "");
}

int cf_base64_decode(struct secbuf *out, const char *s, size_t len)
{
	unsigned v = 0;
	int bits = 0;
	size_t pad = 0;

	secbuf_reset(out);
	if (len % 4)
		goto bad;
	for (size_t i = 0; i < len; i++) {
		const char *c;

		if (s[i] == '=') {
			if (i < len - 2)
				goto bad;
			pad++;
			continue;
		}
		if (pad || !(c = memchr(b64, s[i], 64)) || !s[i])
			goto bad;
		v = v << 6 | (unsigned)(c - b64);
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

/* ---- GPGME ---- */

static int gpg_ready;

static char *find_gpg(void)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!path || !*path)
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s/gpg", dir);
		if (access(b.ptr, X_OK) == 0) {
			found = buf_detach(&b);
			break;
		}
		buf_release(&b);
	}
	free(copy);
	return found ? found : xstrdup("/usr/bin/gpg");
}

int cf_gpg_init(void)
{
	char *gpg;

	if (gpg_ready)
		return 0;
	/* Skip the gpgconf spawns of the default initialisation
	 * (PERF-NOTES: 30-39 ms down to ~8 ms). */
	gpg = find_gpg();
	gpgme_set_global_flag("disable-gpgconf", "1");
	gpgme_set_global_flag("gpg-name", gpg);
	free(gpg);
	if (!gpgme_check_version(GPGME_VERSION))
		return cf_error_set(CF_EGENERIC, "GPGME is too old");
	if (gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP))
		return cf_error_set(CF_EDECRYPT, "GnuPG (gpg) is not usable");
	gpg_ready = 1;
	return 0;
}

static int new_ctx(gpgme_ctx_t *ctx)
{
	if (cf_gpg_init() < 0)
		return -1;
	if (gpgme_new(ctx))
		return cf_error_set(CF_EGENERIC, "cannot create a GPGME context");
	gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_pinentry_mode(*ctx, GPGME_PINENTRY_MODE_DEFAULT);
	return 0;
}

static ssize_t sec_write(void *handle, const void *data, size_t size)
{
	secbuf_add(handle, data, size);
	return (ssize_t)size;
}

static ssize_t buf_write(void *handle, const void *data, size_t size)
{
	buf_add(handle, data, size);
	return (ssize_t)size;
}

static struct gpgme_data_cbs sec_cbs = { NULL, sec_write, NULL, NULL };
static struct gpgme_data_cbs buf_cbs = { NULL, buf_write, NULL, NULL };

int cf_gpg_decrypt(struct secbuf *out, const char *msg, size_t len)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t in = NULL, plain = NULL;
	gpgme_error_t err;
	int ret = -1;

	secbuf_reset(out);
	if (new_ctx(&ctx) < 0)
		return -1;
	if (gpgme_data_new_from_mem(&in, msg, len, 0) ||
	    gpgme_data_new_from_cbs(&plain, &sec_cbs, out)) {
		ret = cf_error_set(CF_EGENERIC, "cannot create GPGME data");
		goto out;
	}
	gpgme_data_set_flag(plain, "sensitive", "1");
	err = gpgme_op_decrypt(ctx, in, plain);
	if (err) {
		ret = cf_error_set(CF_EDECRYPT, "%s", gpgme_strerror(err));
		secbuf_reset(out);
		goto out;
	}
	ret = 0;
out:
	gpgme_data_release(in);
	gpgme_data_release(plain);
	gpgme_release(ctx);
	return ret;
}

static void trim(struct buf *b)
{
	while (b->len && (b->ptr[b->len - 1] == '\n' ||
			  b->ptr[b->len - 1] == '\r' ||
			  b->ptr[b->len - 1] == ' '))
		b->ptr[--b->len] = '\0';
}

int cf_gpg_encrypt(struct buf *out, const void *data, size_t len,
		   const char *fpr)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t plain = NULL, cipher = NULL;
	gpgme_encrypt_result_t res;
	gpgme_error_t err;
	int ret = -1;

	buf_reset(out);
	if (new_ctx(&ctx) < 0)
		return -1;
	gpgme_set_armor(ctx, 1);
	if (gpgme_data_new_from_mem(&plain, data, len, 0) ||
	    gpgme_data_new_from_cbs(&cipher, &buf_cbs, out)) {
		ret = cf_error_set(CF_EGENERIC, "cannot create GPGME data");
		goto out;
	}
	gpgme_data_set_flag(plain, "sensitive", "1");
	err = gpgme_op_encrypt_ext(ctx, NULL, fpr,
				   GPGME_ENCRYPT_ALWAYS_TRUST |
				   GPGME_ENCRYPT_NO_ENCRYPT_TO,
				   plain, cipher);
	res = gpgme_op_encrypt_result(ctx);
	if (err || (res && res->invalid_recipients)) {
		ret = cf_error_set(CF_ENOTFOUND,
			"cannot encrypt to key %s: %s", fpr,
			err ? gpgme_strerror(err) : "unusable public key");
		goto out;
	}
	trim(out);
	ret = 0;
out:
	gpgme_data_release(plain);
	gpgme_data_release(cipher);
	gpgme_release(ctx);
	return ret;
}

void cf_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cf_keyring_release(struct cf_keyring *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].fpr);
		free(k->v[i].email);
		gpgme_key_unref((gpgme_key_t)k->v[i].handle);
	}
	free(k->v);
	k->v = NULL;
	k->n = 0;
}

const struct cf_key *cf_keyring_find(const struct cf_keyring *k,
				     const char *fpr)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcasecmp(k->v[i].fpr, fpr))
			return &k->v[i];
	return NULL;
}

int cf_gpg_secret_keys(struct cf_keyring *out)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key;

	out->v = NULL;
	out->n = 0;
	if (new_ctx(&ctx) < 0)
		return -1;
	if (gpgme_op_keylist_start(ctx, NULL, 1)) {
		gpgme_release(ctx);
		return cf_error_set(CF_EDECRYPT, "cannot list secret keys");
	}
	while (!gpgme_op_keylist_next(ctx, &key)) {
		struct cf_key *k;

		if (!key->fpr || key->revoked || key->disabled) {
			gpgme_key_unref(key);
			continue;
		}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		k = &out->v[out->n++];
		k->fpr = xstrdup(key->fpr);
		for (char *p = k->fpr; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		k->email = xstrdup(key->uids && key->uids->email ?
				   key->uids->email : "");
		k->handle = key;
	}
	gpgme_op_keylist_end(ctx);
	gpgme_release(ctx);
	return 0;
}

int cf_gpg_import(const void *data, size_t len, char ***fprs, size_t *n)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t in = NULL;
	gpgme_import_result_t res;
	int ret = 0;

	if (fprs) {
		*fprs = NULL;
		*n = 0;
	}
	if (new_ctx(&ctx) < 0)
		return -1;
	if (gpgme_data_new_from_mem(&in, data, len, 0) ||
	    gpgme_op_import(ctx, in) || !(res = gpgme_op_import_result(ctx)) ||
	    !res->considered) {
		ret = cf_error_set(CF_EINTEGRITY, "no OpenPGP key to import");
		goto out;
	}
	for (gpgme_import_status_t st = res->imports; fprs && st; st = st->next) {
		char *f;

		if (st->result || !st->fpr || (st->status & GPGME_IMPORT_SECRET))
			continue;
		f = xstrdup(st->fpr);
		for (char *p = f; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		*fprs = xrealloc(*fprs, (*n + 1) * sizeof(**fprs));
		(*fprs)[(*n)++] = f;
	}
out:
	gpgme_data_release(in);
	gpgme_release(ctx);
	return ret;
}

int cf_gpg_export(struct buf *out, const char *fpr)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t d = NULL;
	int ret = 0;

	buf_reset(out);
	if (new_ctx(&ctx) < 0)
		return -1;
	gpgme_set_armor(ctx, 1);
	if (gpgme_data_new_from_cbs(&d, &buf_cbs, out) ||
	    gpgme_op_export(ctx, fpr, GPGME_EXPORT_MODE_MINIMAL, d) ||
	    !out->len)
		ret = cf_error_set(CF_ENOTFOUND, "cannot export key %s", fpr);
	gpgme_data_release(d);
	gpgme_release(ctx);
	return ret;
}

int cf_gpg_sign(struct buf *out, const struct cf_key *key, const void *data,
		size_t len)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t in = NULL, sig = NULL;
	gpgme_sign_result_t res;
	int ret = -1;

	buf_reset(out);
	if (new_ctx(&ctx) < 0)
		return -1;
	gpgme_set_armor(ctx, 1);
	gpgme_signers_add(ctx, (gpgme_key_t)key->handle);
	if (gpgme_data_new_from_mem(&in, data, len, 0) ||
	    gpgme_data_new_from_cbs(&sig, &buf_cbs, out)) {
		ret = cf_error_set(CF_EGENERIC, "cannot create GPGME data");
		goto out;
	}
	if (gpgme_op_sign(ctx, in, sig, GPGME_SIG_MODE_DETACH) ||
	    !(res = gpgme_op_sign_result(ctx)) || !res->signatures) {
		ret = cf_error_set(CF_EDECRYPT, "cannot sign with key %s",
				   key->fpr);
		goto out;
	}
	ret = 0;
out:
	gpgme_data_release(in);
	gpgme_data_release(sig);
	gpgme_release(ctx);
	return ret;
}

void cf_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char d[32];

	gcry_md_hash_buffer(GCRY_MD_SHA256, d, data, len);
	cf_hex(out, d, sizeof(d), 0);
}
