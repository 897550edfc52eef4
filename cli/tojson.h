/* tojson.h: YAML tree to jansson. */
#ifndef CF_TOJSON_H
#define CF_TOJSON_H

#include "../lib/yamlio.h"

/* Returns a new json_t *. */
void *tree_to_json(const struct cf_ynode *n);

#endif
