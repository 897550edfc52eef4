/* test_txn.c: one write (lib/txn.c): files into the work tree and
 * exactly one commit holding them; a failing commit (a sign callback
 * that fails, a file that cannot be written) puts the work tree back
 * as it was and passes the error code up unchanged. The real git reads
 * what libgit2 wrote. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/commitmsg.h"
#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/txn.h"
#include "shell.h"
#include "tap.h"

static char tmp[] = "/tmp/cf-txn-XXXXXX";
static char root[64], journal[96];

/* The file's content, or "(absent)". */
static char *file_of(const char *rel)
{
	struct secbuf b = SECBUF_INIT;
	struct buf p = BUF_INIT;
	char *s;

	buf_addf(&p, "%s/%s", root, rel);
	s = cf_file_read(&b, p.ptr, 1 << 20) == 0 ?
	    strdup(secbuf_cstr(&b)) : strdup("(absent)");
	secbuf_release(&b);
	buf_release(&p);
	return s;
}

static void is_file(const char *rel, const char *want, const char *what)
{
	char *got = file_of(rel);

	is_str(got, want, "%s: %s", what, rel);
	free(got);
}

static int exists(const char *rel)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int e;

	buf_addf(&p, "%s/%s", root, rel);
	e = lstat(p.ptr, &st) == 0;
	buf_release(&p);
	return e;
}

static void info_for(struct cf_commit_info *info, struct buf *msg,
		     enum cf_op op, const char *name)
{
	buf_reset(msg);
	cf_commitmsg_format(msg, &(struct cf_commitmsg){ .op = op,
							 .name = name });
	memset(info, 0, sizeof(*info));
	info->message = msg->ptr;
	info->name = "tester";
	info->email = "tester@example.test";
	info->when = 1700000000;
}

static int fail_code;
static int sign_calls;

static int failing_sign(struct buf *out, const void *data, size_t len,
			const void *arg)
{
	(void)out;
	(void)data;
	(void)len;
	(void)arg;
	sign_calls++;
	return cf_error_set(fail_code, "no secret key to sign with");
}

static struct buf signed_data = BUF_INIT;

static int fake_sign(struct buf *out, const void *data, size_t len,
		     const void *arg)
{
	buf_reset(&signed_data);
	buf_add(&signed_data, data, len);
	buf_adds(out, arg);
	return 0;
}

static void test_commit(struct cf_repo *r)
{
	struct cf_commit_info info;
	struct buf msg = BUF_INIT;
	struct cf_txn t;
	char id[41] = "", id2[41] = "", line[42];
	int ret;

	cf_txn_init(&t, root, journal);
	cf_txn_put(&t, ".coffer/policy.yaml", "P\n", 2);
	cf_txn_put(&t, "a.yaml", "A1\n", 3);
	cf_txn_put(&t, "dir/sub/b.yaml", "B1\n", 3);
	info_for(&info, &msg, CF_OP_SET, "a");
	ret = cf_txn_commit(&t, r, &info, id);
	cf_txn_release(&t);
	is_int(ret, 0, "the first commit");
	is_int(strspn(id, "0123456789abcdef"), 40, "id is 40 hex digits");
	is_cmd_in(root, "git rev-list --count HEAD", "1\n", "exactly one commit");
	is_cmd_in(root, "git ls-tree -r --name-only HEAD",
	       ".coffer/policy.yaml\na.yaml\ndir/sub/b.yaml\n",
	       "the tree holds exactly the files");
	is_cmd_in(root, "git show HEAD:dir/sub/b.yaml", "B1\n", "blob content");
	snprintf(line, sizeof(line), "%s\n", id);
	is_cmd_in(root, "git rev-parse HEAD", line, "HEAD is the id returned");
	is_file("a.yaml", "A1\n", "work tree");
	is_file("dir/sub/b.yaml", "B1\n", "work tree");
	is_cmd_in(root, "git status --porcelain", "",
	       "index and work tree match the commit");
	is_cmd_in(root, "git log -1 --format=%B", "coffer: set a\n\nCoffer-Op: set\n\n",
	       "git reads the message");
	is_cmd_in(root, "git log -1 --format='%an <%ae> %at'",
	       "tester <tester@example.test> 1700000000\n", "author and time");

	cf_txn_init(&t, root, journal);
	cf_txn_put(&t, "a.yaml", "A2\n", 3);
	cf_txn_remove(&t, "dir/sub/b.yaml");
	info_for(&info, &msg, CF_OP_RM, "dir/sub/b");
	ret = cf_txn_commit(&t, r, &info, id2);
	cf_txn_release(&t);
	is_int(ret, 0, "the second commit");
	is_cmd_in(root, "git rev-list --count HEAD", "2\n", "one more commit");
	is_cmd_in(root, "git ls-tree -r --name-only HEAD",
	       ".coffer/policy.yaml\na.yaml\n", "b is gone from the tree");
	is_cmd_in(root, "git rev-parse HEAD^", line, "its parent is the first");
	is_file("a.yaml", "A2\n", "work tree");
	ok(!exists("dir/sub/b.yaml"), "b is gone from the work tree");
	ok(!exists("dir"), "and its emptied directories");
	is_cmd_in(root, "git status --porcelain", "", "still clean");
	buf_release(&msg);
}

