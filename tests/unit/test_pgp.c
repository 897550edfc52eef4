/* test_pgp.c: public keys read without GnuPG: the fixture keys give
 * their fingerprints (as GnuPG prints them), key IDs, an encryption
 * subkey, no revocation or expiry; several blocks read at once; and
 * damaged keys are refused or read in part, never read out of bounds.
 * Messages: the recipients of real gpg messages (tests/fixtures/pkesk/,
 * made by tests/tools/make_pkesk.sh), whether a message is for one key
 * only, packets gpg does not write here (built from those), and damaged
 * messages refused, never read out of bounds. */
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

/* The key ID of an encryption subkey of name's key (its only one). */
static uint64_t subkey_id(size_t who)
{
	return keys[who][0].parts[1].keyid;
}

static void read_message(struct secbuf *out, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), FIXTURES "/pkesk/%s.asc", name);
	ok(cf_file_read(out, path, 1 << 20) == 0, "read %s", path);
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

/* A recipient list as text, for messages. */
static void ids_str(struct buf *out, const uint64_t *ids, size_t n)
{
	buf_reset(out);
	buf_adds(out, "");
	for (size_t i = 0; i < n; i++)
		buf_addf(out, "%s%016llX", i ? " " : "",
			 (unsigned long long)ids[i]);
}

/* Each fixture message: its recipients, and for whom it is only. */
static void test_messages(void)
{
	uint64_t A = subkey_id(0), B = subkey_id(1);
	static const int none = -1;
	const struct {
		const char *name;
		uint64_t want[2];
		size_t n;
		int only;	/* the index of the key it is only for */
	} t[] = {
		{ "alice", { A }, 1, 0 },
		{ "alice-partial", { A }, 1, 0 },
		{ "bob", { B }, 1, 1 },
		{ "alice-bob", { A, B }, 2, none },
		{ "throw-keyids", { CF_PGP_ANYONE }, 1, none },
		{ "alice-hidden-bob", { A, CF_PGP_ANYONE }, 2, none },
		{ "alice-passphrase", { A, CF_PGP_ANYONE }, 2, none },
	};
	struct buf got = BUF_INIT, want = BUF_INIT;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct secbuf f = SECBUF_INIT;
		uint64_t *ids = NULL;
		size_t n = 0;

		read_message(&f, t[i].name);
		ok(cf_pgp_pkesk_ids(&ids, &n, f.ptr, f.len) == 0,
		   "%s: read", t[i].name);
		ids_str(&got, ids, n);
		ids_str(&want, t[i].want, t[i].n);
		is_str(got.ptr, want.ptr, "%s: its recipients", t[i].name);
		for (size_t k = 0; k < 3; k++)
			is_int(cf_pgp_enc_only_for(f.ptr, f.len, &keys[k][0]),
			       t[i].only == (int)k, "%s: only for %s? %s",
			       t[i].name, names[k],
			       t[i].only == (int)k ? "yes" : "no");
		free(ids);
		secbuf_release(&f);
	}
	buf_release(&got);
	buf_release(&want);
}

/* Armor as other tools write it: CRLF, no blank line after BEGIN. */
static void test_message_armor(void)
{
	struct secbuf f = SECBUF_INIT;
	struct buf crlf = BUF_INIT, bare = BUF_INIT;

	read_message(&f, "alice");
	for (size_t i = 0; i < f.len; i++) {
		if (f.ptr[i] == '\n')
			buf_addch(&crlf, '\r');
		buf_addch(&crlf, f.ptr[i]);
	}
	is_int(cf_pgp_enc_only_for(crlf.ptr, crlf.len, &keys[0][0]), 1,
	       "message: CRLF line ends");
	for (const char *p = f.ptr; *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!(l == 1 && *p == '\n'))
			buf_add(&bare, p, l);
		p += l;
	}
	is_int(cf_pgp_enc_only_for(bare.ptr, bare.len, &keys[0][0]), 1,
	       "message: no empty line after the armor header");
	secbuf_release(&f);
	buf_release(&crlf);
	buf_release(&bare);
}

/* ---- packets built by hand ---- */

