/* write.c: the write transaction every change goes through. */
#include "common.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "error.h"
#include "fault.h"
#include "fsutil.h"
#include "timeutil.h"
#include "write.h"

#define GIT_LOCK_STALE_S 60

/* Whether the process whose /proc/PID/comm is path is git. */
static int is_git(const char *path)
{
	FILE *f = fopen(path, "re");
	char comm[32] = "";
	int git;

	if (!f)
		return 0;
	git = fgets(comm, sizeof(comm), f) && !strcmp(comm, "git\n");
	fclose(f);
	return git;
}

/* Whether a process of this user has path open (/proc/PID/fd/N), or
 * a git runs at all: `git commit` keeps index.lock while its editor is
 * open, with no descriptor on it. */
static int held_open(const char *path)
{
	struct buf link = BUF_INIT;
	char target[PATH_MAX];
	struct dirent *p, *f;
	DIR *procs = opendir("/proc"), *fds;
	int held = 0;

	while (procs && !held && (p = readdir(procs))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		buf_reset(&link);
		buf_addf(&link, "/proc/%s/comm", p->d_name);
		held = is_git(link.ptr);
		if (held)
			break;
		buf_reset(&link);
		buf_addf(&link, "/proc/%s/fd", p->d_name);
		if (!(fds = opendir(link.ptr)))
			continue;	/* another user's, or gone */
		while (!held && (f = readdir(fds))) {
			ssize_t n;

			buf_reset(&link);
			buf_addf(&link, "/proc/%s/fd/%s", p->d_name, f->d_name);
			n = readlink(link.ptr, target, sizeof(target) - 1);
			if (n > 0) {
				target[n] = '\0';
				held = !strcmp(target, path);
			}
		}
		closedir(fds);
	}
	if (procs)
		closedir(procs);
	buf_release(&link);
	return held;
}

/* git's own lock files (index.lock, the branch's .lock) hold no pid: a
 * kill at the wrong moment leaves one that fails every later write.
 * Under the store lock, one that nobody has open and that is older than
 * GIT_LOCK_STALE_S is removed, and the note says so. */
static void clear_git_locks(struct cf_session *s)
{
	struct buf head = BUF_INIT, lock = BUF_INIT, note = BUF_INIT;
	struct secbuf text = SECBUF_INIT;
	const char *ref = NULL;
	char real[PATH_MAX];
	struct stat sb;

	buf_addf(&head, "%s/HEAD", cf_store_git_dir(&s->st, 0));
	text.nolock = 1;
	if (cf_file_read(&text, head.ptr, 4096) == 0 && text.ptr &&
	    !strncmp(text.ptr, "ref: refs/", 10) && !strstr(text.ptr, ".."))
		ref = text.ptr + 5;
	for (int i = 0; i < 2; i++) {
		buf_reset(&lock);
		if (i == 0)
			buf_addf(&lock, "%s/index.lock",
				 cf_store_git_dir(&s->st, 0));
		else if (ref)
			buf_addf(&lock, "%s/%.*s.lock",
				 cf_store_git_dir(&s->st, 1),
				 (int)strcspn(ref, "\n"), ref);
		else
			break;
		if (lstat(lock.ptr, &sb) < 0 || !S_ISREG(sb.st_mode) ||
		    time(NULL) - sb.st_mtime < GIT_LOCK_STALE_S ||
		    !realpath(lock.ptr, real) || held_open(real) ||
		    unlink(lock.ptr) < 0)
			continue;
		buf_reset(&note);
		buf_addf(&note, "removed git's stale lock %s (no process has it open)",
			 lock.ptr);
		cf_session_note(s, note.ptr);
	}
	buf_release(&head);
	buf_release(&lock);
	buf_release(&note);
	secbuf_release(&text);
}

