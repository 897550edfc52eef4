/* test_session.c: the application layer on a real store (lib/init.c,
 * session.c, write.c, status.c, effective.c) with the fixture keys in a
 * private GNUPGHOME: who the user is, access decisions with their
 * explanation, a write of a new secret read back, the store lock, the
 * dirty .coffer/ refusal, an error code passed up from a write, a
 * secret's status and the value checks of the policy defaults. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/effective.h"
#include "../../lib/error.h"
#include "../../lib/fsutil.h"
#include "../../lib/init.h"
#include "../../lib/session.h"
#include "../../lib/status.h"
#include "../../lib/timeutil.h"
#include "../../lib/write.h"
#include "gnupg.h"
#include "tap.h"

#define A "0439F45B319986A5BE7EC4F105D4CBA2204E1256"	/* alice */
#define B "9B8E39CBE8F64EA18F92BAB892D7084C8E1001E2"	/* bob */

static char tmp[] = "/tmp/cf-session-XXXXXX";
static char fa[] = A, fb[] = B;
static struct buf root = BUF_INIT;

static const char POLICY[] =
	"version: 1\n"
	"principals:\n"
	"    alice:\n"
	"        keys: [" A "]\n"
	"    bob:\n"
	"        keys: [" B "]\n"
	"groups:\n"
	"    admins: [alice]\n"
	"policies:\n"
	"    group:admins:\n"
	"        allow:\n"
	"            - actions: [\"*\"]\n"
	"              resources: [\"*\"]\n"
	"    bob:\n"
	"        allow:\n"
	"            - actions: [read, list]\n"
	"              resources: [pub/*]\n"
	"            - actions: [write]\n"
	"              resources: [net/*]\n"
	"              conditions:\n"
	"                  - type: ip_range\n"
	"                    value: 10.0.0.0/8\n"
	"defaults:\n"
	"    - resources: [strong/*]\n"
	"      strength: { min_bits: 60 }\n"
	"    - resources: [pin/*]\n"
	"      validate: { pattern: \"^[0-9]+$\" }\n"
	"    - resources: [rot/*]\n"
	"      rotation: { every: 30d }\n"
	"settings:\n"
	"    require_signed_commits: true\n";


static int has(const char *msg, const char *part)
{
	return strstr(msg, part) != NULL;
}

static int file_exists(const char *rel)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int e;

	buf_addf(&p, "%s/%s", root.ptr, rel);
	e = lstat(p.ptr, &st) == 0;
	buf_release(&p);
	return e;
}

static void test_create(void)
{
	struct buf r = BUF_INIT, name = BUF_INIT, fpr = BUF_INIT,
		   dir = BUF_INIT;
	struct cf_init in = { 0 };
	int ret;

	buf_addf(&dir, "%s/store", tmp);
	in.dir = dir.ptr;
	in.key = A;
	in.name = "alice";
	ret = cf_store_create(&in, &root, &name, &fpr);
	is_int(ret, 0, "cf_store_create: %s", cf_error_last());
	is_str(buf_cstr(&name), "alice", "the principal");
	is_str(buf_cstr(&fpr), A, "the key");
	ok(root.len && root.ptr[0] == '/', "an absolute root");
	ret = cf_store_create(&in, &r, &name, &fpr);
	is_int(ret, CF_ECONFLICT, "a second create is a conflict");
	buf_release(&r);
	buf_release(&name);
	buf_release(&fpr);
	buf_release(&dir);
}

/* Replaces the policy through a write, as policy edit does. */
static void test_policy_write(void)
{
	static const char drop[] =
		"version: 1\nprincipals:\n    bob:\n        keys: [" B "]\n";
	struct cf_session s;
	struct cf_write w;
	struct cf_policy old;
	struct cf_history_entry h;
	int ret;

	cf_session_init(&s, root.ptr, NULL);
	ret = cf_write_begin(&w, &s);
	is_int(ret, 0, "write begin");
	ret = cf_write_policy(&w, drop, sizeof(drop) - 1, &old);
	is_int(ret, CF_EUSAGE, "a policy that drops the user is refused");
	ret = cf_write_policy(&w, POLICY, sizeof(POLICY) - 1, &old);
	is_int(ret, 0, "the new policy: %s", cf_error_last());
	if (ret == 0)
		cf_policy_release(&old);
	ret = cf_write_commit(&w, &(struct cf_commitmsg){
		.op = CF_OP_POLICY_EDIT });
	is_int(ret, 0, "committed: %s", cf_error_last());
	cf_write_end(&w);
	ret = cf_repo_last_commit(&s.repo, CF_POLICY_PATH, &h);
	is_int(ret, 0, "the policy's last commit");
	ok(has(h.message ? h.message : "", "Coffer-Op: policy-edit\n"),
	   "is the policy edit");
	ok(h.signed_, "signed (require_signed_commits)");
	is_str(h.signer, A, "by alice's key");
	cf_history_entry_release(&h);
	cf_session_release(&s);
}

