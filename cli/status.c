/* status.c: a secret's status printed as a line or a JSON object. */
#include "../lib/common.h"

#include <jansson.h>

#include "status.h"

void status_line(struct buf *out, const struct cf_status *st,
		 const char *name)
{
	buf_addf(out, "%-40s v%-4ld %-20s rotation:%-8s expiry:%-8s readers:%zu%s\n",
		 name, st->version, st->updated ? st->updated : "-",
		 cf_rotation_status_name(st->rotation),
		 cf_expiry_status_name(st->expiry), st->nreaders,
		 st->drift ? " drift" : "");
}

void *status_json(const struct cf_status *st, const char *name)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", json_string(name));
	json_object_set_new(j, "version", json_integer(st->version));
	json_object_set_new(j, "updated", st->updated ?
			    json_string(st->updated) : json_null());
	json_object_set_new(j, "rotation",
			    json_string(cf_rotation_status_name(st->rotation)));
	json_object_set_new(j, "expires", st->expires ?
			    json_string(st->expires) : json_null());
	json_object_set_new(j, "expiry",
			    json_string(cf_expiry_status_name(st->expiry)));
	json_object_set_new(j, "readers", json_integer((json_int_t)st->nreaders));
	json_object_set_new(j, "drift", json_boolean(st->drift));
	return j;
}
