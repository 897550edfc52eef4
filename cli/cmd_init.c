/* cmd_init.c: coffer init creates a store (lib/init.c): where, and
 * what to say. */
#include "../lib/common.h"

#include <stdlib.h>

#include "../lib/init.h"
#include "cli.h"
#include "exit.h"

enum { O_KEY, O_NAME, O_FORCE, O_NOPTS };

static const struct opt opts[] = {
	[O_KEY] = { "key", 0, "FPR", HINT_VALUE, "your key's full fingerprint" },
	[O_NAME] = { "name", 0, "PRINCIPAL", HINT_VALUE, "your principal name" },
	[O_FORCE] = { "force", 'f', NULL, NULL, "use a non-empty directory" },
	[O_NOPTS] = END,
};

static int cmd_init(int argc, char **argv, struct ctx *ctx)
{
	struct buf dir = BUF_INIT, root = BUF_INIT, name = BUF_INIT,
		   fpr = BUF_INIT;
	struct cf_init in = { NULL, NULL, NULL, 0 };
	const char *arg;
	int c, ret = 0;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_LONG(O_KEY): in.key = arg; break;
		case OPT_LONG(O_NAME): in.name = arg; break;
		case 'f': in.force = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind + 1 < argc)
		return usage_error(ctx, "expected at most one DIR");
	if (optind < argc)
		buf_adds(&dir, argv[optind]);
	else if (ctx->sess.store_dir || getenv("COFFER_STORE"))
		ret = cf_store_locate(&dir, ctx->sess.store_dir);
	else if (cf_store_default_dir(&dir) < 0)
		return failf(ctx, EXIT_USAGE, "no DIR given and HOME is not set");
	if (in.name && !cf_principal_name_valid(in.name))
		return usage_error(ctx, "bad principal name '%s'", in.name);
	in.dir = dir.ptr;
	if (ret == 0 && (ret = cf_store_create(&in, &root, &name, &fpr)) == 0 &&
	    !ctx->quiet)
		printf("Initialized coffer store in %s for %s (%s)\n", root.ptr,
		       name.ptr, fpr.ptr);
	buf_release(&dir);
	buf_release(&root);
	buf_release(&name);
	buf_release(&fpr);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_init_entry = {
	.name = "init",
	.summary = "create a store",
	.usage = "init [--key FPR] [--name PRINCIPAL] [--force] [DIR]",
	.fn = cmd_init,
	.flags = CMD_WRITES,
	.opts = opts,
	.args_hint = HINT_DIR,
};