static void whoami(const char *as, const char *env, int want_ret,
		   const char *want_me, const char *what)
{
	struct cf_session s;
	int ret;

	if (env)
		setenv("COFFER_PRINCIPAL", env, 1);
	else
		unsetenv("COFFER_PRINCIPAL");
	cf_session_init(&s, root.ptr, as);
	ret = cf_session_whoami(&s);
	is_int(ret, want_ret, "whoami %s", what);
	if (want_me) {
		const struct cf_principal *me = cf_session_me(&s);

		is_str(me ? me->name : "(none)", want_me, "whoami %s: me",
		       what);
	} else {
		ok(!cf_session_me(&s), "whoami %s: nobody", what);
		ok(has(cf_error_last(), "mallory"), "naming the principal: %s",
		   cf_error_last());
	}
	cf_session_release(&s);
	unsetenv("COFFER_PRINCIPAL");
}

static void test_whoami(void)
{
	struct cf_session s;
	const struct cf_key *k;

	whoami(NULL, NULL, 0, "alice", "from the keyring");
	whoami(NULL, "bob", 0, "bob", "from COFFER_PRINCIPAL");
	whoami("alice", "bob", 0, "alice", "--as wins over COFFER_PRINCIPAL");
	whoami("bob", NULL, 0, "bob", "from --as");
	whoami("mallory", NULL, CF_EDENIED, NULL, "--as not in the policy");
	whoami(NULL, "mallory", CF_EDENIED, NULL,
	       "COFFER_PRINCIPAL not in the policy");

	cf_session_init(&s, root.ptr, NULL);
	cf_session_whoami(&s);
	k = cf_session_my_key(&s);
	is_str(k ? k->fpr : "(none)", A, "alice's key is in the keyring");
	cf_session_release(&s);
	cf_session_init(&s, root.ptr, "bob");
	cf_session_whoami(&s);
	ok(!cf_session_my_key(&s), "bob's secret key is not");
	cf_session_release(&s);
}

static void allowed(const char *as, enum cf_action act, const char *name,
		    const char *ip, int want, const char *why)
{
	struct cf_session s;
	int ret;

	if (ip)
		setenv("COFFER_SOURCE_IP", ip, 1);
	else
		unsetenv("COFFER_SOURCE_IP");
	cf_session_init(&s, root.ptr, as);
	cf_error_clear();
	ret = cf_session_allowed(&s, act, name);
	is_int(ret, want, "%s may%s %s %s", as, want ? " not" : "",
	       cf_action_name(act), name);
	if (why)
		ok(has(cf_error_last(), why), "saying '%s': %s", why,
		   cf_error_last());
	cf_session_release(&s);
	unsetenv("COFFER_SOURCE_IP");
}

static void test_allowed(void)
{
	allowed("alice", CF_ACT_WRITE, "app/db", NULL, 0, NULL);
	allowed("bob", CF_ACT_READ, "pub/x", NULL, 0, NULL);
	allowed("bob", CF_ACT_WRITE, "pub/x", NULL, CF_EDENIED,
		"principal 'bob' may not write 'pub/x' (deny (implicit))");
	allowed("bob", CF_ACT_READ, "app/db", NULL, CF_EDENIED,
		"may not read 'app/db'");
	allowed("bob", CF_ACT_WRITE, "net/x", NULL, CF_EDENIED,
		"ip_range 10.0.0.0/8 cannot be decided (set COFFER_SOURCE_IP)");
	allowed("bob", CF_ACT_WRITE, "net/x", "192.168.1.1", CF_EDENIED,
		"ip_range 10.0.0.0/8 does not hold");
	allowed("bob", CF_ACT_WRITE, "net/x", "10.1.2.3", 0, NULL);
	allowed("mallory", CF_ACT_READ, "pub/x", NULL, CF_EDENIED, "mallory");
}

