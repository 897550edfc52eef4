/* report.h: findings, as check reports them and verify will: each a
 * problem or a warning of a kind, about a name, with a detail. Adding is
 * thread-safe: check adds from its worker threads. */
#ifndef CF_REPORT_H
#define CF_REPORT_H

#include <pthread.h>
#include <stddef.h>

struct cf_finding {
	int problem;		/* else a warning */
	const char *kind;	/* e.g. "expired", "drift" (a literal) */
	char *name;
	char *detail;		/* "" when none */
};

struct cf_report {
	struct cf_finding *v;
	size_t n, alloc;
	size_t problems, warnings;
	pthread_mutex_t lock;
};

void cf_report_init(struct cf_report *r);
void cf_report_release(struct cf_report *r);
void cf_report_add(struct cf_report *r, int problem, const char *kind,
		   const char *name, const char *detail);
/* Sorts by kind, then name. */
void cf_report_sort(struct cf_report *r);

#endif
