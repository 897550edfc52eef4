/* fuzz_pgp.c: the OpenPGP packet reader (pgp.c) on armored text: the
 * keys of a public key block, a message's recipients, a signature's
 * issuer, and the one-recipient check against each key read. */
#include "../../lib/common.h"

#include "../../lib/pgp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_keyinfo *keys = NULL;
	uint64_t *ids = NULL;
	size_t nkeys = 0, nids = 0;
	char *doc = fuzz_exact(data, size), issuer[65];

	fuzz_init();
	if (cf_pgp_keys(&keys, &nkeys, doc, size) == 0)
		for (size_t i = 0; i < nkeys; i++) {
			(void)cf_keyinfo_find(keys, nkeys, keys[i].fprs[0]);
			(void)cf_pgp_enc_only_for(doc, size, &keys[i]);
		}
	if (cf_pgp_pkesk_ids(&ids, &nids, doc, size) == 0 && nids && !ids)
		fuzz_fail("pgp", "recipients counted but not returned");
	(void)cf_pgp_sig_issuer(issuer, doc, size);
	(void)cf_pgp_enc_only_for(doc, size, NULL);
	cf_keyinfo_free(keys, nkeys);
	free(ids);
	free(doc);
	return 0;
}
