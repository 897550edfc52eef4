/* sops.c: the sops file format: the metadata block, crypt rules, ENC[]
 * values, the data key and the MAC. */
#include "common.h"

#include <string.h>
#include <stdlib.h>

#include "crypt.h"
#include "encode.h"
#include "error.h"
#include "gpg.h"
#include "names.h"
#include "pgp.h"
#include "rules.h"
#include "sops.h"
#include "timeutil.h"

#define MAX_PATH_DEPTH (CF_YAML_MAX_DEPTH + 2)

void cf_sops_meta_release(struct cf_sops_meta *m)
{
	free(m->lastmodified);
	free(m->mac);
	free(m->version);
	for (size_t i = 0; i < m->npgp; i++) {
		free(m->pgp[i].created_at);
		free(m->pgp[i].enc);
		free(m->pgp[i].fp);
	}
	free(m->pgp);
	free(m->rule_value);
	if (m->have_re)
		regfree(&m->re);
	memset(m, 0, sizeof(*m));
}

int cf_sops_meta_set_rule(struct cf_sops_meta *m, enum cf_sops_rule rule,
			  const char *value)
{
	free(m->rule_value);
	if (m->have_re)
		regfree(&m->re);
	m->have_re = 0;
	m->rule = rule;
	m->rule_value = xstrdup(value);
	/* coffer's own rule is a plain choice of two top-level keys:
	 * compare strings instead of compiling it for every file */
	if (rule == CF_RULE_ENC_REGEX && !strcmp(value, CF_SOPS_COFFER_RULE))
		return 0;
	if (rule == CF_RULE_UNENC_REGEX || rule == CF_RULE_ENC_REGEX) {
		if (cf_regex_size(value) > CF_REGEX_MAX_SIZE)
			return cf_error_set(CF_EINTEGRITY,
				"crypt rule regex '%.60s' is too complex", value);
		if (regcomp(&m->re, value, REG_EXTENDED | REG_NOSUB))
			return cf_error_set(CF_EINTEGRITY,
				"crypt rule regex '%s' does not compile", value);
		m->have_re = 1;
	}
	return 0;
}

static char *scalar_dup(const struct cf_ynode *n)
{
	if (!n || n->kind != CF_Y_SCALAR)
		return NULL;
	return xstrndup(n->str, n->len);
}

static int semver_ok(const char *v)
{
	int parts = 0;
	const char *p = v;

	if (*p == 'v')
		p++;
	if (!strncmp(p, "1.", 2))
		return 1;
	for (;;) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		parts++;
		if (*p != '.')
			break;
		p++;
	}
	/* allow pre-release/build suffixes */
	return parts == 3 && (!*p || *p == '-' || *p == '+');
}

uint64_t cf_sops_only_recipient(const char *enc)
{
	uint64_t *ids = NULL, id = 0;
	size_t n = 0;

	if (cf_pgp_pkesk_ids(&ids, &n, enc, strlen(enc)) == 0 && n == 1)
		id = ids[0];	/* CF_PGP_ANYONE is 0 too */
	free(ids);
	return id;
}

static int add_pgp_list(struct cf_sops_meta *m, const struct cf_ynode *list,
			const char *what)
{
	if (list->kind != CF_Y_SEQ)
		return cf_error_set(CF_EINTEGRITY, "%s: sops.pgp is not a list",
				    what);
	for (size_t i = 0; i < list->n; i++) {
		const struct cf_ynode *e = list->items[i];
		struct cf_sops_pgp p = { NULL, NULL, NULL, 0 };
		int64_t t;

		if (e->kind != CF_Y_MAP)
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: pgp entry is not a mapping", what, e->line);
		p.created_at = scalar_dup(cf_ymap_get(e, "created_at"));
		p.enc = scalar_dup(cf_ymap_get(e, "enc"));
		p.fp = scalar_dup(cf_ymap_get(e, "fp"));
		p.only = p.enc ? cf_sops_only_recipient(p.enc) : 0;
		m->pgp = xrealloc(m->pgp, (m->npgp + 1) * sizeof(*m->pgp));
		m->pgp[m->npgp++] = p;
		if (!p.created_at || cf_time_parse(&t, p.created_at) < 0 ||
		    !p.enc || !p.fp)
			return cf_error_set(CF_EINTEGRITY,
				"%s:%d: pgp entry needs created_at, enc and fp",
				what, e->line);
	}
	return 0;
}

