/* yparse.c: the strict libyaml reader, and cf_yaml_parse, which tries
 * the fast reader first. It sits above both readers; neither calls it. */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "error.h"
#include "yfast.h"
#include "yparse.h"

struct parser {
	yaml_parser_t p;
	yaml_event_t ev;
	int have_ev;
	const char *what;
};

static int perr(struct parser *ps, int line, const char *why)
{
	return cf_error_set(CF_EINTEGRITY, "%s:%d: %s", ps->what, line, why);
}

static int next(struct parser *ps)
{
	if (ps->have_ev)
		yaml_event_delete(&ps->ev);
	ps->have_ev = 0;
	if (!yaml_parser_parse(&ps->p, &ps->ev))
		return cf_error_set(CF_EINTEGRITY, "%s:%zu: malformed YAML: %s",
				    ps->what, ps->p.problem_mark.line + 1,
				    ps->p.problem ? ps->p.problem : "error");
	ps->have_ev = 1;
	return 0;
}

static int line_of(struct parser *ps)
{
	return (int)ps->ev.start_mark.line + 1;
}

/* The next event, which must be of type t (libyaml keeps the stream and
 * document events in order; this only makes sure). */
static int expect(struct parser *ps, yaml_event_type_t t)
{
	int ret;

	if ((ret = next(ps)) < 0)
		return ret;
	if (ps->ev.type != t)
		return perr(ps, line_of(ps), "unexpected YAML event");
	return 0;
}

static int check_tag(struct parser *ps, const unsigned char *tag, int *force_str)
{
	static const char *ok[] = {
		"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
		"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
		"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
	};

	if (!tag)
		return 0;
	/* "!", the non-specific tag, makes a scalar a string (YAML 1.2
	 * 6.9.1): "! 42" is the text 42, as sops reads it */
	if (!strcmp((const char *)tag, "!") ||
	    !strcmp((const char *)tag, "tag:yaml.org,2002:str")) {
		*force_str = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp((const char *)tag, ok[i]))
			return 0;
	return perr(ps, line_of(ps), "YAML tags are not supported");
}

static int parse_node(struct parser *ps, struct cf_ynode **out, int depth);

static int parse_scalar(struct parser *ps, struct cf_ynode **out)
{
	yaml_event_t *e = &ps->ev;
	int force_str = 0, ret;
	struct cf_ynode *n;

	if ((ret = check_tag(ps, e->data.scalar.tag, &force_str)) < 0)
		return ret;
	n = cf_ynode_str((const char *)e->data.scalar.value,
			 e->data.scalar.length);
	n->line = line_of(ps);
	n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		   !force_str;
	/* The event's copy cannot be freed through us: wipe it here. */
	explicit_bzero(e->data.scalar.value, e->data.scalar.length);
	*out = n;
	return 0;
}

