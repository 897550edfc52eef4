/* secret.h: one coffer secret file (SPEC 3): clear meta, encrypted data
 * and previous fields, sops metadata: parsing, opening, re-keying and
 * writing it. The type itself and its meta accessors are in
 * secret_meta.h. */
#ifndef CF_SECRET_H
#define CF_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "pubkeys.h"
#include "secbuf.h"
#include "secret_meta.h"
#include "sops.h"
#include "yamlio.h"

void cf_secret_init(struct cf_secret *s);
void cf_secret_release(struct cf_secret *s);

/* Parses a secret file; checks its layout and meta schema but decrypts
 * nothing. CF_EINTEGRITY if malformed. */
int cf_secret_parse(struct cf_secret *s, const char *data, size_t len,
		    const char *what);
/* Starts a new, empty secret with a fresh data key. */
int cf_secret_create(struct cf_secret *s, const char *now);
/* Recovers the data key (fingerprints in prefer tried first), decrypts
 * every field and verifies the MAC. */
int cf_secret_open(struct cf_secret *s, char *const *prefer, size_t nprefer);

struct cf_field *cf_fields_find(const struct cf_fields *f, const char *name);
/* Sets (creates or replaces) a data field's plaintext. */
void cf_secret_set_field(struct cf_secret *s, const char *name,
			 const void *val, size_t len);
int cf_secret_remove_field(struct cf_secret *s, const char *name);
/* Removes the previous section and its meta (previous_version,
 * previous_until). */
void cf_secret_drop_previous(struct cf_secret *s);

/* Drops the previous section once previous_until has passed (SPEC 6:
 * the first write after it). */
void cf_secret_expire_previous(struct cf_secret *s, int64_t now);
/* Copies every data field into the previous section (replacing it), as
 * a rotation keeps the current value; the caller sets the meta. */
void cf_secret_keep_previous(struct cf_secret *s);

/* Makes the recipients exactly fprs (upper-case fingerprints). Any
 * change of the set, or an entry not in order by keys (see
 * cf_secret_recipients_are), draws a fresh data key (needs an opened
 * secret):
 * a removed reader's copy of the old key opens nothing new, an added
 * reader's opens nothing old. Encrypting to a key not in the keyring
 * gives CF_ENOTFOUND. s->rekeyed says whether the key is new. */
int cf_secret_set_recipients(struct cf_secret *s, char *const *fprs,
			     size_t n, const struct cf_pubkeys *keys,
			     const char *now);
/* Draws a fresh data key for the next serialize (every field is
 * encrypted again, every recipient gets the new key). Needs an opened
 * secret; a new key once per write. */
int cf_secret_rekey(struct cf_secret *s);
/* Whether any of fprs is a recipient of the file. */
int cf_secret_is_recipient(const struct cf_secret *s, char *const *fprs,
			   size_t n);
/* Whether the file's recipients are exactly fprs (as a set): the
 * labels, and with keys (.coffer/keys) each entry's message sealed to
 * the labelled key alone (cf_pubkeys_entry_ok). NULL keys: labels only. */
int cf_secret_recipients_are(const struct cf_secret *s, char *const *fprs,
			     size_t n, const struct cf_pubkeys *keys);
/* Fingerprints the file is encrypted to (pointers into s). */
size_t cf_secret_recipients(const struct cf_secret *s, const char ***out);

/* Writes the file: re-encrypts only dirty fields, recomputes the MAC,
 * sets lastmodified to now. Needs an opened (or created) secret. */
int cf_secret_serialize(struct secbuf *out, struct cf_secret *s,
			const char *now);

/* Bookkeeping of a value change: version + 1, updated and updated_by,
 * and the exposure is over (the removed readers never saw this value). */
void cf_secret_new_version(struct cf_secret *s, const char *now,
			   const char *by);

#endif
