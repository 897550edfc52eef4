/* hooks.h: rotation hooks (SPEC 6). A hook is code that arrived through
 * git, so it runs only if the user's local allow-list holds its path and
 * SHA-256; it gets the values as JSON on stdin, never in argv or the
 * environment, runs under a timeout, and its output is masked. */
#ifndef CF_HOOKS_H
#define CF_HOOKS_H

#include <stdint.h>

#include "../lib/buf.h"
#include "../lib/secbuf.h"

#define HOOK_TIMEOUT_DEFAULT 60

struct hook {
	char *path;		/* absolute, symlink-free */
	char sha[65];		/* of its content */
};

/* Finds the hook rel (".coffer/hooks/NAME") of the store at root: a
 * regular, executable file inside .coffer/hooks/ reached without
 * symlinks. CF_ENOTFOUND or CF_EHOOK with the reason. */
int hook_load(struct hook *h, const char *root, const char *rel);
void hook_release(struct hook *h);
/* Whether the allow-list holds the hook's path with its SHA-256. */
int hook_trusted(const struct hook *h);
/* Adds (or updates) the file at path in the allow-list; h receives its
 * path and SHA-256. */
int hook_trust(struct hook *h, const char *path);

/* Runs "HOOK step" in dir with input on stdin, for at most timeout
 * seconds. Its output goes to stderr, each line prefixed with prefix,
 * with every one of the nmask values replaced by *****. CF_EHOOK with
 * the reason when it fails, times out or cannot start. */
int hook_run(const struct hook *h, const char *dir, const char *step,
	     const struct secbuf *input, int64_t timeout,
	     const struct secbuf *const *mask, size_t nmask,
	     const char *prefix);

#endif
