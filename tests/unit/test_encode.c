/* test_encode.c: hex and base64 against RFC 4648 section 10, the secbuf
 * variants against the buf ones, round trips over every byte value, and
 * the decoder's refusals. */
#include <stdlib.h>

#include "../../lib/crypt.h"
#include "../../lib/encode.h"
#include "../../lib/error.h"
#include "tap.h"

/* RFC 4648 section 10: BASE64 and BASE16 of prefixes of "foobar". */
static const struct {
	const char *in, *b64, *b16;
} RFC[] = {
	{ "", "", "" },
	{ "f", "Zg==", "66" },
	{ "fo", "Zm8=", "666F" },
	{ "foo", "Zm9v", "666F6F" },
	{ "foob", "Zm9vYg==", "666F6F62" },
	{ "fooba", "Zm9vYmE=", "666F6F6261" },
	{ "foobar", "Zm9vYmFy", "666F6F626172" },
};

static void test_rfc4648(void)
{
	for (size_t i = 0; i < sizeof(RFC) / sizeof(RFC[0]); i++) {
		const char *in = RFC[i].in;
		size_t n = strlen(in);
		struct buf b = BUF_INIT;
		struct secbuf s = SECBUF_INIT, d = SECBUF_INIT;
		char hex[13], lower[13];

		cf_base64_encode(&b, in, n);
		is_str(b.ptr, RFC[i].b64, "base64 of '%s'", in);
		cf_base64_encode_sec(&s, in, n);
		ok(s.ptr && s.len == b.len && !strcmp(s.ptr, RFC[i].b64),
		   "base64 of '%s' into a secbuf", in);
		ok(cf_base64_decode(&d, RFC[i].b64, strlen(RFC[i].b64)) == 0 &&
		   d.ptr && d.len == n && !memcmp(d.ptr, in, n),
		   "'%s' decodes back", RFC[i].b64);
		cf_hex(hex, (const unsigned char *)in, n, 1);
		is_str(hex, RFC[i].b16, "base16 of '%s'", in);
		for (size_t k = 0; k <= 2 * n; k++)
			lower[k] = (char)(hex[k] >= 'A' && hex[k] <= 'F' ?
					  hex[k] - 'A' + 'a' : hex[k]);
		cf_hex(hex, (const unsigned char *)in, n, 0);
		is_str(hex, lower, "lower-case hex of '%s'", in);
		secbuf_reset(&s);
		cf_hex_sec(&s, in, n, 1);
		ok(s.len == 2 * n && !strcmp(s.ptr, RFC[i].b16),
		   "hex of '%s' into a secbuf", in);
		buf_release(&b);
		secbuf_release(&s);
		secbuf_release(&d);
	}
}

/* Both encoders append, as cf_sops_enc_value relies on. */
static void test_append(void)
{
	struct buf b = BUF_INIT;
	struct secbuf s = SECBUF_INIT;

	buf_adds(&b, "data:");
	cf_base64_encode(&b, "foo", 3);
	buf_adds(&b, ",iv:");
	cf_base64_encode(&b, "f", 1);
	is_str(b.ptr, "data:Zm9v,iv:Zg==", "base64 appends to a buf");
	secbuf_adds(&s, "x=");
	cf_base64_encode_sec(&s, "fooba", 5);
	cf_hex_sec(&s, "\x01\xfe", 2, 0);
	is_str(s.ptr, "x=Zm9vYmE=01fe", "base64 and hex append to a secbuf");
	buf_release(&b);
	secbuf_release(&s);
}

/* The secbuf variant makes room once: with enough room already, the
 * buffer is not moved; without, it ends up exactly as long as needed. */
static void test_sec_growth(void)
{
	struct secbuf s = SECBUF_INIT;
	unsigned char raw[3000];
	const char *before;

	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7);
	secbuf_grow(&s, 4000);
	before = s.ptr;
	cf_base64_encode_sec(&s, raw, sizeof(raw));
	ok(s.ptr == before && s.len == 4000, "room enough: no new buffer");
	secbuf_release(&s);
	cf_base64_encode_sec(&s, raw, sizeof(raw));
	ok(s.len == 4000 && s.cap >= 4001 && s.ptr[4000] == '\0',
	   "grown to 4000 characters and a NUL");
	secbuf_release(&s);
	cf_base64_encode_sec(&s, raw, 0);
	ok(s.ptr && s.len == 0 && s.ptr[0] == '\0',
	   "nothing encodes to an empty string, not NULL");
	secbuf_release(&s);
}

/* Every byte value, and every length up to 64 (each padding case). */
static void test_roundtrip(void)
{
	unsigned char all[256];
	struct buf b = BUF_INIT;
	struct secbuf s = SECBUF_INIT, d = SECBUF_INIT;
	int good = 1;

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	cf_base64_encode_sec(&s, all, sizeof(all));
	ok(cf_base64_decode(&d, s.ptr, s.len) == 0 && d.len == 256 &&
	   !memcmp(d.ptr, all, 256), "all 256 byte values round-trip");
	for (size_t n = 0; n <= 64 && good; n++) {
		unsigned char r[64];

		cf_random(r, n);
		buf_reset(&b);
		secbuf_reset(&s);
		cf_base64_encode(&b, r, n);
		cf_base64_encode_sec(&s, r, n);
		good = b.len == (n + 2) / 3 * 4 && s.len == b.len &&
		       !memcmp(s.ptr, b.ptr, b.len) &&
		       cf_base64_decode(&d, s.ptr, s.len) == 0 &&
		       d.len == n && !memcmp(d.ptr, r, n);
	}
	ok(good, "random bytes of every length 0..64 round-trip, "
	   "buf and secbuf alike");
	buf_release(&b);
	secbuf_release(&s);
	secbuf_release(&d);
}

static void test_refusals(void)
{
	static const char *bad[] = {
		"Zg=", "Zm9vY", "Z===", "=Zg=", "Zg=a", "Zm9v=Zg=",
		"YW-_", "Zm 9", "Zm9\n", "Zm\x80v",
	};
	struct secbuf d = SECBUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		secbuf_set(&d, "old", 3);
		ok(cf_base64_decode(&d, bad[i], strlen(bad[i])) ==
		   CF_EINTEGRITY && d.len == 0,
		   "refused, output emptied: bad base64 %zu", i);
	}
	ok(cf_base64_decode(&d, "Zm\0v", 4) == CF_EINTEGRITY,
	   "a NUL inside is refused");
	ok(cf_base64_decode(&d, "", 0) == 0 && d.ptr && d.len == 0,
	   "the empty string decodes to nothing");
	secbuf_release(&d);
}

int main(void)
{
	cf_crypt_init();
	test_rfc4648();
	test_append();
	test_sec_growth();
	test_roundtrip();
	test_refusals();
	return tap_done();
}
