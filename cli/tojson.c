/* tojson.c: a YAML tree as JSON, with scalars typed as YAML reads them. */
#include "../lib/common.h"

#include <jansson.h>
#include <stdlib.h>

#include "tojson.h"

void *tree_to_json(const struct cf_ynode *n)
{
	json_t *j;

	if (n->kind == CF_Y_MAP) {
		j = json_object();
		for (size_t i = 0; i < n->n; i++)
			json_object_set_new(j, n->pairs[i].key,
					    tree_to_json(n->pairs[i].val));
		return j;
	}
	if (n->kind == CF_Y_SEQ) {
		j = json_array();
		for (size_t i = 0; i < n->n; i++)
			json_array_append_new(j, tree_to_json(n->items[i]));
		return j;
	}
	switch (cf_yscalar_type(n)) {
	case CF_YT_NULL:
		return json_null();
	case CF_YT_BOOL:
		return json_boolean(n->str[0] == 't' || n->str[0] == 'T');
	case CF_YT_INT:
		return json_integer(strtoll(n->str, NULL, 0));
	case CF_YT_FLOAT:
		return json_real(strtod(n->str, NULL));
	default:
		j = json_stringn(n->str, n->len);
		return j ? j : json_stringn_nocheck(n->str, n->len);
	}
}
