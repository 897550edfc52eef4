/* test_secret.c: one secret file (lib/secret.c, lib/secret_meta.c)
 * with real GnuPG: a private GNUPGHOME with the committed fixture keys.
 * Create, encrypt to two readers, serialize, parse and open again;
 * removing a reader draws a new data key, adding one keeps it; a key
 * not in the keyring; tampering is caught by the MAC; and the typed
 * meta accessors, also across a round trip. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../lib/error.h"
#include "../../lib/secret.h"
#include "gnupg.h"
#include "tap.h"

#define A "0439F45B319986A5BE7EC4F105D4CBA2204E1256"	/* alice */
#define B "9B8E39CBE8F64EA18F92BAB892D7084C8E1001E2"	/* bob */
#define C "5868E9F2BC52F661C6850CAC8EC91D1E9B9D113E"	/* carol */
#define NOKEY "1111111111111111111111111111111111111111"
#define NOW "2026-01-02T03:04:05Z"

static char tmp[] = "/tmp/cf-secret-XXXXXX";
/* the API takes char *const *: writable copies */
static char fa[] = A, fb[] = B, fnokey[] = NOKEY;

/* The plaintext of field name, or "(none)". */
static const char *field(const struct cf_secret *s, const char *name)
{
	const struct cf_field *f = cf_fields_find(&s->data, name);

	return f ? secbuf_cstr(&f->plain) : "(none)";
}

static int parse_text(struct cf_secret *s, const struct secbuf *text)
{
	return cf_secret_parse(s, text->ptr, text->len, "test.yaml");
}

/* Parses text with from replaced by to (the first occurrence). */
static int parse_tampered(struct cf_secret *s, const struct secbuf *text,
			  const char *from, const char *to)
{
	const char *at = strstr(secbuf_cstr(text), from);
	struct secbuf t = SECBUF_INIT;
	int ret;

	if (!at)
		return 1;
	secbuf_add(&t, text->ptr, (size_t)(at - text->ptr));
	secbuf_adds(&t, to);
	secbuf_adds(&t, at + strlen(from));
	ret = parse_text(s, &t);
	secbuf_release(&t);
	return ret;
}

