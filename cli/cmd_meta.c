/* cmd_meta.c: coffer meta NAME changes metadata only; the version does
 * not change. The MAC covers meta, so the secret is re-sealed. */
#include "../lib/error.h"
#include "cli.h"
#include "exit.h"
#include "metaopts.h"

enum { O_DESC, O_TAG, O_UNTAG, O_EXPIRES, O_TTL, O_NOEXP, O_ROTATE };

int cmd_meta(int argc, char **argv, struct ctx *ctx)
{
	struct meta_opts mo;
	struct cf_secret s;
	struct write w = { NULL, NULL, 0 };
	const char *arg, *name;
	int c, ret = 0;

	cf_secret_init(&s);
	meta_opts_init(&mo);
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'd': mo.description = arg; break;
		case 't': ret = meta_opts_tag(&mo, arg); break;
		case OPT_LONG(O_UNTAG): ret = meta_opts_untag(&mo, arg); break;
		case OPT_LONG(O_EXPIRES): mo.expires = arg; break;
		case OPT_LONG(O_TTL): mo.ttl = arg; break;
		case OPT_LONG(O_NOEXP): mo.no_expiry = 1; break;
		case OPT_LONG(O_ROTATE): mo.rotate_every = arg; break;
		default:
			meta_opts_release(&mo);
			return cmd_optdone(ctx, c);
		}
		if (ret < 0) {
			meta_opts_release(&mo);
			return usage_error(ctx, "%s", cf_error_last());
		}
	}
	if (optind + 1 != argc) {
		meta_opts_release(&mo);
		return usage_error(ctx, "expected one NAME");
	}
	name = argv[optind];
	if (!meta_opts_any(&mo)) {
		meta_opts_release(&mo);
		return usage_error(ctx, "nothing to change");
	}
	if ((ret = meta_opts_check(&mo)) < 0 ||
	    (ret = cf_name_check(name)) < 0 ||
	    (ret = write_begin(ctx, &w)) < 0 ||
	    (ret = open_secret(ctx, &s, name)) < 0 ||
	    (ret = need_allowed(ctx, CF_ACT_WRITE, name)) < 0)
		goto out;
	meta_opts_apply(&mo, &s);
	if ((ret = write_secret(&w, &s, name)) < 0 ||
	    (ret = write_commit(&w, "meta", name, 0, NULL, NULL)) < 0)
		goto out;
out:
	write_end(&w);
	meta_opts_release(&mo);
	cf_secret_release(&s);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}
