/* error.c: the last error, kept per thread. */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static _Thread_local char last_msg[512];
static _Thread_local int last_code;

int cf_error_set(int code, const char *fmt, ...)
{
	char msg[sizeof(last_msg)];
	va_list ap;

	/* through a copy: callers may pass cf_error_last() as an argument */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_msg, msg, sizeof(msg));
	last_code = code;
	return code;
}

const char *cf_error_last(void)
{
	return last_msg;
}

int cf_error_code(void)
{
	return last_code;
}

void cf_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = 0;
}
