/* test_proc.c: running a child (lib/proc.c): exit status, masked
 * output, input on stdin, the directory, signals, the timeout that kills
 * the process group whatever the child does with its output, what it
 * leaves running, descriptors not passed on, running from a sealed
 * memfd; and cf_mask_values. */
#define _GNU_SOURCE	/* memfd_create */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/proc.h"
#include "tap.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs /bin/sh -c script; output into out (as a C string). */
static int sh(const char *script, const char *input, int64_t timeout,
	      const char *const *masks, size_t nmask, struct secbuf *out,
	      struct cf_proc_result *res)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct secbuf in = SECBUF_INIT, mv[4] = { SECBUF_INIT, SECBUF_INIT,
						   SECBUF_INIT, SECBUF_INIT };
	const struct secbuf *mp[4];
	int ret;

	if (input)
		secbuf_adds(&in, input);
	for (size_t i = 0; i < nmask && i < 4; i++) {
		secbuf_adds(&mv[i], masks[i]);
		mp[i] = &mv[i];
	}
	secbuf_reset(out);
	ret = cf_proc_run(argv, "/", &in, timeout, mp, nmask, out, res);
	secbuf_release(&in);
	for (size_t i = 0; i < 4; i++)
		secbuf_release(&mv[i]);
	return ret;
}

static void test_run(void)
{
	static const char *const pw[] = { "hunter2" };
	struct secbuf out = SECBUF_INIT;
	struct cf_proc_result res;
	int ret;

	ret = sh("echo hunter2; echo ok >&2; exit 3", NULL, 10, pw, 1, &out,
		 &res);
	is_int(ret, 0, "the child ran");
	is_str(secbuf_cstr(&out), "*****\nok\n",
	       "the value is masked, stderr collected too");
	is_int(res.status, 3, "exit status 3");
	ok(!res.timed_out && !res.signal, "no timeout, no signal");

	ret = sh("echo hunter2", NULL, 10, NULL, 0, &out, &res);
	is_str(secbuf_cstr(&out), "hunter2\n", "without masks nothing changes");
	is_int(res.status, 0, "exit status 0");

	ret = sh("cat", "line1\nhunter2\n", 10, pw, 1, &out, &res);
	is_int(ret, 0, "cat ran");
	is_str(secbuf_cstr(&out), "line1\n*****\n",
	       "input goes to stdin; the echo is masked");

	ret = sh("cat; echo end", NULL, 10, NULL, 0, &out, &res);
	is_str(secbuf_cstr(&out), "end\n", "empty input: stdin at end");

	ret = sh("pwd", NULL, 10, NULL, 0, &out, &res);
	is_str(secbuf_cstr(&out), "/\n", "runs in dir");

	ret = sh("kill -TERM $$", NULL, 10, NULL, 0, &out, &res);
	is_int(ret, 0, "a killed child still 'ran'");
	is_int(res.signal, SIGTERM, "killed by SIGTERM");
	ok(!res.timed_out, "not a timeout");

	secbuf_release(&out);
}

/* Whether pid runs (not gone, not a zombie). */
static int alive(pid_t pid)
{
	char path[64], stat[256] = "", *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	p = strrchr(stat, ')');
	return !(p && p[1] == ' ' && p[2] == 'Z');
}

