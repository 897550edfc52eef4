/* proc.c: spawn, feed, collect, time out, mask. */
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
#include "proc.h"

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
	unsigned char *hide;

	if (!b->len)
		return;
	/* every byte any value covers is hidden, so overlapping values
	 * ("abc" and "bcd" in "abcd") leave nothing of either; a run of
	 * hidden bytes becomes one ***** */
	hide = xcalloc(b->len, 1);
	for (size_t k = 0; k < nmask; k++) {
		size_t l = mask[k]->len;

		for (size_t i = 0; l && l <= b->len && i <= b->len - l; i++)
			if (!memcmp(b->ptr + i, mask[k]->ptr, l))
				memset(hide + i, 1, l);
	}
	for (size_t i = 0; i < b->len; i++) {
		if (!hide[i])
			secbuf_addch(&out, b->ptr[i]);
		else if (!i || !hide[i - 1])
			secbuf_adds(&out, "*****");
	}
	secbuf_set(b, out.ptr, out.len);
	secbuf_release(&out);
	free(hide);
}

static void child(char *const *argv, const char *dir, const int in[2],
		  const int out[2])
{
	setpgid(0, 0);
	close(in[1]);
	close(out[0]);
	if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0 ||
	    chdir(dir) < 0)
		_exit(126);
	syscall(SYS_close_range, 3u, ~0u, 0u);
	signal(SIGPIPE, SIG_DFL);
	execv(argv[0], argv);
	_exit(126);
}

/* Feeds input and collects output until the child closes its output, or
 * the deadline passes (returns 1 then). Closes to. */
static int pump(int to, int from, const struct secbuf *input,
		struct secbuf *output, int64_t deadline)
{
	size_t sent = 0, len = input ? input->len : 0;
	char chunk[4096];
	int ret = 0;

	for (;;) {
		struct pollfd fds[2];
		nfds_t n = 0;
		int64_t left = deadline - now_ms();
		int rc;

		if (left <= 0) {
			ret = 1;
			goto done;
		}
		if (to >= 0) {
			fds[n].fd = to;
			fds[n++].events = POLLOUT;
		}
		fds[n].fd = from;
		fds[n++].events = POLLIN;
		rc = poll(fds, n, left > INT_MAX ? INT_MAX : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			ret = -1;
			goto done;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			if (fds[i].fd == to) {
				ssize_t w = len ? write(to, input->ptr + sent,
							len - sent) : 0;

				if (w > 0)
					sent += (size_t)w;
				if (w < 0 || sent == len) {
					close(to);	/* EPIPE: it stopped reading */
					to = -1;
				}
			} else {
				ssize_t r = read(from, chunk, sizeof(chunk));

				if (r == 0 || (r < 0 && errno != EINTR &&
					       errno != EAGAIN))
					goto done;
				if (r > 0 && output->len < CF_PROC_OUTPUT_MAX)
					secbuf_add(output, chunk,
						   (size_t)r < CF_PROC_OUTPUT_MAX - output->len ?
						   (size_t)r : CF_PROC_OUTPUT_MAX - output->len);
			}
		}
	}
done:
	if (to >= 0)
		close(to);
	explicit_bzero(chunk, sizeof(chunk));
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

int cf_proc_run(const char *const *argv, const char *dir,
		const struct secbuf *input, int64_t timeout,
		const struct secbuf *const *mask, size_t nmask,
		struct secbuf *output, struct cf_proc_result *res)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status = 0, pumped;
	int64_t deadline = now_ms() + timeout * 1000;
	char **av = argv_dup(argv);
	pid_t pid;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (pipe(in) < 0 || pipe(out) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot run '%s': %s", argv[0],
				   strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot run '%s': %s", argv[0],
				   strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(av, dir, in, out);
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	pumped = pump(in[1], out[0], input, output, deadline);
	in[1] = -1;	/* pump closed it */
	if (pumped == 1)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cf_mask_values(output, mask, nmask);
	if (pumped < 0) {
		ret = cf_error_set(CF_EGENERIC, "'%s': %s", argv[0],
				   strerror(errno));
		goto out;
	}
	res->timed_out = pumped == 1;
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
	for (size_t i = 0; av[i]; i++)
		free(av[i]);
	free(av);
	return ret;
}
