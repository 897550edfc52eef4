/* repo.h: the store's git repository through libgit2: commits made
 * from objects (no git process), signatures, status and history. */
#ifndef CF_REPO_H
#define CF_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "secbuf.h"

struct cf_repo {
	void *repo;		/* git_repository */
};

/* One file of a commit: data NULL removes path. */
struct cf_change {
	const char *path;	/* relative to the work tree */
	const char *data;
	size_t len;
};

struct cf_commit_info {
	const char *message;
	const char *name;	/* author and committer */
	const char *email;
	int64_t when;
	/* Signs the commit object (data, len): a detached armored
	 * signature into out. NULL: the commit is not signed. The git
	 * layer knows nothing of OpenPGP; the caller brings it. */
	int (*sign)(struct buf *out, const void *data, size_t len,
		    const void *arg);
	const void *sign_arg;
};

int cf_repo_init(struct cf_repo *r, const char *dir);
int cf_repo_open(struct cf_repo *r, const char *root);
void cf_repo_close(struct cf_repo *r);
/* Whether the repository has no commits yet. */
int cf_repo_is_empty(struct cf_repo *r);
/* A commit made from objects: blobs, tree and the (signed) commit are
 * written; no ref, index or work tree moves yet. */
struct cf_commit_plan {
	char parent[41];	/* "" for a first commit */
	char id[41];		/* the new commit */
	char *ref;		/* the branch it goes on, e.g. refs/heads/main */
	char *reflog;		/* the branch's log message */
};

int cf_repo_commit_make(struct cf_repo *r, const struct cf_change *changes,
			size_t n, const struct cf_commit_info *info,
			struct cf_commit_plan *out);
/* Moves the branch from p->parent to p->id, only if it still points at
 * p->parent (CF_ECONFLICT otherwise). */
int cf_repo_commit_publish(struct cf_repo *r, const struct cf_commit_plan *p);
void cf_commit_plan_release(struct cf_commit_plan *p);
/* The index entries of paths made what the work tree holds now (a file
 * added, a missing one removed). */
int cf_repo_index_update(struct cf_repo *r, const char *const *paths,
			 size_t n);
/* make, publish and index update in one, the work tree already holding
 * the changes; out receives the hex id. */
int cf_repo_commit(struct cf_repo *r, const struct cf_change *changes,
		   size_t n, const struct cf_commit_info *info,
		   char out[41]);
/* A commit's signature (armored) and the data it signs; CF_ENOTFOUND if
 * it is not signed. */
int cf_repo_commit_signature(struct cf_repo *r, const char *id,
			     struct buf *sig, struct buf *data);
/* HEAD's commit id, "" in a repository with no commit yet. */
int cf_repo_head_id(struct cf_repo *r, char out[41]);
/* The file at path in HEAD's tree; CF_ENOTFOUND if it has none. */
int cf_repo_head_file(struct cf_repo *r, const char *path,
		      struct secbuf *out);
/* Whether .coffer/ in the work tree differs from HEAD: a changed,
 * added (also untracked or ignored) or deleted file, or mode. *dirty
 * is set, and why (if not NULL) gets the first change found, e.g.
 * "'.coffer/policy.yaml' is modified". A symlink or a file that is not
 * regular under .coffer/, committed or not, is CF_EINTEGRITY naming it;
 * a file that cannot be read, CF_EGENERIC with the reason. */
int cf_repo_coffer_dirty(struct cf_repo *r, int *dirty, struct buf *why);

/* One commit that touched a path. */
struct cf_history_entry {
	char id[41];
	char *author;
	char *email;
	int64_t time;
	char *subject;
	char *message;		/* the whole message (lib/commitmsg reads it) */
	int signed_;
	char signer[65];	/* issuer fingerprint the signature names
				 * (not verified: coffer verify does that) */
	int removed;		/* the path does not exist in this commit */
	char *blob;		/* file content at this commit (NULL if removed) */
	size_t bloblen;
	int cut_off;		/* a shallow clone's oldest commit: its parent
				 * was not fetched, so whether it changed the
				 * path is unknown; history ends here */
};

/* Commits that changed path, newest first (along first parents). With
 * blobs set, each entry holds the file content. In a shallow clone the
 * walk ends at the oldest commit fetched: if the path exists there, it
 * is the last entry, with cut_off set. */
int cf_repo_history(struct cf_repo *r, const char *path, int blobs,
		    struct cf_history_entry **out, size_t *n);
void cf_history_free(struct cf_history_entry *h, size_t n);
void cf_history_entry_release(struct cf_history_entry *h);
/* Last commit (id, author, time, signed) that touched path. */
int cf_repo_last_commit(struct cf_repo *r, const char *path,
			struct cf_history_entry *out);

#endif
