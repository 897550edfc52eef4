/* write.h: the one way to change a store (SPEC 2, 8.1). A write takes
 * the lock, refuses while .coffer/ has uncommitted changes, encrypts
 * each secret to exactly its policy readers, and ends in one signed
 * commit whose message lib/commitmsg spells. Commands use it today; the
 * merge, sync and import code next. */
#ifndef CF_WRITE_H
#define CF_WRITE_H

#include "commitmsg.h"
#include "session.h"
#include "txn.h"

struct cf_write {
	struct cf_session *sess;
	struct cf_txn txn;
	struct buf journal;	/* the journal file's path */
	int locked;
	int stale_lock;		/* a dead process's lock was taken over */
};

/* Takes the lock, finishes or drops a write a killed process left (see
 * journal.h; the session's note says so), and checks .coffer/ is clean.
 * CF_ECONFLICT if the store is locked or .coffer/ is dirty. Call
 * cf_write_end in any case. */
int cf_write_begin(struct cf_write *w, struct cf_session *s);
/* Encrypts sec to the policy readers of name (importing a reader's key
 * from .coffer/keys/ when the keyring lacks it) and serializes it into
 * the write. */
int cf_write_secret(struct cf_write *w, struct cf_secret *sec,
		    const char *name);
void cf_write_remove(struct cf_write *w, const char *name);
/* Any other file (the policy, a key), by path from the store's root;
 * data NULL removes it. */
void cf_write_file(struct cf_write *w, const char *path, const void *data,
		   size_t len);
/* Validates a new policy text, makes it the policy in force (the one
 * before goes to *old, for the caller to release) and puts it into the
 * write. Refuses a policy that drops the acting principal. */
int cf_write_policy(struct cf_write *w, const char *text, size_t len,
		    struct cf_policy *old);
/* Commits what the write holds: m gives op, name, version, body and the
 * rotation and rename marks; one Coffer-Secret trailer is added per
 * secret file the write touches. Signed by the user's key when the
 * policy asks for signed commits. */
int cf_write_commit(struct cf_write *w, const struct cf_commitmsg *m);
/* Starts the next commit of a write that makes several, still locked. */
void cf_write_next(struct cf_write *w);
/* Releases the write and the lock. */
void cf_write_end(struct cf_write *w);

/* A cf_commit_info signing callback: arg is the struct cf_key *. */
int cf_write_sign(struct buf *out, const void *data, size_t len,
		  const void *arg);

#endif
