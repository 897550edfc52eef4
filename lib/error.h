/* error.h: lib error codes and the last error message (libgit2 style). */
#ifndef CF_ERROR_H
#define CF_ERROR_H

/* Negative return codes of lib functions; cli/exit.h maps them to exit codes. */
enum cf_errcode {
	CF_OK = 0,
	CF_EGENERIC = -1,	/* other error */
	CF_EUSAGE = -2,		/* bad argument */
	CF_EDENIED = -3,	/* denied by policy */
	CF_ENOTFOUND = -4,	/* secret, field, version, principal not found */
	CF_EDECRYPT = -5,	/* cannot decrypt */
	CF_EINTEGRITY = -6,	/* bad MAC, malformed file, bad signature */
	CF_ECONFLICT = -7,	/* check-and-set mismatch, lock, merge conflict */
	CF_EHOOK = -8,		/* rotation hook failed */
	CF_EREJECTED = -9,	/* value rejected */
	CF_EEXPIRED = -12,	/* secret expired or not yet valid */
};

/* Records a message for the last error and returns code (a CF_E* value). */
int cf_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The message of the last error; "" if none. */
const char *cf_error_last(void);
/* The code of the last error. */
int cf_error_code(void);
void cf_error_clear(void);

#endif
