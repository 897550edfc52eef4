/* hooks.c: the allow-list and running a hook step. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/crypt.h"
#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/policy.h"
#include "cli.h"
#include "hooks.h"

#define HOOK_MAX (4u << 20)		/* size of a hook file we hash */
#define OUTPUT_MAX (1u << 20)		/* hook output kept for masking */

void hook_release(struct hook *h)
{
	free(h->path);
	memset(h, 0, sizeof(*h));
}

/* Hashes the regular file at path, opened without following a final
 * symlink. */
static int hash_file(struct hook *h, const char *path, int need_exec)
{
	struct secbuf data = SECBUF_INIT;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cf_error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EHOOK,
				    "cannot open hook '%s': %s", path,
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cf_error_set(CF_EHOOK, "hook '%s' is not a regular file",
				    path);
	}
	if (need_exec && !(st.st_mode & S_IXUSR)) {
		close(fd);
		return cf_error_set(CF_EHOOK, "hook '%s' is not executable",
				    path);
	}
	data.nolock = 1;	/* code, not a secret */
	ret = cf_fd_read(&data, fd, HOOK_MAX, path);
	close(fd);
	if (ret == 0)
		cf_sha256_hex(h->sha, data.ptr ? data.ptr : "", data.len);
	secbuf_release(&data);
	return ret;
}

int hook_load(struct hook *h, const char *root, const char *rel)
{
	struct buf p = BUF_INIT, dir = BUF_INIT;
	char real[PATH_MAX], realdir[PATH_MAX];
	int ret;

	memset(h, 0, sizeof(*h));
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
	if ((ret = hash_file(h, real, 1)) < 0)
		goto out;
	h->path = xstrdup(real);
out:
	buf_release(&p);
	buf_release(&dir);
	return ret;
}

static void allow_path(struct buf *out)
{
	xdg_path(out, "XDG_CONFIG_HOME", ".config", "hooks.allow");
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

int hook_trusted(const struct hook *h)
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

int hook_trust(struct hook *h, const char *path)
{
	struct buf list = BUF_INIT, out = BUF_INIT, file = BUF_INIT;
	char real[PATH_MAX], *slash;
	const char *p, *line;
	size_t len;
	int ret;

	memset(h, 0, sizeof(*h));
	if (!realpath(path, real))
		return cf_error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EGENERIC,
				    "cannot find hook '%s': %s", path,
				    strerror(errno));
	if ((ret = hash_file(h, real, 0)) < 0 || (ret = allow_read(&list)) < 0)
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

/* ---- running ---- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Replaces every occurrence of each mask value in b by *****. */
static void mask_values(struct secbuf *b, const struct secbuf *const *mask,
			size_t nmask)
{
	struct secbuf out = SECBUF_INIT;

	for (size_t i = 0; i < b->len;) {
		size_t hit = 0;

		for (size_t k = 0; k < nmask && !hit; k++) {
			size_t l = mask[k]->len;

			if (l && l <= b->len - i && !memcmp(b->ptr + i,
							     mask[k]->ptr, l))
				hit = l;
		}
		if (hit) {
			secbuf_adds(&out, "*****");
			i += hit;
		} else {
			secbuf_addch(&out, b->ptr[i++]);
		}
	}
	secbuf_set(b, out.ptr, out.len);
	secbuf_release(&out);
}

static void print_output(const struct secbuf *b, const char *prefix)
{
	for (size_t i = 0; i < b->len;) {
		const char *nl = memchr(b->ptr + i, '\n', b->len - i);
		size_t len = nl ? (size_t)(nl - (b->ptr + i)) : b->len - i;

		fprintf(stderr, "%s%.*s\n", prefix, (int)len, b->ptr + i);
		i += len + 1;
	}
}

static void child(const struct hook *h, const char *dir, const char *step,
		  const int in[2], const int out[2])
{
	char *argv[] = { h->path, (char *)step, NULL };

	setpgid(0, 0);
	close(in[1]);
	close(out[0]);
	if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0 ||
	    chdir(dir) < 0)
		_exit(126);
	/* nothing of coffer's (the lock, gpg or git descriptors) goes on */
	syscall(SYS_close_range, 3u, ~0u, 0u);
	signal(SIGPIPE, SIG_DFL);
	execv(h->path, argv);
	_exit(126);
}

/* Feeds input and collects output until the hook closes its output, or
 * the deadline passes (returns 1 then). Closes to. */
static int pump(int to, int from, const struct secbuf *input,
		struct secbuf *output, int64_t deadline)
{
	size_t sent = 0;
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
				ssize_t w = write(to, input->ptr + sent,
						  input->len - sent);

				if (w > 0)
					sent += (size_t)w;
				if (w < 0 || sent == input->len) {
					close(to);	/* EPIPE: it stopped reading */
					to = -1;
				}
			} else {
				ssize_t r = read(from, chunk, sizeof(chunk));

				if (r == 0 || (r < 0 && errno != EINTR &&
					       errno != EAGAIN))
					goto done;
				if (r > 0 && output->len < OUTPUT_MAX)
					secbuf_add(output, chunk, (size_t)r);
			}
		}
	}
done:
	if (to >= 0)
		close(to);
	explicit_bzero(chunk, sizeof(chunk));
	return ret;
}

int hook_run(const struct hook *h, const char *dir, const char *step,
	     const struct secbuf *input, int64_t timeout,
	     const struct secbuf *const *mask, size_t nmask,
	     const char *prefix)
{
	struct secbuf output = SECBUF_INIT;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status = 0, timed_out;
	int64_t deadline = now_ms() + timeout * 1000;
	pid_t pid;
	int ret = -1;

	if (pipe(in) < 0 || pipe(out) < 0) {
		ret = cf_error_set(CF_EHOOK, "cannot run hook: %s",
				   strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		ret = cf_error_set(CF_EHOOK, "cannot run hook: %s",
				   strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(h, dir, step, in, out);
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	timed_out = pump(in[1], out[0], input, &output, deadline);
	in[1] = -1;	/* pump closed it */
	if (timed_out == 1)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	mask_values(&output, mask, nmask);
	print_output(&output, prefix);
	if (timed_out == 1)
		ret = cf_error_set(CF_EHOOK, "hook %s timed out after %llds",
				   step, (long long)timeout);
	else if (WIFSIGNALED(status))
		ret = cf_error_set(CF_EHOOK, "hook %s was killed by signal %d",
				   step, WTERMSIG(status));
	else if (timed_out < 0)
		ret = cf_error_set(CF_EHOOK, "hook %s: %s", step, strerror(errno));
	else if (WEXITSTATUS(status))
		ret = cf_error_set(CF_EHOOK, "hook %s failed (exit %d)", step,
				   WEXITSTATUS(status));
	else
		ret = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	secbuf_release(&output);
	return ret;
}