/* The packets of a fixture message. */
static void raw_message(struct secbuf *out, const char *name)
{
	struct secbuf f = SECBUF_INIT;
	struct buf b64 = BUF_INIT;
	const char *p;

	read_message(&f, name);
	p = strstr(f.ptr, "\n\n");
	for (p = p ? p + 2 : ""; *p && *p != '-'; p++) {
		if (*p == '=' && p[-1] == '\n')	/* the checksum */
			while (p[1] && p[1] != '\n')
				p++;
		else if (*p != '\n')
			buf_addch(&b64, *p);
	}
	out->nolock = 1;
	ok(cf_base64_decode(out, b64.ptr, b64.len) == 0 && out->len > 100,
	   "%s: its packets", name);
	secbuf_release(&f);
	buf_release(&b64);
}

static void armor(struct buf *out, const void *raw, size_t n)
{
	buf_reset(out);
	buf_adds(out, "-----BEGIN PGP MESSAGE-----\n\n");
	cf_base64_encode(out, raw, n);
	buf_adds(out, "\n-----END PGP MESSAGE-----\n");
}

/* A new-format packet: tag, length, body. */
static void packet(struct buf *out, int tag, const void *body, size_t n)
{
	buf_addch(out, (char)(0xc0 | tag));
	if (n < 192) {
		buf_addch(out, (char)n);
	} else {
		buf_addch(out, (char)(((n - 192) >> 8) + 192));
		buf_addch(out, (char)((n - 192) & 0xff));
	}
	buf_add(out, body, n);
}

/* The recipients of raw packets, as text, or "refused: " and the reason
 * (when the error is CF_EINTEGRITY with its usual start). */
static int recipients_of(struct buf *out, const struct buf *raw)
{
	static const char start[] = "not an encrypted OpenPGP message: ";
	struct buf arm = BUF_INIT;
	uint64_t *ids = NULL;
	size_t n = 0;
	int ret;

	armor(&arm, raw->ptr, raw->len);
	ret = cf_pgp_pkesk_ids(&ids, &n, arm.ptr, arm.len);
	buf_reset(out);
	if (ret == CF_EINTEGRITY && !ids && !n &&
	    !strncmp(cf_error_last(), start, strlen(start)))
		buf_addf(out, "refused: %s", cf_error_last() + strlen(start));
	else if (ret < 0)
		buf_addf(out, "error %d: %s", ret, cf_error_last());
	else
		ids_str(out, ids, n);
	free(ids);
	buf_release(&arm);
	return ret;
}