int cf_sops_meta_parse(struct cf_sops_meta *m, const struct cf_ynode *sops,
		       const char *what)
{
	static const struct { const char *key; enum cf_sops_rule rule; } rules[] = {
		{ "unencrypted_suffix", CF_RULE_UNENC_SUFFIX },
		{ "encrypted_suffix", CF_RULE_ENC_SUFFIX },
		{ "unencrypted_regex", CF_RULE_UNENC_REGEX },
		{ "encrypted_regex", CF_RULE_ENC_REGEX },
	};
	const struct cf_ynode *n;
	int nrules = 0, ret;
	int64_t t;

	memset(m, 0, sizeof(*m));
	if (!sops)
		return cf_error_set(CF_EINTEGRITY, "%s: sops metadata not found",
				    what);
	if (sops->kind != CF_Y_MAP)
		return cf_error_set(CF_EINTEGRITY,
				    "%s: sops metadata is not a mapping", what);
	m->lastmodified = scalar_dup(cf_ymap_get(sops, "lastmodified"));
	if (!m->lastmodified || cf_time_parse(&t, m->lastmodified) < 0)
		return cf_error_set(CF_EINTEGRITY,
			"%s: sops.lastmodified is missing or not a time", what);
	m->mac = scalar_dup(cf_ymap_get(sops, "mac"));
	m->version = scalar_dup(cf_ymap_get(sops, "version"));
	if (!m->version || !semver_ok(m->version))
		return cf_error_set(CF_EINTEGRITY,
			"%s: sops.version is missing or not a version", what);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		char *v;

		if (!(n = cf_ymap_get(sops, rules[i].key)))
			continue;
		if (++nrules > 1)
			return cf_error_set(CF_EINTEGRITY,
				"%s: more than one crypt rule in sops metadata",
				what);
		if (!(v = scalar_dup(n)))
			return cf_error_set(CF_EINTEGRITY,
				"%s: sops.%s is not a string", what, rules[i].key);
		ret = cf_sops_meta_set_rule(m, rules[i].rule, v);
		free(v);
		if (ret < 0)
			return cf_error_set(ret, "%s: %s", what,
					    cf_error_last());
	}
	if (cf_ymap_get(sops, "unencrypted_comment_regex") ||
	    cf_ymap_get(sops, "encrypted_comment_regex"))
		return cf_error_set(CF_EINTEGRITY,
			"%s: comment-based crypt rules are not supported", what);
	if (!nrules)
		cf_sops_meta_set_rule(m, CF_RULE_UNENC_SUFFIX, "_unencrypted");
	n = cf_ymap_get(sops, "mac_only_encrypted");
	m->mac_only_encrypted = n && n->kind == CF_Y_SCALAR &&
				cf_yscalar_type(n) == CF_YT_BOOL &&
				(n->str[0] == 't' || n->str[0] == 'T');
	if ((n = cf_ymap_get(sops, "pgp")) &&
	    (ret = add_pgp_list(m, n, what)) < 0)
		return ret;
	if ((n = cf_ymap_get(sops, "key_groups"))) {
		if (n->kind != CF_Y_SEQ)
			return cf_error_set(CF_EINTEGRITY,
				"%s: sops.key_groups is not a list", what);
		if (n->n > 1)
			return cf_error_set(CF_EINTEGRITY,
				"%s: several key groups (Shamir) are not supported",
				what);
		if (n->n == 1 && cf_ymap_get(n->items[0], "pgp") &&
		    (ret = add_pgp_list(m, cf_ymap_get(n->items[0], "pgp"),
					what)) < 0)
			return ret;
	}
	if (!m->npgp)
		return cf_error_set(CF_EINTEGRITY,
			"%s: no PGP keys in sops metadata", what);
	return 0;
}

struct cf_ynode *cf_sops_meta_node(const struct cf_sops_meta *m)
{
	static const char *rule_keys[] = {
		"unencrypted_suffix", "encrypted_suffix",
		"unencrypted_regex", "encrypted_regex",
	};
	struct cf_ynode *s = cf_ynode_map(), *list = cf_ynode_seq();

