/* gen.c: generators; randomness from getrandom(2), no modulo bias. */
#include "common.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypt.h"
#include "encode.h"
#include "error.h"
#include "gen.h"

#define MAX_LEN 4096
#define MAX_WORDS 64

/* The EFF large wordlist (data/eff_large_wordlist.txt, CC BY 3.0 US),
 * made into a C array by the build. */
static const char *const WORDS[] = {
#include "eff_wordlist.inc"
};
#define NWORDS (sizeof(WORDS) / sizeof(WORDS[0]))

static const char LOWER[] = "abcdefghijklmnopqrstuvwxyz";
static const char UPPER[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char DIGIT[] = "0123456789";
static const char SYMBOL[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
static const char AMBIGUOUS[] = "0O1lI|`'\"";

struct spec {
	char kind[16];
	long length, bytes, words;
	int symbols, no_ambiguous;
	char *charset;
	char sep[8];
};

static int bad(const char *spec, const char *why)
{
	return cf_error_set(CF_EUSAGE, "bad generator '%s': %s", spec, why);
}

static int number(const char *v, long *out, long max)
{
	char *end;
	long n;

	if (!v || !isdigit((unsigned char)*v))
		return -1;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > max)
		return -1;
	*out = n;
	return 0;
}

static int parse(struct spec *s, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t kl = colon ? (size_t)(colon - spec) : strlen(spec);
	char *opts = NULL, *p, *next;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (!kl || kl >= sizeof(s->kind))
		return bad(spec, "unknown kind");
	memcpy(s->kind, spec, kl);
	if (strcmp(s->kind, "random") && strcmp(s->kind, "hex") &&
	    strcmp(s->kind, "base64") && strcmp(s->kind, "pin") &&
	    strcmp(s->kind, "uuid") && strcmp(s->kind, "passphrase"))
		return bad(spec, "unknown kind");
	s->length = !strcmp(s->kind, "pin") ? 8 : 32;
	s->bytes = 32;
	s->words = 6;
	memcpy(s->sep, "-", 2);
	if (!colon)
		return 0;
	opts = xstrdup(colon + 1);
	/* charset= takes the rest of the spec, commas included */
	if ((p = strstr(opts, "charset="))) {
		if (p != opts && p[-1] != ',') {
			ret = bad(spec, "bad option");
			goto out;
		}
		s->charset = xstrdup(p + 8);
		*(p == opts ? p : p - 1) = '\0';
	}
	/* comma-separated options; empty ones ("a,,b", a trailing comma)
	 * are skipped */
	for (p = opts; *p; p = next) {
		char *eq;
		const char *v;
		size_t len = strcspn(p, ",");

		next = p[len] ? p + len + 1 : p + len;
		if (!len)
			continue;
		p[len] = '\0';
		eq = strchr(p, '=');
		v = eq ? eq + 1 : NULL;
		if (eq)
			*eq = '\0';
		if (!strcmp(p, "length") && (!strcmp(s->kind, "random") ||
		    !strcmp(s->kind, "pin"))) {
			if (number(v, &s->length, MAX_LEN) < 0) {
				ret = bad(spec, "length must be 1 to 4096");
				goto out;
			}
		} else if (!strcmp(p, "bytes") && (!strcmp(s->kind, "hex") ||
						   !strcmp(s->kind, "base64"))) {
			if (number(v, &s->bytes, 1024) < 0) {
				ret = bad(spec, "bytes must be 1 to 1024");
				goto out;
			}
		} else if (!strcmp(p, "words") &&
			   !strcmp(s->kind, "passphrase")) {
			if (number(v, &s->words, MAX_WORDS) < 0) {
				ret = bad(spec, "words must be 1 to 64");
				goto out;
			}
		} else if (!strcmp(p, "sep") && v &&
			   !strcmp(s->kind, "passphrase")) {
			if (strlen(v) >= sizeof(s->sep)) {
				ret = bad(spec, "sep must be at most 7 characters");
				goto out;
			}
			memcpy(s->sep, v, strlen(v) + 1);
		} else if (!strcmp(p, "symbols") && !v &&
			   !strcmp(s->kind, "random")) {
			s->symbols = 1;
		} else if (!strcmp(p, "no-ambiguous") && !v &&
			   !strcmp(s->kind, "random")) {
			s->no_ambiguous = 1;
		} else {
			ret = bad(spec, "unknown option");
			goto out;
		}
	}
	if (s->charset) {
		if (strcmp(s->kind, "random") || !*s->charset) {
			ret = bad(spec, "charset needs random and characters");
			goto out;
		}
		for (const char *c = s->charset; *c; c++)
			if (!isprint((unsigned char)*c) || strchr(c + 1, *c)) {
				ret = bad(spec,
					"charset must be distinct printable ASCII");
				goto out;
			}
	}
	ret = 0;
out:
	free(opts);
	if (ret < 0)
		free(s->charset);
	return ret;
}

/* Appends the characters of cls that are allowed. */
static void class_add(struct buf *set, const char *cls, int no_ambiguous)
{
	for (const char *c = cls; *c; c++)
		if (!no_ambiguous || !strchr(AMBIGUOUS, *c))
			buf_addch(set, *c);
}

/* log2 of the number of strings of length L over N characters that
 * contain at least one character of each class (inclusion-exclusion). */
static double class_entropy(long L, size_t N, const size_t *sizes, int k)
{
	double sum = 0;

	for (unsigned mask = 1; mask < (1u << k); mask++) {
		size_t excl = 0;
		int bitsn = 0;

		for (int i = 0; i < k; i++)
			if (mask & (1u << i)) {
				excl += sizes[i];
				bitsn++;
			}
		sum += (bitsn % 2 ? 1 : -1) *
		       pow((double)(N - excl) / (double)N, (double)L);
	}
	return (double)L * log2((double)N) + log2(1 - sum);
}

static int gen_random(struct secbuf *out, double *bits, const struct spec *s)
{
	const char *classes[4] = { LOWER, UPPER, DIGIT, SYMBOL };
	struct buf set = BUF_INIT, cls[4] = { BUF_INIT, BUF_INIT, BUF_INIT,
					      BUF_INIT };
	size_t sizes[4];
	int k = 0, ret = -1;

	if (s->charset) {
		buf_adds(&set, s->charset);
	} else {
		for (int i = 0; i < (s->symbols ? 4 : 3); i++) {
			class_add(&cls[k], classes[i], s->no_ambiguous);
			buf_adds(&set, cls[k].ptr);
			sizes[k] = cls[k].len;
			k++;
		}
	}
	if (k > s->length)
		k = 0;	/* too short to hold every class */
	for (;;) {
		int ok = 1;

		secbuf_reset(out);
		for (long i = 0; i < s->length; i++) {
			uint32_t r;

			if ((ret = cf_random_uniform(&r, (uint32_t)set.len)) < 0)
				goto out;
			secbuf_addch(out, set.ptr[r]);
		}
		/* rejection keeps the draw uniform over valid strings */
		for (int i = 0; i < k && ok; i++) {
			ok = 0;
			for (size_t j = 0; j < out->len && !ok; j++)
				ok = strchr(cls[i].ptr, out->ptr[j]) != NULL;
		}
		if (ok)
			break;
	}
	*bits = k ? class_entropy(s->length, set.len, sizes, k) :
		    (double)s->length * log2((double)set.len);
	ret = 0;
out:
	buf_release(&set);
	for (int i = 0; i < 4; i++)
		buf_release(&cls[i]);
	return ret;
}

static int gen_bytes(struct secbuf *out, double *bits, const struct spec *s)
{
	unsigned char *raw = xmalloc((size_t)s->bytes);
	int ret = -1;

	if ((ret = cf_random(raw, (size_t)s->bytes)) < 0)
		goto out;
	secbuf_reset(out);
	if (!strcmp(s->kind, "hex"))
		cf_hex_sec(out, raw, (size_t)s->bytes, 0);
	else
		cf_base64_encode_sec(out, raw, (size_t)s->bytes);
	*bits = 8.0 * (double)s->bytes;
	ret = 0;
out:
	wipe_free(raw, (size_t)s->bytes);
	return ret;
}

static int gen_pin(struct secbuf *out, double *bits, const struct spec *s)
{
	int ret;

	secbuf_reset(out);
	for (long i = 0; i < s->length; i++) {
		uint32_t r;

		if ((ret = cf_random_uniform(&r, 10)) < 0)
			return ret;
		secbuf_addch(out, (char)('0' + r));
	}
	*bits = (double)s->length * log2(10.0);
	return 0;
}

/* Words drawn uniformly from the 7776: log2(7776) = 12.925 bits each. */
static int gen_passphrase(struct secbuf *out, double *bits,
			  const struct spec *s)
{
	int ret;

	secbuf_reset(out);
	for (long i = 0; i < s->words; i++) {
		uint32_t r;

		if ((ret = cf_random_uniform(&r, (uint32_t)NWORDS)) < 0)
			return ret;
		if (i)
			secbuf_adds(out, s->sep);
		secbuf_adds(out, WORDS[r]);
	}
	*bits = (double)s->words * log2((double)NWORDS);
	return 0;
}

static int gen_uuid(struct secbuf *out, double *bits)
{
	unsigned char u[16];
	char s[37];
	int ret;

	if ((ret = cf_random(u, sizeof(u))) < 0)
		goto out;
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(s, sizeof(s),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	secbuf_set(out, s, 36);
	*bits = 122;
out:
	explicit_bzero(u, sizeof(u));
	explicit_bzero(s, sizeof(s));
	return ret;
}

int cf_gen_check(const char *spec)
{
	struct spec s;
	int ret;

	if ((ret = parse(&s, spec)) < 0)
		return ret;
	free(s.charset);
	return 0;
}

int cf_generate(struct secbuf *out, double *bits, const char *spec)
{
	struct spec s;
	int ret;

	if ((ret = parse(&s, spec)) < 0)
		return ret;
	if (!strcmp(s.kind, "random"))
		ret = gen_random(out, bits, &s);
	else if (!strcmp(s.kind, "pin"))
		ret = gen_pin(out, bits, &s);
	else if (!strcmp(s.kind, "uuid"))
		ret = gen_uuid(out, bits);
	else if (!strcmp(s.kind, "passphrase"))
		ret = gen_passphrase(out, bits, &s);
	else
		ret = gen_bytes(out, bits, &s);
	free(s.charset);
	return ret;
}
