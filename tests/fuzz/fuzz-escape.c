/*
 * fuzz-escape.c — the output escaper, checked against an independent
 * reading of its promise (escape.h): whatever goes in, what comes out of
 * lg_escape() is valid UTF-8 without a C0 control byte, DEL, a C1 control,
 * a bidirectional mark or a line/paragraph separator, and a backslash only
 * ever starts an escape. lg_utf8_replace_invalid() (for JSON) must give
 * valid UTF-8 too, and lg_utf8_valid() must agree with this decoder.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/escape.h"

/* An independent RFC 3629 decoder: the length of the sequence at s, or 0. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, v = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, v = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, v = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10ffff ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if (!(k = decode(s + i, n - i, &cp)))
			return false;
		i += k;
	}
	return true;
}

static bool terminal_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

static void check_escaped(const unsigned char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = decode(s + i, n - i, &cp);
		FUZZ_CHECK(k, "invalid UTF-8 at byte %zu of the output", i);
		FUZZ_CHECK(!terminal_unsafe(cp), "U+%04x left raw at byte %zu", (unsigned)cp, i);
		if (cp == '\\') {
			FUZZ_CHECK(i + 1 < n && strchr("\\tnreaxu", s[i + 1]), "a backslash that starts no escape at byte %zu",
				   i);
			k = 2; /* an escaped backslash is not the start of another escape */
		}
		i += k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_buf out = LG_BUF_INIT, json = LG_BUF_INIT;
	char *str;

	lg_escape(&out, (const char *)data, size);
	check_escaped((const unsigned char *)out.ptr, out.len);
	FUZZ_CHECK(out.len >= size, "escaping shrank the text");
	FUZZ_CHECK(strlen(out.ptr) == out.len, "a NUL byte left raw");

	/* The C-string form stops at the first NUL, escaping what comes before. */
	lg_buf_clear(&out);
	str = fuzz_strndup(data, size);
	lg_escape_str(&out, str);
	check_escaped((const unsigned char *)out.ptr, out.len);
	free(str);

	lg_utf8_replace_invalid(&json, (const char *)data, size);
	FUZZ_CHECK(valid((const unsigned char *)json.ptr, json.len), "replace_invalid left invalid UTF-8");
	FUZZ_CHECK(lg_utf8_valid((const char *)data, size) == valid(data, size), "lg_utf8_valid disagrees");
	if (valid(data, size))
		FUZZ_CHECK(json.len == size && !memcmp(json.ptr, data, size), "valid UTF-8 was changed");
	lg_buf_release(&out);
	lg_buf_release(&json);
	return 0;
}
