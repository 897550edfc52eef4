/* fuzz_sops.c: the sops format read from untrusted text: the metadata
 * block (cf_sops_meta_parse), the recipients of its pgp entries, the
 * crypt rules, and the decrypting walk with its MAC check. The data keys
 * of the sops vectors in tests/fixtures/sops (from
 * DERIVED-expected-plaintexts.json) are known here, so a mutant of a
 * vector reaches the walk, the value types and the MAC. */
#include "../../lib/common.h"

#include <stdio.h>

#include "../../lib/encode.h"
#include "../../lib/secbuf.h"
#include "../../lib/sops.h"
#include "../../lib/yemit.h"
#include "../../lib/yparse.h"
#include "fuzz.h"

static const char *const keys_hex[] = {
	"8c68886c50b5b72965a3cb99c5172e1d74a8aca27b39ee880b535d6907e59f68",
	"af5e68dd342b72c6a0475f81a50da4fde898f4b7742c92cbcf1668211411f4e4",
	"61bec946f5783fd4cea3d1b1ce407fce2b6e81fc301cc539c422015e27f6d1be",
	"70f645aec88418dff72ac2a7a5503209cf00beda80706e6e157fd94ae53885a0",
	"1e1db61c6b93c001caa9ce34a9d68448eee8a3c69336697eab36bb92327ce786",
	"87f9ee7ab041cfd1946fb50e6166b29858fcb4224ae3816186a129248558461f",
};
#define NKEYS (sizeof(keys_hex) / sizeof(keys_hex[0]))

static unsigned char keys[NKEYS][32];

static void keys_init(void)
{
	static int done;

	if (done)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		for (size_t j = 0; j < 32; j++) {
			unsigned v;

			if (sscanf(keys_hex[i] + 2 * j, "%2x", &v) != 1)
				abort();
			keys[i][j] = (unsigned char)v;
		}
	done = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char k_data[] = "data", k_value[] = "value", k_meta[] = "meta",
		    k_unenc[] = "a_unencrypted", k_x[] = "x";
	static char *paths[][3] = {
		{ k_data, k_value, NULL }, { k_meta, NULL, NULL },
		{ k_unenc, k_x, NULL }, { k_x, k_value, k_x },
	};
	struct cf_ynode *root = NULL, *sops = NULL, *plain = NULL;
	struct cf_sops_meta m;
	struct secbuf text = SECBUF_INIT;
	char *doc = fuzz_exact(data, size), mac[129];

	fuzz_init();
	keys_init();
	memset(&m, 0, sizeof(m));
	if (cf_yaml_parse(&root, doc, size, "fuzz") < 0)
		goto out;
	if (root->kind != CF_Y_MAP)
		goto out;
	sops = cf_ymap_take(root, "sops");
	if (cf_sops_meta_parse(&m, sops, "fuzz") < 0)
		goto out;
	for (size_t i = 0; i < m.npgp; i++)
		(void)cf_sops_only_recipient(m.pgp[i].enc);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		for (size_t d = 1; d <= 3 && paths[i][d - 1]; d++)
			(void)cf_sops_path_encrypted(&m, paths[i], d);
	/* the metadata written back */
	{
		struct cf_ynode *node = cf_sops_meta_node(&m);

		cf_yaml_emit(&text, node);
		cf_ynode_free(node);
	}
	for (size_t i = 0; i < NKEYS && !plain; i++)
		if (cf_sops_decrypt_tree(&plain, root, &m, keys[i]) < 0 && plain)
			fuzz_fail("sops", "a tree after a failure");
	if (plain && cf_sops_mac(mac, plain, &m) < 0)
		fuzz_fail("sops", "a verified tree has no MAC");
out:
	cf_sops_meta_release(&m);
	cf_ynode_free(root);
	cf_ynode_free(sops);
	cf_ynode_free(plain);
	secbuf_release(&text);
	free(doc);
	return 0;
}