/* A commit that fails leaves everything as it was. */
static void test_rollback(struct cf_repo *r)
{
	static const int codes[] = { CF_EDECRYPT, CF_EDENIED, CF_EHOOK,
				     CF_EINTEGRITY, CF_ECONFLICT };
	struct cf_commit_info info;
	struct buf msg = BUF_INIT;
	struct cf_txn t;
	char id[41], *head = cmd_out_in(root, "git rev-parse HEAD");
	int ret;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		cf_txn_init(&t, root, journal);
		cf_txn_put(&t, "a.yaml", "A3\n", 3);
		cf_txn_put(&t, "new/deep/c.yaml", "C\n", 2);
		cf_txn_remove(&t, ".coffer/policy.yaml");
		info_for(&info, &msg, CF_OP_SET, "a");
		info.sign = failing_sign;
		fail_code = codes[i];
		sign_calls = 0;
		cf_error_clear();
		ret = cf_txn_commit(&t, r, &info, id);
		cf_txn_release(&t);
		is_int(ret, codes[i], "the sign callback's code %d comes back",
		       codes[i]);
		is_int(sign_calls, 1, "the callback was called once");
		is_str(cf_error_last(), "no secret key to sign with",
		       "its message is kept");
		is_cmd_in(root, "git rev-parse HEAD", head ? head : "",
		       "HEAD has not moved");
		is_file("a.yaml", "A2\n", "put back");
		is_file(".coffer/policy.yaml", "P\n", "restored");
		ok(!exists("new"), "the new file and its directories are gone");
		is_cmd_in(root, "git status --porcelain", "",
		       "index and work tree as before");
	}

	/* the second item cannot be written (a.yaml is a file): the first
	 * is taken back */
	cf_txn_init(&t, root, journal);
	cf_txn_put(&t, "z.yaml", "Z\n", 2);
	cf_txn_put(&t, "a.yaml", "A4\n", 3);
	cf_txn_put(&t, "a.yaml/x.yaml", "X\n", 2);
	info_for(&info, &msg, CF_OP_SET, "z");
	sign_calls = 0;
	info.sign = failing_sign;
	ret = cf_txn_commit(&t, r, &info, id);
	cf_txn_release(&t);
	ok(ret < 0, "a file that cannot be written fails the write (%d)", ret);
	is_int(sign_calls, 0, "nothing was committed");
	ok(!exists("z.yaml"), "the file before it is taken back");
	is_file("a.yaml", "A2\n", "the changed file before it is put back");
	is_cmd_in(root, "git rev-parse HEAD", head ? head : "", "HEAD has not moved");
	is_cmd_in(root, "git status --porcelain", "", "clean");
	free(head);
	buf_release(&msg);
}

static void test_signed(struct cf_repo *r)
{
	static const char sig[] =
		"-----BEGIN PGP SIGNATURE-----\n\nnot-a-real-signature\n"
		"-----END PGP SIGNATURE-----";
	struct cf_commit_info info;
	struct cf_history_entry h;
	struct buf msg = BUF_INIT;
	struct cf_txn t;
	char id[41], *c;
	int ret;

	cf_txn_init(&t, root, journal);
	cf_txn_put(&t, "s.yaml", "S\n", 2);
	info_for(&info, &msg, CF_OP_SET, "s");
	info.sign = fake_sign;
	info.sign_arg = sig;
	ret = cf_txn_commit(&t, r, &info, id);
	cf_txn_release(&t);
	is_int(ret, 0, "a signed commit");
	ok(!strncmp(buf_cstr(&signed_data), "tree ", 5) &&
	   strstr(buf_cstr(&signed_data), "\nauthor tester ") &&
	   strstr(buf_cstr(&signed_data), "\n\ncoffer: set s\n"),
	   "the callback signs the commit object");
	c = cmd_out_in(root, "git cat-file commit HEAD");
	ok(c && strstr(c, "\ngpgsig -----BEGIN PGP SIGNATURE-----\n"),
	   "the commit carries the signature in gpgsig");
	free(c);
	ret = cf_repo_last_commit(r, "s.yaml", &h);
	is_int(ret, 0, "last commit of s");
	is_str(h.id, id, "is this one");
	ok(h.signed_, "and is signed");
	cf_history_entry_release(&h);
	buf_release(&msg);
}

int main(void)
{
	struct cf_repo r = { NULL };
	char *fsck;

	git_env_private();
	if (!mkdtemp(tmp)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	snprintf(root, sizeof(root), "%s/store", tmp);
	snprintf(journal, sizeof(journal), "%s/.git/coffer-journal", root);
	if (!ok(cf_repo_init(&r, root) == 0, "cf_repo_init: %s",
		cf_error_last()))
		return tap_done();
	is_cmd_in(root, "git symbolic-ref HEAD", "refs/heads/main\n",
	       "HEAD is main");
	test_commit(&r);
	test_rollback(&r);
	test_signed(&r);
	fsck = cmd_out_in(root, "git fsck --strict --no-dangling 2>&1");
	ok(fsck != NULL, "git fsck passes");
	is_str(fsck ? fsck : "(failed)", "", "and says nothing");
	free(fsck);
	cf_repo_close(&r);
	buf_release(&signed_data);
	{
		struct buf rm = BUF_INIT;

		buf_addf(&rm, "rm -rf '%s'", tmp);
		free(cmd_out_in(root, rm.ptr));
		buf_release(&rm);
	}
	return tap_done();
}
