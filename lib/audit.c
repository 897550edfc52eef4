/* audit.c: the local read log (SPEC 8.3).
 *
 * Each line is a compact JSON object: time, store, principal, name,
 * version, command, pid, and prev, the hex SHA-256 of the line before it
 * without its newline (64 zeros on the first). Editing or removing a
 * line breaks the chain at the line after it. The log is the reader's
 * own record: whoever can write it can also rewrite it whole, so the
 * chain finds accidents and careless edits, not a determined owner. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "crypt.h"
#include "error.h"
#include "fsutil.h"
#include "timeutil.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_LOG (1u << 30)

/* The last line of the file (a complete one, or what a torn write left),
 * read from its end. */
static int last_line(struct buf *out, int fd, off_t size)
{
	size_t want = 4096;

	buf_reset(out);
	while (size > 0) {
		size_t n = (off_t)want < size ? want : (size_t)size;
		char *chunk = xmalloc(n);
		ssize_t got = pread(fd, chunk, n, size - (off_t)n);
		size_t end = (size_t)(got > 0 ? got : 0), start;

		if (got != (ssize_t)n) {
			free(chunk);
			return cf_error_set(CF_EGENERIC, "cannot read the audit log: %s",
					    strerror(errno));
		}
		if (end && chunk[end - 1] == '\n')
			end--;
		for (start = end; start > 0 && chunk[start - 1] != '\n'; start--)
			;
		if (start > 0 || n == (size_t)size) {
			buf_add(out, chunk + start, end - start);
			free(chunk);
			return 0;
		}
		free(chunk);
		want *= 2;	/* a line longer than the chunk */
	}
	return 0;
}

int cf_audit_append(const char *path, const struct cf_audit_entry *e,
		    int64_t now)
{
	struct buf dir = BUF_INIT, last = BUF_INIT, line = BUF_INIT;
	char when[CF_TIME_LEN], prev[65];
	const char *slash = strrchr(path, '/');
	struct stat st;
	json_t *j = NULL;
	char *text = NULL;
	int fd = -1, ret = -1;

	if ((ret = cf_crypt_init()) < 0)	/* for SHA-256 */
		goto out;
	if (slash && slash != path) {
		buf_add(&dir, path, (size_t)(slash - path));
		if ((ret = cf_mkdirs(dir.ptr)) < 0)
			goto out;
	}
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot open '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	if ((ret = last_line(&last, fd, st.st_size)) < 0)
		goto out;
	if (st.st_size) {
		char c = 0;

		/* a torn last line is ended, so that it can be chained */
		if (pread(fd, &c, 1, st.st_size - 1) == 1 && c != '\n')
			buf_addch(&line, '\n');
		cf_sha256_hex(prev, last.ptr ? last.ptr : "", last.len);
	} else {
		memcpy(prev, ZERO_HASH, sizeof(prev));
	}
	cf_time_format(when, now);
	j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s}",
		      "time", when, "store", e->store, "principal", e->principal,
		      "name", e->name, "version", (json_int_t)e->version,
		      "command", e->command, "pid", (json_int_t)getpid(),
		      "prev", prev);
	if (!j || !(text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		ret = cf_error_set(CF_EGENERIC, "cannot write an audit line");
		goto out;
	}
	buf_adds(&line, text);
	buf_addch(&line, '\n');
	if ((ret = cf_write_all(fd, line.ptr, line.len)) < 0)
		ret = cf_error_set(CF_EGENERIC, "cannot write '%s': %s", path,
				   strerror(errno));
out:
	if (fd >= 0)
		close(fd);	/* and the lock with it */
	json_decref(j);
	free(text);
	buf_release(&dir);
	buf_release(&last);
	buf_release(&line);
	return ret;
}

int cf_audit_lines(const char *path, char ***out, size_t *n)
{
	struct secbuf data = SECBUF_INIT;
	int ret;

	*out = NULL;
	*n = 0;
	ret = cf_file_read(&data, path, MAX_LOG);
	if (ret == CF_ENOTFOUND) {
		secbuf_release(&data);
		return 0;
	}
	for (size_t at = 0; ret == 0 && at < data.len;) {
		const char *nl = memchr(data.ptr + at, '\n', data.len - at);
		size_t l = nl ? (size_t)(nl - (data.ptr + at)) : data.len - at;

		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = xstrndup(data.ptr + at, l);
		at += l + 1;
	}
	secbuf_release(&data);
	return ret;
}

int cf_audit_verify(char *const *lines, size_t n)
{
	char want[65];
	int ret;

	if ((ret = cf_crypt_init()) < 0)
		return ret;
	memcpy(want, ZERO_HASH, sizeof(want));
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_loads(lines[i], 0, NULL);
		const char *prev = json_string_value(json_object_get(j, "prev"));
		int ok = prev && !strcmp(prev, want);

		json_decref(j);
		if (!ok)
			return cf_error_set(CF_EINTEGRITY,
				"audit log line %zu: the chain breaks there: a line "
				"before it was edited or removed, or it was", i + 1);
		cf_sha256_hex(want, lines[i], strlen(lines[i]));
	}
	return 0;
}

void cf_audit_path(struct buf *out)
{
	cf_xdg_path(out, "XDG_STATE_HOME", ".local/state", "audit.log");
}
