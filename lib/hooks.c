/* hooks.c: finding a hook and sealing a copy of it, the allow-list, and
 * running a step from that copy. */
#define _GNU_SOURCE	/* memfd_create, F_ADD_SEALS */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypt.h"
#include "error.h"
#include "fsutil.h"
#include "hooks.h"
#include "policy.h"
#include "proc.h"

#define HOOK_MAX (4u << 20)		/* size of a hook file we hash */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U		/* Linux 6.3; older headers lack it */
#endif

void cf_hook_release(struct cf_hook *h)
{
	/* { NULL, "" } is a hook never loaded: its fd (0) is not ours */
	if (h->path && h->fd >= 0)
		close(h->fd);
	free(h->path);
	memset(h, 0, sizeof(*h));
	h->fd = -1;
}

/* A memory file of coffer's, executable: the kernel may be set to make
 * memfds non-executable unless asked (vm.memfd_noexec, Linux 6.3), and
 * an older one does not know MFD_EXEC. */
static int memfd_exec(void)
{
	int fd = memfd_create("coffer-hook",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("coffer-hook",
				  MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd;
}

/* Copies the regular file at path, opened without following a final
 * symlink, into a sealed memfd (*out, or closed when out is NULL), and
 * hashes the sealed copy into h->sha: what runs later is exactly what
 * was hashed, whatever happens to the file. */
static int seal_copy(struct cf_hook *h, int *out, const char *path,
		     int need_exec)
{
	struct secbuf data = SECBUF_INIT, back = SECBUF_INIT;
	struct stat st;
	int fd, mfd = -1, ret;

	/* O_NONBLOCK: a FIFO in its place must not hang us */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
		  O_NONBLOCK);
	if (fd < 0)
		return cf_error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EHOOK,
				    "cannot open hook '%s': %s", path,
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = cf_error_set(CF_EHOOK, "hook '%s' is not a regular file",
				   path);
		goto out;
	}
	if (need_exec && !(st.st_mode & S_IXUSR)) {
		ret = cf_error_set(CF_EHOOK, "hook '%s' is not executable",
				   path);
		goto out;
	}
	data.nolock = back.nolock = 1;	/* code, not a secret */
	if ((ret = cf_fd_read(&data, fd, HOOK_MAX, path)) < 0)
		goto out;
	if ((mfd = memfd_exec()) < 0) {
		ret = cf_error_set(CF_EHOOK, "cannot copy hook '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	if ((ret = cf_write_all(mfd, data.ptr ? data.ptr : "", data.len)) < 0)
		goto out;
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK |
		  F_SEAL_GROW | F_SEAL_SEAL) < 0 ||
	    lseek(mfd, 0, SEEK_SET) < 0) {
		ret = cf_error_set(CF_EHOOK, "cannot seal the copy of hook '%s': %s",
				   path, strerror(errno));
		goto out;
	}
	if ((ret = cf_fd_read(&back, mfd, HOOK_MAX, path)) < 0)
		goto out;
	cf_sha256_hex(h->sha, back.ptr ? back.ptr : "", back.len);
	if (out) {
		*out = mfd;
		mfd = -1;
	}
out:
	close(fd);
	if (mfd >= 0)
		close(mfd);
	secbuf_release(&data);
	secbuf_release(&back);
	return ret;
}

int cf_hook_load(struct cf_hook *h, const char *root, const char *rel)
{
	struct buf p = BUF_INIT, dir = BUF_INIT;
	char real[PATH_MAX], realdir[PATH_MAX];
	int ret;

	memset(h, 0, sizeof(*h));
	h->fd = -1;
	if (!cf_hook_path_valid(rel))
		return cf_error_set(CF_EHOOK,
			"hook '%s' must be a file directly in .coffer/hooks/",
			rel);
	buf_addf(&p, "%s/%s", root, rel);
	buf_addf(&dir, "%s/.coffer/hooks", root);
	if (!realpath(p.ptr, real) || !realpath(dir.ptr, realdir)) {
		ret = cf_error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EHOOK,
				   "hook '%s': %s", rel, strerror(errno));
		goto out;
	}
	/* the store refuses symlinks: the hook must be where it says */
	if (strcmp(real, p.ptr) || strncmp(real, realdir, strlen(realdir))) {
		ret = cf_error_set(CF_EHOOK,
			"hook '%s' is reached through a symlink; refusing", rel);
		goto out;
	}
	if ((ret = seal_copy(h, &h->fd, real, 1)) < 0)
		goto out;
	h->path = xstrdup(real);
