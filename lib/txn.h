/* txn.h: one write to the store, exactly one commit (SPEC 2, 10): the
 * commit is made from objects and signed first, a journal is written,
 * the branch moves, and only then do the work tree and the index
 * follow. A failure before the branch moves changes nothing; after it,
 * nothing is rolled back: what is left undone (a full disk, a held
 * index lock) the next command finishes from the journal. The caller
 * holds the store lock. */
#ifndef CF_TXN_H
#define CF_TXN_H

#include "repo.h"
#include "secbuf.h"

struct cf_txn_item {
	char *path;		/* relative to the work tree */
	struct secbuf data;
	int remove;
};

struct cf_txn {
	const char *root;
	const char *journal;	/* the journal file's path */
	struct cf_txn_item *items;
	size_t n;
	char *warning;		/* after a commit: what was left undone */
};

void cf_txn_init(struct cf_txn *t, const char *root, const char *journal);
void cf_txn_release(struct cf_txn *t);
void cf_txn_put(struct cf_txn *t, const char *path, const void *data,
		size_t len);
void cf_txn_remove(struct cf_txn *t, const char *path);
/* Commits the items, then brings the work tree and index up to date.
 * 0 once the branch has moved (t->warning says if the rest must wait
 * for the journal's recovery), < 0 with nothing changed. */
int cf_txn_commit(struct cf_txn *t, struct cf_repo *repo,
		  const struct cf_commit_info *info, char id[41]);

#endif
