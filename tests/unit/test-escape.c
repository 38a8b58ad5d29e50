/* test-escape.c — the escaper's property and its named hostile inputs. */
#include "linkgate/escape.h"
#include "tap.h"

/* A reference UTF-8 decoder written from the bit patterns, independent of
 * lg_utf8_decode(), so the property is not checked against itself.
 * Returns the sequence length or 0. */
static size_t ref_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t v, min;

	if (!len)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static bool forbidden_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Empty string when the property holds, else what broke it. */
static const char *check_property(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = ref_decode(p + i, len - i, &cp);
		if (!n)
			return "invalid UTF-8 in output";
		if (forbidden_cp(cp))
			return "forbidden code point in output";
		i += n;
	}
	return "";
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void put_utf8(struct lg_buf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		lg_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		lg_buf_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		lg_buf_put(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		lg_buf_put(b, u, 4);
	}
}

/* Inverts the documented notation; returns false on anything it does not
 * define, so an escape the header does not promise fails the test. */
static bool unescape(struct lg_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (s[i] != '\\') {
			lg_buf_putc(out, s[i++]);
			continue;
		}
		if (++i >= len)
			return false;
		switch (s[i]) {
		case '\\': lg_buf_putc(out, '\\'); i++; break;
		case 't': lg_buf_putc(out, '\t'); i++; break;
		case 'n': lg_buf_putc(out, '\n'); i++; break;
		case 'r': lg_buf_putc(out, '\r'); i++; break;
		case 'e': lg_buf_putc(out, 0x1b); i++; break;
		case 'a': lg_buf_putc(out, 0x07); i++; break;
		case 'x': {
			int hi, lo;

			if (i + 2 >= len)
				return false;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			lg_buf_putc(out, (char)(hi << 4 | lo));
			i += 3;
			break;
		}
		case 'u': {
			uint32_t cp = 0;
			size_t digits = 0;

			if (++i >= len || s[i] != '{')
				return false;
			for (i++; i < len && s[i] != '}'; i++, digits++) {
				int h = hexval(s[i]);

				if (h < 0 || digits > 6)
					return false;
				cp = cp << 4 | (uint32_t)h;
			}
			if (i >= len || digits < 4)
				return false;
			i++;
			put_utf8(out, cp);
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	/* xorshift64*: fixed seed, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Pieces that random bytes rarely produce but attackers do. */
static const char *const pieces[] = {
	"\x1b[31m", "\x1b]8;;http://evil\x1b\\", "\x9b", "\xc2\x9b", "\xc2\x80", "\xc2\x9f", "\xc2\xa0",
	"\xe2\x80\xae", "\xe2\x80\xaa", "\xe2\x81\xa6", "\xe2\x81\xa9", "\xd8\x9c", "\xe2\x80\x8e",
	"\xe2\x80\x8f", "\xe2\x80\xa8", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf",
	"\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x80", "\xf0\x9f\x8e", "\xf0\x9f\x8e\x89",
	"\xe4\xb8\x96", "\\", "\\x41", "\\u{202e}", "\r", "\n", "\t", "\a", "\x7f", "\0", "\xff", "\xfe",
	"\xef\xbb\xbf",
};

static void random_input(struct lg_buf *b)
{
	size_t n = rnd() % 48, i;

	lg_buf_clear(b);
	for (i = 0; i < n; i++) {
		uint32_t r = rnd();

		if (r % 3 == 0)
			lg_buf_puts(b, pieces[(r >> 8) % LG_ARRAY_SIZE(pieces)]);
		else if (r % 3 == 1)
			lg_buf_putc(b, (char)(r >> 8));
		else
			lg_buf_putc(b, (char)(0x20 + (r >> 8) % 95));
		/* pieces include "\0": lg_buf_puts stops there; add it by hand. */
		if ((r >> 20) % 17 == 0)
			lg_buf_putc(b, '\0');
	}
}

static void test_property(void)
{
	struct lg_buf in = LG_BUF_INIT, out = LG_BUF_INIT, back = LG_BUF_INIT;
	size_t iter, bad_prop = 0, bad_trip = 0, bad_valid = 0;
	const char *why = "";

	lg_buf_init(&in);
	for (iter = 0; iter < 100000; iter++) {
		const char *w;

		random_input(&in);
		lg_buf_clear(&out);
		lg_escape(&out, in.ptr, in.len);
		w = check_property(out.ptr, out.len);
		if (*w) {
			if (!bad_prop++)
				why = w;
		}
		if (!lg_utf8_valid(out.ptr, out.len))
			bad_valid++;
		lg_buf_clear(&back);
		if (!unescape(&back, out.ptr, out.len) || back.len != in.len || memcmp(back.ptr, in.ptr, in.len))
			bad_trip++;
	}
	if (!tap_ok(bad_prop == 0, "property: 100000 random inputs escape to valid UTF-8 without forbidden code points"))
		tap_diag("%zu failures, first: %s", bad_prop, why);
	tap_ok(bad_valid == 0, "property: lg_utf8_valid agrees the output is valid (%zu disagreements)", bad_valid);
	tap_ok(bad_trip == 0, "property: escaping is reversible, so escapes cannot be forged (%zu failures)", bad_trip);

	/* Every single byte and every two-byte combination, exhaustively. */
	bad_prop = bad_trip = 0;
	for (iter = 0; iter < 65536; iter++) {
		char two[2] = { (char)(iter >> 8), (char)(iter & 0xff) };

		lg_buf_clear(&out);
		lg_escape(&out, two, 2);
		if (*check_property(out.ptr, out.len))
			bad_prop++;
		lg_buf_clear(&back);
		if (!unescape(&back, out.ptr, out.len) || back.len != 2 || memcmp(back.ptr, two, 2))
			bad_trip++;
	}
	tap_ok(bad_prop == 0 && bad_trip == 0, "property: all 65536 two-byte strings (%zu, %zu failures)", bad_prop,
	       bad_trip);

	/* Every code point, encoded correctly. */
	bad_prop = 0;
	for (iter = 0; iter <= 0x10ffff; iter++) {
		if (iter >= 0xd800 && iter <= 0xdfff)
			continue;
		lg_buf_clear(&in);
		put_utf8(&in, (uint32_t)iter);
		lg_buf_clear(&out);
		lg_escape(&out, in.ptr, in.len);
		if (*check_property(out.ptr, out.len))
			bad_prop++;
		/* Safe ones pass through unchanged. */
		if (!forbidden_cp((uint32_t)iter) && iter != '\\' && iter != 0x2028 && iter != 0x2029 &&
		    (out.len != in.len || memcmp(out.ptr, in.ptr, in.len)))
			bad_prop++;
	}
	tap_ok(bad_prop == 0, "property: every code point is escaped or passes through unchanged (%zu failures)",
	       bad_prop);

	lg_buf_release(&in);
	lg_buf_release(&out);
	lg_buf_release(&back);
}

struct esc_case {
	const char *name;
	const char *in;
	size_t len;
	const char *want;
};

#define C(name, in, want) { name, in, sizeof(in) - 1, want }

static const struct esc_case cases[] = {
	C("plain ASCII passes", "refs/heads/main", "refs/heads/main"),
	C("ANSI colour (ESC [ 31m)", "\x1b[31mred\x1b[0m", "\\e[31mred\\e[0m"),
	C("OSC 8 hyperlink", "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\",
	  "\\e]8;;http://evil/\\e\\\\click\\e]8;;\\e\\\\"),
	C("CR overwrites the line", "ok\rpush accepted", "ok\\rpush accepted"),
	C("BEL", "ding\a", "ding\\a"),
	C("TAB and LF", "a\tb\nc", "a\\tb\\nc"),
	C("NUL", "a\0b", "a\\x00b"),
	C("other C0 bytes", "\x01\x08\x0b\x0c\x1f", "\\x01\\x08\\x0b\\x0c\\x1f"),
	C("DEL", "x\x7fy", "x\\x7fy"),
	C("raw 0x9b CSI", "\x9b" "31m", "\\x9b31m"),
	C("raw C1 range ends", "\x80\x9f", "\\x80\\x9f"),
	C("U+009B CSI encoded as UTF-8", "\xc2\x9b" "31m", "\\u{009b}31m"),
	C("U+0085 NEL encoded as UTF-8", "\xc2\x85", "\\u{0085}"),
	C("U+00A0 is printable", "\xc2\xa0", "\xc2\xa0"),
	C("U+202E RLO", "evil\xe2\x80\xae" "txt.go", "evil\\u{202e}txt.go"),
	C("U+202A..U+202D", "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u{202a}\\u{202b}\\u{202c}\\u{202d}"),
	C("U+2066..U+2069 isolates", "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	  "\\u{2066}\\u{2067}\\u{2068}\\u{2069}"),
	C("U+061C ALM, U+200E LRM, U+200F RLM", "\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", "\\u{061c}\\u{200e}\\u{200f}"),
	C("U+2028 LINE SEPARATOR", "a\xe2\x80\xa8" "b", "a\\u{2028}b"),
	C("overlong slash (2 bytes)", "\xc0\xaf", "\\xc0\\xaf"),
	C("overlong slash (3 bytes)", "\xe0\x80\xaf", "\\xe0\\x80\\xaf"),
	C("overlong (4 bytes)", "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"),
	C("overlong ESC hides a control", "\xc0\x9b", "\\xc0\\x9b"),
	C("surrogate high", "\xed\xa0\x80", "\\xed\\xa0\\x80"),
	C("surrogate low", "\xed\xbf\xbf", "\\xed\\xbf\\xbf"),
	C("above U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"),
	C("5-byte form", "\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80"),
	C("truncated at end", "ok\xe2\x80", "ok\\xe2\\x80"),
	C("truncated before ASCII", "\xe2\x80" "A", "\\xe2\\x80A"),
	C("0xff 0xfe", "\xff\xfe", "\\xff\\xfe"),
	C("valid UTF-8 passes", "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x8e\x89",
	  "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x8e\x89"),
	C("U+10FFFF is valid, passes", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"),
	C("backslash doubled", "a\\b", "a\\\\b"),
	C("forged \\x escape", "\\x1b", "\\\\x1b"),
	C("forged \\u escape", "\\u{202e}", "\\\\u{202e}"),
	C("forged \\e then real ESC", "\\e\x1b", "\\\\e\\e"),
	C("empty", "", ""),
};

static void test_cases(void)
{
	struct lg_buf out = LG_BUF_INIT;
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		lg_buf_init(&out);
		lg_escape(&out, cases[i].in, cases[i].len);
		tap_is_str(out.ptr, cases[i].want, "escape: %s", cases[i].name);
		lg_buf_release(&out);
	}

	lg_buf_init(&out);
	lg_escape_str(&out, NULL);
	lg_escape(&out, NULL, 0);
	tap_is_int((long long)out.len, 0, "escape: NULL appends nothing");
	lg_escape_str(&out, "pre\x1b");
	lg_escape_str(&out, "\\");
	tap_is_str(out.ptr, "pre\\e\\\\", "escape: appends to what the buffer holds");
	lg_buf_release(&out);
}

static void test_utf8(void)
{
	struct lg_buf out = LG_BUF_INIT;
	uint32_t cp = 0;

	tap_ok(lg_utf8_valid("", 0), "utf8: empty is valid");
	tap_ok(lg_utf8_valid("a\0b", 3), "utf8: NUL is valid");
	tap_ok(lg_utf8_valid("\xe2\x80\xae\xf0\x9f\x8e\x89", 7), "utf8: RLO and emoji are valid UTF-8");
	tap_ok(!lg_utf8_valid("\xc0\x80", 2), "utf8: overlong NUL is invalid");
	tap_ok(!lg_utf8_valid("\xed\xa0\x80", 3), "utf8: surrogate is invalid");
	tap_ok(!lg_utf8_valid("\xf4\x90\x80\x80", 4), "utf8: above U+10FFFF is invalid");
	tap_ok(!lg_utf8_valid("\xe2\x80", 2), "utf8: truncated is invalid");
	tap_ok(!lg_utf8_valid("\x80", 1), "utf8: stray continuation is invalid");
	tap_ok(!lg_utf8_valid("abc\xc3", 4), "utf8: truncated at end after ASCII is invalid");
	tap_is_int((long long)lg_utf8_decode("\xf0\x9f\x8e\x89", 4, &cp), 4, "utf8: decode length of U+1F389");
	tap_is_int(cp, 0x1f389, "utf8: decode value of U+1F389");
	tap_is_int((long long)lg_utf8_decode("\xf0\x9f\x8e", 3, &cp), 0, "utf8: decode of a truncated sequence is 0");

	lg_buf_init(&out);
	lg_utf8_replace_invalid(&out, "a\xff" "b\xe2\x80" "c\xc3\xa9", 8);
	tap_is_str(out.ptr, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xc3\xa9",
		   "utf8: replace_invalid puts U+FFFD per invalid byte");
	lg_buf_release(&out);
}

int main(void)
{
	test_cases();
	test_utf8();
	test_property();
	return tap_done();
}
