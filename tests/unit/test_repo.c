/* test_repo.c: the git layer (lib/repo.c): commits made from objects,
 * history along a path read back (messages through lib/commitmsg, blobs,
 * removals), the last commit of a path, the .coffer/ dirtiness check,
 * a detached HEAD refused; the real git checks what libgit2 wrote. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/commitmsg.h"
#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/repo.h"
#include "shell.h"
#include "tap.h"

static char tmp[] = "/tmp/cf-repo-XXXXXX";
static char root[64];

static void path_of(struct buf *b, const char *rel)
{
	buf_reset(b);
	buf_addf(b, "%s/%s", root, rel);
}

static void put(const char *rel, const char *data)
{
	struct buf p = BUF_INIT;
	char *slash;

	path_of(&p, rel);
	slash = strrchr(p.ptr, '/');
	*slash = '\0';
	cf_mkdirs(p.ptr);
	*slash = '/';
	if (data)
		cf_file_write_atomic(p.ptr, data, strlen(data), 0644);
	else
		unlink(p.ptr);
	buf_release(&p);
}

/* One commit of the files (data NULL: removed), written to the work
 * tree first as cf_repo_commit wants. */
static int commit(struct cf_repo *r, const struct cf_commitmsg *m,
		  const struct cf_change *c, size_t n, int64_t when,
		  char id[41])
{
	struct cf_commit_info info = { 0 };
	struct buf msg = BUF_INIT;
	int ret;

	for (size_t i = 0; i < n; i++)
		put(c[i].path, c[i].data);
	cf_commitmsg_format(&msg, m);
	info.message = msg.ptr;
	info.name = "alice";
	info.email = "alice@example.test";
	info.when = when;
	ret = cf_repo_commit(r, c, n, &info, id);
	buf_release(&msg);
	return ret;
}

#define CH(p, d) { (p), (d), sizeof(d) - 1 }
#define RM(p) { (p), NULL, 0 }

static char ids[6][41];

static void test_commits(struct cf_repo *r)
{
	static const char *const db[] = { "db" }, *const db2[] = { "db2" },
		*const other[] = { "other" };
	const struct cf_change c1[] = { CH(".coffer/policy.yaml", "P1\n") },
		c2[] = { CH("db.yaml", "v1\n") },
		c3[] = { CH("other.yaml", "o\n") },
		c4[] = { CH("db.yaml", "v2\n") },
		c5[] = { RM("db.yaml"), CH("db2.yaml", "v2\n") },
		c6[] = { RM("db2.yaml") };
	int ret;

	ok(cf_repo_is_empty(r), "a new repository is empty");
	ret = commit(r, &(struct cf_commitmsg){ .op = CF_OP_INIT }, c1, 1,
		     1700000001, ids[0]);
	is_int(ret, 0, "commit 1: init");
	ok(!cf_repo_is_empty(r), "not empty after a commit");
	is_int(commit(r, &(struct cf_commitmsg){ .op = CF_OP_SET, .name = "db",
		.secrets = db, .nsecrets = 1, .version = 1 }, c2, 1,
		1700000002, ids[1]), 0, "commit 2: set db");
	is_int(commit(r, &(struct cf_commitmsg){ .op = CF_OP_SET,
		.name = "other", .secrets = other, .nsecrets = 1,
		.version = 1 }, c3, 1, 1700000003, ids[2]), 0,
	       "commit 3: set other");
	is_int(commit(r, &(struct cf_commitmsg){ .op = CF_OP_SET, .name = "db",
		.body = "new password", .secrets = db, .nsecrets = 1,
		.version = 2 }, c4, 1, 1700000004, ids[3]), 0,
	       "commit 4: set db again");
	is_int(commit(r, &(struct cf_commitmsg){ .op = CF_OP_MV, .name = "db2",
		.secrets = db2, .nsecrets = 1, .renamed_from = "db" }, c5, 2,
		1700000005, ids[4]), 0, "commit 5: mv db db2");
	is_int(commit(r, &(struct cf_commitmsg){ .op = CF_OP_RM, .name = "db2",
		.secrets = db2, .nsecrets = 1 }, c6, 1, 1700000006, ids[5]), 0,
	       "commit 6: rm db2");
	is_cmd_in(root, "git rev-list --count HEAD", "6\n", "six commits");
	is_cmd_in(root, "git ls-tree -r --name-only HEAD",
	       ".coffer/policy.yaml\nother.yaml\n", "the last tree");
	is_cmd_in(root, "git status --porcelain", "", "the index follows the commits");
	is_cmd_in(root, "git log --format=%s",
	       "coffer: rm db2\ncoffer: mv db2\ncoffer: set db\n"
	       "coffer: set other\ncoffer: set db\ncoffer: init\n",
	       "git reads every subject");
	is_cmd_in(root, "git log -1 --skip=2 --format=%B",
	       "coffer: set db\n\nnew password\n\nCoffer-Op: set\n"
	       "Coffer-Secret: db\nCoffer-Version: 2\n\n",
	       "git reads a whole message");
}

