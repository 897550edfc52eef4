/* cmd_get.c: coffer get REF prints one field (exactly its bytes off a
 * tty), or every field as YAML, JSON or shell assignments. */
#include "../lib/common.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "../lib/effective.h"
#include "../lib/error.h"
#include "../lib/ref.h"
#include "../lib/versions.h"
#include "cli.h"
#include "exit.h"

enum { O_FIELD, O_VERSION, O_ALL, O_YAML, O_ENV, O_ALLOW_EXPIRED, O_JSON, O_NOPTS };

static const struct opt opts[] = {
	[O_FIELD] = { "field", 'f', "F", HINT_VALUE, "field to print (default value)" },
	[O_VERSION] = { "version", 'V', "N", HINT_VALUE, "version N, or previous" },
	[O_ALL] = { "all", 'a', NULL, NULL, "every field" },
	[O_YAML] = { "yaml", 0, NULL, NULL, "print fields as YAML" },
	[O_ENV] = { "env", 0, NULL, NULL, "print fields as shell assignments" },
	[O_ALLOW_EXPIRED] = { "allow-expired", 0, NULL, NULL, "read an expired secret" },
	[O_JSON] = JSON_OPT,
	[O_NOPTS] = END,
};
enum { FMT_RAW, FMT_YAML, FMT_JSON, FMT_ENV };

static void env_line(struct secbuf *out, const char *field,
		     const struct secbuf *v)
{
	for (const char *p = field; *p; p++)
		secbuf_addch(out, isalnum((unsigned char)*p) ?
			     (char)toupper((unsigned char)*p) : '_');
	secbuf_adds(out, "='");
	for (size_t i = 0; i < v->len; i++) {
		if (v->ptr[i] == '\'')
			secbuf_adds(out, "'\\''");
		else
			secbuf_addch(out, v->ptr[i]);
	}
	secbuf_adds(out, "'\n");
}

static int print(const char *name, long version, const struct cf_secret *src,
		 const struct cf_fields *fields, const char *only, int fmt)
{
	struct secbuf v = SECBUF_INIT, out = SECBUF_INIT;
	struct cf_ynode *map = cf_ynode_map();
	json_t *jf = json_object();
	int ret = 0, n = 0;

	for (size_t i = 0; i < fields->n && ret == 0; i++) {
		const struct cf_field *f = &fields->v[i];

		if (only && strcmp(f->name, only))
			continue;
		n++;
		if ((ret = cf_field_value(&v, src, f)) < 0)
			break;
		if (fmt == FMT_RAW) {
			out_bytes(v.ptr, v.len);
			if (isatty(1))
				out_bytes("\n", 1);
		} else if (fmt == FMT_ENV) {
			env_line(&out, f->name, &v);
		} else if (fmt == FMT_YAML) {
			cf_ymap_set(map, f->name, cf_ynode_str(v.ptr, v.len));
		} else {
			json_object_set_new(jf, f->name,
					    json_stringn_nocheck(v.ptr, v.len));
		}
	}
	if (ret == 0 && !n)
		ret = cf_error_set(CF_ENOTFOUND, "'%s' has no field '%s'", name,
				   only);
	if (ret == 0 && fmt == FMT_YAML)
		cf_yaml_emit(&out, map);
	if (ret == 0 && fmt == FMT_JSON) {
		json_t *j = json_pack("{s:s, s:I}", "name", name, "version",
				      (json_int_t)version);

		if (only) {
			json_object_set_new(j, "field", json_string(only));
			json_object_set(j, "value", json_object_get(jf, only));
		} else {
			json_object_set(j, "fields", jf);
		}
		out_json(j);
	}
	if (ret == 0)
		out_bytes(out.ptr, out.len);
	json_decref(jf);
	cf_ynode_free(map);
	secbuf_release(&v);
	secbuf_release(&out);
	return ret;
}

static int cmd_get(int argc, char **argv, struct ctx *ctx)
{
	struct cf_secret cur, old;
	const struct cf_secret *src;
	const struct cf_fields *fields;
	struct cf_ref r = { NULL, NULL, NULL };
	const char *arg, *field = NULL, *version = NULL;
	int c, ret, all = 0, fmt = FMT_RAW, allow_expired = 0;

	cf_secret_init(&cur);
	cf_secret_init(&old);
	if (ctx->json)
		fmt = FMT_JSON;
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'f': field = arg; break;
		case 'V': version = arg; break;
		case 'a': all = 1; break;
		case OPT_LONG(O_YAML): fmt = FMT_YAML; break;
		case OPT_LONG(O_ENV): fmt = FMT_ENV; break;
		case OPT_LONG(O_JSON): fmt = FMT_JSON; break;
		case OPT_LONG(O_ALLOW_EXPIRED): allow_expired = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one REF");
	if ((ret = cf_ref_parse(&r, argv[optind])) < 0)
		goto out;
	if ((field && r.field) || (version && r.version)) {
		ret = cf_error_set(CF_EUSAGE,
			"field or version given twice (in REF and as an option)");
		goto out;
	}
	if (!field)
		field = r.field;
	if (!version)
		version = r.version;
	if (version && !r.version) {
		struct cf_ref tmp;
		struct buf b = BUF_INIT;

		buf_addf(&b, "x@%s", version);
		ret = cf_ref_parse(&tmp, b.ptr);
		cf_ref_release(&tmp);
		buf_release(&b);
		if (ret < 0)
			goto out;
	}
	if (all && field) {
		ret = cf_error_set(CF_EUSAGE, "--all and --field exclude each other");
		goto out;
	}
	if (all && fmt == FMT_RAW)
		fmt = FMT_YAML;
	if ((ret = cf_session_open_secret(&ctx->sess, &cur, r.name)) < 0)
		goto out;
	if (!allow_expired && (ret = cf_refuse_if_expired(&cur, r.name)) < 0)
		goto out;
	if ((ret = cf_version_load(&ctx->sess, r.name, &cur, version, &old, &src,
				&fields)) < 0)
		goto out;
	ret = print(r.name, cf_meta_version(src), src, fields,
		    all ? NULL : field ? field : "value", fmt);
	if (ret == 0)
		audit_read(ctx, r.name, cf_meta_version(src), "get");
out:
	cf_ref_release(&r);
	cf_secret_release(&cur);
	cf_secret_release(&old);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_get_entry = {
	.name = "get",
	.summary = "print a secret's value",
	.usage = "get REF [--field F] [--version N|previous] [--all] "
		  "[--json|--yaml|--env] [--allow-expired]",
	.fn = cmd_get,
	.flags = CMD_DECRYPTS,
	.opts = opts,
	.args_hint = HINT_SECRET,
};
