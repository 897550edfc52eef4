/* fuzz_secret.c: a coffer secret file read without decrypting
 * (cf_secret_parse), then what list, info and check read of its meta.
 * The data keys of the seed files in corpus/secret are known here: a
 * file one of them opens has its fields read, is written again
 * (cf_secret_serialize) and must read back with the same fields. */
#include "../../lib/common.h"

#include <jansson.h>
#include <stdio.h>

#include "../../lib/rules.h"
#include "../../lib/secret.h"
#include "fuzz.h"

/* the data keys of the seeds (gpg -d of each file's sops.pgp[0].enc) */
static const char *const keys_hex[] = {
	"79b620606e01203f7e0105c68eb3d330a4d81e76b907871920b4bcd5ca45fac7",
	"f5adbec64563b1c9cbca0acc0fe18cb021033297feae53b66f7190fa32d16d77",
	"b4c655abd6e3ba48ffb4dba5b2a7edb4f0b9ca6bac7efdb79c663fb79857ed91",
};
#define NKEYS (sizeof(keys_hex) / sizeof(keys_hex[0]))

static unsigned char keys[NKEYS][CF_DATAKEY_LEN];

static void keys_init(void)
{
	static int done;

	if (done)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		for (size_t j = 0; j < CF_DATAKEY_LEN; j++) {
			unsigned v;

			if (sscanf(keys_hex[i] + 2 * j, "%2x", &v) != 1)
				abort();
			keys[i][j] = (unsigned char)v;
		}
	done = 1;
}

/* 1 if a and b hold the same fields with the same plaintext. */
static int same_fields(const struct cf_fields *a, const struct cf_fields *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct cf_field *f = cf_fields_find(b, a->v[i].name);

		if (!f || f->plain.len != a->v[i].plain.len ||
		    (f->plain.len &&
		     memcmp(f->plain.ptr, a->v[i].plain.ptr, f->plain.len)))
			return 0;
	}
	return 1;
}

/* Opens s with the first known key that works, reads every field, and
 * checks that it is written and read back unchanged. */
static void round_trip(struct cf_secret *s, const char *doc, size_t size)
{
	struct secbuf text = SECBUF_INIT, val = SECBUF_INIT;
	struct cf_secret back;
	size_t k;

	for (k = 0; k < NKEYS; k++) {
		struct cf_secret t;

		if (cf_secret_parse(&t, doc, size, "fuzz") < 0)
			fuzz_fail("secret", "a second parse fails");
		memcpy(t.key, keys[k], CF_DATAKEY_LEN);
		t.have_key = 1;
		if (cf_secret_open(&t, NULL, 0) == 0) {
			cf_secret_release(&t);
			break;
		}
		cf_secret_release(&t);
	}
	if (k == NKEYS)
		return;
	memcpy(s->key, keys[k], CF_DATAKEY_LEN);
	s->have_key = 1;
	if (cf_secret_open(s, NULL, 0) < 0)
		fuzz_fail("secret", "a key that opened it fails");
	for (size_t i = 0; i < s->data.n; i++)
		(void)cf_field_value(&val, s, &s->data.v[i]);
	if (cf_secret_serialize(&text, s, "2026-01-01T00:00:00Z") < 0)
		fuzz_fail("secret", "an open secret cannot be written");
	if (cf_secret_parse(&back, secbuf_cstr(&text), text.len, "again") < 0) {
		fprintf(stderr, "fuzz_secret: %s\n%s\n", cf_error_last(),
			secbuf_cstr(&text));
		fuzz_fail("secret", "what coffer writes does not read back");
	}
	memcpy(back.key, keys[k], CF_DATAKEY_LEN);
	back.have_key = 1;
	if (cf_secret_open(&back, NULL, 0) < 0 ||
	    !same_fields(&s->data, &back.data) ||
	    !same_fields(&s->prev, &back.prev) || back.has_prev != s->has_prev)
		fuzz_fail("secret", "the fields do not come back");
	cf_secret_release(&back);
	secbuf_release(&text);
	secbuf_release(&val);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_secret s;
	struct cf_exposure e;
	const char **rcp = NULL, *k, *v;
	char *doc = fuzz_exact(data, size);
	json_t *j;
	double bits;

	fuzz_init();
	keys_init();
	if (cf_secret_parse(&s, doc, size, "fuzz") < 0)
		goto out;
	(void)cf_meta_version(&s);
	(void)cf_meta_str(&s, "description");
	(void)cf_meta_str(&s, "updated");
	(void)cf_meta_rotation(&s, "every");
	(void)cf_meta_rotation(&s, "generator");
	(void)cf_meta_rotation_state(&s);
	(void)cf_meta_strength(&s, &bits);
	(void)cf_rules_check(cf_meta_rules(&s), "value", 5);
	for (size_t i = 0; cf_meta_tag_at(&s, i, &k, &v); i++)
		(void)cf_meta_tag(&s, k);
	for (size_t i = 0; cf_meta_exposed_at(&s, i, &e); i++)
		;
	for (size_t i = 0; i < s.data.n; i++)
		(void)cf_meta_is_binary(&s, s.data.v[i].name);
	free(rcp);
	rcp = NULL;
	(void)cf_secret_recipients(&s, &rcp);
	if ((j = cf_meta_to_json(&s)))
		json_decref(j);
	round_trip(&s, doc, size);
	cf_secret_release(&s);
out:
	free(rcp);
	free(doc);
	return 0;
}
