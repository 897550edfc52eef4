/* yamlcanon.h: the two readers behind cf_yaml_parse, apart for tests.
 * The fast one reads only the emitter's own layout (yamlcanon.c). */
#ifndef CF_YAMLCANON_H
#define CF_YAMLCANON_H

#include "yamlio.h"

/* 1 and a tree, or 0 if data is not exactly what cf_yaml_emit writes
 * for some tree (then libyaml must read it). data has no NUL. */
int cf_ycanon_parse(struct cf_ynode **out, const char *data, size_t len);
/* cf_yaml_parse by libyaml alone. */
int cf_yaml_parse_libyaml(struct cf_ynode **out, const char *data,
			  size_t len, const char *what);

#endif
