/* status.h: a secret's status (lib/status.h) as list --long and info
 * print it: one line, or a JSON object. */
#ifndef CLI_STATUS_H
#define CLI_STATUS_H

#include "../lib/status.h"
#include "cli.h"

/* The line list --long shows for a secret, into out. */
void status_line(struct buf *out, const struct cf_status *st,
		 const char *name);
/* A json_t * object. */
void *status_json(const struct cf_status *st, const char *name);

#endif
