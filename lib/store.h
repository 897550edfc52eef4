/* store.h: the store on disk (SPEC 2): discovery, names, secret files,
 * the write lock and the keyring. */
#ifndef CF_STORE_H
#define CF_STORE_H

#include <stddef.h>
#include <sys/stat.h>

#include "buf.h"
#include "crypt.h"
#include "names.h"
#include "policy.h"
#include "pubkeys.h"
#include "secret.h"

#define CF_POLICY_PATH ".coffer/policy.yaml"

struct cf_store {
	char *root;		/* absolute path of the work tree */
	char *git_dir;		/* its git directory (cf_store_git_dir) */
	char *common_dir;	/* the repository's common git directory */
	struct cf_policy policy;
	int have_policy;
	int lock_fd;		/* -1 when not locked */
	char *lock_path;
	struct cf_keyring keys;	/* secret keys in the keyring */
	int have_keys;
	struct cf_pubkeys pubkeys;	/* .coffer/keys, read on first use */
	int have_pubkeys;
};

/* Finds the store directory: dir if given, else $COFFER_STORE, else
 * the nearest ancestor with .coffer/, else $XDG_DATA_HOME/coffer.
 * A store found by the last two must be the user's own: if its work
 * tree, .coffer/ or .git/ belongs to another uid (root included), it
 * is refused with CF_EINTEGRITY naming the path and the override,
 * which is naming the store with dir or $COFFER_STORE (git's
 * safe.directory is not read). */
int cf_store_locate(struct buf *out, const char *dir);
/* $XDG_DATA_HOME/coffer, else ~/.local/share/coffer. No owner check. */
int cf_store_default_dir(struct buf *out);
/* Opens the store at root (must hold .coffer/ and .git, a directory or
 * a "gitdir:" file as in a linked worktree or a submodule). It trusts
 * root: find it with cf_store_locate, which checks the owner. */
int cf_store_open(struct cf_store *st, const char *root);
/* The absolute path (no trailing slash) of an open store's git
 * directory: with common 0, the work tree's own (HEAD, index, and
 * per-work-tree files such as the meta cache); with common 1, the one
 * all linked worktrees of the repository share (refs, objects, and
 * what must be one per repository: the write lock, the journal). Both
 * are ROOT/.git in a plain repository; a submodule's is the directory
 * its .git file names. Resolved by cf_store_open without libgit2; the
 * string lives as long as st. */
const char *cf_store_git_dir(const struct cf_store *st, int common);
void cf_store_release(struct cf_store *st);
int cf_store_load_policy(struct cf_store *st);

/* Path of a secret's file; refuses symlinks on the way (CF_EINTEGRITY). */
int cf_store_secret_path(struct buf *out, const struct cf_store *st,
			 const char *name);
/* Reads and parses a secret (no decryption). CF_ENOTFOUND if absent. */
int cf_store_read_secret(struct cf_secret *s, const struct cf_store *st,
			 const char *name);
/* The same for a name cf_store_list returned: its walk follows no
 * symlinks, so the per-component checks are skipped (the file itself is
 * still opened with O_NOFOLLOW). For list and check on large stores.
 * *sb (if sb) gets the file's stat data as it was opened. */
int cf_store_read_listed(struct cf_secret *s, const struct cf_store *st,
			 const char *name, struct stat *sb);
/* 1 if the secret exists, 0 if not, < 0 for a bad name, a symlink or
 * a NAME.yaml that is not a regular file (CF_EINTEGRITY). */
int cf_store_secret_exists(const struct cf_store *st, const char *name);
/* Names of all secrets under prefix (or all), sorted. */
int cf_store_list(const struct cf_store *st, const char *prefix,
		  char ***out, size_t *n);
/* What a listing leaves out, for check to report. */
struct cf_stray {
	char *path;		/* from the store's root */
	const char *kind;	/* "symlink", "bad-name", "bad-file" */
	char *why;
};

/* All names, and the strays: symlinks, and *.yaml files that are not
 * regular or whose names break the rules of SPEC 2. Both sorted. */
int cf_store_list_strays(const struct cf_store *st, char ***out, size_t *n,
			 struct cf_stray **strays, size_t *nstrays);
void cf_strays_free(struct cf_stray *v, size_t n);

/* Takes coffer.lock in the common git directory (.git/coffer.lock in
 * a plain repository, one lock for all its worktrees); *stale is set when a dead holder's lock was
 * taken over. CF_ECONFLICT naming the holder if it is held. */
int cf_store_lock(struct cf_store *st, int *stale);
/* The same without waiting for a live holder. */
int cf_store_trylock(struct cf_store *st, int *stale);
void cf_store_unlock(struct cf_store *st);

/* Lists the keyring's secret keys once (one gpg process). */
int cf_store_secret_keys(struct cf_store *st);
/* The write journal's file (see journal.h). */
void cf_store_journal_path(struct buf *out, const struct cf_store *st);
/* The principals' public keys in .coffer/keys (read once). */
const struct cf_pubkeys *cf_store_pubkeys(struct cf_store *st);
/* Imports .coffer/keys/NAME.asc of the principal owning fpr. */
int cf_store_import_key(const struct cf_store *st, const char *fpr);

#endif
