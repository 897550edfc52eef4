/* test_gen.c: generator shapes, entropy, and a chi-squared test over
 * 100,000 characters that would catch modulo bias. */
#include <math.h>

#include "../../lib/crypt.h"
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
	test_words_uniform();
	return tap_done();
}
