/* cmd_rotate.c: coffer rotate gives secrets a new value while the old
 * one stays readable as @previous for the overlap (SPEC 6); the state
 * machine is lib/rotate.c. This file reads the options, prints what
 * happened and hook output, and handles --dry-run and --trust-hook. */
#include "../lib/common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/gen.h"
#include "../lib/hooks.h"
#include "../lib/rotate.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"

enum {
	O_GEN, O_FROM, O_STDIN, O_OVERLAP, O_DUE, O_DRY, O_RESUME, O_ABORT,
	O_TRUST, O_TIMEOUT, O_ALLOW_WEAK, O_MSG, O_JSON, O_NOPTS,
};

static const struct opt opts[] = {
	[O_GEN] = { "generate", 'g', "SPEC", HINT_VALUE, "generate the new value" },
	[O_FROM] = { "from-file", 0, "P", HINT_FILE, "read the new value from a file" },
	[O_STDIN] = { "stdin", 0, NULL, NULL, "read the new value from standard input" },
	[O_OVERLAP] = { "overlap", 0, "D", HINT_VALUE,
		  "keep the old value as previous this long (default 1h)" },
	[O_DUE] = { "due", 0, NULL, NULL, "rotate every secret whose rotation is overdue" },
	[O_DRY] = { "dry-run", 'n', NULL, NULL, "say what would be done; change nothing" },
	[O_RESUME] = { "resume", 0, NULL, NULL, "finish an interrupted rotation" },
	[O_ABORT] = { "abort", 0, NULL, NULL, "undo an interrupted rotation" },
	[O_TRUST] = { "trust-hook", 0, "PATH", HINT_FILE,
		  "add a hook's path and SHA-256 to your allow-list" },
	[O_TIMEOUT] = { "hook-timeout", 0, "D", HINT_VALUE,
		  "time each hook step may take (default 60s)" },
	[O_ALLOW_WEAK] = { "allow-weak", 0, NULL, NULL, "store a value below the policy's min_bits" },
	[O_MSG] = { "message", 'm', "MSG", HINT_VALUE, "commit message text" },
	[O_JSON] = JSON_OPT,
	[O_NOPTS] = END,
};

struct rot {
	struct ctx *ctx;
	json_t *report;			/* with --json */
};

static void report(const char *name, const char *status, long version,
		   const char *detail, void *arg)
{
	struct rot *r = arg;

	if (r->report)
		json_array_append_new(r->report, json_pack("{s:s, s:s, s:I, s:s}",
			"name", name, "status", status,
			"version", (json_int_t)version,
			"detail", detail ? detail : ""));
	else if (!r->ctx->quiet)
		printf("%s %s: version %ld%s%s\n", status, name, version,
		       detail ? ", " : "", detail ? detail : "");
}

/* A hook step's output (masked), each line on stderr. */
static void output(const char *step, const struct secbuf *b, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < b->len;) {
		const char *nl = memchr(b->ptr + i, '\n', b->len - i);
		size_t len = nl ? (size_t)(nl - (b->ptr + i)) : b->len - i;

		fprintf(stderr, "coffer: rotate: hook %s: %.*s\n", step,
			(int)len, b->ptr + i);
		i += len + 1;
	}
}

static int trust(struct ctx *ctx, const char *path)
{
	struct cf_hook hk;
	int ret = cf_hook_trust(&hk, path);

	if (ret < 0)
		return fail(ctx, ret);
	printf("%s  %s\n", hk.sha, hk.path);
	cf_hook_release(&hk);
	return EXIT_OK;
}

static int describe(struct rot *r, const char *name,
		    const struct cf_rotate_opts *o)
{
	struct buf d = BUF_INIT;
	long version = 0;
	int ret;

	if ((ret = cf_rotate_describe(&r->ctx->sess, name, o, &d, &version)) == 0)
		report(name, "would rotate", version, d.ptr, r);
	buf_release(&d);
	return ret;
}

