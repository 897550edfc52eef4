/* fsutil.h: careful file reads and atomic writes. */
#ifndef CF_FSUTIL_H
#define CF_FSUTIL_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "buf.h"
#include "secbuf.h"

/* Opens path for reading if it is a regular file, without following a
 * symlink and without waiting on a FIFO, socket or device: returns the
 * fd (O_CLOEXEC, blocking) and its stat data in *sb; CF_ENOTFOUND if it
 * does not exist, CF_EINTEGRITY "'path' is not a regular file" (or "is
 * a symbolic link"). */
int cf_file_open_regular(const char *path, struct stat *sb);
/* Reads a regular file (no symlink) of at most max bytes into out,
 * opened with cf_file_open_regular. CF_ENOTFOUND if it does not exist,
 * CF_EINTEGRITY if it is not a regular file or too large.
 * Meant for coffer's files, which never hold plaintext: a fresh out is
 * not mlock()ed. */
int cf_file_read(struct secbuf *out, const char *path, size_t max);
/* The same, with the file's stat data as it was opened (before it is
 * read) in *sb. */
int cf_file_read_stat(struct secbuf *out, const char *path, size_t max,
		      struct stat *sb);
/* Reads from an open fd until EOF, at most max bytes: standard input,
 * a pipe, or a file opened with cf_file_open_regular. */
int cf_fd_read(struct secbuf *out, int fd, size_t max, const char *what);
/* Writes data to path through a temp file in the same directory
 * (O_EXCL|O_NOFOLLOW, mode), fsync and rename; the temp file is
 * removed on failure. */
int cf_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode);
/* The same without fsync: readers see the old file or the new one, but
 * after a crash it may be empty or torn. For caches, which check what
 * they read. */
int cf_file_replace(const char *path, const void *data, size_t len,
		    mode_t mode);
/* Creates dir and its missing parents (mode 0700); refuses symlinks. */
int cf_mkdirs(const char *dir);
/* Writes all of len bytes to fd, retrying on EINTR. */
int cf_write_all(int fd, const void *data, size_t len);

/* $VAR/coffer/FILE, or ~/DFLT/coffer/FILE when VAR is unset or not
 * absolute (the XDG base directory rules). */
void cf_xdg_path(struct buf *out, const char *var, const char *dflt,
		 const char *file);

#endif
