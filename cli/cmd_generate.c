/* cmd_generate.c: coffer generate [SPEC] prints a value; stores nothing. */
#include "../lib/common.h"

#include <jansson.h>
#include <unistd.h>

#include "../lib/gen.h"
#include "cli.h"
#include "exit.h"

static int cmd_generate(int argc, char **argv, struct ctx *ctx)
{
	struct secbuf v = SECBUF_INIT;
	const char *spec = CF_GEN_DEFAULT;
	double bits = 0;
	int c, ret;

	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if (optind < argc)
		spec = argv[optind++];
	if (optind < argc)
		return usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((ret = cf_generate(&v, &bits, spec)) < 0) {
		ret = fail(ctx, ret);
		goto out;
	}
	if (ctx->json) {
		out_json(json_pack("{s:s%, s:f, s:s}", "value", v.ptr, v.len,
				   "bits", (double)(long)(bits * 10 + 0.5) / 10,
				   "spec", spec));
	} else {
		out_bytes(v.ptr, v.len);
		if (isatty(1))
			out_bytes("\n", 1);
		fprintf(stderr, "entropy: %.1f bits\n", bits);
	}
	ret = EXIT_OK;
out:
	secbuf_release(&v);
	return ret;
}

const struct cmd cmd_generate_entry = {
	.name = "generate",
	.summary = "print a generated value",
	.usage = "generate [SPEC] [--json]",
	.fn = cmd_generate,
	.opts = json_only_opts,
	.args_hint = NULL,
};
