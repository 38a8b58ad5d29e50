/*
 * fuzz-trailers.c — commit message trailers (lg_trailers_parse) over any
 * message.
 *
 * Properties: every key is a non-empty token (alnum and '-'), values hold no
 * newline (continuations are folded), and lg_trailer_get() finds the first
 * value of each key whatever its case.
 */
#include "fuzz.h"
#include "linkgate/trailers.h"

static bool token(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') || *k == '-'))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *msg = fuzz_strndup(data, size);
	struct lg_trailer *t = NULL;
	size_t n = 0, i, j;

	FUZZ_CHECK(lg_trailers_parse(&t, &n, msg) == 0, "parse failed");
	for (i = 0; i < n; i++) {
		const char *first = NULL;

		FUZZ_CHECK(t[i].key && t[i].value, "trailer %zu has a NULL part", i);
		FUZZ_CHECK(token(t[i].key), "key '%s' is not a token", t[i].key);
		FUZZ_CHECK(!strchr(t[i].value, '\n'), "value of '%s' holds a newline", t[i].key);
		for (j = 0; j <= i && !first; j++)
			if (!strcasecmp(t[j].key, t[i].key))
				first = t[j].value;
		FUZZ_CHECK(lg_trailer_get(t, n, t[i].key) == first, "lookup of '%s' is not the first value", t[i].key);
	}
	lg_trailers_free(t, n);
	free(msg);
	return 0;
}
