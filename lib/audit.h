/* audit.h: the local read log (SPEC 8.3), one JSON line per secret
 * read, each holding the SHA-256 of the line before it. */
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
 * and the file (0600) if needed. Processes that append at once take
 * turns (flock), so the chain stays whole. Never holds a value. */
int cf_audit_append(const char *path, const struct cf_audit_entry *e,
		    int64_t now);

/* The log's lines (without newlines, malloc'd; none if there is no
 * log). */
int cf_audit_lines(const char *path, char ***out, size_t *n);

/* Whether line i's prev is the SHA-256 of line i-1 (64 zeros for the
 * first): 0, or CF_EINTEGRITY naming the first line where the chain
 * breaks, i.e. a line before it was edited or removed. */
int cf_audit_verify(char *const *lines, size_t n);

/* Where the log is: $XDG_STATE_HOME/coffer/audit.log. */
void cf_audit_path(struct buf *out);

#endif
