/* gnupg.h: a private GNUPGHOME for the unit tests that need GnuPG:
 * DIR/gnupg with alice's secret key and bob's and carol's public keys
 * (the committed fixtures), and removing DIR with its agent. */
#ifndef TEST_GNUPG_H
#define TEST_GNUPG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../lib/buf.h"

static int gnupg_setup(const char *dir)
{
	struct buf home = BUF_INIT, cmd = BUF_INIT, fix = BUF_INIT;
	const char *slash = strrchr(__FILE__, '/');
	int ret;

	buf_addf(&home, "%s/gnupg", dir);
	mkdir(home.ptr, 0700);
	setenv("GNUPGHOME", home.ptr, 1);
	buf_addf(&fix, "%.*s/../fixtures", slash ? (int)(slash - __FILE__) : 1,
		 slash ? __FILE__ : ".");
	buf_addf(&cmd, "gpg --batch --quiet --import '%s/alice.sec.asc' "
		 "'%s/bob.pub.asc' '%s/carol.pub.asc' 2>/dev/null", fix.ptr,
		 fix.ptr, fix.ptr);
	ret = system(cmd.ptr) == 0 ? 0 : -1;
	buf_release(&home);
	buf_release(&cmd);
	buf_release(&fix);
	return ret;
}

static void gnupg_teardown(const char *dir)
{
	struct buf cmd = BUF_INIT;

	if (system("gpgconf --kill all 2>/dev/null") != 0)
		printf("# gpgconf --kill all failed\n");
	buf_addf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd.ptr) != 0)
		printf("# cannot remove %s\n", dir);
	buf_release(&cmd);
}

#endif
