/* proc.c: spawn (by path or from a descriptor), feed, collect, time
 * out, mask. */
#define _GNU_SOURCE	/* environ */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "match.h"
#include "proc.h"

/* After the child exits, how long what it left running may keep its
 * output open before that is killed too. */
#define GRACE_MS 500
/* Without a pidfd, how often whether the child exited is asked. */
#define TICK_MS 20

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cf_mask_values(struct secbuf *b, const struct secbuf *const *mask,
		    size_t nmask)
{
	struct secbuf out = SECBUF_INIT;
	struct cf_match m;
	struct cf_mask k;

	if (!b->len)
		return;
	cf_match_init(&m);
	for (size_t i = 0; i < nmask; i++)
		cf_match_add(&m, mask[i]->ptr, mask[i]->len);
	cf_mask_init(&k, &m);
	cf_mask_feed(&k, &out, b->ptr, b->len);
	cf_mask_flush(&k, &out);
	secbuf_set(b, out.ptr, out.len);
	cf_mask_release(&k);
	cf_match_release(&m);
	secbuf_release(&out);
}

/* In the child: stdin, stdout and stderr are the pipes; with exec_fd,
 * the program is that descriptor, which stays open as fd 3 (without
 * close-on-exec): a #! script's interpreter opens /dev/fd/3 after the
 * exec, so a close-on-exec descriptor would be gone by then (ENOENT).
 * Nothing else of ours is passed on. */
static void child(int exec_fd, char *const *argv, const char *dir,
		  const int in[2], const int out[2])
{
	setpgid(0, 0);
	close(in[1]);
	close(out[0]);
	if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0 ||
	    chdir(dir) < 0)
		_exit(126);
	if (exec_fd >= 0 && (exec_fd == 3 ? fcntl(3, F_SETFD, 0) :
			     dup2(exec_fd, 3)) < 0)
		_exit(126);
	syscall(SYS_close_range, exec_fd >= 0 ? 4u : 3u, ~0u, 0u);
	signal(SIGPIPE, SIG_DFL);
	if (exec_fd >= 0)
		fexecve(3, argv, environ);
	else
		execv(argv[0], argv);
	_exit(126);
}

/* A descriptor that becomes readable when pid exits, or -1 (a kernel
 * before 5.3): then the caller asks every TICK_MS. */
static int pid_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
#else
	(void)pid;
	return -1;
#endif
}

/* Whether pid exited, without reaping it: its pid (and so its process
 * group) stays ours until waitpid. */
static int exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == pid;
}

/* What the child wrote, masked, kept up to CF_PROC_OUTPUT_MAX: the
 * masked text can be cut anywhere, as every byte of it is decided. */
static void keep(struct secbuf *output, struct secbuf *masked)
{
	size_t room = CF_PROC_OUTPUT_MAX - output->len;

	if (output->len < CF_PROC_OUTPUT_MAX)
		secbuf_add(output, masked->ptr,
			   masked->len < room ? masked->len : room);
	secbuf_reset(masked);
}

struct child {
	pid_t pid;
	int pidfd;		/* or -1 */
	int to, from;		/* its stdin and its output, or -1 */
	int gone;		/* it exited (not yet reaped) */
	int timed_out;
};

/* Feeds input and collects output until the child exits and its output
 * ends, or the deadline passes (then c->timed_out), or, once it
 * exited, GRACE_MS pass with the output still open (something it left
 * running holds it). The deadline holds whatever the pipes do. */
static int pump(struct child *c, const struct secbuf *input,
		struct cf_mask *k, struct secbuf *output, int64_t deadline)
{
	struct secbuf masked = SECBUF_INIT;
	size_t sent = 0, len = input ? input->len : 0;
	int64_t grace = 0;
	char chunk[4096];
	int ret = 0;

