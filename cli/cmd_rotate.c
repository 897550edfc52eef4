/* cmd_rotate.c: coffer rotate gives secrets a new value while the old
 * one stays readable as @previous for the overlap (SPEC 6). With a hook
 * the new value is committed as pending, the hook's set and test steps
 * run, and a finishing commit ends the rotation; a failing step runs
 * rollback and restores the old value. --resume and --abort finish or
 * undo a rotation that was interrupted; --due rotates what is overdue. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/gen.h"
#include "../lib/timeutil.h"
#include "accept.h"
#include "cli.h"
#include "exit.h"
#include "hooks.h"
#include "status.h"
#include "versions.h"

#define OVERLAP_DEFAULT "1h"

enum {
	O_GEN, O_FROM, O_STDIN, O_OVERLAP, O_DUE, O_DRY, O_RESUME, O_ABORT,
	O_TRUST, O_TIMEOUT, O_ALLOW_WEAK, O_MSG, O_JSON,
};

struct rot {
	struct ctx *ctx;
	const char *gen, *file, *overlap, *msg;
	int use_stdin, due, dry_run, resume, abort_, allow_weak;
	int64_t timeout;
	struct secbuf val;		/* a supplied value */
	int have_val;
	json_t *report;			/* with --json */
};

static void report(struct rot *o, const char *name, const char *status,
		   long version, const char *what, const char *until)
{
	struct buf d = BUF_INIT;

	if (what)
		buf_addf(&d, "%s%s%s", what, until ? " " : "", until ? until : "");
	if (o->report) {
		json_array_append_new(o->report, json_pack("{s:s, s:s, s:I, s:s}",
			"name", name, "status", status,
			"version", (json_int_t)version, "detail", buf_cstr(&d)));
	} else if (!o->ctx->quiet) {
		printf("%s %s: version %ld%s%s\n", status, name, version,
		       d.len ? ", " : "", buf_cstr(&d));
	}
	buf_release(&d);
}

/* ---- the hook's input: JSON on stdin, built in wiping memory ---- */

static void json_str(struct secbuf *out, const char *s, size_t len)
{
	secbuf_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c == '"' || c == '\\') {
			secbuf_addch(out, '\\');
			secbuf_addch(out, (char)c);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			secbuf_adds(out, esc);
		} else {
			secbuf_addch(out, (char)c);
		}
	}
	secbuf_addch(out, '"');
}

static void json_fields(struct secbuf *out, const struct cf_fields *f)
{
	secbuf_addch(out, '{');
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			secbuf_addch(out, ',');
		json_str(out, f->v[i].name, strlen(f->v[i].name));
		secbuf_addch(out, ':');
		json_str(out, f->v[i].plain.ptr, f->v[i].plain.len);
	}
	secbuf_addch(out, '}');
}

static void hook_input(struct secbuf *out, const struct cf_secret *s,
		       const char *name, const char *step)
{
	char num[64];

	secbuf_reset(out);
	secbuf_adds(out, "{\"step\":");
	json_str(out, step, strlen(step));
	secbuf_adds(out, ",\"name\":");
	json_str(out, name, strlen(name));
	snprintf(num, sizeof(num), ",\"version\":%ld,\"previous_version\":%ld",
		 cf_meta_version(s), cf_meta_version(s) - 1);
	secbuf_adds(out, num);
	secbuf_adds(out, ",\"fields\":");
	json_fields(out, &s->data);
	secbuf_adds(out, ",\"previous\":");
	json_fields(out, &s->prev);
	secbuf_adds(out, "}\n");
}

static int step(struct rot *o, const struct hook *hk, const struct cf_secret *s,
		const char *name, const char *what)
{
	const struct secbuf **mask;
	struct secbuf in = SECBUF_INIT;
	struct buf prefix = BUF_INIT;
	size_t n = 0;
	int ret;

	mask = xcalloc(s->data.n + s->prev.n + 1, sizeof(*mask));
	for (size_t i = 0; i < s->data.n; i++)
		mask[n++] = &s->data.v[i].plain;
	for (size_t i = 0; i < s->prev.n; i++)
		mask[n++] = &s->prev.v[i].plain;
	hook_input(&in, s, name, what);
	buf_addf(&prefix, "coffer: rotate: hook %s: ", what);
	ret = hook_run(hk, o->ctx->st.root, what, &in, o->timeout, mask, n,
		       prefix.ptr);
	secbuf_release(&in);
	buf_release(&prefix);
	free(mask);
	return ret;
}

