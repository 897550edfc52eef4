/* test_pgp.c: public keys read without GnuPG: the fixture keys give
 * their fingerprints (as GnuPG prints them), key IDs, an encryption
 * subkey, no revocation or expiry; several blocks read at once; and
 * damaged keys are refused or read in part, never read out of bounds. */
#include <stdlib.h>

#include "../../lib/buf.h"
#include "../../lib/encode.h"
#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/pgp.h"
#include "tap.h"

#define FIXTURES "tests/fixtures"

static const char *names[] = { "alice", "bob", "carol" };

/* The fingerprint fingerprints.txt gives name. */
static void fpr_of(char out[41], const char *name)
{
	struct secbuf f = SECBUF_INIT;
	const char *p;

	out[0] = '\0';
	if (cf_file_read(&f, FIXTURES "/fingerprints.txt", 4096) == 0 &&
	    (p = strstr(f.ptr, name)) && strlen(p) > strlen(name) + 40) {
		memcpy(out, p + strlen(name) + 1, 40);
		out[40] = '\0';
	}
	secbuf_release(&f);
}

static void read_fixture(struct secbuf *out, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), FIXTURES "/%s.pub.asc", name);
	ok(cf_file_read(out, path, 1 << 20) == 0, "read %s", path);
}

static void test_fixtures(void)
{
	struct secbuf all = SECBUF_INIT;

	all.nolock = 1;
	for (size_t i = 0; i < 3; i++) {
		struct secbuf f = SECBUF_INIT;
		struct cf_keyinfo *k = NULL;
		size_t n = 0;
		char fpr[41];

		fpr_of(fpr, names[i]);
		read_fixture(&f, names[i]);
		ok(cf_pgp_keys(&k, &n, f.ptr, f.len) == 0 && n == 1,
		   "%s: one key", names[i]);
		if (n == 1) {
			is_str(k[0].fprs[0], fpr, "%s: its fingerprint", names[i]);
			ok(k[0].nfprs == 2 && k[0].can_encrypt && !k[0].revoked &&
			   k[0].expires == 0,
			   "%s: a subkey that encrypts, never expires", names[i]);
			ok(cf_keyinfo_find(k, n, k[0].fprs[1]) == &k[0],
			   "%s: found by its subkey's fingerprint", names[i]);
		}
		secbuf_add(&all, f.ptr, f.len);
		cf_keyinfo_free(k, n);
		secbuf_release(&f);
	}
	{
		struct cf_keyinfo *k = NULL;
		size_t n = 0;
		char fpr[41];

		fpr_of(fpr, "carol");
		ok(cf_pgp_keys(&k, &n, all.ptr, all.len) == 0 && n == 3 &&
		   cf_keyinfo_find(k, n, fpr) == &k[2],
		   "three files one after the other: three keys");
		ok(!cf_keyinfo_find(k, n, "0123456789ABCDEF0123456789ABCDEF01234567"),
		   "an unknown fingerprint is not found");
		cf_keyinfo_free(k, n);
	}
	secbuf_release(&all);
}

/* Armor as other tools write it: CRLF, no blank line after BEGIN. */
static void test_armor(void)
{
	struct secbuf f = SECBUF_INIT;
	struct buf crlf = BUF_INIT, bare = BUF_INIT;
	struct cf_keyinfo *k = NULL;
	size_t n = 0;
	char fpr[41];

	fpr_of(fpr, "bob");
	read_fixture(&f, "bob");
	for (size_t i = 0; i < f.len; i++) {
		if (f.ptr[i] == '\n')
			buf_addch(&crlf, '\r');
		buf_addch(&crlf, f.ptr[i]);
	}
	ok(cf_pgp_keys(&k, &n, crlf.ptr, crlf.len) == 0 && n == 1 &&
	   !strcmp(k[0].fprs[0], fpr), "CRLF line ends");
	cf_keyinfo_free(k, n);
	for (const char *p = f.ptr; *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!(l == 1 && *p == '\n'))
			buf_add(&bare, p, l);	/* drop empty lines */
		p += l;
	}
	ok(cf_pgp_keys(&k, &n, bare.ptr, bare.len) == 0 && n == 1 &&
	   !strcmp(k[0].fprs[0], fpr), "no empty line after the armor header");
	cf_keyinfo_free(k, n);
	secbuf_release(&f);
	buf_release(&crlf);
	buf_release(&bare);
}

