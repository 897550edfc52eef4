/* test_gen.c: generator shapes, entropy, and a chi-squared test over
 * 100,000 characters that would catch modulo bias. */
#include <math.h>

#include "../../lib/crypt.h"
#include "../../lib/encode.h"
#include "../../lib/error.h"
#include "../../lib/gen.h"
#include "tap.h"

static void test_uniform(void)
{
	/* charset of 62: a modulo of a byte would favour the first 8
	 * characters (256 % 62 = 8) by 25% */
	struct secbuf v = SECBUF_INIT;
	double bits, chi = 0, expect;
	long counts[256] = { 0 }, total = 0;
	const char *set =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (int i = 0; i < 25; i++) {
		struct buf spec = BUF_INIT;

		buf_addf(&spec, "random:length=4000,charset=%s", set);
		ok(cf_generate(&v, &bits, spec.ptr) == 0, "draw %d", i);
		buf_release(&spec);
		for (size_t k = 0; k < v.len; k++)
			counts[(unsigned char)v.ptr[k]]++;
		total += (long)v.len;
	}
	is_int(total, 100000, "100,000 characters drawn");
	expect = (double)total / 62;
	for (const char *c = set; *c; c++)
		chi += pow((double)counts[(unsigned char)*c] - expect, 2) / expect;
	/* 61 degrees of freedom: p = 0.0001 at about 113 */
	ok(chi < 113, "chi-squared %.1f < 113 (uniform)", chi);
	{
		long first8 = 0;

		for (int i = 0; i < 8; i++)
			first8 += counts[(unsigned char)set[i]];
		ok(fabs((double)first8 / (8 * expect) - 1) < 0.05,
		   "the first 8 characters are not favoured (%.3f)",
		   (double)first8 / (8 * expect));
	}
	secbuf_release(&v);
}

static void test_entropy(void)
{
	struct secbuf v = SECBUF_INIT;
	double bits;

	cf_generate(&v, &bits, "random");
	ok(v.len == 32 && fabs(bits - 32 * log2(62)) < 0.5,
	   "random: 32 alnum, about 190 bits (%.1f)", bits);
	cf_generate(&v, &bits, "random:length=32,symbols");
	ok(bits > 209 && bits < 32 * log2(94) + 0.01,
	   "symbols: just under 32*log2(94) (%.2f)", bits);
	cf_generate(&v, &bits, "hex:bytes=32");
	ok(v.len == 64 && bits == 256, "hex");
	cf_generate(&v, &bits, "uuid");
	ok(v.len == 36 && bits == 122, "uuid");
	ok(cf_generate(&v, &bits, "passphrase") == 0 &&
	   fabs(bits - 6 * log2(7776)) < 1e-9,
	   "passphrase: 6 words of 7776 by default, 77.5 bits (%.2f)", bits);
	cf_generate(&v, &bits, "passphrase:words=8,sep=.");
	{
		size_t dots = 0;
		int letters = 1;

		for (size_t i = 0; i < v.len; i++) {
			dots += v.ptr[i] == '.';
			letters &= v.ptr[i] == '.' || v.ptr[i] == '-' ||
				   (v.ptr[i] >= 'a' && v.ptr[i] <= 'z');
		}
		ok(dots == 7 && letters && fabs(bits - 8 * log2(7776)) < 1e-9,
		   "passphrase: words=8,sep=. gives 8 lower-case words");
	}
	ok(cf_gen_check("passphrase:words=0") == CF_EUSAGE &&
	   cf_gen_check("passphrase:words=65") == CF_EUSAGE &&
	   cf_gen_check("passphrase:length=5") == CF_EUSAGE &&
	   cf_gen_check("passphrase:sep=toolongsep") == CF_EUSAGE,
	   "passphrase: bad words, length, long sep refused");
	ok(cf_gen_check("pin:length=6") == 0 &&
	   cf_gen_check("hex:length=6") == CF_EUSAGE, "length only where it fits");
	ok(cf_gen_check("random:length=5000") == CF_EUSAGE, "length limit");
	secbuf_release(&v);
}

