/* yjson.c: a YAML tree as JSON, with scalars typed as YAML reads them. */
#include "common.h"

#include <jansson.h>
#include <stdlib.h>

#include "yjson.h"
#include "yscalar.h"

void *cf_ynode_to_json(const struct cf_ynode *n)
{
	long long iv;
	json_t *j;

	if (n->kind == CF_Y_MAP) {
		j = json_object();
		for (size_t i = 0; i < n->n; i++)
			json_object_set_new(j, n->pairs[i].key,
					    cf_ynode_to_json(n->pairs[i].val));
		return j;
	}
	if (n->kind == CF_Y_SEQ) {
		j = json_array();
		for (size_t i = 0; i < n->n; i++)
			json_array_append_new(j, cf_ynode_to_json(n->items[i]));
		return j;
	}
	switch (cf_yscalar_type(n)) {
	case CF_YT_NULL:
		return json_null();
	case CF_YT_BOOL:
		return json_boolean(n->str[0] == 't' || n->str[0] == 'T');
	case CF_YT_INT:
		if (cf_yint_value(n->str, &iv) == 0)
			return json_integer(iv);
		break;
	case CF_YT_FLOAT:
		return json_real(strtod(n->str, NULL));
	default:
		break;
	}
	j = json_stringn(n->str, n->len);
	return j ? j : json_stringn_nocheck(n->str, n->len);
}
