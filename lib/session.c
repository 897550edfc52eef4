/* session.c: the store, the repository and the user of one command. */
#include "common.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "error.h"
#include "journal.h"
#include "session.h"
#include "timeutil.h"

static void recover_for_read(struct cf_session *s);

void cf_session_init(struct cf_session *s, const char *store_dir,
		     const char *as)
{
	memset(s, 0, sizeof(*s));
	s->store_dir = store_dir;
	s->as = as;
	s->st.lock_fd = -1;
}

void cf_session_release(struct cf_session *s)
{
	if (s->have_repo)
		cf_repo_close(&s->repo);
	if (s->have_store)
		cf_store_release(&s->st);
	free(s->me);
	cf_session_init(s, s->store_dir, s->as);
}

int cf_session_store(struct cf_session *s)
{
	struct buf dir = BUF_INIT;
	int ret;

	if (s->have_store)
		return 0;
	if ((ret = cf_store_locate(&dir, s->store_dir)) == 0 &&
	    (ret = cf_store_open(&s->st, dir.ptr)) == 0)
		ret = cf_store_load_policy(&s->st);
	buf_release(&dir);
	if (ret < 0) {
		cf_store_release(&s->st);
		return ret;
	}
	s->have_store = 1;
	recover_for_read(s);
	return 0;
}

void cf_session_note(struct cf_session *s, const char *line)
{
	if (s->note)
		s->note(line, s->note_arg);
}

int cf_session_recover(struct cf_session *s)
{
	struct buf path = BUF_INIT, said = BUF_INIT;
	struct stat sb;
	int ret = 0;

	cf_store_journal_path(&path, &s->st);
	if (lstat(path.ptr, &sb) < 0)	/* the usual case: one stat */
		goto out;
	if ((ret = cf_session_repo(s)) < 0)
		goto out;
	ret = cf_journal_recover(path.ptr, s->st.root, &s->repo, &said);
	if (ret == CF_ENOTFOUND)
		ret = 0;
	else if (ret == 0)
		cf_session_note(s, said.ptr);
out:
	buf_release(&path);
	buf_release(&said);
	return ret;
}

/* A killed write left a journal: a reader takes the lock long enough to
 * finish it; if a live writer holds the lock, the reader goes on with
 * the work tree, which holds a committed state (each file is replaced
 * whole) and is brought up to date by that writer. */
static void recover_for_read(struct cf_session *s)
{
	struct buf path = BUF_INIT;
	struct stat sb;
	int stale = 0;

	cf_store_journal_path(&path, &s->st);
	if (lstat(path.ptr, &sb) == 0 && s->st.lock_fd < 0 &&
	    cf_store_trylock(&s->st, &stale) == 0) {
		if (cf_session_recover(s) < 0)
			cf_session_note(s, cf_error_last());
		cf_store_unlock(&s->st);
	}
	cf_error_clear();
	buf_release(&path);
}

int cf_session_repo(struct cf_session *s)
{
	int ret;

	if (s->have_repo)
		return 0;
	if ((ret = cf_session_store(s)) < 0 ||
	    (ret = cf_repo_open(&s->repo, s->st.root)) < 0)
		return ret;
	s->have_repo = 1;
	return 0;
}

const struct cf_principal *cf_session_me(const struct cf_session *s)
{
	return s->me && s->have_store ?
	       cf_policy_principal(&s->st.policy, s->me) : NULL;
}

static void set_me(struct cf_session *s, const char *name)
{
	free(s->me);
	s->me = xstrdup(name);
}

/* The principal the user asked to act as: --as, else COFFER_PRINCIPAL;
 * NULL when neither names one. */
static const char *asked_as(const struct cf_session *s)
{
	const char *as = s->as;

	if (!as || !*as)
		as = getenv("COFFER_PRINCIPAL");
	return as && *as ? as : NULL;
}

int cf_session_whoami(struct cf_session *s)
{
	const struct cf_policy *p;
	const char *as = asked_as(s);
	int ret;

	if ((ret = cf_session_store(s)) < 0)
		return ret;
	if (cf_session_me(s))
		return 0;
	p = &s->st.policy;
	if (as) {
		if (!cf_policy_principal(p, as))
			return cf_error_set(CF_EDENIED,
				"principal '%s' is not in the policy", as);
		set_me(s, as);
		return 0;
	}
	if ((ret = cf_store_secret_keys(&s->st)) < 0)
		return ret;
	for (size_t i = 0; i < p->nprincipals; i++)
		for (size_t k = 0; k < p->principals[i].nkeys; k++)
			if (cf_keyring_find(&s->st.keys,
					    p->principals[i].keys[k])) {
				set_me(s, p->principals[i].name);
				return 0;
			}
	return cf_error_set(CF_EDENIED,
		"no principal of the policy has a secret key in this keyring (use --as)");
}

