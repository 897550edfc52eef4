/* cmd_info.c: coffer info NAME shows metadata, field names, readers
 * (policy) beside recipients (file), and the last commit. No GnuPG. */
#include "../lib/common.h"

#include <jansson.h>
#include <string.h>

#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"
#include "status.h"

static const char *principal_of(struct ctx *ctx, const char *fpr)
{
	const struct cf_principal *p =
		cf_policy_principal_by_fpr(&ctx->sess.st.policy, fpr);

	return p ? p->name : "(not in policy)";
}

static int cmd_info(int argc, char **argv, struct ctx *ctx)
{
	struct cf_history_entry last;
	struct cf_secret s;
	struct cf_status st;
	struct buf path = BUF_INIT, tags = BUF_INIT;
	const char *name, *k, *v;
	int c, ret, have_last = 0;

	cf_secret_init(&s);
	memset(&last, 0, sizeof(last));
	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one NAME");
	name = argv[optind];
	if ((ret = cf_session_store(&ctx->sess)) < 0 ||
	    (ret = cf_store_read_secret(&s, &ctx->sess.st, name)) < 0)
		return fail(ctx, ret);
	cf_status_of(&st, &ctx->sess.st.policy,
		     cf_store_pubkeys(&ctx->sess.st), &s, name);
	buf_addf(&path, "%s.yaml", name);
	if (cf_session_repo(&ctx->sess) == 0 &&
	    cf_repo_last_commit(&ctx->sess.repo, path.ptr, &last) == 0)
		have_last = 1;
	if (ctx->json) {
		json_t *j = status_json(&st, name), *f = json_array(),
		       *r = json_array(), *rc = json_array();

		json_object_set_new(j, "meta", cf_meta_to_json(&s));
		for (size_t i = 0; i < s.data.n; i++)
			json_array_append_new(f, json_string(s.data.v[i].name));
		json_object_set_new(j, "fields", f);
		for (size_t i = 0; i < st.nreaders; i++)
			json_array_append_new(r, json_string(st.readers[i]->name));
		json_object_set_new(j, "readers", r);
		for (size_t i = 0; i < st.nrecipients; i++)
			json_array_append_new(rc, json_pack("{s:s, s:s}",
				"fingerprint", st.recipients[i], "principal",
				principal_of(ctx, st.recipients[i])));
		json_object_set_new(j, "recipients", rc);
		json_object_set_new(j, "last_commit", have_last ?
			json_pack("{s:s, s:s, s:b}", "id", last.id, "author",
				  last.author, "signed", last.signed_) :
			json_null());
		out_json(j);
	} else {
		printf("name:        %s\n", name);
		printf("version:     %ld\n", st.version);
		/* meta is text from the file: printed escaped */
		if (st.description)
			out_line("description: %s", st.description);
		out_line("updated:     %s%s%s", st.updated ? st.updated : "-",
			 st.updated_by ? " by " : "",
			 st.updated_by ? st.updated_by : "");
		for (size_t i = 0; cf_meta_tag_at(&s, i, &k, &v); i++)
			buf_addf(&tags, " %s=%s", k, v);
		if (tags.len)
			out_line("tags:       %s", tags.ptr);
		out_line("expires:     %s (%s)", st.expires ? st.expires : "never",
			 cf_expiry_status_name(st.expiry));
		printf("rotation:    %s\n", cf_rotation_status_name(st.rotation));
		printf("fields:     ");
		for (size_t i = 0; i < s.data.n; i++)
			printf(" %s", s.data.v[i].name);
		printf("\nreaders:    ");
		for (size_t i = 0; i < st.nreaders; i++)
			printf(" %s", st.readers[i]->name);
		printf("\nrecipients:\n");
		for (size_t i = 0; i < st.nrecipients; i++)
			printf("  %s %s\n", st.recipients[i],
			       principal_of(ctx, st.recipients[i]));
		if (st.drift)
			printf("drift:       recipients differ from the policy readers (run 'coffer reencrypt')\n");
		if (have_last) {
			char t[CF_TIME_LEN];

			cf_time_format(t, last.time);
			out_line("last commit: %.12s %s %s %s", last.id,
				 last.author, t, last.signed_ ? "signed" :
				 "unsigned");
		}
	}
	cf_status_release(&st);
	cf_history_entry_release(&last);
	cf_secret_release(&s);
	buf_release(&path);
	buf_release(&tags);
	return EXIT_OK;
}

const struct cmd cmd_info_entry = {
	.name = "info",
	.summary = "show a secret's metadata, fields and readers",
	.usage = "info NAME [--json]",
	.fn = cmd_info,
	.opts = json_only_opts,
	.args_hint = HINT_SECRET,
};
