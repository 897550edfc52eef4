/* test_sops.c: known answers from specs/sops-format.md section 7.1, and
 * MAC, ENC round trips and tamper checks. */
#include <stdlib.h>

#include "../../lib/crypt.h"
#include "../../lib/error.h"
#include "../../lib/sops.h"
#include "tap.h"

static unsigned char key[32], iv[32];

static void kat(const char *pt, const char *aad, const char *want_data,
		const char *want_tag)
{
	unsigned char ct[64], tag[16];
	struct buf d = BUF_INIT, t = BUF_INIT;

	cf_aes_gcm_encrypt(ct, tag, key, iv, 32, aad, strlen(aad), pt,
			   strlen(pt));
	cf_base64_encode(&d, ct, strlen(pt));
	cf_base64_encode(&t, tag, 16);
	is_str(d.ptr, want_data, "KAT data of '%s' at %s", pt, aad);
	is_str(t.ptr, want_tag, "KAT tag of '%s' at %s", pt, aad);
	buf_release(&d);
	buf_release(&t);
}

static void test_kats(void)
{
	kat("bar", "foo:", "daCD", "ILGEaXbtAmhTXDy/1TqlUw==");
	kat("42", "n:", "I/M=", "UzMwOWR3/DEzgoo5/g7l1A==");
	kat("1.5", "f:", "Ju/E", "uJBeK8Rb0IhyEwRMiZ5ZVA==");
	kat("True", "b:", "Q7OELQ==", "Xq4LZhlfz3uJ5oyclH/P0A==");
	kat("2024-01-01T00:00:00Z", "d:", "JfHDfKA/5w72YDJH1rpRz72hh/4=",
	    "2gCfWdJPduCVbuLzqNbDnA==");
	kat(" hello", ":", "N6mUJOFg", "x98No0SJXrSytFv+NIzfBw==");
	kat("s3cr3t", "a:b:c:", "ZPKSOr57", "BlAWaPnewkA5a/rmFkDStA==");
}

static const char *MAC_DOC =
	"foo: bar\nn: 42\nlist: [x, 1.5]\nclear_unencrypted: true\n"
	"empty: \"\"\nnothing: null\n";
static const char *MAC_WANT =
	"DD2A69DB06292675A4EE9854A1407A90F0D68B417A33D9B7E8F8312DDD314CA3"
	"4BA47A0043C6EEB1D55AF9E68B23D6E9BAC05540444AC26A798CD1FA4E3C998D";
static const char *MAC_ONLY_WANT =
	"B0D5F03BC5C96735C08CE25A0B532580C8EDF2591EF605A34AB9BF14C496CAF8"
	"3ABE2C0BB9A25B53385C2A43395C2A211E0BAE3B72A5CE4040BB0F8B49192E05";

static void test_mac(void)
{
	struct cf_sops_meta m;
	struct cf_ynode *doc = NULL;
	char mac[129];

	memset(&m, 0, sizeof(m));
	cf_sops_meta_set_rule(&m, CF_RULE_UNENC_SUFFIX, "_unencrypted");
	ok(cf_yaml_parse(&doc, MAC_DOC, strlen(MAC_DOC), "t") == 0, "parse MAC doc");
	ok(cf_sops_mac(mac, doc, &m) == 0, "MAC computes");
	is_str(mac, MAC_WANT, "MAC over clear and typed values (7.1)");
	m.mac_only_encrypted = 1;
	cf_sops_mac(mac, doc, &m);
	is_str(mac, MAC_ONLY_WANT, "mac_only_encrypted MAC (7.1)");
	{
		char c[] = "clear_unencrypted", a[] = "a", b[] = "b";
		char *clear[] = { c }, *enc[] = { a, b };

		ok(!cf_sops_path_encrypted(&m, clear, 1),
		   "suffix rule leaves _unencrypted clear");
		ok(cf_sops_path_encrypted(&m, enc, 2),
		   "other paths are encrypted");
	}
	cf_ynode_free(doc);
	cf_sops_meta_release(&m);
}

