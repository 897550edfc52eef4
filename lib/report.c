/* report.c: a list of findings. */
#include "common.h"

#include "report.h"

void cf_report_init(struct cf_report *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
}

void cf_report_release(struct cf_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].detail);
	}
	free(r->v);
	pthread_mutex_destroy(&r->lock);
	memset(r, 0, sizeof(*r));
}

void cf_report_add(struct cf_report *r, int problem, const char *kind,
		   const char *name, const char *detail)
{
	struct cf_finding *f;

	pthread_mutex_lock(&r->lock);
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->v = xrealloc(r->v, r->alloc * sizeof(*r->v));
	}
	f = &r->v[r->n++];
	f->problem = problem;
	f->kind = kind;
	f->name = xstrdup(name);
	f->detail = xstrdup(detail ? detail : "");
	*(problem ? &r->problems : &r->warnings) += 1;
	pthread_mutex_unlock(&r->lock);
}

static int by_kind(const void *a, const void *b)
{
	const struct cf_finding *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	return c ? c : strcmp(x->name, y->name);
}

void cf_report_sort(struct cf_report *r)
{
	if (r->n)	/* qsort wants a non-null array */
		qsort(r->v, r->n, sizeof(*r->v), by_kind);
}
