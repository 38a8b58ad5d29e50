/*
 * fuzz-glob.c — ref and path globs (lg_glob_match, lg_glob_valid). The
 * input is PATTERN NUL TEXT.
 *
 * Properties: an invalid pattern matches nothing; a pattern without
 * special characters matches exactly itself; `**` matches every text;
 * lg_glob_match_any agrees with lg_glob_match. The cost bound (pattern
 * length times text length) is what the fuzzer's time-out watches.
 */
#include "fuzz.h"
#include "linkgate/glob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pat, *text;
	const char *why = NULL;
	bool valid, m;

	fuzz_split2(data, size, &pat, &text);
	valid = lg_glob_valid(pat, &why);
	m = lg_glob_match(pat, text);
	FUZZ_CHECK(valid || (why && *why), "invalid pattern '%s' without a reason", pat);
	FUZZ_CHECK(valid || !m, "invalid pattern '%s' matched '%s'", pat, text);
	if (!strpbrk(pat, "*?[\\"))
		FUZZ_CHECK(m == !strcmp(pat, text), "literal '%s' against '%s'", pat, text);
	FUZZ_CHECK(lg_glob_match("**", text), "** does not match '%s'", text);
	FUZZ_CHECK(lg_glob_match_any(&pat, 1, text) == m, "match_any disagrees");
	free(pat);
	free(text);
	return 0;
}