static int parse_map(struct parser *ps, struct cf_ynode **out, int depth)
{
	struct cf_ynode *map = cf_ynode_map(), *val = NULL;
	int force_str = 0, ret;

	map->line = line_of(ps);
	if ((ret = check_tag(ps, ps->ev.data.mapping_start.tag,
			     &force_str)) < 0)
		goto out;
	for (;;) {
		char *key;
		int kline;

		if ((ret = next(ps)) < 0)
			goto out;
		if (ps->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (ps->ev.type == YAML_ALIAS_EVENT) {
			ret = perr(ps, line_of(ps), "YAML aliases are refused");
			goto out;
		}
		if (ps->ev.type != YAML_SCALAR_EVENT) {
			ret = perr(ps, line_of(ps), "mapping keys must be strings");
			goto out;
		}
		if (ps->ev.data.scalar.anchor) {
			ret = perr(ps, line_of(ps), "YAML anchors are refused");
			goto out;
		}
		kline = line_of(ps);
		if (memchr(ps->ev.data.scalar.value, '\0',
			   ps->ev.data.scalar.length)) {
			ret = perr(ps, kline, "NUL byte in a key");
			goto out;
		}
		key = xstrndup((const char *)ps->ev.data.scalar.value,
			       ps->ev.data.scalar.length);
		if ((ret = next(ps)) < 0 ||
		    (ret = parse_node(ps, &val, depth + 1)) < 0) {
			free(key);
			goto out;
		}
		if (cf_ymap_add(map, key, kline, val) < 0) {
			free(key);
			ret = perr(ps, kline, "duplicate key");
			goto out;
		}
		val = NULL;
	}
	*out = map;
	map = NULL;
	ret = 0;
out:
	cf_ynode_free(val);
	cf_ynode_free(map);
	return ret;
}

static int parse_seq(struct parser *ps, struct cf_ynode **out, int depth)
{
	struct cf_ynode *seq = cf_ynode_seq(), *item = NULL;
	int force_str = 0, ret;

	seq->line = line_of(ps);
	if ((ret = check_tag(ps, ps->ev.data.sequence_start.tag,
			     &force_str)) < 0)
		goto out;
	for (;;) {
		if ((ret = next(ps)) < 0)
			goto out;
		if (ps->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if ((ret = parse_node(ps, &item, depth + 1)) < 0)
			goto out;
		cf_yseq_add(seq, item);
	}
	*out = seq;
	seq = NULL;
	ret = 0;
out:
	cf_ynode_free(seq);
	return ret;
}

static int parse_node(struct parser *ps, struct cf_ynode **out, int depth)
{
	yaml_event_t *e = &ps->ev;

	if (depth > CF_YAML_MAX_DEPTH)
		return perr(ps, line_of(ps), "nesting is too deep");
	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return perr(ps, line_of(ps), "YAML aliases are refused");
	case YAML_SCALAR_EVENT:
		if (e->data.scalar.anchor)
			break;
		return parse_scalar(ps, out);
	case YAML_MAPPING_START_EVENT:
		if (e->data.mapping_start.anchor)
			break;
		return parse_map(ps, out, depth);
	case YAML_SEQUENCE_START_EVENT:
		if (e->data.sequence_start.anchor)
			break;
		return parse_seq(ps, out, depth);
	default:
		return perr(ps, line_of(ps), "unexpected YAML event");
	}
	return perr(ps, line_of(ps), "YAML anchors are refused");
}

int cf_yaml_parse_libyaml(struct cf_ynode **out, const char *data,
			  size_t len, const char *what)
{
	struct parser ps;
	struct cf_ynode *root = NULL;
	int ret;

	memset(&ps, 0, sizeof(ps));
	ps.what = what;
	*out = NULL;
	if (memchr(data, '\0', len))
		return cf_error_set(CF_EINTEGRITY, "%s: NUL byte in YAML", what);
	if (!yaml_parser_initialize(&ps.p))
		return cf_error_set(CF_EGENERIC, "cannot initialise libyaml");
	yaml_parser_set_input_string(&ps.p, (const unsigned char *)data, len);
	if ((ret = expect(&ps, YAML_STREAM_START_EVENT)) < 0 ||
	    (ret = next(&ps)) < 0)
		goto out;
	if (ps.ev.type == YAML_STREAM_END_EVENT) {
		ret = cf_error_set(CF_EINTEGRITY, "%s: empty YAML document",
				   what);
		goto out;
	}
	if (ps.ev.type != YAML_DOCUMENT_START_EVENT) {
		ret = perr(&ps, line_of(&ps), "unexpected YAML event");
		goto out;
	}
	if ((ret = next(&ps)) < 0 || (ret = parse_node(&ps, &root, 1)) < 0 ||
	    (ret = expect(&ps, YAML_DOCUMENT_END_EVENT)) < 0 ||
	    (ret = next(&ps)) < 0)
		goto out;
	if (ps.ev.type != YAML_STREAM_END_EVENT) {
		ret = perr(&ps, line_of(&ps), "several YAML documents");
		goto out;
	}
	*out = root;
	root = NULL;
	ret = 0;
out:
	if (ps.have_ev)
		yaml_event_delete(&ps.ev);
	yaml_parser_delete(&ps.p);
	cf_ynode_free(root);
	return ret;
}

int cf_yaml_parse(struct cf_ynode **out, const char *data, size_t len,
		  const char *what)
{
	*out = NULL;
	if (memchr(data, '\0', len))
		return cf_error_set(CF_EINTEGRITY, "%s: NUL byte in YAML", what);
	if (cf_yfast_parse(out, data, len))
		return 0;
	return cf_yaml_parse_libyaml(out, data, len, what);
}
