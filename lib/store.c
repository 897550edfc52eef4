/* store.c: the store on disk. */
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypt.h"
#include "error.h"
#include "fsutil.h"
#include "journal.h"
#include "store.h"


static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_coffer(const char *dir)
{
	struct buf b = BUF_INIT;
	int r;

	buf_addf(&b, "%s/.coffer", dir);
	r = is_dir(b.ptr);
	buf_release(&b);
	return r;
}

/* A store coffer found by itself must be the user's own: its work tree,
 * .coffer/ and .git/ owned by our effective uid, as git requires since
 * CVE-2022-24765. Otherwise another user who can write a parent
 * directory (/tmp, a shared mount) plants a store that answers get with
 * values of their choosing and takes the writes. Root gets no exception,
 * as in git. A part that is missing is left to cf_store_open to report. */
static int check_owner(const char *root)
{
	static const char *const parts[] = { "", "/.coffer", "/.git" };
	uid_t me = geteuid();
	struct buf path = BUF_INIT;
	struct stat sb;
	int ret = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
		buf_reset(&path);
		buf_addf(&path, "%s%s", root, parts[i]);
		if (stat(path.ptr, &sb) < 0 || sb.st_uid == me)
			continue;
		ret = cf_error_set(CF_EINTEGRITY,
			"refusing the store at '%s': '%s' is owned by uid %lu, "
			"not by you (uid %lu); if you trust it, name it with "
			"-C or COFFER_STORE", root, path.ptr,
			(unsigned long)sb.st_uid, (unsigned long)me);
		break;
	}
	buf_release(&path);
	return ret;
}

/* The nearest ancestor of the working directory with .coffer/. */
static int find_up(struct buf *out)
{
	char cwd[4096];
	char *p;

	if (!getcwd(cwd, sizeof(cwd)))
		return 0;
	p = cwd + strlen(cwd);
	for (;;) {
		if (has_coffer(cwd[0] ? cwd : "/")) {
			buf_adds(out, cwd[0] ? cwd : "/");
			return 1;
		}
		while (p > cwd && *p != '/')
			p--;
		if (p == cwd)
			break;
		*p = '\0';
	}
	if (has_coffer("/")) {
		buf_adds(out, "/");
		return 1;
	}
	return 0;
}

int cf_store_locate(struct buf *out, const char *dir)
{
	const char *env = getenv("COFFER_STORE");
	int ret;

	buf_reset(out);
	/* named by the user: their choice, as git trusts an explicit
	 * GIT_DIR; no owner check */
	if (dir && *dir) {
		buf_adds(out, dir);
		return 0;
	}
	if (env && *env) {
		buf_adds(out, env);
		return 0;
	}
	if (!find_up(out) && (ret = cf_store_default_dir(out)) < 0)
		return ret;
	return check_owner(out->ptr);
}

int cf_store_default_dir(struct buf *out)
{
	const char *env;

	if ((env = getenv("XDG_DATA_HOME")) && *env)
		buf_addf(out, "%s/coffer", env);
	else if ((env = getenv("HOME")) && *env)
		buf_addf(out, "%s/.local/share/coffer", env);
	else
		return cf_error_set(CF_ENOTFOUND,
				    "no store found and HOME is not set");
	return 0;
}

/* The path a one-line pointer file names (".git" holds "gitdir: PATH",
 * "commondir" holds "PATH"), made absolute against base and resolved;
 * NULL when the file does not exist. CF_ENOTFOUND if what it names is
 * not a directory. */
static int read_pointer(char **out, const char *file, const char *prefix,
			const char *base)
{
	struct secbuf data = SECBUF_INIT;
	struct buf path = BUF_INIT;
	char *p, *abs = NULL;
	size_t len;
	int ret;

	*out = NULL;
	if ((ret = cf_file_read(&data, file, 4096)) < 0) {
		if (ret == CF_ENOTFOUND)
			ret = 0;
		goto out;
	}
	p = data.ptr;
	len = strlen(p);
	while (len && isspace((unsigned char)p[len - 1]))
		p[--len] = '\0';
	if (prefix) {
		if (strncmp(p, prefix, strlen(prefix))) {
			ret = cf_error_set(CF_ENOTFOUND,
				"'%s' does not start with '%s'", file, prefix);
			goto out;
		}
		p += strlen(prefix);
	}
	if (*p != '/')
		buf_addf(&path, "%s/", base);
	buf_adds(&path, p);
	if (!*p || !(abs = realpath(path.ptr, NULL)) || !is_dir(abs)) {
		ret = cf_error_set(CF_ENOTFOUND,
			"'%s' names '%s', which is not a git directory", file,
			path.ptr);
		goto out;
	}
	*out = abs;
	abs = NULL;
	ret = 0;
out:
	free(abs);
	secbuf_release(&data);
	buf_release(&path);
	return ret;
}

