/* metacache.c: the meta of every secret file, kept between runs.
 *
 * A CI job on a fresh clone reads every file (yfast.c makes that
 * fast); at a shell the same store is listed again and again, mostly
 * unchanged. Like git's index, each entry holds a file's stat data
 * (size, inode, mtime and ctime, to the nanosecond) beside what was read
 * from it: the meta mapping, whether there is a previous section, and
 * the recipients. It is used only while lstat gives the same stat data,
 * so any change to the file, by coffer, git or an editor, makes coffer
 * read the file again. The stat data is taken before the file is read,
 * so a change during the read leaves an entry that no longer matches.
 *
 * Only files that parsed cleanly are kept, so check reports a malformed
 * file on every run. A file changed less than RACY_SECS before the run
 * began is not kept: a second change within the same timestamp tick
 * would not show in its stat data (git's "racily clean" entries). The
 * cache is tied to the coffer binary that wrote it (its inode, size and
 * mtime), as another build may check files differently. It is written
 * without fsync and checked by length and CRC-32 when loaded; if
 * anything is wrong with it, it is ignored and written afresh. It holds
 * nothing that the files do not show in clear.
 *
 * Layout, integers little-endian or LEB128 varints (v):
 *   "coffer-meta-cache" NUL, u32 format, binary stat (6 x u64),
 *   v count, then per entry sorted by name:
 *     v name length, name, stat (6 x u64), v blob length, blob;
 *   u32 CRC-32 of all before it.
 * A blob: v recipients, each v length, fingerprint and u64 key ID of its
 * only session-key packet (0: not exactly one); u8 has_prev;
 * the meta node. A node: u8 kind | plain << 2, v line, then a scalar's
 * v length and bytes, a mapping's v count and (v key length, key,
 * v key line, node) each, or a sequence's v count and nodes. */
#include "common.h"

#include <gcrypt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypt.h"
#include "error.h"
#include "fsutil.h"
#include "metacache.h"
#include "parallel.h"
#include "yamlio.h"

#define CACHE_FILE "coffer-meta.cache"
#define MAGIC "coffer-meta-cache"
#define FORMAT 2
#define RACY_SECS 2
#define MAX_FILE (256u << 20)
#define MAX_THREADS 8
#define MIN_PER_THREAD 32	/* fewer: not worth a thread */

struct key {
	uint64_t v[6];	/* size, inode, mtime s, ns, ctime s, ns */
};

struct slot {
	const char *name;
	struct key old_key;
	const unsigned char *old;	/* the old file's blob, or NULL */
	size_t old_len;
	struct key key;			/* this run's, from lstat or the read */
	struct buf fresh;		/* a new blob */
	int keep;			/* write it (old or fresh) back */
};

struct cf_metacache {
	const struct cf_store *st;
	struct slot *slots;
	size_t n;
	size_t nold;		/* entries in the old file */
	struct secbuf raw;	/* the old file */
	struct key exe;
	int usable;		/* the binary's stat data is known */
	int64_t started;
};

/* ---- encoding ---- */

static void put_v(struct buf *b, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		buf_addch(b, (char)(c | (v ? 0x80 : 0)));
	} while (v);
}

static void put_u64(struct buf *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		buf_addch(b, (char)(v >> (8 * i)));
}

static void put_key(struct buf *b, const struct key *k)
{
	for (int i = 0; i < 6; i++)
		put_u64(b, k->v[i]);
}

static void put_str(struct buf *b, const char *s, size_t len)
{
	put_v(b, len);
	buf_add(b, s, len);
}

static void put_node(struct buf *b, const struct cf_ynode *n)
{
	buf_addch(b, (char)(n->kind | (n->plain ? 4 : 0)));
	put_v(b, (uint64_t)(n->line > 0 ? n->line : 0));
	if (n->kind == CF_Y_SCALAR) {
		put_str(b, n->str, n->len);
		return;
	}
	put_v(b, n->n);
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == CF_Y_SEQ) {
			put_node(b, n->items[i]);
			continue;
		}
		put_str(b, n->pairs[i].key, strlen(n->pairs[i].key));
		put_v(b, (uint64_t)(n->pairs[i].line > 0 ? n->pairs[i].line : 0));
		put_node(b, n->pairs[i].val);
	}
}

