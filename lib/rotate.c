/* rotate.c: rotation with hooks, resume, abort, and what is due. */
#include "common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "commitmsg.h"
#include "crypt.h"
#include "effective.h"
#include "error.h"
#include "gen.h"
#include "hooks.h"
#include "rotate.h"
#include "status.h"
#include "timeutil.h"
#include "versions.h"
#include "write.h"

struct rot {
	struct cf_session *s;
	struct cf_write *w;
	const struct cf_rotate_opts *o;
	const struct cf_hook *hk;
	const char *name;
};

static void report(const struct rot *r, const char *status, long version,
		   const char *what, const char *until)
{
	struct buf d = BUF_INIT;

	if (!r->o->report)
		return;
	if (what)
		buf_addf(&d, "%s%s%s", what, until ? " " : "", until ? until : "");
	r->o->report(r->name, status, version, d.len ? d.ptr : NULL,
		     r->o->arg);
	buf_release(&d);
}

/* ---- the hook's input: JSON on stdin, in wiping memory ---- */

static json_t *fields_json(const struct cf_fields *f)
{
	json_t *o = json_object();

	for (size_t i = 0; i < f->n; i++)
		json_object_set_new(o, f->v[i].name,
				    json_stringn_nocheck(f->v[i].plain.ptr,
							 f->v[i].plain.len));
	return o;
}

static int hook_input(struct secbuf *out, const struct cf_secret *sec,
		      const char *name, const char *step)
{
	json_t *j;
	int ret = 0;

	cf_json_wiping();
	j = json_pack("{s:s, s:s, s:I, s:I, s:o, s:o}", "step", step,
		      "name", name, "version", (json_int_t)cf_meta_version(sec),
		      "previous_version",
		      (json_int_t)(cf_meta_version(sec) - 1),
		      "fields", fields_json(&sec->data),
		      "previous", fields_json(&sec->prev));
	secbuf_reset(out);
	if (cf_json_dump_sec(out, j, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0)
		ret = cf_error_set(CF_EHOOK,
			"hook %s: a value of '%s' is not UTF-8 text, so it cannot go to the hook as JSON",
			step, name);
	secbuf_addch(out, '\n');
	json_decref(j);
	return ret;
}

/* v as jansson writes it inside a JSON string with hook_input's flags
 * (\" \\ \n \t \u001F...): what a hook that echoes its input
 * prints. Empty when v is not UTF-8 (hook_input refuses it anyway). */
static void json_form(struct secbuf *out, const struct secbuf *v)
{
	struct secbuf q = SECBUF_INIT;
	json_t *j = json_stringn_nocheck(v->ptr ? v->ptr : "", v->len);

	secbuf_reset(out);
	if (j && cf_json_dump_sec(&q, j, JSON_COMPACT | JSON_ENCODE_ANY) == 0 &&
	    q.len >= 2)
		secbuf_set(out, q.ptr + 1, q.len - 2);
	json_decref(j);
	secbuf_release(&q);
}

/* What a step's output must not show: each value, and its JSON form
 * where that differs (into esc, which the caller releases). */
static size_t mask_list(const struct secbuf **mask, struct secbuf *esc,
			const struct cf_secret *sec)
{
	const struct cf_fields *f[] = { &sec->data, &sec->prev };
	size_t n = 0, e = 0;

	cf_json_wiping();
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < f[k]->n; i++) {
			const struct secbuf *v = &f[k]->v[i].plain;

			mask[n++] = v;
			json_form(&esc[e], v);
			if (esc[e].len != v->len ||
			    (v->len && memcmp(esc[e].ptr, v->ptr, v->len)))
				mask[n++] = &esc[e++];
		}
	return n;
}

static int step(const struct rot *r, const struct cf_secret *sec,
		const char *what)
{
	size_t nv = sec->data.n + sec->prev.n, n;
	const struct secbuf **mask = xcalloc(2 * nv + 1, sizeof(*mask));
	struct secbuf *esc = xcalloc(nv + 1, sizeof(*esc));
	struct secbuf in = SECBUF_INIT, output = SECBUF_INIT;
	int ret;

	n = mask_list(mask, esc, sec);
	if ((ret = hook_input(&in, sec, r->name, what)) == 0)
		ret = cf_hook_run(r->hk, r->s->st.root, what, &in,
				  r->o->timeout, mask, n, &output);
	if (r->o->output && output.len)
		r->o->output(what, &output, r->o->arg);
	secbuf_release(&in);
	secbuf_release(&output);
	for (size_t i = 0; i <= nv; i++)
		secbuf_release(&esc[i]);
	free(esc);
	free(mask);
	return ret;
}

