/* cmd_edit.c: coffer edit NAME puts the fields (lib/update.c) in a
 * memory file for $VISUAL or $EDITOR (see editor.c), then stores what
 * changed. */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/update.h"
#include "cli.h"
#include "exit.h"

enum { O_ALLOW_WEAK, O_NOPTS };

static const struct opt opts[] = {
	[O_ALLOW_WEAK] = { "allow-weak", 0, NULL, NULL,
		  "store a value below the policy's min_bits" },
	[O_NOPTS] = END,
};

static int cmd_edit(int argc, char **argv, struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	struct secbuf doc = SECBUF_INIT, edited = SECBUF_INIT;
	const char *arg, *name;
	long version = 0;
	int c, ret, changed = 0, allow_weak = 0;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		if (c != OPT_LONG(O_ALLOW_WEAK))
			return cmd_optdone(ctx, c);
		allow_weak = 1;
	}
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one NAME");
	name = argv[optind];
	if ((ret = cf_edit_doc(&ctx->sess, name, &doc, &version)) < 0 ||
	    (ret = edit_buffer(&edited, &doc)) < 0)
		goto out;
	if (edited.len == doc.len && !memcmp(edited.ptr, doc.ptr, doc.len)) {
		notef(ctx, "no change");
		goto out;
	}
	if ((ret = begin_write(ctx, &w)) < 0 ||
	    (ret = cf_edit_apply(&w, name, &edited, version, allow_weak,
				  &changed)) < 0)
		goto out;
	if (!changed)
		notef(ctx, "no change");
out:
	cf_write_end(&w);
	secbuf_release(&doc);
	secbuf_release(&edited);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_edit_entry = {
	.name = "edit",
	.summary = "edit a secret's fields in $VISUAL or $EDITOR",
	.usage = "edit NAME [--allow-weak]",
	.fn = cmd_edit,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
