/* escape.c — the one escaper for pusher-visible text (see escape.h). */
#include "linkgate/escape.h"

static const char hexdigits[] = "0123456789abcdef";

size_t lg_utf8_decode(const char *s, size_t len, uint32_t *cp_out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t cp;
	size_t n, i;

	if (!len)
		return 0;
	if (p[0] < 0x80) {
		*cp_out = p[0];
		return 1;
	}
	/* The ranges of RFC 3629's table: the second byte's bounds exclude
	 * overlong forms (E0, F0), surrogates (ED) and values above U+10FFFF
	 * (F4), so no decoded value needs checking afterwards. */
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char c = p[i];

		if (c < lo || c > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		cp = (cp << 6) | (c & 0x3f);
	}
	*cp_out = cp;
	return n;
}

bool lg_utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		/* ASCII runs are the common case: skip the decoder for them. */
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = lg_utf8_decode(s + i, len - i, &cp);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* Code points that are valid UTF-8 yet must not reach a terminal raw. */
static bool cp_unsafe(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	switch (cp) {
	case 0x061c: /* ARABIC LETTER MARK */
	case 0x200e: /* LRM */
	case 0x200f: /* RLM */
	case 0x2028: /* LINE SEPARATOR */
	case 0x2029: /* PARAGRAPH SEPARATOR */
		return true;
	default:
		break;
	}
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static void put_byte_escape(struct lg_buf *out, unsigned char c)
{
	char e[4];

	switch (c) {
	case '\t':
		lg_buf_put(out, "\\t", 2);
		return;
	case '\n':
		lg_buf_put(out, "\\n", 2);
		return;
	case '\r':
		lg_buf_put(out, "\\r", 2);
		return;
	case 0x1b:
		lg_buf_put(out, "\\e", 2);
		return;
	case 0x07:
		lg_buf_put(out, "\\a", 2);
		return;
	default:
		break;
	}
	e[0] = '\\';
	e[1] = 'x';
	e[2] = hexdigits[c >> 4];
	e[3] = hexdigits[c & 0xf];
	lg_buf_put(out, e, sizeof(e));
}

void lg_escape(struct lg_buf *out, const char *s, size_t len)
{
	size_t i = 0, run, n;
	uint32_t cp;

	if (!out->ptr)
		lg_buf_init(out);
	if (!s)
		return;
	lg_buf_grow(out, len);
	while (i < len) {
		/* Copy the longest run of bytes that need no thought at once. */
		run = i;
		while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
		       s[run] != '\\')
			run++;
		if (run > i) {
			lg_buf_put(out, s + i, run - i);
			i = run;
			continue;
		}
		if (s[i] == '\\') {
			lg_buf_put(out, "\\\\", 2);
			i++;
			continue;
		}
		n = lg_utf8_decode(s + i, len - i, &cp);
		if (!n) {
			/* Invalid UTF-8: show the byte, resynchronise on the next. */
			put_byte_escape(out, (unsigned char)s[i]);
			i++;
		} else if (n == 1) {
			/* An ASCII control or DEL (the run above took the rest). */
			put_byte_escape(out, (unsigned char)s[i]);
			i++;
		} else if (cp_unsafe(cp)) {
			lg_buf_printf(out, "\\u{%04x}", (unsigned)cp);
			i += n;
		} else {
			lg_buf_put(out, s + i, n);
			i += n;
		}
	}
}

void lg_escape_str(struct lg_buf *out, const char *s)
{
	lg_escape(out, s, s ? strlen(s) : 0);
}

void lg_utf8_replace_invalid(struct lg_buf *out, const char *s, size_t len)
{
	static const char replacement[] = "\xef\xbf\xbd";
	size_t i = 0, n;
	uint32_t cp;

	if (!out->ptr)
		lg_buf_init(out);
	while (i < len) {
		n = lg_utf8_decode(s + i, len - i, &cp);
		if (n) {
			lg_buf_put(out, s + i, n);
			i += n;
		} else {
			lg_buf_put(out, replacement, 3);
			i++;
		}
	}
}