/* ---- commits ---- */

static int commit_op(const struct rot *r, struct cf_secret *sec,
		     enum cf_op op, const char *msg, enum cf_rotation_mark mark)
{
	int ret;

	/* every rotation commit draws a new data key (SPEC 3): whoever
	 * knew the old one learns nothing of the new value */
	if ((ret = cf_secret_rekey(sec)) < 0 ||
	    (ret = cf_write_secret(r->w, sec, r->name)) < 0 ||
	    (ret = cf_write_commit(r->w, &(struct cf_commitmsg){
			.op = op, .name = r->name,
			.version = cf_meta_version(sec), .body = msg,
			.rotation = mark })) < 0)
		return ret;
	cf_write_next(r->w);
	return 0;
}

static int commit(const struct rot *r, struct cf_secret *sec,
		  const char *msg, enum cf_rotation_mark mark)
{
	return commit_op(r, sec, CF_OP_ROTATE, msg, mark);
}

/* Puts back the value the rotation replaced (the file of the version
 * before, as it was before the rotation began) as a new version, so a
 * version number never names two values (SPEC 6): *version receives it. */
static int restore(const struct rot *r, const struct cf_secret *sec,
		   long *version)
{
	char now[CF_TIME_LEN];
	struct cf_secret old;
	int ret;

	if ((ret = cf_version_read(r->s, r->name, cf_meta_version(sec) - 1, 1,
				   &old)) < 0)
		return ret;
	cf_time_format(now, cf_date_now());
	cf_meta_set_int(&old, "version", cf_meta_version(sec));
	cf_secret_new_version(&old, now, r->s->me);
	*version = cf_meta_version(&old);
	ret = commit_op(r, &old, CF_OP_ROLLBACK, NULL, CF_ROTMARK_ROLLED_BACK);
	cf_secret_release(&old);
	return ret;
}

/* Runs the hook's rollback step and restores the old value. asked: an
 * abort, which succeeds when the value is restored; otherwise why says
 * which step failed and the result is CF_EHOOK. */
static int roll_back(const struct rot *r, const struct cf_secret *sec,
		     const char *why, int asked)
{
	struct buf msg = BUF_INIT, what = BUF_INIT;
	long back = cf_meta_version(sec) - 1, now = 0;
	int ret;

	buf_addf(&msg, "'%s': %s", r->name, why);
	if (r->hk->path && step(r, sec, "rollback") < 0)
		buf_addf(&msg, " (and %s)", cf_error_last());
	if ((ret = restore(r, sec, &now)) < 0) {
		ret = cf_error_set(CF_EHOOK,
			"%s; restoring version %ld failed: %s (the rotation stays under way: 'coffer rotate --abort %s')",
			msg.ptr, back, cf_error_last(), r->name);
	} else {
		buf_addf(&what, "the value of version %ld", back);
		report(r, asked ? "aborted" : "rolled back", now, what.ptr, NULL);
		ret = asked ? 0 : cf_error_set(CF_EHOOK,
			"%s; the value was rolled back: version %ld holds the value of version %ld",
			msg.ptr, now, back);
	}
	buf_release(&what);
	buf_release(&msg);
	return ret;
}

/* set, test, finish from the step the rotation is at. */
static int run_steps(const struct rot *r, struct cf_secret *sec,
		     const char *from)
{
	static const char *const steps[] = { "set", "test" };
	int ret;

	for (size_t i = 0; r->hk->path && strcmp(from, "finish") && i < 2; i++)
		if (step(r, sec, steps[i]) < 0)
			return roll_back(r, sec, cf_error_last(), 0);
	if (r->hk->path && step(r, sec, "finish") < 0) {
		char *why = xstrdup(cf_error_last());

		cf_meta_set_rotation(sec, "state", "finish");
		ret = commit(r, sec, NULL, CF_ROTMARK_FINISH_FAILED);
		if (ret == 0)
			ret = cf_error_set(CF_EHOOK,
				"'%s': %s; the new value is set and tested: 'coffer rotate --resume %s' runs finish again",
				r->name, why, r->name);
		free(why);
		return ret;
	}
	cf_meta_set_rotation(sec, "state", NULL);
	cf_secret_expire_previous(sec, cf_date_now());
	if ((ret = commit(r, sec, r->o->msg, CF_ROTMARK_FINISHED)) < 0)
		return ret;
	report(r, "rotated", cf_meta_version(sec),
	       sec->has_prev ? "previous kept until" : NULL,
	       cf_meta_str(sec, "previous_until"));
	return 0;
}

