/* util.c: what commands share: messages and exit codes, starting a
 * write, value input and output. */
#include "../lib/common.h"

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

__attribute__((format(printf, 3, 4)))
static void sayf(struct ctx *ctx, const char *what, const char *fmt, ...);

/* "coffer: <cmd>: <what><message>" on stderr, on one line: the message
 * may hold names and text from files (a pulled store), so controls and
 * bytes that are not UTF-8 are escaped. */
__attribute__((format(printf, 3, 0)))
static void say(struct ctx *ctx, const char *what, const char *fmt,
		va_list ap)
{
	struct buf raw = BUF_INIT, line = BUF_INIT;

	buf_vaddf(&raw, fmt, ap);
	buf_addf(&line, "coffer: %s: %s", cmd_name(ctx), what);
	buf_add_printable(&line, buf_cstr(&raw));
	buf_addch(&line, '\n');
	fputs(line.ptr, stderr);
	buf_release(&raw);
	buf_release(&line);
}

static void sayf(struct ctx *ctx, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(ctx, what, fmt, ap);
	va_end(ap);
}

void session_note(const char *line, void *arg)
{
	sayf(arg, "", "%s", line);
}

int fail(struct ctx *ctx, int err)
{
	const char *msg = cf_error_last();

	sayf(ctx, "", "%s", *msg ? msg : "failed");
	return exit_code_of(err < 0 ? err : CF_EGENERIC);
}

int failf(struct ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(ctx, "", fmt, ap);
	va_end(ap);
	return code;
}

void notef(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	say(ctx, "", fmt, ap);
	va_end(ap);
}

void warnf(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	say(ctx, "warning: ", fmt, ap);
	va_end(ap);
}

int begin_write(struct ctx *ctx, struct cf_write *w)
{
	int ret = cf_write_begin(w, &ctx->sess);

	if (w->stale_lock)
		warnf(ctx, "took over a stale lock left by a dead process");
	return ret;
}

void reenc_msg(struct buf *msg, const struct cf_reenc_stats *st)
{
	buf_addf(msg, "Re-encrypts %zu secrets (%zu with a new data key).",
		 st->changed, st->rekeyed);
	if (st->nfailed)
		buf_addf(msg, " %zu could not be re-encrypted.", st->nfailed);
}

int reenc_done(struct ctx *ctx, int ret, struct cf_reenc_stats *st)
{
	int code = st->nfailed ? EXIT_PROBLEMS : EXIT_OK;

	if (ret < 0) {
		cf_reenc_stats_release(st);
		return fail(ctx, ret);
	}
	/* not quiet: the store is not what the policy says for these */
	for (size_t i = 0; i < st->nfailed; i++)
		sayf(ctx, "", "not re-encrypted, left as it was: %s",
		     st->failed[i]);
	cf_reenc_stats_release(st);
	return code;
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
	explicit_bzero(&c, sizeof(c));
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

void out_line(const char *fmt, ...)
{
	struct buf raw = BUF_INIT, line = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&raw, fmt, ap);
	va_end(ap);
	buf_add_printable(&line, buf_cstr(&raw));
	buf_addch(&line, '\n');
	out_bytes(line.ptr, line.len);
	buf_release(&raw);
	buf_release(&line);
}

void out_bytes(const void *data, size_t len)
{
	if (len)
		fwrite(data, 1, len, stdout);
}

void out_json(void *json)
{
	struct secbuf b = SECBUF_INIT;

	/* into one buffer, as jansson hands over a few bytes at a time; a
	 * wiping one, as get --json prints values */
	cf_json_dump_sec(&b, json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	secbuf_addch(&b, '\n');
	out_bytes(b.ptr, b.len);
	secbuf_release(&b);
	json_decref(json);
}

void audit_read(struct ctx *ctx, const char *name, long version,
		const char *command)
{
	struct cf_audit_entry e = {
		ctx->sess.st.root, ctx->sess.me ? ctx->sess.me : "?", name,
		version, command,
	};
	struct buf path = BUF_INIT;

	cf_audit_path(&path);
	/* the log is the reader's own record: a failure to write it is
	 * said, but the read stands */
	if (cf_audit_append(path.ptr, &e, cf_now()) < 0)
		warnf(ctx, "audit log: %s", cf_error_last());
	buf_release(&path);
}
