/* cmd_rm.c: coffer rm NAME... deletes secrets in one commit; git history
 * keeps them. Asks on a terminal; without one, needs --force. */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/error.h"
#include "../lib/update.h"
#include "cli.h"
#include "exit.h"

/* Asks on the terminal, unless --force (arg). */
static int confirm(char *const *names, size_t n, void *arg)
{
	char line[16] = "";

	if (*(const int *)arg)
		return 0;
	if (!isatty(0))
		return cf_error_set(CF_EUSAGE,
			"no terminal to confirm on; use --force to remove");
	if (n == 1)
		fprintf(stderr, "Remove '%s'? [y/N] ", names[0]);
	else
		fprintf(stderr, "Remove %zu secrets? [y/N] ", n);
	if (fgets(line, sizeof(line), stdin) &&
	    (line[0] == 'y' || line[0] == 'Y'))
		return 0;
	return cf_error_set(CF_EGENERIC, "not removed");
}

/* short letters only: the order does not matter */
static const struct opt opts[] = {
	{ "recursive", 'r', NULL, NULL, "remove every secret under NAME/" },
	{ "force", 'f', NULL, NULL, "do not ask; no error if missing" },
	END,
};

static int cmd_rm(int argc, char **argv, struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	char **names = NULL;
	size_t n = 0;
	const char *arg;
	int c, ret = 0, recursive = 0, force = 0;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'r': recursive = 1; break;
		case 'f': force = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind >= argc)
		return usage_error(ctx, "missing NAME");
	if ((ret = begin_write(ctx, &w)) < 0 ||
	    (ret = cf_rm_names(&ctx->sess.st, argv + optind,
			       (size_t)(argc - optind), recursive, force,
			       &names, &n)) < 0 || !n)
		goto out;
	ret = cf_update_rm(&w, names, n, confirm, &force);
out:
	cf_write_end(&w);
	cf_strv_free(names, n);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_rm_entry = {
	.name = "rm",
	.summary = "delete secrets (history keeps them)",
	.usage = "rm NAME... [-r] [-f]",
	.fn = cmd_rm,
	.flags = CMD_WRITES,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
