/* test_crypt.c: known answers for AES-256-GCM (the GCM specification's
 * AES-256 test cases), SHA-256 and SHA-512 (FIPS 180-2 "abc"), the
 * refusals of a bad tag, and that random draws do not repeat. */
#include <stdlib.h>

#include "../../lib/crypt.h"
#include "../../lib/encode.h"
#include "../../lib/error.h"
#include "tap.h"

/* Hex to bytes; returns the length. */
static size_t unhex(unsigned char *out, const char *hex)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (unsigned char)v;
	}
	return n;
}

/* McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", 2005,
 * appendix B, test cases 13 to 16 (AES-256, 96-bit IV); the same vectors
 * are in NIST's gcmEncryptExtIV256 set. */
static const struct {
	const char *key, *iv, *pt, *aad, *ct, *tag;
} GCM[] = {
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "", "", "",
	  "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "00000000000000000000000000000000", "",
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  "",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void test_gcm(void)
{
	for (size_t c = 0; c < sizeof(GCM) / sizeof(GCM[0]); c++) {
		unsigned char key[32], iv[12], pt[64], aad[20], ct[64], tag[16];
		unsigned char want_ct[64], want_tag[16];
		char got_ct[129], got_tag[33];
		struct secbuf out = SECBUF_INIT;
		size_t ptlen, aadlen, ivlen;
		int ret;

		unhex(key, GCM[c].key);
		ivlen = unhex(iv, GCM[c].iv);
		ptlen = unhex(pt, GCM[c].pt);
		aadlen = unhex(aad, GCM[c].aad);
		unhex(want_ct, GCM[c].ct);
		unhex(want_tag, GCM[c].tag);
		ok(cf_aes_gcm_encrypt(ct, tag, key, iv, ivlen, aad, aadlen, pt,
				      ptlen) == 0, "GCM case %zu encrypts", 13 + c);
		cf_hex(got_ct, ct, ptlen, 0);
		cf_hex(got_tag, tag, sizeof(tag), 0);
		is_str(got_ct, GCM[c].ct, "GCM case %zu ciphertext", 13 + c);
		is_str(got_tag, GCM[c].tag, "GCM case %zu tag", 13 + c);
		ok(cf_aes_gcm_decrypt(&out, key, iv, ivlen, aad, aadlen,
				      want_ct, ptlen, want_tag, 16) == 0 &&
		   out.len == ptlen && !memcmp(out.ptr, pt, ptlen),
		   "GCM case %zu decrypts", 13 + c);
		want_tag[15] ^= 0x80;
		ret = cf_aes_gcm_decrypt(&out, key, iv, ivlen, aad, aadlen,
					 want_ct, ptlen, want_tag, 16);
		ok(ret == CF_EINTEGRITY && out.len == 0,
		   "GCM case %zu: a changed tag is CF_EINTEGRITY, no output",
		   13 + c);
		secbuf_release(&out);
	}
}

static void test_gcm_refusals(void)
{
	unsigned char key[32] = { 1 }, iv[32] = { 2 }, ct[5], tag[16];
	struct secbuf out = SECBUF_INIT;

	ok(cf_aes_gcm_encrypt(ct, tag, key, iv, sizeof(iv), "a:", 2, "hello",
			      5) == 0, "encrypt with sops' 32-byte IV");
	ok(cf_aes_gcm_decrypt(&out, key, iv, sizeof(iv), "a:", 2, ct, 5, tag,
			      16) == 0 && out.len == 5 &&
	   !memcmp(out.ptr, "hello", 5), "and back");
	is_int(cf_aes_gcm_decrypt(&out, key, iv, sizeof(iv), "b:", 2, ct, 5,
				  tag, 16), CF_EINTEGRITY, "another AAD");
	is_int(cf_aes_gcm_decrypt(&out, key, iv, sizeof(iv), "a:", 2, ct, 5,
				  tag, 15), CF_EINTEGRITY, "a short tag");
	is_int(cf_aes_gcm_decrypt(&out, key, iv, 0, "a:", 2, ct, 5, tag, 16),
	       CF_EINTEGRITY, "no IV");
	secbuf_release(&out);
}

static void test_sha(void)
{
	struct cf_sha512 s;
	char hex[129];

	cf_sha256_hex(hex, "abc", 3);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad", "SHA-256 of abc");
	cf_sha256_hex(hex, "", 0);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855", "SHA-256 of nothing");
	ok(cf_sha512_init(&s) == 0, "SHA-512 opens");
	cf_sha512_update(&s, "abc", 3);
	cf_sha512_final_hex(&s, hex);
	is_str(hex, "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A"
		    "2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F",
	       "SHA-512 of abc, upper case");
	ok(s.h == NULL, "final frees the state");
	cf_sha512_init(&s);
	cf_sha512_update(&s, "a", 1);
	cf_sha512_update(&s, "", 0);
	cf_sha512_update(&s, "bc", 2);
	cf_sha512_final_hex(&s, hex);
	ok(!strncmp(hex, "DDAF35A1", 8), "SHA-512 of abc in pieces");
	cf_sha512_init(&s);
	cf_sha512_release(&s);
	cf_sha512_release(&s);
	ok(s.h == NULL, "release twice is fine");
}

static void test_random(void)
{
	unsigned char a[32], b[32], zero[32] = { 0 };
	int seen[10] = { 0 }, all = 1, below = 1;

	ok(cf_random(a, sizeof(a)) == 0 && cf_random(b, sizeof(b)) == 0,
	   "two draws of 32 bytes");
	ok(memcmp(a, b, sizeof(a)) && memcmp(a, zero, sizeof(a)),
	   "they differ and are not zero");
	ok(cf_random(a, 0) == 0, "a draw of nothing");
	for (int i = 0; i < 1000; i++) {
		uint32_t r;

		if (cf_random_uniform(&r, 10) < 0 || r >= 10) {
			below = 0;
			break;
		}
		seen[r]++;
	}
	for (int i = 0; i < 10; i++)
		all &= seen[i] > 0;
	ok(below && all, "uniform over 10: every value, none out of range");
	{
		uint32_t r = 7;

		ok(cf_random_uniform(&r, 1) == 0 && r == 0, "uniform over 1");
	}
}

int main(void)
{
	ok(cf_crypt_init() == 0 && cf_crypt_init() == 0,
	   "libgcrypt initialises, twice is fine");
	test_gcm();
	test_gcm_refusals();
	test_sha();
	test_random();
	return tap_done();
}
