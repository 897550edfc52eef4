/* cmd_mv.c: coffer mv OLD NEW renames a secret in one commit. The file
 * moves as it is when the reader set is the same (nothing in it names
 * the secret); otherwise it is re-encrypted for NEW's readers. */
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

int cmd_mv(int argc, char **argv, struct ctx *ctx)
{
	struct write w = { NULL, NULL, 0 };
	struct cf_secret s;
	struct secbuf raw = SECBUF_INIT;
	struct buf path = BUF_INIT, extra = BUF_INIT;
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
	    (ret = write_begin(ctx, &w)) < 0 ||
	    (ret = need_allowed(ctx, CF_ACT_WRITE, from)) < 0 ||
	    (ret = need_allowed(ctx, CF_ACT_WRITE, to)) < 0)
		goto out;
	if (!strcmp(from, to)) {
		ret = cf_error_set(CF_EUSAGE, "OLD and NEW are the same");
		goto out;
	}
	if ((ret = cf_store_secret_exists(&ctx->st, to)) != 0) {
		if (ret > 0)
			ret = cf_error_set(CF_ECONFLICT, "'%s' already exists", to);
		goto out;
	}
	if ((ret = cf_store_read_secret(&s, &ctx->st, from)) < 0)
		goto out;
	if (same_readers(&ctx->st.policy, from, to)) {
		/* recheck the file as it is and move its bytes */
		if ((ret = cf_store_secret_path(&path, &ctx->st, from)) < 0 ||
		    (ret = cf_file_read(&raw, path.ptr, CF_SECRET_FILE_MAX)) < 0)
			goto out;
		buf_reset(&path);
		buf_addf(&path, "%s.yaml", to);
		cf_txn_put(w.txn, path.ptr, raw.ptr, raw.len);
	} else {
		cf_secret_release(&s);
		if ((ret = open_secret(ctx, &s, from)) < 0 ||
		    (ret = write_secret(&w, &s, to)) < 0)
			goto out;
	}
	write_remove(&w, from);
	buf_addf(&extra, "Coffer-Renamed-From: %s\n", from);
	ret = write_commit(&w, "mv", to, 0, NULL, extra.ptr);
out:
	write_end(&w);
	cf_secret_release(&s);
	secbuf_release(&raw);
	buf_release(&path);
	buf_release(&extra);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}
