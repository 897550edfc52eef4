/* members.h: the policy's principals and keys changed as one write:
 * the policy tree edited, validated and swapped in, the key file added
 * or removed, and every secret whose readers changed re-encrypted
 * (SPEC 4 member, 5.3). The caller has checked admin access. */
#ifndef CF_MEMBERS_H
#define CF_MEMBERS_H

#include "reencrypt.h"
#include "write.h"

/* The two comment lines every policy file coffer writes starts with. */
#define CF_POLICY_HEADER \
	"# coffer policy: who may do what to which secrets.\n" \
	"# See coffer-policy(5). Change it with 'coffer policy edit'.\n"

/* Adds principal name with key fpr (armored: its public key, kept in
 * .coffer/keys/NAME.asc) to groups. CF_ECONFLICT if the name or the key
 * is taken. */
int cf_member_add(struct cf_write *w, const char *name, const char *fpr,
		  const struct buf *armored, const char *const *groups,
		  size_t ngroups, struct cf_reenc_stats *stats);
/* Removes principal name from the principals, the groups and the
 * policies, and its key file. CF_ENOTFOUND if there is none; CF_EUSAGE
 * for the acting principal itself. */
int cf_member_rm(struct cf_write *w, const char *name,
		 struct cf_reenc_stats *stats);
/* The policy text in force is replaced by text (validated; it may not
 * drop the acting principal), then every secret is re-encrypted to its
 * readers under it. */
int cf_policy_replace(struct cf_write *w, const char *text, size_t len,
		      struct cf_reenc_stats *stats);

#endif