/* Writes a new secret name with value as alice (one commit). */
static int write_new(const char *name, const char *value, int hold_lock)
{
	struct cf_session s, s2;
	struct cf_write w, w2;
	struct cf_secret sec;
	char now[CF_TIME_LEN];
	int ret;

	cf_time_format(now, cf_now());
	cf_session_init(&s, root.ptr, NULL);
	cf_secret_init(&sec);
	if ((ret = cf_write_begin(&w, &s)) < 0)
		goto out;
	if (hold_lock) {
		/* a second writer while the first holds the lock */
		cf_session_init(&s2, root.ptr, NULL);
		cf_error_clear();
		ret = cf_write_begin(&w2, &s2);
		is_int(ret, CF_ECONFLICT, "a second write waits and gives up");
		ok(has(cf_error_last(), "store is locked by pid"),
		   "naming the holder: %s", cf_error_last());
		cf_write_end(&w2);
		cf_session_release(&s2);
	}
	if ((ret = cf_secret_create(&sec, now)) < 0)
		goto out;
	cf_secret_set_field(&sec, "value", value, strlen(value));
	cf_secret_new_version(&sec, now, "alice");
	if ((ret = cf_write_secret(&w, &sec, name)) < 0)
		goto out;
	ret = cf_write_commit(&w, &(struct cf_commitmsg){ .op = CF_OP_SET,
		.name = name, .version = 1 });
out:
	cf_write_end(&w);
	cf_secret_release(&sec);
	cf_session_release(&s);
	return ret;
}

static void test_write(void)
{
	struct cf_session s;
	struct cf_write w;
	struct cf_secret sec;
	struct cf_history_entry h;
	struct cf_commitmsg m;
	char *ab[] = { fa, fb };
	const struct cf_field *f;
	int ret;

	ret = write_new("app/db", "correct horse battery", 1);
	is_int(ret, 0, "a new secret written: %s", cf_error_last());
	ok(file_exists("app/db.yaml"), "its file is in the work tree");
	ok(!file_exists(".git/coffer.lock"), "the lock is gone");

	cf_session_init(&s, root.ptr, NULL);
	ret = cf_session_open_secret(&s, &sec, "app/db");
	is_int(ret, 0, "and read back: %s", cf_error_last());
	f = cf_fields_find(&sec.data, "value");
	is_str(f ? secbuf_cstr(&f->plain) : "(none)", "correct horse battery",
	       "the value");
	is_int(cf_meta_version(&sec), 1, "version 1");
	is_str(cf_session_me(&s) ? cf_session_me(&s)->name : "", "alice",
	       "opening it decided who the user is");
	cf_secret_release(&sec);
	ret = cf_session_repo(&s);
	ret = ret < 0 ? ret : cf_repo_last_commit(&s.repo, "app/db.yaml", &h);
	is_int(ret, 0, "the commit of app/db");
	cf_commitmsg_parse(&m, h.message);
	is_int(m.op, CF_OP_SET, "op set");
	ok(m.nsecrets == 1 && !strcmp(m.secrets[0], "app/db"),
	   "one Coffer-Secret trailer: app/db");
	is_int(m.version, 1, "Coffer-Version 1");
	ok(h.signed_ && !strcmp(h.signer, A), "signed by alice");
	is_str(h.author, "alice", "authored by the principal");
	cf_commitmsg_release(&m);
	cf_history_entry_release(&h);
	ret = cf_session_open_secret(&s, &sec, "app/nope");
	is_int(ret, CF_ENOTFOUND, "a secret that does not exist");
	cf_secret_release(&sec);
	cf_session_release(&s);

	cf_session_init(&s, root.ptr, "bob");
	ret = cf_session_open_secret(&s, &sec, "app/db");
	is_int(ret, CF_EDENIED, "bob may not read app/db");
	cf_secret_release(&sec);
	cf_session_release(&s);

	/* the policy's readers of pub/x are alice and bob */
	ret = write_new("pub/x", "shared value 123", 0);
	is_int(ret, 0, "pub/x written");
	cf_session_init(&s, root.ptr, NULL);
	ret = cf_session_open_secret(&s, &sec, "pub/x");
	ok(ret == 0 && cf_secret_recipients_are(&sec, ab, 2,
						 cf_store_pubkeys(&s.st)),
	   "pub/x is encrypted to alice and bob");
	cf_secret_release(&sec);
	cf_session_release(&s);

	/* bob has no secret key to sign with: the write fails with the
	 * signing code, and nothing is written */
	cf_session_init(&s, root.ptr, "bob");
	ret = cf_write_begin(&w, &s);
	is_int(ret, 0, "bob begins a write");
	cf_write_file(&w, "pub/y.yaml", "x\n", 2);
	ret = cf_write_commit(&w, &(struct cf_commitmsg){ .op = CF_OP_SET });
	is_int(ret, CF_EDECRYPT, "no key to sign with: CF_EDECRYPT comes up");
	ok(has(cf_error_last(), "no secret key of bob"), "saying so: %s",
	   cf_error_last());
	cf_write_end(&w);
	ok(!file_exists("pub/y.yaml"), "nothing written");
	cf_session_release(&s);

	/* an uncommitted file under .coffer/ stops every write */
	{
		struct buf p = BUF_INIT;

		buf_addf(&p, "%s/.coffer/junk", root.ptr);
		cf_file_write_atomic(p.ptr, "j\n", 2, 0644);
		cf_session_init(&s, root.ptr, NULL);
		ret = cf_write_begin(&w, &s);
		is_int(ret, CF_ECONFLICT, "a dirty .coffer/ is refused");
		ok(has(cf_error_last(), "uncommitted"), "saying why: %s",
		   cf_error_last());
		cf_write_end(&w);
		cf_session_release(&s);
		unlink(p.ptr);
		buf_release(&p);
	}
	ok(!file_exists(".git/coffer.lock"), "no lock left behind");
}