int cf_write_begin(struct cf_write *w, struct cf_session *s)
{
	struct buf why = BUF_INIT;
	int dirty = 0, ret;

	memset(w, 0, sizeof(*w));
	w->sess = s;
	if ((ret = cf_session_repo(s)) < 0 ||
	    (ret = cf_store_lock(&s->st, &w->stale_lock)) < 0)
		return ret;
	w->locked = 1;
	CF_FAULT("locked");
	cf_store_journal_path(&w->journal, &s->st);
	cf_txn_init(&w->txn, s->st.root, w->journal.ptr);
	clear_git_locks(s);
	if ((ret = cf_session_recover(s)) < 0)
		return ret;
	if ((ret = cf_repo_coffer_dirty(&s->repo, &dirty, &why)) == 0 && dirty)
		ret = cf_error_set(CF_ECONFLICT,
			".coffer/ has uncommitted changes (%s); commit or discard them first (policy changes go through 'coffer policy edit')",
			buf_cstr(&why));
	buf_release(&why);
	return ret;
}

/* Whether principal is a reader of name now. */
static int reads(const struct cf_policy *p, const char *principal,
		 const char *name)
{
	const struct cf_principal **r = NULL;
	size_t n = cf_policy_readers(p, name, cf_now(), &r);
	int yes = 0;

	for (size_t i = 0; i < n && !yes; i++)
		yes = !strcmp(r[i]->name, principal);
	free(r);
	return yes;
}

/* Whether someone who may not read name could know the data key of its
 * file: the last commit that changed the file was signed by a principal
 * who is no reader now, or it cannot be told who made it (unsigned, a
 * signature that does not verify with a key in the keyring, a key the
 * policy does not know, no history). The verified signature, not
 * meta.updated_by nor the signature's unchecked issuer, names the
 * writer: the writer sets both. */
static int key_may_be_known(struct cf_write *w, const char *name)
{
	const struct cf_policy *p = &w->sess->st.policy;
	const struct cf_principal *pr;
	struct cf_history_entry last;
	struct buf path = BUF_INIT, sig = BUF_INIT, data = BUF_INIT;
	char fpr[65];
	int known = 1;

	buf_addf(&path, "%s.yaml", name);
	if (cf_repo_last_commit(&w->sess->repo, path.ptr, &last) == 0 &&
	    last.signed_ &&
	    cf_repo_commit_signature(&w->sess->repo, last.id, &sig, &data) == 0 &&
	    cf_gpg_verify(fpr, sig.ptr, sig.len, data.ptr, data.len) == 0 &&
	    (pr = cf_policy_principal_by_fpr(p, fpr)))
		known = !reads(p, pr->name, name);
	cf_error_clear();
	cf_history_entry_release(&last);
	buf_release(&path);
	buf_release(&sig);
	buf_release(&data);
	return known;
}

int cf_write_secret(struct cf_write *w, struct cf_secret *sec,
		    const char *name)
{
	struct cf_store *st = &w->sess->st;
	struct secbuf out = SECBUF_INIT;
	struct buf path = BUF_INIT;
	char **fprs = NULL, now[CF_TIME_LEN];
	size_t n = 0;
	int ret = 0;

	cf_time_format(now, cf_date_now());
	/* a key a non-reader may know is replaced (SPEC 3); a reader's
	 * write after a reader's keeps it, for minimal diffs */
	if (!sec->rekeyed && key_may_be_known(w, name))
		ret = cf_secret_rekey(sec);
	if (ret < 0)
		goto out;
	cf_readers_fprs(&st->policy, name, &fprs, &n);
	ret = cf_secret_set_recipients(sec, fprs, n, cf_store_pubkeys(st), now);
	if (ret == CF_ENOTFOUND) {
		/* a reader's key is not in this keyring yet: the store
		 * carries every principal's public key */
		for (size_t i = 0; i < n; i++)
			cf_store_import_key(st, fprs[i]);
		ret = cf_secret_set_recipients(sec, fprs, n, cf_store_pubkeys(st), now);
	}
	if (ret < 0 || (ret = cf_secret_serialize(&out, sec, now)) < 0)
		goto out;
	buf_addf(&path, "%s.yaml", name);
	cf_txn_put(&w->txn, path.ptr, out.ptr, out.len);
out:
	cf_strv_free(fprs, n);
	secbuf_release(&out);
	buf_release(&path);
	return ret;
}

