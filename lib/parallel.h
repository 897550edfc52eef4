/* parallel.h: the one thread pool: a loop over indexes shared by a few
 * threads, each taking the next index. Used where the work items are
 * independent: parsing secret files (metacache), GnuPG work (reencrypt). */
#ifndef CF_PARALLEL_H
#define CF_PARALLEL_H

#include <stddef.h>

typedef void cf_parallel_fn(size_t i, void *arg);

/* Calls fn(i, arg) once for each i in [0, n) on at most threads threads,
 * the calling one among them, in no set order. A thread that cannot be
 * started leaves its share to the others. */
void cf_parallel_for(size_t n, size_t threads, cf_parallel_fn *fn,
		     void *arg);
/* The CPUs online, at least 1. */
size_t cf_cpus(void);

#endif
