/* cmd_decrypt.c: coffer decrypt FILE prints the decrypted document of any
 * sops YAML file the keyring can open, after checking its MAC. */
#include "../lib/common.h"

#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/secret.h"
#include "../lib/sops.h"
#include "../lib/yjson.h"
#include "cli.h"
#include "exit.h"

static int cmd_decrypt(int argc, char **argv, struct ctx *ctx)
{
	struct secbuf data = SECBUF_INIT, out = SECBUF_INIT;
	struct cf_ynode *doc = NULL, *plain = NULL, *sops = NULL;
	struct cf_sops_meta m;
	unsigned char key[CF_DATAKEY_LEN];
	const char *file;
	int c, ret;

	memset(&m, 0, sizeof(m));
	if ((c = getopt_json_only(ctx, argc, argv)) >= 0)
		return c;
	if (optind + 1 != argc)
		return usage_error(ctx, "expected one FILE");
	file = argv[optind];
	if ((ret = cf_file_read(&data, file, CF_SECRET_FILE_MAX)) < 0 ||
	    (ret = cf_yaml_parse(&doc, data.ptr, data.len, file)) < 0)
		goto out;
	if (doc->kind != CF_Y_MAP) {
		ret = cf_error_set(CF_EINTEGRITY, "%s: not a sops file", file);
		goto out;
	}
	sops = cf_ymap_take(doc, "sops");
	if ((ret = cf_sops_meta_parse(&m, sops, file)) < 0 ||
	    (ret = cf_sops_datakey(key, &m, NULL, 0)) < 0 ||
	    (ret = cf_sops_decrypt_tree(&plain, doc, &m, key)) < 0)
		goto out;
	if (ctx->json) {
		out_json(cf_ynode_to_json(plain));
	} else {
		cf_yaml_emit(&out, plain);
		out_bytes(out.ptr, out.len);
	}
	ret = 0;
out:
	explicit_bzero(key, sizeof(key));
	cf_sops_meta_release(&m);
	cf_ynode_free(doc);
	cf_ynode_free(sops);
	cf_ynode_free(plain);
	secbuf_release(&data);
	secbuf_release(&out);
	return ret < 0 ? fail(ctx, ret) : EXIT_OK;
}

const struct cmd cmd_decrypt_entry = {
	.name = "decrypt",
	.summary = "print the decrypted document of a sops file",
	.usage = "decrypt FILE [--json]",
	.fn = cmd_decrypt,
	.flags = CMD_DECRYPTS,
	.opts = json_only_opts,
	.args_hint = HINT_FILE,
};
