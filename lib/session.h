/* session.h: one command's view of a store: the store and its policy,
 * the git repository (opened on first use), and who the user is. The
 * identity is held as a principal *name* and looked up in the policy in
 * force, so a policy swapped in mid-command (member, policy edit) needs
 * no re-pointing. Access decisions come with their explanation. */
#ifndef CF_SESSION_H
#define CF_SESSION_H

#include "policy.h"
#include "repo.h"
#include "secret.h"
#include "store.h"

struct cf_session {
	const char *store_dir;	/* -C DIR, or NULL */
	const char *as;		/* --as, or NULL ($COFFER_PRINCIPAL then) */
	struct cf_store st;
	int have_store;
	struct cf_repo repo;
	int have_repo;
	char *me;		/* acting principal, once decided */
	/* Told one line of what coffer did on its own (it finished a
	 * killed write); NULL: nobody is told. */
	void (*note)(const char *line, void *arg);
	void *note_arg;
};

void cf_session_init(struct cf_session *s, const char *store_dir,
		     const char *as);
void cf_session_release(struct cf_session *s);

/* Opens the store and its policy on first use. */
int cf_session_store(struct cf_session *s);
/* Opens the git repository (and the store) on first use. */
int cf_session_repo(struct cf_session *s);
/* A write that a killed process left (its journal) is finished or
 * dropped, and the note says so. The caller holds the store lock. */
int cf_session_recover(struct cf_session *s);
void cf_session_note(struct cf_session *s, const char *line);

/* Decides who the user is: --as, else $COFFER_PRINCIPAL, else the first
 * principal with a secret key in the keyring. CF_EDENIED if none. */
int cf_session_whoami(struct cf_session *s);
/* The acting principal in the policy in force, or NULL if undecided. */
const struct cf_principal *cf_session_me(const struct cf_session *s);
/* The acting principal's first key with a secret key here, or NULL. */
const struct cf_key *cf_session_my_key(struct cf_session *s);

/* 0 if the user may do action on name now (COFFER_SOURCE_IP is the
 * source address), else CF_EDENIED saying why: the reason, and which
 * condition stood in the way. */
int cf_session_allowed(struct cf_session *s, enum cf_action action,
		       const char *name);

/* Reads the secret name and decrypts it for the user, after checking
 * read access. CF_ENOTFOUND, CF_EDENIED, CF_EDECRYPT (naming recipient
 * drift or a missing secret key), CF_EINTEGRITY. */
int cf_session_open_secret(struct cf_session *s, struct cf_secret *out,
			   const char *name);

/* The reader list of a secret as of now: every key of every principal
 * the policy lets read name (SPEC 5.3). Free with cf_strv_free. */
void cf_readers_fprs(const struct cf_policy *p, const char *name,
		     char ***out, size_t *n);

#endif
