/* cmd_help.c: coffer help [COMMAND]. */
#include "../lib/common.h"

#include <getopt.h>

#include "cli.h"
#include "exit.h"

static int cmd_help(int argc, char **argv, struct ctx *ctx)
{
	const struct cmd *c;
	const char *arg;
	int o;

	while ((o = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, o);
	if (optind >= argc) {
		print_commands(stdout);
		return EXIT_OK;
	}
	if (optind + 1 < argc)
		return usage_error(ctx, "one command at a time");
	if (!(c = cmd_find(argv[optind])))
		return failf(ctx, EXIT_USAGE, "'%s' is not a coffer command",
			     argv[optind]);
	print_cmd_help(stdout, c);
	return EXIT_OK;
}

const struct cmd cmd_help_entry = {
	.name = "help",
	.summary = "show help for a command",
	.usage = "help [COMMAND]",
	.fn = cmd_help,
	.opts = no_opts,
	.args_hint = "command",
};