/* ---- one secret ---- */

static const char *setting(struct cf_session *s, const struct cf_secret *sec,
			   const char *name, const char *key)
{
	return cf_effective_rotation(&s->st.policy, sec, name, key);
}

static int new_value(const struct rot *r, struct cf_secret *sec,
		     struct secbuf *val, double *bits)
{
	const char *spec = r->o->gen ? r->o->gen :
			   setting(r->s, sec, r->name, "generator");

	*bits = -1;
	if (r->o->val) {
		secbuf_set(val, r->o->val->ptr, r->o->val->len);
		return 0;
	}
	return cf_generate(val, bits, spec ? spec : CF_GEN_DEFAULT);
}

static int overlap_of(const struct rot *r, const struct cf_secret *sec,
		      int64_t *out)
{
	const char *d = r->o->overlap ? r->o->overlap :
			setting(r->s, sec, r->name, "overlap");

	return cf_duration_parse(out, d ? d : CF_OVERLAP_DEFAULT);
}

/* Finds the secret's hook, if it has one: hk->path is set once the file
 * is found, and the result says whether it may run. */
static int load_hook(struct cf_session *s, const struct cf_secret *sec,
		     const char *name, struct cf_hook *hk)
{
	const char *rel = setting(s, sec, name, "hook");
	int ret;

	if (!rel)
		return 0;
	if ((ret = cf_hook_load(hk, s->st.root, rel)) < 0)
		return cf_error_set(CF_EHOOK, "'%s': %s; the value is unchanged",
				    name, cf_error_last());
	if (!cf_hook_trusted(hk))
		return cf_error_set(CF_EHOOK,
			"'%s': hook %s is not in your allow-list, or changed since you trusted it; the value is unchanged (review it, then: coffer rotate --trust-hook %s)",
			name, rel, rel);
	return 0;
}

static int begin(const struct rot *r, struct cf_secret *sec)
{
	struct secbuf val = SECBUF_INIT;
	char until[CF_TIME_LEN], now[CF_TIME_LEN];
	int64_t overlap;
	double bits;
	int ret;

	if (cf_meta_is_binary(sec, "value")) {
		ret = cf_error_set(CF_EUSAGE,
			"'%s' holds a binary value; rotate it with 'coffer set --binary'",
			r->name);
		goto out;
	}
	if ((ret = overlap_of(r, sec, &overlap)) < 0 ||
	    (ret = new_value(r, sec, &val, &bits)) < 0)
		goto out;
	if (r->o->msg && cf_contains(r->o->msg, strlen(r->o->msg), val.ptr,
				     val.len)) {
		ret = cf_error_set(CF_EREJECTED,
			"the commit message contains the value; refusing");
		goto out;
	}
	if ((ret = cf_accept_value(&r->s->st.policy, sec, r->name, "value",
				   &val, bits, r->o->allow_weak)) < 0)
		goto out;
	cf_secret_keep_previous(sec);
	cf_meta_set_int(sec, "previous_version", cf_meta_version(sec));
	cf_time_format(until, cf_date_now() + overlap);
	cf_meta_set_str(sec, "previous_until", until);
	cf_secret_set_field(sec, "value", val.ptr, val.len);
	cf_time_format(now, cf_date_now());
	cf_secret_new_version(sec, now, r->s->me);
	if (!r->hk->path) {
		cf_secret_expire_previous(sec, cf_date_now());
		if ((ret = commit(r, sec, r->o->msg, CF_ROTMARK_NONE)) == 0)
			report(r, "rotated", cf_meta_version(sec),
			       sec->has_prev ? "previous kept until" : NULL,
			       until);
		goto out;
	}
	cf_meta_set_rotation(sec, "state", "set");
	if ((ret = commit(r, sec, r->o->msg, CF_ROTMARK_PENDING)) < 0)
		goto out;
	ret = run_steps(r, sec, "set");
out:
	secbuf_release(&val);
	return ret;
}

int cf_rotate(struct cf_session *s, const char *name,
	      enum cf_rotate_mode mode, const struct cf_rotate_opts *o)
{
	struct cf_write w;
	struct cf_hook hk = CF_HOOK_INIT;
	struct rot r = { s, &w, o, &hk, name };
	struct cf_secret sec;
	const char *state;
	int ret;

