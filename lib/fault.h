/* fault.h: named points in the write path where the test build can be
 * made to die (COFFER_FAULT=NAME kills the process there with SIGKILL),
 * to prove that a write killed anywhere leaves the old state or the new
 * one (tests/cli/14-crash.bats). In other builds they are nothing. */
#ifndef CF_FAULT_H
#define CF_FAULT_H

#ifdef CF_FAULTS
void cf_fault(const char *name);
#define CF_FAULT(name) cf_fault(name)
#else
#define CF_FAULT(name) ((void)0)
#endif

#endif
