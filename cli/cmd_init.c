/* cmd_init.c: coffer init creates a store: a git repository, a policy
 * that makes the initializing principal admin, its public key, and the
 * first (signed) commit. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"

enum { O_KEY, O_NAME, O_FORCE };

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
		"# coffer policy: who may do what to which secrets.\n"
		"# See coffer-policy(5). Change it with 'coffer policy edit'.\n"
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

int cmd_init(int argc, char **argv, struct ctx *ctx)
{
	struct buf dir = BUF_INIT, name = BUF_INIT, pol = BUF_INIT,
		   key = BUF_INIT, keypath = BUF_INIT;
	const char *arg, *want_key = NULL, *want_name = NULL;
	struct cf_keyring ring = { NULL, 0 };
	const struct cf_key *me = NULL;
	struct cf_repo repo = { NULL };
	struct cf_commit_info info;
	struct cf_policy check;
	struct cf_txn txn;
	int c, ret = 0, force = 0, exists, empty, gitrepo;
	char id[41], *root = NULL;

	cf_txn_init(&txn, NULL);
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_LONG(O_KEY): want_key = arg; break;
		case OPT_LONG(O_NAME): want_name = arg; break;
		case 'f': force = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind + 1 < argc)
		return usage_error(ctx, "expected at most one DIR");
	if (optind < argc) {
		buf_adds(&dir, argv[optind]);
	} else if (ctx->store_dir || getenv("COFFER_STORE")) {
		cf_store_locate(&dir, ctx->store_dir);
	} else {
		const char *x = getenv("XDG_DATA_HOME"), *h = getenv("HOME");

		if (x && *x)
			buf_addf(&dir, "%s/coffer", x);
		else if (h && *h)
			buf_addf(&dir, "%s/.local/share/coffer", h);
		else
			return failf(ctx, EXIT_USAGE, "no DIR given and HOME is not set");
	}
	if (want_name && !cf_principal_name_valid(want_name))
		return usage_error(ctx, "bad principal name '%s'", want_name);
	if ((ret = dir_state(dir.ptr, &exists, &empty, &gitrepo)) < 0)
		goto out;
	if (exists && !empty && !gitrepo && !force) {
		ret = cf_error_set(CF_EGENERIC,
			"'%s' is not empty and not a git repository (use --force)",
			dir.ptr);
		goto out;
	}
	if ((ret = cf_gpg_secret_keys(&ring)) < 0 ||
	    (ret = pick_key(&me, &ring, want_key)) < 0)
		goto out;
	if (want_name)
		buf_adds(&name, want_name);
	else
		default_name(&name, me->email);
	policy_text(&pol, name.ptr, me->fpr);
	/* what we write must be what we accept */
	if ((ret = cf_policy_parse(&check, pol.ptr, pol.len, CF_POLICY_PATH)) < 0) {
		cf_policy_release(&check);
		goto out;
	}
	cf_policy_release(&check);
	if ((ret = cf_gpg_export(&key, me->fpr)) < 0)
		goto out;
	if ((ret = cf_mkdirs(dir.ptr)) < 0 ||
	    (ret = (gitrepo ? cf_repo_open(&repo, dir.ptr) :
			      cf_repo_init(&repo, dir.ptr))) < 0)
		goto out;
	root = realpath(dir.ptr, NULL);
	cf_txn_init(&txn, root);
	buf_addf(&keypath, ".coffer/keys/%s.asc", name.ptr);
	cf_txn_put(&txn, CF_POLICY_PATH, pol.ptr, pol.len);
	cf_txn_put(&txn, keypath.ptr, key.ptr, key.len);
	info.message = "coffer: init\n\nCoffer-Op: init\n";
	info.name = name.ptr;
	info.email = me->email;
	info.when = cf_now();
	info.signer = me;
	if ((ret = cf_txn_commit(&txn, &repo, &info, id)) < 0)
		goto out;
	if (!ctx->quiet)
		printf("Initialized coffer store in %s for %s (%s)\n", root,
		       name.ptr, me->fpr);
out:
	cf_txn_release(&txn);
	if (repo.repo)
		cf_repo_close(&repo);
	cf_keyring_release(&ring);
	free(root);
	buf_release(&dir);
	buf_release(&name);
	buf_release(&pol);
	buf_release(&key);
	buf_release(&keypath);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}
