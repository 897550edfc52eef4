/* members.c: principal and policy changes, with the re-encryption
 * they call for, in one write. */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "members.h"

/* Makes the policy text in force, then brings every secret's
 * recipients to its readers; old names the readers removed. */
static int adopt(struct cf_write *w, const char *text, size_t len,
		 struct cf_reenc_stats *stats)
{
	struct cf_store *st = &w->sess->st;
	struct cf_policy old;
	char **names = NULL;
	size_t n = 0;
	int ret;

	memset(stats, 0, sizeof(*stats));
	if ((ret = cf_write_policy(w, text, len, &old)) < 0)
		return ret;
	if ((ret = cf_store_list(st, NULL, &names, &n)) == 0)
		ret = cf_reencrypt(w, names, n, &old, stats);
	cf_strv_free(names, n);
	cf_policy_release(&old);
	return ret;
}

/* The tree as a policy file, then adopt. */
static int adopt_tree(struct cf_write *w, const struct cf_ynode *tree,
		      struct cf_reenc_stats *stats)
{
	struct secbuf text = SECBUF_INIT;
	int ret;

	text.nolock = 1;	/* no secret in a policy */
	secbuf_adds(&text, CF_POLICY_HEADER);
	cf_yaml_emit(&text, tree);
	ret = adopt(w, text.ptr, text.len, stats);
	secbuf_release(&text);
	return ret;
}

int cf_policy_replace(struct cf_write *w, const char *text, size_t len,
		      struct cf_reenc_stats *stats)
{
	return adopt(w, text, len, stats);
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

int cf_member_add(struct cf_write *w, const char *name, const char *fpr,
		  const struct buf *armored, const char *const *groups,
		  size_t ngroups, struct cf_reenc_stats *stats)
{
	const struct cf_policy *p = &w->sess->st.policy;
	const struct cf_principal *owner;
	struct cf_ynode *tree, *pr, *keys;
	struct buf path = BUF_INIT;
	int ret;

	if (cf_policy_principal(p, name))
		return cf_error_set(CF_ECONFLICT, "'%s' is already a principal",
				    name);
	if ((owner = cf_policy_principal_by_fpr(p, fpr)))
		return cf_error_set(CF_ECONFLICT, "key %s already belongs to '%s'",
				    fpr, owner->name);
	tree = cf_ynode_dup(p->tree);
	pr = cf_ynode_map();
	keys = cf_ynode_seq();
	cf_yseq_add(keys, cf_ynode_strz(fpr));
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
	if ((ret = adopt_tree(w, tree, stats)) == 0) {
		buf_addf(&path, ".coffer/keys/%s.asc", name);
		cf_write_file(w, path.ptr, armored->ptr, armored->len);
	}
	cf_ynode_free(tree);
	buf_release(&path);
	return ret;
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

int cf_member_rm(struct cf_write *w, const char *name,
		 struct cf_reenc_stats *stats)
{
	struct cf_session *s = w->sess;
	struct cf_ynode *tree, *groups;
	struct buf path = BUF_INIT, abs = BUF_INIT;
	struct stat sb;
	int ret;

	if ((ret = cf_session_whoami(s)) < 0)
		return ret;
	if (!cf_policy_principal(&s->st.policy, name))
		return cf_error_set(CF_ENOTFOUND, "no principal '%s'", name);
	if (!strcmp(name, s->me))
		return cf_error_set(CF_EUSAGE,
			"you cannot remove yourself; another admin can");
	tree = cf_ynode_dup(s->st.policy.tree);
	cf_ynode_free(cf_ymap_take(cf_ymap_get(tree, "principals"), name));
	if ((groups = cf_ymap_get(tree, "groups")) && groups->kind == CF_Y_MAP)
		for (size_t i = 0; i < groups->n; i++)
			seq_remove(groups->pairs[i].val, name);
	if (cf_ymap_get(tree, "policies"))
		cf_ynode_free(cf_ymap_take(cf_ymap_get(tree, "policies"), name));
	if ((ret = adopt_tree(w, tree, stats)) == 0) {
		buf_addf(&path, ".coffer/keys/%s.asc", name);
		buf_addf(&abs, "%s/%s", s->st.root, path.ptr);
		if (lstat(abs.ptr, &sb) == 0)
			cf_write_file(w, path.ptr, NULL, 0);
	}
	cf_ynode_free(tree);
	buf_release(&path);
	buf_release(&abs);
	return ret;
}
