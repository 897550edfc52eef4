/* cmd_member.c: coffer member add|rm|list edits the principals of the
 * policy and their keys, then re-encrypts exactly the secrets whose
 * readers changed, all in one commit. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "cli.h"
#include "exit.h"
#include "reencrypt.h"

enum { O_KEY, O_GROUP, O_JSON };

/* Validates the edited policy tree, swaps it in (keeping the old one in
 * *old) and puts the new text into the transaction. */
static int adopt_policy(struct write *w, struct cf_ynode *tree,
			struct cf_policy *old)
{
	struct ctx *ctx = w->ctx;
	struct secbuf text = SECBUF_INIT;
	struct cf_policy neu;
	const char *me = ctx->st.me->name;
	int ret;

	secbuf_adds(&text, "# coffer policy: who may do what to which secrets.\n"
			   "# See coffer-policy(5). Change it with 'coffer policy edit'.\n");
	cf_yaml_emit(&text, tree);
	if ((ret = cf_policy_parse(&neu, text.ptr, text.len, CF_POLICY_PATH)) < 0) {
		cf_policy_release(&neu);
		goto out;
	}
	*old = ctx->st.policy;
	ctx->st.policy = neu;
	/* the acting principal lives on in the new policy (rm refuses self) */
	ctx->st.me = cf_policy_principal(&ctx->st.policy, me);
	cf_txn_put(w->txn, CF_POLICY_PATH, text.ptr, text.len);
out:
	secbuf_release(&text);
	return ret;
}

static int reencrypt_store(struct write *w, const struct cf_policy *old,
			   struct buf *msg)
{
	struct reenc_stats stats;
	char **names = NULL;
	size_t n = 0;
	int ret;

	if ((ret = cf_store_list(&w->ctx->st, NULL, &names, &n)) == 0 &&
	    (ret = reencrypt(w, names, n, old, &stats)) == 0)
		buf_addf(msg, "Re-encrypts %zu secrets (%zu with a new data key).",
			 stats.changed, stats.rekeyed);
	cf_strv_free(names, n);
	return ret;
}

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

static struct cf_ynode *map_child(struct cf_ynode *map, const char *key)
{
	struct cf_ynode *v = cf_ymap_get(map, key);

	if (!v || v->kind != CF_Y_MAP) {
		v = cf_ynode_map();
		cf_ymap_set(map, key, v);
	}
	return v;
}

