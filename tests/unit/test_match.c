/* test_match.c: the streaming matcher and masker (lib/match.c): values
 * split across chunks at every offset, overlapping values, a value that
 * is a prefix of another, escaped forms, empty values, what is held
 * back and flushed; and random text checked against a plain search. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/match.h"
#include "tap.h"

/* The plain search: every byte any value covers is hidden, a run of
 * hidden bytes is one *****. */
static void naive(struct secbuf *out, const char *text, size_t len,
		  const char *const *vals, size_t nval)
{
	unsigned char *hide = calloc(len + 1, 1);

	for (size_t k = 0; k < nval; k++) {
		size_t l = strlen(vals[k]);

		for (size_t i = 0; l && l <= len && i <= len - l; i++)
			if (!memcmp(text + i, vals[k], l))
				memset(hide + i, 1, l);
	}
	secbuf_reset(out);
	for (size_t i = 0; i < len; i++) {
		if (!hide[i])
			secbuf_addch(out, text[i]);
		else if (!i || !hide[i - 1])
			secbuf_adds(out, CF_MASK_TEXT);
	}
	free(hide);
}

static void build(struct cf_match *m, const char *const *vals, size_t n)
{
	cf_match_init(m);
	for (size_t i = 0; i < n; i++)
		cf_match_add(m, vals[i], strlen(vals[i]));
}

/* Feeds text in chunks at the offsets cuts[] (ascending, < len). */
static void masked(struct secbuf *out, struct cf_match *m, const char *text,
		   size_t len, const size_t *cuts, size_t ncut)
{
	struct cf_mask k;
	size_t at = 0;

	secbuf_reset(out);
	cf_mask_init(&k, m);
	for (size_t i = 0; i <= ncut; i++) {
		size_t end = i < ncut ? cuts[i] : len;

		cf_mask_feed(&k, out, text + at, end - at);
		at = end;
	}
	cf_mask_flush(&k, out);
	cf_mask_release(&k);
}

/* text masked as want: in one chunk, cut in two at every offset, cut in
 * three at every pair of offsets, and byte by byte. */
static void check(const char *text, const char *const *vals, size_t n,
		  const char *want, const char *what)
{
	struct secbuf out = SECBUF_INIT, ref = SECBUF_INIT;
	size_t len = strlen(text), *cuts = calloc(len + 2, sizeof(*cuts));
	struct cf_match m;
	int bad = 0;

	build(&m, vals, n);
	naive(&ref, text, len, vals, n);
	is_str(secbuf_cstr(&ref), want, "%s: the plain search agrees", what);
	masked(&out, &m, text, len, NULL, 0);
	is_str(secbuf_cstr(&out), want, "%s: in one chunk", what);
	for (size_t i = 0; i <= len && !bad; i++) {
		cuts[0] = i;
		masked(&out, &m, text, len, cuts, 1);
		bad = strcmp(secbuf_cstr(&out), want) != 0;
		for (size_t j = i; j <= len && !bad; j++) {
			cuts[1] = j;
			masked(&out, &m, text, len, cuts, 2);
			bad = strcmp(secbuf_cstr(&out), want) != 0;
		}
	}
	ok(!bad, "%s: cut in two and three at every offset", what);
	for (size_t i = 0; i < len; i++)
		cuts[i] = i + 1;
	masked(&out, &m, text, len, cuts, len ? len - 1 : 0);
	is_str(secbuf_cstr(&out), want, "%s: byte by byte", what);
	cf_match_release(&m);
	secbuf_release(&out);
	secbuf_release(&ref);
	free(cuts);
}

#define V(...) (const char *[]){ __VA_ARGS__ }, \
	sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)

