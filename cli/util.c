/* util.c: what commands share: errors, store setup, access checks,
 * reading secrets, the write path, value input and output. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../lib/audit.h"
#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"

static const char *cmd_name(struct ctx *ctx)
{
	return ctx->cmd ? ctx->cmd->name : "coffer";
}

int fail(struct ctx *ctx, int err)
{
	const char *msg = cf_error_last();

	/* lib functions pass a callee's failure on as -1; the error
	 * record keeps the specific code */
	if (err == CF_EGENERIC && cf_error_code() < 0)
		err = cf_error_code();

	fprintf(stderr, "coffer: %s: %s\n", cmd_name(ctx),
		*msg ? msg : "failed");
	return exit_code_of(err < 0 ? err : CF_EGENERIC);
}

int failf(struct ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "coffer: %s: ", cmd_name(ctx));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void warnf(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	fprintf(stderr, "coffer: %s: warning: ", cmd_name(ctx));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *now_str(void)
{
	static char s[CF_TIME_LEN];

	cf_time_format(s, cf_now());
	return s;
}

int need_store(struct ctx *ctx)
{
	struct buf dir = BUF_INIT;
	int ret;

	if (ctx->have_store)
		return 0;
	ret = cf_store_locate(&dir, ctx->store_dir);
	if (ret == 0)
		ret = cf_store_open(&ctx->st, dir.ptr);
	if (ret == 0)
		ret = cf_store_load_policy(&ctx->st);
	buf_release(&dir);
	if (ret < 0) {
		cf_store_release(&ctx->st);
		return ret;
	}
	ctx->have_store = 1;
	return 0;
}

int need_repo(struct ctx *ctx)
{
	int ret;

	if (ctx->have_repo)
		return 0;
	if ((ret = need_store(ctx)) < 0)
		return ret;
	if ((ret = cf_repo_open(&ctx->repo, ctx->st.root)) < 0)
		return ret;
	ctx->have_repo = 1;
	return 0;
}

/* The refusal, saying which condition stood in the way when an allow
 * matched but its conditions did not hold. */
static int denied(struct ctx *ctx, enum cf_action action, const char *name,
		  const struct cf_context *c)
{
	struct cf_explain ex;
	struct buf why = BUF_INIT;
	int ret;

	cf_policy_explain(&ctx->st.policy, ctx->st.me->name, action, name, c,
			  &ex);
	for (size_t i = 0; i < ex.nmatched && !why.len; i++) {
		const struct cf_match *m = &ex.matched[i];

		for (size_t k = 0; k < m->nconds && !why.len; k++) {
			int bad = m->stmt->deny ? m->results[k] != CF_FALSE :
						  m->results[k] != CF_TRUE;

			if (!bad)
				continue;
			if (m->results[k] == CF_UNKNOWN)
				buf_addf(&why, ": %s %s cannot be decided (set COFFER_SOURCE_IP)",
					 m->conds[k]->type, m->conds[k]->values[0]);
			else
				buf_addf(&why, ": %s %s %s", m->conds[k]->type,
					 m->conds[k]->values[0], m->stmt->deny ?
					 "holds for a deny" : "does not hold");
		}
	}
	ret = cf_error_set(CF_EDENIED, "principal '%s' may not %s '%s' (%s%s)",
			   ctx->st.me->name, cf_action_name(action), name,
			   ex.reason, buf_cstr(&why));
	cf_explain_release(&ex);
	buf_release(&why);
	return ret;
}

int need_allowed(struct ctx *ctx, enum cf_action action, const char *name)
{
	struct cf_context c = { cf_now(), getenv("COFFER_SOURCE_IP"), 0 };
	int ret;

	if ((ret = need_store(ctx)) < 0 ||
	    (ret = cf_store_whoami(&ctx->st, ctx->as)) < 0)
		return ret;
	if (!cf_policy_allows(&ctx->st.policy, ctx->st.me->name, action, name,
			      &c))
		return denied(ctx, action, name, &c);
	return 0;
}

/* When nobody said who the user is, the pgp entry that opens tells:
 * one gpg process instead of a key listing plus a decryption. Returns 1
 * if the secret was opened and the user identified, 0 if no entry
 * opened (the caller decides the identity the slow way), < 0 on error. */
static int open_as_whoever(struct ctx *ctx, struct cf_secret *s)
{
	const struct cf_policy *p = &ctx->st.policy;
	const char *as = ctx->as ? ctx->as : getenv("COFFER_PRINCIPAL");

	if (ctx->st.me || (as && *as))
		return 0;
	for (size_t i = 0; i < s->sops.npgp; i++) {
		const struct cf_principal *pr =
			cf_policy_principal_by_fpr(p, s->sops.pgp[i].fp);
		char *fp = s->sops.pgp[i].fp;
		int ret;

		if (!pr)
			continue;
		ret = cf_secret_open(s, &fp, 1);
		if (ret == 0) {
			ctx->st.me = pr;
			return 1;
		}
		if (ret != CF_EDECRYPT)
			return ret;
	}
	return 0;
}

int open_secret(struct ctx *ctx, struct cf_secret *s, const char *name)
{
	const struct cf_principal *me;
	int ret;

	if ((ret = need_store(ctx)) < 0 ||
	    (ret = cf_store_read_secret(s, &ctx->st, name)) < 0 ||
	    (ret = open_as_whoever(ctx, s)) < 0)
		return ret;
	/* allowed is checked before anything is shown, also when the
	 * decryption above already identified the user */
	if ((ret = need_allowed(ctx, CF_ACT_READ, name)) < 0)
		return ret;
	if (s->opened)
		return 0;
	me = ctx->st.me;
	if (!cf_secret_is_recipient(s, me->keys, me->nkeys))
		return cf_error_set(CF_EDECRYPT,
			"'%s' is not encrypted to %s's key (recipient drift: run 'coffer reencrypt')",
			name, me->name);
	ret = cf_secret_open(s, me->keys, me->nkeys);
	if (ret == CF_EDECRYPT)
		cf_error_set(CF_EDECRYPT,
			"cannot decrypt '%s': no secret key of %s in the keyring",
			name, me->name);
	return ret;
}

/* ---- writes ---- */

int write_begin(struct ctx *ctx, struct write *w)
{
	int stale = 0, dirty = 0, ret;

	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	if ((ret = need_repo(ctx)) < 0)
		return ret;
	if ((ret = cf_store_lock(&ctx->st, &stale)) < 0)
		return ret;
	w->locked = 1;
	if (stale)
		warnf(ctx, "took over a stale lock left by a dead process");
	if ((ret = cf_repo_coffer_dirty(&ctx->repo, &dirty)) < 0)
		return ret;
	if (dirty)
		return cf_error_set(CF_ECONFLICT,
			".coffer/ has uncommitted changes; commit or discard them first (policy changes go through 'coffer policy edit')");
	w->txn = xcalloc(1, sizeof(*w->txn));
	cf_txn_init(w->txn, ctx->st.root);
	return 0;
}

void reader_fprs(const struct cf_policy *p, const char *name, char ***out,
		 size_t *n)
{
	const struct cf_principal **r = NULL;
	size_t nr = cf_policy_readers(p, name, cf_now(), &r);

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < r[i]->nkeys; k++) {
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = xstrdup(r[i]->keys[k]);
		}
	free(r);
}