/* ---- commits ---- */

static int commit(struct write *w, struct cf_secret *s, const char *name,
		  const char *msg, const char *trailer)
{
	int ret;

	if ((ret = write_secret(w, s, name)) < 0 ||
	    (ret = write_commit(w, "rotate", name, cf_meta_version(s), msg,
				trailer)) < 0)
		return ret;
	write_next(w);
	return 0;
}

/* Puts back the value the rotation replaced: the file of the version
 * before, as it was before the rotation began. */
static int restore(struct rot *o, struct write *w, const struct cf_secret *s,
		   const char *name)
{
	struct cf_secret old;
	int ret;

	if ((ret = read_version(o->ctx, name, cf_meta_version(s) - 1, 1,
				&old)) < 0)
		return ret;
	ret = commit(w, &old, name, NULL, "Coffer-Rotation: rolled-back\n");
	cf_secret_release(&old);
	return ret;
}

/* Runs the hook's rollback step and restores the old value. asked: an
 * --abort, which succeeds when the value is restored; otherwise why
 * says which step failed and the result is CF_EHOOK. */
static int roll_back(struct rot *o, struct write *w, const struct hook *hk,
		     const struct cf_secret *s, const char *name,
		     const char *why, int asked)
{
	struct buf msg = BUF_INIT;
	long back = cf_meta_version(s) - 1;
	int ret;

	buf_addf(&msg, "'%s': %s", name, why);
	if (hk->path && step(o, hk, s, name, "rollback") < 0)
		buf_addf(&msg, " (and %s)", cf_error_last());
	if ((ret = restore(o, w, s, name)) < 0) {
		ret = cf_error_set(CF_EHOOK,
			"%s; restoring version %ld failed: %s (the rotation stays under way: 'coffer rotate --abort %s')",
			msg.ptr, back, cf_error_last(), name);
	} else {
		report(o, name, asked ? "aborted" : "rolled back", back, NULL, NULL);
		ret = asked ? 0 : cf_error_set(CF_EHOOK,
			"%s; the value was rolled back to version %ld", msg.ptr,
			back);
	}
	buf_release(&msg);
	return ret;
}

/* set, test, finish from the step the rotation is at. */
static int run_steps(struct rot *o, struct write *w, const struct hook *hk,
		     struct cf_secret *s, const char *name, const char *from)
{
	static const char *const steps[] = { "set", "test" };
	int ret;

	for (size_t i = 0; hk->path && strcmp(from, "finish") && i < 2; i++)
		if (step(o, hk, s, name, steps[i]) < 0)
			return roll_back(o, w, hk, s, name, cf_error_last(), 0);
	if (hk->path && step(o, hk, s, name, "finish") < 0) {
		char *why = xstrdup(cf_error_last());

		cf_meta_set_rotation(s, "state", "finish");
		ret = commit(w, s, name, NULL, "Coffer-Rotation: finish-failed\n");
		if (ret == 0)
			ret = cf_error_set(CF_EHOOK,
				"'%s': %s; the new value is set and tested: 'coffer rotate --resume %s' runs finish again",
				name, why, name);
		free(why);
		return ret;
	}
	cf_meta_set_rotation(s, "state", NULL);
	cf_secret_expire_previous(s, cf_now());
	if ((ret = commit(w, s, name, o->msg, "Coffer-Rotation: finished\n")) < 0)
		return ret;
	report(o, name, "rotated", cf_meta_version(s),
	       s->has_prev ? "previous kept until" : NULL,
	       cf_meta_str(s, "previous_until"));
	return 0;
}

/* ---- one secret ---- */