static void test_built(void)
{
	struct secbuf a = SECBUF_INIT, b = SECBUF_INIT,
		      raw_partial = SECBUF_INIT;
	struct buf raw = BUF_INIT, got = BUF_INIT, want = BUF_INIT,
		   arm = BUF_INIT, body = BUF_INIT;
	const unsigned char *pa, *pb, *data;
	size_t esk, datalen;
	unsigned char fp[20];
	uint64_t A = subkey_id(0), B = subkey_id(1);
	const struct cf_keypart *primary = &keys[0][0].parts[0];
	static const char marker[] = "PGP";

	raw_message(&a, "alice");
	raw_message(&b, "bob");
	if (a.len < 100 || b.len < 100)
		goto out;
	/* gpg writes each PKESK in the old format: 0x84, a length, body */
	pa = (const unsigned char *)a.ptr;
	pb = (const unsigned char *)b.ptr;
	esk = 2 + pa[1];
	data = pa + esk;
	datalen = a.len - esk;
	ok(pa[0] == 0x84 && pb[0] == 0x84 && pa[2] == 3 && pb[1] == pa[1],
	   "gpg's session key packets as this test expects");

	/* gpg streamed the long one: partial lengths */
	raw_message(&raw_partial, "alice-partial");
	ok(raw_partial.len > 600 &&
	   (unsigned char)raw_partial.ptr[esk + 1] >= 224 &&
	   (unsigned char)raw_partial.ptr[esk + 1] < 255,
	   "alice-partial: its encrypted data in partial lengths");

	/* a marker packet is skipped, even between session keys */
	buf_reset(&raw);
	packet(&raw, 10, marker, 3);
	buf_add(&raw, pa, a.len);
	recipients_of(&got, &raw);
	ids_str(&want, &A, 1);
	is_str(got.ptr, want.ptr, "a marker before the session key");
	buf_reset(&raw);
	buf_add(&raw, pa, esk);
	packet(&raw, 10, marker, 3);
	buf_add(&raw, pb, 2 + pb[1]);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	ids_str(&want, (uint64_t[]){ A, B }, 2);
	is_str(got.ptr, want.ptr, "a marker between two session keys");

	/* v6 session keys: by a v4 fingerprint, anonymous, unknown */
	for (int i = 0; i < 20; i++) {
		unsigned int byte;

		sscanf(keys[0][0].fprs[1] + 2 * i, "%2x", &byte);
		fp[i] = (unsigned char)byte;
	}
	buf_reset(&body);
	buf_add(&body, "\x06\x15\x04", 3);
	buf_add(&body, fp, 20);
	buf_add(&body, pa + 2 + 10, esk - 12);	/* algorithm, then ESK */
	buf_reset(&raw);
	packet(&raw, 1, body.ptr, body.len);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	ids_str(&want, &A, 1);
	is_str(got.ptr, want.ptr, "v6: a v4 subkey by its fingerprint");
	armor(&arm, raw.ptr, raw.len);
	is_int(cf_pgp_enc_only_for(arm.ptr, arm.len, &keys[0][0]), 1,
	       "v6: only for alice");
	body.ptr[2] = 5;
	buf_reset(&raw);
	packet(&raw, 1, body.ptr, body.len);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	is_str(got.ptr, "refused: a session key packet names a key of an "
	       "unknown version",
	       "v6: a key of version 5");
	buf_reset(&body);
	buf_add(&body, "\x06\x00", 2);
	buf_add(&body, pa + 2 + 10, esk - 12);
	buf_reset(&raw);
	packet(&raw, 1, body.ptr, body.len);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	is_str(got.ptr, "0000000000000000", "v6: anonymous");
	buf_reset(&raw);
	packet(&raw, 1, "\x02", 1);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	is_str(got.ptr, "refused: a session key packet of an unknown version",
	       "a session key of version 2");

	/* the primary named, which may not encrypt */
	buf_reset(&raw);
	buf_add(&raw, pa, a.len);
	for (int i = 0; i < 8; i++)
		raw.ptr[3 + i] = (char)(primary->keyid >> (56 - 8 * i));
	armor(&arm, raw.ptr, raw.len);
	is_int(cf_pgp_enc_only_for(arm.ptr, arm.len, &keys[0][0]), 0,
	       "to alice's primary, which does not encrypt: not for alice");

	/* what must come after the session keys */
	buf_reset(&raw);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	is_str(got.ptr, "", "no session key: no recipient");
	armor(&arm, raw.ptr, raw.len);
	is_int(cf_pgp_enc_only_for(arm.ptr, arm.len, &keys[0][0]), 0,
	       "no session key: not for alice");
	buf_reset(&raw);
	buf_add(&raw, pa, esk);
	recipients_of(&got, &raw);
	is_str(got.ptr, "refused: it holds no encrypted data",
	       "a session key without data");
	buf_reset(&raw);
	buf_add(&raw, pa, a.len);
	buf_add(&raw, pb, 2 + pb[1]);
	recipients_of(&got, &raw);
	is_str(got.ptr, "refused: its encrypted data is cut short or "
	       "followed by more",
	       "a session key after the data");
	buf_reset(&raw);
	buf_add(&raw, pa, esk);
	packet(&raw, 11, "b\0\0\0\0\0x", 7);
	buf_add(&raw, data, datalen);
	recipients_of(&got, &raw);
	is_str(got.ptr, "refused: a packet other than a session key comes "
	       "before its encrypted data",
	       "a literal packet before the data");

	/* a second block, which gpg might read too */
	armor(&arm, pa, a.len);
	armor(&body, pb, b.len);
	buf_add(&arm, body.ptr, body.len);
	is_int(cf_pgp_enc_only_for(arm.ptr, arm.len, &keys[0][0]),
	       CF_EINTEGRITY, "a second armored block is refused");
out:
	secbuf_release(&a);
	secbuf_release(&b);
	secbuf_release(&raw_partial);
	buf_release(&raw);
	buf_release(&got);
	buf_release(&want);
	buf_release(&arm);
	buf_release(&body);
}

