/* cmd_member.c: coffer member add|rm|list edits the principals of the
 * policy and their keys, then re-encrypts exactly the secrets whose
 * readers changed, all in one commit. */
#include "../lib/common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/members.h"
#include "cli.h"
#include "exit.h"

enum { O_KEY, O_GROUP, O_JSON, O_NOPTS };

static const struct opt opts[] = {
	[O_KEY] = { "key", 0, "FILE|FPR", HINT_FILE, "the new member's public key" },
	[O_GROUP] = { "group", 0, "G", HINT_VALUE, "add the member to this group" },
	[O_JSON] = JSON_OPT,
	[O_NOPTS] = END,
};

/* The key: a file to import, or a fingerprint in the keyring. */
static int key_of(struct buf *fpr, struct buf *armored, const char *arg)
{
	struct secbuf data = SECBUF_INIT;
	char **fprs = NULL;
	size_t n = 0;
	struct stat st;
	int ret;

	if (stat(arg, &st) == 0) {
		if ((ret = cf_file_read(&data, arg, 1u << 20)) < 0 ||
		    (ret = cf_gpg_import(data.ptr, data.len, &fprs, &n)) < 0)
			goto out;
		if (n != 1) {
			ret = cf_error_set(CF_EUSAGE,
				"'%s' holds %zu public keys; give one", arg, n);
			goto out;
		}
		buf_adds(fpr, fprs[0]);
	} else if (cf_fpr_valid(arg)) {
		buf_adds(fpr, arg);
		for (char *p = fpr->ptr; *p; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 'a' + 'A');
	} else {
		ret = cf_error_set(CF_EUSAGE,
			"--key needs a key file or a full fingerprint");
		goto out;
	}
	ret = cf_gpg_export(armored, fpr->ptr);
out:
	cf_strv_free(fprs, n);
	secbuf_release(&data);
	return ret;
}

static int member_add(struct ctx *ctx, const char *name, const char *key,
		      const char *const *groups, size_t ngroups)
{
	struct cf_write w = { .sess = NULL };
	struct cf_reenc_stats stats = { 0 };
	struct buf fpr = BUF_INIT, armored = BUF_INIT, msg = BUF_INIT;
	int ret;

	if (!cf_principal_name_valid(name))
		return usage_error(ctx, "bad principal name '%s'", name);
	if ((ret = begin_write(ctx, &w)) < 0 ||
	    (ret = cf_session_allowed(&ctx->sess, CF_ACT_ADMIN,
				      ADMIN_RESOURCE)) < 0 ||
	    (ret = key_of(&fpr, &armored, key)) < 0 ||
	    (ret = cf_member_add(&w, name, fpr.ptr, &armored, groups, ngroups,
				 &stats)) < 0)
		goto out;
	reenc_msg(&msg, &stats);
	if ((ret = cf_write_commit(&w, &(struct cf_commitmsg){
			.op = CF_OP_MEMBER_ADD, .name = name,
			.body = msg.ptr })) < 0)
		goto out;
	notef(ctx, "added %s (%s). %s", name, fpr.ptr, msg.ptr);
out:
	cf_write_end(&w);
	buf_release(&fpr);
	buf_release(&armored);
	buf_release(&msg);
	return reenc_done(ctx, ret, &stats);
}

static int member_rm(struct ctx *ctx, const char *name)
{
	struct cf_write w = { .sess = NULL };
	struct cf_reenc_stats stats = { 0 };
	struct buf msg = BUF_INIT;
	int ret;

	if ((ret = begin_write(ctx, &w)) < 0 ||
	    (ret = cf_session_allowed(&ctx->sess, CF_ACT_ADMIN,
				      ADMIN_RESOURCE)) < 0 ||
	    (ret = cf_member_rm(&w, name, &stats)) < 0)
		goto out;
	reenc_msg(&msg, &stats);
	if ((ret = cf_write_commit(&w, &(struct cf_commitmsg){
			.op = CF_OP_MEMBER_RM, .name = name,
			.body = msg.ptr })) < 0)
		goto out;
	notef(ctx, "removed %s. %s", name, msg.ptr);
out:
	cf_write_end(&w);
	buf_release(&msg);
	return reenc_done(ctx, ret, &stats);
}

static int member_list(struct ctx *ctx)
{
	const struct cf_policy *p = &ctx->sess.st.policy;
	json_t *arr = ctx->json ? json_array() : NULL;

	for (size_t i = 0; i < p->nprincipals; i++) {
		const struct cf_principal *pr = &p->principals[i];
		json_t *keys = json_array(), *gs = json_array();
		struct buf g = BUF_INIT;

		for (size_t k = 0; k < pr->nkeys; k++)
			json_array_append_new(keys, json_string(pr->keys[k]));
		for (size_t k = 0; k < p->ngroups; k++)
			if (cf_policy_in_group(p, pr->name, p->groups[k].name)) {
				json_array_append_new(gs,
					json_string(p->groups[k].name));
				buf_addf(&g, "%s%s", g.len ? "," : "",
					 p->groups[k].name);
			}
		if (arr) {
			json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o}",
				"name", pr->name, "kind", pr->kind, "keys", keys,
				"groups", gs));
		} else {
			printf("%-16s %-8s %s%s%s\n", pr->name, pr->kind,
			       pr->keys[0], g.len ? "  groups: " : "",
			       buf_cstr(&g));
			json_decref(keys);
			json_decref(gs);
		}
		buf_release(&g);
	}
	if (arr)
		out_json(arr);
	return EXIT_OK;
}

static int cmd_member(int argc, char **argv, struct ctx *ctx)
{
	const char *arg, *key = NULL, *sub;
	const char **groups = NULL;
	size_t ngroups = 0;
	int c, ret;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_LONG(O_KEY): key = arg; break;
		case OPT_LONG(O_GROUP):
			if (!cf_principal_name_valid(arg)) {
				free(groups);
				return usage_error(ctx, "bad group name '%s'", arg);
			}
			groups = xrealloc(groups, (ngroups + 1) * sizeof(*groups));
			groups[ngroups++] = arg;
			break;
		case OPT_LONG(O_JSON): ctx->json = 1; break;
		default: free(groups); return cmd_optdone(ctx, c);
		}
	}
	sub = optind < argc ? argv[optind++] : NULL;
	if (!sub || (strcmp(sub, "add") && strcmp(sub, "rm") &&
		     strcmp(sub, "list"))) {
		free(groups);
		return usage_error(ctx, "expected add, rm or list");
	}
	if ((!strcmp(sub, "list") && optind != argc) ||
	    (strcmp(sub, "list") && optind + 1 != argc) ||
	    (!strcmp(sub, "add") && !key) ||
	    (strcmp(sub, "add") && (key || ngroups))) {
		free(groups);
		return usage_error(ctx, "see the usage of member %s", sub);
	}
	if ((ret = cf_session_store(&ctx->sess)) < 0) {
		free(groups);
		return fail(ctx, ret);
	}
	if (!strcmp(sub, "list"))
		ret = member_list(ctx);
	else if (!strcmp(sub, "add"))
		ret = member_add(ctx, argv[optind], key, groups, ngroups);
	else
		ret = member_rm(ctx, argv[optind]);
	free(groups);
	return ret;
}

const struct cmd cmd_member_entry = {
	.name = "member",
	.summary = "add, remove or list principals and their keys",
	.usage = "member add NAME --key FILE|FPR [--group G]...\n"
		  "member rm NAME\n"
		  "member list [--json]",
	.fn = cmd_member,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = opts,
	.args_hint = "member",
};
