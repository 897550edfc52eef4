/* cmd_check.c: coffer check [NAME...] prints the health report of
 * lib/check.c, grouped by kind, or as JSON, with its exit code. */
#include "../lib/common.h"

#include <jansson.h>

#include "../lib/check.h"
#include "cli.h"
#include "exit.h"

static int print(struct ctx *ctx, const struct cf_report *r, size_t nsecrets)
{
	size_t problems = r->problems, warnings = r->warnings;

	if (ctx->json) {
		json_t *p = json_array(), *w = json_array();

		for (size_t i = 0; i < r->n; i++)
			json_array_append_new(r->v[i].problem ? p : w,
				json_pack("{s:s, s:s, s:s}", "name", r->v[i].name,
					  "kind", r->v[i].kind,
					  "detail", r->v[i].detail));
		out_json(json_pack("{s:I, s:o, s:o, s:s}", "secrets",
			(json_int_t)nsecrets, "problems", p, "warnings", w,
			"status", problems ? "problems" : warnings ? "warnings" :
			"clean"));
	} else {
		/* grouped by kind, problems first */
		for (int pass = 1; pass >= 0; pass--) {
			const char *last = NULL;

			for (size_t i = 0; i < r->n; i++) {
				const struct cf_finding *f = &r->v[i];

				if (f->problem != pass)
					continue;
				if (!last || strcmp(last, f->kind))
					out_line("%s %s:", pass ? "problem" :
					       "warning", f->kind);
				last = f->kind;
				out_line("  %s%s%s", f->name, *f->detail ? "  " : "",
				       f->detail);
			}
		}
		if (!ctx->quiet)
			printf("%zu secrets: %zu problems, %zu warnings\n",
			       nsecrets, problems, warnings);
	}
	return problems ? EXIT_PROBLEMS : warnings ? EXIT_WARNINGS : EXIT_OK;
}

static int cmd_check(int argc, char **argv, struct ctx *ctx)
{
	struct cf_report r;
	size_t n = 0;
	int c, ret;

	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if ((ret = cf_session_store(&ctx->sess)) < 0)
		return fail(ctx, ret);
	cf_report_init(&r);
	if (optind < argc) {
		n = (size_t)(argc - optind);
		ret = cf_check_names(&r, &ctx->sess.st, argv + optind, n);
	} else {
		ret = cf_check_store(&r, &ctx->sess.st, &n);
	}
	cf_report_sort(&r);
	ret = ret < 0 ? fail(ctx, ret) : print(ctx, &r, n);
	cf_report_release(&r);
	return ret;
}

const struct cmd cmd_check_entry = {
	.name = "check",
	.summary = "health report: expiry, rotation, exposure, drift, strength",
	.usage = "check [NAME...] [--json]",
	.fn = cmd_check,
	.opts = json_only_opts,
	.args_hint = HINT_SECRET,
};