/* root/.git: a directory, or a file "gitdir: PATH" (a linked worktree,
 * a submodule); the common directory is what PATH/commondir names, or
 * the git directory itself. Read here, without libgit2, which get and
 * list never load. */
static int find_git_dirs(struct cf_store *st)
{
	struct buf dotgit = BUF_INIT, file = BUF_INIT;
	struct stat sb;
	int ret;

	buf_addf(&dotgit, "%s/.git", st->root);
	if (lstat(dotgit.ptr, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		st->git_dir = xstrdup(dotgit.ptr);
	} else if (lstat(dotgit.ptr, &sb) == 0 && S_ISREG(sb.st_mode)) {
		if ((ret = read_pointer(&st->git_dir, dotgit.ptr, "gitdir: ",
					st->root)) < 0)
			goto out;
	}
	if (!st->git_dir) {
		ret = cf_error_set(CF_ENOTFOUND,
			"'%s' is not a git repository", st->root);
		goto out;
	}
	buf_addf(&file, "%s/commondir", st->git_dir);
	if ((ret = read_pointer(&st->common_dir, file.ptr, NULL,
				st->git_dir)) < 0)
		goto out;
	if (!st->common_dir)
		st->common_dir = xstrdup(st->git_dir);
	ret = 0;
out:
	buf_release(&dotgit);
	buf_release(&file);
	return ret;
}

int cf_store_open(struct cf_store *st, const char *root)
{
	char *abs;
	int ret = -1;

	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	abs = realpath(root, NULL);
	if (!abs || !has_coffer(abs)) {
		ret = cf_error_set(CF_ENOTFOUND,
			"'%s' is not a coffer store (run 'coffer init')", root);
		free(abs);
		return ret;
	}
	st->root = abs;
	if ((ret = find_git_dirs(st)) < 0)
		cf_store_release(st);
	return ret;
}

const char *cf_store_git_dir(const struct cf_store *st, int common)
{
	return common ? st->common_dir : st->git_dir;
}

void cf_store_release(struct cf_store *st)
{
	cf_store_unlock(st);
	if (st->have_policy)
		cf_policy_release(&st->policy);
	cf_keyring_release(&st->keys);
	cf_pubkeys_release(&st->pubkeys);
	free(st->root);
	free(st->git_dir);
	free(st->common_dir);
	free(st->lock_path);
	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
}

int cf_store_load_policy(struct cf_store *st)
{
	struct secbuf data = SECBUF_INIT;
	struct buf path = BUF_INIT;
	int ret = -1;

	if (st->have_policy)
		return 0;
	buf_addf(&path, "%s/" CF_POLICY_PATH, st->root);
	if ((ret = cf_file_read(&data, path.ptr, 1u << 20)) < 0) {
		if (ret == CF_ENOTFOUND)
			ret = cf_error_set(CF_EINTEGRITY, "%s is missing",
					   CF_POLICY_PATH);
		goto out;
	}
	if ((ret = cf_policy_parse(&st->policy, data.ptr, data.len,
				   CF_POLICY_PATH)) < 0) {
		cf_policy_release(&st->policy);
		goto out;
	}
	st->have_policy = 1;
	ret = 0;
out:
	secbuf_release(&data);
	buf_release(&path);
	return ret;
}

int cf_store_secret_path(struct buf *out, const struct cf_store *st,
			 const char *name)
{
	struct stat sb;
	int ret;

	if ((ret = cf_name_check(name)) < 0)
		return ret;
	buf_reset(out);
	buf_adds(out, st->root);
	/* no component on the way may be a symlink */
	for (const char *p = name;;) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		buf_addch(out, '/');
		buf_add(out, p, l);
		if (!e)
			buf_adds(out, ".yaml");
		if (lstat(out->ptr, &sb) == 0 && S_ISLNK(sb.st_mode))
			return cf_error_set(CF_EINTEGRITY,
				"'%s' is a symbolic link; symlinks in the store are refused",
				out->ptr + strlen(st->root) + 1);
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

int cf_store_secret_exists(const struct cf_store *st, const char *name)
{
	struct buf path = BUF_INIT;
	struct stat sb;
	int r = 0;

	if ((r = cf_store_secret_path(&path, st, name)) < 0 ||
	    lstat(path.ptr, &sb) < 0)
		goto out;
	/* a FIFO, socket or device would make a reader wait forever, and
	 * a writer replace what it is not shown */
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
		r = cf_error_set(CF_EINTEGRITY, "'%s' is not a regular file",
				 path.ptr);
	else
		r = S_ISREG(sb.st_mode);
out:
	buf_release(&path);
	return r;
}

static int read_at(struct cf_secret *s, const char *path, const char *name,
		   struct stat *sb)
{
	struct secbuf data = SECBUF_INIT;
	struct buf what = BUF_INIT;
	int ret;

	if ((ret = cf_file_read_stat(&data, path, CF_SECRET_FILE_MAX, sb)) < 0) {
		if (ret == CF_ENOTFOUND)
			cf_error_set(CF_ENOTFOUND, "no secret '%s'", name);
		goto out;
	}
	buf_addf(&what, "%s.yaml", name);
	ret = cf_secret_parse(s, data.ptr, data.len, what.ptr);
out:
	secbuf_release(&data);
	buf_release(&what);
	return ret;
}

int cf_store_read_secret(struct cf_secret *s, const struct cf_store *st,
			 const char *name)
{
	struct buf path = BUF_INIT;
	int ret;

	struct stat sb;

	cf_secret_init(s);
	if ((ret = cf_store_secret_path(&path, st, name)) == 0)
		ret = read_at(s, path.ptr, name, &sb);
	buf_release(&path);
	return ret;
}

int cf_store_read_listed(struct cf_secret *s, const struct cf_store *st,
			 const char *name, struct stat *sb)
{
	struct buf path = BUF_INIT;
	struct stat ignored;
	int ret;

	cf_secret_init(s);
	buf_addf(&path, "%s/%s.yaml", st->root, name);
	ret = read_at(s, path.ptr, name, sb ? sb : &ignored);
	buf_release(&path);
	return ret;
}

/* ---- listing ---- */

struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *out, char *s)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 64;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	out->v[out->n++] = s;
}

