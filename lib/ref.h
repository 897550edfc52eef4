/* ref.h: references to a secret, coffer://NAME[#FIELD][@VERSION] (SPEC
 * 1), as get takes them and run, render and export will. */
#ifndef CF_REF_H
#define CF_REF_H

struct cf_ref {
	char *name;
	char *field;	/* NULL: not given */
	char *version;	/* NULL: current; a number or "previous" */
};

/* Parses coffer://NAME[#FIELD][@VERSION] or the same without the
 * scheme. CF_EUSAGE saying what is wrong. Release in any case. */
int cf_ref_parse(struct cf_ref *r, const char *s);
void cf_ref_release(struct cf_ref *r);

#endif
