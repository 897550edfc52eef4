/* repo.c: libgit2 commits, status and history. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "git2dyn.h"
#include "pgp.h"
#include "repo.h"

static int git_ready;

static int gerr(int code, const char *what)
{
	const git_error *e = git_error_last();

	return cf_error_set(code, "%s: %s", what,
			    e && e->message ? e->message : "libgit2 error");
}

/* "<what> '<path>': <reason>", the reason errno's or else libgit2's;
 * a path too long to print whole is cut, so the reason shows. */
static int gerr_path(int code, const char *what, const char *path, int err)
{
	const git_error *e = git_error_last();
	size_t len = strlen(path);

	return cf_error_set(code, "%s '%.*s%s': %s", what,
			    len > 160 ? 160 : (int)len, path,
			    len > 160 ? "..." : "", err ? strerror(err) :
			    e && e->message ? e->message : "libgit2 error");
}

static int ensure_init(void)
{
	int ret;

	if (!git_ready) {
		if ((ret = git2dyn_load()) < 0)
			return ret;
		git_libgit2_init();
		/* Off: coffer checks the owner itself, in cf_store_locate,
		 * for every command (get and list never load libgit2), and
		 * exempts a store named with -C or COFFER_STORE. libgit2's
		 * check would refuse such a store on writes only, and obey
		 * safe.directory, which coffer deliberately does not. */
		git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
		/* objects, refs and the index reach the disk before the
		 * branch names them: a power loss cannot leave a branch
		 * pointing at objects that were never written */
		git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
		git_ready = 1;
	}
	return 0;
}

int cf_repo_init(struct cf_repo *r, const char *dir)
{
	git_repository *repo = NULL;
	git_repository_init_options o;
	int ret;

	if ((ret = ensure_init()) < 0)
		return ret;
	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.flags = GIT_REPOSITORY_INIT_MKPATH;
	o.initial_head = "main";
	if (git_repository_init_ext(&repo, dir, &o) < 0)
		return gerr(CF_EGENERIC, "cannot create the git repository");
	r->repo = repo;
	return 0;
}