	/* alphabetical, as sops 3.13 writes */
	if (m->rule == CF_RULE_ENC_REGEX || m->rule == CF_RULE_ENC_SUFFIX)
		cf_ymap_set(s, rule_keys[m->rule], cf_ynode_strz(m->rule_value));
	cf_ymap_set(s, "lastmodified", cf_ynode_strz(m->lastmodified));
	if (m->mac)
		cf_ymap_set(s, "mac", cf_ynode_plain(m->mac));
	for (size_t i = 0; i < m->npgp; i++) {
		struct cf_ynode *e = cf_ynode_map();

		cf_ymap_set(e, "created_at", cf_ynode_strz(m->pgp[i].created_at));
		cf_ymap_set(e, "enc", cf_ynode_strz(m->pgp[i].enc));
		cf_ymap_set(e, "fp", cf_ynode_strz(m->pgp[i].fp));
		cf_yseq_add(list, e);
	}
	cf_ymap_set(s, "pgp", list);
	if (m->rule == CF_RULE_UNENC_REGEX || m->rule == CF_RULE_UNENC_SUFFIX)
		cf_ymap_set(s, rule_keys[m->rule], cf_ynode_strz(m->rule_value));
	cf_ymap_set(s, "version", cf_ynode_strz(m->version));
	return s;
}