static void test_timeout(void)
{
	struct secbuf out = SECBUF_INIT;
	struct cf_proc_result res;
	double t0 = now_s(), took;
	pid_t bg;
	int ret;

	/* the shell's background child is killed too: the whole group */
	ret = sh("sleep 30 & echo $!; wait", NULL, 1, NULL, 0, &out, &res);
	took = now_s() - t0;
	is_int(ret, 0, "the sleeper ran");
	is_int(res.timed_out, 1, "timed out");
	is_int(res.signal, SIGKILL, "killed by SIGKILL");
	ok(took >= 0.9 && took < 3.0, "after about 1 s (took %.2f s)", took);
	bg = (pid_t)strtol(secbuf_cstr(&out), NULL, 10);
	ok(bg > 1, "the background child's pid was printed (%ld)", (long)bg);
	/* gone, or a zombie waiting for init */
	for (int i = 0; i < 100 && bg > 1 && alive(bg); i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	ok(bg > 1 && !alive(bg), "the background child was killed too");
	if (bg > 1 && alive(bg))
		kill(bg, SIGKILL);

	/* output closed or redirected: the deadline is on the process */
	t0 = now_s();
	ret = sh("exec >/dev/null 2>&1; sleep 30", NULL, 1, NULL, 0, &out,
		 &res);
	took = now_s() - t0;
	is_int(res.timed_out, 1, "a child that redirected its output timed out");
	ok(took >= 0.9 && took < 3.0, "after about 1 s (took %.2f s)", took);
	t0 = now_s();
	ret = sh("exec <&- >&- 2>&-; sleep 30", NULL, 1, NULL, 0, &out, &res);
	took = now_s() - t0;
	ok(res.timed_out && took < 3.0,
	   "one that closed stdin, stdout and stderr too (took %.2f s)", took);
	secbuf_release(&out);
}

/* A child that exits and leaves something running that holds its
 * output: that does not hold us. */
static void test_leftover(void)
{
	struct secbuf out = SECBUF_INIT;
	struct cf_proc_result res;
	double t0 = now_s(), took;
	pid_t bg, esc = 0;
	char *end;
	int ret;

	ret = sh("sleep 30 & echo $!; setsid sleep 30 & echo $!; exit 4",
		 NULL, 20, NULL, 0, &out, &res);
	took = now_s() - t0;
	is_int(ret, 0, "the child ran");
	ok(!res.timed_out && res.status == 4, "it exited 4, no timeout");
	ok(took < 3.0, "we did not wait for what it left (took %.2f s)", took);
	bg = (pid_t)strtol(secbuf_cstr(&out), &end, 10);
	if (*end == '\n')
		esc = (pid_t)strtol(end + 1, NULL, 10);
	ok(bg > 1 && esc > 1, "two pids printed (%ld, %ld)", (long)bg,
	   (long)esc);
	for (int i = 0; i < 100 && bg > 1 && alive(bg); i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	ok(bg > 1 && !alive(bg), "what stayed in its group was killed");
	if (bg > 1 && alive(bg))
		kill(bg, SIGKILL);
	if (esc > 1)
		kill(esc, SIGKILL);

	/* a child that exits with its output closed by then: no waiting */
	t0 = now_s();
	ret = sh("sleep 30 >/dev/null 2>&1 & echo $!", NULL, 20, NULL, 0, &out,
		 &res);
	took = now_s() - t0;
	ok(res.status == 0 && took < 1.0,
	   "a background child without our output: no wait (%.2f s)", took);
	bg = (pid_t)strtol(secbuf_cstr(&out), NULL, 10);
	if (bg > 1)
		kill(bg, SIGKILL);
	secbuf_release(&out);
}

/* Values cut across reads and across the output cap. */
static void test_stream_mask(void)
{
	static const char *const pw[] = { "hunter2" };
	struct secbuf out = SECBUF_INIT;
	struct cf_proc_result res;
	char script[160];
	int ret;

	ret = sh("printf 'pw: hun'; sleep 0.2; printf 'ter2.'", NULL, 10, pw,
		 1, &out, &res);
	is_str(secbuf_cstr(&out), "pw: *****.",
	       "a value written in two pieces is masked");
	/* the value starts 3 bytes before the cap */
	snprintf(script, sizeof(script),
		 "head -c %u /dev/zero | tr '\\0' x; printf hunter2",
		 CF_PROC_OUTPUT_MAX - 3);
	ret = sh(script, NULL, 10, pw, 1, &out, &res);
	is_int(ret, 0, "a child that writes past the cap ran");
	is_int(out.len, CF_PROC_OUTPUT_MAX, "the cap holds (%zu)", out.len);
	/* the masked text is cut, never the value: its first 3 bytes
	 * would show if the raw output were cut at the cap */
	ok(out.len > 8 && !memcmp(out.ptr + out.len - 4, "x***", 4),
	   "the value across the cap is hidden, not cut: ...%s",
	   out.len > 8 ? out.ptr + out.len - 8 : "");
	secbuf_release(&out);
}

/* Running a #! script from a sealed memfd (as hooks do). */
static void test_fd(void)
{
	static const char script[] = "#!/bin/sh\necho \"from memfd: $1\"\n";
	const char *argv[] = { "hook", "set", NULL };
	struct secbuf in = SECBUF_INIT, out = SECBUF_INIT;
	struct cf_proc_result res;
	int fd, ret;

	fd = memfd_create("test-hook", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ok(fd >= 0, "memfd");
	ok(write(fd, script, sizeof(script) - 1) == (ssize_t)sizeof(script) - 1,
	   "script written");
	ok(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW |
		 F_SEAL_SEAL) == 0, "sealed");
	ret = cf_proc_run_fd(fd, argv, "/", &in, 10, NULL, 0, &out, &res);
	is_int(ret, 0, "a close-on-exec memfd script ran");
	is_int(res.status, 0, "exit 0");
	is_str(secbuf_cstr(&out), "from memfd: set\n",
	       "its interpreter read it, with the arguments given");
	close(fd);
	secbuf_release(&in);
	secbuf_release(&out);
}

static void test_spawn(void)
{
	const char *argv[] = { "/nonexistent/prog", NULL };
	struct secbuf in = SECBUF_INIT, out = SECBUF_INIT;
	struct cf_proc_result res;
	char script[128];
	int fd, ret;

	ret = cf_proc_run(argv, "/", &in, 5, NULL, 0, &out, &res);
	is_int(ret, 0, "a missing program: the child ran");
	is_int(res.status, 126, "and exited 126");

	ret = cf_proc_run((const char *[]){ "/bin/true", NULL },
			  "/nonexistent-dir", &in, 5, NULL, 0, &out, &res);
	is_int(res.status, 126, "a missing directory: exit 126");

	/* a descriptor of ours (no close-on-exec) is not passed on */
	fd = open("/dev/null", O_RDONLY);
	ok(fd > 2, "opened fd %d", fd);
	snprintf(script, sizeof(script),
		 "if [ -e /dev/fd/%d ]; then echo leaked; else echo closed; fi",
		 fd);
	ret = sh(script, NULL, 5, NULL, 0, &out, &res);
	is_str(secbuf_cstr(&out), "closed\n", "fd %d is closed in the child",
	       fd);
	close(fd);

	/* output past the cap is read and dropped; the child finishes */
	ret = sh("head -c 3000000 /dev/zero", NULL, 10, NULL, 0, &out, &res);
	is_int(res.status, 0, "a chatty child is drained to its end");
	ok(out.len >= CF_PROC_OUTPUT_MAX && out.len < 2 * CF_PROC_OUTPUT_MAX,
	   "about CF_PROC_OUTPUT_MAX kept (%zu)", out.len);
	secbuf_release(&out);
}

/* cf_mask_values on text with masks (NULL-terminated). */
static void mask(const char *text, const char *const *masks,
		 const char *want, const char *what)
{
	struct secbuf b = SECBUF_INIT, mv[4] = { SECBUF_INIT, SECBUF_INIT,
						  SECBUF_INIT, SECBUF_INIT };
	const struct secbuf *mp[4];
	size_t n = 0;

	for (; masks[n] && n < 4; n++) {
		secbuf_adds(&mv[n], masks[n]);
		mp[n] = &mv[n];
	}
	secbuf_adds(&b, text);
	cf_mask_values(&b, mp, n);
	is_str(secbuf_cstr(&b), want, "mask: %s", what);
	for (size_t i = 0; masks[i]; i++)
		if (*masks[i])
			ok(!strstr(secbuf_cstr(&b), masks[i]),
			   "mask: %s: '%s' is gone", what, masks[i]);
	secbuf_release(&b);
	for (size_t i = 0; i < 4; i++)
		secbuf_release(&mv[i]);
}

static void test_mask(void)
{
	mask("a hunter2 b hunter2", (const char *[]){ "hunter2", NULL },
	     "a ***** b *****", "every occurrence");
	mask("pw=hunter2", (const char *[]){ "hunter", "hunter2", NULL },
	     "pw=*****", "a prefix of another value: the longer wins");
	mask("pw=hunter2", (const char *[]){ "hunter2", "hunter", NULL },
	     "pw=*****", "the same in the other order");
	mask("xabcdy", (const char *[]){ "abc", "bcd", NULL },
	     "x*****y", "overlapping values: nothing of either shows");
	mask("aaaaa", (const char *[]){ "aa", NULL }, "*****",
	     "overlapping occurrences: one run, no length shown");
	mask("hunter2 hunter2", (const char *[]){ "hunter2", NULL },
	     "***** *****", "separate occurrences stay separate");
	mask("old1 new2", (const char *[]){ "old1", "new2", NULL },
	     "***** *****", "two values");
	mask("text", (const char *[]){ "", NULL }, "text",
	     "an empty value masks nothing");
	mask("", (const char *[]){ "x", NULL }, "", "empty text");
	mask("abc", (const char *[]){ "abcd", NULL }, "abc",
	     "a value longer than what is left");
}

int main(void)
{
	test_run();
	test_timeout();
	test_leftover();
	test_stream_mask();
	test_fd();
	test_spawn();
	test_mask();
	return tap_done();
}