static void test_history(struct cf_repo *r)
{
	struct cf_history_entry *h = NULL, last;
	struct cf_commitmsg m;
	size_t n = 0;
	int ret;

	ret = cf_repo_history(r, "db.yaml", 1, &h, &n);
	is_int(ret, 0, "history of db.yaml");
	if (!is_int(n, 3, "three commits touched it"))
		goto out;
	is_str(h[0].id, ids[4], "newest first: the move");
	is_str(h[1].id, ids[3], "then the second set");
	is_str(h[2].id, ids[1], "then the first set");
	ok(h[0].removed && !h[0].blob, "the move removed it: no blob");
	ok(!h[1].removed && h[1].blob && !strcmp(h[1].blob, "v2\n") &&
	   h[1].bloblen == 3, "the second set's blob");
	ok(h[2].blob && !strcmp(h[2].blob, "v1\n"), "the first set's blob");
	is_str(h[1].author, "alice", "author");
	is_str(h[1].email, "alice@example.test", "e-mail");
	is_int(h[1].time, 1700000004, "time");
	is_str(h[1].subject, "coffer: set db", "subject");
	ok(!h[1].signed_, "not signed");

	cf_commitmsg_parse(&m, h[0].message);
	is_int(m.op, CF_OP_MV, "the move's op from its message");
	ok(m.renamed_from && !strcmp(m.renamed_from, "db"), "renamed from db");
	cf_commitmsg_release(&m);
	cf_commitmsg_parse(&m, h[1].message);
	is_int(m.op, CF_OP_SET, "the set's op");
	is_int(m.version, 2, "its version");
	ok(m.nsecrets == 1 && !strcmp(m.secrets[0], "db"), "its secret");
	ok(cf_op_consistent(m.op, m.version, 1, 0), "consistent: 1 -> 2");
	cf_commitmsg_release(&m);
	cf_history_free(h, n);

	ret = cf_repo_history(r, "db.yaml", 0, &h, &n);
	ok(ret == 0 && n == 3 && !h[1].blob, "without blobs: no content");
	cf_history_free(h, n);

	ret = cf_repo_history(r, "db2.yaml", 1, &h, &n);
	ok(ret == 0 && n == 2, "db2.yaml: created and removed");
	if (n == 2) {
		cf_commitmsg_parse(&m, h[0].message);
		is_int(m.op, CF_OP_RM, "removed by rm");
		ok(cf_op_consistent(m.op, 0, 2, h[0].removed), "consistent rm");
		cf_commitmsg_release(&m);
	}
	cf_history_free(h, n);

	ret = cf_repo_history(r, "never.yaml", 1, &h, &n);
	ok(ret == 0 && n == 0 && !h, "a path no commit touched");
	cf_history_free(h, n);

	ret = cf_repo_last_commit(r, "other.yaml", &last);
	is_int(ret, 0, "last commit of other.yaml");
	is_str(last.id, ids[2], "is commit 3");
	cf_history_entry_release(&last);
	ret = cf_repo_last_commit(r, ".coffer/policy.yaml", &last);
	is_str(last.id, ids[0], "policy: the init commit");
	cf_commitmsg_parse(&m, last.message);
	is_int(m.op, CF_OP_INIT, "whose op is init");
	cf_commitmsg_release(&m);
	cf_history_entry_release(&last);
	ret = cf_repo_last_commit(r, "never.yaml", &last);
	is_int(ret, CF_ENOTFOUND, "no commit touched never.yaml");
	cf_history_entry_release(&last);
	h = NULL;
	n = 0;
out:
	cf_history_free(h, n);
}

static void is_dirty(struct cf_repo *r, int want, const char *what)
{
	struct buf why = BUF_INIT;
	int dirty = -1, ret = cf_repo_coffer_dirty(r, &dirty, &why);

	is_int(ret, 0, "%s: the check ran", what);
	is_int(dirty, want, "%s", what);
	ok(!want == !why.len, "%s: says why (%s)", what, buf_cstr(&why));
	buf_release(&why);
}