/* Garbage, a key instead of a message, every truncation of a message
 * that cuts into its packets (all refused), and each byte changed in
 * turn (refused or read; ASan watches). */
static void test_message_damage(void)
{
	struct secbuf f = SECBUF_INIT, key = SECBUF_INIT;
	const char *bad[] = {
		"", "not a message\n",
		"-----BEGIN PGP MESSAGE-----\n\n!!!!\n"
		"-----END PGP MESSAGE-----\n",
		"-----BEGIN PGP MESSAGE-----\n\nAAAA\n"
		"-----END PGP MESSAGE-----\n",
	};
	size_t cut, refused = 0, read = 0, cuts_read = 0;
	const char *crc;
	char *m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(cf_pgp_enc_only_for(bad[i], strlen(bad[i]),
					   &keys[0][0]),
		       CF_EINTEGRITY, "message refused: bad input #%zu", i);
	read_fixture(&key, "alice");
	is_int(cf_pgp_enc_only_for(key.ptr, key.len, &keys[0][0]),
	       CF_EINTEGRITY, "a public key is not a message");
	read_message(&f, "alice-partial");
	crc = strstr(f.ptr, "\n=");
	cut = crc ? (size_t)(crc - f.ptr) : 0;
	for (size_t l = 0; l < cut; l++)
		if (cf_pgp_enc_only_for(f.ptr, l, &keys[0][0]) >= 0)
			cuts_read++;
	ok(cut > 500 && cuts_read == 0,
	   "each of %zu truncations refused (%zu read)", cut, cuts_read);
	m = malloc(f.len + 1);
	for (size_t at = 0; at < f.len; at++) {
		for (int v = 0; v < 3; v++) {
			memcpy(m, f.ptr, f.len);
			m[at] = "A/z"[v];
			if (cf_pgp_enc_only_for(m, f.len, &keys[0][0]) < 0)
				refused++;
			else
				read++;
		}
	}
	ok(refused > 0 && read > 0, "damaged messages: %zu refused, %zu read",
	   refused, read);
	free(m);
	secbuf_release(&f);
	secbuf_release(&key);
}

/* The data keys in the sops vectors (written by sops, Go's OpenPGP or
 * GnuPG, from 2019 on): each indented message read, one key ID each. */
static void test_sops_vectors(void)
{
	static const char *files[] = {
		"comments.enc.yaml", "comments_unencrypted_comments.yaml",
		"example.yaml", "format.enc.yaml", "multiple_keys.yaml",
		"history/6788bf8ee/example.yaml",
	};
	size_t found = 0, good = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct secbuf f = SECBUF_INIT;
		struct buf msg = BUF_INIT;
		char path[128];
		int in = 0;

		snprintf(path, sizeof(path), FIXTURES "/sops/%s", files[i]);
		if (cf_file_read(&f, path, 1 << 20) < 0)
			continue;
		for (const char *p = f.ptr; *p;) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);

			while (l && (*p == ' ' || *p == '\t'))
				p++, l--;
			if (!in && l >= 27 &&
			    !strncmp(p, "-----BEGIN PGP MESSAGE-----", 27)) {
				in = 1;
				buf_reset(&msg);
			}
			if (in) {
				buf_add(&msg, p, l);
				buf_addch(&msg, '\n');
			}
			if (in && l >= 25 &&
			    !strncmp(p, "-----END PGP MESSAGE-----", 25)) {
				uint64_t *ids = NULL;
				size_t n = 0;

				in = 0;
				found++;
				if (cf_pgp_pkesk_ids(&ids, &n, msg.ptr,
						     msg.len) == 0 &&
				    n == 1 && ids[0] != CF_PGP_ANYONE)
					good++;
				free(ids);
			}
			p += l + (nl != NULL);
		}
		buf_release(&msg);
		secbuf_release(&f);
	}
	ok(found >= 9 && good == found,
	   "sops vectors: %zu of %zu data keys for one key ID", good, found);
}

int main(void)
{
	test_fixtures();
	test_armor();
	test_refusals();
	test_damage();
	read_keys();
	test_keyparts();
	test_messages();
	test_message_armor();
	test_built();
	test_message_damage();
	test_sops_vectors();
	for (size_t i = 0; i < 3; i++)
		cf_keyinfo_free(keys[i], nkeys[i]);
	return tap_done();
}
