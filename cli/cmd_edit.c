/* cmd_edit.c: coffer edit NAME puts the fields in a memory file for
 * $VISUAL or $EDITOR (see editor.c) and re-encrypts what changed. */
#include "../lib/common.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/effective.h"
#include "cli.h"
#include "exit.h"
#include "../lib/versions.h"
#include "../lib/ref.h"

/* The fields as a YAML mapping, binary ones as their base64. */
static void fields_doc(struct secbuf *out, const struct cf_secret *s)
{
	struct cf_ynode *m = cf_ynode_map();

	for (size_t i = 0; i < s->data.n; i++)
		cf_ymap_set(m, s->data.v[i].name,
			    cf_ynode_str(s->data.v[i].plain.ptr,
					 s->data.v[i].plain.len));
	if (!s->data.n)
		cf_ymap_set(m, "value", cf_ynode_strz(""));
	secbuf_adds(out, "# coffer edit: one field per key; save and quit to "
			 "re-encrypt. Binary fields are base64.\n");
	cf_yaml_emit(out, m);
	cf_ynode_free(m);
}

/* Applies the edited document; *changed says whether a value changed. */
static int apply(struct cf_secret *s, const struct secbuf *doc, int *changed)
{
	struct cf_ynode *m = NULL;
	int ret;

	*changed = 0;
	if ((ret = cf_yaml_parse(&m, doc->ptr, doc->len, "edited document")) < 0)
		return cf_error_set(CF_EUSAGE, "%s; nothing changed",
				    cf_error_last());
	ret = cf_error_set(CF_EUSAGE,
		"the edited document must map field names to strings; nothing changed");
	if (m->kind != CF_Y_MAP || !m->n)
		goto out;
	for (size_t i = 0; i < m->n; i++) {
		const struct cf_ynode *v = m->pairs[i].val;

		if (!cf_field_name_valid(m->pairs[i].key) ||
		    v->kind != CF_Y_SCALAR)
			goto out;
		if (v->len > CF_VALUE_MAX) {
			ret = cf_error_set(CF_EREJECTED, "a value is larger than 1 MiB");
			goto out;
		}
	}
	for (size_t i = s->data.n; i-- > 0;)
		if (!cf_ymap_get(m, s->data.v[i].name)) {
			cf_meta_set_binary(s, s->data.v[i].name, 0);
			cf_secret_remove_field(s, s->data.v[i].name);
			*changed = 1;
		}
	for (size_t i = 0; i < m->n; i++) {
		const struct cf_ynode *v = m->pairs[i].val;
		const char *str = cf_yscalar_type(v) == CF_YT_NULL ? "" : v->str;
		size_t len = cf_yscalar_type(v) == CF_YT_NULL ? 0 : v->len;
		struct cf_field *f = cf_fields_find(&s->data, m->pairs[i].key);

		if (!f || f->plain.len != len || memcmp(f->plain.ptr, str, len)) {
			cf_secret_set_field(s, m->pairs[i].key, str, len);
			*changed = 1;
		}
	}
	ret = 0;
out:
	cf_ynode_free(m);
	return ret;
}

static int cmd_edit(int argc, char **argv, struct ctx *ctx)
{
	struct cf_write w = { .sess = NULL };
	struct cf_secret s;
	struct secbuf doc = SECBUF_INIT, edited = SECBUF_INIT;
	const char *arg, *name;
	long version = 0;
	int c, ret, changed = 0, exists;

	cf_secret_init(&s);
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1)
		return cmd_optdone(ctx, c);
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one NAME");
	name = argv[optind];
	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = cf_session_store(&ctx->sess)) < 0)
		goto out;
	if ((exists = ret = cf_store_secret_exists(&ctx->sess.st, name)) < 0 ||
	    (exists && (ret = cf_session_open_secret(&ctx->sess, &s, name)) < 0) ||
	    (ret = cf_session_allowed(&ctx->sess, CF_ACT_WRITE, name)) < 0 ||
	    (ret = cf_refuse_if_rotating(&s, name)) < 0)
		goto out;
	version = exists ? cf_meta_version(&s) : 0;
	fields_doc(&doc, &s);
	if ((ret = edit_buffer(&edited, &doc)) < 0)
		goto out;
	if (edited.len == doc.len && !memcmp(edited.ptr, doc.ptr, doc.len)) {
		if (!ctx->quiet)
			fprintf(stderr, "coffer: edit: no change\n");
		goto out;
	}
	/* re-read under the lock: someone may have written meanwhile */
	cf_secret_release(&s);
	if ((ret = begin_write(ctx, &w)) < 0)
		goto out;
	if ((exists = ret = cf_store_secret_exists(&ctx->sess.st, name)) < 0)
		goto out;
	ret = exists ? cf_session_open_secret(&ctx->sess, &s, name) :
		       cf_secret_create(&s, now_str());
	if (ret < 0)
		goto out;
	if ((exists ? cf_meta_version(&s) : 0) != version) {
		ret = cf_error_set(CF_ECONFLICT,
			"'%s' changed while you were editing; nothing changed",
			name);
		goto out;
	}
	if ((ret = apply(&s, &edited, &changed)) < 0)
		goto out;
	if (!changed) {
		if (!ctx->quiet)
			fprintf(stderr, "coffer: edit: no change\n");
		goto out;
	}
	cf_secret_new_version(&s, now_str(), ctx->sess.me);
	cf_meta_unset(&s, "strength_bits");
	if ((ret = cf_write_secret(&w, &s, name)) < 0 ||
	    (ret = cf_write_commit(&w, &(struct cf_commitmsg){
			.op = CF_OP_EDIT, .name = name,
			.version = cf_meta_version(&s) })) < 0)
		goto out;
out:
	cf_write_end(&w);
	cf_secret_release(&s);
	secbuf_release(&doc);
	secbuf_release(&edited);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_edit_entry = {
	.name = "edit",
	.summary = "edit a secret's fields in $VISUAL or $EDITOR",
	.usage = "edit NAME",
	.fn = cmd_edit,
	.flags = CMD_WRITES | CMD_DECRYPTS,
	.opts = no_opts,
	.args_hint = HINT_SECRET,
};