int write_secret(struct write *w, struct cf_secret *s, const char *name)
{
	struct ctx *ctx = w->ctx;
	struct secbuf out = SECBUF_INIT;
	struct buf path = BUF_INIT;
	char **fprs = NULL;
	size_t n = 0, removed = 0;
	int ret;

	reader_fprs(&ctx->st.policy, name, &fprs, &n);
	ret = cf_secret_set_recipients(s, fprs, n, now_str(), &removed);
	if (ret == CF_ENOTFOUND) {
		/* a reader's key is not in this keyring yet: the store
		 * carries every principal's public key */
		for (size_t i = 0; i < n; i++)
			cf_store_import_key(&ctx->st, fprs[i]);
		ret = cf_secret_set_recipients(s, fprs, n, now_str(), &removed);
	}
	if (ret < 0)
		goto out;
	if ((ret = cf_secret_serialize(&out, s, now_str())) < 0)
		goto out;
	buf_addf(&path, "%s.yaml", name);
	cf_txn_put(w->txn, path.ptr, out.ptr, out.len);
out:
	cf_strv_free(fprs, n);
	secbuf_release(&out);
	buf_release(&path);
	return ret;
}

void write_remove(struct write *w, const char *name)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s.yaml", name);
	cf_txn_remove(w->txn, path.ptr);
	buf_release(&path);
}

int write_commit(struct write *w, const char *op, const char *name,
		 long version, const char *msg, const char *extra)
{
	struct ctx *ctx = w->ctx;
	const struct cf_key *key;
	struct cf_commit_info info;
	struct buf m = BUF_INIT;
	char id[41];
	int ret;

	if ((ret = cf_store_whoami(&ctx->st, ctx->as)) < 0)
		goto out;
	/* the listing that names the signing key also gives its e-mail */
	key = cf_store_my_key(&ctx->st);
	if (!key && ctx->st.policy.require_signed_commits) {
		ret = cf_error_set(CF_EDECRYPT,
			"cannot sign the commit: no secret key of %s in the keyring",
			ctx->st.me->name);
		goto out;
	}
	buf_addf(&m, "coffer: %s%s%s\n\n", op, name ? " " : "", name ? name : "");
	if (msg && *msg)
		buf_addf(&m, "%s\n\n", msg);
	buf_addf(&m, "Coffer-Op: %s\n", op);
	/* one trailer per secret the commit touches */
	for (size_t i = 0; i < w->txn->n; i++) {
		const char *p = w->txn->items[i].path;
		size_t l = strlen(p);

		if (strncmp(p, ".coffer/", 8) && l > 5)
			buf_addf(&m, "Coffer-Secret: %.*s\n", (int)(l - 5), p);
	}
	if (version > 0)
		buf_addf(&m, "Coffer-Version: %ld\n", version);
	if (extra)
		buf_adds(&m, extra);
	info.message = m.ptr;
	info.name = ctx->st.me->name;
	info.email = key ? key->email : "";
	info.when = cf_now();
	info.signer = ctx->st.policy.require_signed_commits ? key : NULL;
	ret = cf_txn_commit(w->txn, &ctx->repo, &info, id);
out:
	buf_release(&m);
	return ret;
}

