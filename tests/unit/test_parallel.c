/* test_parallel.c: the thread pool (lib/parallel.c) calls fn once for
 * each index, whatever the number of threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../../lib/parallel.h"
#include "tap.h"

struct count {
	atomic_uint *hits;	/* per index */
	atomic_size_t calls;
	pthread_t first;
	atomic_int other_thread;	/* fn ran on a thread not the caller */
};

static void visit(size_t i, void *arg)
{
	struct count *c = arg;

	atomic_fetch_add(&c->hits[i], 1);
	atomic_fetch_add(&c->calls, 1);
	if (!pthread_equal(pthread_self(), c->first))
		atomic_store(&c->other_thread, 1);
}

static void run(size_t n, size_t threads)
{
	struct count c;
	size_t once = 0, calls;

	c.hits = calloc(n ? n : 1, sizeof(*c.hits));
	atomic_init(&c.calls, 0);
	atomic_init(&c.other_thread, 0);
	c.first = pthread_self();
	for (size_t i = 0; i < n; i++)
		atomic_init(&c.hits[i], 0);
	cf_parallel_for(n, threads, visit, &c);
	for (size_t i = 0; i < n; i++)
		once += atomic_load(&c.hits[i]) == 1;
	calls = atomic_load(&c.calls);
	is_int(calls, n, "n=%zu threads=%zu: fn called n times", n, threads);
	is_int(once, n, "n=%zu threads=%zu: each index exactly once", n,
	       threads);
	if (threads == 1)
		ok(!atomic_load(&c.other_thread),
		   "n=%zu threads=1: all on the calling thread", n);
	free(c.hits);
}

/* Slow work: records which threads took a share. */
struct who {
	pthread_mutex_t mu;
	pthread_t seen[16];
	size_t nseen;
	size_t calls;
};

static void slow(size_t i, void *arg)
{
	struct who *w = arg;
	struct timespec ts = { 0, 2000000 };
	size_t k;

	(void)i;
	pthread_mutex_lock(&w->mu);
	for (k = 0; k < w->nseen; k++)
		if (pthread_equal(w->seen[k], pthread_self()))
			break;
	if (k == w->nseen && w->nseen < 16)
		w->seen[w->nseen++] = pthread_self();
	w->calls++;
	pthread_mutex_unlock(&w->mu);
	nanosleep(&ts, NULL);
}

/* With slow work every thread allowed takes a share, and no more. */
static void threads_used(size_t threads)
{
	struct who w = { .nseen = 0, .calls = 0 };

	pthread_mutex_init(&w.mu, NULL);
	cf_parallel_for(40, threads, slow, &w);
	is_int(w.calls, 40, "slow work on %zu threads: 40 calls", threads);
	is_int(w.nseen, threads, "on exactly %zu threads", threads);
	pthread_mutex_destroy(&w.mu);
}

int main(void)
{
	static const size_t ns[] = { 0, 1, 1000 };
	static const size_t ts[] = { 1, 2, 8 };

	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
		for (size_t b = 0; b < sizeof(ts) / sizeof(ts[0]); b++)
			run(ns[a], ts[b]);
	run(5, 0);	/* 0 threads: still done, on the caller */
	run(3, 64);	/* more threads than work */

	run(200000, 8);	/* many indexes: a race on the counter shows */
	for (size_t t = 1; t <= 4; t++)
		threads_used(t);
	ok(cf_cpus() >= 1, "at least one CPU");
	return tap_done();
}
