/* cmd_reencrypt.c: coffer reencrypt [NAME...] makes every file's
 * recipients equal its policy readers, in one commit. */
#include "../lib/error.h"
#include "cli.h"
#include "exit.h"
#include "reencrypt.h"

int cmd_reencrypt(int argc, char **argv, struct ctx *ctx)
{
	struct write w = { NULL, NULL, 0 };
	struct reenc_stats stats;
	struct buf msg = BUF_INIT;
	char **names = NULL;
	size_t n = 0;
	const char *arg;
	int c, ret;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	if ((ret = write_begin(ctx, &w)) < 0)
		goto out;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			if ((ret = cf_store_secret_exists(&ctx->st, argv[i])) <= 0) {
				if (ret == 0)
					ret = cf_error_set(CF_ENOTFOUND,
						"no secret '%s'", argv[i]);
				goto out;
			}
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(argv[i]);
		}
	} else if ((ret = cf_store_list(&ctx->st, NULL, &names, &n)) < 0) {
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((ret = need_allowed(ctx, CF_ACT_WRITE, names[i])) < 0)
			goto out;
	if ((ret = reencrypt(&w, names, n, NULL, &stats)) < 0)
		goto out;
	if (stats.changed) {
		buf_addf(&msg, "Re-encrypts %zu of %zu secrets (%zu with a new data key).",
			 stats.changed, stats.checked, stats.rekeyed);
		ret = write_commit(&w, "reencrypt", NULL, 0, msg.ptr, NULL);
	}
	if (ret == 0 && !ctx->quiet)
		fprintf(stderr, "coffer: reencrypt: %zu of %zu secrets changed\n",
			stats.changed, stats.checked);
out:
	write_end(&w);
	cf_strv_free(names, n);
	buf_release(&msg);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}
