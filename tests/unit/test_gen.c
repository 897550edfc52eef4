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
	ok(cf_generate(&v, &bits, "passphrase") == CF_EUSAGE,
	   "passphrase is not offered yet");
	ok(cf_gen_check("random:length=5000") == CF_EUSAGE, "length limit");
	secbuf_release(&v);
}

int main(void)
{
	cf_crypt_init();
	test_uniform();
	test_entropy();
	return tap_done();
}
