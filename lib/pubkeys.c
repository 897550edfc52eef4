/* pubkeys.c: .coffer/keys read, and sops.pgp entries judged by it. */
#include "common.h"

#include <dirent.h>

#include "fsutil.h"
#include "pubkeys.h"

#define KEY_FILE_MAX (1u << 20)

void cf_pubkeys_read(struct cf_pubkeys *out, const char *root,
		     void (*bad)(const char *path, const char *why, void *arg),
		     void *arg)
{
	struct buf dir = BUF_INIT;
	DIR *d;
	struct dirent *e;

	memset(out, 0, sizeof(*out));
	buf_addf(&dir, "%s/.coffer/keys", root);
	if (!(d = opendir(dir.ptr))) {
		buf_release(&dir);
		return;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name), nk = 0;
		struct secbuf file = SECBUF_INIT;
		struct buf path = BUF_INIT;
		struct cf_keyinfo *k = NULL;

		if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".asc"))
			continue;
		buf_addf(&path, "%s/%s", dir.ptr, e->d_name);
		if (cf_file_read(&file, path.ptr, KEY_FILE_MAX) < 0 ||
		    cf_pgp_keys(&k, &nk, file.ptr, file.len) < 0) {
			buf_reset(&path);
			buf_addf(&path, ".coffer/keys/%s", e->d_name);
			if (bad)
				bad(path.ptr, cf_error_last(), arg);
		}
		out->v = xrealloc(out->v, (out->n + nk + 1) * sizeof(*out->v));
		for (size_t i = 0; i < nk; i++)
			out->v[out->n++] = k[i];
		free(k);	/* its entries moved */
		secbuf_release(&file);
		buf_release(&path);
	}
	closedir(d);
	buf_release(&dir);
}

void cf_pubkeys_release(struct cf_pubkeys *k)
{
	cf_keyinfo_free(k->v, k->n);
	memset(k, 0, sizeof(*k));
}

int cf_pubkeys_entry_ok(const struct cf_pubkeys *k,
			const struct cf_sops_pgp *e)
{
	const struct cf_keyinfo *ki = cf_keyinfo_find(k->v, k->n, e->fp);

	if (!e->only)
		return 0;
	if (!ki)	/* check reports the missing key file */
		return 1;
	for (size_t i = 0; i < ki->nfprs; i++)
		if (ki->parts[i].keyid == e->only)
			return ki->parts[i].encrypts;
	return 0;
}
