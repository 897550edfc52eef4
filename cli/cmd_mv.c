/* cmd_mv.c: coffer mv OLD NEW renames a secret in one commit. The file
 * moves as it is when the reader set is the same (nothing in it names
 * the secret); otherwise it is re-encrypted for NEW's readers. */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"

static int same_readers(const struct cf_policy *p, const char *a,
			const char *b)
{
	const struct cf_principal **ra = NULL, **rb = NULL;
	size_t na = cf_policy_readers(p, a, cf_now(), &ra), nb;
	int same;

	nb = cf_policy_readers(p, b, cf_now(), &rb);
	same = na == nb && !memcmp(ra, rb, na * sizeof(*ra));
	free(ra);
	free(rb);
	return same;
}

static int cmd_mv(int argc, char **argv, struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	struct cf_secret s;
	struct secbuf raw = SECBUF_INIT;
	struct buf path = BUF_INIT;
	const char *arg, *from, *to;
	int c, ret;

	cf_secret_init(&s);
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	if (optind + 2 != argc)
		return usage_error(ctx, "expected OLD and NEW");
	from = argv[optind];
	to = argv[optind + 1];
	if ((ret = cf_name_check(from)) < 0 || (ret = cf_name_check(to)) < 0 ||
	    (ret = begin_write(ctx, &w)) < 0 ||
	    (ret = cf_session_allowed(&ctx->sess, CF_ACT_WRITE, from)) < 0 ||
	    (ret = cf_session_allowed(&ctx->sess, CF_ACT_WRITE, to)) < 0)
		goto out;
	if (!strcmp(from, to)) {
		ret = cf_error_set(CF_EUSAGE, "OLD and NEW are the same");
		goto out;
	}
	if ((ret = cf_store_secret_exists(&ctx->sess.st, to)) != 0) {
		if (ret > 0)
			ret = cf_error_set(CF_ECONFLICT, "'%s' already exists", to);
		goto out;
	}
	if ((ret = cf_store_read_secret(&s, &ctx->sess.st, from)) < 0)
		goto out;
	if (same_readers(&ctx->sess.st.policy, from, to)) {
		/* recheck the file as it is and move its bytes */
		if ((ret = cf_store_secret_path(&path, &ctx->sess.st, from)) < 0 ||
		    (ret = cf_file_read(&raw, path.ptr, CF_SECRET_FILE_MAX)) < 0)
			goto out;
		buf_reset(&path);
		buf_addf(&path, "%s.yaml", to);
		cf_write_file(&w, path.ptr, raw.ptr, raw.len);
	} else {
		cf_secret_release(&s);
		if ((ret = cf_session_open_secret(&ctx->sess, &s, from)) < 0 ||
		    (ret = cf_write_secret(&w, &s, to)) < 0)
			goto out;
	}
	cf_write_remove(&w, from);
	ret = cf_write_commit(&w, &(struct cf_commitmsg){
		.op = CF_OP_MV, .name = to, .renamed_from = from });
out:
	cf_write_end(&w);
	cf_secret_release(&s);
	secbuf_release(&raw);
	buf_release(&path);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_mv_entry = {
	.name = "mv",
	.summary = "rename a secret",
	.usage = "mv OLD NEW",
	.fn = cmd_mv,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = no_opts,
	.args_hint = HINT_SECRET,
};