static void test_cases(void)
{
	check("a hunter2 b hunter2", V("hunter2"), "a ***** b *****",
	      "every occurrence");
	check("pw=hunter2", V("hunter", "hunter2"), "pw=*****",
	      "a value that is a prefix of another");
	check("pw=hunter!", V("hunter", "hunter2"), "pw=*****!",
	      "the shorter value when the longer does not follow");
	check("pw=hunter2", V("hunter2", "unter"), "pw=*****",
	      "a value inside another");
	check("xabcdy", V("abc", "bcd"), "x*****y",
	      "overlapping values: nothing of either shows");
	check("aaaaa", V("aa"), "*****", "overlapping occurrences: one run");
	check("hunter2hunter2", V("hunter2"), "*****",
	      "adjacent occurrences: one run");
	check("hunter2 hunter2", V("hunter2"), "***** *****",
	      "separate occurrences stay separate");
	check("hunthunter2", V("hunter2"), "hunt*****",
	      "a false start, then the value");
	check("abababc", V("ababc"), "ab*****",
	      "a false start that overlaps the value");
	check("text", V(""), "text", "an empty value is ignored");
	check("text", V("", "ex"), "t*****t",
	      "an empty value next to another");
	check("", V("x"), "", "empty text");
	check("abc", V("abcd"), "abc", "a value longer than the text");
	check("plain text", V("zz"), "plain text", "nothing to hide");
	/* a hook that echoes its JSON input prints the escaped forms */
	check("{\"value\":\"ab\\\"cd\\\\ef\"}", V("ab\"cd\\ef", "ab\\\"cd\\\\ef"),
	      "{\"value\":\"*****\"}", "the JSON-escaped form");
	check("raw ab\"cd\\ef and ab\\\"cd\\\\ef",
	      V("ab\"cd\\ef", "ab\\\"cd\\\\ef"), "raw ***** and *****",
	      "both forms in one text");
	check("x\\u001Fy\\n", V("\\u001Fy\\n"), "x*****",
	      "a control character's escape");
}

static void test_stream(void)
{
	struct secbuf out = SECBUF_INIT;
	struct cf_match m;
	struct cf_mask k;

	build(&m, V("hunter2", "secret"));
	cf_mask_init(&k, &m);
	cf_mask_feed(&k, &out, "pw: hunt", 8);
	is_str(secbuf_cstr(&out), "pw: ", "what could start a value is held");
	is_int(cf_mask_held(&k), 4, "4 bytes held back");
	cf_mask_feed(&k, &out, "er2, ", 5);
	is_str(secbuf_cstr(&out), "pw: *****, ",
	       "the value completed: hidden");
	is_int(cf_mask_held(&k), 0, "nothing held after a byte no value starts with");
	cf_mask_feed(&k, &out, "sec", 3);
	cf_mask_flush(&k, &out);
	is_str(secbuf_cstr(&out), "pw: *****, sec", "a flush gives out the rest");
	cf_mask_feed(&k, &out, "ret!", 4);
	is_str(secbuf_cstr(&out), "pw: *****, sec*****!",
	       "a value whose start was flushed has the rest hidden");
	cf_mask_release(&k);
	cf_match_release(&m);

	/* no values: nothing is held */
	cf_match_init(&m);
	cf_mask_init(&k, &m);
	secbuf_reset(&out);
	cf_mask_feed(&k, &out, "abc", 3);
	is_str(secbuf_cstr(&out), "abc", "no values: everything goes out at once");
	cf_mask_release(&k);
	cf_match_release(&m);
	secbuf_release(&out);
}

/* Random text over a small alphabet against the plain search, in random
 * chunks: many overlaps, prefixes and false starts. */
static void test_random(void)
{
	struct secbuf out = SECBUF_INIT, ref = SECBUF_INIT;
	char text[200], vals[4][8];
	const char *vp[4];
	size_t cuts[200];
	int bad = 0, rounds = 3000;

	srand(13);
	for (int r = 0; r < rounds && !bad; r++) {
		size_t len = (size_t)(rand() % 60), nval = 1 + (size_t)(rand() % 4);
		size_t ncut = 0;
		struct cf_match m;

		for (size_t i = 0; i < len; i++)
			text[i] = (char)('a' + rand() % 3);
		text[len] = '\0';
		for (size_t v = 0; v < nval; v++) {
			size_t l = (size_t)(rand() % 6);

			for (size_t i = 0; i < l; i++)
				vals[v][i] = (char)('a' + rand() % 3);
			vals[v][l] = '\0';
			vp[v] = vals[v];
		}
		for (size_t i = 1; i < len; i++)
			if (rand() % 4 == 0)
				cuts[ncut++] = i;
		build(&m, vp, nval);
		naive(&ref, text, len, vp, nval);
		masked(&out, &m, text, len, cuts, ncut);
		if (strcmp(secbuf_cstr(&out), secbuf_cstr(&ref))) {
			bad = 1;
			printf("# text '%s' got '%s' want '%s'\n", text,
			       secbuf_cstr(&out), secbuf_cstr(&ref));
		}
		cf_match_release(&m);
	}
	ok(!bad, "%d random texts and chunkings agree with the plain search",
	   rounds);
	secbuf_release(&out);
	secbuf_release(&ref);
}

int main(void)
{
	test_cases();
	test_stream();
	test_random();
	return tap_done();
}
