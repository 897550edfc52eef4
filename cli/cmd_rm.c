/* cmd_rm.c: coffer rm NAME... deletes secrets in one commit; git history
 * keeps them. Asks on a terminal; without one, needs --force. */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/error.h"
#include "cli.h"
#include "exit.h"

static int confirm(size_t n, char **names)
{
	char line[16] = "";

	if (n == 1)
		fprintf(stderr, "Remove '%s'? [y/N] ", names[0]);
	else
		fprintf(stderr, "Remove %zu secrets? [y/N] ", n);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
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
	struct buf subject = BUF_INIT;
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
	if ((ret = begin_write(ctx, &w)) < 0)
		goto out;
	for (int i = optind; i < argc; i++) {
		const char *name = argv[i];
		char **found = NULL;
		size_t nf = 0;

		if ((ret = cf_store_secret_exists(&ctx->sess.st, name)) < 0)
			goto out;
		if (ret) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(name);
			continue;
		}
		if (recursive) {
			struct buf pre = BUF_INIT;

			buf_addf(&pre, "%s/", name);
			ret = cf_store_list(&ctx->sess.st, pre.ptr, &found, &nf);
			buf_release(&pre);
			if (ret < 0)
				goto out;
			names = xrealloc(names, (n + nf + 1) * sizeof(*names));
			for (size_t k = 0; k < nf; k++)
				names[n++] = found[k];
			free(found);
		}
		if (!nf && !force) {
			ret = cf_error_set(CF_ENOTFOUND, "no secret '%s'%s", name,
				recursive ? "" : " (a folder needs -r)");
			goto out;
		}
	}
	if (!n)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((ret = cf_session_allowed(&ctx->sess, CF_ACT_DELETE, names[i])) < 0)
			goto out;
		cf_write_remove(&w, names[i]);
	}
	if (!force && !isatty(0)) {
		ret = cf_error_set(CF_EUSAGE,
			"no terminal to confirm on; use --force to remove");
		goto out;
	}
	if (!force && !confirm(n, names)) {
		ret = cf_error_set(CF_EGENERIC, "not removed");
		goto out;
	}
	if (n > 1)
		buf_addf(&subject, "Removes %zu secrets.", n);
	ret = cf_write_commit(&w, &(struct cf_commitmsg){
		.op = CF_OP_RM, .name = n > 1 ? NULL : names[0],
		.body = n > 1 ? subject.ptr : NULL });
out:
	cf_write_end(&w);
	cf_strv_free(names, n);
	buf_release(&subject);
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