/* A secret (in memory) with meta key set to t (seconds from now). */
static void status_at(struct cf_session *s, const char *name,
		      const char *key, int64_t t, const char *value,
		      struct cf_status *st, struct cf_secret *sec)
{
	char now[CF_TIME_LEN], when[CF_TIME_LEN];
	char *a[] = { fa };

	cf_time_format(now, cf_now());
	cf_time_format(when, cf_now() + t);
	cf_secret_create(sec, now);
	cf_secret_set_field(sec, "value", value, strlen(value));
	if (key)
		cf_meta_set_str(sec, key, when);
	cf_secret_set_recipients(sec, a, 1, NULL, now);
	cf_status_of(st, &s->st.policy, NULL, sec, name);
}

static void test_status(void)
{
	static const struct { int64_t t; enum cf_expiry_status want; } ex[] = {
		{ -86400, CF_EXPIRY_EXPIRED },
		{ 10 * 86400, CF_EXPIRY_EXPIRING },
		{ 100 * 86400, CF_EXPIRY_OK },
	};
	static const struct {
		int64_t t;
		enum cf_rotation_status want;
	} rot[] = {
		{ -40 * 86400, CF_ROTATION_OVERDUE },
		{ -20 * 86400, CF_ROTATION_DUE },
		{ -86400, CF_ROTATION_OK },
	};
	struct cf_session s;
	struct cf_status st;
	struct cf_secret sec;
	int ret;

	cf_session_init(&s, root.ptr, NULL);
	if (!ok(cf_session_store(&s) == 0, "the store opens"))
		return;
	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		status_at(&s, "app/e", "expires", ex[i].t, "v", &st, &sec);
		is_int(st.expiry, ex[i].want, "expires in %+lld days: %s",
		       (long long)ex[i].t / 86400,
		       cf_expiry_status_name(ex[i].want));
		ret = cf_refuse_if_expired(&sec, "app/e");
		is_int(ret, ex[i].want == CF_EXPIRY_EXPIRED ? CF_EEXPIRED : 0,
		       "cf_refuse_if_expired agrees");
		cf_status_release(&st);
		cf_secret_release(&sec);
	}
	status_at(&s, "app/e", NULL, 0, "v", &st, &sec);
	is_int(st.expiry, CF_EXPIRY_NONE, "no expiry");
	is_int(st.rotation, CF_ROTATION_NONE, "no rotation period");
	ok(!st.drift, "app/e: recipients are the readers (alice)");
	is_int(st.nreaders, 1, "one reader");
	cf_status_release(&st);
	cf_secret_release(&sec);

	status_at(&s, "pub/e", NULL, 0, "v", &st, &sec);
	ok(st.drift, "pub/e encrypted to alice only: drift (bob reads it)");
	is_int(st.nreaders, 2, "two readers");
	cf_status_release(&st);
	cf_secret_release(&sec);

	for (size_t i = 0; i < sizeof(rot) / sizeof(rot[0]); i++) {
		status_at(&s, "rot/k", "updated", rot[i].t, "v", &st, &sec);
		is_int(st.rotation, rot[i].want,
		       "every 30d, updated %lld days ago: %s",
		       -(long long)rot[i].t / 86400,
		       cf_rotation_status_name(rot[i].want));
		cf_status_release(&st);
		cf_secret_release(&sec);
	}

	status_at(&s, "strong/k", NULL, 0, "v", &st, &sec);
	ok(!st.weak, "no strength recorded: not weak");
	cf_status_release(&st);
	cf_meta_set_strength(&sec, 20);
	cf_status_of(&st, &s.st.policy, NULL, &sec, "strong/k");
	ok(st.weak && st.strength > 19.9 && st.strength < 20.1,
	   "20 bits under min_bits 60: weak");
	cf_status_release(&st);
	cf_meta_expose(&sec, "bob", B, "2026-01-01T00:00:00Z");
	cf_status_of(&st, &s.st.policy, NULL, &sec, "strong/k");
	is_int(st.nexposed, 1, "one exposure");
	cf_status_release(&st);
	cf_meta_set_rotation(&sec, "state", "pending");
	is_int(cf_refuse_if_rotating(&sec, "strong/k"), CF_ECONFLICT,
	       "a rotation under way refuses a change");
	cf_secret_release(&sec);
	cf_session_release(&s);
}

