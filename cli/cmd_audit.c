/* cmd_audit.c: coffer audit shows the local read log (SPEC 8.3), or
 * checks its chain and its head with --verify (exit 6 where it breaks,
 * or when lines were cut from its end). */
#include "../lib/common.h"

#include <jansson.h>
#include <stdlib.h>

#include "../lib/audit.h"
#include "../lib/crypt.h"
#include "cli.h"
#include "exit.h"

enum { O_JSON, O_VERIFY, O_NOPTS };

static const struct opt opts[] = {
	[O_JSON] = JSON_OPT,
	[O_VERIFY] = { "verify", 0, NULL, NULL, "check the chain of the log (exit 6 if broken)" },
	[O_NOPTS] = END,
};

static const char *str(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));

	return s ? s : "?";
}

static void show(struct ctx *ctx, char *const *lines, size_t n)
{
	json_t *arr = ctx->json ? json_array() : NULL;

	for (size_t i = 0; i < n; i++) {
		json_t *j = json_loads(lines[i], 0, NULL);

		if (!json_is_object(j)) {
			warnf(ctx, "audit log line %zu is not a JSON object", i + 1);
			json_decref(j);
			continue;
		}
		if (arr) {
			json_array_append_new(arr, j);
			continue;
		}
		printf("%s  %-12s %-7s %s v%" JSON_INTEGER_FORMAT "  %s\n",
		       str(j, "time"), str(j, "principal"), str(j, "command"),
		       str(j, "name"),
		       json_integer_value(json_object_get(j, "version")),
		       str(j, "store"));
		json_decref(j);
	}
	if (arr)
		out_json(arr);
}

/* --verify: the chain, then the head (the end of the log) */
static int verify_log(struct ctx *ctx, const char *path)
{
	struct cf_audit_status st;
	int ret;

	if ((ret = cf_audit_check(path, &st)) < 0)
		return ret;
	if (st.adopted)
		notef(ctx, "the log has no head yet (written by an older "
		      "coffer): its %zu lines are taken as they are, and its "
		      "end is checked from now on", st.lines);
	if (st.behind)
		notef(ctx, "the log had %zu %s past its head (an append "
		      "that stopped before updating it): the head now counts "
		      "%s", st.behind, st.behind == 1 ? "line" : "lines",
		      st.behind == 1 ? "it" : "them");
	if (!ctx->quiet)
		printf("%zu entries; the chain is intact\n", st.lines);
	return 0;
}

static int cmd_audit(int argc, char **argv, struct ctx *ctx)
{
	struct buf path = BUF_INIT;
	char **lines = NULL;
	const char *arg;
	size_t n = 0;
	int c, ret, verify = 0;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_LONG(O_JSON): ctx->json = 1; break;
		case OPT_LONG(O_VERIFY): verify = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind < argc)
		return usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	cf_audit_path(&path);
	if (verify) {
		ret = verify_log(ctx, path.ptr);
		goto out;
	}
	if ((ret = cf_audit_lines(path.ptr, &lines, &n)) < 0)
		goto out;
	show(ctx, lines, n);
out:
	cf_strv_free(lines, n);
	buf_release(&path);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_audit_entry = {
	.name = "audit",
	.summary = "show or verify the local read log",
	.usage = "audit [--json] [--verify]",
	.fn = cmd_audit,
	.opts = opts,
	.args_hint = NULL,
};
