/* cmd_list.c: coffer list shows names: a tree on a tty, one per line
 * otherwise. It reads files, never GnuPG. */
#include "../lib/common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"
#include "status.h"

enum { O_LONG, O_TAG, O_JSON, O_NOPTS };

static const struct opt opts[] = {
	[O_LONG] = { "long", 'l', NULL, NULL,
		  "version, updated, rotation, expiry and readers" },
	[O_TAG] = { "tag", 't', "K=V", HINT_VALUE, "only secrets with this tag" },
	[O_JSON] = JSON_OPT,
	[O_NOPTS] = END,
};

static int tag_matches(const struct cf_secret *s, const char **tags,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(tags[i], '=');
		char *k = xstrndup(tags[i], (size_t)(eq - tags[i]));
		const char *v = cf_meta_tag(s, k);

		free(k);
		if (!v || strcmp(v, eq + 1))
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

struct row {
	int keep;		/* read, and has the tags */
	char *warning;		/* could not be read */
	char *text;		/* --long: a line, or an element of the
				 * --json array, indented to sit in it */
};

struct filter {
	const char **tags;
	size_t ntags;
	int longfmt, json;
	const struct cf_policy *policy;
	const struct cf_pubkeys *keys;
	struct row *rows;	/* one a name */
};

/* An object as out_json prints it inside an array: each line indented
 * by two more spaces. Done here, on the worker threads, and printed as
 * text: 10,000 json_t objects would take many MiB. */
static void json_element(struct buf *out, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	buf_adds(out, "  ");
	for (const char *p = text; p && *p; p++) {
		buf_addch(out, *p);
		if (*p == '\n')
			buf_adds(out, "  ");
	}
	free(text);
	json_decref(j);
}

/* Row i for one listed secret (on a worker thread: rows are printed in
 * order once all are done). */
static void show_one(size_t i, const char *name, const struct cf_secret *s,
		     int ret, const char *err, void *arg)
{
	struct filter *f = arg;
	struct row *r = &f->rows[i];
	struct cf_status st;
	struct buf line = BUF_INIT;

	(void)ret;
	if (!s) {
		r->warning = xstrdup(err);
		return;
	}
	if (!tag_matches(s, f->tags, f->ntags))
		return;
	r->keep = 1;
	if (!f->longfmt)
		return;
	cf_status_of(&st, f->policy, f->keys, s, name);
	if (f->json)
		json_element(&line, status_json(&st, name));
	else
		status_line(&line, &st, name);
	r->text = buf_detach(&line);
	cf_status_release(&st);
}

/* Shows the rows of a long or tag listing (a JSON array with json) and
 * keeps the names that passed, in order. */
static size_t show_rows(struct ctx *ctx, struct row *rows, char **names,
			size_t n, int json)
{
	size_t kept = 0, shown = 0;

	for (size_t i = 0; i < n; i++) {
		struct row *r = &rows[i];

		if (r->warning)
			warnf(ctx, "%s", r->warning);
		if (r->text) {
			if (json)
				fputs(shown ? ",\n" : "[\n", stdout);
			fputs(r->text, stdout);
			shown++;
		}
		if (r->keep)
			names[kept++] = names[i];
		else
			free(names[i]);
		free(r->warning);
		free(r->text);
	}
	if (json)
		fputs(shown ? "\n]\n" : "[]\n", stdout);
	return kept;
}

static int cmd_list(int argc, char **argv, struct ctx *ctx)
{
	char **names = NULL;
	const char **tags = NULL;
	size_t n = 0, ntags = 0;
	const char *arg, *prefix = NULL;
	int c, ret = 0, longfmt = 0;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'l': longfmt = 1; break;
		case 't':
			if (!strchr(arg, '='))
				return usage_error(ctx, "--tag needs K=V");
			tags = xrealloc(tags, (ntags + 1) * sizeof(*tags));
			tags[ntags++] = arg;
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
	if ((ret = cf_session_store(&ctx->sess)) < 0 ||
	    (ret = cf_store_list(&ctx->sess.st, prefix, &names, &n)) < 0)
		goto out;
	if (longfmt || ntags) {
		struct filter f = { tags, ntags, longfmt, ctx->json,
				    &ctx->sess.st.policy,
				    cf_store_pubkeys(&ctx->sess.st),
				    xcalloc(n + 1, sizeof(struct row)) };

		json_object_seed(0);	/* before threads make objects */
		cf_each_listed(&ctx->sess.st, names, n, !prefix, show_one, &f);
		n = show_rows(ctx, f.rows, names, n, longfmt && ctx->json);
		free(f.rows);
	}
	if (!longfmt && ctx->json) {
		json_t *arr = json_array();

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

const struct cmd cmd_list_entry = {
	.name = "list",
	.summary = "list secret names",
	.usage = "list [PREFIX] [--long] [--tag K=V]... [--json]",
	.fn = cmd_list,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