int cf_repo_open(struct cf_repo *r, const char *root)
{
	git_repository *repo = NULL;
	int ret;

	if ((ret = ensure_init()) < 0)
		return ret;
	if (git_repository_open_ext(&repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0)
		return gerr(CF_EGENERIC, "cannot open the git repository");
	r->repo = repo;
	return 0;
}

void cf_repo_close(struct cf_repo *r)
{
	git_repository_free(r->repo);
	r->repo = NULL;
}

int cf_repo_is_empty(struct cf_repo *r)
{
	return git_repository_head_unborn(r->repo) == 1;
}

static int head_commit(git_repository *repo, git_commit **out)
{
	git_oid oid;

	*out = NULL;
	if (git_repository_head_unborn(repo) == 1)
		return 0;
	if (git_reference_name_to_id(&oid, repo, "HEAD") < 0 ||
	    git_commit_lookup(out, repo, &oid) < 0)
		return gerr(CF_EGENERIC, "cannot read HEAD");
	return 0;
}

static int empty_tree(git_repository *repo, git_tree **out)
{
	git_treebuilder *tb = NULL;
	git_oid oid;
	int ret = -1;

	if (git_treebuilder_new(&tb, repo, NULL) < 0 ||
	    git_treebuilder_write(&oid, tb) < 0 ||
	    git_tree_lookup(out, repo, &oid) < 0)
		ret = gerr(CF_EGENERIC, "cannot make an empty tree");
	else
		ret = 0;
	git_treebuilder_free(tb);
	return ret;
}

/* The branch HEAD points at, e.g. refs/heads/main. */
static int head_target(git_repository *repo, struct buf *out)
{
	git_reference *head = NULL;
	int ret = 0;

	if (git_reference_lookup(&head, repo, "HEAD") < 0)
		return gerr(CF_EGENERIC, "cannot read HEAD");
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		buf_adds(out, git_reference_symbolic_target(head));
	else
		ret = cf_error_set(CF_ECONFLICT,
			"HEAD is detached; check out a branch first");
	git_reference_free(head);
	return ret;
}

int cf_repo_index_update(struct cf_repo *r, const char *const *paths,
			 size_t n)
{
	git_index *idx = NULL;
	int ret = -1;

	if (git_repository_index(&idx, r->repo) < 0)
		return gerr(CF_EGENERIC, "cannot read the index");
	/* what the work tree holds now: a file added, else removed */
	for (size_t i = 0; i < n; i++) {
		const char *wd = git_repository_workdir(r->repo);
		struct buf abs = BUF_INIT;
		struct stat sb;
		int rc;

		buf_addf(&abs, "%s%s", wd ? wd : "", paths[i]);
		rc = lstat(abs.ptr, &sb) == 0 ?
		     git_index_add_bypath(idx, paths[i]) :
		     git_index_remove_bypath(idx, paths[i]);
		buf_release(&abs);
		if (rc < 0) {
			ret = gerr(CF_EGENERIC, "cannot update the index");
			goto out;
		}
	}
	if (git_index_write(idx) < 0) {
		ret = gerr(CF_EGENERIC, "cannot write the index");
		goto out;
	}
	ret = 0;
out:
	git_index_free(idx);
	return ret;
}

void cf_commit_plan_release(struct cf_commit_plan *p)
{
	free(p->ref);
	free(p->reflog);
	memset(p, 0, sizeof(*p));
}

int cf_repo_commit_make(struct cf_repo *r, const struct cf_change *changes,
			size_t n, const struct cf_commit_info *info,
			struct cf_commit_plan *out)
{
	git_repository *repo = r->repo;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_tree_update *up = NULL;
	git_signature *sig = NULL;
	git_buf cbuf = GIT_BUF_INIT;
	struct buf target = BUF_INIT, gpgsig = BUF_INIT;
	git_oid *blobs = NULL, tree_id, commit_id;
	const git_commit *parents[1];
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if ((ret = head_target(repo, &target)) < 0 ||
	    (ret = head_commit(repo, &parent)) < 0)
		goto out;
	if (parent ? git_commit_tree(&base, parent) < 0 :
		     empty_tree(repo, &base) < 0) {
		ret = gerr(CF_EGENERIC, "cannot read the HEAD tree");
		goto out;
	}
	up = xcalloc(n + 1, sizeof(*up));
	blobs = xcalloc(n + 1, sizeof(*blobs));
	for (size_t i = 0; i < n; i++) {
		up[i].path = changes[i].path;
		if (!changes[i].data) {
			up[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		if (git_blob_create_from_buffer(&blobs[i], repo, changes[i].data,
						changes[i].len) < 0) {
			ret = gerr(CF_EGENERIC, "cannot write a blob");
			goto out;
		}
		up[i].action = GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up[i].id, &blobs[i]);
		up[i].filemode = GIT_FILEMODE_BLOB;
	}
	if (git_tree_create_updated(&tree_id, repo, base, n, up) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0) {
		ret = gerr(CF_EGENERIC, "cannot write the tree");
		goto out;
	}
	if (git_signature_new(&sig, info->name, info->email && *info->email ?
			      info->email : "unknown", (git_time_t)info->when,
			      0) < 0) {
		ret = gerr(CF_EGENERIC, "bad author");
		goto out;
	}
	parents[0] = parent;
	if (git_commit_create_buffer(&cbuf, repo, sig, sig, NULL, info->message,
				     tree, parent ? 1 : 0, parents) < 0) {
		ret = gerr(CF_EGENERIC, "cannot create the commit");
		goto out;
	}
	if (info->sign &&
	    (ret = info->sign(&gpgsig, cbuf.ptr, cbuf.size, info->sign_arg)) < 0)
		goto out;
	if (git_commit_create_with_signature(&commit_id, repo, cbuf.ptr,
			info->sign ? gpgsig.ptr : NULL,
			info->sign ? "gpgsig" : NULL) < 0) {
		ret = gerr(CF_EGENERIC, "cannot write the commit");
		goto out;
	}
	if (parent)
		git_oid_tostr(out->parent, sizeof(out->parent),
			      git_commit_id(parent));
	git_oid_tostr(out->id, sizeof(out->id), &commit_id);
	out->ref = buf_detach(&target);
	out->reflog = xstrdup(info->message);
	ret = 0;
out:
	git_buf_dispose(&cbuf);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	free(up);
	free(blobs);
	buf_release(&target);
	buf_release(&gpgsig);
	return ret;
}

int cf_repo_commit_publish(struct cf_repo *r, const struct cf_commit_plan *p)
{
	git_reference *ref = NULL;
	git_oid id, parent;
	int rc;

	if (git_oid_fromstr(&id, p->id) < 0 ||
	    (*p->parent && git_oid_fromstr(&parent, p->parent) < 0))
		return cf_error_set(CF_EGENERIC, "bad commit id");
	/* move the branch only if it still points where we started */
	rc = *p->parent ?
	     git_reference_create_matching(&ref, r->repo, p->ref, &id, 1,
					   &parent, p->reflog) :
	     git_reference_create(&ref, r->repo, p->ref, &id, 0, p->reflog);
	git_reference_free(ref);
	/* moved or locked by someone else: a conflict; else (a full disk)
	 * an error like any other */
	return rc == GIT_EMODIFIED || rc == GIT_ELOCKED || rc == GIT_EEXISTS ?
	       gerr(CF_ECONFLICT, "cannot update the branch") :
	       rc < 0 ? gerr(CF_EGENERIC, "cannot update the branch") : 0;
}

int cf_repo_commit(struct cf_repo *r, const struct cf_change *changes,
		   size_t n, const struct cf_commit_info *info, char out[41])
{
	struct cf_commit_plan p;
	const char **paths = xcalloc(n + 1, sizeof(*paths));
	int ret;

	for (size_t i = 0; i < n; i++)
		paths[i] = changes[i].path;
	if ((ret = cf_repo_commit_make(r, changes, n, info, &p)) == 0 &&
	    (ret = cf_repo_commit_publish(r, &p)) == 0 &&
	    (ret = cf_repo_index_update(r, paths, n)) == 0)
		memcpy(out, p.id, 41);
	cf_commit_plan_release(&p);
	free(paths);
	return ret;
}

int cf_repo_head_id(struct cf_repo *r, char out[41])
{
	git_oid oid;

	*out = '\0';
	if (git_repository_head_unborn(r->repo) == 1)
		return 0;
	if (git_reference_name_to_id(&oid, r->repo, "HEAD") < 0)
		return gerr(CF_EGENERIC, "cannot read HEAD");
	git_oid_tostr(out, 41, &oid);
	return 0;
}

int cf_repo_head_file(struct cf_repo *r, const char *path,
		      struct secbuf *out)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int ret;

	if ((ret = head_commit(r->repo, &c)) < 0)
		return ret;
	ret = cf_error_set(CF_ENOTFOUND, "'%s' is not in HEAD", path);
	if (c && git_commit_tree(&tree, c) == 0 &&
	    git_tree_entry_bypath(&e, tree, path) == 0 &&
	    git_blob_lookup(&b, r->repo, git_tree_entry_id(e)) == 0) {
		secbuf_set(out, git_blob_rawcontent(b),
			   (size_t)git_blob_rawsize(b));
		ret = 0;
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return ret;
}

struct dirty_walk {
	git_repository *repo;
	git_tree *head;		/* HEAD's tree, or NULL */
	struct buf path;	/* absolute, grows as we descend */
	size_t rootlen;		/* length of "<root>/" */
	size_t files;
	int dirty;
	struct buf *why;	/* what is dirty, or NULL */
};

/* The first change found: the path (from the work tree) and what. */
static void dirty_as(struct dirty_walk *w, const char *rel, const char *what)
{
	w->dirty = 1;
	if (w->why)
		buf_addf(w->why, "'%s' %s", rel, what);
}

/* Compares every file under path with HEAD's tree. A symlink or another
 * file that is not regular or a directory is refused by name, whether
 * it is committed or not: SPEC 2 refuses symlinks in the store. */
static int walk_dirty(struct dirty_walk *w)
{
	DIR *d = opendir(w->path.ptr);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return errno == ENOENT ? 0 :
		       gerr_path(CF_EGENERIC, "cannot read",
				 w->path.ptr + w->rootlen, errno);
	while (!w->dirty && ret == 0 && (e = readdir(d))) {
		size_t keep = w->path.len;
		git_tree_entry *te = NULL;
		const char *rel;
		struct stat st;
		git_oid oid;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_addf(&w->path, "/%s", e->d_name);
		rel = w->path.ptr + w->rootlen;
		if (lstat(w->path.ptr, &st) < 0) {
			/* gone meanwhile: the count of files tells */
			if (errno != ENOENT)
				ret = gerr_path(CF_EGENERIC, "cannot read",
						rel, errno);
		} else if (S_ISLNK(st.st_mode)) {
			ret = cf_error_set(CF_EINTEGRITY,
				"'%s' is a symbolic link; symlinks in the store are refused",
				rel);
		} else if (S_ISDIR(st.st_mode)) {
			ret = walk_dirty(w);
		} else if (!S_ISREG(st.st_mode)) {
			ret = cf_error_set(CF_EINTEGRITY,
				"'%s' is not a regular file", rel);
		} else {
			w->files++;
			if (!w->head || git_tree_entry_bypath(&te, w->head,
							      rel) < 0)
				dirty_as(w, rel, "is not committed");
			else if (git_odb_hashfile(&oid, w->path.ptr,
						  GIT_OBJECT_BLOB) < 0)
				ret = gerr_path(CF_EGENERIC, "cannot read",
						rel, 0);
			else if (!git_oid_equal(&oid, git_tree_entry_id(te)))
				dirty_as(w, rel, "is modified");
			else if ((git_tree_entry_filemode(te) ==
				  GIT_FILEMODE_BLOB_EXECUTABLE) !=
				 ((st.st_mode & S_IXUSR) != 0))
				dirty_as(w, rel, "changed its mode");
			git_tree_entry_free(te);
		}
		w->path.len = keep;
		w->path.ptr[keep] = '\0';
	}
	closedir(d);
	if (ret == 0)
		git_error_clear();
	return ret;
}

struct tracked {
	struct dirty_walk *w;
	struct buf path;	/* scratch: <root>/.coffer/<dir><name> */
	size_t base;		/* length of "<root>/.coffer/" */
	size_t n;
};

/* Counts the blobs under .coffer/ in HEAD and names one deleted from the
 * work tree (the walk saw only what is there). */
static int count_blobs(const char *dir, const git_tree_entry *e, void *data)
{
	struct tracked *t = data;
	struct stat st;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	t->n++;
	t->path.len = t->base;
	buf_addf(&t->path, "%s%s", dir, git_tree_entry_name(e));
	if (!t->w->dirty && lstat(t->path.ptr, &st) < 0 && errno == ENOENT)
		dirty_as(t->w, t->path.ptr + t->w->rootlen, "is deleted");
	return 0;
}

int cf_repo_coffer_dirty(struct cf_repo *r, int *dirty, struct buf *why)
{
	struct dirty_walk w;
	struct tracked t = { NULL, BUF_INIT, 0, 0 };
	git_commit *head = NULL;
	git_tree_entry *sub = NULL;
	git_tree *subtree = NULL;
	int ret;

	/* .coffer/ holds a few files; comparing them with HEAD is much
	 * cheaper than a status over an index of every secret */
	*dirty = 0;
	memset(&w, 0, sizeof(w));
	w.repo = r->repo;
	w.why = why;
	if ((ret = head_commit(r->repo, &head)) < 0)
		return ret;
	if (head && git_commit_tree(&w.head, head) < 0) {
		git_commit_free(head);
		return gerr(CF_EGENERIC, "cannot read the HEAD tree");
	}
	buf_adds(&w.path, git_repository_workdir(r->repo));
	w.rootlen = w.path.len;
	buf_adds(&w.path, ".coffer");
	if ((ret = walk_dirty(&w)) < 0)
		goto out;
	t.w = &w;
	buf_addf(&t.path, "%s/", w.path.ptr);
	t.base = t.path.len;
	if (w.head && git_tree_entry_bypath(&sub, w.head, ".coffer") == 0 &&
	    git_tree_lookup(&subtree, r->repo, git_tree_entry_id(sub)) == 0)
		git_tree_walk(subtree, GIT_TREEWALK_PRE, count_blobs, &t);
	git_error_clear();
	/* a tracked file gone, if the look above missed it */
	if (!w.dirty && t.n != w.files)
		dirty_as(&w, ".coffer", "lost a committed file");
	*dirty = w.dirty;
out:
	git_tree_free(subtree);
	git_tree_entry_free(sub);
	git_tree_free(w.head);
	git_commit_free(head);
	buf_release(&w.path);
	buf_release(&t.path);
	return ret;
}

/* ---- history ---- */

void cf_history_entry_release(struct cf_history_entry *h)
{
	free(h->author);
	free(h->email);
	free(h->subject);
	free(h->message);
	free(h->blob);
	memset(h, 0, sizeof(*h));
}

void cf_history_free(struct cf_history_entry *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cf_history_entry_release(&h[i]);
	free(h);
}

static int blob_at(git_commit *c, const char *path, git_oid *out)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found = 0;

	if (git_commit_tree(&tree, c) == 0 &&
	    git_tree_entry_bypath(&e, tree, path) == 0) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	git_tree_free(tree);
	return found;
}

static void fill_entry(struct cf_history_entry *h, git_repository *repo,
		       git_commit *c, const git_oid *blob, int blobs)
{
	const git_signature *a = git_commit_author(c);
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	git_oid id;	/* libgit2 1.5 wants it writable */

	memset(h, 0, sizeof(*h));
	git_oid_cpy(&id, git_commit_id(c));
	git_oid_tostr(h->id, sizeof(h->id), &id);
	h->author = xstrdup(a && a->name ? a->name : "");
	h->email = xstrdup(a && a->email ? a->email : "");
	h->time = (int64_t)git_commit_time(c);
	h->subject = xstrdup(git_commit_summary(c) ? git_commit_summary(c) : "");
	h->message = xstrdup(git_commit_message(c) ? git_commit_message(c) : "");
	h->signed_ = git_commit_extract_signature(&sig, &data, repo, &id,
						  NULL) == 0;
	if (h->signed_)
		cf_pgp_sig_issuer(h->signer, sig.ptr, sig.size);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	h->removed = blob == NULL;
	if (blob && blobs) {
		git_blob *b = NULL;

		if (git_blob_lookup(&b, repo, blob) == 0) {
			size_t len = (size_t)git_blob_rawsize(b);

			h->blob = xmalloc(len + 1);
			memcpy(h->blob, git_blob_rawcontent(b), len);
			h->blob[len] = '\0';
			h->bloblen = len;
		}
		git_blob_free(b);
	}
	git_error_clear();
}

int cf_repo_history(struct cf_repo *r, const char *path, int blobs,
		    struct cf_history_entry **out, size_t *n)
{
	git_repository *repo = r->repo;
	git_commit *c = NULL, *p = NULL;
	git_oid oid;
	struct cf_history_entry *v = NULL;
	size_t cnt = 0;
	int ret = -1;

	*out = NULL;
	*n = 0;
	if (git_repository_head_unborn(repo) == 1)
		return 0;
	if (git_reference_name_to_id(&oid, repo, "HEAD") < 0 ||
	    git_commit_lookup(&c, repo, &oid) < 0) {
		ret = gerr(CF_EGENERIC, "cannot walk history");
		goto out;
	}
	/* Along first parents, newest first (git log --first-parent).
	 * Not a git_revwalk: libgit2 1.5 ends a walk with an error at a
	 * shallow clone's boundary, before giving the commits it has. */
	while (c) {
		git_oid cur, prev;
		int has_cur = blob_at(c, path, &cur), has_prev = 0, cut = 0;
		int e;

		if (git_commit_parentcount(c) &&
		    (e = git_commit_parent(&p, c, 0)) < 0) {
			if (e != GIT_ENOTFOUND ||
			    git_repository_is_shallow(repo) != 1) {
				ret = gerr(CF_EGENERIC, "cannot walk history");
				goto out;
			}
			/* the parent was not fetched: what came before is
			 * unknown, and the file as it is here is the oldest
			 * version this clone has */
			cut = 1;
		} else if (p) {
			has_prev = blob_at(p, path, &prev);
		}
		if (cut ? has_cur : (has_cur != has_prev ||
		    (has_cur && !git_oid_equal(&cur, &prev)))) {
			v = xrealloc(v, (cnt + 1) * sizeof(*v));
			fill_entry(&v[cnt++], repo, c, has_cur ? &cur : NULL,
				   blobs);
			v[cnt - 1].cut_off = cut;
		}
		git_commit_free(c);
		c = p;
		p = NULL;
	}
	git_error_clear();
	*out = v;
	*n = cnt;
	v = NULL;
	cnt = 0;
	ret = 0;
out:
	git_commit_free(p);
	git_commit_free(c);
	cf_history_free(v, cnt);
	return ret;
}

int cf_repo_last_commit(struct cf_repo *r, const char *path,
			struct cf_history_entry *out)
{
	struct cf_history_entry *h = NULL;
	size_t n = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = cf_repo_history(r, path, 0, &h, &n)) < 0)
		return ret;
	if (!n) {
		cf_history_free(h, n);
		return cf_error_set(CF_ENOTFOUND, "no commit touches %s", path);
	}
	*out = h[0];
	memset(&h[0], 0, sizeof(h[0]));
	cf_history_free(h, n);
	return 0;
}

int cf_repo_commit_signature(struct cf_repo *r, const char *id,
			     struct buf *sig, struct buf *data)
{
	git_buf s = GIT_BUF_INIT, d = GIT_BUF_INIT;
	git_oid oid;
	int ret;

	if (git_oid_fromstr(&oid, id) < 0)
		return cf_error_set(CF_EGENERIC, "bad commit id");
	if (git_commit_extract_signature(&s, &d, r->repo, &oid, NULL) < 0) {
		ret = cf_error_set(CF_ENOTFOUND, "commit %.12s is not signed", id);
	} else {
		buf_add(sig, s.ptr, s.size);
		buf_add(data, d.ptr, d.size);
		ret = 0;
	}
	git_buf_dispose(&s);
	git_buf_dispose(&d);
	return ret;
}
