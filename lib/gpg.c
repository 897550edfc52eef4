/* gpg.c: OpenPGP through GPGME. Plaintext (data keys) only ever goes to
 * a secbuf, through callbacks, with GPGME's "sensitive" flag set. */
#include "common.h"

#include <ctype.h>
#include <gpgme.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "gpg.h"
#include "names.h"

static int gpg_ready;

/* The first gpg on PATH, empty entries skipped; /usr/bin/gpg if none. */
static char *find_gpg(void)
{
	const char *path = getenv("PATH");
	char *found = NULL;

	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path && !found) {
		size_t len = strcspn(path, ":");

		if (len) {
			struct buf b = BUF_INIT;

			buf_add(&b, path, len);
			buf_adds(&b, "/gpg");
			if (access(b.ptr, X_OK) == 0)
				found = buf_detach(&b);
			buf_release(&b);
		}
		path += len;
		if (*path == ':')
			path++;
	}
	return found ? found : xstrdup("/usr/bin/gpg");
}

static void upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
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
	int ret;

	*ctx = NULL;
	if ((ret = cf_gpg_init()) < 0)
		return ret;
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
	if ((ret = new_ctx(&ctx)) < 0)
		goto out;
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
	if ((ret = new_ctx(&ctx)) < 0)
		goto out;
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
	int ret;

	out->v = NULL;
	out->n = 0;
	if ((ret = new_ctx(&ctx)) < 0)
		return ret;
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
		upper(k->fpr);
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
	if ((ret = new_ctx(&ctx)) < 0)
		goto out;
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
		upper(f);
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
	if ((ret = new_ctx(&ctx)) < 0)
		return ret;
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
	if ((ret = new_ctx(&ctx)) < 0)
		goto out;
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

int cf_gpg_verify(char fpr[65], const void *sig, size_t siglen,
		  const void *data, size_t len)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t s = NULL, d = NULL;
	gpgme_verify_result_t res;
	int ret;

	*fpr = '\0';
	if ((ret = new_ctx(&ctx)) < 0)
		goto out;
	if (gpgme_data_new_from_mem(&s, sig, siglen, 0) ||
	    gpgme_data_new_from_mem(&d, data, len, 0)) {
		ret = cf_error_set(CF_EGENERIC, "cannot create GPGME data");
		goto out;
	}
	/* a good signature by a key in the keyring; its trust is not asked
	 * (the caller maps the key to a principal of the policy) */
	ret = cf_error_set(CF_EINTEGRITY, "no good signature");
	if (gpgme_op_verify(ctx, s, d, NULL) == 0 &&
	    (res = gpgme_op_verify_result(ctx)) && res->signatures &&
	    !res->signatures->next &&
	    gpgme_err_code(res->signatures->status) == GPG_ERR_NO_ERROR &&
	    res->signatures->fpr && strlen(res->signatures->fpr) < 65) {
		snprintf(fpr, 65, "%s", res->signatures->fpr);
		cf_fpr_upper(fpr);
		ret = 0;
	}
out:
	gpgme_data_release(s);
	gpgme_data_release(d);
	gpgme_release(ctx);
	return ret;
}
