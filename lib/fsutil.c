/* fsutil.c: careful file reads and atomic writes. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fsutil.h"

int cf_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fd_read(struct secbuf *out, int fd, size_t max, const char *what,
		   size_t expect)
{
	secbuf_reset(out);
	for (;;) {
		ssize_t n;

		if (out->len + 1 >= out->cap)
			secbuf_grow(out, out->cap < 4096 ? 4096 : out->cap);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return cf_error_set(CF_EGENERIC, "cannot read %s: %s",
					    what, strerror(errno));
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		if (out->len > max)
			return cf_error_set(CF_EINTEGRITY,
				"%s is larger than %zu bytes", what, max);
		if (out->len == expect)
			break;	/* the size fstat gave: no extra read */
	}
	if (!out->ptr)
		secbuf_add(out, "", 0);
	return 0;
}

int cf_fd_read(struct secbuf *out, int fd, size_t max, const char *what)
{
	return fd_read(out, fd, max, what, (size_t)-1);
}

int cf_file_read(struct secbuf *out, const char *path, size_t max)
{
	struct stat st;

	return cf_file_read_stat(out, path, max, &st);
}

int cf_file_open_regular(const char *path, struct stat *sb)
{
	int fd, flags;

	/* O_NONBLOCK: opening a FIFO for reading waits for a writer, and
	 * a device may wait for its hardware; the descriptor says what
	 * the path is before anything is read */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC |
		  O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return cf_error_set(CF_ENOTFOUND, "'%s' does not exist",
					    path);
		if (errno == ELOOP)
			return cf_error_set(CF_EINTEGRITY,
				"'%s' is a symbolic link", path);
		if (errno == ENXIO)	/* a socket, or a FIFO for writing */
			return cf_error_set(CF_EINTEGRITY,
				"'%s' is not a regular file", path);
		return cf_error_set(CF_EGENERIC, "cannot open '%s': %s", path,
				    strerror(errno));
	}
	if (fstat(fd, sb) < 0 || !S_ISREG(sb->st_mode)) {
		close(fd);
		return cf_error_set(CF_EINTEGRITY, "'%s' is not a regular file",
				    path);
	}
	/* a regular file never blocks; cleared for whoever reads it */
	if ((flags = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int cf_file_read_stat(struct secbuf *out, const char *path, size_t max,
		      struct stat *sb)
{
	struct stat st;
	int fd, ret;

	if ((fd = cf_file_open_regular(path, &st)) < 0)
		return fd;
	if ((size_t)st.st_size > max) {
		close(fd);
		return cf_error_set(CF_EINTEGRITY,
			"'%s' is larger than %zu bytes", path, max);
	}
	/* Files on disk hold ciphertext and clear metadata only: no need
	 * to lock them in memory. One allocation of the right size. */
	if (!out->ptr)
		out->nolock = 1;
	secbuf_reset(out);
	secbuf_grow(out, (size_t)st.st_size + 1);
	ret = fd_read(out, fd, max, path, (size_t)st.st_size);
	close(fd);
	*sb = st;
	return ret;
}

int cf_mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;
	struct stat st;
	int ret = -1;

	for (s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		/* another process may make it between our look and our
		 * mkdir: EEXIST then means look again */
		if (lstat(p, &st) < 0 &&
		    (errno != ENOENT || (mkdir(p, 0700) < 0 && errno != EEXIST) ||
		     lstat(p, &st) < 0)) {
			ret = cf_error_set(CF_EGENERIC, "cannot create '%s': %s",
					   p, strerror(errno));
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			ret = cf_error_set(CF_EINTEGRITY,
				"'%s' is not a directory", p);
			goto out;
		}
		*s = c;
		if (!c)
			break;
	}
	ret = 0;
out:
	free(p);
	return ret;
}

static void fsync_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		dir[0] = '.', dir[1] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static int write_atomic(const char *path, const void *data, size_t len,
			mode_t mode, int durable)
{
	struct buf tmp = BUF_INIT;
	int fd = -1, ret = -1;

	for (int tries = 0; fd < 0; tries++) {
		unsigned r;

		if (getentropy(&r, sizeof(r)) < 0)
			r = (unsigned)getpid() ^ (unsigned)tries;
		buf_reset(&tmp);
		buf_addf(&tmp, "%s.tmp-%08x", path, r);
		fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			  O_CLOEXEC, mode);
		if (fd < 0 && (errno != EEXIST || tries > 8)) {
			ret = cf_error_set(CF_EGENERIC, "cannot create '%s': %s",
					   tmp.ptr, strerror(errno));
			goto out;
		}
	}
	if (cf_write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		ret = cf_error_set(CF_EGENERIC, "cannot write '%s': %s",
				   tmp.ptr, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		ret = cf_error_set(CF_EGENERIC, "cannot write '%s': %s",
				   tmp.ptr, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot rename to '%s': %s",
				   path, strerror(errno));
		goto fail;
	}
	if (durable)
		fsync_dir(path);
	ret = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp.ptr);
out:
	buf_release(&tmp);
	return ret;
}

int cf_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode)
{
	return write_atomic(path, data, len, mode, 1);
}

int cf_file_replace(const char *path, const void *data, size_t len,
		    mode_t mode)
{
	return write_atomic(path, data, len, mode, 0);
}

void cf_xdg_path(struct buf *out, const char *var, const char *dflt,
		 const char *file)
{
	const char *x = getenv(var), *home = getenv("HOME");

	if (x && *x == '/')
		buf_addf(out, "%s/coffer/%s", x, file);
	else
		buf_addf(out, "%s/%s/coffer/%s", home ? home : "", dflt, file);
}
