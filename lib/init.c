/* init.c: creating a store. */
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commitmsg.h"
#include "crypt.h"
#include "error.h"
#include "fsutil.h"
#include "init.h"
#include "journal.h"
#include "members.h"
#include "policy.h"
#include "repo.h"
#include "store.h"
#include "timeutil.h"
#include "txn.h"
#include "write.h"

static int dir_state(const char *dir, int *exists, int *empty, int *gitrepo)
{
	struct buf b = BUF_INIT;
	struct stat st;
	DIR *d;
	struct dirent *e;

	*exists = *empty = *gitrepo = 0;
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return cf_error_set(CF_EGENERIC, "cannot read '%s': %s", dir,
				    strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return cf_error_set(CF_EGENERIC, "'%s' is not a directory", dir);
	*exists = 1;
	*empty = 1;
	if (!(d = opendir(dir)))
		return cf_error_set(CF_EGENERIC, "cannot read '%s': %s", dir,
				    strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			*empty = 0;
	closedir(d);
	buf_addf(&b, "%s/.git", dir);
	*gitrepo = stat(b.ptr, &st) == 0 && S_ISDIR(st.st_mode);
	buf_reset(&b);
	buf_addf(&b, "%s/.coffer", dir);
	if (stat(b.ptr, &st) == 0) {
		buf_release(&b);
		return cf_error_set(CF_ECONFLICT, "'%s' is already a coffer store",
				    dir);
	}
	buf_release(&b);
	return 0;
}

/* The user's key: --key, else the only secret key in the keyring. */
static int pick_key(const struct cf_key **out, const struct cf_keyring *ring,
		    const char *want)
{
	if (want) {
		if (!cf_fpr_valid(want))
			return cf_error_set(CF_EUSAGE,
				"--key needs a full fingerprint (40 or 64 hex digits)");
		if (!(*out = cf_keyring_find(ring, want)))
			return cf_error_set(CF_EDECRYPT,
				"no secret key %s in the keyring", want);
		return 0;
	}
	if (ring->n == 1) {
		*out = &ring->v[0];
		return 0;
	}
	return ring->n ? cf_error_set(CF_EUSAGE,
			"several secret keys in the keyring; choose one with --key FPR") :
		cf_error_set(CF_EDECRYPT,
			"no secret key in the keyring (create one with 'gpg --quick-generate-key')");
}

/* A principal name from the key's e-mail local part, e.g. alice. */
static void default_name(struct buf *out, const char *email)
{
	for (const char *p = email; *p && *p != '@'; p++) {
		char c = (char)tolower((unsigned char)*p);

		buf_addch(out, isalnum((unsigned char)c) || strchr("._-", c) ?
			  c : '-');
	}
	if (!out->len || !isalnum((unsigned char)out->ptr[0])) {
		buf_reset(out);
		buf_adds(out, "admin");
	}
}

static void policy_text(struct buf *out, const char *name, const char *fpr)
{
	buf_addf(out,
		CF_POLICY_HEADER
		"version: 1\n"
		"principals:\n"
		"    %s:\n"
		"        keys: [%s]\n"
		"groups:\n"
		"    admins: [%s]\n"
		"policies:\n"
		"    group:admins:\n"
		"        allow:\n"
		"            - actions: [\"*\"]\n"
		"              resources: [\"*\"]\n"
		"settings:\n"
		"    require_signed_commits: true\n", name, fpr, name);
}

int cf_store_create(const struct cf_init *in, struct buf *root,
		    struct buf *name, struct buf *fpr)
{
	struct buf pol = BUF_INIT, key = BUF_INIT, keypath = BUF_INIT,
		   msg = BUF_INIT, journal = BUF_INIT, jpath = BUF_INIT;
	struct cf_keyring ring = { NULL, 0 };
	const struct cf_key *me = NULL;
	struct cf_repo repo = { NULL };
	struct cf_commit_info info;
	struct cf_policy check;
	struct cf_txn txn;
	int ret, exists, empty, gitrepo;
	char id[41], *abs = NULL;

	cf_txn_init(&txn, NULL, NULL);
	if (in->name && !cf_principal_name_valid(in->name))
		return cf_error_set(CF_EUSAGE, "bad principal name '%s'",
				    in->name);
	if ((ret = dir_state(in->dir, &exists, &empty, &gitrepo)) < 0)
		goto out;
	if (exists && !empty && !gitrepo && !in->force) {
		ret = cf_error_set(CF_EGENERIC,
			"'%s' is not empty and not a git repository (use --force)",
			in->dir);
		goto out;
	}
	if ((ret = cf_gpg_secret_keys(&ring)) < 0 ||
	    (ret = pick_key(&me, &ring, in->key)) < 0)
		goto out;
	if (in->name)
		buf_adds(name, in->name);
	else
		default_name(name, me->email);
	policy_text(&pol, name->ptr, me->fpr);
	/* what we write must be what we accept */
	ret = cf_policy_parse(&check, pol.ptr, pol.len, CF_POLICY_PATH);
	cf_policy_release(&check);
	if (ret < 0 || (ret = cf_gpg_export(&key, me->fpr)) < 0)
		goto out;
	if ((ret = cf_mkdirs(in->dir)) < 0 ||
	    (ret = (gitrepo ? cf_repo_open(&repo, in->dir) :
			      cf_repo_init(&repo, in->dir))) < 0)
		goto out;
	abs = realpath(in->dir, NULL);
	buf_addf(&journal, "%s/.git", abs);
	cf_journal_path(&jpath, journal.ptr);
	cf_txn_init(&txn, abs, jpath.ptr);
	buf_addf(&keypath, ".coffer/keys/%s.asc", name->ptr);
	cf_txn_put(&txn, CF_POLICY_PATH, pol.ptr, pol.len);
	cf_txn_put(&txn, keypath.ptr, key.ptr, key.len);
	cf_commitmsg_format(&msg, &(struct cf_commitmsg){ .op = CF_OP_INIT });
	memset(&info, 0, sizeof(info));
	info.message = msg.ptr;
	info.name = name->ptr;
	info.email = me->email;
	info.when = cf_now();
	info.sign = cf_write_sign;
	info.sign_arg = me;
	if ((ret = cf_txn_commit(&txn, &repo, &info, id)) < 0)
		goto out;
	buf_adds(root, abs);
	buf_adds(fpr, me->fpr);
out:
	cf_txn_release(&txn);
	if (repo.repo)
		cf_repo_close(&repo);
	cf_keyring_release(&ring);
	free(abs);
	buf_release(&pol);
	buf_release(&key);
	buf_release(&keypath);
	buf_release(&msg);
	buf_release(&journal);
	buf_release(&jpath);
	return ret;
}