/* hex and base64 outputs have the right alphabet and length, and the
 * base64 decodes to the number of bytes asked for. */
static void test_bytes(void)
{
	struct secbuf v = SECBUF_INIT, raw = SECBUF_INIT;
	double bits;
	int hex = 1;

	ok(cf_generate(&v, &bits, "hex:bytes=17") == 0 && v.len == 34 &&
	   bits == 136, "hex:bytes=17 gives 34 digits, 136 bits");
	for (size_t i = 0; i < v.len; i++)
		hex &= strchr("0123456789abcdef", v.ptr[i]) != NULL;
	ok(hex, "hex digits are lower case");
	ok(cf_generate(&v, &bits, "base64:bytes=17") == 0 && v.len == 24 &&
	   v.ptr[22] != '=' && v.ptr[23] == '=' && bits == 136,
	   "base64:bytes=17 gives 24 characters, one of them padding");
	ok(cf_base64_decode(&raw, v.ptr, v.len) == 0 && raw.len == 17,
	   "base64 output decodes to 17 bytes");
	ok(cf_generate(&v, &bits, "base64") == 0 && v.len == 44 &&
	   bits == 256, "base64 defaults to 32 bytes");
	secbuf_release(&v);
	secbuf_release(&raw);
}

/* Options are split at commas; empty options are skipped, as before. */
static void test_options(void)
{
	struct secbuf v = SECBUF_INIT;
	double bits;

	ok(cf_generate(&v, &bits, "random:,length=7,,symbols,") == 0 &&
	   v.len == 7, "empty options between commas are skipped");
	ok(cf_gen_check("random:") == 0 && cf_gen_check("random:,") == 0,
	   "no options at all");
	ok(cf_gen_check("random:length=7,bogus") == CF_EUSAGE &&
	   cf_gen_check("random:length") == CF_EUSAGE &&
	   cf_gen_check("random:symbols=1") == CF_EUSAGE,
	   "unknown option, missing value, value on a flag");
	ok(cf_generate(&v, &bits, "random:length=6,charset=a,b") == 0 &&
	   v.len == 6 && strspn(v.ptr, "a,b") == 6,
	   "charset= keeps its commas");
	ok(cf_generate(&v, &bits, "random:charset=ab,length=4") == 0 &&
	   v.len == 32 && strspn(v.ptr, "ab,length=4") == 32,
	   "charset= takes the rest of the spec, length= included");
	secbuf_release(&v);
}

/* Words are drawn uniformly: a chi-squared test over the first letters
 * of 100,000 words against the wordlist's own first-letter counts. */
static void test_words_uniform(void)
{
	struct secbuf v = SECBUF_INIT;
	double bits, chi = 0;
	long seen[26] = { 0 }, inlist[26] = { 0 }, total = 0;
	FILE *f = fopen("data/eff_large_wordlist.txt", "r");
	char line[64];

	ok(f != NULL, "the wordlist is readable");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *w = strchr(line, '\t');

		if (w && w[1] >= 'a' && w[1] <= 'z')
			inlist[w[1] - 'a']++;
	}
	fclose(f);
	for (int i = 0; i < 2000; i++) {
		cf_generate(&v, &bits, "passphrase:words=50,sep= ");
		for (size_t k = 0; k < v.len; k++)
			if (k == 0 || v.ptr[k - 1] == ' ') {
				seen[v.ptr[k] - 'a']++;
				total++;
			}
	}
	for (int i = 0; i < 26; i++) {
		double expect = (double)total * (double)inlist[i] / 7776.0;

		if (expect > 0)
			chi += pow((double)seen[i] - expect, 2) / expect;
	}
	/* 25 degrees of freedom at most: p = 1e-6 is about 73; a modulo
	 * bias over 16 random bits would give thousands */
	ok(total == 100000 && chi < 73,
	   "words: chi-squared %.1f < 73 over %ld words", chi, total);
	secbuf_release(&v);
}

int main(void)
{
	cf_crypt_init();
	test_uniform();
	test_entropy();
	test_bytes();
	test_options();
	test_words_uniform();
	return tap_done();
}
