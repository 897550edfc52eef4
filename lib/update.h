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
 * that is not a map of field names to strings is CF_EUSAGE. */
int cf_edit_apply(struct cf_write *w, const char *name,
		  const struct secbuf *edited, long version, int *changed);

#endif
