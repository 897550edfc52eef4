/* journal.h: what a write is about to do, written (and synced) before
 * the branch moves, removed when the work tree and index have followed
 * (SPEC 2, 10). A write makes its commit from objects first, then moves
 * the branch, then updates the work tree: so a write killed at any point
 * leaves either the old state (the branch did not move: nothing else
 * did) or the new commit with a work tree that the next command brings
 * up to date from the journal. */
#ifndef CF_JOURNAL_H
#define CF_JOURNAL_H

#include <stddef.h>

#include "buf.h"
#include "repo.h"

struct cf_journal {
	char before[41];	/* the branch before ("" for none) */
	char after[41];		/* the commit the write makes */
	char **paths;		/* files it changes, from the work tree's root */
	size_t n;
};

/* The journal file of the store whose git directory is gitdir. */
void cf_journal_path(struct buf *out, const char *gitdir);
/* Writes the journal of a write from before to after that changes
 * paths[0..n), atomically and durably. */
int cf_journal_write(const char *path, const char *before, const char *after,
		     const char *const *paths, size_t n);
/* Reads the journal at path; CF_ENOTFOUND if there is none. */
int cf_journal_read(const char *path, struct cf_journal *out);
void cf_journal_release(struct cf_journal *j);

/* Finishes or drops the write the journal at path describes, in the
 * work tree at root (the caller holds the store lock): if the branch is
 * at after, each path is made what the commit holds and the index
 * follows; if it is still at before, nothing had changed. Left-over
 * temp files of those paths are removed, then the journal. *said
 * receives one line saying what was done. CF_ENOTFOUND if there is no
 * journal. */
int cf_journal_recover(const char *path, const char *root,
		       struct cf_repo *repo, struct buf *said);
/* Removes temp files (NAME.tmp-XXXXXXXX) a killed write left beside the
 * file rel of the work tree at root. */
void cf_journal_clean_temps(const char *root, const char *rel);

#endif
