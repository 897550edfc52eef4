/* yparse.h: reading YAML text into a tree. cf_yaml_parse is the front
 * door: the fast reader (yfast.h) for the emitter's own layout, libyaml
 * for everything else. */
#ifndef CF_YPARSE_H
#define CF_YPARSE_H

#include <stddef.h>

#include "ytree.h"

/* Parses one YAML document. what names the input in messages. Refuses
 * aliases/anchors, more than CF_YAML_MAX_DEPTH levels, duplicate or
 * non-scalar keys, several documents, and unknown tags (CF_EINTEGRITY). */
int cf_yaml_parse(struct cf_ynode **out, const char *data, size_t len,
		  const char *what);
/* cf_yaml_parse by libyaml alone (for tests of the fast reader). */
int cf_yaml_parse_libyaml(struct cf_ynode **out, const char *data,
			  size_t len, const char *what);

#endif