static void test_refusals(void)
{
	struct cf_keyinfo *k = NULL;
	size_t n = 0;
	static const char *bad[] = {
		"", "not a key\n",
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n",
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(cf_pgp_keys(&k, &n, bad[i], strlen(bad[i])) == CF_EINTEGRITY &&
		   !k && !n, "refused: bad input #%zu", i);
		cf_keyinfo_free(k, n);
	}
}

/* Damaged copies of a key: each byte of its base64 body changed in turn
 * (and truncations). Every one is refused or read; ASan watches. */
static void test_damage(void)
{
	struct secbuf f = SECBUF_INIT;
	size_t refused = 0, read = 0;
	char *m;

	read_fixture(&f, "alice");
	m = malloc(f.len + 1);
	for (size_t at = 0; at < f.len; at++) {
		for (int v = 0; v < 3; v++) {
			struct cf_keyinfo *k = NULL;
			size_t n = 0;

			memcpy(m, f.ptr, f.len);
			m[at] = "A/z"[v];
			if (cf_pgp_keys(&k, &n, m, f.len) < 0)
				refused++;
			else
				read++;
			cf_keyinfo_free(k, n);
		}
	}
	for (size_t l = 0; l < f.len; l += 7) {
		struct cf_keyinfo *k = NULL;
		size_t n = 0;

		if (cf_pgp_keys(&k, &n, f.ptr, l) < 0)
			refused++;
		else
			read++;
		cf_keyinfo_free(k, n);
	}
	ok(refused > 0 && read > 0, "damaged copies: %zu refused, %zu read",
	   refused, read);
	free(m);
	secbuf_release(&f);
}

/* ---- messages ---- */

/* The keys of alice, bob and carol, read once. */
static struct cf_keyinfo *keys[3];
static size_t nkeys[3];

static void read_keys(void)
{
	for (size_t i = 0; i < 3; i++) {
		struct secbuf f = SECBUF_INIT;

		read_fixture(&f, names[i]);
		if (cf_pgp_keys(&keys[i], &nkeys[i], f.ptr, f.len) < 0 ||
		    nkeys[i] != 1)
			printf("Bail out! cannot read %s's key\n", names[i]);
		secbuf_release(&f);
	}
}

/* The key parts: IDs as GnuPG prints them (the fingerprint's last 16
 * digits), a primary that only signs, a subkey that encrypts. */
static void test_keyparts(void)
{
	for (size_t i = 0; i < 3; i++) {
		const struct cf_keyinfo *k = &keys[i][0];
		int good = k->nfprs == 2;

		for (size_t j = 0; good && j < k->nfprs; j++) {
			char hex[17];
			unsigned char be[8];

			for (int b = 0; b < 8; b++)
				be[b] = (unsigned char)(k->parts[j].keyid >>
							(56 - 8 * b));
			cf_hex(hex, be, 8, 1);
			good = !strcmp(hex, k->fprs[j] + 24) &&
			       k->parts[j].expires == 0;
		}
		ok(good, "%s: key IDs of primary and subkey, no expiry",
		   names[i]);
		ok(good && !k->parts[0].encrypts && k->parts[1].encrypts,
		   "%s: the subkey encrypts, the primary does not", names[i]);
	}
}

int main(void)
{
	test_fixtures();
	test_armor();
	test_refusals();
	test_damage();
	read_keys();
	test_keyparts();
	for (size_t i = 0; i < 3; i++)
		cf_keyinfo_free(keys[i], nkeys[i]);
	return tap_done();
}