const struct cf_key *cf_session_my_key(struct cf_session *s)
{
	const struct cf_principal *me = cf_session_me(s);
	const struct cf_key *k = NULL;

	if (!me || cf_store_secret_keys(&s->st) < 0)
		return NULL;
	for (size_t i = 0; i < me->nkeys && !k; i++)
		k = cf_keyring_find(&s->st.keys, me->keys[i]);
	return k;
}

/* The refusal, saying which condition stood in the way when an allow
 * matched but its conditions did not hold. */
static int denied(struct cf_session *s, enum cf_action action,
		  const char *name, const struct cf_context *c)
{
	struct cf_explain ex;
	struct buf why = BUF_INIT;
	int ret;

	cf_policy_explain(&s->st.policy, s->me, action, name, c, &ex);
	for (size_t i = 0; i < ex.nmatched && !why.len; i++) {
		const struct cf_match *m = &ex.matched[i];

		for (size_t k = 0; k < m->nconds && !why.len; k++) {
			int bad = m->stmt->deny ? m->results[k] != CF_FALSE :
						  m->results[k] != CF_TRUE;

			if (!bad)
				continue;
			if (m->results[k] == CF_UNKNOWN)
				buf_addf(&why, ": %s %s cannot be decided (set COFFER_SOURCE_IP)",
					 m->conds[k]->type, m->conds[k]->values[0]);
			else
				buf_addf(&why, ": %s %s %s", m->conds[k]->type,
					 m->conds[k]->values[0], m->stmt->deny ?
					 "holds for a deny" : "does not hold");
		}
	}
	ret = cf_error_set(CF_EDENIED, "principal '%s' may not %s '%s' (%s%s)",
			   s->me, cf_action_name(action), name, ex.reason,
			   buf_cstr(&why));
	cf_explain_release(&ex);
	buf_release(&why);
	return ret;
}

int cf_session_allowed(struct cf_session *s, enum cf_action action,
		       const char *name)
{
	struct cf_context c = { cf_now(), getenv("COFFER_SOURCE_IP"), 0 };
	int ret;

	if ((ret = cf_session_whoami(s)) < 0)
		return ret;
	if (!cf_policy_allows(&s->st.policy, s->me, action, name, &c))
		return denied(s, action, name, &c);
	return 0;
}

/* When nobody said who the user is, the pgp entry that opens tells:
 * one gpg process instead of a key listing plus a decryption. Returns 1
 * if the secret was opened and the user identified, 0 if no entry
 * opened (the caller decides the identity the slow way), < 0 on error. */
static int open_as_whoever(struct cf_session *s, struct cf_secret *sec)
{
	const struct cf_policy *p = &s->st.policy;
	if (cf_session_me(s) || asked_as(s))
		return 0;
	for (size_t i = 0; i < sec->sops.npgp; i++) {
		const struct cf_principal *pr =
			cf_policy_principal_by_fpr(p, sec->sops.pgp[i].fp);
		char *fp = sec->sops.pgp[i].fp;
		int ret;

		if (!pr)
			continue;
		ret = cf_secret_open(sec, &fp, 1);
		if (ret == 0) {
			set_me(s, pr->name);
			return 1;
		}
		if (ret != CF_EDECRYPT)
			return ret;
	}
	return 0;
}

int cf_session_open_secret(struct cf_session *s, struct cf_secret *out,
			   const char *name)
{
	const struct cf_principal *me;
	int ret;

	if ((ret = cf_session_store(s)) < 0 ||
	    (ret = cf_store_read_secret(out, &s->st, name)) < 0 ||
	    (ret = open_as_whoever(s, out)) < 0)
		return ret;
	/* allowed is checked before anything is shown, also when the
	 * decryption above already identified the user */
	if ((ret = cf_session_allowed(s, CF_ACT_READ, name)) < 0)
		return ret;
	if (out->opened)
		return 0;
	me = cf_session_me(s);
	if (!cf_secret_is_recipient(out, me->keys, me->nkeys))
		return cf_error_set(CF_EDECRYPT,
			"'%s' is not encrypted to %s's key (recipient drift: run 'coffer reencrypt')",
			name, me->name);
	ret = cf_secret_open(out, me->keys, me->nkeys);
	if (ret == CF_EDECRYPT)
		cf_error_set(CF_EDECRYPT,
			"cannot decrypt '%s': no secret key of %s in the keyring",
			name, me->name);
	return ret;
}

void cf_readers_fprs(const struct cf_policy *p, const char *name,
		     char ***out, size_t *n)
{
	const struct cf_principal **r = NULL;
	size_t nr = cf_policy_readers(p, name, cf_now(), &r), total = 0;

	for (size_t i = 0; i < nr; i++)
		total += r[i]->nkeys;
	*out = xcalloc(total + 1, sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < r[i]->nkeys; k++)
			(*out)[(*n)++] = xstrdup(r[i]->keys[k]);
	free(r);
}