/* The check refuses with code, its message holding text. */
static void is_refused(struct cf_repo *r, int code, const char *text,
		       const char *what)
{
	int dirty = -1, ret = cf_repo_coffer_dirty(r, &dirty, NULL);

	is_int(ret, code, "%s", what);
	ok(strstr(cf_error_last(), text) != NULL, "%s: %s", what,
	   cf_error_last());
}

static void test_dirty(struct cf_repo *r)
{
	struct buf p = BUF_INIT, q = BUF_INIT;

	is_dirty(r, 0, "clean after the commits");
	put(".coffer/policy.yaml", "P2\n");
	is_dirty(r, 1, "a changed file");
	put(".coffer/policy.yaml", "P1\n");
	is_dirty(r, 0, "changed back");
	put(".coffer/keys/x.asc", "k\n");
	is_dirty(r, 1, "an untracked file in a subdirectory");
	put(".coffer/keys/x.asc", NULL);
	is_dirty(r, 0, "removed again (an empty directory is fine)");
	put(".coffer/policy.yaml", NULL);
	is_dirty(r, 1, "a tracked file deleted");
	put(".coffer/policy.yaml", "P1\n");
	path_of(&p, ".coffer/policy.yaml");
	chmod(p.ptr, 0755);
	is_dirty(r, 1, "a mode change");
	chmod(p.ptr, 0644);
	is_dirty(r, 0, "mode back");
	path_of(&q, ".coffer/link");
	ok(symlink("policy.yaml", q.ptr) == 0, "a symlink");
	is_refused(r, CF_EINTEGRITY, "'.coffer/link' is a symbolic link",
		   "a symlink is refused by name");
	unlink(q.ptr);
	ok(mkfifo(q.ptr, 0600) == 0, "a FIFO");
	is_refused(r, CF_EINTEGRITY, "'.coffer/link' is not a regular file",
		   "a FIFO is refused by name");
	unlink(q.ptr);
	if (geteuid() != 0) {
		chmod(p.ptr, 0);
		is_refused(r, CF_EGENERIC, "cannot read '.coffer/policy.yaml'",
			   "an unreadable file is an error, not a change");
		chmod(p.ptr, 0644);
	}
	put("elsewhere.yaml", "x\n");
	is_dirty(r, 0, "a file outside .coffer/ does not count");
	put("elsewhere.yaml", NULL);
	buf_release(&p);
	buf_release(&q);
}

static void test_detached(struct cf_repo *r)
{
	const struct cf_change c[] = { CH("x.yaml", "x\n") };
	struct buf head = BUF_INIT, line = BUF_INIT;
	char id[41];
	int ret;

	path_of(&head, ".git/HEAD");
	buf_addf(&line, "%s\n", ids[5]);
	cf_file_write_atomic(head.ptr, line.ptr, line.len, 0644);
	cf_error_clear();
	ret = commit(r, &(struct cf_commitmsg){ .op = CF_OP_SET }, c, 1, 1, id);
	is_int(ret, CF_ECONFLICT, "a detached HEAD is refused");
	ok(strstr(cf_error_last(), "detached") != NULL, "saying why: %s",
	   cf_error_last());
	buf_reset(&line);
	buf_adds(&line, "ref: refs/heads/main\n");
	cf_file_write_atomic(head.ptr, line.ptr, line.len, 0644);
	put("x.yaml", NULL);
	is_cmd_in(root, "git rev-list --count HEAD", "6\n", "no commit was made");
	buf_release(&head);
	buf_release(&line);
}

int main(void)
{
	struct cf_repo r = { NULL }, r2 = { NULL };
	struct buf rm = BUF_INIT;
	int ret;

	git_env_private();
	if (!mkdtemp(tmp)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	snprintf(root, sizeof(root), "%s/store", tmp);
	ret = cf_repo_open(&r, tmp);
	ok(ret < 0 && !r.repo, "no repository to open yet (%d)", ret);
	if (!ok(cf_repo_init(&r, root) == 0, "cf_repo_init: %s",
		cf_error_last()))
		return tap_done();
	test_commits(&r);
	test_history(&r);
	test_dirty(&r);
	test_detached(&r);
	ret = cf_repo_open(&r2, root);
	is_int(ret, 0, "the repository opens");
	ok(ret == 0 && !cf_repo_is_empty(&r2), "and has commits");
	if (ret == 0)
		cf_repo_close(&r2);
	is_cmd_in(root, "git fsck --strict --no-dangling 2>&1", "", "git fsck is clean");
	cf_repo_close(&r);
	buf_addf(&rm, "rm -rf '%s'", tmp);
	free(cmd_out_in(root, rm.ptr));
	buf_release(&rm);
	return tap_done();
}
