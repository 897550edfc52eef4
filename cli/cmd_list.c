/* cmd_list.c: coffer list shows names: a tree on a tty, one per line
 * otherwise. It reads files, never GnuPG. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"
#include "status.h"

enum { O_LONG, O_TAG, O_JSON };

static int tag_matches(const struct cf_secret *s, char **tags, size_t n)
{
	const struct cf_ynode *t = cf_ymap_get(s->meta, "tags");

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(tags[i], '=');
		char *k = xstrndup(tags[i], (size_t)(eq - tags[i]));
		const struct cf_ynode *v = cf_ymap_get(t, k);

		free(k);
		if (!v || strcmp(v->str, eq + 1))
			return 0;
	}
	return 1;
}

/* The d-th segment of a name and its length; NULL past the end. */
static const char *segment(const char *name, size_t d, size_t *len)
{
	const char *p = name, *e;

	for (size_t k = 0; k < d; k++) {
		if (!(p = strchr(p, '/')))
			return NULL;
		p++;
	}
	e = strchr(p, '/');
	*len = e ? (size_t)(e - p) : strlen(p);
	return p;
}

/* Whether a and b agree on their first d segments. */
static int same_prefix(const char *a, const char *b, size_t d)
{
	for (size_t k = 0; k < d; k++) {
		size_t la, lb;
		const char *sa = segment(a, k, &la), *sb = segment(b, k, &lb);

		if (!sa || !sb || la != lb || memcmp(sa, sb, la))
			return 0;
	}
	return 1;
}

/* Prints sorted names as a tree, like tree(1). */
static void print_tree(char **names, size_t n)
{
	int last[CF_NAME_SEGMENTS + 1] = { 0 };

	for (size_t i = 0; i < n; i++) {
		size_t d = 0, len;
		const char *seg;

		while (i && same_prefix(names[i], names[i - 1], d + 1) &&
		       segment(names[i], d + 1, &len))
			d++;
		for (; (seg = segment(names[i], d, &len)); d++) {
			size_t j = i + 1;

			/* a later sibling shares d segments, differs at d */
			while (j < n && same_prefix(names[j], names[i], d + 1))
				j++;
			last[d] = !(j < n && same_prefix(names[j], names[i], d));
			for (size_t k = 0; k < d; k++)
				fputs(last[k] ? "    " : "│   ", stdout);
			printf("%s %.*s\n", last[d] ? "└──" : "├──", (int)len,
			       seg);
		}
	}
}

struct filter {
	char **tags;
	size_t ntags;
	int longfmt;
	json_t *arr;		/* or print lines */
	char **kept_names;	/* copies of the names that pass */
	size_t kept;
};

/* Shows one listed secret if it has the tags; keeps its name for the
 * plain listing that follows. */
static void show_one(struct ctx *ctx, const char *name,
		     const struct cf_secret *s, int ret, const char *err,
		     void *arg)
{
	struct filter *f = arg;
	struct status st;

	(void)ret;
	if (!s) {
		warnf(ctx, "%s", err);
		return;
	}
	if (!tag_matches(s, f->tags, f->ntags))
		return;
	if (f->longfmt) {
		status_of(&st, ctx, s, name);
		if (f->arr)
			json_array_append_new(f->arr, status_json(&st, name));
		else
			status_line(&st, name);
		status_release(&st);
	}
	f->kept_names[f->kept++] = xstrdup(name);
}

int cmd_list(int argc, char **argv, struct ctx *ctx)
{
	char **names = NULL, **tags = NULL;
	size_t n = 0, ntags = 0;
	const char *arg, *prefix = NULL;
	json_t *arr = NULL;
	int c, ret = 0, longfmt = 0;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'l': longfmt = 1; break;
		case 't':
			if (!strchr(arg, '='))
				return usage_error(ctx, "--tag needs K=V");
			tags = xrealloc(tags, (ntags + 1) * sizeof(*tags));
			tags[ntags++] = (char *)arg;
			break;
		case OPT_LONG(O_JSON): ctx->json = 1; break;
		default: free(tags); return cmd_optdone(ctx, c);
		}
	}
	if (optind < argc)
		prefix = argv[optind++];
	if (optind < argc) {
		free(tags);
		return usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if ((ret = need_store(ctx)) < 0 ||
	    (ret = cf_store_list(&ctx->st, prefix, &names, &n)) < 0)
		goto out;
	if (ctx->json)
		arr = json_array();
	if (longfmt || ntags) {
		struct filter f = { tags, ntags, longfmt, arr,
				    xcalloc(n + 1, sizeof(char *)), 0 };

		for_each_listed(ctx, names, n, !prefix, show_one, &f);
		cf_strv_free(names, n);
		names = f.kept_names;
		n = f.kept;
	}
	if (arr) {
		if (!longfmt)
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, json_string(names[i]));
		out_json(arr);
	} else if (!longfmt) {
		if (isatty(1) && !ntags)
			print_tree(names, n);
		else
			for (size_t i = 0; i < n; i++)
				printf("%s\n", names[i]);
	}
out:
	cf_strv_free(names, n);
	free(tags);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}
