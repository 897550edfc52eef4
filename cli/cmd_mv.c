/* cmd_mv.c: coffer mv OLD NEW renames a secret in one commit
 * (lib/update.c). */
#include "../lib/common.h"

#include "../lib/update.h"
#include "cli.h"
#include "exit.h"

static int cmd_mv(int argc, char **argv, struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	const char *arg;
	int c, ret;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	if (optind + 2 != argc)
		return usage_error(ctx, "expected OLD and NEW");
	if ((ret = begin_write(ctx, &w)) == 0)
		ret = cf_update_mv(&w, argv[optind], argv[optind + 1]);
	cf_write_end(&w);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_mv_entry = {
	.name = "mv",
	.summary = "rename a secret",
	.usage = "mv OLD NEW",
	.fn = cmd_mv,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = no_opts,
	.args_hint = HINT_SECRET,
};