int cf_sops_datakey(unsigned char key[CF_DATAKEY_LEN],
		    const struct cf_sops_meta *m, char *const *prefer,
		    size_t nprefer)
{
	struct secbuf out = SECBUF_INIT;
	int ret = -1, tried = 0;

	/* pass 0: preferred fingerprints; pass 1: the rest, in order */
	for (int pass = 0; pass < 2 && ret < 0; pass++) {
		for (size_t i = 0; i < m->npgp; i++) {
			int pref = prefer &&
				   cf_fprs_has(prefer, nprefer, m->pgp[i].fp);

			if (pass == 0 ? !pref : (prefer && pref))
				continue;
			tried++;
			if (cf_gpg_decrypt(&out, m->pgp[i].enc,
					   strlen(m->pgp[i].enc)) < 0)
				continue;
			if (out.len != CF_DATAKEY_LEN)
				continue;
			memcpy(key, out.ptr, CF_DATAKEY_LEN);
			ret = 0;
			break;
		}
		/* With a known identity, only its own keys are worth a gpg
		 * process each; others cannot be ours. */
		if (prefer && nprefer && pass == 0)
			break;
	}
	secbuf_release(&out);
	if (ret < 0)
		return cf_error_set(CF_EDECRYPT,
			"no secret key in the keyring opens the data key%s",
			tried ? "" : " (not a recipient)");
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

int cf_sops_path_encrypted(const struct cf_sops_meta *m, char *const *path,
			   size_t depth)
{
	int any = 0;

	for (size_t i = 0; i < depth && !any; i++) {
		switch (m->rule) {
		case CF_RULE_UNENC_SUFFIX:
		case CF_RULE_ENC_SUFFIX:
			any = ends_with(path[i], m->rule_value);
			break;
		case CF_RULE_UNENC_REGEX:
		case CF_RULE_ENC_REGEX:
			if (!m->have_re)	/* CF_SOPS_COFFER_RULE */
				any = !strcmp(path[i], "data") ||
				      !strcmp(path[i], "previous");
			else
				any = regexec(&m->re, path[i], 0, NULL, 0) == 0;
			break;
		}
	}
	if (m->rule == CF_RULE_UNENC_SUFFIX || m->rule == CF_RULE_UNENC_REGEX)
		return !any;
	return any;
}

int cf_sops_enc_value(struct buf *out, const unsigned char *key,
		      const void *pt, size_t len, const char *aad,
		      const char *type)
{
	unsigned char iv[CF_IV_LEN], tag[CF_TAG_LEN], *ct;
	int ret = -1;

	ct = xmalloc(len);
	if ((ret = cf_random(iv, sizeof(iv))) < 0 ||
	    (ret = cf_aes_gcm_encrypt(ct, tag, key, iv, sizeof(iv), aad,
				      strlen(aad), pt, len)) < 0)
		goto out;
	buf_reset(out);
	buf_adds(out, "ENC[AES256_GCM,data:");
	cf_base64_encode(out, ct, len);
	buf_adds(out, ",iv:");
	cf_base64_encode(out, iv, sizeof(iv));
	buf_adds(out, ",tag:");
	cf_base64_encode(out, tag, sizeof(tag));
	buf_addf(out, ",type:%s]", type);
	ret = 0;
out:
	free(ct);
	return ret;
}

/* Splits "ENC[AES256_GCM,data:D,iv:I,tag:T,type:Y]". */
static int enc_split(const char *enc, const char **f, size_t *fl)
{
	static const char *names[] = { "data:", "iv:", "tag:", "type:" };
	const char *p, *end;
	size_t len = strlen(enc);

	if (strncmp(enc, "ENC[AES256_GCM,", 15) || len < 16 ||
	    enc[len - 1] != ']')
		return -1;
	p = enc + 15;
	end = enc + len - 1;
	for (int i = 0; i < 4; i++) {
		const char *stop;
		size_t nl = strlen(names[i]);

		if ((size_t)(end - p) < nl || strncmp(p, names[i], nl))
			return -1;
		p += nl;
		stop = i < 3 ? memchr(p, ',', (size_t)(end - p)) : end;
		if (!stop)
			return -1;
		f[i] = p;
		fl[i] = (size_t)(stop - p);
		p = stop + (i < 3);
	}
	return 0;
}

int cf_sops_dec_value(struct secbuf *out, char type[16],
		      const unsigned char *key, const char *enc,
		      const char *aad)
{
	struct secbuf data = SECBUF_INIT, iv = SECBUF_INIT, tag = SECBUF_INIT;
	const char *f[4];
	size_t fl[4];
	int ret = -1;

	if (enc_split(enc, f, fl) < 0 || fl[3] == 0 || fl[3] > 15) {
		ret = cf_error_set(CF_EINTEGRITY,
			"value at '%s' is not in sops' ENC[] format", aad);
		goto out;
	}
	memcpy(type, f[3], fl[3]);
	type[fl[3]] = '\0';
	if (cf_base64_decode(&data, f[0], fl[0]) < 0 ||
	    cf_base64_decode(&iv, f[1], fl[1]) < 0 ||
	    cf_base64_decode(&tag, f[2], fl[2]) < 0) {
		ret = cf_error_set(CF_EINTEGRITY,
			"value at '%s' has bad base64", aad);
		goto out;
	}
	if (cf_aes_gcm_decrypt(out, key, (unsigned char *)iv.ptr, iv.len,
			       aad, strlen(aad), (unsigned char *)data.ptr,
			       data.len, (unsigned char *)tag.ptr,
			       tag.len) < 0) {
		ret = cf_error_set(CF_EINTEGRITY,
			"value at '%s' does not decrypt (wrong key or tampered)",
			aad);
		goto out;
	}
	ret = 0;
out:
	secbuf_release(&data);
	secbuf_release(&iv);
	secbuf_release(&tag);
	return ret;
}

static void aad_of(struct buf *aad, char *const *path, size_t depth)
{
	buf_reset(aad);
	for (size_t i = 0; i < depth; i++) {
		buf_adds(aad, path[i]);
		buf_addch(aad, ':');
	}
	if (!aad->ptr)
		buf_adds(aad, "");
}

static enum cf_ytype type_of_name(const char *t)
{
	if (!strcmp(t, "str") || !strcmp(t, "bytes"))
		return CF_YT_STR;
	if (!strcmp(t, "int"))
		return CF_YT_INT;
	if (!strcmp(t, "float"))
		return CF_YT_FLOAT;
	if (!strcmp(t, "bool"))
		return CF_YT_BOOL;
	if (!strcmp(t, "time"))
		return CF_YT_TIME;
	return CF_YT_NULL;
}

/* Plain text of a decrypted typed value as it should read back. */
static void display_form(struct cf_ynode *n, enum cf_ytype t,
			 const struct secbuf *canon)
{
	const char *s = canon->ptr ? canon->ptr : "";

	wipe_free(n->str, n->len);
	n->plain = t != CF_YT_STR;
	if (t == CF_YT_BOOL) {
		s = s[0] == 'T' ? "true" : "false";
	} else if (t == CF_YT_FLOAT) {
		if (!strcmp(s, "NaN"))
			s = ".nan";
		else if (!strcmp(s, "+Inf"))
			s = ".inf";
		else if (!strcmp(s, "-Inf"))
			s = "-.inf";
		else if (!strchr(s, '.')) {
			struct secbuf f = SECBUF_INIT;

			secbuf_adds(&f, s);
			secbuf_adds(&f, ".0");
			n->str = xstrndup(f.ptr, f.len);
			n->len = f.len;
			secbuf_release(&f);
			return;
		}
	} else if (t == CF_YT_STR) {
		n->str = xstrndup(canon->ptr ? canon->ptr : "", canon->len);
		n->len = canon->len;
		return;
	}
	n->str = xstrdup(s);
	n->len = strlen(s);
}

/* sops' MACOnlyEncryptedInitialization (sops.go): the 32 bytes of
 * SHA-256("sops"), as `printf sops | sha256sum` prints them. With
 * mac_only_encrypted (sops 3.9.0 and later) the MAC's hash takes these
 * first and then only the values that end up encrypted, so that the two
 * settings never give the same MAC for one document, even one whose every
 * value is encrypted (specs/sops-format.md section 3.3). */
static const unsigned char MAC_ONLY_ENCRYPTED_INIT[32] = {
	0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52,
	0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
	0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6,
	0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
};

/* A walk over a document in sops' order. Two walks share it: hash_node
 * only hashes a plaintext tree (cf_sops_mac), decrypt_node also replaces
 * each encrypted value of a copy by its plaintext (cf_sops_decrypt_tree).
 * Both feed the MAC the canonical form of every value the rules cover. */
struct walk {
	const struct cf_sops_meta *m;
	const unsigned char *key;	/* the data key; decrypt_node only */
	struct cf_sha512 sha;
	char *path[MAX_PATH_DEPTH];	/* the map keys above the value */
	struct buf aad;
	struct secbuf tmp, canon;	/* plaintext */
};

static int walk_begin(struct walk *w, const struct cf_sops_meta *m,
		      const unsigned char *key)
{
	int ret;

	memset(w, 0, sizeof(*w));
	w->m = m;
	w->key = key;
	if ((ret = cf_sha512_init(&w->sha)) < 0)
		return ret;
	if (m->mac_only_encrypted)
		cf_sha512_update(&w->sha, MAC_ONLY_ENCRYPTED_INIT,
				 sizeof(MAC_ONLY_ENCRYPTED_INIT));
	return 0;
}

/* Ends a walk that returned ret: the MAC into out if ret is 0. Wipes the
 * plaintext scratch either way. */
static int walk_end(struct walk *w, int ret, char out[129])
{
	if (ret == 0)
		cf_sha512_final_hex(&w->sha, out);
	else
		cf_sha512_release(&w->sha);
	buf_release(&w->aad);
	secbuf_release(&w->tmp);
	secbuf_release(&w->canon);
	return ret;
}

/* Whether the rules encrypt a scalar, and its type. 1 for a null, which
 * sops neither encrypts nor hashes; 0; or an error. */
static int scalar_kind(int *enc, enum cf_ytype *t, const struct walk *w,
		       const struct cf_ynode *n, size_t depth)
{
	*enc = cf_sops_path_encrypted(w->m, w->path, depth);
	*t = cf_yscalar_type(n);
	if (*t == CF_YT_NULL)
		return 1;
	if (*t == CF_YT_UINT)
		return cf_error_set(CF_EINTEGRITY,
				    "line %d: integer out of range", n->line);
	return 0;
}

/* Adds w->canon to the MAC, unless only encrypted values count. */
static void mac_add(struct walk *w, int enc)
{
	if (enc || !w->m->mac_only_encrypted)
		cf_sha512_update(&w->sha, w->canon.ptr, w->canon.len);
}

/* A value as it stands (clear, or a plaintext tree): checks it and adds
 * its canonical form to the MAC. */
static int hash_value(struct walk *w, const struct cf_ynode *n,
		      enum cf_ytype t, int enc)
{
	if (cf_yvalue_canonical(&w->canon, n->str, n->len, t) < 0)
		return cf_error_set(CF_EINTEGRITY,
			"line %d: value is not a valid scalar", n->line);
	mac_add(w, enc);
	return 0;
}

/* The hash-only walk over a plaintext tree. */
static int hash_node(struct walk *w, const struct cf_ynode *n, size_t depth)
{
	enum cf_ytype t;
	int enc, ret;

	if (n->kind == CF_Y_MAP) {
		if (depth >= MAX_PATH_DEPTH)
			return cf_error_set(CF_EINTEGRITY, "nesting is too deep");
		for (size_t i = 0; i < n->n; i++) {
			w->path[depth] = n->pairs[i].key;
			if ((ret = hash_node(w, n->pairs[i].val, depth + 1)) < 0)
				return ret;
		}
		return 0;
	}
	if (n->kind == CF_Y_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			if ((ret = hash_node(w, n->items[i], depth)) < 0)
				return ret;
		return 0;
	}
	if ((ret = scalar_kind(&enc, &t, w, n, depth)) != 0)
		return ret < 0 ? ret : 0;
	return hash_value(w, n, t, enc);
}

/* Decrypts the ENC[] value n in place and adds its plaintext to the MAC. */
static int decrypt_value(struct walk *w, struct cf_ynode *n, enum cf_ytype t,
			 size_t depth)
{
	char type[16];
	int ret;

	aad_of(&w->aad, w->path, depth);
	if (t != CF_YT_STR)
		return cf_error_set(CF_EINTEGRITY,
				    "value at '%s' is not encrypted", w->aad.ptr);
	if ((ret = cf_sops_dec_value(&w->tmp, type, w->key, n->str,
				     w->aad.ptr)) < 0)
		return ret;
	t = type_of_name(type);
	if (t == CF_YT_NULL)
		return cf_error_set(CF_EINTEGRITY,
				    "value at '%s' has unknown type '%s'",
				    w->aad.ptr, type);
	if (cf_yvalue_canonical(&w->canon, w->tmp.ptr, w->tmp.len, t) < 0)
		return cf_error_set(CF_EINTEGRITY,
				    "value at '%s' is not a valid %s",
				    w->aad.ptr, type);
	display_form(n, t, &w->canon);
	mac_add(w, 1);
	return 0;
}

/* The decrypting walk over a copy of the document. An empty string is
 * left as it is: sops does not encrypt it. */
static int decrypt_node(struct walk *w, struct cf_ynode *n, size_t depth)
{
	enum cf_ytype t;
	int enc, ret;

	if (n->kind == CF_Y_MAP) {
		if (depth >= MAX_PATH_DEPTH)
			return cf_error_set(CF_EINTEGRITY, "nesting is too deep");
		for (size_t i = 0; i < n->n; i++) {
			w->path[depth] = n->pairs[i].key;
			if ((ret = decrypt_node(w, n->pairs[i].val,
						depth + 1)) < 0)
				return ret;
		}
		return 0;
	}
	if (n->kind == CF_Y_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			if ((ret = decrypt_node(w, n->items[i], depth)) < 0)
				return ret;
		return 0;
	}
	if ((ret = scalar_kind(&enc, &t, w, n, depth)) != 0)
		return ret < 0 ? ret : 0;
	if (!enc || (t == CF_YT_STR && n->len == 0))
		return hash_value(w, n, t, enc);
	return decrypt_value(w, n, t, depth);
}

int cf_sops_mac(char out[129], const struct cf_ynode *plain,
		const struct cf_sops_meta *m)
{
	struct walk w;
	int ret;

	if ((ret = walk_begin(&w, m, NULL)) == 0)
		ret = hash_node(&w, plain, 0);
	return walk_end(&w, ret, out);
}

int cf_sops_decrypt_tree(struct cf_ynode **out, const struct cf_ynode *doc,
			 const struct cf_sops_meta *m,
			 const unsigned char *key)
{
	struct cf_ynode *plain = cf_ynode_dup(doc);
	struct secbuf stored = SECBUF_INIT;
	struct walk w;
	char mac[129], type[16];	/* mac: a hash of the plaintext */
	int ret;

	*out = NULL;
	if ((ret = walk_begin(&w, m, key)) == 0)
		ret = decrypt_node(&w, plain, 0);
	if ((ret = walk_end(&w, ret, mac)) < 0)
		goto out;
	if (!m->mac || !*m->mac) {
		ret = cf_error_set(CF_EINTEGRITY, "MAC is missing (no MAC)");
		goto out;
	}
	if (cf_sops_dec_value(&stored, type, key, m->mac, m->lastmodified) < 0 ||
	    stored.len != 128 || memcmp(stored.ptr, mac, 128)) {
		ret = cf_error_set(CF_EINTEGRITY,
			"MAC mismatch: the file was tampered with");
		goto out;
	}
	*out = plain;
	plain = NULL;
	ret = 0;
out:
	explicit_bzero(mac, sizeof(mac));
	cf_ynode_free(plain);
	secbuf_release(&stored);
	return ret;
}

int cf_sops_seal(struct cf_sops_meta *m, const unsigned char *key,
		 const char *mac_hex, const char *lastmodified)
{
	struct buf enc = BUF_INIT;
	int ret;

	if ((ret = cf_sops_enc_value(&enc, key, mac_hex, 128, lastmodified,
				     "str")) < 0) {
		buf_release(&enc);
		return ret;
	}
	free(m->lastmodified);
	m->lastmodified = xstrdup(lastmodified);
	free(m->mac);
	m->mac = buf_detach(&enc);
	return 0;
}
