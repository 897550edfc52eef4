/* cmd_version.c: coffer version. */
#include "cli.h"
#include "exit.h"
#include "version.h"

int cmd_version(int argc, char **argv, struct ctx *ctx)
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
