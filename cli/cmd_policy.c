/* cmd_policy.c: coffer policy show|edit|lint. edit validates the new
 * policy before anything is written, then commits it with the
 * re-encryption it implies; lint checks a file (0 clean, 6 errors). */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/check.h"
#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/members.h"
#include "cli.h"
#include "exit.h"

static int read_policy(struct ctx *ctx, struct secbuf *out)
{
	struct buf path = BUF_INIT;
	int ret;

	buf_addf(&path, "%s/" CF_POLICY_PATH, ctx->sess.st.root);
	ret = cf_file_read(out, path.ptr, 1u << 20);
	buf_release(&path);
	return ret;
}

static int lint(struct ctx *ctx, const char *file)
{
	struct secbuf text = SECBUF_INIT;
	struct cf_report r;
	const char *what = file ? file : CF_POLICY_PATH;
	int ret;

	cf_report_init(&r);
	if (file)
		ret = cf_file_read(&text, file, 1u << 20);
	else if ((ret = cf_session_store(&ctx->sess)) == 0)
		ret = read_policy(ctx, &text);
	if (ret < 0 || (ret = cf_policy_lint(&r, text.ptr, text.len, what,
					     file ? NULL : ctx->sess.st.root)) < 0) {
		ret = fail(ctx, ret);
		goto out;
	}
	for (size_t i = 0; i < r.n; i++)
		printf("%s: warning: %s\n", r.v[i].name, r.v[i].detail);
	if (!ctx->quiet)
		printf("%s: ok%s\n", what, r.n ? " (with warnings)" : "");
	ret = EXIT_OK;
out:
	cf_report_release(&r);
	secbuf_release(&text);
	return ret;
}

static int edit(struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	struct secbuf text = SECBUF_INIT, edited = SECBUF_INIT;
	struct cf_reenc_stats stats = { 0 };
	struct buf msg = BUF_INIT;
	int ret;

	if ((ret = begin_write(ctx, &w)) < 0 ||
	    (ret = cf_session_allowed(&ctx->sess, CF_ACT_ADMIN,
				      ADMIN_RESOURCE)) < 0 ||
	    (ret = read_policy(ctx, &text)) < 0)
		goto out;
	/* the lock is held while the editor runs: policy edits are rare
	 * and must not interleave with writes under the old policy */
	if ((ret = edit_buffer(&edited, &text)) < 0)
		goto out;
	if (edited.len == text.len && !memcmp(edited.ptr, text.ptr, text.len)) {
		notef(ctx, "no change");
		goto out;
	}
	if ((ret = cf_policy_replace(&w, edited.ptr, edited.len, &stats)) < 0) {
		if (ret == CF_EINTEGRITY)
			cf_error_set(ret, "%s; nothing changed", cf_error_last());
		goto out;
	}
	reenc_msg(&msg, &stats);
	if ((ret = cf_write_commit(&w, &(struct cf_commitmsg){
			.op = CF_OP_POLICY_EDIT, .body = msg.ptr })) < 0)
		goto out;
	notef(ctx, "committed. %s", msg.ptr);
out:
	cf_write_end(&w);
	secbuf_release(&text);
	secbuf_release(&edited);
	buf_release(&msg);
	return reenc_done(ctx, ret, &stats);
}

static int cmd_policy(int argc, char **argv, struct ctx *ctx)
{
	struct secbuf text = SECBUF_INIT;
	const char *arg, *sub;
	int c, ret;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	sub = optind < argc ? argv[optind++] : NULL;
	if (sub && !strcmp(sub, "lint") && optind + 1 >= argc)
		return lint(ctx, optind < argc ? argv[optind] : NULL);
	if (!sub || optind != argc ||
	    (strcmp(sub, "show") && strcmp(sub, "edit")))
		return usage_error(ctx, "expected show, edit or lint [FILE]");
	if (!strcmp(sub, "edit"))
		return edit(ctx);
	if ((ret = cf_session_store(&ctx->sess)) < 0 || (ret = read_policy(ctx, &text)) < 0)
		return fail(ctx, ret);
	out_bytes(text.ptr, text.len);
	secbuf_release(&text);
	return EXIT_OK;
}

const struct cmd cmd_policy_entry = {
	.name = "policy",
	.summary = "show, edit or check the policy",
	.usage = "policy show\npolicy edit\npolicy lint [FILE]",
	.fn = cmd_policy,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = no_opts,
	.args_hint = "policy",
};
