/*
 * fuzz.h — what every fuzz target shares.
 *
 * A target defines LLVMFuzzerTestOneInput() and nothing else that a fuzzer
 * needs. It is linked two ways: with libFuzzer (`--enable-fuzzing`, clang)
 * to search for new inputs, and with replay.c, an ordinary main() that runs
 * the target over its seed corpus under `make check`, so every build —
 * the sanitizer build of CI included — replays every corpus.
 *
 * A target checks the properties its module promises with FUZZ_CHECK, which
 * aborts whatever NDEBUG says: a property that fails is a crash, and the
 * input that caused it becomes a regression input in the corpus.
 */
#ifndef LINKGATE_FUZZ_H
#define LINKGATE_FUZZ_H

#include "linkgate/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

/* A NUL-terminated copy of data[0..size) (NUL bytes inside stay); free it. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = lg_xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Splits data at the first NUL into two NUL-terminated strings (the second
 * empty when there is no NUL); free both. */
static inline void fuzz_split2(const uint8_t *data, size_t size, char **a, char **b)
{
	const uint8_t *nul = size ? memchr(data, '\0', size) : NULL;
	size_t n = nul ? (size_t)(nul - data) : size;

	*a = fuzz_strndup(data, n);
	*b = nul ? fuzz_strndup(nul + 1, size - n - 1) : fuzz_strndup(NULL, 0);
}

#endif