void cf_write_remove(struct cf_write *w, const char *name)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s.yaml", name);
	cf_txn_remove(&w->txn, path.ptr);
	buf_release(&path);
}

void cf_write_file(struct cf_write *w, const char *path, const void *data,
		   size_t len)
{
	if (data)
		cf_txn_put(&w->txn, path, data, len);
	else
		cf_txn_remove(&w->txn, path);
}

int cf_write_policy(struct cf_write *w, const char *text, size_t len,
		    struct cf_policy *old)
{
	struct cf_session *s = w->sess;
	struct cf_policy neu;
	int ret;

	if ((ret = cf_session_whoami(s)) < 0)
		return ret;
	if ((ret = cf_policy_parse(&neu, text, len, CF_POLICY_PATH)) < 0) {
		cf_policy_release(&neu);
		return ret;
	}
	if (!cf_policy_principal(&neu, s->me)) {
		cf_policy_release(&neu);
		return cf_error_set(CF_EUSAGE,
			"the new policy drops you (%s); nothing changed", s->me);
	}
	*old = s->st.policy;
	s->st.policy = neu;
	cf_txn_put(&w->txn, CF_POLICY_PATH, text, len);
	return 0;
}

int cf_write_sign(struct buf *out, const void *data, size_t len,
		  const void *arg)
{
	return cf_gpg_sign(out, arg, data, len);
}

int cf_write_commit(struct cf_write *w, const struct cf_commitmsg *m)
{
	struct cf_session *s = w->sess;
	struct cf_commitmsg msg = *m;
	const struct cf_key *key;
	struct cf_commit_info info;
	struct buf text = BUF_INIT;
	const char **secrets = NULL;
	char **names = NULL, id[41];
	int ret;

	if ((ret = cf_session_whoami(s)) < 0)
		goto out;
	/* the listing that names the signing key also gives its e-mail;
	 * a write is made as a principal only with their secret key, signed
	 * or not (--as names who you are, it does not make you them) */
	if (!(key = cf_session_my_key(s))) {
		ret = cf_error_set(CF_EDECRYPT,
			"cannot write as %s: no secret key of %s in the keyring",
			s->me, s->me);
		goto out;
	}
	/* one trailer per secret the commit touches */
	names = xcalloc(w->txn.n + 1, sizeof(*names));
	secrets = xcalloc(w->txn.n + 1, sizeof(*secrets));
	msg.nsecrets = 0;
	for (size_t i = 0; i < w->txn.n; i++) {
		const char *p = w->txn.items[i].path;
		size_t l = strlen(p);

		if (strncmp(p, ".coffer/", 8) && l > 5) {
			names[msg.nsecrets] = xstrndup(p, l - 5);
			secrets[msg.nsecrets] = names[msg.nsecrets];
			msg.nsecrets++;
		}
	}
	msg.secrets = secrets;
	cf_commitmsg_format(&text, &msg);
	memset(&info, 0, sizeof(info));
	info.message = text.ptr;
	info.name = s->me;
	info.email = key->email;
	info.when = cf_now();
	if (s->st.policy.require_signed_commits) {
		info.sign = cf_write_sign;
		info.sign_arg = key;
	}
	ret = cf_txn_commit(&w->txn, &s->repo, &info, id);
	if (ret == 0 && w->txn.warning)
		cf_session_note(s, w->txn.warning);
out:
	cf_strv_free(names, msg.nsecrets);
	free(secrets);
	buf_release(&text);
	return ret;
}

void cf_write_next(struct cf_write *w)
{
	cf_txn_release(&w->txn);
	cf_txn_init(&w->txn, w->sess->st.root, w->journal.ptr);
}

void cf_write_end(struct cf_write *w)
{
	cf_txn_release(&w->txn);
	buf_release(&w->journal);
	if (w->locked)
		cf_store_unlock(&w->sess->st);
	w->locked = 0;
}
