/* txn.c: a commit made first, then the work tree; a journal between. */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fault.h"
#include "fsutil.h"
#include "journal.h"
#include "txn.h"

#define INDEX_TRIES 20		/* a live git holding index.lock: 1 s */

void cf_txn_init(struct cf_txn *t, const char *root, const char *journal)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
	t->journal = journal;
}

void cf_txn_release(struct cf_txn *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].path);
		secbuf_release(&t->items[i].data);
	}
	free(t->items);
	free(t->warning);
	t->items = NULL;
	t->warning = NULL;
	t->n = 0;
}

static struct cf_txn_item *add(struct cf_txn *t, const char *path)
{
	struct cf_txn_item *it;

	t->items = xrealloc(t->items, (t->n + 1) * sizeof(*t->items));
	it = &t->items[t->n++];
	memset(it, 0, sizeof(*it));
	it->path = xstrdup(path);
	return it;
}

void cf_txn_put(struct cf_txn *t, const char *path, const void *data,
		size_t len)
{
	secbuf_set(&add(t, path)->data, data, len);
}

void cf_txn_remove(struct cf_txn *t, const char *path)
{
	add(t, path)->remove = 1;
}

static void abs_path(struct buf *b, const char *root, const char *rel)
{
	buf_reset(b);
	buf_addf(b, "%s/%s", root, rel);
}

/* Removes now-empty directories between path and the root. */
static void prune_dirs(const char *root, const char *rel)
{
	struct buf b = BUF_INIT;
	char *slash;

	abs_path(&b, root, rel);
	while ((slash = strrchr(b.ptr, '/')) && slash > b.ptr + strlen(root)) {
		*slash = '\0';
		if (rmdir(b.ptr) < 0)
			break;
	}
	buf_release(&b);
}

/* The work tree's file made what the commit holds. */
static int apply(struct cf_txn *t, const struct cf_txn_item *it)
{
	struct buf p = BUF_INIT;
	char *slash;
	int ret = 0;

	abs_path(&p, t->root, it->path);
	if (it->remove) {
		if (unlink(p.ptr) < 0 && errno != ENOENT)
			ret = cf_error_set(CF_EGENERIC, "cannot remove '%s': %s",
					   it->path, strerror(errno));
		else
			prune_dirs(t->root, it->path);
		goto out;
	}
	slash = strrchr(p.ptr, '/');
	*slash = '\0';
	ret = cf_mkdirs(p.ptr);
	*slash = '/';
	if (ret == 0)
		ret = cf_file_write_atomic(p.ptr, it->data.ptr ? it->data.ptr : "",
					   it->data.len, 0644);
out:
	buf_release(&p);
	return ret;
}

/* The index follows; a live git holding index.lock gets a moment. */
static int index_update(struct cf_repo *repo, const char *const *paths,
			size_t n)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int ret = 0;

	for (int i = 0; i < INDEX_TRIES; i++) {
		if ((ret = cf_repo_index_update(repo, paths, n)) == 0)
			break;
		nanosleep(&pause, NULL);
	}
	return ret;
}

int cf_txn_commit(struct cf_txn *t, struct cf_repo *repo,
		  const struct cf_commit_info *info, char id[41])
{
	struct cf_change *ch = xcalloc(t->n + 1, sizeof(*ch));
	const char **paths = xcalloc(t->n + 1, sizeof(*paths));
	struct cf_commit_plan plan;
	struct buf why = BUF_INIT;
	int ret;

	memset(&plan, 0, sizeof(plan));
	for (size_t i = 0; i < t->n; i++) {
		ch[i].path = paths[i] = t->items[i].path;
		ch[i].data = t->items[i].remove ? NULL : t->items[i].data.ptr;
		ch[i].len = t->items[i].data.len;
		if (ch[i].data == NULL && !t->items[i].remove)
			ch[i].data = "";
	}
	/* the commit from objects, signed: a passphrase prompt or a kill
	 * here changes nothing */
	if ((ret = cf_repo_commit_make(repo, ch, t->n, info, &plan)) < 0)
		goto out;
	CF_FAULT("commit-made");
	if ((ret = cf_journal_write(t->journal, plan.parent, plan.id, paths,
				    t->n)) < 0)
		goto out;
	CF_FAULT("journal-written");
	if ((ret = cf_repo_commit_publish(repo, &plan)) < 0) {
		unlink(t->journal);
		goto out;
	}
	memcpy(id, plan.id, 41);
	CF_FAULT("branch-moved");
	/* the branch has moved: from here on nothing is undone */
	for (size_t i = 0; i < t->n && ret == 0; i++) {
		ret = apply(t, &t->items[i]);
		CF_FAULT("file-written");
	}
	if (ret == 0 && (ret = index_update(repo, paths, t->n)) == 0) {
		CF_FAULT("index-written");
		unlink(t->journal);
	}
	if (ret < 0) {
		buf_addf(&why, "commit %.12s is made, but the work tree or index could not follow (%s); the next coffer command finishes it",
			 plan.id, cf_error_last());
		t->warning = buf_detach(&why);
		ret = 0;
	}
out:
	cf_commit_plan_release(&plan);
	free(ch);
	free(paths);
	return ret;
}