static int accept_val(struct cf_session *s, const char *name, const char *field,
		  const char *val, double gen_bits, int allow_weak,
		  double *bits)
{
	struct secbuf v = SECBUF_INIT;
	struct cf_secret sec;
	int ret;

	*bits = -1;
	cf_secret_create(&sec, "2026-01-01T00:00:00Z");
	secbuf_adds(&v, val);
	cf_error_clear();
	ret = cf_accept_value(&s->st.policy, &sec, name, field, &v, gen_bits,
			      allow_weak);
	if (!cf_meta_strength(&sec, bits))
		*bits = -1;
	cf_secret_release(&sec);
	secbuf_release(&v);
	return ret;
}

static void test_accept(void)
{
	struct cf_session s;
	double bits;
	int ret;

	cf_session_init(&s, root.ptr, NULL);
	if (!ok(cf_session_store(&s) == 0, "the store opens"))
		return;
	ret = accept_val(&s, "strong/k", "value", "password1", -1, 0, &bits);
	is_int(ret, CF_EREJECTED, "a weak value under min_bits is rejected");
	ok(has(cf_error_last(), "too weak"), "saying so: %s", cf_error_last());
	ok(!has(cf_error_last(), "password1"), "without the value");
	is_int(bits, -1, "and nothing is recorded");
	ret = accept_val(&s, "strong/k", "user", "password1", -1, 0, &bits);
	is_int(ret, CF_EREJECTED, "min_bits holds for any field");
	ret = accept_val(&s, "strong/k", "value", "password1", -1, 1, &bits);
	is_int(ret, 0, "--allow-weak stores it");
	ok(bits >= 0 && bits < 60, "with its estimate recorded (%g)", bits);
	ret = accept_val(&s, "strong/k", "value", "x", 128, 0, &bits);
	is_int(ret, 0, "a generated value counts its exact entropy");
	ok(bits > 127.9 && bits < 128.1, "128 bits recorded (%g)", bits);
	ret = accept_val(&s, "strong/k", "value", "x", 30, 0, &bits);
	is_int(ret, CF_EREJECTED, "a generated value under min_bits");
	ret = accept_val(&s, "app/k", "value", "password1", -1, 0, &bits);
	is_int(ret, 0, "no min_bits for app/*");
	ret = accept_val(&s, "pin/k", "value", "abc", -1, 0, &bits);
	is_int(ret, CF_EREJECTED, "the validate pattern rejects letters");
	ret = accept_val(&s, "pin/k", "value", "1234", -1, 0, &bits);
	is_int(ret, 0, "and accepts digits");
	ret = accept_val(&s, "pin/k", "user", "abc", -1, 0, &bits);
	is_int(ret, 0, "validate applies to the field value only");
	cf_session_release(&s);
}

int main(void)
{
	struct buf home = BUF_INIT;

	unsetenv("COFFER_STORE");
	unsetenv("COFFER_PRINCIPAL");
	unsetenv("COFFER_SOURCE_IP");
	unsetenv("COFFER_NOW");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("LC_ALL", "C", 1);
	setenv("TZ", "UTC", 1);
	if (!mkdtemp(tmp)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	buf_addf(&home, "%s/home", tmp);
	mkdir(home.ptr, 0700);
	setenv("HOME", home.ptr, 1);
	buf_addf(&home, "/.local/share");
	setenv("XDG_DATA_HOME", home.ptr, 1);
	if (ok(gnupg_setup(tmp) == 0, "a GNUPGHOME with the fixture keys")) {
		test_create();
		if (root.len) {
			test_policy_write();
			test_whoami();
			test_allowed();
			test_write();
			test_status();
			test_accept();
		}
	}
	gnupg_teardown(tmp);
	buf_release(&root);
	buf_release(&home);
	return tap_done();
}
