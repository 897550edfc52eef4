/* proc.h: running a child program safely: a built argv (never a shell),
 * by path or from a descriptor (a sealed copy), input on its stdin, its
 * output collected and masked as it arrives (lib/match.h), a deadline on
 * the process itself after which its whole process group is killed,
 * whatever it did with its output. Rotation hooks use it, and run will.
 * Nothing of coffer's (the lock, gpg or git descriptors) is passed on. */
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

/* Runs argv (argv[0] a path) in dir, in a process group of its own,
 * with input on stdin and stdout and stderr into output, for at most
 * timeout seconds. Every byte any of the nmask values covers is hidden
 * (a run of them becomes *****); output keeps the first
 * CF_PROC_OUTPUT_MAX bytes of that masked text, so a value is never cut
 * in two. At the deadline the group is killed, even when the child
 * closed or redirected its output; when the child exits, whatever it
 * left running may hold its output open for half a second more, then
 * the group is killed. 0 when the child ran (*res says how it ended),
 * < 0 when it could not be started or waited for. */
int cf_proc_run(const char *const *argv, const char *dir,
		const struct secbuf *input, int64_t timeout,
		const struct secbuf *const *mask, size_t nmask,
		struct secbuf *output, struct cf_proc_result *res);
/* The same, running the program open as fd (fexecve) with argv as its
 * arguments. In the child fd becomes fd 3 and stays open across the
 * exec, for a #! script's interpreter, which reads /dev/fd/3. */
int cf_proc_run_fd(int fd, const char *const *argv, const char *dir,
		   const struct secbuf *input, int64_t timeout,
		   const struct secbuf *const *mask, size_t nmask,
		   struct secbuf *output, struct cf_proc_result *res);

/* Hides every byte of b any mask value covers; a run of hidden bytes
 * becomes one *****. */
void cf_mask_values(struct secbuf *b, const struct secbuf *const *mask,
		    size_t nmask);

#endif
