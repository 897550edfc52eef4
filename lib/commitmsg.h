/* commitmsg.h: the message of every commit coffer makes (SPEC 8.1):
 * the subject "coffer: <op> [<name>]", the user's text, and the Coffer-*
 * trailers. This is the one place that spells them, for writing and for
 * reading them back (history, and verify next). */
#ifndef CF_COMMITMSG_H
#define CF_COMMITMSG_H

#include <stddef.h>

#include "buf.h"

enum cf_op {
	CF_OP_UNKNOWN,		/* no trailer, or one this version does not know */
	CF_OP_INIT,
	CF_OP_SET,
	CF_OP_META,
	CF_OP_EDIT,
	CF_OP_RM,
	CF_OP_MV,
	CF_OP_ROTATE,
	CF_OP_MEMBER_ADD,
	CF_OP_MEMBER_RM,
	CF_OP_POLICY_EDIT,
	CF_OP_REENCRYPT,
	CF_OP_IMPORT,
	CF_OP_MERGE,
	CF_OP_ROLLBACK,		/* a rotation undone: the old value, a new version */
};

/* The step a rotation commit records (Coffer-Rotation). */
enum cf_rotation_mark {
	CF_ROTMARK_NONE,
	CF_ROTMARK_PENDING,	/* new value committed, hook steps to run */
	CF_ROTMARK_FINISHED,
	CF_ROTMARK_FINISH_FAILED,
	CF_ROTMARK_ROLLED_BACK,
};

struct cf_commitmsg {
	enum cf_op op;
	const char *op_text;	/* as written: the name of op, or an unknown word */
	const char *name;	/* the subject's secret, or NULL */
	const char *body;	/* the user's text (-m), or NULL; written,
				 * not read back */
	const char *const *secrets;	/* one Coffer-Secret trailer each */
	size_t nsecrets;
	long version;		/* Coffer-Version, 0 for none */
	enum cf_rotation_mark rotation;
	const char *renamed_from;	/* Coffer-Renamed-From, or NULL */
	char *text_;		/* parse: the copy the pointers point into */
	const char **secv_;	/* parse: the secrets array */
};

const char *cf_op_name(enum cf_op op);
/* The op called name, or CF_OP_UNKNOWN. */
enum cf_op cf_op_from_name(const char *name);
/* Whether op changes values, and so the version. */
int cf_op_changes_value(enum cf_op op);
/* Whether a commit that says op fits what it did to one secret's file:
 * ver and before are meta.version after and before (0: no file), removed
 * says the commit removed it. A version bump is a value change, only
 * value operations make one, and a rotation's rollback goes back one. */
int cf_op_consistent(enum cf_op op, long ver, long before, int removed);

const char *cf_rotation_mark_name(enum cf_rotation_mark m);

/* The whole message, ending in a newline. */
void cf_commitmsg_format(struct buf *out, const struct cf_commitmsg *m);
/* Reads a message back; op comes from the last Coffer-Op trailer, else
 * the subject. Trailers count only in the last paragraph, as git reads
 * them, so the user's text cannot add one. Never fails: an unknown message has op CF_OP_UNKNOWN
 * and op_text "?". Release with cf_commitmsg_release. */
void cf_commitmsg_parse(struct cf_commitmsg *out, const char *message);
void cf_commitmsg_release(struct cf_commitmsg *m);

#endif
