/* update.h: changing one secret as set and meta do (SPEC 4, 6): inside
 * a write, open or create it, check write access, that no rotation is
 * under way and the expected version, apply the metadata change, check
 * the value against the rules and the policy's strength, and commit;
 * and edit's two halves around the editor. import will use the same. */
#ifndef CF_UPDATE_H
#define CF_UPDATE_H

#include "metaedit.h"
#include "write.h"

struct cf_set {
	const char *field;		/* "value" unless given */
	const struct secbuf *val;	/* the bytes to store */
	double bits;			/* a generated value's entropy, or < 0 */
	int binary;			/* val may hold NUL: store it base64 */
	int allow_weak;
	long if_version;		/* check-and-set, or < 0 */
	const struct cf_meta_edit *meta;	/* may be NULL */
	const char *msg;		/* commit text, or NULL */
	/* Replace the secret whole: every field and the previous value
	 * are dropped (*dropped lists them) and it starts over with a new
	 * data key; needs only write access. What a principal who may
	 * write but not read can do to a secret that exists. */
	int replace;
	struct buf *dropped;		/* with replace */
};

/* Sets one field of name (creating the secret) as a new version, in one
 * commit; *version receives it. CF_EDENIED, CF_ECONFLICT (rotation
 * under way, version mismatch), CF_EREJECTED (rules, strength). */
int cf_update_value(struct cf_write *w, const char *name,
		    const struct cf_set *o, long *version);
/* Changes name's metadata only, in one commit; new validate rules must
 * hold for the current value (CF_EREJECTED, nothing changed). */
int cf_update_meta(struct cf_write *w, const char *name,
		   const struct cf_meta_edit *m);

/* edit, first half: the fields of name as the YAML document the editor
 * shows (binary fields as their base64; a new secret shows an empty
 * value), after checking write access; *version is the version shown. */
int cf_edit_doc(struct cf_session *sess, const char *name,
		struct secbuf *doc, long *version);
/* Second half, in w: the edited document becomes the fields of name,
 * if name is still at version (else CF_ECONFLICT); a new version in one
 * commit, or *changed = 0 and no commit when no value changed. A document
 * that is not a map of field names to strings is CF_EUSAGE; each changed
 * field passes what set checks (NUL, rules, strength unless allow_weak:
 * CF_EREJECTED, nothing changed). */
int cf_edit_apply(struct cf_write *w, const char *name,
		  const struct secbuf *edited, long version, int allow_weak,
		  int *changed);

/* mv: renames from to to in one commit; the file moves as it is when
 * the reader set is the same, else it is re-encrypted for to's
 * readers. CF_ECONFLICT if to exists. */
int cf_update_mv(struct cf_write *w, const char *from, const char *to);
/* The secrets rm args names: each that exists, with recursive the ones
 * under ARG/ as well; a name that matches none is CF_ENOTFOUND unless
 * missing_ok. Free with cf_strv_free. */
int cf_rm_names(const struct cf_store *st, char *const *args, size_t nargs,
		int recursive, int missing_ok, char ***out, size_t *n);
/* rm: removes names in one commit after checking delete access for
 * each; confirm (may be NULL) is asked last, and its failure passed up. */
int cf_update_rm(struct cf_write *w, char *const *names, size_t n,
		 int (*confirm)(char *const *names, size_t n, void *arg),
		 void *arg);

#endif