static void test_enc_roundtrip(void)
{
	struct buf enc = BUF_INIT;
	struct secbuf out = SECBUF_INIT;
	char type[16];

	ok(cf_sops_enc_value(&enc, key, "hello", 5, "data:value:", "str") == 0,
	   "encrypt a value");
	ok(!strncmp(enc.ptr, "ENC[AES256_GCM,data:", 20), "ENC[] form");
	ok(cf_sops_dec_value(&out, type, key, enc.ptr, "data:value:") == 0 &&
	   out.len == 5 && !memcmp(out.ptr, "hello", 5), "decrypt it back");
	is_str(type, "str", "type str");
	ok(cf_sops_dec_value(&out, type, key, enc.ptr, "data:other:") ==
	   CF_EINTEGRITY, "another AAD (a renamed field) fails");
	enc.ptr[22] ^= 1;
	ok(cf_sops_dec_value(&out, type, key, enc.ptr, "data:value:") < 0,
	   "a flipped ciphertext bit fails");
	ok(cf_sops_dec_value(&out, type, key, "ENC[AES256_GCM,data:x]", "a:") ==
	   CF_EINTEGRITY, "a malformed ENC[] is refused");
	ok(cf_sops_dec_value(&out, type, key, "plain", "a:") == CF_EINTEGRITY,
	   "a clear value where ENC[] is expected is refused");
	buf_release(&enc);
	secbuf_release(&out);
}

static void set_enc(struct cf_ynode *map, const char *k, const char *pt,
		    const char *aad, const char *type)
{
	struct buf e = BUF_INIT;

	cf_sops_enc_value(&e, key, pt, strlen(pt), aad, type);
	if (map->kind == CF_Y_SEQ)
		cf_yseq_add(map, cf_ynode_plain(e.ptr));
	else
		cf_ymap_set(map, k, cf_ynode_plain(e.ptr));
	buf_release(&e);
}

static const char *scalar(const struct cf_ynode *map, const char *k)
{
	const struct cf_ynode *n = cf_ymap_get(map, k);

	return n && n->kind == CF_Y_SCALAR ? n->str : "(none)";
}

/* A document encrypted here and read back by cf_sops_decrypt_tree: the
 * values, the MAC of both walks, and each kind of tampering, with the
 * specific error code passed up. */
