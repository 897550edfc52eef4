/* common.h: what every .c file includes first (git's git-compat-util.h):
 * the system headers that declare the functions banned.h bans, the
 * buffers and error codes everything uses, and banned.h last, so that
 * a banned function fails to compile wherever it is used. */
#ifndef CF_COMMON_H
#define CF_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "error.h"

#include "banned.h"

#endif