static int member_add(struct ctx *ctx, const char *name, const char *key,
		      char **groups, size_t ngroups)
{
	struct write w = { NULL, NULL, 0 };
	struct buf fpr = BUF_INIT, armored = BUF_INIT, path = BUF_INIT,
		   msg = BUF_INIT;
	struct cf_ynode *tree = NULL, *pr, *keys;
	struct cf_policy old;
	int ret, have_old = 0;

	if (!cf_principal_name_valid(name))
		return usage_error(ctx, "bad principal name '%s'", name);
	if ((ret = write_begin(ctx, &w)) < 0 ||
	    (ret = need_allowed(ctx, CF_ACT_ADMIN, ADMIN_RESOURCE)) < 0 ||
	    (ret = key_of(&fpr, &armored, key)) < 0)
		goto out;
	if (cf_policy_principal(&ctx->st.policy, name)) {
		ret = cf_error_set(CF_ECONFLICT, "'%s' is already a principal",
				   name);
		goto out;
	}
	if (cf_policy_principal_by_fpr(&ctx->st.policy, fpr.ptr)) {
		ret = cf_error_set(CF_ECONFLICT, "key %s already belongs to '%s'",
			fpr.ptr, cf_policy_principal_by_fpr(&ctx->st.policy,
							    fpr.ptr)->name);
		goto out;
	}
	tree = cf_ynode_dup(ctx->st.policy.tree);
	pr = cf_ynode_map();
	keys = cf_ynode_seq();
	cf_yseq_add(keys, cf_ynode_strz(fpr.ptr));
	cf_ymap_set(pr, "keys", keys);
	cf_ymap_set(map_child(tree, "principals"), name, pr);
	for (size_t i = 0; i < ngroups; i++) {
		struct cf_ynode *g = map_child(tree, "groups"),
				*l = cf_ymap_get(g, groups[i]);

		if (!l || l->kind != CF_Y_SEQ) {
			l = cf_ynode_seq();
			cf_ymap_set(g, groups[i], l);
		}
		cf_yseq_add(l, cf_ynode_strz(name));
	}
	if ((ret = adopt_policy(&w, tree, &old)) < 0)
		goto out;
	have_old = 1;
	buf_addf(&path, ".coffer/keys/%s.asc", name);
	cf_txn_put(w.txn, path.ptr, armored.ptr, armored.len);
	if ((ret = reencrypt_store(&w, &old, &msg)) < 0 ||
	    (ret = write_commit(&w, "member-add", name, 0, msg.ptr, NULL)) < 0)
		goto out;
	if (!ctx->quiet)
		fprintf(stderr, "coffer: member: added %s (%s). %s\n", name,
			fpr.ptr, msg.ptr);
out:
	write_end(&w);
	if (have_old)
		cf_policy_release(&old);
	cf_ynode_free(tree);
	buf_release(&fpr);
	buf_release(&armored);
	buf_release(&path);
	buf_release(&msg);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

/* Removes name from a list node (groups). */
static void seq_remove(struct cf_ynode *seq, const char *name)
{
	for (size_t i = 0; seq && seq->kind == CF_Y_SEQ && i < seq->n;) {
		if (seq->items[i]->kind == CF_Y_SCALAR &&
		    !strcmp(seq->items[i]->str, name)) {
			cf_ynode_free(seq->items[i]);
			memmove(&seq->items[i], &seq->items[i + 1],
				(seq->n - i - 1) * sizeof(*seq->items));
			seq->n--;
		} else {
			i++;
		}
	}
}

static int member_rm(struct ctx *ctx, const char *name)
{
	struct write w = { NULL, NULL, 0 };
	struct buf path = BUF_INIT, msg = BUF_INIT;
	struct cf_ynode *tree = NULL, *groups;
	struct cf_policy old;
	int ret, have_old = 0;

	if ((ret = write_begin(ctx, &w)) < 0 ||
	    (ret = need_allowed(ctx, CF_ACT_ADMIN, ADMIN_RESOURCE)) < 0)
		goto out;
	if (!cf_policy_principal(&ctx->st.policy, name)) {
		ret = cf_error_set(CF_ENOTFOUND, "no principal '%s'", name);
		goto out;
	}
	if (!strcmp(name, ctx->st.me->name)) {
		ret = cf_error_set(CF_EUSAGE,
			"you cannot remove yourself; another admin can");
		goto out;
	}
	tree = cf_ynode_dup(ctx->st.policy.tree);
	cf_ynode_free(cf_ymap_take(cf_ymap_get(tree, "principals"), name));
	if ((groups = cf_ymap_get(tree, "groups")) && groups->kind == CF_Y_MAP)
		for (size_t i = 0; i < groups->n; i++)
			seq_remove(groups->pairs[i].val, name);
	if (cf_ymap_get(tree, "policies"))
		cf_ynode_free(cf_ymap_take(cf_ymap_get(tree, "policies"), name));
	if ((ret = adopt_policy(&w, tree, &old)) < 0)
		goto out;
	have_old = 1;
	buf_addf(&path, ".coffer/keys/%s.asc", name);
	{
		struct buf abs = BUF_INIT;
		struct stat st;

		buf_addf(&abs, "%s/%s", ctx->st.root, path.ptr);
		if (lstat(abs.ptr, &st) == 0)
			cf_txn_remove(w.txn, path.ptr);
		buf_release(&abs);
	}
	if ((ret = reencrypt_store(&w, &old, &msg)) < 0 ||
	    (ret = write_commit(&w, "member-rm", name, 0, msg.ptr, NULL)) < 0)
		goto out;
	if (!ctx->quiet)
		fprintf(stderr, "coffer: member: removed %s. %s\n", name, msg.ptr);
out:
	write_end(&w);
	if (have_old)
		cf_policy_release(&old);
	cf_ynode_free(tree);
	buf_release(&path);
	buf_release(&msg);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

static int member_list(struct ctx *ctx)
{
	const struct cf_policy *p = &ctx->st.policy;
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

int cmd_member(int argc, char **argv, struct ctx *ctx)
{
	const char *arg, *key = NULL, *sub;
	char **groups = NULL;
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
			groups[ngroups++] = (char *)arg;
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
	if ((ret = need_store(ctx)) < 0) {
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
