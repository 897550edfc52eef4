/* txn.c: atomic work-tree writes plus one commit, with rollback. */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "txn.h"

void cf_txn_init(struct cf_txn *t, const char *root)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
}

void cf_txn_release(struct cf_txn *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].path);
		secbuf_release(&t->items[i].data);
		secbuf_release(&t->items[i].old);
	}
	free(t->items);
	t->items = NULL;
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

static int apply(struct cf_txn *t, struct cf_txn_item *it)
{
	struct buf p = BUF_INIT;
	int ret = -1;

	abs_path(&p, t->root, it->path);
	if ((ret = cf_file_read(&it->old, p.ptr, 64u << 20)) == 0)
		it->had_old = 1;
	else if (ret != CF_ENOTFOUND)
		goto out;
	if (it->remove) {
		if (unlink(p.ptr) < 0 && errno != ENOENT) {
			ret = cf_error_set(CF_EGENERIC, "cannot remove '%s': %s",
					   it->path, strerror(errno));
			goto out;
		}
		prune_dirs(t->root, it->path);
	} else {
		char *slash = strrchr(p.ptr, '/');

		*slash = '\0';
		ret = cf_mkdirs(p.ptr);
		*slash = '/';
		if (ret < 0 || (ret = cf_file_write_atomic(p.ptr, it->data.ptr,
							   it->data.len, 0644)) < 0)
			goto out;
	}
	it->applied = 1;
	ret = 0;
out:
	buf_release(&p);
	return ret;
}

static void rollback(struct cf_txn *t)
{
	struct buf p = BUF_INIT;

	for (size_t i = t->n; i-- > 0;) {
		struct cf_txn_item *it = &t->items[i];

		if (!it->applied)
			continue;
		abs_path(&p, t->root, it->path);
		if (it->had_old) {
			char *slash = strrchr(p.ptr, '/');

			*slash = '\0';
			cf_mkdirs(p.ptr);
			*slash = '/';
			cf_file_write_atomic(p.ptr, it->old.ptr, it->old.len,
					     0644);
		} else {
			unlink(p.ptr);
			prune_dirs(t->root, it->path);
		}
	}
	buf_release(&p);
}

int cf_txn_commit(struct cf_txn *t, struct cf_repo *repo,
		  const struct cf_commit_info *info, char id[41])
{
	struct cf_change *ch = xcalloc(t->n, sizeof(*ch));
	int ret = -1;

	for (size_t i = 0; i < t->n; i++) {
		if ((ret = apply(t, &t->items[i])) < 0)
			goto fail;
		ch[i].path = t->items[i].path;
		ch[i].data = t->items[i].remove ? NULL : t->items[i].data.ptr;
		ch[i].len = t->items[i].data.len;
	}
	if ((ret = cf_repo_commit(repo, ch, t->n, info, id)) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	rollback(t);
out:
	free(ch);
	return ret;
}
