/* cmd_check_access.c: coffer check-access explains a policy decision
 * (SPEC 5.4); --list gives every action a principal has on a secret,
 * --readers the computed readers beside the file's recipients. */
#include "../lib/common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"

enum {
	O_PRINCIPAL, O_ACTION, O_RESOURCE, O_AT, O_SOURCE_IP, O_LIST,
	O_READERS, O_JSON, O_NOPTS,
};

static const struct opt opts[] = {
	[O_PRINCIPAL] = { "principal", 0, "P", HINT_PRINCIPAL, "the principal asking" },
	[O_ACTION] = { "action", 0, "A", HINT_ACTION, "list, read, write, rotate, delete or admin" },
	[O_RESOURCE] = { "resource", 0, "NAME", HINT_SECRET, "the secret" },
	[O_AT] = { "at", 0, "T", HINT_VALUE, "decide at this time (RFC 3339; default now)" },
	[O_SOURCE_IP] = { "source-ip", 0, "IP", HINT_VALUE, "the caller's address, for ip_range" },
	[O_LIST] = { "list", 0, NULL, NULL, "every action the principal has on NAME" },
	[O_READERS] = { "readers", 0, "NAME", HINT_SECRET,
		  "readers of NAME beside the file's recipients" },
	[O_JSON] = JSON_OPT,
	[O_NOPTS] = END,
};

static const char *tri_name(enum cf_tri t)
{
	return t == CF_TRUE ? "true" : t == CF_FALSE ? "false" : "unknown";
}

static void join(struct buf *b, char **v, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s%s", i ? sep : "", v[i]);
}

static void actions_of(struct buf *b, unsigned actions)
{
	if (actions == CF_ACT_ALL) {
		buf_adds(b, "*");
		return;
	}
	for (unsigned a = 1, first = 1; a < CF_ACT_ALL; a <<= 1)
		if (actions & a) {
			buf_addf(b, "%s%s", first ? "" : ",", cf_action_name(a));
			first = 0;
		}
}

/* "ip_range 10.0.0.0/8 -> unknown (no --source-ip)" */
static void cond_text(struct buf *b, const struct cf_cond *c, enum cf_tri r,
		      const struct cf_context *x)
{
	char t[CF_TIME_LEN];

	buf_addf(b, "%s ", c->type);
	join(b, c->values, c->n, "|");
	buf_addf(b, " -> %s", tri_name(r));
	if (!strcmp(c->type, "ip_range")) {
		if (x->source_ip)
			buf_addf(b, " from %s", x->source_ip);
		else
			buf_adds(b, " (no --source-ip)");
	} else {
		cf_time_format(t, x->now);
		buf_addf(b, " at %s", t);
	}
}

/* "allow service-a read [db_password]  policy.yaml:14  conditions: ..."
 * with the patterns that matched res, or all when none did. */
static void match_line(struct buf *b, const struct cf_policy *p,
		       const struct cf_match *m, const char *res,
		       const struct cf_context *x)
{
	size_t shown = 0;

	buf_addf(b, "%s %s ", m->stmt->deny ? "deny" : "allow", m->block->key);
	actions_of(b, m->stmt->actions);
	buf_adds(b, " [");
	for (size_t i = 0; i < m->stmt->nres; i++)
		if (!m->resource_ok ||
		    cf_pattern_match(m->stmt->resources[i], res))
			buf_addf(b, "%s%s", shown++ ? ", " : "",
				 m->stmt->resources[i]);
	buf_addf(b, "]  %s:%d", p->path, m->stmt->line);
	if (!m->nconds)
		return;
	buf_adds(b, "  conditions: ");
	for (size_t i = 0; i < m->nconds; i++) {
		if (i)
			buf_adds(b, ", ");
		cond_text(b, m->conds[i], m->results[i], x);
	}
}

static json_t *match_json(const struct cf_policy *p, const struct cf_match *m)
{
	json_t *res = json_array(), *conds = json_array(), *j;
	struct buf acts = BUF_INIT;

	for (size_t i = 0; i < m->stmt->nres; i++)
		json_array_append_new(res, json_string(m->stmt->resources[i]));
	for (size_t i = 0; i < m->nconds; i++) {
		json_t *vals = json_array();

		for (size_t k = 0; k < m->conds[i]->n; k++)
			json_array_append_new(vals,
				json_string(m->conds[i]->values[k]));
		json_array_append_new(conds, json_pack("{s:s, s:o, s:s, s:i}",
			"type", m->conds[i]->type, "value", vals,
			"result", tri_name(m->results[i]),
			"line", m->conds[i]->line));
	}
	actions_of(&acts, m->stmt->actions);
	j = json_pack("{s:s, s:s, s:s, s:o, s:s, s:i, s:b, s:b, s:s, s:o}",
		"effect", m->stmt->deny ? "deny" : "allow",
		"block", m->block->key, "actions", buf_cstr(&acts),
		"resources", res, "file", p->path, "line", m->stmt->line,
		"action_matches", m->action_ok, "resource_matches",
		m->resource_ok, "holds", tri_name(m->holds), "conditions", conds);
	buf_release(&acts);
	return j;
}

