/* proc.h: running a child program safely: a built argv (never a shell),
 * input on its stdin, its output collected and masked, a timeout after
 * which its whole process group is killed. Rotation hooks use it, and
 * run will. Nothing of coffer's (the lock, gpg or git descriptors) is
 * passed on. */
#ifndef CF_PROC_H
#define CF_PROC_H

#include <stdint.h>

#include "secbuf.h"

#define CF_PROC_OUTPUT_MAX (1u << 20)	/* output kept (and masked) */

struct cf_proc_result {
	int timed_out;		/* killed at the deadline */
	int signal;		/* killed by this signal, or 0 */
	int status;		/* exit status when it exited */
};

/* Runs argv (argv[0] a path) in dir with input on stdin and stdout and
 * stderr into output (at most CF_PROC_OUTPUT_MAX bytes), for at most
 * timeout seconds. Every one of the nmask values in output is replaced
 * by *****. 0 when the child ran (*res says how it ended), < 0 when it
 * could not be started or waited for. */
int cf_proc_run(const char *const *argv, const char *dir,
		const struct secbuf *input, int64_t timeout,
		const struct secbuf *const *mask, size_t nmask,
		struct secbuf *output, struct cf_proc_result *res);

/* Replaces every occurrence of each mask value in b by *****. */
void cf_mask_values(struct secbuf *b, const struct secbuf *const *mask,
		    size_t nmask);

#endif
