/* hooks.h: rotation hooks (SPEC 6). A hook is code that arrived through
 * git, so it runs only if the user's local allow-list
 * ($XDG_CONFIG_HOME/coffer/hooks.allow) holds its path and SHA-256. It
 * is copied once into a sealed memory file, which is what is hashed and
 * what runs at every step, whatever happens to the file meanwhile. It
 * gets the values as JSON on stdin, never in argv or the environment,
 * runs under a timeout, and its output is masked. */
#ifndef CF_HOOKS_H
#define CF_HOOKS_H

#include <stdint.h>

#include "secbuf.h"

#define CF_HOOK_TIMEOUT_DEFAULT 60

struct cf_hook {
	char *path;		/* absolute, symlink-free */
	char sha[65];		/* of the sealed copy */
	int fd;			/* the sealed copy, while path is set */
};

#define CF_HOOK_INIT { NULL, "", -1 }

/* Finds the hook rel (".coffer/hooks/NAME") of the store at root: a
 * regular, executable file inside .coffer/hooks/ reached without
 * symlinks, and copies it into a sealed memfd (F_SEAL_WRITE, _SHRINK,
 * _GROW and _SEAL), whose content is hashed. CF_ENOTFOUND or CF_EHOOK
 * with the reason. */
int cf_hook_load(struct cf_hook *h, const char *root, const char *rel);
void cf_hook_release(struct cf_hook *h);
/* Whether the allow-list holds the hook's path with its SHA-256. */
int cf_hook_trusted(const struct cf_hook *h);
/* Adds (or updates) the file at path in the allow-list; h receives its
 * path and SHA-256. */
int cf_hook_trust(struct cf_hook *h, const char *path);

/* Runs "HOOK step" from the sealed copy (its interpreter, for a #!
 * script, reads /dev/fd/3, so $0 is /dev/fd/3) in dir with input on
 * stdin, for at most timeout seconds; output receives what it printed, with every one of the nmask
 * values replaced by *****. CF_EHOOK with the reason when it fails,
 * times out or cannot start. */
int cf_hook_run(const struct cf_hook *h, const char *dir, const char *step,
		const struct secbuf *input, int64_t timeout,
		const struct secbuf *const *mask, size_t nmask,
		struct secbuf *output);

#endif