void write_next(struct write *w)
{
	cf_txn_release(w->txn);
	cf_txn_init(w->txn, w->ctx->st.root);
}

void write_end(struct write *w)
{
	if (w->txn) {
		cf_txn_release(w->txn);
		free(w->txn);
		w->txn = NULL;
	}
	if (w->locked)
		cf_store_unlock(&w->ctx->st);
	w->locked = 0;
}

/* ---- input ---- */

static int prompt_line(struct secbuf *out, const char *prompt)
{
	struct termios old, quiet;
	int restore = 0, ret = 0;
	char c;

	secbuf_reset(out);
	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(0, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(0, TCSAFLUSH, &quiet) == 0;
	}
	for (;;) {
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || c == '\n')
			break;
		if (out->len >= CF_VALUE_MAX) {
			ret = cf_error_set(CF_EREJECTED,
				"value is larger than 1 MiB");
			break;
		}
		secbuf_addch(out, c);
	}
	c = 0;
	if (restore)
		tcsetattr(0, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return ret;
}

int read_value(struct secbuf *out, const char *file, int binary)
{
	int ret;

	if (file) {
		/* the user's own file: symlinks are fine here */
		int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);

		if (fd < 0)
			return cf_error_set(errno == ENOENT ? CF_ENOTFOUND :
					    CF_EGENERIC, "cannot open '%s': %s",
					    file, strerror(errno));
		ret = cf_fd_read(out, fd, CF_VALUE_MAX, file);
		close(fd);
		if (ret == CF_EINTEGRITY)
			ret = cf_error_set(CF_EREJECTED,
				"value is larger than 1 MiB");
	} else if (isatty(0)) {
		struct secbuf again = SECBUF_INIT;

		ret = prompt_line(out, "Value: ");
		if (ret == 0)
			ret = prompt_line(&again, "Retype value: ");
		if (ret == 0 && (again.len != out->len ||
				 memcmp(again.ptr, out->ptr, out->len)))
			ret = cf_error_set(CF_EREJECTED, "the values do not match");
		if (ret == 0 && !out->len)
			ret = cf_error_set(CF_EREJECTED, "empty value");
		secbuf_release(&again);
	} else {
		ret = cf_fd_read(out, 0, CF_VALUE_MAX, "standard input");
		if (ret == CF_EINTEGRITY)
			ret = cf_error_set(CF_EREJECTED,
				"value is larger than 1 MiB");
	}
	if (ret < 0)
		return ret;
	if (!binary && memchr(out->ptr, '\0', out->len))
		return cf_error_set(CF_EREJECTED,
			"value contains a NUL byte (use --binary)");
	return 0;
}

/* ---- output ---- */

void out_bytes(const void *data, size_t len)
{
	if (len)
		fwrite(data, 1, len, stdout);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	secbuf_add(data, buffer, size);
	return 0;
}

void out_json(void *json)
{
	struct secbuf b = SECBUF_INIT;

	/* into one buffer, as jansson hands over a few bytes at a time; a
	 * wiping one, as get --json prints values */
	json_dump_callback(json, dump_cb, &b,
			   JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	secbuf_addch(&b, '\n');
	out_bytes(b.ptr, b.len);
	secbuf_release(&b);
	json_decref(json);
}

void xdg_path(struct buf *out, const char *var, const char *dflt,
	      const char *file)
{
	const char *x = getenv(var), *home = getenv("HOME");

	if (x && *x == '/')
		buf_addf(out, "%s/coffer/%s", x, file);
	else
		buf_addf(out, "%s/%s/coffer/%s", home ? home : "", dflt, file);
}

void audit_path(struct buf *out)
{
	xdg_path(out, "XDG_STATE_HOME", ".local/state", "audit.log");
}

void audit_read(struct ctx *ctx, const char *name, long version,
		const char *command)
{
	struct cf_audit_entry e = {
		ctx->st.root, ctx->st.me ? ctx->st.me->name : "?", name,
		version, command,
	};
	struct buf path = BUF_INIT;

	audit_path(&path);
	/* the log is the reader's own record: a failure to write it is
	 * said, but the read stands */
	if (cf_audit_append(path.ptr, &e, cf_now()) < 0)
		warnf(ctx, "not in the audit log: %s", cf_error_last());
	buf_release(&path);
}
