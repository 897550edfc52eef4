/* cmd_reencrypt.c: coffer reencrypt [NAME...] makes every file's
 * recipients equal its policy readers, in one commit. */
#include "../lib/common.h"

#include "../lib/error.h"
#include "../lib/reencrypt.h"
#include "cli.h"
#include "exit.h"

static int cmd_reencrypt(int argc, char **argv, struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	struct cf_reenc_stats stats = { 0 };
	struct buf msg = BUF_INIT;
	char **names = NULL;
	size_t n = 0;
	const char *arg;
	int c, ret;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	if ((ret = begin_write(ctx, &w)) < 0)
		goto out;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			if ((ret = cf_store_secret_exists(&ctx->sess.st, argv[i])) <= 0) {
				if (ret == 0)
					ret = cf_error_set(CF_ENOTFOUND,
						"no secret '%s'", argv[i]);
				goto out;
			}
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(argv[i]);
		}
	} else if ((ret = cf_store_list(&ctx->sess.st, NULL, &names, &n)) < 0) {
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((ret = cf_session_allowed(&ctx->sess, CF_ACT_WRITE, names[i])) < 0)
			goto out;
	if ((ret = cf_reencrypt(&w, names, n, NULL, &stats)) < 0)
		goto out;
	if (stats.changed) {
		buf_addf(&msg, "Re-encrypts %zu of %zu secrets (%zu with a new data key).",
			 stats.changed, stats.checked, stats.rekeyed);
		ret = cf_write_commit(&w, &(struct cf_commitmsg){
			.op = CF_OP_REENCRYPT, .body = msg.ptr });
	}
	if (ret == 0)
		notef(ctx, "%zu of %zu secrets changed", stats.changed,
		      stats.checked);
out:
	cf_write_end(&w);
	cf_strv_free(names, n);
	buf_release(&msg);
	return reenc_done(ctx, ret, &stats);
}

const struct cmd cmd_reencrypt_entry = {
	.name = "reencrypt",
	.summary = "make every file's recipients equal its readers",
	.usage = "reencrypt [NAME...]",
	.fn = cmd_reencrypt,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = no_opts,
	.args_hint = HINT_SECRET,
};
