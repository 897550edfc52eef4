/* audit.c: the local read log (SPEC 8.3) and its head.
 *
 * Each line is a compact JSON object: time, store, principal, name,
 * version, command, pid, seq (its line number, from 1) and prev, the hex
 * SHA-256 of the line before it without its newline (64 zeros on the
 * first). Editing or removing a line breaks the chain at the line after
 * it.
 *
 * The chain cannot show that lines were cut from the end, so a second
 * file, the head (audit.log.head: {"lines": N, "last": SHA-256 of line
 * N}), is replaced after each append under the same flock. A log shorter
 * than its head, or whose line N is not the one the head names, lost its
 * end. A log longer than its head, with the chain intact, is a crash
 * between the append and the head (or an older coffer's appends): the
 * head is brought up to date. With no head, a log whose lines have no
 * seq comes from a coffer before the head and is adopted; one with seq
 * lines lost its head. The log is the reader's own record: whoever can
 * write both files can rewrite them consistently, so they find
 * accidents and careless edits, not a determined owner. */
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
#include "secbuf.h"
#include "timeutil.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_LOG (1u << 30)
#define MAX_HEAD 4096u

/* The head: how many lines the log had after the last append, and the
 * SHA-256 of the last of them. */
struct head {
	size_t lines;
	char last[65];
};

/* The log's lines, read whole (only when the head asks for it). */
struct lines {
	char **v;
	size_t n;
};

static void lines_release(struct lines *l)
{
	cf_strv_free(l->v, l->n);
	l->v = NULL;
	l->n = 0;
}

/* Splits data at newlines; a last line without one still counts. */
static void split(struct lines *out, const char *data, size_t len)
{
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (data + at)) : len - at;

		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = xstrndup(data + at, l);
		at += l + 1;
	}
}

