/* cmd_version.c: coffer version. */
#include "../lib/common.h"

#include "cli.h"
#include "exit.h"
#include "version.h"

static int cmd_version(int argc, char **argv, struct ctx *ctx)
{
	const char *arg;
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	if (optind < argc)
		return usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	printf("coffer %s\n", COFFER_VERSION);
	return EXIT_OK;
}

const struct cmd cmd_version_entry = {
	.name = "version",
	.summary = "print the version",
	.usage = "version",
	.fn = cmd_version,
	.opts = no_opts,
	.args_hint = NULL,
};
