/* metaedit.c: metadata changes, checked, then applied to a secret. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gen.h"
#include "policy.h"
#include "rules.h"
#include "timeutil.h"
#include "metaedit.h"

void cf_meta_edit_init(struct cf_meta_edit *m)
{
	memset(m, 0, sizeof(*m));
}

void cf_meta_edit_release(struct cf_meta_edit *m)
{
	for (size_t i = 0; i < m->ntags; i++) {
		free(m->tag_keys[i]);
		free(m->tag_vals[i]);
	}
	free(m->tag_keys);
	free(m->tag_vals);
	cf_ynode_free(m->validate);
	cf_meta_edit_init(m);
}

static int add(struct cf_meta_edit *m, const char *k, size_t kl, const char *v)
{
	char *key = xstrndup(k, kl);

	if (!cf_field_name_valid(key)) {
		cf_error_set(CF_EUSAGE, "bad tag name '%s'", key);
		free(key);
		return -1;
	}
	m->tag_keys = xrealloc(m->tag_keys, (m->ntags + 1) * sizeof(char *));
	m->tag_vals = xrealloc(m->tag_vals, (m->ntags + 1) * sizeof(char *));
	m->tag_keys[m->ntags] = key;
	m->tag_vals[m->ntags] = v ? xstrdup(v) : NULL;
	m->ntags++;
	return 0;
}

int cf_meta_edit_tag(struct cf_meta_edit *m, const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (!eq)
		return cf_error_set(CF_EUSAGE, "--tag needs K=V, got '%s'", kv);
	return add(m, kv, (size_t)(eq - kv), eq + 1);
}

int cf_meta_edit_untag(struct cf_meta_edit *m, const char *k)
{
	return add(m, k, strlen(k), NULL);
}

int cf_meta_edit_validate(struct cf_meta_edit *m, const char *rules)
{
	cf_ynode_free(m->validate);
	return cf_rules_parse(&m->validate, rules);
}

int cf_meta_edit_check(const struct cf_meta_edit *m)
{
	int64_t t;
	int ret = 0;

	if ((!!m->expires + !!m->ttl + !!m->no_expiry) > 1)
		return cf_error_set(CF_EUSAGE,
			"--expires, --ttl and --no-expiry exclude each other");
	if ((m->expires && (ret = cf_time_parse(&t, m->expires)) < 0) ||
	    (m->ttl && (ret = cf_duration_parse(&t, m->ttl)) < 0) ||
	    (m->rotate_every &&
	     (ret = cf_duration_parse(&t, m->rotate_every)) < 0) ||
	    (m->generator && (ret = cf_gen_check(m->generator)) < 0))
		return ret;
	if (m->hook && *m->hook && !cf_hook_path_valid(m->hook))
		return cf_error_set(CF_EUSAGE,
			"--hook must name a file in .coffer/hooks/");
	return 0;
}

int cf_meta_edit_any(const struct cf_meta_edit *m)
{
	return m->description || m->ntags || m->expires || m->ttl ||
	       m->no_expiry || m->rotate_every || m->generator || m->hook ||
	       m->validate;
}

void cf_meta_edit_apply(const struct cf_meta_edit *m, struct cf_secret *s)
{
	char t[CF_TIME_LEN];
	int64_t v;

	if (m->description) {
		if (*m->description)
			cf_meta_set_str(s, "description", m->description);
		else
			cf_meta_unset(s, "description");
	}
	for (size_t i = 0; i < m->ntags; i++)
		cf_meta_set_tag(s, m->tag_keys[i], m->tag_vals[i]);
	if (m->expires && cf_time_parse(&v, m->expires) == 0) {
		cf_time_format(t, v);
		cf_meta_set_str(s, "expires", t);
	}
	if (m->ttl && cf_duration_parse(&v, m->ttl) == 0) {
		cf_time_format(t, cf_date_now() + v);
		cf_meta_set_str(s, "expires", t);
	}
	if (m->no_expiry)
		cf_meta_unset(s, "expires");
	if (m->rotate_every)
		cf_meta_set_rotation(s, "every", m->rotate_every);
	if (m->generator)
		cf_meta_set_rotation(s, "generator", m->generator);
	if (m->hook)
		cf_meta_set_rotation(s, "hook", *m->hook ? m->hook : NULL);
	if (m->validate)
		cf_meta_set_rules(s, m->validate);
}
