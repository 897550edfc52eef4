/* exit.h: exit codes (SPEC 4), the same table as coffer.1 EXIT STATUS. */
#ifndef CF_EXIT_H
#define CF_EXIT_H

enum {
	EXIT_OK = 0,		/* success; access allowed; check clean */
	EXIT_ERROR = 1,		/* other error */
	EXIT_USAGE = 2,		/* usage error */
	EXIT_DENIED = 3,	/* denied by policy */
	EXIT_NOTFOUND = 4,	/* not found */
	EXIT_DECRYPT = 5,	/* cannot decrypt */
	EXIT_INTEGRITY = 6,	/* integrity failure */
	EXIT_CONFLICT = 7,	/* conflict */
	EXIT_HOOK = 8,		/* rotation hook failed */
	EXIT_REJECTED = 9,	/* value rejected */
	EXIT_WARNINGS = 10,	/* check: warnings only */
	EXIT_PROBLEMS = 11,	/* check: problems */
	EXIT_EXPIRED = 12,	/* secret expired or not yet valid */
};

/* Maps a lib error code (CF_E*) to an exit code. */
static inline int exit_code_of(int err)
{
	return err >= 0 ? EXIT_OK : err < -12 ? EXIT_ERROR : -err;
}

#endif
