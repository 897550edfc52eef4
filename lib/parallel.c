/* parallel.c: a loop over indexes on a few threads. */
#include "common.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <unistd.h>

#include "buf.h"
#include "parallel.h"

struct loop {
	size_t n;
	atomic_size_t next;
	cf_parallel_fn *fn;
	void *arg;
};

static void *work(void *arg)
{
	struct loop *l = arg;
	size_t i;

	while ((i = atomic_fetch_add(&l->next, 1)) < l->n)
		l->fn(i, l->arg);
	return NULL;
}

void cf_parallel_for(size_t n, size_t threads, cf_parallel_fn *fn,
		     void *arg)
{
	struct loop l = { .n = n, .fn = fn, .arg = arg };
	pthread_t *tid;
	size_t started = 0;

	atomic_init(&l.next, 0);
	if (threads > n)
		threads = n;
	tid = xcalloc(threads ? threads : 1, sizeof(*tid));
	while (started + 1 < threads &&
	       pthread_create(&tid[started], NULL, work, &l) == 0)
		started++;
	work(&l);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

size_t cf_cpus(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 ? (size_t)cpus : 1;
}
