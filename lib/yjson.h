/* yjson.h: a YAML tree as JSON (jansson), scalars typed as YAML reads
 * them: info --json's meta, decrypt --json. */
#ifndef CF_YJSON_H
#define CF_YJSON_H

#include "ytree.h"

/* A new json_t *. Ints follow the canonical form's rules (1_000,
 * 0o17), so JSON and the sops MAC agree on a value. */
void *cf_ynode_to_json(const struct cf_ynode *n);

#endif