static int new_value(struct rot *o, struct cf_secret *s, const char *name,
		     struct secbuf *val, double *bits)
{
	const char *spec = o->gen ? o->gen :
		effective_rotation(o->ctx, s, name, "generator");

	*bits = -1;
	if (o->have_val) {
		secbuf_set(val, o->val.ptr, o->val.len);
		return 0;
	}
	return cf_generate(val, bits, spec ? spec : CF_GEN_DEFAULT);
}

static int overlap_of(struct rot *o, const struct cf_secret *s,
		      const char *name, int64_t *out)
{
	const char *d = o->overlap ? o->overlap :
		effective_rotation(o->ctx, s, name, "overlap");

	return cf_duration_parse(out, d ? d : OVERLAP_DEFAULT);
}

/* Finds the secret's hook, if it has one: hk->path is set once the file
 * is found, and the result says whether it may run. */
static int load_hook(struct rot *o, const struct cf_secret *s,
		     const char *name, struct hook *hk)
{
	const char *rel = effective_rotation(o->ctx, s, name, "hook");
	int ret;

	if (!rel)
		return 0;
	if ((ret = hook_load(hk, o->ctx->st.root, rel)) < 0)
		return cf_error_set(CF_EHOOK, "'%s': %s; the value is unchanged",
				    name, cf_error_last());
	if (!hook_trusted(hk))
		return cf_error_set(CF_EHOOK,
			"'%s': hook %s is not in your allow-list, or changed since you trusted it; the value is unchanged (review it, then: coffer rotate --trust-hook %s)",
			name, rel, rel);
	return 0;
}

static int begin(struct rot *o, struct write *w, const struct hook *hk,
		 struct cf_secret *s, const char *name)
{
	struct secbuf val = SECBUF_INIT;
	char until[CF_TIME_LEN];
	int64_t overlap;
	double bits;
	int ret;

	if (cf_meta_is_binary(s, "value")) {
		ret = cf_error_set(CF_EUSAGE,
			"'%s' holds a binary value; rotate it with 'coffer set --binary'",
			name);
		goto out;
	}
	if ((ret = overlap_of(o, s, name, &overlap)) < 0 ||
	    (ret = new_value(o, s, name, &val, &bits)) < 0 ||
	    (ret = accept_value(o->ctx, s, name, "value", &val, bits,
				o->allow_weak)) < 0)
		goto out;
	cf_secret_keep_previous(s);
	cf_meta_set_int(s, "previous_version", cf_meta_version(s));
	cf_time_format(until, cf_now() + overlap);
	cf_meta_set_str(s, "previous_until", until);
	cf_secret_set_field(s, "value", val.ptr, val.len);
	cf_secret_new_version(s, now_str(), o->ctx->st.me->name);
	if (!hk->path) {
		cf_secret_expire_previous(s, cf_now());
		if ((ret = commit(w, s, name, o->msg, NULL)) == 0)
			report(o, name, "rotated", cf_meta_version(s),
			       s->has_prev ? "previous kept until" : NULL, until);
		goto out;
	}
	cf_meta_set_rotation(s, "state", "set");
	if ((ret = commit(w, s, name, o->msg, "Coffer-Rotation: pending\n")) < 0)
		goto out;
	ret = run_steps(o, w, hk, s, name, "set");
out:
	secbuf_release(&val);
	return ret;
}

static int rotate_one(struct rot *o, const char *name)
{
	struct ctx *ctx = o->ctx;
	struct write w = { NULL, NULL, 0 };
	struct hook hk = { NULL, "" };
	struct cf_secret s;
	const char *state;
	int ret;

	cf_secret_init(&s);
	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = write_begin(ctx, &w)) < 0 ||
	    (ret = open_secret(ctx, &s, name)) < 0 ||
	    (ret = need_allowed(ctx, CF_ACT_ROTATE, name)) < 0)
		goto out;
	state = rotation_state(&s);
	if ((o->resume || o->abort_) && !state) {
		ret = cf_error_set(CF_ECONFLICT,
			"no rotation of '%s' is under way", name);
		goto out;
	}
	if (!o->resume && !o->abort_ && (ret = refuse_if_rotating(&s, name)) < 0)
		goto out;
	/* a hook that is named but gone does not hold up an --abort or
	 * --resume; one that is there must be trusted to run */
	if ((ret = load_hook(o, &s, name, &hk)) < 0 &&
	    (hk.path || (!o->abort_ && !o->resume)))
		goto out;
	if (o->abort_)
		ret = roll_back(o, &w, &hk, &s, name, "rotation aborted", 1);
	else if (o->resume)
		ret = run_steps(o, &w, &hk, &s, name, state);
	else
		ret = begin(o, &w, &hk, &s, name);
