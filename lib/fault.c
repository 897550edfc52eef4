/* fault.c: the fault points of the test build (see fault.h). */
#include "common.h"

#include <signal.h>

#include "fault.h"

#ifdef CF_FAULTS
void cf_fault(const char *name)
{
	const char *want = getenv("COFFER_FAULT");

	if (want && !strcmp(want, name))
		raise(SIGKILL);
}
#else
/* ISO C wants a translation unit to declare something */
extern int cf_fault_unused;
#endif
