/* enospc.c: an LD_PRELOAD shim for the crash tests: the first
 * $ENOSPC_AFTER writes to regular files succeed, every later one fails
 * with ENOSPC, as on a disk that fills up mid-write. Only the process it
 * is loaded into is affected: it leaves LD_PRELOAD out of the
 * environment of the programs that process starts (gpg, git). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long left = -1;

__attribute__((constructor)) static void start(void)
{
	const char *n = getenv("ENOSPC_AFTER");

	left = n ? atol(n) : -1;
	unsetenv("LD_PRELOAD");
	unsetenv("ENOSPC_AFTER");
}

/* Whether this write to fd fails. */
static int full(int fd)
{
	struct stat sb;

	if (left < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	if (left > 0) {
		left--;
		return 0;
	}
	errno = ENOSPC;
	return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	return full(fd) ? -1 : real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	return full(fd) ? -1 : real(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	if (!real)
		real = (ssize_t (*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
	return full(fd) ? -1 : real(fd, iov, n);
}
