/* fuzz.h: what every libFuzzer target in tests/fuzz shares: the entry
 * point's declaration, one-time setup, and copies of the input that end
 * exactly where it ends (so AddressSanitizer sees any read past it). */
#ifndef CF_FUZZ_H
#define CF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/crypt.h"
#include "../../lib/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* gcrypt is initialised once, as main does. */
static inline void fuzz_init(void)
{
	static int done;

	if (!done && cf_crypt_init() == 0)
		done = 1;
}

/* A property broke: says which, with the last error, and crashes so
 * that libFuzzer saves the input. */
static inline void fuzz_fail(const char *target, const char *why)
{
	fprintf(stderr, "fuzz_%s: %s (last error: %s)\n", target, why,
		cf_error_last());
	abort();
}

/* The input as a C string: up to its first NUL, then a NUL. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The input in a buffer of exactly its size (none for size 0). */
static inline char *fuzz_exact(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	return s;
}

#endif
