/* cmd_set.c: coffer set NAME creates or updates one field's value, read
 * from stdin, a file or a generator, and bumps the version. */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/gen.h"
#include "../lib/update.h"
#include "cli.h"
#include "exit.h"

enum {
	O_FIELD, O_FROM, O_GEN, O_BINARY, O_DESC, O_TAG, O_EXPIRES, O_TTL,
	O_ROTATE, O_VALIDATE, O_ALLOW_WEAK, O_IFVER, O_MSG, O_REPLACE, O_NOPTS,
};

static const struct opt opts[] = {
	[O_FIELD] = { "field", 'f', "F", HINT_VALUE, "field to set (default value)" },
	[O_FROM] = { "from-file", 0, "P", HINT_FILE, "read the value from a file" },
	[O_GEN] = { "generate", 'g', "SPEC", HINT_VALUE, "generate the value" },
	[O_BINARY] = { "binary", 0, NULL, NULL, "store bytes that may hold NUL (base64)" },
	[O_DESC] = { "description", 'd', "T", HINT_VALUE, "set the description" },
	[O_TAG] = { "tag", 't', "K=V", HINT_VALUE, "set a tag" },
	[O_EXPIRES] = { "expires", 0, "T", HINT_VALUE, "expiry time (RFC 3339)" },
	[O_TTL] = { "ttl", 0, "D", HINT_VALUE, "expire after a duration" },
	[O_ROTATE] = { "rotate-every", 0, "D", HINT_VALUE, "rotation interval" },
	[O_VALIDATE] = { "validate", 0, "RULES", HINT_VALUE,
		  "rules the value must meet (min_length=N,max_length=N,pattern=ERE,allowed=a|b)" },
	[O_ALLOW_WEAK] = { "allow-weak", 0, NULL, NULL, "store a value below the policy's min_bits" },
	[O_IFVER] = { "if-version", 0, "N", HINT_VALUE,
		  "only if the current version is N (check-and-set)" },
	[O_MSG] = { "message", 'm', "MSG", HINT_VALUE, "commit message text" },
	[O_REPLACE] = { "replace", 0, NULL, NULL,
		  "replace the secret whole: drop every other field and the previous value" },
	[O_NOPTS] = END,
};

static int cmd_set(int argc, char **argv, struct ctx *ctx)
{
	struct secbuf val = SECBUF_INIT;
	struct cf_meta_edit mo;
	struct cf_write w = { .sess = NULL };
	const char *arg, *field = "value", *file = NULL, *gen = NULL,
		   *msg = NULL, *name;
	long if_version = -1, version = 0;
	double bits = -1;
	int c, ret = 0, binary = 0, allow_weak = 0, replace = 0;
	struct buf dropped = BUF_INIT;
	char *end;

	cf_meta_edit_init(&mo);
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'f': field = arg; break;
		case OPT_LONG(O_FROM): file = arg; break;
		case 'g': gen = arg; break;
		case OPT_LONG(O_BINARY): binary = 1; break;
		case 'd': mo.description = arg; break;
		case 't':
			if (cf_meta_edit_tag(&mo, arg) < 0)
				return usage_error(ctx, "%s", cf_error_last());
			break;
		case OPT_LONG(O_EXPIRES): mo.expires = arg; break;
		case OPT_LONG(O_TTL): mo.ttl = arg; break;
		case OPT_LONG(O_ROTATE): mo.rotate_every = arg; break;
		case OPT_LONG(O_VALIDATE):
			if (cf_meta_edit_validate(&mo, arg) < 0) {
				cf_meta_edit_release(&mo);
				return usage_error(ctx, "%s", cf_error_last());
			}
			break;
		case OPT_LONG(O_ALLOW_WEAK): allow_weak = 1; break;
		case OPT_LONG(O_IFVER):
			if_version = strtol(arg, &end, 10);
			if (*end || !*arg || if_version < 0)
				return usage_error(ctx, "--if-version needs a number");
			break;
		case 'm': msg = arg; break;
		case OPT_LONG(O_REPLACE): replace = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind >= argc)
		return usage_error(ctx, "missing NAME");
	if (optind + 1 < argc)
		/* never echo it: it may be the value itself */
		return usage_error(ctx,
			"too many arguments (values are never taken from the command line: use stdin, --from-file or --generate)");
	name = argv[optind];
	if (file && gen)
		return usage_error(ctx, "--from-file and --generate exclude each other");
	if (!cf_field_name_valid(field))
		return usage_error(ctx, "bad field name '%s'", field);
	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = cf_meta_edit_check(&mo)) < 0 ||
	    (gen && (ret = cf_gen_check(gen)) < 0))
		return fail(ctx, ret);
	/* the value first: a prompt must not hold the lock */
	if (gen)
		ret = cf_generate(&val, &bits, gen);
	else
		ret = read_value(&val, file, binary);
	if (ret < 0)
		goto out;
	if ((ret = begin_write(ctx, &w)) < 0)
		goto out;
	ret = cf_update_value(&w, name, &(struct cf_set){
		.field = field, .val = &val, .bits = bits, .binary = binary,
		.allow_weak = allow_weak, .if_version = if_version,
		.meta = &mo, .msg = msg, .replace = replace,
		.dropped = &dropped }, &version);
	if (ret == 0 && dropped.len)
		warnf(ctx, "replaced '%s' whole: dropped %s", name, dropped.ptr);
out:
	cf_write_end(&w);
	cf_meta_edit_release(&mo);
	secbuf_release(&val);
	buf_release(&dropped);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_set_entry = {
	.name = "set",
	.summary = "create or update a value (read from stdin or a file)",
	.usage = "set NAME [--field F] [--from-file P|--generate SPEC] [--binary] "
		  "[--description T] [--tag K=V]... [--expires T|--ttl D] "
		  "[--rotate-every D] [--validate RULES] [--allow-weak] "
		  "[--if-version N] [--replace] [-m MSG]",
	.fn = cmd_set,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
