/* test_audit.c: the read log's head (SPEC 8.3) in the cases the CLI
 * tests cannot reach: a torn last line is counted, a forged seq or a head
 * that names a line past the end is found, a head that is a symlink is
 * never followed, and a head ahead of the log is left as it is by the
 * next append. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/audit.h"
#include "../../lib/buf.h"
#include "../../lib/crypt.h"
#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/secbuf.h"
#include "tap.h"

static char dir[] = "/tmp/coffer-test-audit-XXXXXX";
static struct buf logp = BUF_INIT, headp = BUF_INIT;

static const struct cf_audit_entry entry = {
	"/store", "alice", "db/main", 1, "get",
};

static void reset(void)
{
	unlink(logp.ptr);
	unlink(headp.ptr);
}

static int append(int times)
{
	int ret = 0;

	for (int i = 0; i < times && ret == 0; i++)
		ret = cf_audit_append(logp.ptr, &entry, 1700000000);
	return ret;
}

static void add_bytes(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	ok(fd >= 0 && cf_write_all(fd, s, strlen(s)) == 0, "wrote to %s", path);
	if (fd >= 0)
		close(fd);
}

static void read_head(struct secbuf *out)
{
	secbuf_release(out);
	ok(cf_file_read(out, headp.ptr, 4096) == 0, "head readable");
}

static void test_usual(void)
{
	struct cf_audit_status st;

	reset();
	ok(cf_audit_check(logp.ptr, &st) == 0 && st.lines == 0,
	   "no log, no head: nothing to check");
	ok(append(3) == 0, "three appends");
	ok(cf_audit_check(logp.ptr, &st) == 0, "intact");
	is_int(st.lines, 3, "three lines");
	ok(!st.behind && !st.adopted, "head exact");
	ok(truncate(logp.ptr, 0) == 0, "log truncated");
	ok(cf_audit_check(logp.ptr, &st) == CF_EINTEGRITY, "empty log: broken");
	ok(strstr(cf_error_last(), "lines 1-3 were removed") != NULL,
	   "names the lines: %s", cf_error_last());
}

static void test_torn(void)
{
	struct cf_audit_status st;
	struct secbuf h = SECBUF_INIT;

	reset();
	ok(append(2) == 0, "two appends");
	add_bytes(logp.ptr, "{\"time\":\"20");	/* a write cut short */
	ok(append(1) == 0, "append after a torn line");
	read_head(&h);
	ok(h.len && strstr(h.ptr, "\"lines\":4,") != NULL,
	   "the torn line is counted");
	ok(cf_audit_check(logp.ptr, &st) == CF_EINTEGRITY &&
	   strstr(cf_error_last(), "line 3: the chain breaks") != NULL,
	   "the torn line breaks the chain: %s", cf_error_last());
	secbuf_release(&h);
}

static void test_forged(void)
{
	struct cf_audit_status st;
	struct secbuf before = SECBUF_INIT, after = SECBUF_INIT;
	char line[256];

	/* a line whose prev is right but whose seq is not its number */
	reset();
	ok(append(1) == 0, "one append");
	{
		struct secbuf l = SECBUF_INIT;
		char sum[65];

		ok(cf_file_read(&l, logp.ptr, 4096) == 0 && l.len > 1,
		   "log read");
		cf_sha256_hex(sum, l.ptr, l.len - 1);
		snprintf(line, sizeof(line), "{\"seq\":7,\"prev\":\"%s\"}\n",
			 sum);
		secbuf_release(&l);
	}
	add_bytes(logp.ptr, line);
	ok(cf_audit_check(logp.ptr, &st) == CF_EINTEGRITY &&
	   strstr(cf_error_last(), "line 2: it says it is line 7") != NULL,
	   "a forged seq is found: %s", cf_error_last());

	/* a head ahead of the log stays ahead after the next append */
	reset();
	ok(append(2) == 0, "two appends");
	unlink(headp.ptr);
	add_bytes(headp.ptr, "{\"lines\":9,\"last\":\""
		  "0000000000000000000000000000000000000000000000000000000000000000"
		  "\"}\n");
	read_head(&before);
	ok(append(1) == 0, "append under a head that is ahead");
	read_head(&after);
	ok(before.len == after.len && !memcmp(before.ptr, after.ptr, before.len),
	   "the head is left as it was");
	ok(cf_audit_check(logp.ptr, &st) == CF_EINTEGRITY &&
	   strstr(cf_error_last(), "lines 4-9 were removed") != NULL,
	   "and verify says so: %s", cf_error_last());
	secbuf_release(&before);
	secbuf_release(&after);
}

static void test_symlink(void)
{
	struct cf_audit_status st;
	struct buf target = BUF_INIT;

	reset();
	buf_addf(&target, "%s/elsewhere", dir);
	ok(append(1) == 0, "one append");
	unlink(headp.ptr);
	ok(symlink(target.ptr, headp.ptr) == 0, "head made a symlink");
	ok(append(1) == 0, "append: the read is logged");
	ok(access(target.ptr, F_OK) != 0, "the symlink's target is not written");
	ok(cf_audit_check(logp.ptr, &st) == CF_EINTEGRITY &&
	   strstr(cf_error_last(), "symbolic link") != NULL,
	   "verify refuses it: %s", cf_error_last());
	unlink(headp.ptr);
	buf_release(&target);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	buf_addf(&logp, "%s/audit.log", dir);
	buf_addf(&headp, "%s/audit.log.head", dir);
	test_usual();
	test_torn();
	test_forged();
	test_symlink();
	reset();
	rmdir(dir);
	buf_release(&logp);
	buf_release(&headp);
	return tap_done();
}
