/* journal.c: the write journal and the recovery it allows. */
#include "common.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "journal.h"

#define MAGIC "coffer-journal 1\n"
#define JOURNAL_MAX (256u << 20)	/* a path line per file changed */

void cf_journal_path(struct buf *out, const char *gitdir)
{
	buf_addf(out, "%s/coffer-journal", gitdir);
}

int cf_journal_write(const char *path, const char *before, const char *after,
		     const char *const *paths, size_t n)
{
	struct buf b = BUF_INIT;
	int ret;

	buf_adds(&b, MAGIC);
	buf_addf(&b, "before %s\nafter %s\n", *before ? before : "-", after);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "path %s\n", paths[i]);
	ret = cf_file_write_atomic(path, b.ptr, b.len, 0600);
	buf_release(&b);
	return ret;
}

void cf_journal_release(struct cf_journal *j)
{
	cf_strv_free(j->paths, j->n);
	memset(j, 0, sizeof(*j));
}

/* A path a journal may name: relative, inside the work tree, not in
 * .git, printable. */
static int path_ok(const char *p)
{
	if (!*p || *p == '/' || !strncmp(p, ".git/", 5))
		return 0;
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20)
			return 0;
	for (const char *s = p; s; s = strchr(s, '/'), s = s ? s + 1 : NULL)
		if (!strncmp(s, "..", 2) && (s[2] == '/' || !s[2]))
			return 0;
	return 1;
}

static int id_ok(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 40 && !s[n];
}

int cf_journal_read(const char *path, struct cf_journal *out)
{
	struct secbuf data = SECBUF_INIT;
	char *text = NULL, *line, *next;
	int ret;

	memset(out, 0, sizeof(*out));
	data.nolock = 1;
	if ((ret = cf_file_read(&data, path, JOURNAL_MAX)) < 0)
		goto out;
	ret = cf_error_set(CF_EINTEGRITY, "%s: not a coffer journal", path);
	if (data.len < strlen(MAGIC) || memcmp(data.ptr, MAGIC, strlen(MAGIC)))
		goto out;
	text = xstrndup(data.ptr + strlen(MAGIC), data.len - strlen(MAGIC));
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			goto out;	/* cut short: not written whole */
		*next++ = '\0';
		if (!strncmp(line, "before ", 7) && strlen(line + 7) < 41)
			memcpy(out->before, strcmp(line + 7, "-") ? line + 7 : "",
			       strcmp(line + 7, "-") ? strlen(line + 7) + 1 : 1);
		else if (!strncmp(line, "after ", 6) && id_ok(line + 6))
			memcpy(out->after, line + 6, 41);
		else if (!strncmp(line, "path ", 5) &&
			 path_ok(line + 5)) {
			out->paths = xrealloc(out->paths,
				(out->n + 2) * sizeof(*out->paths));
			out->paths[out->n++] = xstrdup(line + 5);
			out->paths[out->n] = NULL;
		} else {
			goto out;
		}
	}
	if (!*out->after || (*out->before && !id_ok(out->before)))
		goto out;
	ret = 0;
out:
	if (ret < 0 && ret != CF_ENOTFOUND)
		cf_journal_release(out);
	free(text);
	secbuf_release(&data);
	return ret;
}

void cf_journal_clean_temps(const char *root, const char *rel)
{
	struct buf dir = BUF_INIT, prefix = BUF_INIT, p = BUF_INIT;
	const char *slash = strrchr(rel, '/');
	struct dirent *e;
	DIR *d;

	buf_addf(&dir, "%s/%.*s", root, slash ? (int)(slash - rel) : 0, rel);
	buf_addf(&prefix, "%s.tmp-", slash ? slash + 1 : rel);
	if ((d = opendir(dir.ptr))) {
		while ((e = readdir(d))) {
			if (strncmp(e->d_name, prefix.ptr, prefix.len) ||
			    strlen(e->d_name) != prefix.len + 8)
				continue;
			buf_reset(&p);
			buf_addf(&p, "%s/%s", dir.ptr, e->d_name);
			unlink(p.ptr);
		}
		closedir(d);
	}
	buf_release(&dir);
	buf_release(&prefix);
	buf_release(&p);
}

/* Makes the work tree's rel what HEAD holds (or absent). */
static int follow_head(struct cf_repo *repo, const char *root,
		       const char *rel)
{
	struct secbuf data = SECBUF_INIT;
	struct buf abs = BUF_INIT;
	char *slash;
	int ret;

	data.nolock = 1;	/* ciphertext and policy: no plaintext */
	buf_addf(&abs, "%s/%s", root, rel);
	ret = cf_repo_head_file(repo, rel, &data);
	if (ret == CF_ENOTFOUND) {
		ret = unlink(abs.ptr) < 0 && errno != ENOENT ?
		      cf_error_set(CF_EGENERIC, "cannot remove '%s': %s", rel,
				   strerror(errno)) : 0;
		goto out;
	}
	if (ret < 0)
		goto out;
	slash = strrchr(abs.ptr, '/');
	*slash = '\0';
	ret = cf_mkdirs(abs.ptr);
	*slash = '/';
	if (ret == 0)
		ret = cf_file_write_atomic(abs.ptr, data.ptr ? data.ptr : "",
					   data.len, 0644);
out:
	secbuf_release(&data);
	buf_release(&abs);
	return ret;
}

int cf_journal_recover(const char *path, const char *root,
		       struct cf_repo *repo, struct buf *said)
{
	struct cf_journal j;
	char head[41];
	int ret;

	/* written through a temp file and rename, a journal is never torn:
	 * one that cannot be read is left for a person to look at */
	if ((ret = cf_journal_read(path, &j)) < 0)
		return ret == CF_ENOTFOUND ? ret : cf_error_set(ret,
			"cannot finish an interrupted write: %s (look at it, then remove it)",
			cf_error_last());
	if ((ret = cf_repo_head_id(repo, head)) < 0)
		goto out;
	for (size_t i = 0; i < j.n; i++)
		cf_journal_clean_temps(root, j.paths[i]);
	if (!strcmp(head, j.after)) {
		for (size_t i = 0; i < j.n && ret == 0; i++)
			ret = follow_head(repo, root, j.paths[i]);
		if (ret == 0)
			ret = cf_repo_index_update(repo,
				(const char *const *)j.paths, j.n);
		if (ret < 0)
			goto out;
		buf_addf(said, "finished an interrupted write: the work tree now holds commit %.12s",
			 j.after);
	} else if (!strcmp(head, j.before)) {
		buf_adds(said, "an interrupted write did not commit; nothing had changed");
	} else {
		buf_addf(said, "dropped the journal of an interrupted write: the branch is at %.12s, neither before nor after it",
			 head);
	}
	unlink(path);
	ret = 0;
out:
	cf_journal_release(&j);
	return ret;
}
