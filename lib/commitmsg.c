/* commitmsg.c: formatting and parsing commit messages and trailers. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitmsg.h"

#define SUBJECT_PREFIX "coffer: "

static const char *const op_names[] = {
	[CF_OP_UNKNOWN] = "?",
	[CF_OP_INIT] = "init",
	[CF_OP_SET] = "set",
	[CF_OP_META] = "meta",
	[CF_OP_EDIT] = "edit",
	[CF_OP_RM] = "rm",
	[CF_OP_MV] = "mv",
	[CF_OP_ROTATE] = "rotate",
	[CF_OP_MEMBER_ADD] = "member-add",
	[CF_OP_MEMBER_RM] = "member-rm",
	[CF_OP_POLICY_EDIT] = "policy-edit",
	[CF_OP_REENCRYPT] = "reencrypt",
	[CF_OP_IMPORT] = "import",
	[CF_OP_MERGE] = "merge",
	[CF_OP_ROLLBACK] = "rollback",
};

static const char *const mark_names[] = {
	[CF_ROTMARK_NONE] = "",
	[CF_ROTMARK_PENDING] = "pending",
	[CF_ROTMARK_FINISHED] = "finished",
	[CF_ROTMARK_FINISH_FAILED] = "finish-failed",
	[CF_ROTMARK_ROLLED_BACK] = "rolled-back",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *cf_op_name(enum cf_op op)
{
	return (size_t)op < NELEM(op_names) ? op_names[op] : "?";
}

enum cf_op cf_op_from_name(const char *name)
{
	for (size_t i = 1; i < NELEM(op_names); i++)
		if (!strcmp(name, op_names[i]))
			return (enum cf_op)i;
	return CF_OP_UNKNOWN;
}

const char *cf_rotation_mark_name(enum cf_rotation_mark m)
{
	return (size_t)m < NELEM(mark_names) ? mark_names[m] : "";
}

int cf_op_changes_value(enum cf_op op)
{
	return op == CF_OP_SET || op == CF_OP_ROTATE || op == CF_OP_EDIT ||
	       op == CF_OP_IMPORT || op == CF_OP_MERGE || op == CF_OP_ROLLBACK;
}

int cf_op_consistent(enum cf_op op, long ver, long before, int removed)
{
	if (removed)
		return op == CF_OP_RM || op == CF_OP_MV;
	if (!before)	/* created */
		return cf_op_changes_value(op) || op == CF_OP_MV;
	if (ver > before)
		return cf_op_changes_value(op);
	if (ver < before)
		return op == CF_OP_ROTATE;
	return !cf_op_changes_value(op) || op == CF_OP_ROTATE;
}

void cf_commitmsg_format(struct buf *out, const struct cf_commitmsg *m)
{
	const char *op = cf_op_name(m->op);

	buf_addf(out, SUBJECT_PREFIX "%s%s%s\n\n", op, m->name ? " " : "",
		 m->name ? m->name : "");
	if (m->body && *m->body)
		buf_addf(out, "%s\n\n", m->body);
	buf_addf(out, "Coffer-Op: %s\n", op);
	for (size_t i = 0; i < m->nsecrets; i++)
		buf_addf(out, "Coffer-Secret: %s\n", m->secrets[i]);
	if (m->version > 0)
		buf_addf(out, "Coffer-Version: %ld\n", m->version);
	if (m->rotation != CF_ROTMARK_NONE)
		buf_addf(out, "Coffer-Rotation: %s\n",
			 cf_rotation_mark_name(m->rotation));
	if (m->renamed_from)
		buf_addf(out, "Coffer-Renamed-From: %s\n", m->renamed_from);
}

/* The value of line if it is the trailer key, else NULL. */
static char *trailer(char *line, const char *key)
{
	size_t l = strlen(key);

	return !strncmp(line, key, l) && line[l] == ':' && line[l + 1] == ' ' ?
	       line + l + 2 : NULL;
}

/* The start of the last paragraph of s: after the last blank line that
 * has text after it. */
static char *last_paragraph(char *s)
{
	char *start = s;

	for (char *p = s; (p = strstr(p, "\n\n")); p++) {
		char *q = p + 2;

		while (*q == '\n')
			q++;
		if (*q)
			start = q;
	}
	return start;
}

void cf_commitmsg_parse(struct cf_commitmsg *out, const char *message)
{
	char *p, *v, *op = NULL, *trailers;
	size_t nsec = 0;

	memset(out, 0, sizeof(*out));
	out->text_ = xstrdup(message ? message : "");
	out->secv_ = xcalloc(1, sizeof(*out->secv_));
	/* trailers are read from the last paragraph only (git's rule), so
	 * text in the body (-m) cannot add one */
	trailers = last_paragraph(out->text_);
	for (p = out->text_; p && *p;) {
		char *line = p, *nl = strchr(p, '\n');
		int in_trailers = line >= trailers && line != out->text_;

		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : NULL;
		if (!in_trailers && line != out->text_)
			continue;
		if (line == out->text_ &&
		    !strncmp(line, SUBJECT_PREFIX, strlen(SUBJECT_PREFIX))) {
			char *sp;

			line += strlen(SUBJECT_PREFIX);
			if ((sp = strchr(line, ' '))) {
				*sp = '\0';
				out->name = sp + 1;
			}
			if (!op)
				op = line;
		} else if ((v = trailer(line, "Coffer-Op"))) {
			op = v;
		} else if ((v = trailer(line, "Coffer-Secret"))) {
			out->secv_ = xrealloc(out->secv_,
					      (nsec + 2) * sizeof(*out->secv_));
			out->secv_[nsec++] = v;
			out->secv_[nsec] = NULL;
		} else if ((v = trailer(line, "Coffer-Version"))) {
			out->version = strtol(v, NULL, 10);
		} else if ((v = trailer(line, "Coffer-Rotation"))) {
			for (size_t i = 1; i < NELEM(mark_names); i++)
				if (!strcmp(v, mark_names[i]))
					out->rotation = (enum cf_rotation_mark)i;
		} else if ((v = trailer(line, "Coffer-Renamed-From"))) {
			out->renamed_from = v;
		}
	}
	out->secrets = out->secv_;
	out->nsecrets = nsec;
	out->op_text = op ? op : "?";
	out->op = op ? cf_op_from_name(op) : CF_OP_UNKNOWN;
}

void cf_commitmsg_release(struct cf_commitmsg *m)
{
	free(m->text_);
	free(m->secv_);
	memset(m, 0, sizeof(*m));
}
