/* shell.h: running a shell command in a test's directory, for the unit
 * tests that let the real git check what libgit2 wrote. */
#ifndef TEST_SHELL_H
#define TEST_SHELL_H

#include <stdio.h>
#include <stdlib.h>

#include "../../lib/buf.h"
#include "tap.h"

/* git as the tests run it: no system or user configuration, the C
 * locale, and no GIT_DIR or GIT_WORK_TREE from the caller. */
static void git_env_private(void)
{
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("LC_ALL", "C", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
}

/* The stdout of `cd dir && cmd`, or NULL if it failed. */
static char *cmd_out_in(const char *dir, const char *cmd)
{
	struct buf c = BUF_INIT, out = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *p;

	buf_addf(&c, "cd '%s' && %s", dir, cmd);
	p = popen(c.ptr, "r");
	buf_release(&c);
	if (!p)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&out, chunk, n);
	buf_adds(&out, "");
	if (pclose(p) != 0) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* ok() that cmd, run in dir, prints want. */
static void is_cmd_in(const char *dir, const char *cmd, const char *want,
		      const char *what)
{
	char *got = cmd_out_in(dir, cmd);

	ok(got != NULL, "%s: the command ran", what);
	is_str(got ? got : "(failed)", want, "%s", what);
	free(got);
}

#endif