static void test_round_trip(void)
{
	char *ab[] = { fa, fb }, *a[] = { fa }, *b[] = { fb },
	     *abn[] = { fa, fb, fnokey }, *an[] = { fa, fnokey };
	unsigned char key1[CF_DATAKEY_LEN], key2[CF_DATAKEY_LEN];
	struct secbuf text = SECBUF_INIT, text2 = SECBUF_INIT;
	struct cf_secret s, s2, s3;
	const char **rcp = NULL;
	size_t n;
	int ret;

	ret = cf_secret_create(&s, NOW);
	is_int(ret, 0, "create");
	ok(s.opened && s.have_key, "a new secret is open and has a key");
	cf_secret_set_field(&s, "value", "s3cret-value", 12);
	cf_secret_set_field(&s, "user", "admin", 5);
	cf_secret_set_field(&s, "empty", "", 0);
	cf_meta_set_str(&s, "description", "hello world");
	ret = cf_secret_set_recipients(&s, ab, 2, NULL, NOW);
	is_int(ret, 0, "recipients alice and bob");
	ret = cf_secret_serialize(&text, &s, NOW);
	is_int(ret, 0, "serialize");
	ok(!strstr(secbuf_cstr(&text), "s3cret-value") &&
	   !strstr(secbuf_cstr(&text), "admin"), "no plaintext in the file");
	ok(strstr(secbuf_cstr(&text), A) && strstr(secbuf_cstr(&text), B),
	   "the file lists both fingerprints");
	cf_secret_release(&s);

	ret = parse_text(&s2, &text);
	is_int(ret, 0, "parse");
	ok(!s2.opened && !s2.have_key, "parsed, nothing decrypted");
	is_str(field(&s2, "value"), "", "no plaintext before open");
	is_int(cf_secret_recipients(&s2, &rcp), 2, "two recipients");
	free(rcp);
	ret = cf_secret_open(&s2, a, 1);
	is_int(ret, 0, "open with alice's key: %s", cf_error_last());
	is_str(field(&s2, "value"), "s3cret-value", "value back");
	is_str(field(&s2, "user"), "admin", "user back");
	is_str(field(&s2, "empty"), "", "the empty field back");
	is_str(cf_meta_str(&s2, "description"), "hello world", "meta back");
	ok(cf_secret_recipients_are(&s2, ab, 2, NULL), "recipients are A and B");

	/* removing a reader: a fresh data key, every field re-encrypted */
	memcpy(key1, s2.key, sizeof(key1));
	ret = cf_secret_set_recipients(&s2, a, 1, NULL, NOW);
	is_int(ret, 0, "recipients: alice only");
	ok(s2.rekeyed, "re-keyed");
	ok(memcmp(key1, s2.key, sizeof(key1)),
	   "a removed reader means a new data key");
	ok(!cf_secret_is_recipient(&s2, b, 1), "bob is no recipient");
	ret = cf_secret_serialize(&text2, &s2, NOW);
	is_int(ret, 0, "serialize again");
	ok(!strstr(secbuf_cstr(&text2), B), "the file no longer lists bob");
	{
		const struct cf_field *f = cf_fields_find(&s2.data, "value");

		ok(f && f->enc && !strstr(secbuf_cstr(&text), f->enc),
		   "the value is encrypted afresh");
	}
	memcpy(key2, s2.key, sizeof(key2));
	cf_secret_release(&s2);

	ret = parse_text(&s3, &text2);
	is_int(ret, 0, "parse the re-keyed file");
	ret = cf_secret_open(&s3, b, 1);
	is_int(ret, CF_EDECRYPT, "bob's key opens nothing now");
	ret = cf_secret_open(&s3, a, 1);
	is_int(ret, 0, "alice opens it");
	ok(!memcmp(key2, s3.key, sizeof(key2)), "with the new key");
	is_str(field(&s3, "value"), "s3cret-value", "same value");

	/* adding a reader draws a new key too: the added reader's copy
	 * must open nothing written before (SPEC 3) */
	{
		char *alice_enc = strdup(s3.sops.pgp[0].enc);

		ret = cf_secret_set_recipients(&s3, ab, 2, NULL, NOW);
		is_int(ret, 0, "add bob back");
		ok(s3.rekeyed && memcmp(key2, s3.key, sizeof(key2)),
		   "adding a reader means a new data key");
		ok(strcmp(s3.sops.pgp[0].enc, alice_enc),
		   "alice gets a copy of the new key");
		ok(cf_secret_recipients_are(&s3, ab, 2, NULL), "A and B again");
		free(alice_enc);
	}
	/* the same set again changes nothing */
	{
		char *alice_enc = strdup(s3.sops.pgp[0].enc);
		unsigned char k[sizeof(key2)];

		memcpy(k, s3.key, sizeof(k));
		s3.rekeyed = 0;
		ret = cf_secret_set_recipients(&s3, ab, 2, NULL, NOW);
		is_int(ret, 0, "the same readers");
		ok(!s3.rekeyed && !memcmp(k, s3.key, sizeof(k)),
		   "the same readers keep the data key");
		ok(!strcmp(s3.sops.pgp[0].enc, alice_enc),
		   "and alice's copy of it");
		free(alice_enc);
	}

	/* a key that is not in the keyring */
	cf_error_clear();
	ret = cf_secret_set_recipients(&s3, abn, 3, NULL, NOW);
	is_int(ret, CF_ENOTFOUND, "adding a key not in the keyring");
	ok(strstr(cf_error_last(), NOKEY) != NULL, "naming it: %s",
	   cf_error_last());
	ok(cf_secret_recipients_are(&s3, ab, 2, NULL), "the recipients stay");
	ret = cf_secret_set_recipients(&s3, an, 2, NULL, NOW);
	is_int(ret, CF_ENOTFOUND,
	       "removing bob and adding a key not in the keyring");
	ok(cf_secret_recipients_are(&s3, ab, 2, NULL), "the recipients stay");
	ret = cf_secret_set_recipients(&s3, NULL, 0, NULL, NOW);
	is_int(ret, CF_EDENIED, "no readers at all is refused");
	cf_secret_release(&s3);

	/* re-keying needs the plaintext */
	ret = parse_text(&s3, &text);
	ret = cf_secret_set_recipients(&s3, a, 1, NULL, NOW);
	ok(ret < 0, "removing a reader from an unopened secret fails");
	ret = cf_secret_serialize(&text2, &s3, NOW);
	ok(ret < 0, "an unopened secret is not serialized");
	cf_secret_release(&s3);

	/* tampering */
	n = 0;
	ret = parse_tampered(&s3, &text, "hello world", "hello worle");
	if (ret == 0)
		ret = cf_secret_open(&s3, a, 1), n++;
	is_int(ret, CF_EINTEGRITY, "changed clear meta: the MAC says no");
	cf_secret_release(&s3);
	ret = parse_tampered(&s3, &text, "user: ENC[", "usex: ENC[");
	if (ret == 0)
		ret = cf_secret_open(&s3, a, 1), n++;
	is_int(ret, CF_EINTEGRITY, "a renamed field does not decrypt");
	cf_secret_release(&s3);
	ret = parse_tampered(&s3, &text, "mac: ENC[AES256_GCM,data:",
			     "mac: ENC[AES256_GCM,data:A");
	if (ret == 0)
		ret = cf_secret_open(&s3, a, 1), n++;
	is_int(ret, CF_EINTEGRITY, "a changed MAC");
	cf_secret_release(&s3);
	is_int(n, 3, "every tampered file parsed and was opened");
	ret = parse_tampered(&s3, &text, "meta:", "mota:");
	is_int(ret, CF_EINTEGRITY, "an unknown top-level key");
	cf_secret_release(&s3);

	secbuf_release(&text);
	secbuf_release(&text2);
	explicit_bzero(key1, sizeof(key1));
	explicit_bzero(key2, sizeof(key2));
}

