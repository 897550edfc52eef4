/* txn.h: one write to the store: files written atomically into the work
 * tree, then exactly one commit; if the commit fails the work tree is
 * put back as it was (SPEC 2). The caller holds the store lock. */
#ifndef CF_TXN_H
#define CF_TXN_H

#include "repo.h"
#include "secbuf.h"

struct cf_txn_item {
	char *path;		/* relative to the work tree */
	struct secbuf data;
	int remove;
	struct secbuf old;	/* for rollback */
	int had_old;
	int applied;
};

struct cf_txn {
	const char *root;
	struct cf_txn_item *items;
	size_t n;
};

void cf_txn_init(struct cf_txn *t, const char *root);
void cf_txn_release(struct cf_txn *t);
void cf_txn_put(struct cf_txn *t, const char *path, const void *data,
		size_t len);
void cf_txn_remove(struct cf_txn *t, const char *path);
/* Applies the items and commits; rolls the work tree back on failure. */
int cf_txn_commit(struct cf_txn *t, struct cf_repo *repo,
		  const struct cf_commit_info *info, char id[41]);

#endif