struct strays {
	struct cf_stray *v;
	size_t n, cap;
};

/* What the listing leaves out and check reports (s may be NULL). */
static void stray(struct strays *s, const struct buf *rel, const char *kind,
		  const char *why)
{
	if (!s)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n].path = xstrdup(rel->ptr);
	s->v[s->n].kind = kind;
	s->v[s->n].why = xstrdup(why);
	s->n++;
}

static void walk_dir(struct names *out, struct strays *strays, int dirfd,
		     struct buf *rel)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;

	if (!d) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name), keep = rel->len;
		unsigned char type = e->d_type;
		int yaml = len > 5 && !strcmp(e->d_name + len - 5, ".yaml");

		if (e->d_name[0] == '.')
			continue;	/* .git .coffer .gitattributes */
		if (type == DT_UNKNOWN) {
			struct stat sb;

			if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW))
				continue;
			type = S_ISDIR(sb.st_mode) ? DT_DIR :
			       S_ISREG(sb.st_mode) ? DT_REG :
			       S_ISLNK(sb.st_mode) ? DT_LNK : DT_UNKNOWN;
		}
		if (rel->len)
			buf_addch(rel, '/');
		if (type == DT_DIR) {
			int fd = openat(dirfd, e->d_name, O_RDONLY |
					O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			buf_adds(rel, e->d_name);
			if (fd >= 0)
				walk_dir(out, strays, fd, rel);
		} else if (type == DT_LNK) {
			buf_adds(rel, e->d_name);
			stray(strays, rel, "symlink",
			      "symlinks in the store are refused");
		} else if (yaml && type != DT_REG) {
			buf_adds(rel, e->d_name);
			stray(strays, rel, "bad-file", "not a regular file");
		} else if (yaml) {
			buf_add(rel, e->d_name, len - 5);
			if (cf_name_check(rel->ptr) == 0) {
				names_add(out, xstrndup(rel->ptr, rel->len));
			} else {
				char *why = xstrdup(cf_error_last());

				buf_adds(rel, ".yaml");
				stray(strays, rel, "bad-name", why);
				free(why);
			}
		}
		rel->len = keep;
		if (rel->ptr)
			rel->ptr[keep] = '\0';
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_stray(const void *a, const void *b)
{
	return strcmp(((const struct cf_stray *)a)->path,
		      ((const struct cf_stray *)b)->path);
}

static int walk(const struct cf_store *st, struct names *names,
		struct strays *strays)
{
	struct buf rel = BUF_INIT;
	int fd;

	fd = open(st->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cf_error_set(CF_EGENERIC, "cannot open '%s': %s",
				    st->root, strerror(errno));
	walk_dir(names, strays, fd, &rel);
	buf_release(&rel);
	if (names->n)
		qsort(names->v, names->n, sizeof(*names->v), cmp_str);
	if (strays && strays->n)
		qsort(strays->v, strays->n, sizeof(*strays->v), cmp_stray);
	return 0;
}

int cf_store_list(const struct cf_store *st, const char *prefix,
		  char ***out, size_t *n)
{
	struct names names = { NULL, 0, 0 };
	int ret;

	if ((ret = walk(st, &names, NULL)) < 0)
		return ret;
	if (prefix && *prefix) {
		size_t k = 0, pl = strlen(prefix);
		int dir = prefix[pl - 1] == '/';

		for (size_t i = 0; i < names.n; i++) {
			const char *s = names.v[i];
			int keep = !strncmp(s, prefix, pl) &&
				   (dir || !s[pl] || s[pl] == '/');

			if (keep)
				names.v[k++] = names.v[i];
			else
				free(names.v[i]);
		}
		names.n = k;
	}
	*out = names.v;
	*n = names.n;
	return 0;
}

int cf_store_list_strays(const struct cf_store *st, char ***out, size_t *n,
			 struct cf_stray **strays, size_t *nstrays)
{
	struct names names = { NULL, 0, 0 };
	struct strays bad = { NULL, 0, 0 };
	int ret;

	if ((ret = walk(st, &names, &bad)) < 0)
		return ret;
	*out = names.v;
	*n = names.n;
	*strays = bad.v;
	*nstrays = bad.n;
	return 0;
}

void cf_strays_free(struct cf_stray *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].why);
	}
	free(v);
}

