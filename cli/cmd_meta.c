/* cmd_meta.c: coffer meta NAME changes metadata only; the version does
 * not change. The MAC covers meta, so the secret is re-sealed. */
#include "../lib/common.h"

#include "../lib/error.h"
#include "../lib/update.h"
#include "cli.h"
#include "exit.h"

enum {
	O_DESC, O_TAG, O_UNTAG, O_EXPIRES, O_TTL, O_NOEXP, O_ROTATE, O_GEN,
	O_HOOK, O_VALIDATE, O_NOPTS,
};

static const struct opt opts[] = {
	[O_DESC] = { "description", 'd', "T", HINT_VALUE, "set the description" },
	[O_TAG] = { "tag", 't', "K=V", HINT_VALUE, "set a tag" },
	[O_UNTAG] = { "untag", 0, "K", HINT_VALUE, "remove a tag" },
	[O_EXPIRES] = { "expires", 0, "T", HINT_VALUE, "expiry time (RFC 3339)" },
	[O_TTL] = { "ttl", 0, "D", HINT_VALUE, "expire after a duration" },
	[O_NOEXP] = { "no-expiry", 0, NULL, NULL, "remove the expiry" },
	[O_ROTATE] = { "rotate-every", 0, "D", HINT_VALUE, "rotation interval" },
	[O_GEN] = { "generator", 0, "SPEC", HINT_VALUE, "generator for rotations" },
	[O_HOOK] = { "hook", 0, "PATH", HINT_VALUE,
		  "rotation hook in .coffer/hooks/ (empty: none)" },
	[O_VALIDATE] = { "validate", 0, "RULES", HINT_VALUE,
		  "replace the rules the value must meet" },
	[O_NOPTS] = END,
};

static int cmd_meta(int argc, char **argv, struct ctx *ctx)
{
	struct cf_meta_edit mo;
	struct cf_write w = { .sess = NULL };
	const char *arg, *name;
	int c, ret = 0;

	cf_meta_edit_init(&mo);
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'd': mo.description = arg; break;
		case 't': ret = cf_meta_edit_tag(&mo, arg); break;
		case OPT_LONG(O_UNTAG): ret = cf_meta_edit_untag(&mo, arg); break;
		case OPT_LONG(O_EXPIRES): mo.expires = arg; break;
		case OPT_LONG(O_TTL): mo.ttl = arg; break;
		case OPT_LONG(O_NOEXP): mo.no_expiry = 1; break;
		case OPT_LONG(O_ROTATE): mo.rotate_every = arg; break;
		case OPT_LONG(O_GEN): mo.generator = arg; break;
		case OPT_LONG(O_HOOK): mo.hook = arg; break;
		case OPT_LONG(O_VALIDATE): ret = cf_meta_edit_validate(&mo, arg); break;
		default:
			cf_meta_edit_release(&mo);
			return cmd_optdone(ctx, c);
		}
		if (ret < 0) {
			cf_meta_edit_release(&mo);
			return usage_error(ctx, "%s", cf_error_last());
		}
	}
	if (optind + 1 != argc) {
		cf_meta_edit_release(&mo);
		return usage_error(ctx, "expected one NAME");
	}
	name = argv[optind];
	if (!cf_meta_edit_any(&mo)) {
		cf_meta_edit_release(&mo);
		return usage_error(ctx, "nothing to change");
	}
	if ((ret = cf_meta_edit_check(&mo)) < 0 ||
	    (ret = cf_name_check(name)) < 0 ||
	    (ret = begin_write(ctx, &w)) < 0)
		goto out;
	ret = cf_update_meta(&w, name, &mo);
out:
	cf_write_end(&w);
	cf_meta_edit_release(&mo);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_meta_entry = {
	.name = "meta",
	.summary = "change metadata only",
	.usage = "meta NAME [--description T] [--tag K=V]... [--untag K]... "
		  "[--expires T|--ttl D|--no-expiry] [--rotate-every D] "
		  "[--generator SPEC] [--hook PATH] [--validate RULES]",
	.fn = cmd_meta,
	.flags = CMD_WRITES,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
