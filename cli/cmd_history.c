/* cmd_history.c: coffer history NAME lists versions, commits, authors,
 * signatures, operations and which fields changed (names only). */
#include "../lib/common.h"

#include <jansson.h>

#include "../lib/timeutil.h"
#include "../lib/versions.h"
#include "cli.h"
#include "exit.h"

static int cmd_history(int argc, char **argv, struct ctx *ctx)
{
	struct cf_history_entry *h = NULL;
	struct cf_version_row *v = NULL;
	json_t *arr = NULL;
	const char *name;
	size_t n = 0;
	int c, ret;

	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one NAME");
	name = argv[optind];
	if ((ret = cf_version_history(&ctx->sess, name, &h, &v, &n)) < 0)
		return fail(ctx, ret);
	if (ctx->json)
		arr = json_array();
	else
		printf("%-7s %-12s %-12s %-12s %-20s %-8s %s\n", "VERSION",
		       "COMMIT", "AUTHOR", "SIGNER", "TIME", "OP", "FIELDS");
	for (size_t i = 0; i < n; i++) {
		char t[CF_TIME_LEN], vs[24] = "-";

		cf_time_format(t, h[i].time);
		if (arr) {
			json_array_append_new(arr, json_pack(
				"{s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s}",
				"version", v[i].version ?
				json_integer(v[i].version) : json_null(),
				"commit", h[i].id, "author", h[i].author,
				"signer", v[i].signer, "time", t, "op", v[i].op,
				"op_matches", v[i].op_matches,
				"signed", h[i].signed_, "fields", v[i].fields));
			continue;
		}
		if (v[i].version)
			snprintf(vs, sizeof(vs), "%ld", v[i].version);
		out_line("%-7s %-12.12s %-12s %-12s %-20s %-8s %s", vs, h[i].id,
		       h[i].author, v[i].signer, t,
		       v[i].op_matches ? v[i].op : "?!", v[i].fields);
		if (!v[i].op_matches)
			warnf(ctx, "commit %.12s says '%s' but its change to '%s' does not fit",
			      h[i].id, v[i].op, name);
	}
	if (arr)
		out_json(arr);
	if (n && h[n - 1].cut_off)
		warnf(ctx, "history is cut off at commit %.12s (a shallow clone); 'git fetch --unshallow' fetches the rest",
		      h[n - 1].id);
	cf_version_rows_free(v, n);
	cf_history_free(h, n);
	return EXIT_OK;
}

const struct cmd cmd_history_entry = {
	.name = "history",
	.summary = "list a secret's versions and commits",
	.usage = "history NAME [--json]",
	.fn = cmd_history,
	.opts = json_only_opts,
	.args_hint = HINT_SECRET,
};