static void encode(struct buf *b, const struct cf_secret *s)
{
	put_v(b, s->sops.npgp);
	for (size_t i = 0; i < s->sops.npgp; i++) {
		put_str(b, s->sops.pgp[i].fp, strlen(s->sops.pgp[i].fp));
		put_u64(b, s->sops.pgp[i].only);
	}
	buf_addch(b, (char)(s->has_prev != 0));
	put_node(b, s->meta);
}

/* ---- decoding: every read is bounds-checked ---- */

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_v(struct rd *r)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			break;
		v |= (uint64_t)(*r->p & 0x7f) << shift;
		if (!(*r->p++ & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v = 0;

	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	return v;
}

static void get_key(struct rd *r, struct key *k)
{
	for (int i = 0; i < 6; i++)
		k->v[i] = get_u64(r);
}

/* A length-prefixed string in place; NULL if it overruns. */
static const char *get_str(struct rd *r, size_t *len)
{
	uint64_t l = get_v(r);
	const char *s = (const char *)r->p;

	if (r->bad || l > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	r->p += l;
	*len = (size_t)l;
	return s;
}

/* A count of items that take at least a byte each. */
static size_t get_count(struct rd *r)
{
	uint64_t n = get_v(r);

	if (n > (uint64_t)(r->end - r->p))
		r->bad = 1;
	return r->bad ? 0 : (size_t)n;
}

static int get_line(struct rd *r)
{
	uint64_t l = get_v(r);

	if (l > INT32_MAX)
		r->bad = 1;
	return (int)l;
}

static struct cf_ynode *get_node(struct rd *r, int depth)
{
	struct cf_ynode *n = NULL;
	const char *s;
	size_t len, count;
	int tag, line;

	if (depth > CF_YAML_MAX_DEPTH || r->p >= r->end)
		goto bad;
	tag = *r->p++;
	line = get_line(r);
	if (r->bad || (tag & 3) > CF_Y_SEQ || tag > 7 ||
	    ((tag & 4) && (tag & 3) != CF_Y_SCALAR))
		goto bad;
	if ((tag & 3) == CF_Y_SCALAR) {
		if (!(s = get_str(r, &len)))
			goto bad;
		n = cf_ynode_str(s, len);
		n->plain = tag >> 2;
		n->line = line;
		return n;
	}
	n = (tag & 3) == CF_Y_MAP ? cf_ynode_map() : cf_ynode_seq();
	n->line = line;
	count = get_count(r);
	for (size_t i = 0; !r->bad && i < count; i++) {
		struct cf_ynode *v;
		char *key;

		if (n->kind == CF_Y_SEQ) {
			if (!(v = get_node(r, depth + 1)))
				goto bad;
			cf_yseq_add(n, v);
			continue;
		}
		if (!(s = get_str(r, &len)) || memchr(s, '\0', len))
			goto bad;
		line = get_line(r);
		if (r->bad || !(v = get_node(r, depth + 1)))
			goto bad;
		key = xstrndup(s, len);
		if (cf_ymap_add(n, key, line, v) < 0) {
			free(key);
			cf_ynode_free(v);
			goto bad;
		}
	}
	if (r->bad)
		goto bad;
	return n;
bad:
	r->bad = 1;
	cf_ynode_free(n);
	return NULL;
}

static int decode(struct cf_secret *s, const unsigned char *blob, size_t len)
{
	struct rd r = { blob, blob + len, 0 };
	size_t npgp = get_count(&r);

	cf_secret_init(s);
	s->sops.pgp = xcalloc(npgp + 1, sizeof(*s->sops.pgp));
	for (size_t i = 0; !r.bad && i < npgp; i++) {
		size_t l = 0;
		const char *fp = get_str(&r, &l);
		uint64_t only = get_u64(&r);

		if (fp && !r.bad) {
			s->sops.pgp[s->sops.npgp].fp = xstrndup(fp, l);
			s->sops.pgp[s->sops.npgp++].only = only;
		}
	}
	if (!r.bad && r.p < r.end)
		s->has_prev = *r.p++;
	else
		r.bad = 1;
	if (!r.bad)
		s->meta = get_node(&r, 1);
	if (r.bad || r.p != r.end || !s->meta || s->meta->kind != CF_Y_MAP) {
		cf_secret_release(s);
		return -1;
	}
	return 0;
}

/* ---- the file ---- */

static void key_of(struct key *k, const struct stat *sb)
{
	k->v[0] = (uint64_t)sb->st_size;
	k->v[1] = (uint64_t)sb->st_ino;
	k->v[2] = (uint64_t)sb->st_mtim.tv_sec;
	k->v[3] = (uint64_t)sb->st_mtim.tv_nsec;
	k->v[4] = (uint64_t)sb->st_ctim.tv_sec;
	k->v[5] = (uint64_t)sb->st_ctim.tv_nsec;
}

static int same_key(const struct key *a, const struct key *b)
{
	return !memcmp(a->v, b->v, sizeof(a->v));
}

static void crc32_of(unsigned char out[4], const void *data, size_t len)
{
	gcry_md_hash_buffer(GCRY_MD_CRC32, out, data, len);
}

static void cache_path(struct buf *out, const struct cf_store *st)
{
	/* per work tree: its files' stat data are what the cache keeps */
	buf_addf(out, "%s/%s", cf_store_git_dir(st, 0), CACHE_FILE);
}

/* Orders names of alen and blen bytes as strcmp does. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int d = memcmp(a, b, alen < blen ? alen : blen);

	return d ? d : (alen > blen) - (alen < blen);
}

/* Gives each slot its entry from the old file. 0, or -1 if the file is
 * damaged (then no slot may use it). */
static int match_entries(struct cf_metacache *c, struct rd *r)
{
	size_t count = get_count(r), at = 0, prev_len = 0;
	const char *prev = NULL;

	for (size_t i = 0; i < count; i++) {
		size_t len = 0, blen = 0;
		const char *name = get_str(r, &len), *blob;
		struct key k;
		int d = -1;

		get_key(r, &k);
		blob = get_str(r, &blen);
		if (r->bad || memchr(name, '\0', len))
			return -1;
		/* strictly ascending, as cf_store_list sorts */
		if (prev && name_cmp(prev, prev_len, name, len) >= 0)
			return -1;
		prev = name;
		prev_len = len;
		while (at < c->n && (d = name_cmp(c->slots[at].name,
						  strlen(c->slots[at].name),
						  name, len)) < 0)
			at++;
		if (at < c->n && d == 0) {
			c->slots[at].old_key = k;
			c->slots[at].old = (const unsigned char *)blob;
			c->slots[at].old_len = blen;
		}
		c->nold++;
	}
	return r->p == r->end ? 0 : -1;
}

/* Reads the old file, if it is sound and from this binary. */
static void load(struct cf_metacache *c)
{
	struct buf path = BUF_INIT;
	struct rd r;
	unsigned char crc[4];
	struct key exe;

	cache_path(&path, c->st);
	c->raw.nolock = 1;
	if (cf_file_read(&c->raw, path.ptr, MAX_FILE) < 0 ||
	    c->raw.len < sizeof(MAGIC) + 4 + 48 + 1 + 4)
		goto out;
	crc32_of(crc, c->raw.ptr, c->raw.len - 4);
	if (memcmp(crc, c->raw.ptr + c->raw.len - 4, 4) ||
	    memcmp(c->raw.ptr, MAGIC, sizeof(MAGIC)))
		goto out;
	r.p = (const unsigned char *)c->raw.ptr + sizeof(MAGIC);
	r.end = (const unsigned char *)c->raw.ptr + c->raw.len - 4;
	r.bad = 0;
	if (r.p[0] != FORMAT || r.p[1] || r.p[2] || r.p[3])
		goto out;
	r.p += 4;
	get_key(&r, &exe);
	if (r.bad || !same_key(&exe, &c->exe))
		goto out;
	if (match_entries(c, &r) < 0) {
		for (size_t i = 0; i < c->n; i++)
			c->slots[i].old = NULL;
		c->nold = 0;
	}
out:
	buf_release(&path);
}

struct cf_metacache *cf_metacache_open(const struct cf_store *st,
				       char *const *names, size_t n)
{
	struct cf_metacache *c = xcalloc(1, sizeof(*c));
	struct stat sb;

	c->st = st;
	c->n = n;
	c->slots = xcalloc(n + 1, sizeof(*c->slots));
	for (size_t i = 0; i < n; i++)
		c->slots[i].name = names[i];
	c->started = (int64_t)time(NULL);
	/* the binary that runs, as a stand-in for how it checks files */
	if (stat("/proc/self/exe", &sb) == 0 && cf_crypt_init() == 0) {
		key_of(&c->exe, &sb);
		c->usable = 1;
		load(c);
	}
	return c;
}

int cf_metacache_read(struct cf_metacache *c, struct cf_secret *out,
		      size_t i)
{
	struct slot *sl = &c->slots[i];
	struct stat sb;
	int ret;

	/* with an entry, lstat decides; without, the read gives the stat
	 * data (of the file as opened, before it is read) */
	if (sl->old) {
		struct buf path = BUF_INIT;
		struct key k;
		int known;

		buf_addf(&path, "%s/%s.yaml", c->st->root, sl->name);
		known = lstat(path.ptr, &sb) == 0 && S_ISREG(sb.st_mode);
		buf_release(&path);
		if (known) {
			key_of(&k, &sb);
			if (same_key(&k, &sl->old_key) &&
			    decode(out, sl->old, sl->old_len) == 0) {
				sl->key = k;
				sl->keep = 1;
				return 0;
			}
		}
		sl->old = NULL;	/* changed or gone: drop it */
	}
	ret = cf_store_read_listed(out, c->st, sl->name, &sb);
	if (ret == 0 && c->usable &&
	    sb.st_mtim.tv_sec < c->started - RACY_SECS &&
	    sb.st_ctim.tv_sec < c->started - RACY_SECS) {
		key_of(&sl->key, &sb);
		encode(&sl->fresh, out);
		sl->keep = 1;
	}
	return ret;
}

/* ---- on every CPU: the parse is CPU work that threads share well, as
 * the files are independent and only read. Each thread takes the next
 * index, reads it, calls back and frees it. ---- */

struct job {
	struct cf_metacache *c;
	cf_each_fn *fn;
	void *arg;
};

static void work(size_t i, void *arg)
{
	struct job *j = arg;
	struct cf_secret s;
	int ret = cf_metacache_read(j->c, &s, i);

	j->fn(i, ret < 0 ? NULL : &s, ret, ret < 0 ? cf_error_last() : NULL,
	      j->arg);
	cf_secret_release(&s);
}

void cf_metacache_each(struct cf_metacache *c, cf_each_fn *fn, void *arg)
{
	struct job j = { c, fn, arg };
	size_t t = cf_cpus();

	if (t > MAX_THREADS)
		t = MAX_THREADS;
	if (t > c->n / MIN_PER_THREAD)
		t = c->n / MIN_PER_THREAD;
	cf_parallel_for(c->n, t ? t : 1, work, &j);
}

void cf_metacache_close(struct cf_metacache *c, int save)
{
	struct buf out = BUF_INIT, path = BUF_INIT;
	size_t kept = 0, fresh = 0;
	unsigned char crc[4], fmt[4] = { FORMAT, 0, 0, 0 };

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		kept += c->slots[i].keep;
		fresh += c->slots[i].keep && !c->slots[i].old;
	}
	if (save && c->usable && (fresh || kept != c->nold)) {
		buf_add(&out, MAGIC, sizeof(MAGIC));
		buf_add(&out, fmt, 4);
		put_key(&out, &c->exe);
		put_v(&out, kept);
		for (size_t i = 0; i < c->n; i++) {
			const struct slot *sl = &c->slots[i];

			if (!sl->keep)
				continue;
			put_str(&out, sl->name, strlen(sl->name));
			put_key(&out, &sl->key);
			if (sl->old)
				put_str(&out, (const char *)sl->old, sl->old_len);
			else
				put_str(&out, sl->fresh.ptr, sl->fresh.len);
		}
		crc32_of(crc, out.ptr, out.len);
		buf_add(&out, crc, 4);
		cache_path(&path, c->st);
		(void)cf_file_replace(path.ptr, out.ptr, out.len, 0600);
	}
	for (size_t i = 0; i < c->n; i++)
		buf_release(&c->slots[i].fresh);
	secbuf_release(&c->raw);
	buf_release(&out);
	buf_release(&path);
	free(c->slots);
	free(c);
}