/* ---- lock ---- */

/* ---- keys ---- */

int cf_store_secret_keys(struct cf_store *st)
{
	int ret;

	if (st->have_keys)
		return 0;
	if ((ret = cf_gpg_secret_keys(&st->keys)) < 0)
		return ret;
	st->have_keys = 1;
	return 0;
}

void cf_store_journal_path(struct buf *out, const struct cf_store *st)
{
	/* in the worktree's own git directory, beside its HEAD and index:
	 * its paths are that work tree's (the lock is the common one) */
	cf_journal_path(out, cf_store_git_dir(st, 0));
}

const struct cf_pubkeys *cf_store_pubkeys(struct cf_store *st)
{
	if (!st->have_pubkeys) {
		cf_pubkeys_read(&st->pubkeys, st->root, NULL, NULL);
		st->have_pubkeys = 1;
	}
	return &st->pubkeys;
}

int cf_store_import_key(const struct cf_store *st, const char *fpr)
{
	const struct cf_principal *pr;
	struct secbuf data = SECBUF_INIT;
	struct buf path = BUF_INIT;
	int ret;

	if (!st->have_policy ||
	    !(pr = cf_policy_principal_by_fpr(&st->policy, fpr)))
		return cf_error_set(CF_ENOTFOUND, "no principal has key %s", fpr);
	buf_addf(&path, "%s/.coffer/keys/%s.asc", st->root, pr->name);
	if ((ret = cf_file_read(&data, path.ptr, 1u << 20)) == 0)
		ret = cf_gpg_import(data.ptr, data.len, NULL, NULL);
	secbuf_release(&data);
	buf_release(&path);
	return ret;
}