out:
	write_end(&w);
	hook_release(&hk);
	cf_secret_release(&s);
	return ret;
}

/* ---- --dry-run and --due ---- */

static int describe(struct rot *o, const char *name)
{
	struct ctx *ctx = o->ctx;
	const char *gen, *over, *hook;
	struct cf_secret s;
	struct hook hk = { NULL, "" };
	struct buf d = BUF_INIT;
	int ret;

	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = need_store(ctx)) < 0 ||
	    (ret = cf_store_read_secret(&s, &ctx->st, name)) < 0)
		return ret;
	if ((ret = need_allowed(ctx, CF_ACT_ROTATE, name)) < 0)
		goto out;
	gen = o->have_val ? "the value given" : o->gen ? o->gen :
	      effective_rotation(ctx, &s, name, "generator");
	over = o->overlap ? o->overlap :
	       effective_rotation(ctx, &s, name, "overlap");
	hook = effective_rotation(ctx, &s, name, "hook");
	buf_addf(&d, "generator %s, overlap %s", gen ? gen : CF_GEN_DEFAULT,
		 over ? over : OVERLAP_DEFAULT);
	if (hook) {
		int trusted = load_hook(o, &s, name, &hk) == 0;

		buf_addf(&d, ", hook %s (%s)", hook, trusted ? "trusted" :
			 "not trusted: it would not run");
	}
	if (rotation_state(&s))
		buf_addf(&d, ", a rotation is under way (step %s)",
			 rotation_state(&s));
	report(o, name, "would rotate", cf_meta_version(&s) + 1, d.ptr, NULL);
	ret = 0;
out:
	hook_release(&hk);
	buf_release(&d);
	cf_secret_release(&s);
	return ret;
}

/* Marks secret i if its rotation is overdue (on a worker thread). */
static void mark_due(struct ctx *ctx, size_t i, const char *name,
		     const struct cf_secret *s, int ret, const char *err,
		     void *arg)
{
	char *due = arg;
	struct status st;

	(void)ret;
	(void)err;	/* check reports a file that cannot be read */
	if (!s)
		return;
	status_of(&st, ctx, s, name);
	due[i] = !strcmp(st.rotation, "overdue");
	status_release(&st);
}

/* Names whose rotation is overdue (meta only, no GnuPG). */
static int due_names(struct ctx *ctx, char ***out, size_t *nout)
{
	char **names = NULL, *due;
	size_t n = 0;
	int ret;

	*out = NULL;
	*nout = 0;
	if ((ret = need_store(ctx)) < 0 ||
	    (ret = cf_store_list(&ctx->st, NULL, &names, &n)) < 0)
		return ret;
	due = xcalloc(n + 1, 1);
	for_each_listed(ctx, names, n, 1, mark_due, due);
	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		if (due[i])
			(*out)[(*nout)++] = names[i];
		else
			free(names[i]);
	}
	free(names);
	free(due);
	return 0;
}

static int trust(struct ctx *ctx, const char *path)
{
	struct hook hk;
	int ret = hook_trust(&hk, path);

	if (ret < 0)
		return fail(ctx, ret);
	printf("%s  %s\n", hk.sha, hk.path);
	hook_release(&hk);
	return EXIT_OK;
}

