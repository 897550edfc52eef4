/* yfast.h: the fast reader, for the layout cf_yaml_emit writes only.
 * cf_yaml_parse (yparse.h) tries it first; tests call it directly. */
#ifndef CF_YFAST_H
#define CF_YFAST_H

#include <stddef.h>

#include "ytree.h"

/* 1 and a tree, or 0 if data is not exactly what cf_yaml_emit writes
 * for some tree (then libyaml must read it). No error is set: declining
 * is not a failure. data has no NUL. */
int cf_yfast_parse(struct cf_ynode **out, const char *data, size_t len);

#endif