static void test_decrypt_tree(void)
{
	static const char *PLAIN =
		"foo: bar\nn: 42\nlist: [x, 1.5]\nclear_unencrypted: true\n"
		"empty: \"\"\nnothing: null\n";
	struct cf_sops_meta m;
	struct cf_ynode *plain = NULL, *doc = cf_ynode_map(), *list, *got = NULL;
	char mac[129], again[129];
	unsigned char other[32];

	memset(&m, 0, sizeof(m));
	cf_sops_meta_set_rule(&m, CF_RULE_UNENC_SUFFIX, "_unencrypted");
	ok(cf_yaml_parse(&plain, PLAIN, strlen(PLAIN), "t") == 0,
	   "parse the plaintext");
	set_enc(doc, "foo", "bar", "foo:", "str");
	set_enc(doc, "n", "42", "n:", "int");
	list = cf_ynode_seq();
	set_enc(list, NULL, "x", "list:", "str");
	set_enc(list, NULL, "1.5", "list:", "float");
	cf_ymap_set(doc, "list", list);
	cf_ymap_set(doc, "clear_unencrypted", cf_ynode_plain("true"));
	cf_ymap_set(doc, "empty", cf_ynode_strz(""));
	cf_ymap_set(doc, "nothing", cf_ynode_plain("null"));

	ok(cf_sops_mac(mac, plain, &m) == 0 &&
	   cf_sops_seal(&m, key, mac, "2024-01-01T00:00:00Z") == 0,
	   "MAC of the plaintext, sealed");
	is_str(mac, MAC_WANT, "the hash-only walk gives the 7.1 MAC");
	ok(cf_sops_decrypt_tree(&got, doc, &m, key) == 0 && got,
	   "the document decrypts and its MAC verifies");
	if (got) {
		is_str(scalar(got, "foo"), "bar", "foo decrypted");
		is_str(scalar(got, "n"), "42", "n decrypted");
		ok(cf_ymap_get(got, "list")->n == 2 &&
		   !strcmp(cf_ymap_get(got, "list")->items[1]->str, "1.5"),
		   "list items decrypted");
		ok(cf_sops_mac(again, got, &m) == 0 && !strcmp(again, mac),
		   "the decrypted tree hashes to the same MAC");
	}
	ok(!strncmp(scalar(doc, "foo"), "ENC[", 4),
	   "the encrypted document is left as it was");
	cf_ynode_free(got);

	memcpy(other, key, sizeof(other));
	other[0] ^= 1;
	is_int(cf_sops_decrypt_tree(&got, doc, &m, other), CF_EINTEGRITY,
	       "another data key: CF_EINTEGRITY passed up from the value");
	ok(got == NULL, "no tree on failure");
	cf_ymap_set(doc, "clear_unencrypted", cf_ynode_plain("false"));
	is_int(cf_sops_decrypt_tree(&got, doc, &m, key), CF_EINTEGRITY,
	       "a changed clear value: MAC mismatch");
	ok(strstr(cf_error_last(), "MAC mismatch") != NULL,
	   "the message names the MAC");
	m.mac_only_encrypted = 1;
	cf_sops_mac(mac, plain, &m);
	is_str(mac, MAC_ONLY_WANT, "mac_only_encrypted: the 7.1 MAC");
	cf_sops_seal(&m, key, mac, "2024-01-01T00:00:00Z");
	ok(cf_sops_decrypt_tree(&got, doc, &m, key) == 0,
	   "mac_only_encrypted: a changed clear value is not covered");
	cf_ynode_free(got);
	got = NULL;
	free(m.lastmodified);
	m.lastmodified = strdup("2024-01-02T00:00:00Z");
	is_int(cf_sops_decrypt_tree(&got, doc, &m, key), CF_EINTEGRITY,
	       "a changed lastmodified: MAC mismatch");
	free(m.mac);
	m.mac = NULL;
	is_int(cf_sops_decrypt_tree(&got, doc, &m, key), CF_EINTEGRITY,
	       "no MAC is refused");
	cf_ynode_free(doc);
	cf_ynode_free(plain);
	cf_sops_meta_release(&m);
}

static void test_base64(void)
{
	struct buf b = BUF_INIT;
	struct secbuf s = SECBUF_INIT;

	cf_base64_encode(&b, "any carnal pleas", 16);
	is_str(b.ptr, "YW55IGNhcm5hbCBwbGVhcw==", "base64 with padding");
	ok(cf_base64_decode(&s, b.ptr, b.len) == 0 && s.len == 16 &&
	   !memcmp(s.ptr, "any carnal pleas", 16), "base64 decodes");
	ok(cf_base64_decode(&s, "YW5=IGNh", 8) < 0, "padding inside is refused");
	ok(cf_base64_decode(&s, "YW5", 3) < 0, "bad length is refused");
	ok(cf_base64_decode(&s, "YW-_", 4) < 0, "URL alphabet is refused");
	buf_release(&b);
	secbuf_release(&s);
}

int main(void)
{
	cf_crypt_init();
	for (int i = 0; i < 32; i++) {
		key[i] = (unsigned char)i;
		iv[i] = (unsigned char)(0x20 + i);
	}
	test_kats();
	test_mac();
	test_enc_roundtrip();
	test_decrypt_tree();
	test_base64();
	return tap_done();
}
