/* editor.c: edit text in $VISUAL or $EDITOR through a memory file
 * (memfd: never a file on disk), opened by the editor as
 * /proc/self/fd/N. */
#define _GNU_SOURCE
#include "../lib/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "cli.h"

static int run_editor(int fd)
{
	char path[64];
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	pid = fork();
	if (pid < 0)
		return cf_error_set(CF_EGENERIC, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* the editor inherits the memfd (no FD_CLOEXEC) */
		fcntl(fd, F_SETFD, 0);
		execl("/bin/sh", "sh", "-c", "exec $COFFER_EDITOR \"$1\"",
		      "sh", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cf_error_set(CF_EGENERIC, "waitpid: %s",
					    strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return cf_error_set(CF_EGENERIC,
			"the editor failed; nothing changed");
	return 0;
}

int edit_buffer(struct secbuf *out, const struct secbuf *in)
{
	const char *ed = getenv("VISUAL");
	int fd, ret;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	/* the editor command reaches sh through the environment, as git
	 * does; it is the user's own setting, never a secret */
	setenv("COFFER_EDITOR", ed && *ed ? ed : "vi", 1);
	fd = memfd_create("coffer-edit", MFD_CLOEXEC);
	if (fd < 0 || cf_write_all(fd, in->ptr, in->len) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot create a memory file: %s",
				   strerror(errno));
		goto out;
	}
	if ((ret = run_editor(fd)) < 0)
		goto out;
	if (lseek(fd, 0, SEEK_SET) < 0)
		ret = cf_error_set(CF_EGENERIC, "cannot read the edit: %s",
				   strerror(errno));
	else
		ret = cf_fd_read(out, fd, 4u << 20, "the edit");
out:
	if (fd >= 0)
		close(fd);
	return ret;
}