int cmd_rotate(int argc, char **argv, struct ctx *ctx)
{
	struct rot o;
	const char *arg, *trust_path = NULL;
	char **names = NULL;
	size_t n = 0;
	int c, ret = 0, first = 0, modes;

	memset(&o, 0, sizeof(o));
	o.ctx = ctx;
	o.timeout = HOOK_TIMEOUT_DEFAULT;
	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		switch (c) {
		case 'g': o.gen = arg; break;
		case OPT_LONG(O_FROM): o.file = arg; break;
		case OPT_LONG(O_STDIN): o.use_stdin = 1; break;
		case OPT_LONG(O_OVERLAP): o.overlap = arg; break;
		case OPT_LONG(O_DUE): o.due = 1; break;
		case 'n': o.dry_run = 1; break;
		case OPT_LONG(O_RESUME): o.resume = 1; break;
		case OPT_LONG(O_ABORT): o.abort_ = 1; break;
		case OPT_LONG(O_TRUST): trust_path = arg; break;
		case OPT_LONG(O_TIMEOUT):
			if (cf_duration_parse(&o.timeout, arg) < 0 || !o.timeout)
				return usage_error(ctx, "%s", cf_error_last());
			break;
		case OPT_LONG(O_ALLOW_WEAK): o.allow_weak = 1; break;
		case 'm': o.msg = arg; break;
		case OPT_LONG(O_JSON): ctx->json = 1; break;
		default: return cmd_optdone(ctx, c);
		}
	}
	if (trust_path) {
		if (optind < argc || o.due || o.resume || o.abort_)
			return usage_error(ctx, "--trust-hook takes no NAME");
		return trust(ctx, trust_path);
	}
	modes = o.due + o.resume + o.abort_;
	if (modes > 1)
		return usage_error(ctx, "--due, --resume and --abort exclude each other");
	if (o.due && optind < argc)
		return usage_error(ctx, "--due takes no NAME");
	if (!o.due && optind >= argc)
		return usage_error(ctx, "missing NAME (or --due)");
	if (!!o.gen + !!o.file + o.use_stdin > 1)
		return usage_error(ctx, "--generate, --from-file and --stdin exclude each other");
	if ((o.file || o.use_stdin) && (o.due || argc - optind != 1))
		return usage_error(ctx, "a value from --from-file or --stdin rotates one NAME");
	if ((o.resume || o.abort_) && (o.gen || o.file || o.use_stdin || o.overlap))
		return usage_error(ctx, "--resume and --abort take no new value");
	if ((o.gen && (ret = cf_gen_check(o.gen)) < 0) ||
	    (o.overlap && (ret = cf_duration_parse(&(int64_t){ 0 }, o.overlap)) < 0))
		return usage_error(ctx, "%s", cf_error_last());
	if ((o.file || o.use_stdin) && !o.dry_run) {
		/* read before the lock: a prompt must not hold it */
		if ((ret = read_value(&o.val, o.file, 0)) < 0)
			goto out;
		o.have_val = 1;
	}
	if (ctx->json)
		o.report = json_array();
	if (o.due) {
		if ((ret = due_names(ctx, &names, &n)) < 0)
			goto out;
	} else {
		n = (size_t)(argc - optind);
		names = xcalloc(n, sizeof(*names));
		for (size_t i = 0; i < n; i++)
			names[i] = xstrdup(argv[optind + (int)i]);
	}
	for (size_t i = 0; i < n; i++) {
		ret = o.dry_run ? describe(&o, names[i]) : rotate_one(&o, names[i]);
		if (ret < 0) {
			/* go on with the others; the first failure decides */
			int code = fail(ctx, ret);

			if (!first)
				first = code;
			if (o.report)
				json_array_append_new(o.report, json_pack(
					"{s:s, s:s, s:s}", "name", names[i],
					"status", "failed", "detail",
					cf_error_last()));
		}
	}
	if (o.due && !n && !ctx->quiet && !o.report)
		fprintf(stderr, "coffer: rotate: nothing is due\n");
	ret = 0;
out:
	if (o.report)
		out_json(o.report);
	cf_strv_free(names, n);
	secbuf_release(&o.val);
	if (ret < 0)
		return fail(ctx, ret);
	return first;
}