out:
	buf_release(&p);
	buf_release(&dir);
	return ret;
}

static void allow_path(struct buf *out)
{
	cf_xdg_path(out, "XDG_CONFIG_HOME", ".config", "hooks.allow");
}

/* Lines "SHA256  PATH". */
static int allow_read(struct buf *out)
{
	struct buf path = BUF_INIT;
	struct secbuf data = SECBUF_INIT;
	int ret;

	allow_path(&path);
	data.nolock = 1;
	ret = cf_file_read(&data, path.ptr, 1u << 20);
	if (ret == 0 && data.len)
		buf_add(out, data.ptr, data.len);
	if (ret == CF_ENOTFOUND)
		ret = 0;
	secbuf_release(&data);
	buf_release(&path);
	return ret;
}

/* The next line at *p (its length in *len, without the newline), or
 * NULL at the end; *p moves past it. */
static const char *next_line(const char **p, size_t *len)
{
	const char *line = *p, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	*len = nl ? (size_t)(nl - line) : strlen(line);
	*p = line + *len + (nl ? 1 : 0);
	return line;
}

/* Whether an allow-list line "SHA256  PATH" is about path. */
static int names_path(const char *line, size_t len, const char *path)
{
	size_t pl = strlen(path);

	return len == 64 + 2 + pl && !memcmp(line + 64, "  ", 2) &&
	       !memcmp(line + 66, path, pl);
}

int cf_hook_trusted(const struct cf_hook *h)
{
	struct buf list = BUF_INIT;
	const char *p, *line;
	size_t len;
	int ok = 0;

	if (allow_read(&list) == 0)
		for (p = buf_cstr(&list); !ok && (line = next_line(&p, &len));)
			ok = names_path(line, len, h->path) &&
			     !memcmp(line, h->sha, 64);
	buf_release(&list);
	return ok;
}

int cf_hook_trust(struct cf_hook *h, const char *path)
{
	struct buf list = BUF_INIT, out = BUF_INIT, file = BUF_INIT;
	char real[PATH_MAX], *slash;
	const char *p, *line;
	size_t len;
	int ret;

	memset(h, 0, sizeof(*h));
	h->fd = -1;
	if (!realpath(path, real))
		return cf_error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EGENERIC,
				    "cannot find hook '%s': %s", path,
				    strerror(errno));
	if ((ret = seal_copy(h, NULL, real, 0)) < 0 ||
	    (ret = allow_read(&list)) < 0)
		goto out;
	h->path = xstrdup(real);
	/* keep every other line; this path gets its new hash */
	for (p = buf_cstr(&list); (line = next_line(&p, &len));)
		if (len && !names_path(line, len, real))
			buf_addf(&out, "%.*s\n", (int)len, line);
	buf_addf(&out, "%s  %s\n", h->sha, real);
	allow_path(&file);
	slash = strrchr(file.ptr, '/');
	*slash = '\0';
	ret = cf_mkdirs(file.ptr);
	*slash = '/';
	if (ret == 0)
		ret = cf_file_write_atomic(file.ptr, out.ptr, out.len, 0600);
out:
	buf_release(&list);
	buf_release(&out);
	buf_release(&file);
	return ret;
}

int cf_hook_run(const struct cf_hook *h, const char *dir, const char *step,
		const struct secbuf *input, int64_t timeout,
		const struct secbuf *const *mask, size_t nmask,
		struct secbuf *output)
{
	const char *argv[] = { h->path, step, NULL };
	struct cf_proc_result res;
	int ret;

	/* the sealed copy that was hashed, never the file again */
	ret = cf_proc_run_fd(h->fd, argv, dir, input, timeout, mask, nmask,
			     output, &res);
	if (ret < 0)
		return cf_error_set(CF_EHOOK, "hook %s: %s", step,
				    cf_error_last());
	if (res.timed_out)
		return cf_error_set(CF_EHOOK, "hook %s timed out after %llds",
				    step, (long long)timeout);
	if (res.signal)
		return cf_error_set(CF_EHOOK, "hook %s was killed by signal %d",
				    step, res.signal);
	if (res.status)
		return cf_error_set(CF_EHOOK, "hook %s failed (exit %d)", step,
				    res.status);
	return 0;
}
