/* lock.c: the store's write lock (SPEC 2): .git/coffer.lock in the
 * common git directory, created with O_EXCL, held with flock, holding
 * "pid host time"; a dead holder's lock is taken over. */
#include "common.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "store.h"

#define LOCK_WAIT_MS 2000
#define LOCK_YOUNG_S 2	/* an empty lock younger than this is being made */

/* Parses "<pid> <hostname> <unix-time>\n"; host holds 256 bytes. */
static int lock_info(int fd, long *pid, char host[256], long long *when)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return sscanf(buf, "%ld %255s %lld", pid, host, when) == 3 ? 0 : -1;
}

/* Whether path still names the file open at fd. */
static int still_named(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* Creates the lock file. The flock comes right after the create, before
 * the line is written: on this host, a lock file whose flock nobody
 * holds is stale whatever it says (a kill between create and write
 * leaves it empty). 0, CF_ECONFLICT if it exists, or another error. */
static int lock_try(struct cf_store *st, const char *host, struct buf *line)
{
	int fd = open(st->lock_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		      O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? CF_ECONFLICT :
		       cf_error_set(CF_EGENERIC, "cannot create the lock %s: %s",
				    st->lock_path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || !still_named(fd, st->lock_path)) {
		/* a taker-over between our create and flock (a stall longer
		 * than LOCK_YOUNG_S made our empty file look stale) */
		close(fd);
		return CF_ECONFLICT;
	}
	buf_reset(line);
	buf_addf(line, "%ld %s %lld\n", (long)getpid(), host,
		 (long long)time(NULL));
	if (cf_write_all(fd, line->ptr, line->len) < 0 || fsync(fd) < 0) {
		int e = errno;

		unlink(st->lock_path);
		close(fd);
		return cf_error_set(CF_EGENERIC, "cannot write the lock: %s",
				    strerror(e));
	}
	st->lock_fd = fd;
	return 0;
}

/* Takes over a lock its holder left: the file names this host and a
 * dead process (or holds nothing readable and is older than
 * LOCK_YOUNG_S, so it is no creator between its create and its flock),
 * and nobody holds its flock. Holding
 * flock on that inode makes the unlink race-free. 0 if it was taken
 * over or is gone, CF_ECONFLICT if it is held. */
static int lock_stale(struct cf_store *st, const char *host, int *stale)
{
	char other[256];
	long pid = 0;
	long long when = 0;
	struct stat a, b;
	int fd = open(st->lock_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		      O_NONBLOCK), ok;

	if (fd < 0 && errno == ENOENT)
		return 0;	/* released meanwhile */
	if (fd < 0 || fstat(fd, &a) < 0 || !S_ISREG(a.st_mode)) {
		int e = fd < 0 ? errno : EINVAL;

		if (fd >= 0)
			close(fd);
		return cf_error_set(CF_EGENERIC,
			"the lock %s is not a file coffer can read (%s); remove it if no coffer runs",
			st->lock_path, strerror(e));
	}
	ok = lock_info(fd, &pid, other, &when) == 0;
	if ((ok && strcmp(other, host)) ||	/* another host's: SPEC 2 */
	    (ok && pid > 0 && kill((pid_t)pid, 0) == 0) ||	/* alive */
	    (!ok && time(NULL) - a.st_mtime < LOCK_YOUNG_S) ||
	    flock(fd, LOCK_EX | LOCK_NB) < 0 ||
	    stat(st->lock_path, &b) < 0 ||
	    a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		close(fd);
		return CF_ECONFLICT;
	}
	if (unlink(st->lock_path) < 0 && errno != ENOENT) {
		int e = errno;

		close(fd);
		return cf_error_set(CF_EGENERIC, "cannot remove the stale lock %s: %s",
				    st->lock_path, strerror(e));
	}
	close(fd);
	*stale = 1;
	return 0;
}

/* CF_ECONFLICT naming who holds the lock. */
static int lock_describe(const struct cf_store *st)
{
	char other[256] = "?", t[32] = "?";
	long pid = 0;
	long long when = 0;
	int fd = open(st->lock_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && lock_info(fd, &pid, other, &when) == 0) {
		time_t tt = (time_t)when;
		struct tm tm;

		gmtime_r(&tt, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (fd >= 0)
		close(fd);
	return cf_error_set(CF_ECONFLICT,
		"store is locked by pid %ld on %s since %s (%s)", pid, other, t,
		st->lock_path);
}

static int lock_wait(struct cf_store *st, int *stale, int wait_ms)
{
	char host[256] = "";
	struct buf line = BUF_INIT;
	int waited = 0, retakes = 0, ret = -1;

	*stale = 0;
	if (st->lock_fd >= 0)
		return 0;
	free(st->lock_path);
	st->lock_path = NULL;
	{
		struct buf p = BUF_INIT;

		buf_addf(&p, "%s/coffer.lock", cf_store_git_dir(st, 1));
		st->lock_path = buf_detach(&p);
	}
	gethostname(host, sizeof(host) - 1);
	for (;;) {
		if ((ret = lock_try(st, host, &line)) != CF_ECONFLICT)
			goto out;
		if ((ret = lock_stale(st, host, stale)) == 0 && ++retakes < 100)
			continue;	/* gone, or taken over: try again */
		if (ret != CF_ECONFLICT && ret != 0)
			goto out;
		if (waited >= wait_ms) {
			ret = lock_describe(st);
			goto out;
		}
		usleep(20000);
		waited += 20;
	}
out:
	buf_release(&line);
	return ret;
}

int cf_store_lock(struct cf_store *st, int *stale)
{
	return lock_wait(st, stale, LOCK_WAIT_MS);
}

int cf_store_trylock(struct cf_store *st, int *stale)
{
	return lock_wait(st, stale, 0);
}

void cf_store_unlock(struct cf_store *st)
{
	if (st->lock_fd < 0)
		return;
	unlink(st->lock_path);
	close(st->lock_fd);
	st->lock_fd = -1;
}