static const char *enforcement(enum cf_action a)
{
	switch (a) {
	case CF_ACT_READ:
		return "read is encrypted to readers; ip_range/time_window are advisory";
	case CF_ACT_LIST:
		return "list is advisory: names are visible to every clone";
	default:
		return "refused locally and checked on history by signed commits (coffer verify)";
	}
}

static void groups_of(struct buf *b, const struct cf_policy *p,
		      const char *principal)
{
	for (size_t i = 0; i < p->ngroups; i++)
		if (cf_policy_in_group(p, principal, p->groups[i].name))
			buf_addf(b, "%s%s", b->len ? "," : "", p->groups[i].name);
}

static int explain(struct ctx *ctx, const char *who, enum cf_action act,
		   const char *res, const struct cf_context *x)
{
	const struct cf_policy *p = &ctx->sess.st.policy;
	struct cf_explain ex;
	struct buf line = BUF_INIT, groups = BUF_INIT;
	char at[CF_TIME_LEN];

	cf_policy_explain(p, who, act, res, x, &ex);
	groups_of(&groups, p, who);
	cf_time_format(at, x->now);
	if (ctx->json) {
		json_t *m = json_array(), *n = json_array(), *miss = json_array();

		for (size_t i = 0; i < ex.nmatched; i++)
			json_array_append_new(m, match_json(p, &ex.matched[i]));
		for (size_t i = 0; i < ex.nnear; i++)
			json_array_append_new(n, match_json(p, &ex.near[i]));
		if (ex.missing_source_ip)
			json_array_append_new(miss, json_string("source_ip"));
		out_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:o, s:s}",
			"decision", ex.allow ? "allow" : "deny",
			"reason", ex.reason, "principal", who,
			"action", cf_action_name(act), "resource", res,
			"at", at, "source_ip", x->source_ip,
			"matched", m, "near_misses", n, "missing_context", miss,
			"enforcement", enforcement(act)));
	} else {
		printf("%s\n", ex.reason);
		printf("  principal %s  groups: %s\n", who,
		       groups.len ? groups.ptr : "-");
		for (size_t i = 0; i < ex.nmatched; i++) {
			buf_reset(&line);
			match_line(&line, p, &ex.matched[i], res, x);
			printf("  %s\n", line.ptr);
		}
		for (size_t i = 0; i < ex.nnear; i++) {
			buf_reset(&line);
			match_line(&line, p, &ex.near[i], res, x);
			printf("  near miss (%s does not match): %s\n",
			       ex.near[i].action_ok ? "resource" : "action",
			       line.ptr);
		}
		if (ex.missing_source_ip)
			printf("  missing context: source address (--source-ip or COFFER_SOURCE_IP)\n");
		printf("  enforcement: %s\n", enforcement(act));
	}
	buf_release(&line);
	buf_release(&groups);
	{
		int allow = ex.allow;

		cf_explain_release(&ex);
		return allow ? EXIT_OK : EXIT_DENIED;
	}
}

static int list_actions(struct ctx *ctx, const char *who, const char *res,
			const struct cf_context *x)
{
	json_t *arr = json_array();

	for (unsigned a = 1; a < CF_ACT_ALL; a <<= 1) {
		if (!cf_policy_allows(&ctx->sess.st.policy, who, a, res, x))
			continue;
		if (ctx->json)
			json_array_append_new(arr, json_string(cf_action_name(a)));
		else
			printf("%s\n", cf_action_name(a));
	}
	if (ctx->json)
		out_json(arr);
	else
		json_decref(arr);
	return EXIT_OK;
}

