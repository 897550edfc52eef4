/* readmany.c: many listed secrets read and parsed on every CPU.
 *
 * list --long and check read every file of the store; the parse is
 * CPU work that threads share well (the files are independent and the
 * store is only read). Each thread takes the next unread index. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "metacache.h"

#define MAX_THREADS 8
#define MIN_PER_THREAD 32	/* fewer: not worth a thread */

struct job {
	struct cf_metacache *c;
	struct cf_secret *out;
	int *ret;
	char **err;
	size_t from, n;
	atomic_size_t next;
};

static void *work(void *arg)
{
	struct job *j = arg;
	size_t k;

	while ((k = atomic_fetch_add(&j->next, 1)) < j->n) {
		j->ret[k] = cf_metacache_read(j->c, &j->out[k], j->from + k);
		j->err[k] = j->ret[k] < 0 ? xstrdup(cf_error_last()) : NULL;
	}
	return NULL;
}

static size_t threads_for(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = cpus > 0 ? (size_t)cpus : 1;

	if (t > MAX_THREADS)
		t = MAX_THREADS;
	if (t > n / MIN_PER_THREAD)
		t = n / MIN_PER_THREAD;
	return t ? t : 1;
}

void cf_metacache_read_many(struct cf_metacache *c, struct cf_secret *out,
			    int *ret, char **err, size_t from, size_t n)
{
	struct job j = { c, out, ret, err, from, n, 0 };
	pthread_t tid[MAX_THREADS];
	size_t nt = threads_for(n), started = 0;

	/* this thread is one of the workers; a thread that cannot be
	 * started leaves its share to the others */
	while (started + 1 < nt &&
	       pthread_create(&tid[started], NULL, work, &j) == 0)
		started++;
	work(&j);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}
