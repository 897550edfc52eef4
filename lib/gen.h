/* gen.h: value generators (SPEC 6) with their exact entropy. */
#ifndef CF_GEN_H
#define CF_GEN_H

#include "secbuf.h"

#define CF_GEN_DEFAULT "random:length=32"

/* Generates a value from spec (e.g. "random:length=24,symbols", "hex:bytes=16",
 * "pin:length=6", "uuid"); *bits receives its entropy. CF_EUSAGE for a bad
 * spec. */
int cf_generate(struct secbuf *out, double *bits, const char *spec);
/* Checks a spec without generating. */
int cf_gen_check(const char *spec);

#endif