static int readers(struct ctx *ctx, const char *name)
{
	const struct cf_policy *p = &ctx->sess.st.policy;
	const struct cf_principal **r = NULL;
	const char **rcpt = NULL;
	struct cf_secret s;
	size_t nr, nrc = 0;
	json_t *arr = ctx->json ? json_array() : NULL, *extra = NULL;
	const struct cf_pubkeys *keys_of = cf_store_pubkeys(&ctx->sess.st);
	int ret, have_file;

	ret = cf_store_read_secret(&s, &ctx->sess.st, name);
	if (ret < 0 && ret != CF_ENOTFOUND) {
		json_decref(arr);
		return fail(ctx, ret);
	}
	have_file = ret == 0;
	if (have_file)
		nrc = cf_secret_recipients(&s, &rcpt);
	nr = cf_policy_readers(p, name, cf_now(), &r);
	for (size_t i = 0; i < nr; i++) {
		json_t *keys = arr ? json_array() : NULL;

		if (!arr)
			printf("%s", r[i]->name);
		for (size_t k = 0; k < r[i]->nkeys; k++) {
			/* labelled: an entry names the key; in: and its
			 * message is sealed to that key alone */
			int labelled = 0, in = 0;

			for (size_t j = 0; have_file && j < s.sops.npgp; j++)
				if (!strcasecmp(s.sops.pgp[j].fp, r[i]->keys[k])) {
					labelled = 1;
					in = cf_pubkeys_entry_ok(keys_of, &s.sops.pgp[j]);
				}
			if (arr)
				json_array_append_new(keys, json_pack("{s:s, s:b}",
					"fingerprint", r[i]->keys[k],
					"recipient", in));
			else
				printf(" %s%s", r[i]->keys[k], !have_file || in ? "" :
				       labelled ? " (its entry is not sealed to this key alone: drift)" :
				       " (missing from the file's recipients)");
		}
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:o}",
				"principal", r[i]->name, "keys", keys));
		else
			printf("\n");
	}
	if (arr)
		extra = json_array();
	/* recipients that are no reader: drift the other way */
	for (size_t j = 0; j < nrc; j++) {
		int reader = 0;

		for (size_t i = 0; i < nr && !reader; i++)
			for (size_t k = 0; k < r[i]->nkeys && !reader; k++)
				reader = !strcasecmp(rcpt[j], r[i]->keys[k]);
		if (reader)
			continue;
		if (arr)
			json_array_append_new(extra, json_string(rcpt[j]));
		else
			printf("(recipient, not a reader) %s\n", rcpt[j]);
	}
	if (arr)
		out_json(json_pack("{s:s, s:o, s:o}", "name", name, "readers",
				   arr, "extra_recipients", extra));
	free(r);
	free(rcpt);
	if (have_file)
		cf_secret_release(&s);
	return EXIT_OK;
}


static int cmd_check_access(int argc, char **argv, struct ctx *ctx)
{
	const char *arg, *who = NULL, *action = NULL, *res = NULL,
		   *at = NULL, *rname = NULL;
	struct cf_context x = { 0, NULL, 0 };
	int c, ret, list = 0;
	unsigned act = 0;

	x.source_ip = getenv("COFFER_SOURCE_IP");
	if (x.source_ip && !*x.source_ip)
		x.source_ip = NULL;
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_LONG(O_PRINCIPAL): who = arg; break;
		case OPT_LONG(O_ACTION): action = arg; break;
		case OPT_LONG(O_RESOURCE): res = arg; break;
		case OPT_LONG(O_AT): at = arg; break;
		case OPT_LONG(O_SOURCE_IP): x.source_ip = arg; break;
		case OPT_LONG(O_LIST): list = 1; break;
		case OPT_LONG(O_READERS): rname = arg; break;
		case OPT_LONG(O_JSON): ctx->json = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind < argc)
		return usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	x.now = cf_now();
	if (at && cf_time_parse(&x.now, at) < 0)
		return usage_error(ctx, "--at needs an RFC 3339 time");
	if (x.source_ip && !cf_ip_valid(x.source_ip))
		return usage_error(ctx, "'%s' is not an IP address", x.source_ip);
	if (rname) {
		if (who || action || res || list)
			return usage_error(ctx, "--readers stands alone");
		if ((ret = cf_name_check(rname)) < 0 ||
		    (ret = cf_session_store(&ctx->sess)) < 0)
			return fail(ctx, ret);
		return readers(ctx, rname);
	}
	if (!who || !res || (!action && !list) || (action && list))
		return usage_error(ctx,
			"needs --principal and --resource, and --action or --list");
	if (action && !(act = cf_action_parse(action)))
		return usage_error(ctx, "unknown action '%s'", action);
	if (action && act == CF_ACT_ALL)
		return usage_error(ctx, "check one action at a time (or --list)");
	if ((ret = cf_name_check(res)) < 0 || (ret = cf_session_store(&ctx->sess)) < 0)
		return fail(ctx, ret);
	if (!cf_policy_principal(&ctx->sess.st.policy, who))
		return failf(ctx, EXIT_NOTFOUND,
			     "no principal '%s' in the policy", who);
	return list ? list_actions(ctx, who, res, &x) :
		      explain(ctx, who, act, res, &x);
}

const struct cmd cmd_check_access_entry = {
	.name = "check-access",
	.summary = "explain what the policy allows",
	.usage = "check-access --principal P --action A --resource NAME [--at T] "
		  "[--source-ip IP] [--json]\n"
		  "check-access --list --principal P --resource NAME [--json]\n"
		  "check-access --readers NAME [--json]",
	.fn = cmd_check_access,
	.opts = opts,
	.args_hint = NULL,
};