static int cmd_rotate(int argc, char **argv, struct ctx *ctx)
{
	struct cf_rotate_opts o;
	struct rot r = { ctx, NULL };
	struct secbuf val = SECBUF_INIT;
	const char *arg, *trust_path = NULL, *file = NULL;
	char **names = NULL;
	size_t n = 0;
	int c, ret = 0, first = 0, use_stdin = 0, due = 0, dry_run = 0;
	int resume = 0, abort_ = 0;
	enum cf_rotate_mode mode;

	memset(&o, 0, sizeof(o));
	o.timeout = CF_HOOK_TIMEOUT_DEFAULT;
	o.report = report;
	o.output = output;
	o.arg = &r;
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'g': o.gen = arg; break;
		case OPT_LONG(O_FROM): file = arg; break;
		case OPT_LONG(O_STDIN): use_stdin = 1; break;
		case OPT_LONG(O_OVERLAP): o.overlap = arg; break;
		case OPT_LONG(O_DUE): due = 1; break;
		case 'n': dry_run = 1; break;
		case OPT_LONG(O_RESUME): resume = 1; break;
		case OPT_LONG(O_ABORT): abort_ = 1; break;
		case OPT_LONG(O_TRUST): trust_path = arg; break;
		case OPT_LONG(O_TIMEOUT):
			if (cf_duration_parse(&o.timeout, arg) < 0 || !o.timeout)
				return usage_error(ctx, "%s", cf_error_last());
			break;
		case OPT_LONG(O_ALLOW_WEAK): o.allow_weak = 1; break;
		case 'm': o.msg = arg; break;
		case OPT_LONG(O_JSON): ctx->json = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (trust_path) {
		if (optind < argc || due || resume || abort_)
			return usage_error(ctx, "--trust-hook takes no NAME");
		return trust(ctx, trust_path);
	}
	if (due + resume + abort_ > 1)
		return usage_error(ctx, "--due, --resume and --abort exclude each other");
	if (due && optind < argc)
		return usage_error(ctx, "--due takes no NAME");
	if (!due && optind >= argc)
		return usage_error(ctx, "missing NAME (or --due)");
	if (!!o.gen + !!file + use_stdin > 1)
		return usage_error(ctx, "--generate, --from-file and --stdin exclude each other");
	if ((file || use_stdin) && (due || argc - optind != 1))
		return usage_error(ctx, "a value from --from-file or --stdin rotates one NAME");
	if ((resume || abort_) && (o.gen || file || use_stdin || o.overlap))
		return usage_error(ctx, "--resume and --abort take no new value");
	if ((o.gen && (ret = cf_gen_check(o.gen)) < 0) ||
	    (o.overlap && (ret = cf_duration_parse(&(int64_t){ 0 }, o.overlap)) < 0))
		return usage_error(ctx, "%s", cf_error_last());
	mode = resume ? CF_ROTATE_RESUME : abort_ ? CF_ROTATE_ABORT :
	       CF_ROTATE_BEGIN;
	if ((file || use_stdin) && !dry_run) {
		/* read before the lock: a prompt must not hold it */
		if ((ret = read_value(&val, file, 0)) < 0)
			goto out;
		o.val = &val;
	}
	if (ctx->json)
		r.report = json_array();
	if (due) {
		if ((ret = cf_rotate_due(&ctx->sess, &names, &n)) < 0)
			goto out;
	} else {
		n = (size_t)(argc - optind);
		names = xcalloc(n, sizeof(*names));
		for (size_t i = 0; i < n; i++)
			names[i] = xstrdup(argv[optind + (int)i]);
	}
	for (size_t i = 0; i < n; i++) {
		ret = dry_run ? describe(&r, names[i], &o) :
		      cf_rotate(&ctx->sess, names[i], mode, &o);
		if (ret < 0) {
			/* go on with the others; the first failure decides */
			int code = fail(ctx, ret);

			if (!first)
				first = code;
			if (r.report)
				json_array_append_new(r.report, json_pack(
					"{s:s, s:s, s:s}", "name", names[i],
					"status", "failed", "detail",
					cf_error_last()));
		}
	}
	if (due && !n && !r.report)
		notef(ctx, "nothing is due");
	ret = 0;
out:
	if (r.report)
		out_json(r.report);
	cf_strv_free(names, n);
	secbuf_release(&val);
	if (ret < 0)
		return fail(ctx, ret);
	return first;
}

const struct cmd cmd_rotate_entry = {
	.name = "rotate",
	.summary = "give secrets a new value, keeping the old one for an overlap",
	.usage = "rotate NAME... [--generate SPEC|--from-file P|--stdin] "
		  "[--overlap D] [--hook-timeout D] [--allow-weak] [--dry-run] [-m MSG] "
		  "[--json]\n"
		  "rotate --due [--dry-run] [--overlap D] [--hook-timeout D] [--json]\n"
		  "rotate --resume|--abort NAME... [--hook-timeout D]\n"
		  "rotate --trust-hook PATH",
	.fn = cmd_rotate,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