	memset(&w, 0, sizeof(w));
	cf_secret_init(&sec);
	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = cf_write_begin(&w, s)) < 0 ||
	    (ret = cf_session_open_secret(s, &sec, name)) < 0 ||
	    (ret = cf_session_allowed(s, CF_ACT_ROTATE, name)) < 0)
		goto out;
	state = cf_meta_rotation_state(&sec);
	if (mode != CF_ROTATE_BEGIN && !state) {
		ret = cf_error_set(CF_ECONFLICT,
			"no rotation of '%s' is under way", name);
		goto out;
	}
	if (mode == CF_ROTATE_BEGIN &&
	    (ret = cf_refuse_if_rotating(&sec, name)) < 0)
		goto out;
	/* a hook that is named but gone does not hold up an abort or a
	 * resume; one that is there must be trusted to run */
	if ((ret = load_hook(s, &sec, name, &hk)) < 0 &&
	    (hk.path || mode == CF_ROTATE_BEGIN))
		goto out;
	if (mode == CF_ROTATE_ABORT)
		ret = roll_back(&r, &sec, "rotation aborted", 1);
	else if (mode == CF_ROTATE_RESUME)
		ret = run_steps(&r, &sec, state);
	else
		ret = begin(&r, &sec);
out:
	cf_write_end(&w);
	cf_hook_release(&hk);
	cf_secret_release(&sec);
	return ret;
}

int cf_rotate_describe(struct cf_session *s, const char *name,
		       const struct cf_rotate_opts *o, struct buf *detail,
		       long *version)
{
	const char *gen, *over, *hook;
	struct cf_secret sec;
	struct cf_hook hk = CF_HOOK_INIT;
	int ret;

	if ((ret = cf_name_check(name)) < 0 ||
	    (ret = cf_session_store(s)) < 0 ||
	    (ret = cf_store_read_secret(&sec, &s->st, name)) < 0)
		return ret;
	if ((ret = cf_session_allowed(s, CF_ACT_ROTATE, name)) < 0)
		goto out;
	gen = o->val ? "the value given" : o->gen ? o->gen :
	      setting(s, &sec, name, "generator");
	over = o->overlap ? o->overlap : setting(s, &sec, name, "overlap");
	hook = setting(s, &sec, name, "hook");
	buf_addf(detail, "generator %s, overlap %s",
		 gen ? gen : CF_GEN_DEFAULT, over ? over : CF_OVERLAP_DEFAULT);
	if (hook) {
		int trusted = load_hook(s, &sec, name, &hk) == 0;

		buf_addf(detail, ", hook %s (%s)", hook, trusted ? "trusted" :
			 "not trusted: it would not run");
	}
	if (cf_meta_rotation_state(&sec))
		buf_addf(detail, ", a rotation is under way (step %s)",
			 cf_meta_rotation_state(&sec));
	*version = cf_meta_version(&sec) + 1;
	ret = 0;
out:
	cf_hook_release(&hk);
	cf_secret_release(&sec);
	return ret;
}

struct due {
	const struct cf_policy *p;
	char *marks;
};

/* Marks secret i if its rotation is overdue (on a worker thread); check
 * reports a file that cannot be read. */
static void mark_due(size_t i, const char *name, const struct cf_secret *sec,
		     int ret, const char *err, void *arg)
{
	struct due *d = arg;
	struct cf_status st;

	(void)ret;
	(void)err;
	if (!sec)
		return;
	cf_status_of(&st, d->p, NULL, sec, name);
	d->marks[i] = st.rotation == CF_ROTATION_OVERDUE;
	cf_status_release(&st);
}

int cf_rotate_due(struct cf_session *s, char ***out, size_t *nout)
{
	char **names = NULL;
	struct due d;
	size_t n = 0;
	int ret;

	*out = NULL;
	*nout = 0;
	if ((ret = cf_session_store(s)) < 0 ||
	    (ret = cf_store_list(&s->st, NULL, &names, &n)) < 0)
		return ret;
	d.p = &s->st.policy;
	d.marks = xcalloc(n + 1, 1);
	cf_each_listed(&s->st, names, n, 1, mark_due, &d);
	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		if (d.marks[i])
			(*out)[(*nout)++] = names[i];
		else
			free(names[i]);
	}
	free(names);
	free(d.marks);
	return 0;
}