/* Reads the whole log from fd (its offset is not used). */
static int read_all(struct lines *out, int fd, const char *path)
{
	struct secbuf data = SECBUF_INIT;
	int ret;

	lines_release(out);
	if (lseek(fd, 0, SEEK_SET) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot read '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	if ((ret = cf_fd_read(&data, fd, MAX_LOG, path)) < 0)
		goto out;
	split(out, data.ptr, data.len);
out:
	secbuf_release(&data);
	return ret;
}

/* Whether line is a JSON object with an integer seq, stored in *out. */
static int line_seq(const char *line, json_int_t *out)
{
	json_t *j = line ? json_loads(line, 0, NULL) : NULL;
	json_t *seq = json_object_get(j, "seq");
	int has = json_is_integer(seq);

	if (has)
		*out = json_integer_value(seq);
	json_decref(j);
	return has;
}

static int any_seq(const struct lines *l)
{
	json_int_t seq;

	for (size_t i = 0; i < l->n; i++)
		if (line_seq(l->v[i], &seq))
			return 1;
	return 0;
}

static int is_hash(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return i == 64;
}

static void hash_line(char out[65], const char *line)
{
	cf_sha256_hex(out, line, strlen(line));
}

/* 0; CF_ENOTFOUND if there is no head; CF_EINTEGRITY if it is not one. */
static int head_read(struct head *out, const char *path)
{
	struct secbuf data = SECBUF_INIT;
	json_t *j = NULL, *lines;
	const char *last;
	int ret;

	if ((ret = cf_file_read(&data, path, MAX_HEAD)) < 0)
		goto out;
	if (data.len)
		j = json_loadb(data.ptr, data.len, 0, NULL);
	lines = json_object_get(j, "lines");
	last = json_string_value(json_object_get(j, "last"));
	if (!json_is_integer(lines) || json_integer_value(lines) < 1 ||
	    !last || !is_hash(last)) {
		ret = cf_error_set(CF_EINTEGRITY,
			"the audit log's head '%s' is malformed", path);
		goto out;
	}
	out->lines = (size_t)json_integer_value(lines);
	memcpy(out->last, last, sizeof(out->last));
out:
	json_decref(j);
	secbuf_release(&data);
	return ret;
}

/* Replaces the head (temp file, fsync, rename). */
static int head_write(const char *path, size_t lines, const char *last)
{
	json_t *j = json_pack("{s:I, s:s}", "lines", (json_int_t)lines,
			      "last", last);
	struct buf b = BUF_INIT;
	char *text = NULL;
	int ret;

	if (!j || !(text = json_dumps(j, JSON_COMPACT))) {
		ret = cf_error_set(CF_EGENERIC, "cannot write '%s'", path);
		goto out;
	}
	buf_adds(&b, text);
	buf_addch(&b, '\n');
	ret = cf_file_write_atomic(path, b.ptr, b.len, 0600);
out:
	json_decref(j);
	free(text);
	buf_release(&b);
	return ret;
}

static void head_path(struct buf *out, const char *log)
{
	buf_addf(out, "%s.head", log);
}

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

/* Whether the head may move on to the line just appended after a log of
 * n lines ending in a line with hash last: it named that line (the usual
 * case), or a line before it that is still there (a crash, or an older
 * coffer, appended without it), or there is none and the log is new or
 * from a coffer before the head. A head that names a line that is gone,
 * or that is missing from a log kept with one, stays as it is, so that
 * audit --verify finds it. *all is read when the answer needs it. */
static int head_follows(struct lines *all, int fd, const char *path,
			const char *hpath, size_t n, const char *last,
			int last_has_seq)
{
	struct head h;
	char sum[65];
	int ret = head_read(&h, hpath);

	if (ret == CF_ENOTFOUND) {
		if (n == 0)
			return 1;
		if (last_has_seq)
			return 0;
		if (!all->v && read_all(all, fd, path) < 0)
			return 0;
		return all->n == n && !any_seq(all);
	}
	if (ret < 0 || h.lines > n)
		return 0;
	if (h.lines == n)
		return !strcmp(h.last, last);
	if (!all->v && read_all(all, fd, path) < 0)
		return 0;
	if (all->n != n)
		return 0;
	hash_line(sum, all->v[h.lines - 1]);
	return !strcmp(h.last, sum);
}

int cf_audit_append(const char *path, const struct cf_audit_entry *e,
		    int64_t now)
{
	struct buf dir = BUF_INIT, last = BUF_INIT, line = BUF_INIT;
	struct buf hpath = BUF_INIT;
	struct lines all = { NULL, 0 };
	char when[CF_TIME_LEN], prev[65], sum[65];
	const char *slash = strrchr(path, '/');
	json_int_t seq = 0;
	size_t n = 0, nl = 0;
	int last_has_seq = 0, follow;
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
	head_path(&hpath, path);
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
		/* how many lines there are: the last one says, or count */
		last_has_seq = line_seq(last.ptr ? last.ptr : "", &seq) &&
			       seq > 0 && seq <= (json_int_t)MAX_LOG;
		if (last_has_seq) {
			n = (size_t)seq;
		} else {
			if ((ret = read_all(&all, fd, path)) < 0)
				goto out;
			n = all.n;
		}
	} else {
		memcpy(prev, ZERO_HASH, sizeof(prev));
	}
	cf_time_format(when, now);
	j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:s}",
		      "time", when, "store", e->store, "principal", e->principal,
		      "name", e->name, "version", (json_int_t)e->version,
		      "command", e->command, "pid", (json_int_t)getpid(),
		      "seq", (json_int_t)(n + 1), "prev", prev);
	if (!j || !(text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		ret = cf_error_set(CF_EGENERIC, "cannot write an audit line");
		goto out;
	}
	nl = line.len;
	buf_adds(&line, text);
	buf_addch(&line, '\n');
	follow = head_follows(&all, fd, path, hpath.ptr, n, prev,
			      last_has_seq);
	/* the line is on disk before a head that counts it */
	if (cf_write_all(fd, line.ptr, line.len) < 0 || fdatasync(fd) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot write '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	ret = 0;
	if (follow) {
		cf_sha256_hex(sum, line.ptr + nl, line.len - nl - 1);
		if ((ret = head_write(hpath.ptr, n + 1, sum)) < 0)
			cf_error_set(ret, "the read is in the log, but its "
				     "head is not: %s", cf_error_last());
	}
out:
	if (fd >= 0)
		close(fd);	/* and the lock with it */
	json_decref(j);
	free(text);
	lines_release(&all);
	buf_release(&dir);
	buf_release(&last);
	buf_release(&line);
	buf_release(&hpath);
	return ret;
}

int cf_audit_lines(const char *path, char ***out, size_t *n)
{
	struct secbuf data = SECBUF_INIT;
	struct lines l = { NULL, 0 };
	int ret;

	*out = NULL;
	*n = 0;
	ret = cf_file_read(&data, path, MAX_LOG);
	if (ret == CF_ENOTFOUND) {
		secbuf_release(&data);
		return 0;
	}
	if (ret == 0)
		split(&l, data.ptr, data.len);
	secbuf_release(&data);
	*out = l.v;
	*n = l.n;
	return ret;
}

/* Whether line i's prev is the SHA-256 of line i-1 (64 zeros for the
 * first) and its seq, if it has one, is i (from 1). *seen tells whether
 * any line has a seq, i.e. was written by a coffer that keeps a head. */
static int verify_chain(const struct lines *l, int *seen)
{
	char want[65];
	json_int_t seq;

	*seen = 0;
	memcpy(want, ZERO_HASH, sizeof(want));
	for (size_t i = 0; i < l->n; i++) {
		json_t *j = json_loads(l->v[i], 0, NULL);
		const char *prev = json_string_value(json_object_get(j, "prev"));
		int ok = prev && !strcmp(prev, want);

		json_decref(j);
		if (!ok)
			return cf_error_set(CF_EINTEGRITY,
				"audit log line %zu: the chain breaks there: a line "
				"before it was edited or removed, or it was", i + 1);
		if (line_seq(l->v[i], &seq)) {
			if (seq != (json_int_t)(i + 1))
				return cf_error_set(CF_EINTEGRITY,
					"audit log line %zu: it says it is line %"
					JSON_INTEGER_FORMAT, i + 1, seq);
			*seen = 1;
		}
		hash_line(want, l->v[i]);
	}
	return 0;
}

/* "line 5 was", "lines 3-5 were" */
static void removed(struct buf *out, size_t from, size_t to)
{
	if (from == to)
		buf_addf(out, "line %zu was", from);
	else
		buf_addf(out, "lines %zu-%zu were", from, to);
}

/* Checks the log of n lines against its head, under the log's lock. */
static int verify_head(struct cf_audit_status *out, const struct lines *l,
		       int seen, const char *hpath)
{
	struct buf what = BUF_INIT;
	struct head h;
	char sum[65];
	int ret = head_read(&h, hpath);

	if (ret == CF_ENOTFOUND) {
		ret = 0;
		if (l->n == 0)
			goto out;
		if (seen) {
			ret = cf_error_set(CF_EINTEGRITY,
				"the audit log's head '%s' is missing: lines may "
				"have been removed from the end of the log, which "
				"was kept with a head", hpath);
			goto out;
		}
		out->adopted = 1;	/* a log from before the head */
	} else if (ret < 0) {
		goto out;
	} else if (h.lines > l->n) {
		removed(&what, l->n + 1, h.lines);
		ret = cf_error_set(CF_EINTEGRITY,
			"the audit log has %zu line%s, but its head '%s' says "
			"%zu: %s removed from its end", l->n,
			l->n == 1 ? "" : "s", hpath, h.lines, what.ptr);
		goto out;
	} else {
		hash_line(sum, l->v[h.lines - 1]);
		if (strcmp(sum, h.last)) {
			ret = cf_error_set(CF_EINTEGRITY,
				"audit log line %zu is not the line its head '%s' "
				"recorded: the end of the log was removed or replaced",
				h.lines, hpath);
			goto out;
		}
		out->behind = l->n - h.lines;
	}
	if (out->adopted || out->behind) {
		hash_line(sum, l->v[l->n - 1]);
		ret = head_write(hpath, l->n, sum);
	}
out:
	buf_release(&what);
	return ret;
}

int cf_audit_check(const char *path, struct cf_audit_status *out)
{
	struct buf hpath = BUF_INIT;
	struct lines l = { NULL, 0 };
	struct head h;
	int fd = -1, ret, seen = 0;

	memset(out, 0, sizeof(*out));
	if ((ret = cf_crypt_init()) < 0)
		goto out;
	head_path(&hpath, path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		/* no log: fine if there is no head either */
		if ((ret = head_read(&h, hpath.ptr)) == CF_ENOTFOUND) {
			ret = 0;
			goto out;
		}
		if (ret < 0)
			goto out;
		/* a first append may have made both since */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
			ret = cf_error_set(CF_EINTEGRITY,
				"the audit log '%s' is missing, but its head says "
				"it had %zu lines", path, h.lines);
			goto out;
		}
	}
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot open '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	if ((ret = read_all(&l, fd, path)) < 0)
		goto out;
	out->lines = l.n;
	if ((ret = verify_chain(&l, &seen)) < 0)
		goto out;
	ret = verify_head(out, &l, seen, hpath.ptr);
out:
	if (fd >= 0)
		close(fd);	/* and the lock with it */
	lines_release(&l);
	buf_release(&hpath);
	return ret;
}

void cf_audit_path(struct buf *out)
{
	cf_xdg_path(out, "XDG_STATE_HOME", ".local/state", "audit.log");
}
