/* timeutil.h: RFC 3339 timestamps, durations and the clock (COFFER_NOW). */
#ifndef CF_TIMEUTIL_H
#define CF_TIMEUTIL_H

#include <stdint.h>

#include "buf.h"

#define CF_TIME_LEN 32

/* Reads COFFER_NOW if set; fails on an invalid value. */
int cf_time_init(void);
/* Seconds since the epoch, the real clock: for policy conditions, the
 * readers, commit times and the read log. */
int64_t cf_now(void);
/* The clock of a secret's dates: expiry, rotation due dates, the
 * previous value's end, the times written in meta, and check. It is
 * COFFER_NOW when set, a testing aid that never moves what the policy
 * allows nor a commit's time. */
int64_t cf_date_now(void);
/* Formats t as YYYY-MM-DDTHH:MM:SSZ. */
void cf_time_format(char out[CF_TIME_LEN], int64_t t);
/* Parses RFC 3339 (YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)); fraction dropped. */
int cf_time_parse(int64_t *out, const char *s);
/* Parses 30s 15m 12h 90d 2w and compounds such as 1d12h. */
int cf_duration_parse(int64_t *out, const char *s);
/* Formats a duration in the largest units, e.g. 1d12h. */
void cf_duration_format(struct buf *out, int64_t secs);
/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
int64_t cf_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
