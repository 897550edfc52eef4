/* cmd_generate.c: coffer generate [SPEC] prints a value; stores nothing. */
#include <jansson.h>
#include <unistd.h>

#include "../lib/gen.h"
#include "cli.h"
#include "exit.h"

int cmd_generate(int argc, char **argv, struct ctx *ctx)
{
	struct secbuf v = SECBUF_INIT;
	const char *arg, *spec = CF_GEN_DEFAULT;
	double bits = 0;
	int c, ret;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		if (c == OPT_LONG(0))
			ctx->json = 1;
		else
			return cmd_optdone(ctx, c);
	}
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