static void test_meta(void)
{
	char *a[] = { fa };
	struct secbuf text = SECBUF_INIT, v = SECBUF_INIT;
	struct cf_secret s, p;
	struct cf_exposure x;
	const char *k, *val;
	double bits = -1;
	size_t i;
	int ret;

	cf_secret_create(&s, NOW);
	is_int(cf_meta_version(&s), 0, "version 0 when created");
	is_str(cf_meta_str(&s, "created"), NOW, "created");
	cf_secret_new_version(&s, NOW, "alice");
	is_int(cf_meta_version(&s), 1, "a new version");
	is_str(cf_meta_str(&s, "updated_by"), "alice", "updated_by");

	cf_meta_set_tag(&s, "env", "prod");
	cf_meta_set_tag(&s, "team", "db");
	cf_meta_set_tag(&s, "env", "staging");
	is_str(cf_meta_tag(&s, "env"), "staging", "a tag replaced");
	ok(cf_meta_tag_at(&s, 0, &k, &val) && !strcmp(k, "env") &&
	   !strcmp(val, "staging"), "tag 0");
	ok(cf_meta_tag_at(&s, 1, &k, &val) && !strcmp(k, "team") &&
	   !strcmp(val, "db"), "tag 1");
	ok(!cf_meta_tag_at(&s, 2, &k, &val), "no tag 2");
	ok(!cf_meta_tag(&s, "nope"), "an absent tag");

	cf_meta_set_rotation(&s, "every", "90d");
	cf_meta_set_rotation(&s, "overlap", "7d");
	is_str(cf_meta_rotation(&s, "every"), "90d", "rotation every");
	ok(!cf_meta_rotation(&s, "hook"), "no hook");
	ok(!cf_meta_rotation_state(&s), "no rotation under way");
	cf_meta_set_rotation(&s, "state", "idle");
	ok(!cf_meta_rotation_state(&s), "idle is no rotation under way");
	cf_meta_set_rotation(&s, "state", "pending");
	is_str(cf_meta_rotation_state(&s) ? cf_meta_rotation_state(&s) : "",
	       "pending", "a rotation under way");
	cf_meta_set_rotation(&s, "state", NULL);
	ok(!cf_meta_rotation_state(&s), "state removed");

	ok(!cf_meta_strength(&s, &bits), "no strength recorded");
	cf_meta_set_strength(&s, 12.34);
	ok(cf_meta_strength(&s, &bits) && bits > 12.29 && bits < 12.31,
	   "strength to one decimal (%g)", bits);

	cf_meta_expose(&s, "bob", B, NOW);
	cf_meta_expose(&s, "bob", B, "2026-02-02T00:00:00Z");
	ok(cf_meta_exposed_at(&s, 0, &x) && !cf_meta_exposed_at(&s, 1, &x),
	   "the same fingerprint twice: one entry");
	cf_meta_exposed_at(&s, 0, &x);
	ok(x.principal && !strcmp(x.principal, "bob") && x.fingerprint &&
	   !strcmp(x.fingerprint, B) && x.removed && !strcmp(x.removed, NOW),
	   "the entry names bob, his key and the first time");
	cf_meta_expose(&s, "carol", C, NOW);
	ok(cf_meta_exposed_at(&s, 1, &x) && x.principal &&
	   !strcmp(x.principal, "carol"), "a second fingerprint: entry 1");

	cf_meta_set_binary(&s, "cert", 1);
	cf_meta_set_binary(&s, "cert", 1);
	cf_meta_set_binary(&s, "key", 1);
	ok(cf_meta_is_binary(&s, "cert") && cf_meta_is_binary(&s, "key") &&
	   !cf_meta_is_binary(&s, "value"), "binary fields");
	cf_meta_set_binary(&s, "key", 0);
	ok(!cf_meta_is_binary(&s, "key") && cf_meta_is_binary(&s, "cert"),
	   "one binary flag off");
	cf_secret_set_field(&s, "cert", "aGVsbG8=", 8);
	cf_secret_set_field(&s, "value", "aGVsbG8=", 8);
	ret = cf_field_value(&v, &s, cf_fields_find(&s.data, "cert"));
	ok(ret == 0 && v.len == 5 && !memcmp(v.ptr, "hello", 5),
	   "a binary field is base64-decoded");
	ret = cf_field_value(&v, &s, cf_fields_find(&s.data, "value"));
	ok(ret == 0 && !strcmp(secbuf_cstr(&v), "aGVsbG8="),
	   "a text field is as stored");
	cf_secret_set_field(&s, "cert", "%%%", 3);
	ret = cf_field_value(&v, &s, cf_fields_find(&s.data, "cert"));
	is_int(ret, CF_EINTEGRITY, "a binary field that is not base64");
	cf_secret_set_field(&s, "cert", "aGVsbG8=", 8);

	/* everything set above passes the schema of a parsed file */
	cf_secret_set_recipients(&s, a, 1, NULL, NOW);
	ret = cf_secret_serialize(&text, &s, NOW);
	is_int(ret, 0, "serialize with every kind of meta");
	ret = parse_text(&p, &text);
	is_int(ret, 0, "and parse it back: %s", cf_error_last());
	is_int(cf_meta_version(&p), 1, "version");
	is_str(cf_meta_tag(&p, "team") ? cf_meta_tag(&p, "team") : "", "db",
	       "tag");
	val = cf_meta_rotation(&p, "overlap");
	is_str(val ? val : "", "7d", "rotation");
	ok(cf_meta_strength(&p, &bits) && bits > 12.29 && bits < 12.31,
	   "strength");
	for (i = 0; cf_meta_exposed_at(&p, i, &x); i++)
		;
	is_int(i, 2, "two exposure entries");
	ok(cf_meta_is_binary(&p, "cert") && !cf_meta_is_binary(&p, "key"),
	   "binary");
	ret = cf_secret_open(&p, a, 1);
	is_int(ret, 0, "open it");
	ret = cf_field_value(&v, &p, cf_fields_find(&p.data, "cert"));
	ok(ret == 0 && v.len == 5 && !memcmp(v.ptr, "hello", 5),
	   "the binary field after the round trip");

	/* a value change ends the exposure */
	cf_secret_new_version(&p, NOW, "alice");
	ok(!cf_meta_exposed_at(&p, 0, &x), "a new version clears exposed");
	is_int(cf_meta_version(&p), 2, "version 2");
	cf_meta_set_tag(&p, "env", NULL);
	cf_meta_set_tag(&p, "team", NULL);
	ok(!cf_meta_tag_at(&p, 0, &k, &val), "every tag removed");
	cf_meta_set_binary(&p, "cert", 0);
	cf_meta_set_rotation(&p, "every", NULL);
	cf_meta_set_rotation(&p, "overlap", NULL);
	cf_meta_unset(&p, "strength_bits");
	ret = cf_secret_serialize(&text, &p, NOW);
	ok(ret == 0 && !strstr(secbuf_cstr(&text), "tags:") &&
	   !strstr(secbuf_cstr(&text), "binary:") &&
	   !strstr(secbuf_cstr(&text), "rotation:") &&
	   !strstr(secbuf_cstr(&text), "exposed:"),
	   "emptied sections leave the file");
	cf_secret_release(&p);
	cf_secret_release(&s);
	secbuf_release(&text);
	secbuf_release(&v);
}

int main(void)
{
	unsetenv("COFFER_NOW");
	if (!ok(mkdtemp(tmp) && gnupg_setup(tmp) == 0,
		"a GNUPGHOME with the fixture keys"))
		return tap_done();
	test_round_trip();
	test_meta();
	gnupg_teardown(tmp);
	return tap_done();
}