	for (;;) {
		struct pollfd fds[3];
		nfds_t n = 0;
		int64_t now = now_ms(), left;
		int rc;

		if (!c->gone && now >= deadline) {
			c->timed_out = 1;
			break;
		}
		if (c->gone && (c->from < 0 || now >= grace))
			break;
		left = (c->gone ? grace : deadline) - now;
		if (!c->gone && c->pidfd < 0 && left > TICK_MS)
			left = TICK_MS;
		if (c->to >= 0) {
			fds[n].fd = c->to;
			fds[n++].events = POLLOUT;
		}
		if (c->from >= 0) {
			fds[n].fd = c->from;
			fds[n++].events = POLLIN;
		}
		if (!c->gone && c->pidfd >= 0) {
			fds[n].fd = c->pidfd;
			fds[n++].events = POLLIN;
		}
		rc = poll(fds, n, left > INT_MAX ? INT_MAX : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			ret = cf_error_set(CF_EGENERIC, "poll: %s",
					   strerror(errno));
			goto out;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (!fds[i].revents || fds[i].fd == c->pidfd)
				continue;
			if (fds[i].fd == c->to) {
				ssize_t w = len ? write(c->to, input->ptr + sent,
							len - sent) : 0;

				if (w > 0)
					sent += (size_t)w;
				if (w < 0 || sent == len) {
					close(c->to);	/* EPIPE: it stopped reading */
					c->to = -1;
				}
			} else {
				ssize_t r = read(c->from, chunk, sizeof(chunk));

				if (r < 0 && (errno == EINTR || errno == EAGAIN))
					continue;
				if (r <= 0) {
					close(c->from);
					c->from = -1;
					continue;
				}
				cf_mask_feed(k, &masked, chunk, (size_t)r);
				keep(output, &masked);
			}
		}
		if (!c->gone && (c->pidfd >= 0 ? fds[n - 1].revents != 0 :
				 exited(c->pid))) {
			c->gone = 1;
			grace = now_ms() + GRACE_MS;
			if (grace > deadline)
				grace = deadline;
			if (c->to >= 0)
				close(c->to);
			c->to = -1;
		}
	}
out:
	explicit_bzero(chunk, sizeof(chunk));
	secbuf_release(&masked);
	return ret;
}

/* A writable copy of argv, as execv wants one. */
static char **argv_dup(const char *const *argv)
{
	size_t n = 0;
	char **v;

	while (argv[n])
		n++;
	v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(argv[i]);
	return v;
}

static int run(int exec_fd, const char *const *argv, const char *dir,
	       const struct secbuf *input, int64_t timeout,
	       const struct secbuf *const *mask, size_t nmask,
	       struct secbuf *output, struct cf_proc_result *res)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status = 0, pumped = 0;
	int64_t deadline = now_ms() + timeout * 1000;
	struct child c = { -1, -1, -1, -1, 0, 0 };
	struct secbuf rest = SECBUF_INIT;
	char **av = argv_dup(argv);
	struct cf_match m;
	struct cf_mask k;
	int ret = -1;

	cf_match_init(&m);
	for (size_t i = 0; i < nmask; i++)
		cf_match_add(&m, mask[i]->ptr, mask[i]->len);
	cf_mask_init(&k, &m);
	memset(res, 0, sizeof(*res));
	if (pipe(in) < 0 || pipe(out) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot run '%s': %s", argv[0],
				   strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((c.pid = fork()) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot run '%s': %s", argv[0],
				   strerror(errno));
		goto out;
	}
	if (c.pid == 0)
		child(exec_fd, av, dir, in, out);
	/* the group exists before we may signal it */
	setpgid(c.pid, c.pid);
	c.pidfd = pid_fd(c.pid);
	c.to = in[1];
	c.from = out[0];
	in[1] = out[0] = -1;
	fcntl(c.to, F_SETFD, FD_CLOEXEC);
	fcntl(c.from, F_SETFD, FD_CLOEXEC);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	fcntl(c.to, F_SETFL, O_NONBLOCK);
	pumped = pump(&c, input, &k, output, deadline);
	/* at the deadline, or when what it left running still holds its
	 * output: the whole group goes (its pid is not reaped yet, so the
	 * group is still ours to signal) */
	if (pumped < 0 || c.timed_out || c.from >= 0)
		kill(-c.pid, SIGKILL);
	while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR)
		;
	cf_mask_flush(&k, &rest);
	keep(output, &rest);
	if ((ret = pumped) < 0)
		goto out;
	res->timed_out = c.timed_out;
	res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	ret = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	if (c.to >= 0)
		close(c.to);
	if (c.from >= 0)
		close(c.from);
	if (c.pidfd >= 0)
		close(c.pidfd);
	for (size_t i = 0; av[i]; i++)
		free(av[i]);
	free(av);
	secbuf_release(&rest);
	cf_mask_release(&k);
	cf_match_release(&m);
	return ret;
}

int cf_proc_run(const char *const *argv, const char *dir,
		const struct secbuf *input, int64_t timeout,
		const struct secbuf *const *mask, size_t nmask,
		struct secbuf *output, struct cf_proc_result *res)
{
	return run(-1, argv, dir, input, timeout, mask, nmask, output, res);
}

int cf_proc_run_fd(int fd, const char *const *argv, const char *dir,
		   const struct secbuf *input, int64_t timeout,
		   const struct secbuf *const *mask, size_t nmask,
		   struct secbuf *output, struct cf_proc_result *res)
{
	return run(fd, argv, dir, input, timeout, mask, nmask, output, res);
}
