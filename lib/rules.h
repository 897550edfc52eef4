/* rules.h: what a value must be before it is stored (SPEC 6): the
 * validate rules (min_length, max_length, pattern, allowed) and the
 * strength estimate of values people supply (zxcvbn). */
#ifndef CF_RULES_H
#define CF_RULES_H

#include <stddef.h>

#include "yamlio.h"

/* Parses RULES, "min_length=N,max_length=N,pattern=ERE,allowed=a|b"
 * ("\," and "\|" escape), into a validate mapping. CF_EUSAGE if bad. */
int cf_rules_parse(struct cf_ynode **out, const char *spec);
/* Checks a validate mapping (from meta or the policy): known keys, whole
 * numbers, a pattern that compiles. what names it in messages;
 * CF_EINTEGRITY if bad. */
int cf_rules_valid(const struct cf_ynode *rules, const char *what);
/* Whether the value obeys the rules; CF_EREJECTED naming the rule that
 * failed, never the value. NULL rules accept everything. */
int cf_rules_check(const struct cf_ynode *rules, const char *val,
		   size_t len);

/* A rough count of the nodes regcomp (glibc) builds for the ERE pat: it
 * copies the operand of x+ and x{n,m}, so nested repetitions multiply
 * ("a++++...", "((a{99}){99}){99}") and a short pattern can take
 * gigabytes, and its closures take time quadratic in the nodes (67000
 * took 0.6 s). Patterns from files are refused above CF_REGEX_MAX_SIZE
 * (or deeper than CF_REGEX_MAX_DEPTH groups, or with repetitions
 * nested deeper than CF_REGEX_MAX_NEST) before regcomp sees them;
 * [a-z]{1,64} is 65 nodes, [0-9]{4096} 4096. */
#define CF_REGEX_MAX_SIZE 10000.0
#define CF_REGEX_MAX_DEPTH 32
/* Repetitions of repetitions take regcomp time out of proportion to
 * their nodes: "a+*+*+*+*+*+*" (12 deep, 4000 nodes) took 4 s. At most
 * this many may nest ("(a+)*" is 2, "((ab+)?c)*" 2). */
#define CF_REGEX_MAX_NEST 3
/* and a long run of them too: "(a*)*" 2048 times took 36 s. A pattern
 * may hold this many repetition operators. */
#define CF_REGEX_MAX_REPEATS 64
double cf_regex_size(const char *pat);

/* Estimated entropy in bits of a value a person chose (zxcvbn); a value
 * holding a NUL byte is estimated by its length alone. */
double cf_strength_estimate(const char *val, size_t len);

#endif
