/* audit.h: the local read log (SPEC 8.3), one JSON line per secret
 * read, each holding the SHA-256 of the line before it, and its head,
 * which says how long the log is and how it ends. */
#ifndef CF_AUDIT_H
#define CF_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct cf_audit_entry {
	const char *store;	/* the store's root */
	const char *principal;
	const char *name;
	long version;
	const char *command;	/* get, run, render, export */
};

/* Appends e at time now to the log at path, making its directory (0700)
 * and the file (0600) if needed, then replaces the head (path.head:
 * line count and the SHA-256 of the last line) if it still describes
 * the log, or the log is new or from a coffer before the head. Processes
 * that append at once take turns (flock on the log), so the chain and
 * the head stay whole. Never holds a value. */
int cf_audit_append(const char *path, const struct cf_audit_entry *e,
		    int64_t now);

/* The log's lines (without newlines, malloc'd; none if there is no
 * log). */
int cf_audit_lines(const char *path, char ***out, size_t *n);

/* What cf_audit_check found, besides a whole log. */
struct cf_audit_status {
	size_t lines;	/* lines in the log */
	size_t behind;	/* lines past the head (an append that stopped
			 * before the head, or an older coffer's); the head
			 * now counts them */
	int adopted;	/* no head yet, a log from a coffer before the head:
			 * one was written */
};

/* Checks the log at path under its lock: each line's prev is the SHA-256
 * of the line before (64 zeros for the first) and its seq, if any, its
 * line number; then the head: the log has at least its lines, and its
 * line number head.lines is the one the head names. 0, or CF_EINTEGRITY
 * naming the first line where the chain breaks, the lines removed from
 * the end, or the head that is missing. */
int cf_audit_check(const char *path, struct cf_audit_status *out);

/* Where the log is: $XDG_STATE_HOME/coffer/audit.log. */
void cf_audit_path(struct buf *out);

#endif
